"""Full-text search index over `paragraphs`, built in DuckDB SQL (no extension needed).

Why character bigrams
---------------------
Chinese has no spaces, so a word index needs a segmenter at build time (jieba
reads about 1.4 MB/s: minutes for a million paragraphs) and then misses every
query word that the segmenter cut differently in the text. A positional index
of character bigrams needs no segmentation, is built by vectorised SQL, and
answers any substring exactly: a query term is found where all its bigrams
stand next to each other (a phrase match), whatever the segmentation.

What is indexed
---------------
`paragraphs.text_simplified` (same length as `text`, simplified script), one
posting per character position p that holds a word character:

    key = fold(c[p]) << 16 | fold(c[p+1])      -- 0 as the second half when
                                                 -- p+1 is a separator or the end

so the same table answers bigrams (`key = k`) and single characters (the key
range `fold(c) << 16 .. fold(c) << 16 | 0xFFFF`), and a term of n >= 2
characters is the bigrams at offsets 0, 2, 4, ... and n-2 (they cover every
character) lined up at the same start position.

`fold` (one code point to one, so offsets stay those of the text):
ASCII A-Z -> a-z; full-width ASCII (U+FF01..U+FF5E) -> ASCII; separators -> 0
(not indexed): whitespace and controls, ASCII punctuation other than
``. % + - / # & _ @ $`` (kept: PM2.5, 3.5%, CO2-eq, m3/s), CJK and general
punctuation (。，、；：“”《》（）—…· and the rest of U+2000-206F, U+3000-3004,
U+3008-3020, U+FE10-FE1F, U+FE30-FE6F, U+FF5F-FF65, full-width forms of the
separators); characters beyond the BMP -> U+D800 + (c mod 2048) (surrogate
code points never occur in text, so these 2048 buckets collide only with each
other: a query containing a rare supplementary-plane character may match
another such character at that place). The key fits an UINTEGER: a 32-bit sort
key makes the build's sort 2-3x faster than a 64-bit one.

`SEPARATOR_RANGES` / `fold_code` below are the single source of truth: the SQL
expression is generated from them (`fold_sql`), and dashboard/search.py folds
queries and finds highlight offsets with the same Python function.

Tables (see SEARCH_SCHEMA_SQL for the column comments)
------------------------------------------------------
search_postings  (key, sid, pos), ORDER BY key: DuckDB's per-row-group min/max
                 (zone maps) then turn `key = ?` into a read of the few row
                 groups holding that key, without a separate index structure.
search_docs      one row per paragraph: sid (the paragraph's rowid when the
                 index was built), paragraph_id, doc_id, len (characters).
search_meta      key/value: n_paragraphs, avg_len (BM25), version, built_at.

The dashboard opens the warehouse read-only and never modifies `paragraphs`,
so the sid stays valid; the join back to `paragraphs` goes by paragraph_id.
"""
from __future__ import annotations

import bisect
import time

INDEX_VERSION = "1"

# Code points (inclusive ranges) that are separators: never indexed, never part of a query term.
SEPARATOR_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0020),   # controls, space
    (0x007F, 0x00A0),   # DEL, C1 controls, no-break space
    (0x00B7, 0x00B7),   # middle dot ·
    (0x2000, 0x206F),   # general punctuation: spaces, dashes, “” ‘’ … ‰ and invisible marks
    (0x3000, 0x3004),   # ideographic space 、 。 〃 〄  (々 〆 〇 are letters)
    (0x3008, 0x3020),   # 〈〉《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〠
    (0xFE10, 0xFE1F),   # vertical forms
    (0xFE30, 0xFE6F),   # CJK compatibility and small forms
    (0xFEFF, 0xFEFF),   # byte order mark
    (0xFF5F, 0xFF65),   # half-width brackets and punctuation
    (0xFFFD, 0xFFFD),   # replacement character (undecodable input)
)
# ASCII punctuation that separates; the rest (. % + - / # & _ @ $) stays inside terms.
ASCII_SEPARATORS = "!\"'(),:;<=>?[\\]^`{|}~*"

CJK_FAST = (0x4E00, 0x9FFF)   # CJK unified ideographs: the bulk of the text, folded to themselves
SUPPLEMENTARY_BUCKET = 0xD800  # base of the 2048 buckets for code points beyond U+FFFF


def _fold_bmp(c: int) -> int:
    """Reference definition of the fold for one BMP code point (0 = separator)."""
    if 0xFF01 <= c <= 0xFF5E:          # full-width ASCII -> ASCII
        c -= 0xFEE0
    if 0x41 <= c <= 0x5A:              # A-Z -> a-z
        c += 0x20
    if c < 0x80 and chr(c) in ASCII_SEPARATORS:
        return 0
    for a, b in SEPARATOR_RANGES:
        if a <= c <= b:
            return 0
    return c


