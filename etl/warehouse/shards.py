"""Shards: each document's rows as Parquet files, written by the worker that read it.

A worker (a local process or a Dask task) writes a document's three tables to
`ROOT/<fingerprint>/<sha[:2]>/<sha256>.<table>.parquet`; the build process only hands out
paths and collects small `Stored` notes, and DuckDB reads the shards (`read_parquet`) into the
new warehouse. The folder is also the incremental cache: a document whose bytes and ETL
fingerprint (code, catalog, schema) are unchanged is taken from its shard without being read.

A shard is written under temporary names and renamed into place, the documents file last: a
shard without its documents file is never read, and one whose files do not agree (footer
unreadable, another document's hash, row counts that differ from what its document row says)
is deleted and the document read again. ROOT is a local folder or any fsspec path
(`s3://bucket/shards`, …) that every worker and the build can reach.

`ShardWriter` appends a document's rows a part at a time (one Parquet writer per table, one
row group per part), so a document read in segments never holds all its rows at once.
"""
from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import os
import uuid
from dataclasses import dataclass, field

import duckdb
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from etl.pipeline import METRIC_COLUMNS, PARAGRAPH_COLUMNS, DocumentResult
from etl.warehouse.write import DOCUMENT_COLUMNS, SCHEMA_SQL, pid_alive

TABLES = {"documents": DOCUMENT_COLUMNS, "paragraphs": PARAGRAPH_COLUMNS, "metrics": METRIC_COLUMNS}
# renamed into place in this order: the documents file last says the shard is complete
COMMIT_ORDER = ("paragraphs", "metrics", "documents")
TEMP_MARK = ".tmp-"
SUFFIX = ".parquet"
# Text columns are mostly unique: no dictionary, no statistics (valid() reads the documents file's
# statistics of sha256, n_paragraphs and n_metrics; DuckDB needs none to load a shard)
WRITE_OPTIONS = {
    "documents": {"use_dictionary": False, "write_statistics": ["sha256", "n_paragraphs", "n_metrics"]},
    "paragraphs": {"use_dictionary": ["doc_id", "heading"], "write_statistics": False},
    "metrics": {"write_statistics": False},
}
WARNINGS_KEY = b"epw_warnings"   # the documents file's key-value metadata: the document's warnings (JSON)


def is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    text = str(error)
    return any(s in text for s in ("No space left on device", "File too large", "Disk quota exceeded"))


@dataclass
class Stored:
    """What a worker sends back for a document: its notes, and whether its shard is written."""
    file: str
    sha256: str | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    n_chars: int = 0
    stored: bool = False
    disk_full: bool = False     # the shard could not be written for want of space: the build stops


@dataclass(frozen=True)
class Target:
    """Where the shards of one ETL fingerprint go. Picklable: sent to every worker."""
    root: str
    fingerprint: str

    @functools.cached_property
    def fs(self) -> fsspec.AbstractFileSystem:
        return fsspec.core.url_to_fs(self.root)[0]

    @property
    def local(self) -> bool:
        return "file" in _protocols(self.fs)

    def folder(self) -> str:
        return _join(self.root, self.fingerprint)

    def path(self, sha: str, table: str) -> str:
        return _join(self.folder(), sha[:2], f"{sha}.{table}{SUFFIX}")

    def url(self, sha: str, table: str) -> str:
        """The path as DuckDB reads it (a registered fsspec file system for a remote root)."""
        p = self.path(sha, table)
        return p if self.local or "://" in p else f"{_protocols(self.fs)[0]}://{p}"


def _protocols(fs) -> tuple[str, ...]:
    p = fs.protocol
    return (p,) if isinstance(p, str) else tuple(p)


def _join(*parts: str) -> str:
    return "/".join([parts[0].rstrip("/"), *parts[1:]])


@functools.cache
def arrow_schemas() -> dict[str, pa.Schema]:
    """Each table's columns as the warehouse types them (schema.sql, read by DuckDB in memory)."""
    with duckdb.connect() as con:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        return {t: con.sql(f"SELECT {', '.join(cols)} FROM {t} LIMIT 0").to_arrow_table().schema
                for t, cols in TABLES.items()}


