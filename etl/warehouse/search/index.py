"""Full-text search tables over `paragraphs`, built in DuckDB SQL (no extension needed).

    build_search_index(con, postings=False)  # etl.warehouse.write.finish: search_docs, search_regions,
                                             # search_meta (what the tantivy index and its scores read)
    build_search_index(con)                  # the same and the DuckDB bigram index below (build_postings)

The search is the tantivy index beside the warehouse (tantivy_index.py). The bigram tables below
are the DuckDB search of query.py (engine="duckdb"): an exact reference implementation, built on
demand (tests compare the two; benchmarks/bench_search.py times both), not by `etl build` any
more (they cost the build about as much CPU as the tantivy index, in the process the workers
cannot share). A warehouse without its tantivy folder gets the folder rebuilt (query.py).

Why character bigrams
---------------------
Chinese has no spaces, so a word index needs a segmenter at build time (jieba
reads about 1.4 MB/s: minutes for a million paragraphs) and then misses every
query word the segmenter cut differently in the text. A positional index of
character bigrams needs no segmentation, is built by vectorised SQL, and
answers any substring exactly: a query term is found where its bigrams stand
next to each other (a phrase match), however either side would be segmented.

What is indexed
---------------
`paragraphs.text_simplified` (same length as `text`, simplified script, width
already normalised by etl/clean.py), one posting per character position p:

    key = code(c[p]) << 16 | code(c[p+1])     (code(next) = 0 after the last character)
    code(c) = c + 32             for ASCII A-Z (search is case-insensitive for ASCII)
            = c                  for other c <= U+FFFF
            = 0xD800 + c % 2048  beyond the BMP (surrogate code points never occur
                                 in text, so these buckets collide only with each other)

The same table answers a bigram (`key = k`) and a single character (the key
range `code(c) << 16 .. code(c) << 16 | 0xFFFF`); a term of n >= 2 characters is
the bigrams at offsets 0, 2, 4, ... and n-2 (they cover every character) at
the same start position. The key is a 32-bit UINTEGER: sorting on it is 2-3x
faster than on a 64-bit key, and the sort is most of the build.

Nothing else is folded (Unicode case or width folding per character in SQL
costs a third of the build; etl/clean.py has normalised width already).
Punctuation and spaces get postings like any other
character (a bigram holding one never matches a query part, since query terms
never contain separators), except the commonest separators, listed in
DROPPED_SEPARATORS and never indexed as the first character, which saves 5-10 %
of the postings; etl/warehouse/search/query.py treats every one of them as a separator.

Tables (column comments in SEARCH_SCHEMA_SQL)
---------------------------------------------
search_postings  (key, sid, pos): written in chunks of paragraphs, each chunk
                 sorted by key (chunk size from DuckDB's memory_limit, see
                 chunk_postings). DuckDB keeps min/max per row group (zone
                 maps), so `key = ?` reads about one row group per chunk
                 instead of the whole table: no index structure, and the sort
                 stays within memory a chunk at a time.
search_docs      one row per paragraph: sid (its rowid when the index was built),
                 paragraph_id, doc_id, len (characters, for BM25).
search_keys      (key, n_postings): every key's number of postings, sorted by key (orders a
                 query's joins without counting postings).
search_tf        (key, sid, tf): how many times a frequent key (TF_MIN_POSTINGS postings or
                 more) occurs in each paragraph holding it, per chunk sorted by key; search_chars
                 (code, sid, tf) the same for frequent single characters. A query word of one
                 key (most two-character words) or one character reads its tf per paragraph
                 here: grouping its postings by paragraph was most of a search's time for common
                 words (生态: 1.6 M postings in 0.7 M paragraphs). Rare keys are not stored:
                 grouping a few thousand postings costs less than the rows would.
search_regions   (region, region_code, sid): the regions of each paragraph's metrics,
                 sorted by region, for the search's region filter (finding them through
                 metrics would scan every metric: metrics are sorted by indicator).
search_meta      key/value: version, n_paragraphs, avg_len, built_at, build_id, seconds; and
                 n_postings, chunks, tf_min_postings, postings_seconds (build_postings).

The dashboard opens the warehouse read-only, so sids stay valid; results are
joined back to `paragraphs` by paragraph_id, never by rowid.
"""
from __future__ import annotations

