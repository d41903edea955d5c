"""The dedicated search index: a tantivy index in a folder beside the warehouse file.

    build_beside(db_file, final_path)  # a warehouse's index from its finished file (an unchanged
                                       # build, prebuilt.install; `etl build` feeds its index as the
                                       # rows load instead: tantivy_feed.py)
    index_for(con) -> Index | None     # the dashboard: the index of the warehouse `con` reads
    remove_unused(final_path)          # after the swap: the folders no warehouse refers to

Why a second index
------------------
The DuckDB bigram index (index.py) answers every query exactly, but a common word of three or
more characters is a join of millions of postings on (paragraph, position): 生态环境保护
cost about 400 ms of CPU on 1 M paragraphs. tantivy intersects position lists in Rust. `etl
build` no longer makes the DuckDB bigram tables (index.py builds them on demand, as the tests'
reference): this folder is the search.

Where it lives, and the atomic pair
-----------------------------------
    data/warehouse.duckdb                    the warehouse (its search_meta 'build_id' names the index)
    data/warehouse.duckdb.search/<build_id>/ this index (tantivy's files + epw-index.json)

The warehouse names its index: `build_id` is the random id build_search_index writes into
search_meta. A build writes the folder of its new warehouse's build_id completely (into
`<build_id>.tmp-<pid>`, or tantivy_feed's `building.tmp-<pid>`, renamed once tantivy has
committed and the files are synced), then
swaps the warehouse file in (write.swap_in, one atomic rename). So the rename of the file
switches both at once: a reader sees the old file and the old folder, or the new file and the new
folder. A build killed before the rename leaves the old pair (and a folder no warehouse names,
removed by the next build); an open reader keeps its files (tantivy maps them; on Linux a
removed file stays readable while mapped). Only folders no current warehouse names are removed,
after the swap.

A warehouse without its folder (a file copied or downloaded alone, a folder deleted by hand) gets
it built on its first search (rebuild_for, from query.py; an older warehouse that still holds the
DuckDB bigram tables is searched on them instead); prebuilt.install builds the folder from the
downloaded file before it is renamed in, and a build that finds nothing changed builds it too.

What is indexed (per paragraph, one tantivy document)
------------------------------------------------------
    sid      paragraphs.rowid = search_docs.sid (fast field): joins back to the warehouse
    c1       text_simplified, ASCII A-Z folded to a-z, one token per character, given to tantivy's
             whitespace tokenizer as the characters separated by spaces (term frequency per
             paragraph, and the length: every character is a token, so the field's length is the
             paragraph's length in characters, as search_docs.len; a regex tokenizer of one
             character cost a third more of the index's CPU)
    c2       the same text as overlapping character pairs, one per position (the last
             character alone): a term of n >= 2 characters is the phrase of its pairs at
             offsets 0, 2, ..., n-2, exactly as the DuckDB index reads them
    doc      paragraphs.doc_id (filter)         year   documents.report_year (filter)
    region   the regions and region codes of the paragraph's metrics (search_regions) and its
             document's own region (filter)
    passage  stored, not indexed: what a search page shows and scores of the paragraph
             (paragraph_id, doc_id, seq, heading, text when it differs from text_simplified,
             text_simplified; JSON, UTF-8), so that the search reads no DuckDB column: reading a
             paragraph's text from DuckDB the first time loads and decodes its column's block
             (about 0.7 ms of CPU a paragraph on 1 M paragraphs), most of a new query's time.
             Folders written before it (no "passages" in their marker) are searched as before,
             their texts read from DuckDB. It adds the texts, LZ4-compressed by tantivy's store,
             to the folder (about 0.6 of their UTF-8 size)
Whitespace, as a character or inside a pair, is replaced by U+0001 (tokens are separated by spaces
for tantivy's whitespace tokenizer); no query term holds whitespace, so no token with it is ever
looked up.
"""
from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import duckdb
import numpy as np

from etl.warehouse.processes import pid_alive

_json_string = json.encoder.encode_basestring     # ensure_ascii=False's string encoder

