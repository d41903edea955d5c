"""Shards: the rows of a batch of documents as Parquet files, written by the worker that read them.

A worker (a local process or a Dask task) reads a batch of documents and writes their rows into
one set of files, `ROOT/<fingerprint>/<batch>.<table>.parquet` for the tables documents,
paragraphs, metrics and text (the documents' text in pieces: the warehouse's document_text), and
then the batch's manifest, `<batch>.json`: which documents the batch holds (sha256, characters,
warnings) and how many rows each file has. The build process only hands out paths and collects
small `Stored` notes, and DuckDB reads the batches' files (`read_parquet` over a list of files)
into the new warehouse. The folder is also the incremental cache: a document whose bytes and
ETL fingerprint (code, catalog, schema) are unchanged is taken from its batch without being read.

The manifest is written last (under a temporary name, renamed into place): files without a
manifest are never read, and a batch whose files do not agree with its manifest (footer
unreadable, row counts that differ) is deleted and its documents read again. A document that
failed after some of its rows were written (a large one read in segments) is not in the
manifest, and its rows are never loaded. After a build, batches that no document of the folder
refers to any more are removed. ROOT is a local folder or any fsspec path (`s3://bucket/shards`,
…) that every worker and the build can reach.

`BatchWriter` appends rows as they come, a row group per table every ROW_GROUP_CHARS of text, so
a worker holds a few MB of rows, however large its documents (a document read in segments is
written a segment at a time by `PartSink`, its text too, in pieces of PIECE_CHARS characters).
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
from etl.warehouse.processes import pid_alive
from etl.warehouse.write import DOCUMENT_COLUMNS, SCHEMA_SQL, TEXT_COLUMNS

# shard table -> (warehouse table, columns)
TABLES = {"documents": ("documents", DOCUMENT_COLUMNS), "paragraphs": ("paragraphs", PARAGRAPH_COLUMNS),
          "metrics": ("metrics", METRIC_COLUMNS), "text": ("document_text", TEXT_COLUMNS)}
TEMP_MARK = ".tmp-"
SUFFIX = ".parquet"
MANIFEST = ".json"
PIECE_CHARS = 65_536        # a document's text is stored in pieces of at most this many characters
ROW_GROUP_CHARS = 2_000_000  # rows are buffered until their text reaches this many characters, then written
# Text columns are mostly unique: no dictionary, no statistics (DuckDB needs none to load a batch)
WRITE_OPTIONS = {
    "documents": {"use_dictionary": False, "write_statistics": False},
    "paragraphs": {"use_dictionary": ["doc_id", "heading"], "write_statistics": False},
    "metrics": {"write_statistics": False},
    "text": {"use_dictionary": False, "write_statistics": False},
}


def is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    text = str(error)
    return any(s in text for s in ("No space left on device", "File too large", "Disk quota exceeded"))


@dataclass
class Stored:
    """What a worker sends back for a document: its notes, and the batch its rows are in."""
    file: str
    sha256: str | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    n_chars: int = 0
    stored: bool = False
    disk_full: bool = False     # the batch could not be written for want of space: the build stops
    batch: str | None = None    # the batch (manifest name) holding its rows, once committed


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

    def path(self, batch: str, table: str) -> str:
        return _join(self.folder(), f"{batch}.{table}{SUFFIX}")

    def manifest(self, batch: str) -> str:
        return _join(self.folder(), f"{batch}{MANIFEST}")

    def url(self, batch: str, table: str) -> str:
        """The path as DuckDB reads it (a registered fsspec file system for a remote root)."""
        p = self.path(batch, table)
        return p if self.local or "://" in p else f"{_protocols(self.fs)[0]}://{p}"


def _protocols(fs) -> tuple[str, ...]:
    p = fs.protocol
    return (p,) if isinstance(p, str) else tuple(p)


def _join(*parts: str) -> str:
    return "/".join([parts[0].rstrip("/"), *parts[1:]])


@functools.cache
def arrow_schemas() -> dict[str, pa.Schema]:
    """Each shard table's columns as the warehouse types them (schema.sql, read by DuckDB in memory)."""
    with duckdb.connect() as con:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        return {t: con.sql(f"SELECT {', '.join(cols)} FROM {table} LIMIT 0").to_arrow_table().schema
                for t, (table, cols) in TABLES.items()}


