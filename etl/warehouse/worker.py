"""Documents read in worker processes, each under limits: wall time, CPU time and memory.

`Runner` runs process_document over the documents of a build in a pool of worker processes
(forked from the build, so they share its warmed-up stages), a batch of documents per task (the
rows of a batch go into one set of shard files), and yields the results as batches come.
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
Of each batch cut short, the document being read (each worker notes which) is then read alone by
a fresh worker, so that a document that kills its worker is named, and the batch's other
documents are read again, so that none is lost.
"""
from __future__ import annotations

import functools
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
import uuid
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from etl import config
from etl.pipeline import WORKER_DIED_STAGE, DocumentResult, collect, document_parts
from etl.warehouse.shards import BatchWriter, PartSink, Target, commit, store

try:
    import resource
except ImportError:     # not on POSIX: no memory limit
    resource = None

IN_FLIGHT_PER_WORKER = 2    # batches queued per worker: workers never wait, memory stays bounded
# A task is a batch of documents (one set of shard files: fewer, larger files for the build to
# load): at most BATCH_MB MB of files, fewer when there would be under TASKS_PER_WORKER a worker
BATCH_MB = 4
TASKS_PER_WORKER = 4
TAPER_BATCHES = 2
TAPER_MIN = 8
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


class _Marks:
    """Which document of a batch this worker is reading: were the worker to die, the build reads
    that one alone and the rest of the batch again. The index is written over the last one in
    place (pwrite, padded): rewriting the file (truncating it) freed its block at every document,
    and on a file system mounted with `discard` each freed block waits for the disk (4 ms, a
    third of the time a worker spent asleep while there were documents to read)."""

    WIDTH = 12

    def __init__(self, key: str):
        self.fd = None
        if _notes_dir:
            try:
                self.fd = os.open(Path(_notes_dir, f"{key}.at"), os.O_WRONLY | os.O_CREAT, 0o644)
            except OSError:
                pass

    def __call__(self, index: int) -> None:
        if self.fd is not None:
            try:
                os.pwrite(self.fd, f"{index:<{self.WIDTH}}".encode("ascii"), 0)
            except OSError:
                pass

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _work_batch(batch: list[tuple[str, str, str]], target: Target | None, key: str) -> list:
    """A batch of documents in this worker, each under the limits (_work). With a target, their
    rows go into one batch of shards (etl/warehouse/shards.py), written a part at a time, and what
    goes back to the build is a small note per document, not the rows."""
    mark = _Marks(key)
    try:
        if target is None:
            out = []
            for i, args in enumerate(batch):
                mark(i)
                out.append(_work(args))
            return out
        writer = BatchWriter(target)
        notes = []
        try:
            for i, args in enumerate(batch):
                mark(i)
                sink = PartSink(writer)
                notes.append(store(_work(args, sink), writer, sink))
        except BaseException:
            writer.abort()
            raise
    finally:
        mark.close()
    notes = commit(writer, notes)
    _trim()
    return notes


def _trim() -> None:
    """The C heap's free memory back to the system: a document's large strings and the parsers'
    buffers (malloc'd outside Python's own arenas) otherwise stay in the worker, freed but held,
    the largest a worker ever read, in every worker, for the whole build."""
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError):
        pass


@functools.cache
def _libc():
    import ctypes
    return ctypes.CDLL(None)