FORMAT = "1"
MARKER = "epw-index.json"
SUFFIX = ".search"
# tantivy's indexing memory (split between its threads), and rows read from DuckDB at a time.
# At least 96 MB a thread (128 MB for one): at 200 MB of documents (68 M characters) that
# flushes few enough segments that tantivy does not merge them while indexing; 64 MB, or two
# threads of 64 MB each, flush more and merge, mapping about 170 MB more of index files.
WRITER_HEAP = 128_000_000
THREAD_HEAP = 96_000_000
BATCH_ROWS = 5_000
# DuckDB's memory while the rows are read: it keeps the blocks it read cached up to its limit
# (192 MB: about 90 MB more of the build's peak at 200 MB of documents than 64 MB, no faster)
READ_MEMORY_LIMIT = "64MB"
_WS = np.array(sorted({c for c in range(0x3001) if chr(c).isspace()}), dtype=np.uint32)

_open: dict[str, object] = {}          # folder -> tantivy.Index, opened once per process
_passages: dict[int, tuple[object, bool]] = {}   # id(index) -> (index, it stores passages)


def folder_of(db_path: str | Path) -> Path:
    """The folder of a warehouse file's search indexes."""
    p = Path(db_path)
    return p.with_name(p.name + SUFFIX)


def build_id(con) -> str | None:
    """The warehouse's search build_id (search_meta), or None for a file without the DuckDB index."""
    try:
        row = con.execute("SELECT value FROM search_meta WHERE key = 'build_id'").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _schema():
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("sid", fast=True, indexed=True)
    sb.add_text_field("c1", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("c2", tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("doc", tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year", indexed=True)
    sb.add_text_field("region", tokenizer_name="raw", index_option="basic")
    sb.add_bytes_field("passage", stored=True)
    return sb.build()


def _register(index) -> None:
    """The tokenizer c1 had in folders written before the whitespace one (a third less CPU)."""
    import tantivy
    index.register_tokenizer("epw_char", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"(?s).")).build())


def _pairs(texts: list[str]) -> tuple[list[str], list[str]]:
    """(their characters, their pairs): for each text, ASCII folded and whitespace replaced by
    U+0001, one character per token ('a b c d ') and one pair per position ('ab bc cd d ').
    Vectorised over the batch."""
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    joined = "".join(texts)
    b = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).copy()
    b[(b >= 65) & (b <= 90)] += 32
    b[np.isin(b, _WS)] = 1
    nxt = np.empty_like(b)
    nxt[:-1] = b[1:]
    ends = np.cumsum(lens)
    last = ends[lens > 0] - 1
    nxt[last] = 32                       # a text's last character stands alone
    if len(b):
        nxt[-1] = 32
    out = np.empty((len(b), 3), dtype=np.uint32)
    out[:, 0], out[:, 1], out[:, 2] = b, nxt, 32
    pairs_all = out.tobytes().decode("utf-32-le")
    ones = out[:, 1:].copy()
    ones[:, 0] = b
    chars_all = ones.tobytes().decode("utf-32-le")
    starts = ends - lens
    chars = [chars_all[2 * s:2 * e] for s, e in zip(starts, ends)]
    pairs = [pairs_all[3 * s:3 * e] for s, e in zip(starts, ends)]
    return chars, pairs


# One range of paragraphs (rowid in [?, ?)) at a time: one query over the whole table held the
# hash tables of its joins for every paragraph (about 200 MB at 400 k paragraphs) while tantivy
# indexed; a range holds only its own.
ROWS_SQL = """
SELECT p.rowid AS sid, coalesce(p.text_simplified, '') AS text, p.doc_id, d.report_year, d.region, r.names,
       p.paragraph_id, p.seq, p.heading, p.text AS shown
FROM paragraphs p
LEFT JOIN documents d ON d.doc_id = p.doc_id
LEFT JOIN (SELECT sid, list(DISTINCT name) AS names
           FROM (SELECT sid, region AS name FROM search_regions WHERE sid >= $1 AND sid < $2
                 UNION ALL SELECT sid, region_code FROM search_regions WHERE sid >= $1 AND sid < $2)
           WHERE name IS NOT NULL GROUP BY sid) r ON r.sid = p.rowid
WHERE p.rowid >= $1 AND p.rowid < $2
"""
RANGE_ROWS = 20_000