def _table(name: str, rows: list) -> pa.Table:
    schema = arrow_schemas()[name]
    columns = TABLES[name][1]
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


def text_pieces(doc_id: str, text: str, offset: int, piece: int) -> list[tuple]:
    """document_text rows of a stretch of a document's text that starts at character `offset`, its
    first piece numbered `piece`: PIECE_CHARS characters each, the last shorter."""
    return [(doc_id, piece + i, offset + start, text[start:start + PIECE_CHARS])
            for i, start in enumerate(range(0, len(text), PIECE_CHARS))]


class BatchWriter:
    """A batch's files, written as rows come: add() buffers rows and writes a row group per table
    every ROW_GROUP_CHARS of text; done() lists a document in the manifest; commit() closes the
    files and writes the manifest (the batch is then visible); abort() removes what was written."""

    def __init__(self, target: Target):
        self.target = target
        self.fs = target.fs
        self.local = target.local       # Arrow's own file system and os calls: cheaper than fsspec's
        self.name = f"b{os.getpid()}-{uuid.uuid4().hex[:12]}"  # the pid: clean() knows a dead writer's files
        self.writers: dict[str, tuple[object, pq.ParquetWriter]] = {}
        self.buffer: dict[str, list] = {name: [] for name in TABLES}
        self.buffered = 0
        self.rows = dict.fromkeys(TABLES, 0)
        self.documents: list[dict] = []
        folder = target.folder()
        os.makedirs(folder, exist_ok=True) if self.local else self.fs.makedirs(folder, exist_ok=True)

    def add(self, documents: list = (), paragraphs: list = (), metrics: list = (), text: list = ()) -> None:
        for name, rows in (("documents", documents), ("paragraphs", paragraphs), ("metrics", metrics),
                           ("text", text)):
            self.buffer[name].extend(rows)
        self.buffered += sum(len(r[3]) for r in text) + sum(len(p[7]) for p in paragraphs)
        if self.buffered >= ROW_GROUP_CHARS:
            self.flush()

    def flush(self) -> None:
        for name, rows in self.buffer.items():
            if rows:
                self._writer(name).write_table(_table(name, rows))
                self.rows[name] += len(rows)
                self.buffer[name] = []
        self.buffered = 0

    def _writer(self, name: str) -> pq.ParquetWriter:
        if name not in self.writers:
            path = self.target.path(self.name, name)
            f = None if self.local else self.fs.open(path, "wb")
            self.writers[name] = (f, pq.ParquetWriter(f or path, arrow_schemas()[name], **WRITE_OPTIONS[name]))
        return self.writers[name][1]

    def done(self, sha: str, n_chars: int, warnings: list[tuple[str, str]]) -> None:
        """The document's rows are all added: it is part of the batch."""
        self.documents.append({"sha256": sha, "n_chars": n_chars, "warnings": [list(w) for w in warnings]})

    def commit(self) -> str | None:
        """The batch's name, once its manifest is in place; None when it holds no document (its
        files, if any, are removed)."""
        if not self.documents:
            self.abort()
            return None
        self.flush()
        for name in TABLES:
            self._writer(name)      # a table without rows is an empty file
        self._close()
        manifest = json.dumps({"batch": self.name, "rows": self.rows, "documents": self.documents})
        final = self.target.manifest(self.name)
        temp = f"{final}{TEMP_MARK}{os.getpid()}"
        if self.local:
            with open(temp, "w", encoding="utf-8") as f:
                f.write(manifest)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, final)
        else:
            with self.fs.open(temp, "w") as f:
                f.write(manifest)
            self.fs.mv(temp, final)
        return self.name

    def _close(self) -> None:
        writers, self.writers = self.writers, {}
        for f, w in writers.values():
            w.close()
            if f is not None:
                f.close()

    def abort(self) -> None:
        try:
            self._close()
        except Exception:
            pass
        remove_files(self.target, self.name)