def batches(todo: list[tuple[str, str, str]], workers: int, batch_mb: float) -> list[list[tuple[str, str, str]]]:
    """The documents in the listing's order, cut into batches of at most batch_mb MB of files, or
    fewer when that would leave fewer than TASKS_PER_WORKER batches a worker."""
    sizes = []
    for path, _, _ in todo:
        try:
            sizes.append(os.stat(path).st_size)
        except OSError:
            sizes.append(0)
    cap = max(1, min(int(batch_mb * MB), sum(sizes) // max(1, workers * TASKS_PER_WORKER)))
    out, current, size = [], [], 0
    left = sum(sizes)
    for args, n in zip(todo, sizes):
        if current and size + n > _tapered(cap, left, workers):
            out.append(current)
            current, size = [], 0
        current.append(args)
        size += n
        left -= n
    if current:
        out.append(current)
    return out


def _tapered(cap: int, left: int, workers: int) -> int:
    """A batch's size near the end: batches shrink once fewer than TAPER_BATCHES full ones a
    worker are left, so that the workers finish together (a worker's last batch, were it full,
    could keep it reading alone for seconds while the others wait), down to a TAPER_MIN-th of cap."""
    return max(cap // TAPER_MIN, min(cap, left // max(1, workers * TAPER_BATCHES)))


class Runner:
    """_work over the documents, in worker processes, a batch of documents per task (`batches`);
    iterating yields the results as their batches come (with `shards`, each worker writes its
    batches' shards there and yields `Stored` notes). `whole`: the documents are one batch (a Dask
    task's). `close()` ends the workers (abort=True: at once, without waiting for batches in flight)."""

    def __init__(self, todo: list[tuple[str, str, str]], workers: int, limits: Limits | None = None,
                 shards: Target | None = None, batch_mb: float = BATCH_MB, whole: bool = False):
        self.target = shards
        self.workers = max(1, min(workers, len(todo)))
        self.queue = deque(([todo] if whole else batches(todo, self.workers, batch_mb)) if todo else [])
        self.limits = limits or Limits.from_settings()
        self.notes = tempfile.mkdtemp(prefix="epw-worker-notes-")
        self.in_flight: dict[Future, tuple[str, list]] = {}
        self.last_of_batch = False  # the result just yielded ends its batch
        self.pool = self._new_pool(self.workers) if todo else None
        if self.pool:
            self._fill()        # the fork context forks every worker at the first submit

    def _new_pool(self, n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n, mp_context=mp.get_context("fork" if sys.platform != "win32" else "spawn"),
                                   initializer=_worker_init, initargs=(os.getpid(), self.limits, self.notes))

    def _submit(self, pool: ProcessPoolExecutor, batch: list) -> tuple[Future, str]:
        key = uuid.uuid4().hex
        return pool.submit(_work_batch, batch, self.target, key), key

    def _fill(self) -> None:
        while self.queue and len(self.in_flight) < self.workers * IN_FLIGHT_PER_WORKER:
            batch = self.queue.popleft()
            try:
                f, key = self._submit(self.pool, batch)
            except BrokenProcessPool:   # a worker died: __iter__ finds out and starts a new pool
                self.queue.appendleft(batch)
                return
            self.in_flight[f] = (key, batch)

    def _restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new_pool(self.workers)

    def __iter__(self):
        while self.in_flight or self.queue:
            if not self.in_flight:  # the pool broke between two batches: none was lost
                self._restart()
                self._fill()
                continue
            done, _ = wait(self.in_flight, return_when=FIRST_COMPLETED)
            suspects = []
            for f in done:
                key, batch = self.in_flight.pop(f)
                if isinstance(f.exception(), BrokenProcessPool):
                    suspects.append((key, batch))
                else:
                    yield from self._ending(self._results(f, batch))
            if suspects:
                # the pool is gone: keep what completed; of each batch cut short, the document being
                # read is read alone, the others again as a batch (a batch not begun, again whole)
                self.pool.shutdown(wait=True, cancel_futures=True)
                for f, (key, batch) in self.in_flight.items():
                    if f.done() and not f.cancelled() and not isinstance(f.exception(), BrokenProcessPool):
                        yield from self._ending(self._results(f, batch))
                    else:
                        suspects.append((key, batch))
                self.in_flight.clear()
                for key, batch in suspects:
                    at = self._at(key)
                    if at is None:
                        self.queue.appendleft(batch)
                        continue
                    rest = batch[:at] + batch[at + 1:]
                    if rest:
                        self.queue.appendleft(rest)
                    self.last_of_batch = True
                    yield self._noted(batch[at]) or self._alone(batch[at])
                self.pool = self._new_pool(self.workers)
            self._fill()

    @property
    def draining(self) -> bool:
        """Every batch is handed out: the build loads what comes at once (no worker waits on it)."""
        return not self.queue

    def _ending(self, results: list):
        for i, result in enumerate(results):
            self.last_of_batch = i == len(results) - 1
            if self.last_of_batch and not self.in_flight and not self.queue:
                self._release()
            yield result

    def _release(self) -> None:
        """Every batch is read: the workers exit before the build loads and indexes the last one
        (their memory beside DuckDB's and the index writer's was the end of the build's peak)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    def _at(self, key: str) -> int | None:
        try:
            return int(Path(self.notes, f"{key}.at").read_text(encoding="ascii"))
        except (OSError, ValueError):
            return None

    def _noted(self, args: tuple[str, str, str]) -> DocumentResult | None:
        """The result of a document whose worker a watchdog ended, from the note it left."""
        note = Path(self.notes, _note_name(args))
        if not note.exists():
            return None
        return DocumentResult(args[1], args[2], errors=[(LIMIT_STAGE, note.read_text(encoding="utf-8"))])

    @staticmethod
    def _results(f: Future, batch: list) -> list:
        e = f.exception()
        if e is None:
            return f.result()
        # _work_batch catches every document's failure; this is a failure to send the results back
        return [DocumentResult(args[1], args[2], errors=[(WORKER_DIED_STAGE, f"{type(e).__name__}: {e}")])
                for args in batch]

    def _alone(self, args: tuple[str, str, str]) -> DocumentResult:
        with self._new_pool(1) as pool:
            f, _ = self._submit(pool, [args])
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
            return self._results(f, [args])[0]

    def close(self, abort: bool = False) -> None:
        if self.pool is not None:
            if abort:   # the build failed or was interrupted: do not wait for documents in flight
                for p in list((getattr(self.pool, "_processes", None) or {}).values()):
                    p.kill()
            self.pool.shutdown(wait=not abort, cancel_futures=True)
            self.pool = None
        shutil.rmtree(self.notes, ignore_errors=True)