def _rows(con):
    """Every paragraph's row of ROWS_SQL, BATCH_ROWS at a time, a range of RANGE_ROWS per query."""
    end = con.execute("SELECT coalesce(max(rowid) + 1, 0) FROM paragraphs").fetchone()[0]
    cur = con.cursor()
    try:
        for start in range(0, end, RANGE_ROWS):
            cur.execute(ROWS_SQL, [start, start + RANGE_ROWS])
            while True:
                rows = cur.fetchmany(BATCH_ROWS)
                if not rows:
                    break
                yield rows
    finally:
        cur.close()


def open_writer(path: Path, threads: int = 1, heap: int | None = None):
    """A writer of a new index in the empty folder `path` (`heap`: its memory, else WRITER_HEAP or
    THREAD_HEAP a thread)."""
    import tantivy
    index = tantivy.Index(_schema(), path=str(path))
    _register(index)
    return index.writer(heap_size=heap or max(WRITER_HEAP, threads * THREAD_HEAP), num_threads=threads)


def add_rows(writer, rows: list[tuple]) -> tuple[int, int]:
    """Rows of ROWS_SQL into the writer, one tantivy document each; (rows, characters) added."""
    import tantivy
    chars = 0
    chars_of, pairs = _pairs([r[1] for r in rows])
    for (sid, text, doc_id, year, doc_region, names, pid, seq, heading, shown), one, pair in zip(rows, chars_of, pairs):
        d = tantivy.Document()
        d.add_bytes("passage", encode_passage(pid, doc_id, seq, heading, shown, text))
        d.add_unsigned("sid", sid)
        d.add_text("c1", one)
        d.add_text("c2", pair)
        if doc_id is not None:
            d.add_text("doc", doc_id)
        if year is not None:
            d.add_integer("year", int(year))
        for name in {*(names or ()), *((doc_region,) if doc_region else ())}:
            d.add_text("region", name)
        writer.add_document(d)
        chars += len(text)
    return len(rows), chars


def encode_passage(pid, doc_id, seq, heading, text, simplified) -> bytes:
    """The stored `passage` of a paragraph (decode_passage reads it back): json.dumps's bytes of
    the list, each field written by its own encoder (json.dumps of a list costs twice as much,
    every paragraph of a build passes here)."""
    return ("[" + ", ".join((_json(pid), _json(doc_id), _json(seq), _json(heading),
                             "null" if text == simplified else _json(text), _json(simplified))) + "]"
            ).encode("utf-8", "surrogatepass")


def _json(value) -> str:
    if value is None:
        return "null"
    if type(value) is str:
        return _json_string(value)
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def decode_passage(raw: bytes) -> tuple:
    """(paragraph_id, doc_id, seq, heading, text, text_simplified) of a stored passage."""
    pid, doc_id, seq, heading, text, simplified = json.loads(raw.decode("utf-8", "surrogatepass"))
    return pid, doc_id, seq, heading, simplified if text is None else text, simplified


def write_index(con, path: Path, threads: int = 1) -> dict:
    """Index the paragraphs of `con` (a warehouse with its DuckDB search tables) into the empty
    folder `path`. Returns what the marker file records."""
    started = time.perf_counter()
    writer = open_writer(path, threads)
    n = chars = 0
    for rows in _rows(con):
        added, length = add_rows(writer, rows)
        n, chars = n + added, chars + length
    writer.commit()
    writer.wait_merging_threads()
    info = {"format": FORMAT, "paragraphs": n, "chars": chars, "seconds": round(time.perf_counter() - started, 2),
            "passages": True}
    return info


def sync_folder(path: Path) -> None:
    for p in [*path.iterdir(), path]:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def build_beside(db_file: str | Path, final_path: str | Path, threads: int = 1,
                 memory_limit: str = READ_MEMORY_LIMIT) -> Path | None:
    """Build the index of the warehouse file `db_file` (complete, closed) into the search folder of
    `final_path` (where it will be swapped in), under its build_id; returns the folder, or None
    when the file has no search tables to name it. Call before the swap."""
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        con.execute(f"SET memory_limit = '{memory_limit}'")
        return _build(con, folder_of(final_path), threads)
    finally:
        con.close()


