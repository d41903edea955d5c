"""Build: every document of a folder into a fresh warehouse, swapped in atomically.

Incremental: a document whose bytes (sha256) are unchanged since the last
build, by the same ETL code and catalog (`catalog.fingerprint()`), is copied
from the old warehouse instead of processed again; a document removed from
the folder leaves the warehouse; if nothing changed at all, nothing is written.
Documents are processed in parallel worker processes and loaded in batches,
so memory stays flat however large the corpus.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from etl import catalog, load
from etl.pipeline import DocumentResult, process_document

BATCH_DOCUMENTS = 200
BATCH_ROWS = 200_000


@dataclass
class BuildSummary:
    documents: int = 0          # documents in the warehouse after the build
    processed: int = 0          # documents read and extracted in this build
    reused: int = 0             # unchanged documents copied from the previous warehouse
    paragraphs: int = 0
    metrics: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)   # (file, stage, message)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)    # (file, file it duplicates)
    seconds: float = 0.0
    unchanged: bool = False     # nothing to do: the warehouse was left as it was

    def line(self) -> str:
        if self.unchanged:
            return f"warehouse up to date: {self.documents} documents, nothing changed ({self.seconds:.2f} s)"
        return (f"{self.documents} documents ({self.processed} processed, {self.reused} unchanged), "
                f"{self.paragraphs} paragraphs, {self.metrics} metrics, {len(self.errors)} errors, "
                f"{self.seconds:.1f} s")


def list_documents(raw_dir: Path) -> list[tuple[Path, str]]:
    """(path, name relative to raw_dir) of every visible file, in a stable order."""
    out = []
    for root, dirs, files in os.walk(raw_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(root) / name
                out.append((path, path.relative_to(raw_dir).as_posix()))
    return out


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _work(args: tuple[str, str, str]) -> DocumentResult:
    return process_document(*args)


def build(raw_dir: str | Path = "data/raw", db_path: str | Path = "data/warehouse.duckdb", *,
          workers: int | None = None, progress: bool = False, log=None) -> BuildSummary:
    """Build (or refresh) the warehouse at db_path from the documents in raw_dir."""
    started = time.perf_counter()
    raw_dir, db_path = Path(raw_dir), Path(db_path)
    log = log or (lambda msg: print(msg, file=sys.stderr))
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"no such folder of documents: {raw_dir}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    load.remove_stale_temp_files(db_path)
    summary = BuildSummary()

    # which files are new or changed; duplicates (same bytes, two names) are stored once
    listing = []
    files: dict[str, tuple[Path, str]] = {}
    for path, rel in list_documents(raw_dir):
        try:
            digest = sha256_of(path)
        except OSError as e:
            summary.errors.append((rel, "ingest", f"cannot read the file: {e.strerror or e}"))
            continue
        listing.append(f"{rel}\t{digest}")
        if digest in files:
            summary.duplicates.append((rel, files[digest][1]))
        else:
            files[digest] = (path, rel)
    fingerprint = catalog.fingerprint()
    manifest = hashlib.sha256("\n".join(listing).encode()).hexdigest()

    previous = load.previous_build(db_path)
    reusable = previous is not None and previous["fingerprint"] == fingerprint
    if reusable and previous["manifest"] == manifest and not summary.errors:
        # same files, same code and catalog: the warehouse in place is already this build
        summary.unchanged, summary.documents = True, len(previous["documents"])
        summary.errors = [(f, stage, e) for f, _, stage, e in previous["errors"]]
        summary.seconds = time.perf_counter() - started
        return summary
    old_docs = previous["documents"] if reusable else {}
    keep = {sha: rel for sha, (_, rel) in files.items() if sha in old_docs}
    todo = [(str(path), rel, sha) for sha, (path, rel) in files.items() if sha not in old_docs]
    sha_of = {rel: sha for sha, (_, rel) in files.items()}

    temp = load.temp_path_for(db_path)
    con = load.create(temp)
    try:
        load.copy_unchanged(con, db_path, keep)
        summary.reused = len(keep)
        _process(con, todo, summary, workers, progress, log)
        load.insert_errors(con, [(f, sha_of.get(f), st, e) for f, st, e in summary.errors + summary.warnings])
        load.insert_errors(con, [(f, None, "duplicate", f"same bytes as {orig}; stored once")
                                 for f, orig in summary.duplicates])
        counts = con.execute("""SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM paragraphs),
                                       (SELECT count(*) FROM metrics)""").fetchone()
        summary.documents, summary.paragraphs, summary.metrics = counts
        summary.seconds = time.perf_counter() - started
        load.finish(con, {"fingerprint": fingerprint, "manifest": manifest, "raw_dir": str(raw_dir), "seconds": f"{summary.seconds:.2f}",
                          "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "documents": str(summary.documents),
                          "metrics": str(summary.metrics)})
        load.swap_in(temp, db_path)
    except BaseException:
        try:
            con.close()
        finally:
            temp.unlink(missing_ok=True)
            temp.with_name(temp.name + ".wal").unlink(missing_ok=True)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _process(con, todo: list[tuple[str, str, str]], summary: BuildSummary, workers: int | None,
             progress: bool, log) -> None:
    """Run the stages over the documents (in worker processes) and load results in batches."""
    workers = workers or os.cpu_count() or 1
    docs, paragraphs, metrics = [], [], []

    def flush():
        load.insert_documents(con, docs)
        load.insert_paragraphs(con, paragraphs)
        load.insert_metrics(con, metrics)
        docs.clear(), paragraphs.clear(), metrics.clear()

    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), unit="doc", file=sys.stderr, dynamic_ncols=True)
    if workers > 1 and len(todo) > 1:
        pool = mp.get_context("fork" if sys.platform != "win32" else "spawn").Pool(workers)
        results = pool.imap_unordered(_work, todo, chunksize=max(1, min(16, len(todo) // (workers * 8))))
    else:
        pool, results = None, map(_work, todo)
    try:
        for result in results:
            for stage, msg in result.errors:
                summary.errors.append((result.file, stage, msg))
                log(f"error: {result.file}: {msg}")
            for stage, msg in result.warnings:
                summary.warnings.append((result.file, stage, msg))
                log(f"warning: {result.file}: {msg}")
            if result.document is not None:
                summary.processed += 1
                docs.append(result.document)
                paragraphs.extend(result.paragraphs)
                metrics.extend(result.metrics)
            if len(docs) >= BATCH_DOCUMENTS or len(metrics) + len(paragraphs) >= BATCH_ROWS:
                flush()
            if bar:
                bar.update(1)
        flush()
    finally:
        if pool is not None:
            pool.terminate()
        if bar:
            bar.close()