def _table(name: str, rows: list) -> pa.Table:
    schema = arrow_schemas()[name]
    columns = TABLES[name]
    if rows and isinstance(rows[0], dict):
        data = {c: [r[c] for r in rows] for c in columns}
    else:
        data = dict(zip(columns, zip(*rows))) if rows else {c: () for c in columns}
    arrays = []
    for f in schema:
        values = data[f.name]
        if pa.types.is_date32(f.type):      # ISO dates, as the stages give them
            values = [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values]
        arrays.append(pa.array(values, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


class ShardWriter:
    """A document's shard, a part at a time: add() appends rows (one row group per table and
    part), commit() renames the files into place, documents last; abort() removes them."""

    def __init__(self, target: Target, sha: str):
        self.target, self.sha = target, sha
        self.fs = target.fs
        self.tag = f"{TEMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.writers: dict[str, tuple[object, pq.ParquetWriter]] = {}
        self.local = target.local       # Arrow's own file system and os calls: a third of the cost of fsspec's
        folder = _join(target.folder(), sha[:2])
        os.makedirs(folder, exist_ok=True) if self.local else self.fs.makedirs(folder, exist_ok=True)

    def _temp(self, table: str) -> str:
        return self.target.path(self.sha, table) + self.tag

    def add(self, document: dict | None = None, paragraphs: list = (), metrics: list = ()) -> None:
        for name, rows in (("documents", [document] if document else []), ("paragraphs", paragraphs),
                           ("metrics", metrics)):
            if rows:
                self._writer(name).write_table(_table(name, list(rows)))

    def _writer(self, name: str) -> pq.ParquetWriter:
        if name not in self.writers:
            f = None if self.local else self.fs.open(self._temp(name), "wb")
            self.writers[name] = (f, pq.ParquetWriter(f or self._temp(name), arrow_schemas()[name],
                                                      **WRITE_OPTIONS[name]))
        return self.writers[name][1]

    def commit(self, warnings: list[tuple[str, str]] = ()) -> None:
        """warnings: (stage, message) of a document loaded although damaged, kept with its shard."""
        for name in TABLES:
            self._writer(name)      # a table without rows is an empty file
        self._writer("documents").add_key_value_metadata({WARNINGS_KEY: json.dumps(list(warnings))})
        self._close()
        for name in COMMIT_ORDER:
            if self.local:
                os.replace(self._temp(name), self.target.path(self.sha, name))
            else:
                self.fs.mv(self._temp(name), self.target.path(self.sha, name))

    def _close(self) -> None:
        for f, w in self.writers.values():
            w.close()
            if f is not None:
                f.close()

    def abort(self) -> None:
        try:
            self._close()
        except Exception:
            pass
        for name in TABLES:
            try:
                self.fs.rm(self._temp(name))
            except (OSError, FileNotFoundError):
                pass


class PartSink:
    """Writes a document's rows into its shard as its parts come (etl.pipeline.document_parts), so
    that a worker holds one segment's rows at a time, not the whole document's: called on each
    part, it writes the part's paragraphs and metrics and hands the part on without them. The
    document row is written last, by store(), with the whole text."""

    def __init__(self, target: Target):
        self.target = target
        self.writer: ShardWriter | None = None
        self.failed: BaseException | None = None

    def __call__(self, part: DocumentResult) -> DocumentResult:
        if part.errors or self.failed is not None or not (part.paragraphs or part.metrics):
            return part
        try:
            if self.writer is None:
                self.writer = ShardWriter(self.target, part.sha256)
            self.writer.add(paragraphs=part.paragraphs, metrics=part.metrics)
        except Exception as e:      # (a full disk, most often) store() reports it
            self.failed = e
        part.paragraphs, part.metrics = [], []
        return part


def store(result: DocumentResult, target: Target, sink: PartSink | None = None) -> Stored:
    """A worker's result as a shard (its rows already written by `sink`, when given); the small
    note that goes back to the build."""
    note = Stored(result.file, result.sha256, list(result.errors), list(result.warnings))
    writer = sink.writer if sink else None
    if result.document is None or result.errors:
        if writer is not None:
            writer.abort()
        return note
    try:
        if sink is not None and sink.failed is not None:
            raise sink.failed
        writer = writer or ShardWriter(target, result.sha256)
        writer.add(result.document, result.paragraphs, result.metrics)
        writer.commit(result.warnings)
    except Exception as e:
        if writer is not None:
            writer.abort()
        note.disk_full = is_disk_full(e)
        note.errors.append(("load", f"cannot write its shard: {type(e).__name__}: {e}"))
        return note
    note.n_chars, note.stored = result.document["n_chars"], True
    return note


def valid(target: Target, sha: str) -> list[tuple[str, str]] | None:
    """The document's warnings when a complete shard of it is there and its files agree, else
    None; a shard that is there but does not agree is deleted (it is then written again)."""
    fs = target.fs
    if not fs.exists(target.path(sha, "documents")):
        return None
    try:
        meta = {}
        for name in TABLES:
            with fs.open(target.path(sha, name), "rb") as f:
                meta[name] = pq.read_metadata(f)
        doc = meta["documents"]
        stats = {doc.schema.column(i).name: doc.row_group(0).column(i).statistics
                 for i in range(doc.num_columns)} if doc.num_row_groups else {}
        ok = (doc.num_rows == 1 and stats["sha256"].min == sha
              and stats["n_paragraphs"].min == meta["paragraphs"].num_rows
              and stats["n_metrics"].min == meta["metrics"].num_rows)
        warnings = [tuple(w) for w in json.loads((doc.metadata or {})[WARNINGS_KEY])]
    except Exception:
        ok = False
    if not ok:
        remove(target, sha)
        return None
    return warnings


def remove(target: Target, sha: str) -> None:
    for name in TABLES:
        try:
            target.fs.rm(target.path(sha, name))
        except (OSError, FileNotFoundError):
            pass


def load(con: duckdb.DuckDBPyConnection, target: Target, docs: dict[str, str]) -> None:
    """Insert the shards of some documents ({sha256: file name now}) in one transaction; the
    name comes from this build (a renamed file keeps its shard)."""
    if not docs:
        return
    if not target.local:
        con.register_filesystem(target.fs)
    names = pa.table({"sha256": list(docs), "file": list(docs.values())})  # noqa: F841 — scanned by name
    shas = list(docs)
    con.begin()
    try:
        con.execute("""INSERT INTO documents BY NAME SELECT d.* REPLACE (n.file AS file)
                       FROM read_parquet(?) d JOIN names n USING (sha256)""",
                    [[target.url(s, "documents") for s in shas]])
        for name in ("paragraphs", "metrics"):
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM read_parquet(?)",
                        [[target.url(s, name) for s in shas]])
        con.commit()
    except BaseException:
        try:    # a failed commit (a full disk) leaves no transaction: the first error is the one to tell
            con.rollback()
        except duckdb.Error:
            pass
        raise


def clean(target: Target, keep: set[str]) -> int:
    """Remove what a finished build no longer needs: the shards of other fingerprints, of documents
    no longer in the folder, and temporary files of writers that died. Returns files removed."""
    fs = target.fs
    removed = 0
    if not fs.exists(target.root):
        return 0
    for entry in fs.ls(target.root, detail=False):
        if entry.rstrip("/").rsplit("/", 1)[-1] != target.fingerprint:
            fs.rm(entry, recursive=True)
            removed += 1
    folder = target.folder()
    if not fs.exists(folder):
        return removed
    for path in fs.find(folder):
        name = path.rsplit("/", 1)[-1]
        if name.split(".", 1)[0] not in keep or TEMP_MARK in name and not _writer_alive(name):
            fs.rm(path)
            removed += 1
    return removed


def _writer_alive(name: str) -> bool:
    """A temporary file's writer may still be at work on this machine (its pid is alive)."""
    try:
        pid = int(name.rsplit(TEMP_MARK, 1)[1].split("-", 1)[0])
    except (ValueError, IndexError):
        return False
    return pid_alive(pid)