_building = threading.Lock()


def rebuild_for(con, threads: int = 1) -> Path | None:
    """Build the missing folder of the warehouse `con` reads (the index goes into the folder
    beside its file; the file is read through a second read-only connection, or through `con`
    when the process holds the file read-write): a warehouse without its folder (a file copied or
    downloaded alone, a folder deleted by hand) gets it back on its first search. One build at a
    time in a process (the dashboard's sessions are threads); None when the warehouse has no file
    or no search tables."""
    path = database_path(con)
    if not path:
        return None
    with _building:
        bid = build_id(con)
        if bid is not None and _valid(folder_of(path) / bid, bid):
            return folder_of(path) / bid
        try:
            return build_beside(path, path, threads)
        except duckdb.Error:
            return _build(con, folder_of(path), threads)


def _build(con, root: Path, threads: int) -> Path | None:
    """The index of the warehouse `con` reads, into root/<its build_id> (written under a temporary
    name, synced, then renamed), unless a complete one is there."""
    bid = build_id(con)
    if bid is None:
        return None
    n = con.execute("SELECT value FROM search_meta WHERE key = 'n_paragraphs'").fetchone()
    root.mkdir(parents=True, exist_ok=True)
    done = root / bid
    if _valid(done, bid):
        return done
    tmp = root / f"{bid}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        info = write_index(con, tmp, threads)
        info.update({"build_id": bid, "n_paragraphs": int(n[0]) if n else info["paragraphs"]})
        (tmp / MARKER).write_text(json.dumps(info), encoding="utf-8")
        sync_folder(tmp)
        shutil.rmtree(done, ignore_errors=True)
        os.replace(tmp, done)
        sync_folder(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if not any(root.iterdir()):
            root.rmdir()     # made for this build: a failed build leaves the folder as it was
        raise
    return done


def _valid(path: Path, bid: str) -> bool:
    try:
        info = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("format") == FORMAT and info.get("build_id") == bid


def remove_unused(final_path: str | Path) -> list[str]:
    """Remove the folders beside `final_path` that its warehouse does not name (older builds',
    and temporary ones of builds whose process is gone). Returns their names."""
    root = folder_of(final_path)
    if not root.is_dir():
        return []
    try:
        with duckdb.connect(str(final_path), read_only=True) as con:
            keep = build_id(con)
    except duckdb.Error:
        return []
    removed = []
    for p in root.iterdir():
        if p.name == keep:
            continue
        pid = p.name.rsplit(".tmp-", 1)[1] if ".tmp-" in p.name else None
        if pid and pid.isdigit() and pid_alive(int(pid)):
            continue        # another build is writing it
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p.name)
    return removed


def database_path(con) -> str | None:
    """The file of the database `con` reads (None in memory)."""
    try:
        row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row and row[0] else None


def index_for(con, bid: str | None = None):
    """The tantivy index of the warehouse `con` reads, or None (no folder for its build_id, an
    incomplete one, tantivy missing): the caller then searches the DuckDB tables."""
    path = database_path(con)
    bid = bid or build_id(con)
    if not path or not bid:
        return None
    folder = str(folder_of(path) / bid)
    if folder in _open:
        return _open[folder]
    info = _marker(Path(folder))
    if not info or not _valid(Path(folder), bid):
        return None
    try:
        import tantivy
        index = tantivy.Index.open(folder)
        _register(index)
        index.config_reader(reload_policy="Manual")    # the folder never changes: no watcher thread
    except (ImportError, ValueError, OSError):
        return None
    if len(_open) > 8:
        _open.clear()
        _passages.clear()
    _open[folder] = index
    _passages[id(index)] = (index, bool(info.get("passages")))
    return index


def stores_passages(index) -> bool:
    """Whether an index of index_for stores each paragraph's passage (folders written before did not)."""
    held = _passages.get(id(index))
    return held is not None and held[0] is index and held[1]


def _marker(path: Path) -> dict | None:
    try:
        return json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
