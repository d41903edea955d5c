"""Full-text search over paragraphs, on the index of etl/search_index.py.

    search(con, query, *, years=None, regions=None, doc_ids=None, limit=50, offset=0) -> DataFrame
    count_hits(con, query, *, years=None, regions=None, doc_ids=None) -> int
    prepare_query(query) -> Query            # the terms a query is searched by
    highlight_spans(text, terms) -> [(start, end), ...]
    snippet_html(text, terms, width=120) -> str

The query (untrusted: it comes from the URL) is
1. cut to MAX_QUERY_CHARS, width-normalised and converted to simplified script
   exactly as etl/clean.py made `text_simplified` (so 細顆粒物 finds 细颗粒物 and
   a simplified query finds a traditional document);
2. split at separators (spaces, punctuation other than . - / _ # & @ % : see
   is_separator) into chunks; "quoted" text is one phrase;
3. each chunk is segmented with jieba (precise mode); a one-character word is
   glued to its neighbour (细|颗粒物 -> 细颗粒物, 2023|年 -> 2023年) because
   alone it matches nearly everything; a chunk that is one character stays one;
4. every word is a required term, matched as a phrase (all its bigrams,
   adjacent, in order; ASCII letters in either case); terms are AND-ed;
5. a chunk of several words is also an optional phrase term: paragraphs that
   hold the words in the query's order, adjacent, score higher.

Ranking: BM25 (k1 = 1.2, b = 0.75) summed over the terms found, with tf = the
number of occurrences in the paragraph, df = the number of paragraphs holding
the term (both from the index, over the whole warehouse, filters aside),
N and the average length from search_meta, lengths in characters.

Filters (None or empty = no filter):
- years: the paragraph's document reviews one of those years
  (documents.report_year). Chosen over metric years because most paragraphs
  hold no metric and would vanish from any year-filtered search.
- regions: the paragraph has a metric in one of those regions (metrics.region or
  metrics.region_code), or its document's own region is one of them.
- doc_ids: the paragraph belongs to one of those documents.

Every value reaches SQL as a bound parameter; the SQL text depends only on the
number of terms and parts, never on their content. Snippets are HTML-escaped
piece by piece, <mark> inserted by offsets, so nothing from a document or the
query reaches the page as markup.
"""
from __future__ import annotations

import html
import math
import re
import threading
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from etl.search_index import SUPPLEMENTARY_BUCKET

K1 = 1.2
B = 0.75
MAX_QUERY_CHARS = 200
MAX_TERMS = 16
SNIPPET_CHARS = 120
KEEP_PUNCTUATION = frozenset(".-/_#&@%")
QUOTES = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')

COLUMNS = ["paragraph_id", "doc_id", "seq", "score", "snippet_html", "snippet", "spans", "text", "heading",
           "file", "title", "report_year", "total"]


# ---- query -> terms ---------------------------------------------------------------------

def is_separator(ch: str) -> bool:
    """Spaces, controls and punctuation, except the marks that live inside terms (PM2.5, 3.5%)."""
    cat = unicodedata.category(ch)
    return cat[0] in "ZC" or (cat[0] == "P" and ch not in KEEP_PUNCTUATION)


def _code(ch: str) -> int:
    c = ord(ch)
    return c if c < 0x10000 else SUPPLEMENTARY_BUCKET + c % 2048


def _cases(ch: str) -> list[str]:
    return [ch.lower(), ch.upper()] if "a" <= ch.lower() <= "z" else [ch]


@dataclass(frozen=True)
class Term:
    text: str                   # normalised (simplified, width-folded); matched case-insensitively for ASCII
    required: bool = True

    def parts(self) -> list[tuple[int, list[tuple[int, int]]]]:
        """[(offset, [(key_lo, key_hi), ...])]: the bigram keys (lo == hi) at offsets 0, 2, ..., n-2
        that cover the term, or one key range for a one-character term; one key per case variant."""
        t = self.text
        if len(t) == 1:
            return [(0, [(_code(v) << 16, (_code(v) << 16) | 0xFFFF) for v in _cases(t)])]
        offsets = list(range(0, len(t) - 1, 2))
        if offsets[-1] != len(t) - 2:
            offsets.append(len(t) - 2)
        out = []
        for o in offsets:
            keys = sorted({(_code(a) << 16) | _code(b) for a in _cases(t[o]) for b in _cases(t[o + 1])})
            out.append((o, [(k, k) for k in keys]))
        return out