import threading
import time
import uuid

from etl.warehouse.search.codec import DROPPED_SEPARATORS, INDEX_VERSION, code_sql

# Postings per sorted chunk: memory_limit / BYTES_PER_POSTING, within [MIN, MAX]. Sorting takes
# ~45 bytes of memory per posting (8M: ~440 MB peak RSS, 64M: 2.9 GB). Fewer chunks make lookups
# cheaper (a key costs one row group of 122,880 rows per chunk): on 1M paragraphs, 26 chunks
# cost ~25 % more query CPU than 4 chunks or one global sort, whose build under a 500 MB
# memory_limit spilled and took 1.5x the CPU. So: as big as DuckDB's memory_limit allows.
BYTES_PER_POSTING = 64
MIN_CHUNK_POSTINGS = 4_000_000
MAX_CHUNK_POSTINGS = 32_000_000
CHUNK_POSTINGS: int | None = None     # fixed size instead (tests, benchmarks)
# A key (or character) with at least this many postings gets per-paragraph counts in search_tf
# (search_chars): below it, grouping its postings at query time costs under a millisecond or two.
TF_MIN_POSTINGS = 20_000

SEARCH_SCHEMA_SQL = """
-- Paragraph search index (etl/warehouse/search/index.py builds it, etl/warehouse/search/query.py reads it).
CREATE TABLE search_docs (
    sid          INTEGER,   -- paragraphs.rowid when the index was built; numbers the postings
    paragraph_id VARCHAR,   -- paragraphs.paragraph_id
    doc_id       VARCHAR,   -- paragraphs.doc_id (filters)
    len          INTEGER    -- length(text_simplified) in characters (BM25 length normalisation)
);
CREATE TABLE search_regions (  -- sorted by region: zone maps prune
    region       VARCHAR,   -- metrics.region of a metric read from the paragraph
    region_code  VARCHAR,   -- its metrics.region_code
    sid          INTEGER    -- search_docs.sid
);
CREATE TABLE search_meta (
    key          VARCHAR,   -- 'version', 'n_paragraphs', 'avg_len', 'built_at', 'build_id' (random: names
                            -- the tantivy folder, keys the dashboard's caches), 'seconds'; with the bigram
                            -- tables also 'n_postings', 'chunks', 'tf_min_postings', 'postings_seconds'
    value        VARCHAR
);
"""
POSTINGS_SCHEMA_SQL = """
-- The DuckDB bigram index (build_postings): not built by `etl build` (tantivy_index.py is the search).
CREATE TABLE search_postings (  -- sorted by key within each chunk of paragraphs: zone maps prune
    key          UINTEGER,  -- code(char at pos) << 16 | code(next char), 0 after the last
    sid          INTEGER,   -- search_docs.sid
    pos          INTEGER    -- 0-based character offset in text_simplified (= in text)
);
CREATE TABLE search_keys (     -- one row per key of search_postings
    key          UINTEGER,  -- search_postings.key
    n_postings   BIGINT     -- its postings (orders a query's joins; 0 rows: the key never occurs)
);
CREATE TABLE search_tf (       -- sorted by key within each chunk of paragraphs, like search_postings
    key          UINTEGER,  -- a key with at least TF_MIN_POSTINGS postings
    sid          INTEGER,   -- a paragraph holding it
    tf           INTEGER    -- how many times (its postings in that paragraph)
);
CREATE TABLE search_chars (    -- the same for single characters: the key range code(c) << 16 .. | 0xFFFF
    code         UINTEGER,  -- code(c) of a character with at least TF_MIN_POSTINGS postings
    sid          INTEGER,
    tf           INTEGER
);
"""

DOCS_SQL = """
INSERT INTO search_docs
SELECT rowid::INTEGER, paragraph_id, doc_id, length(text_simplified)::INTEGER FROM paragraphs"""

REGIONS_SQL = """
INSERT INTO search_regions
SELECT DISTINCT m.region, m.region_code, s.sid
FROM metrics m JOIN search_docs s ON s.paragraph_id = m.paragraph_id
ORDER BY ALL"""

