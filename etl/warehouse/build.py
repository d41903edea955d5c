"""Build: every document of a folder into a fresh warehouse, swapped in atomically.

Incremental: a document whose bytes (sha256) are unchanged since the last
build, by the same ETL code, catalog and schema (`etl_fingerprint()`), is
copied from the old warehouse instead of processed again, or else taken from
its shard when a build wrote one (a build that died leaves the shards of the
documents it had read); a document that failed keeps its error without being
read again; a document removed from the folder leaves the warehouse; if nothing
changed at all, nothing is written.

Atomic: the new warehouse is written to a temporary file beside the old one
and renamed over it once complete (see write.py), so a reader sees either the
old or the new warehouse, and a build that dies leaves the old one intact.

Documents are processed in parallel worker processes (engine "local") or Dask tasks (engine
"dask", etl/warehouse/cluster.py); each worker writes a document's rows as a Parquet shard
(shards.py: one set of Parquet files per batch of documents) and DuckDB reads the shards into
the new warehouse in batches, so memory stays flat however large the corpus and the build
process never handles a row but to index it: each batch's paragraphs go into the tantivy index
once loaded (search/tantivy_feed.py), while the workers read the next documents.
"""
from __future__ import annotations

import gc
import hashlib
import os
import re
import stat
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import config
from etl.warehouse import cluster, folders, shards, sources, write
from etl.warehouse.search import tantivy_feed, tantivy_index
from etl.pipeline import DUPLICATE_STAGE, NON_FATAL_STAGES, WARNING_STAGE, WORKER_DIED_STAGE, warm_up
from etl.warehouse.worker import Runner

# Shards are loaded in batches of about this many characters of text: one transaction each (one
# read_parquet over their files per table), so that a batch's memory is bounded and a shard the
# warehouse refuses costs only its document.
BATCH_CHARS = 4_000_000
ENGINES = ("local", "dask")
# problems that cost no document: a damaged but loaded one, a bad row of sources.csv (skipped)
WARNING_STAGES = (WARNING_STAGE, sources.SOURCES_STAGE)
# A folder that would leave fewer than this share of the warehouse's documents (none, most often:
# an empty, unmounted or unreadable folder) does not replace it, unless allow_shrink is given.
SHRINK_KEEP = 0.5


class DiskFull(Exception):
    """No room left to write the new warehouse: the build stops at once (no document is to blame)."""


_is_disk_full = shards.is_disk_full


class ShrinkRefused(Exception):
    """The folder holds far fewer documents than the warehouse in place: it is left as it was."""


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


@dataclass
class Listing:
    files: list[tuple[Path, str]] = field(default_factory=list)   # (path to read, name recorded)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (name recorded, why it is not read)
    renamed: list[tuple[str, str]] = field(default_factory=list)   # (name recorded, why: not UTF-8)