@dataclass
class Query:
    text: str                                   # as given
    terms: list[Term] = field(default_factory=list)                          # required, then phrases
    phrases: list[tuple[int, list[tuple[int, int]]]] = field(default_factory=list)
    # phrases[i] = (index of its Term in terms, [(index of a required term, its offset in the phrase)])

    @property
    def required(self) -> list[Term]:
        return [t for t in self.terms if t.required]

    def __bool__(self) -> bool:
        return bool(self.required)


_init_lock = threading.Lock()
_ready = False


def _jieba():
    global _ready
    import jieba
    if not _ready:
        with _init_lock:
            if not _ready:
                import logging
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def normalise(text: str) -> str:
    """The query as etl/clean.py normalises document text: width, then simplified script
    (the same functions, so both sides agree character for character)."""
    from etl.clean import normalise_width, to_simplified
    return to_simplified(normalise_width(text))


def _chunks(text: str) -> list[tuple[str, bool]]:
    """(chunk, quoted) runs of non-separator characters; quoted ones are not segmented."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in QUOTES.finditer(text):
        out += [(c, False) for c in _split(text[pos:m.start()])]
        out += [(c, True) for c in _split(next(g for g in m.groups() if g is not None))]
        pos = m.end()
    out += [(c, False) for c in _split(text[pos:])]
    return out


def _split(text: str) -> list[str]:
    chunks, cur = [], []
    for ch in text:
        if is_separator(ch):
            if cur:
                chunks.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        chunks.append("".join(cur))
    return chunks


def _is_number(s: str) -> bool:
    return bool(re.fullmatch(r"[0-9.]+|[零〇一二三四五六七八九十百千万亿两]+", s))


def _words(chunk: str) -> list[tuple[int, str]]:
    """(offset, word) of the chunk's words: jieba precise mode, one-character words glued on."""
    words, off = [], 0
    for w in _jieba().lcut(chunk, HMM=True):
        words.append([off, w])
        off += len(w)
    merged: list[list] = []
    i = 0
    while i < len(words):
        off, w = words[i]
        if len(w) == 1 and len(words) > 1 and w.isalnum():
            if merged and _is_number(merged[-1][1]):      # 2023|年 -> 2023年
                merged[-1][1] += w
            elif i + 1 < len(words):                       # 细|颗粒物 -> 细颗粒物
                words[i + 1] = [off, w + words[i + 1][1]]
            elif merged:                                   # last: onto the previous word
                merged[-1][1] += w
            else:
                merged.append([off, w])
        else:
            merged.append([off, w])
        i += 1
    return [(o, w) for o, w in merged if any(c.isalnum() for c in w)]


def prepare_query(query: str | None) -> Query:
    """The terms `query` is searched by (no database access)."""
    q = Query(text=query or "")
    text = normalise((query or "")[:MAX_QUERY_CHARS])
    required: dict[str, int] = {}
    phrase_specs: list[tuple[str, list[tuple[str, int]]]] = []
    for chunk, quoted in _chunks(text):
        if not any(c.isalnum() for c in chunk):
            continue
        words = [(0, chunk)] if quoted else _words(chunk)
        for _, w in words:
            if w.lower() not in required and len(required) < MAX_TERMS:
                required[w.lower()] = len(required)
        if len(words) > 1:
            phrase_specs.append((chunk, [(w, o) for o, w in words]))
    q.terms = [Term(w) for w in required]
    seen = set()
    for chunk, members in phrase_specs:
        key = chunk.lower()
        if key in seen or key in required or any(w.lower() not in required for w, _ in members):
            continue
        seen.add(key)
        q.phrases.append((len(q.terms), [(required[w.lower()], o) for w, o in members]))
        q.terms.append(Term(chunk, required=False))
    return q


# ---- SQL ----------------------------------------------------------------------------------

def _term_occurrences(term: Term) -> tuple[str, list]:
    """SELECT sid, start: every place `term` starts (its parts joined on adjacent positions)."""
    parts = term.parts()
    params: list = []

    def scan(keys: list[tuple[int, int]], exact: bool) -> str:
        sel = []
        for lo, hi in keys:
            if exact:
                sel.append("SELECT sid, pos FROM search_postings WHERE key = ?::UINTEGER")
                params.append(lo)
            else:
                sel.append("SELECT sid, pos FROM search_postings WHERE key BETWEEN ?::UINTEGER AND ?::UINTEGER")
                params.extend([lo, hi])
        return " UNION ALL ".join(sel)

    if len(parts) == 1:
        return f"SELECT sid, pos AS start FROM ({scan(parts[0][1], len(term.text) > 1)})", params
    sql = f"SELECT p0.sid, p0.pos AS start FROM ({scan(parts[0][1], True)}) p0"
    for j, (off, keys) in enumerate(parts[1:], 1):
        sql += f" JOIN ({scan(keys, True)}) p{j} ON p{j}.sid = p0.sid AND p{j}.pos = p0.pos + ?::INTEGER"
        params.append(off)
    return sql, params