# One chunk of paragraphs (rowid in [?, ?)): one row per character, sorted by key.
# c1/c2: the code points of the character and of the next one (NULL after the last).
POSTINGS_SQL = f"""
INSERT INTO search_postings
SELECT ((({code_sql("c1")})::UINTEGER << 16)
        | ({code_sql("c2", null_is_zero=True)})::UINTEGER)::UINTEGER AS key,
       sid, pos
FROM (
    SELECT sid, unnest(c) AS c1, unnest(c[2:]) AS c2, unnest(range(len(c)))::INTEGER AS pos
    FROM (SELECT rowid::INTEGER AS sid,
                 list_transform(string_split(text_simplified, ''), lambda ch: unicode(ch)) AS c
          FROM paragraphs WHERE rowid >= ? AND rowid < ?)
)
WHERE c1 > 0 AND c1 NOT IN ({", ".join(map(str, DROPPED_SEPARATORS))})   -- (unicode('') = -1)
ORDER BY key"""

# Per-paragraph counts of one chunk's frequent keys and characters (rowid in [?, ?)), read back
# from the chunk's postings: a query takes a frequent word's tf from here instead of grouping
# its postings by paragraph (生态: 1.6 M postings in 0.7 M paragraphs; the grouping was most
# of a search's time).
TF_SQL = """
INSERT INTO search_tf
SELECT p.key, p.sid, count(*)::INTEGER FROM search_postings p
WHERE p.sid >= ? AND p.sid < ? AND p.key IN (SELECT key FROM search_keys WHERE n_postings >= ?)
GROUP BY p.key, p.sid ORDER BY p.key"""
CHARS_SQL = """
INSERT INTO search_chars
SELECT (p.key >> 16)::UINTEGER AS code, p.sid, count(*)::INTEGER FROM search_postings p
WHERE p.sid >= ? AND p.sid < ?
  AND (p.key >> 16) IN (SELECT key >> 16 FROM search_keys GROUP BY 1 HAVING sum(n_postings) >= ?)
GROUP BY code, p.sid ORDER BY code"""
KEYS_SQL = "INSERT INTO search_keys SELECT key, count(*) FROM search_postings GROUP BY key ORDER BY key"

POSTINGS_TABLES = ("search_postings", "search_keys", "search_tf", "search_chars")
SEARCH_TABLES = ("search_docs", "search_regions", "search_meta", *POSTINGS_TABLES)