def _runs() -> list[tuple[int, int, int | None]]:
    """The fold as runs (start, end, delta) of BMP code points where it is not the identity;
    delta None means separator (0)."""
    runs: list[tuple[int, int, int | None]] = []
    for c in range(0x10000):
        if CJK_FAST[0] <= c <= CJK_FAST[1]:
            continue
        f = _fold_bmp(c)
        if f == c:
            continue
        d = None if f == 0 else f - c
        if runs and runs[-1][1] == c - 1 and runs[-1][2] == d:
            runs[-1] = (runs[-1][0], c, d)
        else:
            runs.append((c, c, d))
    return runs


_RUNS = _runs()
_RUN_STARTS = [r[0] for r in _RUNS]


def fold_code(c: int) -> int:
    """The index's fold of one code point (0 for a separator); equal to fold_sql() by construction."""
    if CJK_FAST[0] <= c <= CJK_FAST[1]:
        return c
    if c > 0xFFFF:
        return SUPPLEMENTARY_BUCKET + c % 2048
    i = bisect.bisect_right(_RUN_STARTS, c) - 1
    if i >= 0 and _RUNS[i][0] <= c <= _RUNS[i][1]:
        d = _RUNS[i][2]
        return 0 if d is None else c + d
    return c


def fold_sql(c: str) -> str:
    """SQL expression of the fold of the code point expression `c` (a column or lambda
    parameter name, never user input). Generated from the constants above."""
    whens = [f"WHEN {c} BETWEEN {CJK_FAST[0]} AND {CJK_FAST[1]} THEN {c}"]
    seps = [(a, b) for a, b, d in _RUNS if d is None]
    sep_cond = f"{c} <= 0 OR " + " OR ".join(f"{c} = {a}" if a == b else f"{c} BETWEEN {a} AND {b}" for a, b in seps)
    whens.append(f"WHEN {sep_cond} THEN 0")
    for a, b, d in _RUNS:
        if d is not None:
            cond = f"{c} = {a}" if a == b else f"{c} BETWEEN {a} AND {b}"
            whens.append(f"WHEN {cond} THEN {c} + ({d})")
    whens.append(f"WHEN {c} > 65535 THEN {SUPPLEMENTARY_BUCKET} + {c} % 2048")
    return "CASE " + " ".join(whens) + f" ELSE {c} END"


SEARCH_SCHEMA_SQL = """
-- Paragraph search index (etl/search_index.py builds it, dashboard/search.py reads it).
CREATE TABLE search_docs (
    sid          INTEGER,   -- paragraphs.rowid at build time; the postings' paragraph number
    paragraph_id VARCHAR,   -- paragraphs.paragraph_id
    doc_id       VARCHAR,   -- paragraphs.doc_id (filters)
    len          INTEGER    -- length(text_simplified) in characters (BM25 length normalisation)
);
CREATE TABLE search_postings (  -- stored ORDER BY key: zone maps make `key = ?` read few row groups
    key          UINTEGER,  -- fold(char at pos) << 16 | fold(next char), 0 when the next is a separator/end
    sid          INTEGER,   -- search_docs.sid
    pos          INTEGER    -- 0-based character offset in text_simplified (and text)
);
CREATE TABLE search_meta (
    key          VARCHAR,   -- 'version', 'n_paragraphs', 'avg_len', 'n_postings', 'built_at', 'seconds'
    value        VARCHAR
);
"""

_CODES = f"list_transform(list_transform(string_split(text_simplified, ''), lambda ch: unicode(ch)), lambda c: {{fold}})"

BUILD_SQL = (
    """INSERT INTO search_docs
       SELECT rowid::INTEGER AS sid, paragraph_id, doc_id, length(text_simplified)::INTEGER AS len
       FROM paragraphs""",
    # one row per word character: its fold, the next character's fold, its offset; sorted by key
    f"""INSERT INTO search_postings
        SELECT ((c1::UINTEGER << 16) | coalesce(c2, 0)::UINTEGER)::UINTEGER AS key, sid, pos
        FROM (SELECT sid, unnest(c) AS c1, unnest(c[2:]) AS c2, unnest(range(len(c)))::INTEGER AS pos
              FROM (SELECT rowid::INTEGER AS sid, {_CODES.format(fold=fold_sql('c'))} AS c FROM paragraphs))
        WHERE c1 <> 0
        ORDER BY key""",
)

SEARCH_TABLES = ("search_postings", "search_docs", "search_meta")


def build_search_index(con) -> None:
    """(Re)build the search_* tables from the complete `paragraphs` table of `con` (read-write)."""
    started = time.perf_counter()
    for t in SEARCH_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {t}")
    con.execute(SEARCH_SCHEMA_SQL)
    for sql in BUILD_SQL:
        con.execute(sql)
    n, avg_len, n_post = con.execute(
        """SELECT count(*), coalesce(avg(len), 0), (SELECT count(*) FROM search_postings)
           FROM search_docs""").fetchone()
    con.executemany("INSERT INTO search_meta VALUES (?, ?)", [
        ("version", INDEX_VERSION), ("n_paragraphs", str(n)), ("avg_len", repr(float(avg_len))),
        ("n_postings", str(n_post)), ("built_at", time.strftime("%Y-%m-%dT%H:%M:%S%z")),
        ("seconds", f"{time.perf_counter() - started:.2f}"),
    ])