def recorded_name(rel: str) -> str:
    """A name relative to the raw folder as it is recorded: bytes that are not UTF-8 (a GBK name
    unzipped on Linux) are written as \\xNN escapes, so the name can be stored and shown."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def list_documents(raw_dir: Path) -> Listing:
    """Every visible regular file inside raw_dir, in a stable order. Not read, and said why: a
    folder that cannot be listed, a FIFO, device or socket (reading one would hang or never end),
    a symbolic link that leads out of raw_dir (or to something other than a regular file).
    A link to a file inside raw_dir is read under its own name."""
    listing = Listing()
    root_real = os.path.realpath(raw_dir)

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or raw_dir)
        try:
            rel = where.relative_to(raw_dir).as_posix()
        except ValueError:
            rel = str(where)
        listing.problems.append((recorded_name(rel) + "/",
                                 f"cannot read the folder: {error.strerror or error}"))

    for root, dirs, files in os.walk(raw_dir, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in [d for d in dirs if os.path.islink(os.path.join(root, d))]:   # os.walk does not enter them
            dirs.remove(d)
            listing.problems.append((recorded_name((Path(root) / d).relative_to(raw_dir).as_posix()) + "/",
                                     "a symbolic link to a folder: not followed"))
        for name in sorted(files):
            if name.startswith(".") or (name == sources.SOURCES_FILE and Path(root) == Path(raw_dir)):
                continue   # hidden files; the origins file (sources.csv at the top) is not a document
            path = Path(root) / name
            rel = recorded_name(path.relative_to(raw_dir).as_posix())
            if rel != path.relative_to(raw_dir).as_posix():
                listing.renamed.append((rel, "the file name is not valid UTF-8; recorded with \\x escapes"))
            why, target = _not_readable(path, root_real)
            if why:
                listing.problems.append((rel, why))
            else:
                listing.files.append((target, rel))
    return listing


def _not_readable(path: Path, root_real: str) -> tuple[str | None, Path]:
    """(why the file is not read, or None; the path to read)."""
    try:
        st = os.lstat(path)
        target = path
        if stat.S_ISLNK(st.st_mode):
            real = os.path.realpath(path)
            if os.path.commonpath([real, root_real]) != root_real:
                return "a symbolic link to a file outside the folder of documents: not read", path
            target, st = Path(real), os.stat(real)
    except OSError as e:
        return f"cannot read the file: {e.strerror or e}", path
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a FIFO, device or socket): not read", path
    return None, target


def sha256_of(path: Path) -> str:
    """Of a regular file, opened without following a link and without waiting on a FIFO
    (a file may be swapped for one after it was listed)."""
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def shards_root(db_path: Path, shards_dir: str | Path | None = None) -> str:
    """Where the shards go: shards_dir, else $EPW_SHARDS (relative: from the project root), else
    .NAME.shards beside the warehouse. A local folder is made absolute (workers resolve it alike)."""
    root = str(shards_dir or "") or config.setting_text("EPW_SHARDS")
    if not root:
        return str(db_path.resolve().parent / f".{db_path.name}.shards")
    if "://" in root:
        return root
    path = Path(root)
    if not path.is_absolute():
        path = (config.ROOT / path) if not shards_dir else path.resolve()
    return str(path)


def build(raw_dir: str | Path = config.RAW_DEFAULT, db_path: str | Path = config.DB_DEFAULT, *,
          workers: int | None = None, progress: bool = False, log=None, allow_shrink: bool = False,
          on_progress=None, engine: str = "local", scheduler: str | None = None,
          shards_dir: str | Path | None = None) -> BuildSummary:
    """Build (or refresh) the warehouse at db_path from the documents in raw_dir.

    engine "local" reads the documents in `workers` processes of this machine; "dask" maps the
    same function over a dask.distributed cluster (the scheduler at `scheduler`, else a
    LocalCluster of `workers` processes). Both write shards to `shards_dir` (see shards_root).

    `log` receives one line per problem (file and reason); by default it goes to stderr;
    `on_progress(done, total)` is called as documents are read. Raises ShrinkRefused when the
    folder would leave fewer than SHRINK_KEEP of the warehouse's documents (unless allow_shrink).
    Raises when the build cannot complete; the warehouse in place is then untouched."""
    started = time.perf_counter()
    raw_dir, db_path = Path(raw_dir), Path(db_path)
    log = log or _stderr
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"no such folder of documents: {raw_dir}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in write.remove_stale_temp_files(db_path):
        log(f"removed {stale.name}, left by a build that did not finish")
    summary = BuildSummary()
    notes = _Notes(summary, log)

    # which files there are; duplicates (same bytes, two names) are stored once
    listing = []
    files: dict[str, tuple[Path, str]] = {}
    sha_of_file: dict[str, str] = {}    # every name, duplicates included
    found = list_documents(raw_dir)
    uploads = folders.separate_uploads(raw_dir)     # EPW_UPLOADS outside raw_dir: read too, as uploads/…
    if uploads is not None and uploads.is_dir():
        extra = list_documents(uploads)
        folders.merge_listing(found.files, found.problems, found.renamed, extra.files, extra.problems, extra.renamed)
    for rel, why in found.problems:
        notes.add(rel, None, "ingest", why)
    for rel, why in found.renamed:
        notes.add(rel, None, WARNING_STAGE, why)
    for path, rel in found.files:
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
    origins, origin_problems = folders.read_origins(raw_dir, set(sha_of_file))
    for name, sources_path in folders.origin_files(raw_dir):
        listing.append(f"{name}\t{sha256_of(sources_path)}")
    fingerprint = etl_fingerprint()
    manifest = hashlib.sha256("\n".join(listing).encode()).hexdigest()

    previous = write.previous_build(db_path)
    before = len(previous["documents"]) if previous else 0
    if before and len(files) < before * SHRINK_KEEP and not allow_shrink:
        raise ShrinkRefused(f"{raw_dir} holds {len(files)} readable document(s) where the warehouse has {before}: "
                            "left as it was (an empty or unmounted folder?); --allow-shrink replaces it")
    reusable = previous is not None and previous["fingerprint"] == fingerprint
    limits_changed = previous is not None and any(_limit_changed(row[3]) for row in previous["errors"])
    if reusable and previous["manifest"] == manifest and not summary.errors and not limits_changed:
        # same files, same code, catalog and schema: the warehouse in place is already this build
        summary.unchanged, summary.documents = True, len(previous["documents"])
        tantivy_index.build_beside(db_path, db_path)   # a warehouse of older code may lack its search folder
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
        # a dead worker is worth a retry, and so is a document over a limit that has changed since
        if sha and stage not in (DUPLICATE_STAGE, WORKER_DIED_STAGE) and not _limit_changed(msg):
            old_notes[sha].append((stage, msg))
    old_failed = {sha for sha, rows in old_notes.items()
                  if sha not in old_docs and any(stage not in NON_FATAL_STAGES for stage, _ in rows)}
    keep = {sha: rel for sha, (_, rel) in files.items() if sha in old_docs}
    failed_before = {sha: rel for sha, (_, rel) in files.items() if sha in old_failed}
    target = shards.Target(shards_root(db_path, shards_dir), fingerprint)
    todo, from_shards = [], {}
    # read by an earlier build (one that died, say, or another warehouse's over the same folder)
    cached = shards.catalogue(target, {sha for sha in files if sha not in keep and sha not in failed_before})
    for sha, (path, rel) in files.items():
        if sha in keep or sha in failed_before:
            continue
        entry = cached.get(sha)
        if entry is not None:
            from_shards[sha] = (entry, rel)
            for stage, msg in entry.warnings:
                notes.add(rel, sha, stage, msg, unchanged=True)
        else:
            todo.append((str(path), rel, sha))
    for sha, rel in sorted({**keep, **failed_before}.items(), key=lambda kv: kv[1]):
        for stage, msg in old_notes.get(sha, []):
            notes.add(rel, sha, stage, msg, unchanged=True)
    summary.reused = len(keep) + len(failed_before) + len(from_shards)
    for problem in origin_problems:
        notes.add(sources.SOURCES_FILE, None, sources.SOURCES_STAGE, problem)

    if todo and engine == "local":
        warm_up()               # once here, inherited by the workers forked below
        shards.arrow_schemas()  # (made with a DuckDB of its own: else once in every worker)
        # the warmed-up objects are shared with the workers page by page until written to; a
        # collection in a worker would write to all of them (copying every page): not theirs to collect
        gc.freeze()
    if engine == "dask":
        runner = cluster.DaskRunner(todo, target, scheduler=scheduler, workers=workers or os.cpu_count() or 1)
    else:                       # forks before DuckDB starts threads here
        runner = Runner(todo, workers or os.cpu_count() or 1, shards=target)
    temp = write.temp_path_for(db_path)
    con = feed = None
    try:
        con = write.create(temp)
        # the search index is fed as the rows are loaded, while the workers read on (tantivy_feed.py)
        feed = tantivy_feed.Feed(db_path)
        write.copy_unchanged(con, db_path, keep)
        feed.add_loaded(con)
        _load_reused(con, target, from_shards, notes, feed.add_loaded)
        _process(con, runner, todo, target, summary, notes, progress, on_progress, feed.add_loaded)
        runner.close()
        feed.commit_beside()    # the index's last segment written while the warehouse is finished
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
        # the tantivy index of the new file, in the folder beside the warehouse (named by its
        # search build_id) before the file is swapped in: the rename switches both at once
        if feed.place(temp) is None:    # (not the rows it was fed: indexed again from the file)
            tantivy_index.build_beside(temp, db_path, threads=min(2, workers or os.cpu_count() or 1))
        write.swap_in(temp, db_path)
        try:
            shards.clean(target, set(files))
        except OSError as e:    # the warehouse is in place: a shard left over costs only room
            log(f"warning: could not remove old shards: {e}")
    except BaseException as e:
        runner.close(abort=True)
        if feed is not None:
            feed.abort()
        if con is not None:
            try:
                con.close()
            except Exception:
                pass
        write.remove_temp(temp)
        if isinstance(e, DiskFull) or _is_disk_full(e):
            try:    # room for the warehouse in place: this build's shards go (the earlier ones stay)
                shards.clean(target, set(files) - {sha for _, _, sha in todo})
            except OSError:
                pass
        if _is_disk_full(e) and not isinstance(e, DiskFull):
            raise DiskFull(f"no space left to write the new warehouse ({str(e).strip().splitlines()[0]})") from None
        raise
    finally:
        gc.unfreeze()
    summary.seconds = time.perf_counter() - started
    return summary


_OVER_LIMIT = re.compile(r"over the limit (EPW_[A-Z_]+)=(\d+)")


def _limit_changed(message: str) -> bool:
    m = _OVER_LIMIT.search(message)
    try:
        return bool(m) and config.setting_int(m.group(1)) != int(m.group(2))
    except (KeyError, ValueError):
        return True


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


def _load_reused(con, target: shards.Target, reused: dict[str, tuple[shards.Entry, str]], notes: _Notes,
                 on_loaded=None) -> None:
    """The shards of unchanged documents that the old warehouse does not hold, in batches (of
    their characters); `on_loaded(con)` after each batch."""
    batch, size = [], 0
    for sha, (entry, rel) in reused.items():
        batch.append(shards.Stored(rel, sha, stored=True, n_chars=entry.n_chars, batch=entry.batch))
        size += entry.n_chars
        if size >= BATCH_CHARS:
            _load(con, target, batch, notes, on_loaded)
            batch, size = [], 0
    _load(con, target, batch, notes, on_loaded)


def _load(con, target: shards.Target, batch: list[shards.Stored], notes: _Notes, on_loaded=None) -> None:
    """The shards of some documents, in one transaction; a shard the warehouse refuses costs only
    its document (named, and its batch deleted so that the next build reads its documents again).
    `on_loaded(con)` once rows are in."""
    if not batch:
        return
    try:
        shards.load(con, target, {r.sha256: (r.batch, r.file) for r in batch})
    except (duckdb.Error, OSError) as e:
        if _is_disk_full(e):
            raise DiskFull(f"no space left to write the new warehouse ({str(e).strip().splitlines()[0]})") from None
        if isinstance(e, OSError):
            raise
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    else:
        if on_loaded:
            on_loaded(con)
        return
    if len(batch) > 1:          # one at a time, to name the one refused
        for result in batch:
            _load(con, target, [result], notes, on_loaded)
        return
    notes.add(batch[0].file, batch[0].sha256, "load", f"the warehouse refused its rows: {reason}")
    shards.remove(target, batch[0].batch)


def _process(con, runner, todo: list, target: shards.Target, summary: BuildSummary, notes: _Notes, progress: bool,
             on_progress=None, on_loaded=None) -> None:
    """Run the stages over the documents (the workers write shards) and load the shards in batches
    (`on_loaded(con)` after each)."""
    batch: list[shards.Stored] = []
    chars = 0

    def flush():
        nonlocal chars
        _load(con, target, batch, notes, on_loaded)
        batch.clear()
        chars = 0

    bar, log = None, notes.log
    total = len(todo)
    if progress and total:
        from tqdm import tqdm
        bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)
        notes.log = lambda msg: bar.write(msg, file=sys.stderr)   # lines above the bar, not through it
    try:
        for result in runner:
            summary.processed += 1
            if getattr(result, "disk_full", False):
                raise DiskFull(f"no space left to write the new warehouse ({result.errors[-1][1]})")
            for stage, msg in result.errors:
                notes.add(result.file, result.sha256, stage, msg)
            for stage, msg in result.warnings:
                notes.add(result.file, result.sha256, stage, msg)
            if getattr(result, "stored", False) and not result.errors:
                batch.append(result)
                chars += result.n_chars
            # once every batch is handed out, each is loaded as it comes: what is left to load
            # when the last worker stops is its last batch, not BATCH_CHARS of several
            if chars >= BATCH_CHARS or (chars and getattr(runner, "draining", False)
                                        and getattr(runner, "last_of_batch", False)):
                flush()
            if bar:
                bar.update(1)
            if on_progress:
                on_progress(summary.processed, total)
        flush()
    finally:
        if bar:
            bar.close()
            notes.log = log
