"""Build: every document of a folder into a fresh warehouse, swapped in atomically.

Incremental: a document whose bytes (sha256) are unchanged since the last
build, by the same ETL code, catalog and schema (`etl_fingerprint()`), is
copied from the old warehouse instead of processed again (a document that
failed keeps its error without being read again); a document removed from the
folder leaves the warehouse; if nothing changed at all, nothing is written.

Atomic: the new warehouse is written to a temporary file beside the old one
and renamed over it once complete (see write.py), so a reader sees either the
old or the new warehouse, and a build that dies leaves the old one intact.

Documents are processed in parallel worker processes and loaded in batches,
so memory stays flat however large the corpus.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import signal
import sys
import time
from collections import defaultdict, deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import config
from etl.warehouse import sources, write
from etl.pipeline import (DUPLICATE_STAGE, NON_FATAL_STAGES, WARNING_STAGE, WORKER_DIED_STAGE, DocumentResult,
                          process_document, warm_up)

# Rows are inserted in batches of about this many characters of text: DuckDB needs several
# times a batch's size while inserting it (200 documents at once cost 150 MB), and a bigger
# batch makes no faster build.
BATCH_CHARS = 2_000_000
IN_FLIGHT_PER_WORKER = 4    # documents queued per worker: workers never wait, memory stays bounded
# problems that cost no document: a damaged but loaded one, a bad row of sources.csv (skipped)
WARNING_STAGES = (WARNING_STAGE, sources.SOURCES_STAGE)


@dataclass
class BuildSummary:
    documents: int = 0          # documents in the warehouse after the build
    processed: int = 0          # documents read in this build (loaded or failed)
    reused: int = 0             # unchanged documents taken from the previous warehouse without reading them
    paragraphs: int = 0
    metrics: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)   # (file, stage, message): not loaded
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # loaded, but damaged
    duplicates: list[tuple[str, str]] = field(default_factory=list)    # (file, file it duplicates)
    seconds: float = 0.0
    unchanged: bool = False     # nothing to do: the warehouse was left as it was

    def line(self) -> str:
        if self.unchanged:
            return (f"warehouse up to date: {self.documents} documents, nothing changed, "
                    f"{len(self.errors)} errors ({self.seconds:.2f} s)")
        return (f"{self.documents} documents ({self.processed} processed, {self.reused} unchanged), "
                f"{self.paragraphs} paragraphs, {self.metrics} metrics, {len(self.errors)} errors, "
                f"{self.seconds:.1f} s")


def etl_fingerprint() -> str:
    """What decides the rows of a document besides its bytes: the ETL code, catalog and schema
    (which the rows of the old warehouse are copied into): etl.config.fingerprint()."""
    return config.fingerprint()


def list_documents(raw_dir: Path) -> list[tuple[Path, str]]:
    """(path, name relative to raw_dir) of every visible file, in a stable order; the origins
    file (sources.csv at the top) is not a document."""
    out = []
    for root, dirs, files in os.walk(raw_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and not (name == sources.SOURCES_FILE and Path(root) == Path(raw_dir)):
                path = Path(root) / name
                out.append((path, path.relative_to(raw_dir).as_posix()))
    return out


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build(raw_dir: str | Path = config.RAW_DEFAULT, db_path: str | Path = config.DB_DEFAULT, *,
          workers: int | None = None, progress: bool = False, log=None) -> BuildSummary:
    """Build (or refresh) the warehouse at db_path from the documents in raw_dir.

    `log` receives one line per problem (file and reason); by default it goes to stderr.
    Raises when the build cannot complete; the warehouse in place is then untouched."""
    started = time.perf_counter()
    raw_dir, db_path = Path(raw_dir), Path(db_path)
    log = log or _stderr
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"no such folder of documents: {raw_dir}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in write.remove_stale_temp_files(db_path):
        log(f"removed {stale.name}, left by a build that did not finish")
    summary = BuildSummary()
    notes = _Notes(summary, log)

    # which files there are; duplicates (same bytes, two names) are stored once
    listing = []
    files: dict[str, tuple[Path, str]] = {}
    sha_of_file: dict[str, str] = {}    # every name, duplicates included
    for path, rel in list_documents(raw_dir):
        try:
            digest = sha256_of(path)
        except OSError as e:
            notes.add(rel, None, "ingest", f"cannot read the file: {e.strerror or e}")
            continue
        listing.append(f"{rel}\t{digest}")
        sha_of_file[rel] = digest
        if digest in files:
            notes.duplicate(rel, digest, files[digest][1])
        else:
            files[digest] = (path, rel)
    # the origins: a change to sources.csv alone makes a new build (every document reused)
    origins, origin_problems = sources.read_sources(raw_dir, set(sha_of_file))
    sources_path = raw_dir / sources.SOURCES_FILE
    if sources_path.is_file():
        listing.append(f"{sources.SOURCES_FILE}\t{sha256_of(sources_path)}")
    fingerprint = etl_fingerprint()
    manifest = hashlib.sha256("\n".join(listing).encode()).hexdigest()

    previous = write.previous_build(db_path)
    reusable = previous is not None and previous["fingerprint"] == fingerprint
    if reusable and previous["manifest"] == manifest and not summary.errors:
        # same files, same code, catalog and schema: the warehouse in place is already this build
        summary.unchanged, summary.documents = True, len(previous["documents"])
        for file, _, stage, msg in previous["errors"]:
            if stage in WARNING_STAGES:
                summary.warnings.append((file, stage, msg))
            elif stage != DUPLICATE_STAGE:
                summary.errors.append((file, stage, msg))
        summary.seconds = time.perf_counter() - started
        return summary

    # unchanged documents are not read again: loaded ones are copied, failed ones keep their error
    old_docs = previous["documents"] if reusable else {}
    old_notes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _, sha, stage, msg in (previous["errors"] if reusable else []):
        if sha and stage not in (DUPLICATE_STAGE, WORKER_DIED_STAGE):  # a dead worker is worth a retry
            old_notes[sha].append((stage, msg))
    old_failed = {sha for sha, rows in old_notes.items()
                  if sha not in old_docs and any(stage not in NON_FATAL_STAGES for stage, _ in rows)}
    keep = {sha: rel for sha, (_, rel) in files.items() if sha in old_docs}
    failed_before = {sha: rel for sha, (_, rel) in files.items() if sha in old_failed}
    todo = [(str(path), rel, sha) for sha, (path, rel) in files.items() if sha not in keep and sha not in failed_before]
    for sha, rel in sorted({**keep, **failed_before}.items(), key=lambda kv: kv[1]):
        for stage, msg in old_notes.get(sha, []):
            notes.add(rel, sha, stage, msg, unchanged=True)
    summary.reused = len(keep) + len(failed_before)
    for problem in origin_problems:
        notes.add(sources.SOURCES_FILE, None, sources.SOURCES_STAGE, problem)

    if todo:
        warm_up()               # once here, inherited by the workers forked below
        # the warmed-up objects are shared with the workers page by page until written to; a
        # collection in a worker would write to all of them (copying every page): not theirs to collect
        gc.freeze()
    runner = _Runner(todo, workers or os.cpu_count() or 1)  # forks before DuckDB starts threads here
    temp = write.temp_path_for(db_path)
    con = None
    try:
        con = write.create(temp)
        write.copy_unchanged(con, db_path, keep)
        _process(con, runner, summary, notes, progress)
        runner.close()
        # the workers have exited, and DuckDB keeps much of what the inserts allocated until its
        # connection closes: the final sort and search index start afresh, with more memory
        con.close()
        con = write.connect(temp, write.FINISH_MEMORY_LIMIT)
        write.insert_errors(con, notes.rows)
        sources.apply_origins(con, origins, sha_of_file)
        counts = con.execute("""SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM paragraphs),
                                       (SELECT count(*) FROM metrics)""").fetchone()
        summary.documents, summary.paragraphs, summary.metrics = counts
        summary.seconds = time.perf_counter() - started
        write.finish(con, {"fingerprint": fingerprint, "manifest": manifest, "raw_dir": str(raw_dir),
                          "seconds": f"{summary.seconds:.2f}", "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                          "documents": str(summary.documents), "metrics": str(summary.metrics)})
        con = None              # finish() closed it
        write.swap_in(temp, db_path)
    except BaseException:
        runner.close(abort=True)
        if con is not None:
            try:
                con.close()
            except Exception:
                pass
        write.remove_temp(temp)
        raise
    finally:
        gc.unfreeze()
    summary.seconds = time.perf_counter() - started
    return summary


class _Notes:
    """Errors, warnings and duplicates: into the summary, onto the console (file and reason) and,
    as `rows`, into ingest_errors."""

    def __init__(self, summary: BuildSummary, log):
        self.summary, self.log = summary, log
        self.rows: list[tuple[str, str | None, str, str]] = []   # (file, sha256, stage, message)

    def add(self, file: str, sha: str | None, stage: str, msg: str, unchanged: bool = False) -> None:
        self.rows.append((file, sha, stage, msg))
        if stage in WARNING_STAGES:
            self.summary.warnings.append((file, stage, msg))
            what = "warning"
        else:
            self.summary.errors.append((file, stage, msg))
            what = "error"
        self.log(f"{what}: {file}: {msg}" + (" (unchanged since the last build)" if unchanged else ""))

    def duplicate(self, file: str, sha: str, original: str) -> None:
        msg = f"same bytes as {original}; stored once"
        self.rows.append((file, sha, DUPLICATE_STAGE, msg))
        self.summary.duplicates.append((file, original))
        self.log(f"duplicate: {file}: {msg}")


def _work(args: tuple[str, str, str]) -> DocumentResult:
    return process_document(*args)


def _worker_init(parent: int) -> None:
    """Workers leave stopping to the build: Ctrl-C reaches the whole process group, but the build
    decides (it kills its workers when it gives up). And a worker dies with the build: were the
    build killed outright (SIGKILL), its workers would live on, orphaned, holding their memory."""
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


class _Runner:
    """process_document over the documents, in worker processes; iterating yields the results as
    they come.

    A worker that dies (killed, out of memory, a crash in a native library) breaks the pool: a
    ProcessPoolExecutor says so, where multiprocessing.Pool would wait forever for the lost task.
    The documents in flight are then read again one at a time, each by a fresh worker, so that a
    document that kills its worker is named and the others are not lost.
    """

    def __init__(self, todo: list[tuple[str, str, str]], workers: int):
        self.queue = deque(todo)
        self.workers = max(1, min(workers, len(todo)))
        self.in_flight: dict[Future, tuple[str, str, str]] = {}
        self.pool = self._new_pool(self.workers) if self.workers > 1 else None
        if self.pool:
            self._fill()        # the fork context forks every worker at the first submit

    @staticmethod
    def _new_pool(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n, mp_context=mp.get_context("fork" if sys.platform != "win32" else "spawn"),
                                   initializer=_worker_init, initargs=(os.getpid(),))

    def _fill(self) -> None:
        while self.queue and len(self.in_flight) < self.workers * IN_FLIGHT_PER_WORKER:
            args = self.queue.popleft()
            try:
                f = self.pool.submit(_work, args)
            except BrokenProcessPool:   # a worker died: __iter__ finds out and starts a new pool
                self.queue.appendleft(args)
                return
            self.in_flight[f] = args

    def _restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new_pool(self.workers)

    def __iter__(self):
        if self.pool is None:   # one worker: in this process, no pickling
            while self.queue:
                yield _work(self.queue.popleft())
            return
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
                    yield self._alone(args)
                self.pool = self._new_pool(self.workers)
            self._fill()

    @staticmethod
    def _result(f: Future, args: tuple[str, str, str]) -> DocumentResult:
        e = f.exception()
        if e is None:
            return f.result()
        # process_document catches everything; this is a failure to send the result back
        return DocumentResult(args[1], args[2], errors=[(WORKER_DIED_STAGE, f"{type(e).__name__}: {e}")])

    def _alone(self, args: tuple[str, str, str]) -> DocumentResult:
        with self._new_pool(1) as pool:
            f = pool.submit(_work, args)
            wait([f])
            if isinstance(f.exception(), BrokenProcessPool):
                return DocumentResult(args[1], args[2], errors=[(
                    WORKER_DIED_STAGE, "the worker process reading this document died "
                                       "(killed, out of memory, or a crash in a library)")])
            return self._result(f, args)

    def close(self, abort: bool = False) -> None:
        if self.pool is None:
            return
        if abort:   # the build failed or was interrupted: do not wait for documents in flight
            for p in list((getattr(self.pool, "_processes", None) or {}).values()):
                p.kill()
        self.pool.shutdown(wait=not abort, cancel_futures=True)
        self.pool = None


def _process(con, runner: _Runner, summary: BuildSummary, notes: _Notes, progress: bool) -> None:
    """Run the stages over the documents and load the results in batches."""
    batch: list[DocumentResult] = []
    chars = 0

    def flush():
        nonlocal chars
        if not batch:
            return
        try:
            _insert(con, batch)
        except duckdb.Error:
            # a row the warehouse refuses (a value out of range) must not cost the other documents
            # of the batch, nor the build: load them one at a time and name the one refused
            for result in batch:
                try:
                    _insert(con, [result])
                except duckdb.Error as e:
                    reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                    notes.add(result.file, result.sha256, "load", f"the warehouse refused its rows: {reason}")
        batch.clear()
        chars = 0

    bar, log = None, notes.log
    total = len(runner.queue) + len(runner.in_flight)
    if progress and total:
        from tqdm import tqdm
        bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)
        notes.log = lambda msg: bar.write(msg, file=sys.stderr)   # lines above the bar, not through it
    try:
        for result in runner:
            summary.processed += 1
            for stage, msg in result.errors:
                notes.add(result.file, result.sha256, stage, msg)
            for stage, msg in result.warnings:
                notes.add(result.file, result.sha256, stage, msg)
            if result.document is not None and not result.errors:
                batch.append(result)
                chars += result.document["n_chars"]
            if chars >= BATCH_CHARS:
                flush()
            if bar:
                bar.update(1)
        flush()
    finally:
        if bar:
            bar.close()
            notes.log = log


def _insert(con, results: list[DocumentResult]) -> None:
    """The rows of some documents, all or nothing."""
    con.begin()
    try:
        write.insert_documents(con, [r.document for r in results])
        write.insert_paragraphs(con, [row for r in results for row in r.paragraphs])
        write.insert_metrics(con, [row for r in results for row in r.metrics])
        con.commit()
    except BaseException:
        con.rollback()
        raise