class PartSink:
    """Writes a document's rows into the batch as its parts come (etl.pipeline.document_parts), so
    that a worker holds one segment's rows at a time, not the whole document's: called on each
    part, it adds the part's paragraphs, metrics and text and hands the part on without them.
    The document row is added last, by store(), with the final counts."""

    def __init__(self, writer: BatchWriter):
        self.writer = writer
        self.failed: BaseException | None = None
        self.chars = 0      # of the document's text written so far
        self.pieces = 0

    def __call__(self, part: DocumentResult) -> DocumentResult:
        if part.errors:
            return part
        text = part.more_text
        if part.document is not None and "raw_text" in part.document:
            text = part.document.pop("raw_text")
        sha = part.sha256
        if self.failed is None and (part.paragraphs or part.metrics or text) and sha:
            try:
                pieces = text_pieces(sha[:16], text, self.chars, self.pieces)
                self.writer.add(paragraphs=part.paragraphs, metrics=part.metrics, text=pieces)
                self.chars += len(text)
                self.pieces += len(pieces)
            except Exception as e:      # (a full disk, most often) store() reports it
                self.failed = e
        part.paragraphs, part.metrics, part.more_text = [], [], ""
        return part


def store(result: DocumentResult, writer: BatchWriter, sink: PartSink | None = None) -> Stored:
    """A worker's result into its batch (its rows already added by `sink`, when given); the small
    note that goes back to the build (its batch is named once the batch is committed)."""
    note = Stored(result.file, result.sha256, list(result.errors), list(result.warnings))
    if result.document is None or result.errors:
        return note
    try:
        if sink is None:
            sink = PartSink(writer)
            sink(result)
        if sink.failed is not None:
            raise sink.failed
        document = {k: v for k, v in result.document.items() if k != "raw_text"}
        writer.add(documents=[document])
        writer.done(result.sha256, document["n_chars"], result.warnings)
    except Exception as e:
        note.disk_full = is_disk_full(e)
        note.errors.append(("load", f"cannot write its shard: {type(e).__name__}: {e}"))
        return note
    note.n_chars, note.stored = result.document["n_chars"], True
    return note


def commit(writer: BatchWriter, notes: list[Stored]) -> list[Stored]:
    """The batch's manifest written: its stored documents' notes name it. A batch that cannot be
    committed (a full disk) leaves every document of it unstored, with the reason."""
    try:
        batch = writer.commit()
    except Exception as e:
        writer.abort()
        for note in notes:
            if note.stored:
                note.stored = False
                note.disk_full = is_disk_full(e)
                note.errors.append(("load", f"cannot write its shard: {type(e).__name__}: {e}"))
        return notes
    for note in notes:
        if note.stored:
            note.batch = batch
    return notes


@dataclass
class Entry:
    """A document in a committed batch."""
    batch: str
    n_chars: int
    warnings: list[tuple[str, str]]


def manifests(target: Target) -> dict[str, dict]:
    """Every committed batch's manifest ({batch: manifest}); an unreadable one counts as absent."""
    fs, folder = target.fs, target.folder()
    out = {}
    if not fs.exists(folder):
        return out
    for path in fs.ls(folder, detail=False):
        name = path.rstrip("/").rsplit("/", 1)[-1]
        if not name.endswith(MANIFEST):
            continue
        try:
            with fs.open(path, "r", encoding="utf-8") as f:
                m = json.load(f)
            out[m["batch"]] = m
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return out