def _bm25(tf: str, df: str, length: str) -> str:
    """BM25 term weight as SQL over column names (fixed by this module, never user input)."""
    return (f"ln(1 + (meta.n - {df} + 0.5) / ({df} + 0.5)) * {tf} * {K1 + 1}"
            f" / ({tf} + {K1} * (1 - {B} + {B} * {length} / meta.avg_len))")


def _filters_sql(years, regions, doc_ids) -> tuple[str, list]:
    where, params = [], []
    if doc_ids:
        where.append("list_contains(?::VARCHAR[], d.doc_id)")
        params.append([str(x) for x in doc_ids])
    if years:
        where.append("d.doc_id IN (SELECT doc_id FROM documents WHERE list_contains(?::INTEGER[], report_year))")
        params.append([int(y) for y in years])
    if regions:
        names = [str(r) for r in regions]
        where.append("(d.doc_id IN (SELECT doc_id FROM documents WHERE list_contains(?::VARCHAR[], region))"
                     " OR d.paragraph_id IN (SELECT paragraph_id FROM metrics"
                     " WHERE list_contains(?::VARCHAR[], region) OR list_contains(?::VARCHAR[], region_code)))")
        params += [names, names, names]
    return (" AND ".join(where) or "TRUE"), params


def _scored_sql(q: Query, years, regions, doc_ids) -> tuple[str, list]:
    """WITH ... scored(sid, paragraph_id, doc_id, score): the filtered hits with their BM25.

    o{i}: occurrences (sid, start) of required term i; t{i}: its tf per paragraph;
    hits: the paragraphs holding every required term (t0 JOIN t1 ...);
    f{p}: tf of phrase p (its words' occurrences joined at their offsets);
    df of each term = rows of its t/f table."""
    ctes, params = [], []
    used_in_phrase = {t for _, members in q.phrases for t, _ in members}
    for i, term in enumerate(q.required):
        sql, p = _term_occurrences(term)
        mat = "MATERIALIZED " if i in used_in_phrase else ""
        ctes.append(f"o{i} AS {mat}({sql})")
        ctes.append(f"t{i} AS MATERIALIZED (SELECT sid, count(*) AS tf FROM o{i} GROUP BY sid)")
        params += p
    n = len(q.required)
    ctes.append("hits AS (SELECT t0.sid, " + ", ".join(f"t{i}.tf AS tf{i}" for i in range(n)) + " FROM t0"
                + "".join(f" JOIN t{i} USING (sid)" for i in range(1, n)) + ")")
    for k, (_, members) in enumerate(q.phrases):
        (a, off_a), rest = members[0], members[1:]
        sql = f"SELECT x0.sid, count(*) AS tf FROM o{a} x0"
        for j, (b, off_b) in enumerate(rest, 1):
            sql += f" JOIN o{b} x{j} ON x{j}.sid = x0.sid AND x{j}.start = x0.start + ?::INTEGER"
            params.append(off_b - off_a)
        ctes.append(f"f{k} AS MATERIALIZED ({sql} GROUP BY x0.sid)")
    ctes.append("""meta AS (SELECT max(CASE WHEN key = 'n_paragraphs' THEN value END)::DOUBLE AS n,
                    greatest(max(CASE WHEN key = 'avg_len' THEN value END)::DOUBLE, 1) AS avg_len
             FROM search_meta)""")
    dfs = [f"(SELECT count(*) FROM t{i}) AS df{i}" for i in range(n)]
    dfs += [f"(SELECT count(*) FROM f{k}) AS dfp{k}" for k in range(len(q.phrases))]
    ctes.append(f"df AS (SELECT {', '.join(dfs)})")
    score = [_bm25(f"h.tf{i}", f"df.df{i}", "d.len") for i in range(n)]
    score += [f"coalesce({_bm25(f'f{k}.tf', f'df.dfp{k}', 'd.len')}, 0)" for k in range(len(q.phrases))]
    filt_sql, filt_params = _filters_sql(years, regions, doc_ids)
    ctes.append(f"""scored AS (
        SELECT h.sid, d.paragraph_id, d.doc_id, {" + ".join(score)} AS score
        FROM hits h JOIN search_docs d USING (sid)
        {"".join(f" LEFT JOIN f{k} ON f{k}.sid = h.sid" for k in range(len(q.phrases)))}, df, meta
        WHERE {filt_sql})""")
    return "WITH " + ",\n".join(ctes), params + filt_params


