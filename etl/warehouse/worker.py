"""Documents read in worker processes, each under limits: wall time, CPU time and memory.

`Runner` runs process_document over the documents of a build in a pool of worker processes
(forked from the build, so they share its warmed-up stages) and yields the results as they come.
Every document is read in a worker, never in the build's own process, so that a hostile file
costs at most its limits (settings EPW_DOC_SECONDS, EPW_DOC_CPU_SECONDS, EPW_DOC_MEMORY_MB):

- CPU and wall time: interval timers (ITIMER_PROF, ITIMER_REAL) raise LimitExceeded in the
  worker, which reports the document as over the limit and takes the next one. A worker stuck
  in a library past the wall time (no Python code runs there to raise) is ended by a watchdog
  thread, which first leaves a note naming the document and the limit.
- Memory: the worker's address space may grow by EPW_DOC_MEMORY_MB while it reads a document
  (RLIMIT_AS); past it an allocation fails (MemoryError), the document is reported, and its
  memory is freed as the error unwinds.

A worker that dies anyway (killed, the OOM killer, a crash in a native library) breaks the pool: a
ProcessPoolExecutor says so, where multiprocessing.Pool would wait forever for the lost task.
The documents in flight are then read again one at a time, each by a fresh worker, so that a
document that kills its worker is named and the others are not lost.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections import deque
from functools import partial
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from etl import config
from etl.pipeline import WORKER_DIED_STAGE, DocumentResult, collect, document_parts
from etl.warehouse.shards import PartSink, Stored, Target, store

try:
    import resource
except ImportError:     # not on POSIX: no memory limit
    resource = None

IN_FLIGHT_PER_WORKER = 4    # documents queued per worker: workers never wait, memory stays bounded
LIMIT_STAGE = "limit"       # ingest_errors.stage of a document over a limit
STUCK_GRACE_SECONDS = 5     # past its wall time, a worker stuck in a library is ended this much later
MB = 1024 * 1024
_ALLOC = re.compile(r"MemoryError|allocat|out of memory", re.I)


@dataclass(frozen=True)
class Limits:
    seconds: int
    cpu_seconds: int
    memory_mb: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(config.setting_int("EPW_DOC_SECONDS"), config.setting_int("EPW_DOC_CPU_SECONDS"),
                   config.setting_int("EPW_DOC_MEMORY_MB"))


class LimitExceeded(BaseException):
    """Raised in a worker when its document runs over a limit. A BaseException, so that the
    `except Exception` of a library (or of the stages) cannot swallow it and carry on."""

    def __init__(self, setting: str, what: str):
        super().__init__(f"over the limit {setting}={config.setting_int(setting)}: {what}")


_limits: Limits | None = None       # set in each worker by _worker_init
_notes_dir: str | None = None       # where a watchdog names the document it ended its worker over


def _worker_init(parent: int, limits: Limits, notes_dir: str) -> None:
    """Workers leave stopping to the build: Ctrl-C reaches the whole process group, but the build
    decides (it kills its workers when it gives up). And a worker dies with the build: were the
    build killed outright (SIGKILL), its workers would live on, orphaned, holding their memory."""
    global _limits, _notes_dir
    _limits, _notes_dir = limits, notes_dir
    # a limit's exception raised while a garbage-collection callback runs would be swallowed by it
    # (a Dask worker registers one, which its forked processes inherit): a worker has none
    gc.callbacks.clear()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


def _note_name(args: tuple[str, str, str]) -> str:
    return hashlib.sha256(f"{args[1]}\0{args[2]}".encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _on_wall(signum, frame):
    raise LimitExceeded("EPW_DOC_SECONDS", f"reading it took more than {_limits.seconds} s")


def _on_cpu(signum, frame):
    raise LimitExceeded("EPW_DOC_CPU_SECONDS", f"reading it took more than {_limits.cpu_seconds} s of CPU time")


def _memory_message() -> str:
    return (f"over the limit EPW_DOC_MEMORY_MB={_limits.memory_mb}: reading it needed more than "
            f"{_limits.memory_mb} MB")


def _status_kb(field: str) -> int:
    """A field of /proc/self/status in kB (VmRSS, VmHWM: the peak resident memory), 0 if unknown."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:   # "5": VmHWM starts again from VmRSS
            f.write("5")
    except OSError:
        pass


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _work(args: tuple[str, str, str], sink=None) -> DocumentResult:
    """A document's parts (etl.pipeline.document_parts) in this worker, under the limits; each
    part goes through `sink` (a shards.PartSink, which writes its rows) before it is kept."""
    path, rel, sha = args
    limits = _limits

    def stuck():    # in a library past the wall time: no Python code runs there to stop it
        Path(_notes_dir, _note_name(args)).write_text(
            f"over the limit EPW_DOC_SECONDS={limits.seconds}: reading it took more than "
            f"{limits.seconds} s (stuck in a library)", encoding="utf-8")
        os._exit(3)

    watchdog = threading.Timer(limits.seconds + STUCK_GRACE_SECONDS, stuck)
    watchdog.daemon = True
    watchdog.start()    # before the memory limit: a thread's stack is address space too
    memory = resource.getrlimit(resource.RLIMIT_AS) if resource else None
    space = _address_space()
    signal.signal(signal.SIGALRM, _on_wall)
    signal.signal(signal.SIGPROF, _on_cpu)
    try:
        try:
            if memory and space:
                resource.setrlimit(resource.RLIMIT_AS, (space + limits.memory_mb * MB, memory[1]))
            signal.setitimer(signal.ITIMER_REAL, limits.seconds)
            signal.setitimer(signal.ITIMER_PROF, limits.cpu_seconds)
            resident = _status_kb("VmRSS")
            _reset_peak()
            parts = document_parts(path, rel, sha)      # a large document comes in parts
            result = collect(map(sink, parts) if sink else parts)
            # a library that cannot allocate does not always raise MemoryError (lxml: "unknown
            # error", zlib: "Unable to allocate output buffer"): a failure that says so, or that
            # came after the resident memory neared the limit, is the limit's
            grew = (_status_kb("VmHWM") - resident) * 1024 if resident else 0
            if result.errors and (grew > 0.7 * limits.memory_mb * MB or _ALLOC.search(result.errors[0][1])):
                result.errors = [(LIMIT_STAGE, f"{_memory_message()} ({result.errors[0][1]})")]
            return result
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.setitimer(signal.ITIMER_PROF, 0)
            if memory and space:
                resource.setrlimit(resource.RLIMIT_AS, memory)
    except LimitExceeded as e:
        return DocumentResult(rel, sha, errors=[(LIMIT_STAGE, str(e))])
    except MemoryError:
        return DocumentResult(rel, sha, errors=[(LIMIT_STAGE, _memory_message())])
    finally:
        watchdog.cancel()


