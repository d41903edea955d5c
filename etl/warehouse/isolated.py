"""A build in a process of its own, for a server that must not run the ETL itself.

The dashboard adds an uploaded document with `build_in_subprocess`: the build (and its worker,
which reads the document under the limits of etl/warehouse/worker.py) runs in a child process
at a lower priority, so a hostile upload costs the server nothing but a pipe to read, and the
other sessions keep their CPU. The child reports progress and, at the end, the build's summary
as JSON lines on its standard output:

    {"progress": [done, total]}
    {"summary": {...BuildSummary fields...}}     or     {"error": "ShrinkRefused: ..."}

`python -m etl.warehouse.isolated RAW DB [--allow-shrink]` is that child.
"""
from __future__ import annotations

import dataclasses
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from etl import config
from etl.warehouse.build import BuildSummary, build

# the lowest priority: at nice 19 the child (and the worker it forks) weighs 15 against a server
# thread's 1024 in Linux's scheduler, so it runs on what the sessions leave, yet is never starved
CHILD_NICENESS = 19


class IsolatedBuildError(Exception):
    """The child build failed (its message), or ran past its time."""


def default_timeout() -> float:
    """Room for one document at its wall-time limit, twice (a worker that dies is read again),
    and for the warehouse around it."""
    return 2 * config.setting_int("EPW_DOC_SECONDS") + 300


def build_in_subprocess(raw_dir: str | Path, db_path: str | Path, *, allow_shrink: bool = False,
                        on_progress=None, timeout: float | None = None,
                        shards_dir: str | Path | None = None) -> BuildSummary:
    """build(raw_dir, db_path) in a child process; on_progress(done, total) as documents are read.
    shards_dir: the shard folder (a scratch copy of a warehouse should use the warehouse's own:
    shards_root(warehouse)). Raises IsolatedBuildError when the build fails (the warehouse at
    db_path is then untouched)."""
    cmd = [sys.executable, "-m", "etl.warehouse.isolated", str(raw_dir), str(db_path)]
    if allow_shrink:
        cmd.append("--allow-shrink")
    if shards_dir:
        cmd.append(f"--shards={shards_dir}")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(config.ROOT),
                                                                     os.environ.get("PYTHONPATH")])))
    deadline = time.monotonic() + (timeout or default_timeout())
    proc = subprocess.Popen(cmd, cwd=config.ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    result: dict = {}
    try:
        buffer = b""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise IsolatedBuildError(f"the build took more than {timeout or default_timeout():.0f} s")
            ready, _, _ = select.select([proc.stdout], [], [], min(remaining, 1.0))
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                message = _parse(line)
                if "progress" in message and on_progress:
                    on_progress(*message["progress"])
                result.update({k: v for k, v in message.items() if k != "progress"})
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    except BaseException:
        _kill(proc)
        raise
    finally:
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        for stream in (proc.stdout, proc.stderr):
            stream.close()
    if "error" in result:
        raise IsolatedBuildError(result["error"])
    if "summary" not in result:
        last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit status {proc.returncode}"
        raise IsolatedBuildError(f"the build process ended without a result: {last}")
    fields = result["summary"]
    for key in ("errors", "warnings", "duplicates"):
        fields[key] = [tuple(row) for row in fields[key]]
    return BuildSummary(**fields)


def _parse(line: bytes) -> dict:
    try:
        message = json.loads(line)
    except ValueError:
        return {}
    return message if isinstance(message, dict) else {}


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)     # the child and its worker
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _send(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    raw_dir, db_path = argv[0], argv[1]
    try:
        os.nice(CHILD_NICENESS)
    except OSError:
        pass
    try:
        summary = build(raw_dir, db_path, workers=1, log=lambda line: None, allow_shrink="--allow-shrink" in argv,
                        on_progress=lambda done, total: _send({"progress": [done, total]}),
                        shards_dir=next((a.split("=", 1)[1] for a in argv if a.startswith("--shards=")), None))
    except Exception as e:
        _send({"error": f"{type(e).__name__}: {e}"})
        return 3
    _send({"summary": dataclasses.asdict(summary)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