def catalogue(target: Target, wanted: set[str]) -> dict[str, Entry]:
    """The documents of `wanted` (sha256) that a committed, whole batch holds. A batch that holds
    one of them is checked (every file's footer readable, row counts as its manifest says); one
    that fails is deleted, and its documents are then read again."""
    found: dict[str, Entry] = {}
    for batch, m in manifests(target).items():
        docs = [d for d in m.get("documents", []) if d.get("sha256") in wanted and d["sha256"] not in found]
        if not docs:
            continue
        if not _whole(target, batch, m):
            remove(target, batch)
            continue
        for d in docs:
            found[d["sha256"]] = Entry(batch, int(d.get("n_chars", 0)), [tuple(w) for w in d.get("warnings", [])])
    return found


def _whole(target: Target, batch: str, m: dict) -> bool:
    try:
        for name in TABLES:
            with target.fs.open(target.path(batch, name), "rb") as f:
                if pq.read_metadata(f).num_rows != m["rows"][name]:
                    return False
    except Exception:
        return False
    return True


def remove(target: Target, batch: str) -> None:
    """A batch: its manifest first (the files are then never read), then its files."""
    try:
        target.fs.rm(target.manifest(batch))
    except (OSError, FileNotFoundError):
        pass
    remove_files(target, batch)


def remove_files(target: Target, batch: str) -> None:
    for name in TABLES:
        try:
            target.fs.rm(target.path(batch, name))
        except (OSError, FileNotFoundError):
            pass


def load(con: duckdb.DuckDBPyConnection, target: Target, docs: dict[str, tuple[str, str]]) -> None:
    """Insert the rows of some documents ({sha256: (batch, file name now)}) in one transaction: one
    read_parquet over the files of their batches per table, keeping only those documents' rows (a
    batch may hold others). The name comes from this build (a renamed file keeps its shard)."""
    if not docs:
        return
    if not target.local:
        con.register_filesystem(target.fs)
    batches = sorted({batch for batch, _ in docs.values()})
    shas = list(docs)
    names = pa.table({"sha256": shas, "doc_id": [s[:16] for s in shas],  # noqa: F841 — scanned by name
                      "file": [docs[s][1] for s in shas],
                      "batch": [docs[s][0] for s in shas]})
    con.begin()
    try:
        for name, (table, _) in TABLES.items():
            urls = [target.url(b, name) for b in batches]
            key = "sha256" if name == "documents" else "doc_id"
            # each document's rows from its own batch only (the same document may be in two batches)
            batch_of = "regexp_extract(s.filename, '([^/]+)\\.[a-z]+\\.parquet$', 1)"
            replace = " REPLACE (n.file AS file)" if name == "documents" else ""
            con.execute(f"""INSERT INTO {table} BY NAME
                            SELECT s.* EXCLUDE (filename){replace}
                            FROM read_parquet(?, filename = true) s
                            JOIN names n ON n.{key} = s.{key} AND n.batch = {batch_of}""", [urls])
        con.commit()
    except BaseException:
        try:    # a failed commit (a full disk) leaves no transaction: the first error is the one to tell
            con.rollback()
        except duckdb.Error:
            pass
        raise


def clean(target: Target, keep: set[str]) -> int:
    """Remove what a finished build no longer needs: the shards of other fingerprints, batches that
    hold no document of `keep` (sha256), and files of writers that died before their batch was
    committed. Returns the files and folders removed."""
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
    live = set()
    for batch, m in manifests(target).items():
        if any(d.get("sha256") in keep for d in m.get("documents", [])):
            live.add(batch)
        else:
            remove(target, batch)
            removed += 1
    for path in fs.ls(folder, detail=False):
        name = path.rstrip("/").rsplit("/", 1)[-1]
        batch = name.split(".", 1)[0]
        if batch in live or name.endswith(MANIFEST):
            continue
        if not _writer_alive(batch):
            try:
                fs.rm(path, recursive=True)
                removed += 1
            except (OSError, FileNotFoundError):
                pass
    return removed


def _writer_alive(batch: str) -> bool:
    """The writer of a batch without a manifest may still be at work on this machine (its pid,
    in the batch's name, is alive)."""
    try:
        pid = int(batch[1:].split("-", 1)[0])
    except (ValueError, IndexError):
        return False
    return pid_alive(pid)