def _work_to_shard(args: tuple[str, str, str], target: Target) -> Stored:
    """_work, the document's rows written as its shard (etl/warehouse/shards.py) by this worker a
    part at a time: what goes back to the build is a small note, not the rows."""
    sink = PartSink(target)
    return store(_work(args, sink), target, sink)


class Runner:
    """_work over the documents, in worker processes; iterating yields the results as they come
    (with `shards`, each worker writes its documents' shards there and yields `Stored` notes).
    `close()` ends the workers (abort=True: at once, without waiting for documents in flight)."""

    def __init__(self, todo: list[tuple[str, str, str]], workers: int, limits: Limits | None = None,
                 shards: Target | None = None):
        self.task = partial(_work_to_shard, target=shards) if shards else _work
        self.queue = deque(todo)
        self.workers = max(1, min(workers, len(todo)))
        self.limits = limits or Limits.from_settings()
        self.notes = tempfile.mkdtemp(prefix="epw-worker-notes-")
        self.in_flight: dict[Future, tuple[str, str, str]] = {}
        self.pool = self._new_pool(self.workers) if todo else None
        if self.pool:
            self._fill()        # the fork context forks every worker at the first submit

    def _new_pool(self, n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n, mp_context=mp.get_context("fork" if sys.platform != "win32" else "spawn"),
                                   initializer=_worker_init, initargs=(os.getpid(), self.limits, self.notes))

    def _fill(self) -> None:
        while self.queue and len(self.in_flight) < self.workers * IN_FLIGHT_PER_WORKER:
            args = self.queue.popleft()
            try:
                f = self.pool.submit(self.task, args)
            except BrokenProcessPool:   # a worker died: __iter__ finds out and starts a new pool
                self.queue.appendleft(args)
                return
            self.in_flight[f] = args

    def _restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new_pool(self.workers)

    def __iter__(self):
        while self.in_flight or self.queue:
            if not self.in_flight:  # the pool broke between two documents: none was lost
                self._restart()
                self._fill()
                continue
            done, _ = wait(self.in_flight, return_when=FIRST_COMPLETED)
            suspects = []
            for f in done:
                args = self.in_flight.pop(f)
                if isinstance(f.exception(), BrokenProcessPool):
                    suspects.append(args)
                else:
                    yield self._result(f, args)
            if suspects:
                # the pool is gone: keep what completed, read every other document in flight alone
                self.pool.shutdown(wait=True, cancel_futures=True)
                for f, args in self.in_flight.items():
                    if f.done() and not f.cancelled() and not isinstance(f.exception(), BrokenProcessPool):
                        yield self._result(f, args)
                    else:
                        suspects.append(args)
                self.in_flight.clear()
                for args in suspects:
                    yield self._noted(args) or self._alone(args)
                self.pool = self._new_pool(self.workers)
            self._fill()

    def _noted(self, args: tuple[str, str, str]) -> DocumentResult | None:
        """The result of a document whose worker a watchdog ended, from the note it left."""
        note = Path(self.notes, _note_name(args))
        if not note.exists():
            return None
        return DocumentResult(args[1], args[2], errors=[(LIMIT_STAGE, note.read_text(encoding="utf-8"))])

    @staticmethod
    def _result(f: Future, args: tuple[str, str, str]) -> DocumentResult:
        e = f.exception()
        if e is None:
            return f.result()
        # _work catches everything; this is a failure to send the result back
        return DocumentResult(args[1], args[2], errors=[(WORKER_DIED_STAGE, f"{type(e).__name__}: {e}")])

    def _alone(self, args: tuple[str, str, str]) -> DocumentResult:
        with self._new_pool(1) as pool:
            f = pool.submit(self.task, args)
            processes = list((getattr(pool, "_processes", None) or {}).values())
            wait([f])
            if isinstance(f.exception(), BrokenProcessPool):
                noted = self._noted(args)
                if noted:
                    return noted
                codes = [p.exitcode for p in processes if p.exitcode]
                how = (f"signal {-codes[0]}" if codes[0] < 0 else f"exit status {codes[0]}") if codes else ""
                return DocumentResult(args[1], args[2], errors=[(
                    WORKER_DIED_STAGE, "the worker process reading this document died "
                                       f"(killed, out of memory, or a crash in a library{': ' + how if how else ''})")])
            return self._result(f, args)

    def close(self, abort: bool = False) -> None:
        if self.pool is not None:
            if abort:   # the build failed or was interrupted: do not wait for documents in flight
                for p in list((getattr(self.pool, "_processes", None) or {}).values()):
                    p.kill()
            self.pool.shutdown(wait=not abort, cancel_futures=True)
            self.pool = None
        shutil.rmtree(self.notes, ignore_errors=True)
