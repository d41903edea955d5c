"""Full-text search index over `paragraphs`, built in DuckDB SQL (no extension needed).

    build_search_index(con)   # called by etl.load.finish on the new warehouse

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
DROPPED_SEPARATORS and never indexed as the first character, which saves ~10 %
of the postings; dashboard/search.py treats every one of them as a separator.

Tables (column comments in SEARCH_SCHEMA_SQL)
---------------------------------------------
search_postings  (key, sid, pos): written in chunks of about CHUNK_POSTINGS
                 postings, each chunk sorted by key. DuckDB keeps min/max per
                 row group (zone maps), so `key = ?` reads about one row group
                 per chunk instead of the whole table: no index structure, and
                 the sort stays within memory a chunk at a time.
search_docs      one row per paragraph: sid (its rowid when the index was built),
                 paragraph_id, doc_id, len (characters, for BM25).
search_meta      key/value: version, n_paragraphs, avg_len, n_postings, chunks,
                 built_at, seconds.

The dashboard opens the warehouse read-only, so sids stay valid; results are
joined back to `paragraphs` by paragraph_id, never by rowid.
"""
from __future__ import annotations

import time

INDEX_VERSION = "3"

# Target postings per sorted chunk: bounds the build's memory (a chunk of 8M sorts in ~300 MB;
# 16M took the build to ~640 MB RSS) and costs little at query time (a key is read in one
# row group per chunk: 13 or 21 chunks for 1M paragraphs searched alike).
CHUNK_POSTINGS = 8_000_000

SUPPLEMENTARY_BUCKET = 0xD800  # code() of a code point beyond U+FFFF: 0xD800 + c % 2048

# Separators not indexed as the first character of a posting (the commonest in reports;
# etl/clean.py has already turned full-width ，；：（）！？ into ASCII).
DROPPED_SEPARATORS: tuple[int, ...] = tuple(sorted({
    *map(ord, "\t\n\r ,;:()!?\"'"),
    0x3000,                                    # ideographic space
    *map(ord, "、。“”‘’《》【】「」『』—…·"),
}))

SEARCH_SCHEMA_SQL = """
-- Paragraph search index (etl/search_index.py builds it, dashboard/search.py reads it).
CREATE TABLE search_docs (
    sid          INTEGER,   -- paragraphs.rowid when the index was built; numbers the postings
    paragraph_id VARCHAR,   -- paragraphs.paragraph_id
    doc_id       VARCHAR,   -- paragraphs.doc_id (filters)
    len          INTEGER    -- length(text_simplified) in characters (BM25 length normalisation)
);
CREATE TABLE search_postings (  -- sorted by key within each chunk of paragraphs: zone maps prune
    key          UINTEGER,  -- code(char at pos) << 16 | code(next char), 0 after the last
    sid          INTEGER,   -- search_docs.sid
    pos          INTEGER    -- 0-based character offset in text_simplified (= in text)
);
CREATE TABLE search_meta (
    key          VARCHAR,   -- 'version', 'n_paragraphs', 'avg_len', 'n_postings', 'chunks', 'built_at', 'seconds'
    value        VARCHAR
);
"""

DOCS_SQL = """
INSERT INTO search_docs
SELECT rowid::INTEGER, paragraph_id, doc_id, length(text_simplified)::INTEGER FROM paragraphs"""

# One chunk of paragraphs (rowid in [?, ?)): one row per character, sorted by key.
# c1/c2: the code points of the character and of the next one (NULL after the last).
POSTINGS_SQL = f"""
INSERT INTO search_postings
SELECT (((CASE WHEN c1 BETWEEN 65 AND 90 THEN c1 + 32 WHEN c1 < 65536 THEN c1
                ELSE {SUPPLEMENTARY_BUCKET} + c1 % 2048 END)::UINTEGER << 16)
        | (CASE WHEN c2 IS NULL THEN 0 WHEN c2 BETWEEN 65 AND 90 THEN c2 + 32 WHEN c2 < 65536 THEN c2
                ELSE {SUPPLEMENTARY_BUCKET} + c2 % 2048 END)::UINTEGER)::UINTEGER AS key,
       sid, pos
FROM (
    SELECT sid, unnest(c) AS c1, unnest(c[2:]) AS c2, unnest(range(len(c)))::INTEGER AS pos
    FROM (SELECT rowid::INTEGER AS sid,
                 list_transform(string_split(text_simplified, ''), lambda ch: unicode(ch)) AS c
          FROM paragraphs WHERE rowid >= ? AND rowid < ?)
)
WHERE c1 NOT IN ({", ".join(map(str, DROPPED_SEPARATORS))})
ORDER BY key"""

SEARCH_TABLES = ("search_postings", "search_docs", "search_meta")


def _chunks(con) -> list[tuple[int, int]]:
    """rowid ranges [a, b) of about CHUNK_POSTINGS characters each."""
    rows = con.execute("""
        SELECT sid // 8192 AS block, min(sid), max(sid) + 1, sum(len)
        FROM search_docs GROUP BY block ORDER BY block""").fetchall()
    chunks: list[tuple[int, int]] = []
    start, size = None, 0
    for _, lo, hi, chars in rows:
        if start is None:
            start = lo
        size += chars or 0
        if size >= CHUNK_POSTINGS:
            chunks.append((start, hi))
            start, size = None, 0
    if start is not None:
        chunks.append((start, rows[-1][2]))
    return chunks


def build_search_index(con) -> None:
    """(Re)build the search_* tables from the complete `paragraphs` table of `con` (read-write)."""
    started = time.perf_counter()
    for t in SEARCH_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {t}")
    con.execute(SEARCH_SCHEMA_SQL)
    con.execute(DOCS_SQL)
    chunks = _chunks(con)
    for a, b in chunks:
        con.execute(POSTINGS_SQL, [a, b])
    n, avg_len, n_post = con.execute(
        """SELECT count(*), coalesce(avg(len), 0), (SELECT count(*) FROM search_postings)
           FROM search_docs""").fetchone()
    con.executemany("INSERT INTO search_meta VALUES (?, ?)", [
        ("version", INDEX_VERSION), ("n_paragraphs", str(n)), ("avg_len", repr(float(avg_len))),
        ("n_postings", str(n_post)), ("chunks", str(len(chunks))),
        ("built_at", time.strftime("%Y-%m-%dT%H:%M:%S%z")),
        ("seconds", f"{time.perf_counter() - started:.2f}"),
    ])