def _has_index(con) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name IN "
                       "('search_postings', 'search_docs', 'search_meta')").fetchone()[0] == 3


def _empty() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    df.attrs["total"] = 0
    return df


def count_hits(con, query: str, *, years=None, regions=None, doc_ids=None) -> int:
    """How many paragraphs `search` would page through."""
    q = prepare_query(query)
    if not q or not _has_index(con):
        return 0
    sql, params = _scored_sql(q, years, regions, doc_ids)
    return int(con.execute(sql + " SELECT count(*) FROM scored", params).fetchone()[0])


def search(con, query: str, *, years=None, regions=None, doc_ids=None, limit: int = 50,
           offset: int = 0) -> pd.DataFrame:
    """Paragraphs matching every term of `query`, best BM25 first: one row per paragraph with
    paragraph_id, doc_id, seq, score, snippet_html (escaped, terms in <mark>), snippet (plain),
    spans (term offsets in text), text, heading, file, title, report_year and total (all hits,
    for pagination; also in .attrs['total']). An empty or punctuation-only query gives no rows."""
    q = prepare_query(query)
    if not q or not _has_index(con):
        return _empty()
    limit = max(0, min(int(limit), 1000))
    offset = max(0, int(offset))
    sql, params = _scored_sql(q, years, regions, doc_ids)
    page = con.execute(sql + """
        SELECT paragraph_id, doc_id, score, (SELECT count(*) FROM scored) AS total
        FROM scored ORDER BY score DESC, paragraph_id LIMIT ?::BIGINT OFFSET ?::BIGINT""",
                       params + [limit, offset]).fetchdf()
    if page.empty:
        out = _empty()
        out.attrs["total"] = count_hits(con, query, years=years, regions=regions, doc_ids=doc_ids) if offset else 0
        return out
    texts = con.execute("""
        SELECT paragraph_id, seq, text, text_simplified, heading FROM paragraphs
        WHERE list_contains(?::VARCHAR[], paragraph_id)""", [list(page["paragraph_id"])]).fetchdf()
    docs = con.execute("""
        SELECT doc_id, file, title, report_year FROM documents
        WHERE list_contains(?::VARCHAR[], doc_id)""", [sorted(set(page["doc_id"]))]).fetchdf()
    # (two lookups: joined in one statement, DuckDB scans every paragraph)
    rows = page.merge(texts, on="paragraph_id", how="left").merge(docs, on="doc_id", how="left")
    terms = [t.text for t in q.terms]
    spans, snippets, plains = [], [], []
    for text, simp in zip(rows["text"], rows["text_simplified"]):
        sp = highlight_spans(simp, terms)
        spans.append(sp)
        h, plain = _snippet(text, sp)
        snippets.append(h)
        plains.append(plain)
    rows["spans"] = spans
    rows["snippet_html"] = snippets
    rows["snippet"] = plains
    rows = rows.drop(columns=["text_simplified"])
    rows.attrs["total"] = int(rows["total"].iloc[0])
    return rows[COLUMNS]


# ---- highlighting ---------------------------------------------------------------------

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def highlight_spans(text: str, terms) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) offsets of every occurrence of every term in `text`
    (ASCII letters in either case). Offsets index `text`, and so also the display text
    when `text` is its simplified twin (same length)."""
    folded = text.translate(_ASCII_LOWER)
    found = []
    for term in terms:
        t = (term.text if isinstance(term, Term) else str(term)).translate(_ASCII_LOWER)
        if not t:
            continue
        i = folded.find(t)
        while i >= 0:
            found.append((i, i + len(t)))
            i = folded.find(t, i + 1)
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _window(n: int, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    if n <= width:
        return 0, n
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 3, n - width))
    return start, start + width


def _snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[str, str]:
    """(html, plain) of about `width` characters around the first span."""
    a, b = _window(len(text), spans, width)
    out, cur = [], a
    for s, e in spans:
        s, e = max(s, a), min(e, b)
        if s >= e:
            continue
        out.append(html.escape(text[cur:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cur = e
    out.append(html.escape(text[cur:b]))
    pre, post = ("…" if a > 0 else ""), ("…" if b < len(text) else "")
    return pre + "".join(out) + post, pre + text[a:b] + post


def snippet_html(text: str, terms, width: int = SNIPPET_CHARS, simplified: str | None = None) -> str:
    """Escaped snippet of `text` around the first occurrence of a term, occurrences in <mark>.
    `simplified`: text's simplified twin to match in (same length), when text is traditional."""
    return _snippet(text, highlight_spans(simplified if simplified is not None else text, terms), width)[0]
