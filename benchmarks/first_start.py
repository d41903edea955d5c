"""A hosted dashboard's first visit: the first render with a prebuilt warehouse vs a cold build.

    python -m benchmarks.first_start [--repeat 3] [--raw data/raw]

Builds the warehouse of --raw with the real ETL and publishes it (`python -m etl publish`),
serves it from a local HTTP server, then starts the app fresh in a child process (AppTest,
first run, no warehouse on disk: a server's first visit) : EPW_PREBUILT a link, a path, unset
(the dashboard builds from the documents), and, for the floor, the warehouse already on disk.
Prints the median and every run with the load average.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from etl.warehouse import prebuilt

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, sys, time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=600)
started = time.perf_counter()
at.run()
seconds = time.perf_counter() - started
print("RESULT " + json.dumps({"seconds": seconds, "exception": bool(at.exception), "errors": len(at.error),
                              "warnings": [w.value for w in at.warning]}))
"""


def first_render(env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "app.py")], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, timeout=900)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(line[len("RESULT "):])


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.first_start", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="epw-first-start-") as tmp:
        tmp = Path(tmp)
        built, published = tmp / "built.duckdb", tmp / "pub" / "warehouse.duckdb"
        for cmd in (["build", "--raw", str(args.raw), "--db", str(built), "--quiet"],
                    ["publish", "--db", str(built), "--out", str(published)]):
            subprocess.run([sys.executable, "-m", "etl", *cmd], cwd=ROOT, check=True, capture_output=True)
        sha = (published.parent / "warehouse.duckdb.sha256").read_text().split()[0]
        handler = functools.partial(_Quiet, directory=str(published.parent))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        link = f"http://127.0.0.1:{server.server_address[1]}/warehouse.duckdb"
        ways = {
            "prebuilt link": {"EPW_PREBUILT": link, "EPW_PREBUILT_SHA256": sha},
            "prebuilt path": {"EPW_PREBUILT": str(published)},
            "cold build": {"EPW_PREBUILT": ""},
            "already there": {"EPW_PREBUILT": ""},      # the warehouse on disk: the floor
        }
        print(f"warehouse {published.stat().st_size / 2**20:.1f} MB from {args.raw}; load average {load()}")
        results = {}
        for i in range(args.repeat):
            for name, env in ways.items():
                db = tmp / f"{name.replace(' ', '-')}-{i}" / "warehouse.duckdb"
                if name == "already there":
                    db.parent.mkdir()
                    shutil.copy(published, db)
                r = first_render({**env, "EPW_DB": str(db), "EPW_RAW": str(args.raw), "EPW_UPLOADS": ""})
                if r["exception"] or r["errors"] or r["warnings"]:
                    raise SystemExit(f"{name}: the first render failed: {r}")
                results.setdefault(name, []).append(r["seconds"])
                print(f"  {name:14s} run {i + 1}: {r['seconds']:.2f} s (load average {load()})", flush=True)
        installs = {}
        for i in range(args.repeat):        # the install alone, in this process: fetch, check, swap in
            for name, location in (("link", link), ("path", str(published))):
                outcome = prebuilt.install_within(prebuilt.Source(location, sha), tmp / f"install-{name}-{i}" / "w.duckdb")
                if not outcome.installed:
                    raise SystemExit(f"install from a {name} failed: {outcome.reason}")
                installs.setdefault(name, []).append(outcome.seconds)
        server.shutdown()
    print("first render, median of", args.repeat)
    for name, times in results.items():
        print(f"  {name:14s} {statistics.median(times):6.2f} s   ({', '.join(f'{t:.2f}' for t in times)})")
    for name, times in installs.items():
        print(f"  install alone from a {name}: {statistics.median(times):.2f} s (median; "
              f"{', '.join(f'{t:.2f}' for t in times)})")
    print(f"load average at the end {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