_UNITS = {"bytes": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def workers(con) -> int:
    """Chunks built at once: DuckDB's sort of one chunk runs on about one core, so one chunk
    per thread (at most 4) keeps the cores busy."""
    try:
        return max(1, min(4, int(con.execute("SELECT current_setting('threads')").fetchone()[0])))
    except Exception:
        return 1


def chunk_postings(con) -> int:
    """Postings per sorted chunk for this connection's memory_limit. Not divided among the
    workers: fewer chunks make faster queries, and DuckDB spills if two sorts need more."""
    if CHUNK_POSTINGS:
        return CHUNK_POSTINGS
    try:
        value, unit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0].split()
        limit = float(value) * _UNITS[unit.lower()]
    except Exception:  # an unexpected format: the conservative end
        return MIN_CHUNK_POSTINGS
    return int(min(MAX_CHUNK_POSTINGS, max(MIN_CHUNK_POSTINGS, limit // BYTES_PER_POSTING)))


def _cursors(con, n: int) -> list:
    """n cursors that see the new tables, or [] (then one chunk at a time on `con`): a caller
    inside an open transaction has tables other connections cannot see yet."""
    if n <= 1:
        return []
    cursors = []
    try:
        for _ in range(n):
            cursors.append(con.cursor())
            cursors[-1].execute("SELECT count(*) FROM search_postings").fetchone()
    except Exception:
        for c in cursors:
            c.close()
        return []
    return cursors


def _chunks(con) -> list[tuple[int, int]]:
    """rowid ranges [a, b) of about chunk_postings() characters each."""
    target = chunk_postings(con)
    rows = con.execute("""
        SELECT sid // greatest(1, (SELECT count(*) FROM search_docs) // 4096) AS block,
               min(sid), max(sid) + 1, sum(len)
        FROM search_docs GROUP BY block ORDER BY block""").fetchall()
    if not rows:
        return []
    chunks: list[tuple[int, int]] = []
    start, size = None, 0
    for _, lo, hi, chars in rows:
        if start is None:
            start = lo
        size += chars or 0
        if size >= target:
            chunks.append((start, hi))
            start, size = None, 0
    if start is not None:
        chunks.append((start, rows[-1][2]))
    return chunks


def _each_chunk(con, chunks: list[tuple[int, int]], statements: list[str], extra: list | None = None) -> None:
    """Run each statement with [a, b, *extra] for every chunk [a, b), chunks in parallel."""
    cursors = _cursors(con, min(workers(con), len(chunks)))
    if len(cursors) <= 1:
        for a, b in chunks:
            for sql in statements:
                con.execute(sql, [a, b, *(extra or [])])
        return
    # one cursor (connection to the same database) per worker; each INSERT appends its own
    # sorted run. Row groups of different runs may end up interleaved: each still covers
    # a narrow key range, which is all the zone maps need (correctness never depends on it).
    from concurrent.futures import ThreadPoolExecutor
    todo, lock = iter(chunks), threading.Lock()

    def work(cur):
        while True:
            with lock:
                ab = next(todo, None)
            if ab is None:
                return
            for sql in statements:
                cur.execute(sql, [*ab, *(extra or [])])

    try:
        with ThreadPoolExecutor(len(cursors)) as pool:
            for f in [pool.submit(work, c) for c in cursors]:
                f.result()
    finally:
        for c in cursors:
            c.close()


def build_search_index(con, postings: bool = True) -> None:
    """(Re)build the search tables from the complete `paragraphs` table of `con` (read-write):
    search_docs, search_regions and search_meta (a new build_id) always, what the tantivy index
    (tantivy_index.py) and its scores read; the bigram tables of the DuckDB search (search_postings,
    search_keys, search_tf, search_chars) only with `postings` (build_postings). The build
    (write.finish) leaves them out: they cost about as much CPU as the whole tantivy index, which
    is the search; they stay a reference implementation, built on demand (tests, benchmarks)."""
    started = time.perf_counter()
    for t in SEARCH_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {t}")
    con.execute(SEARCH_SCHEMA_SQL)
    con.execute(DOCS_SQL)
    con.execute(REGIONS_SQL)
    n, avg_len = con.execute("SELECT count(*), coalesce(avg(len), 0) FROM search_docs").fetchone()
    con.executemany("INSERT INTO search_meta VALUES (?, ?)", [
        ("version", INDEX_VERSION), ("n_paragraphs", str(n)), ("avg_len", repr(float(avg_len))),
        ("built_at", time.strftime("%Y-%m-%dT%H:%M:%S%z")), ("build_id", uuid.uuid4().hex),
        ("seconds", f"{time.perf_counter() - started:.2f}"),
    ])
    if postings:
        build_postings(con)


def build_postings(con) -> None:
    """(Re)build the DuckDB bigram tables over search_docs (build_search_index made it), keeping
    the index's build_id (a tantivy folder beside the file stays its index): after it,
    query.py's DuckDB path (engine="duckdb") answers on this warehouse."""
    started = time.perf_counter()
    for t in POSTINGS_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {t}")
    con.execute(POSTINGS_SCHEMA_SQL)
    chunks = _chunks(con)
    _each_chunk(con, chunks, [POSTINGS_SQL])
    con.execute(KEYS_SQL)
    _each_chunk(con, chunks, [TF_SQL, CHARS_SQL], [TF_MIN_POSTINGS])
    n_post = con.execute("SELECT count(*) FROM search_postings").fetchone()[0]
    con.execute("DELETE FROM search_meta WHERE key IN ('n_postings', 'chunks', 'tf_min_postings', 'postings_seconds')")
    con.executemany("INSERT INTO search_meta VALUES (?, ?)", [
        ("n_postings", str(n_post)), ("chunks", str(len(chunks))), ("tf_min_postings", str(TF_MIN_POSTINGS)),
        ("postings_seconds", f"{time.perf_counter() - started:.2f}"),
    ])
