"""The search on the tantivy index (tantivy_index.py): the same hits and the same BM25 scores as
the DuckDB path of query.py, found in a fraction of its time.

    ranked(con, q, years, regions, doc_ids, limit, offset) -> (rows, total) | None
    count(con, q, years, regions, doc_ids) -> int | None

None: the warehouse has no usable tantivy index; query.py then searches its DuckDB tables.

How the scores stay exactly those documented in query.py
--------------------------------------------------------
tantivy's own BM25 differs from ours in two ways: it stores a paragraph's length in one byte
(exact up to 40 tokens, then in buckets about a tenth wide, always rounded down), and it weighs
a phrase by the sum of its tokens' idf. So:

1. df: each required term's df (paragraphs holding it) and each optional phrase's (among the
   paragraphs holding every required term) are counted by tantivy (a one- or two-character
   term's is its token's document frequency; a phrase holding every required term needs no
   intersection with them), and cached per index, as the DuckDB path caches them; idf = ln(1 + (N - df + 0.5) / (df + 0.5)), N and the average
   length from search_meta, as there.
2. Each term's tantivy query is boosted by (our idf x the term's weight) / (tantivy's idf for
   it), so that tantivy's score of a paragraph is ours computed with its length rounded down:
   never below ours (a shorter length scores higher), and equal up to tantivy's float32.
3. tantivy returns its best M paragraphs (and the number of hits, filters applied). Their
   exact scores are computed here from their text (tf = occurrences of the term, overlapping
   ones included, in text_simplified with ASCII folded, as the index counts them; length in
   characters). When the k-th best exact score (k = offset + limit) is above the M-th tantivy
   score, no paragraph left out can beat it (its exact score is at most its tantivy score), so
   the page is exact, ties in document order (sid). Else M grows fourfold and tantivy is asked
   again (in practice M = 2k + 20 suffices: the rounding moves scores by a few per cent).
4. Only the hits that can reach the page are read (from the index's stored passages; from DuckDB
   for a folder written before they were stored): the k best tantivy scores first,
   then every hit whose tantivy score reaches the k-th best exact score (one below it cannot
   reach the page), and for the page's rows their display columns. Reading a paragraph's text
   the first time loads its block of the column (about 0.7 ms of CPU on 1 M paragraphs): a new
   query used to read text_simplified of all M hits and then every column of the page, and
   that was most of its time. A stored passage is one LZ4 block of tantivy's store (a few
   microseconds), so an index that stores them needs no DuckDB read at all.
A tantivy score below an exact one by more than float32 rounding would mean the assumption is
broken (another tantivy's BM25): every hit is then scored exactly (slower, still exact; builds no
longer carry the DuckDB tables to fall back on).
"""
from __future__ import annotations

import math
import threading

from etl.warehouse.search import tantivy_index
from etl.warehouse.search.terms import ASCII_LOWER, B, K1, Query, Term

EPS = 1e-5            # float32 rounding allowance of tantivy's scores
_lock = threading.Lock()
# id(index) -> (index, searcher): the index is kept beside its searcher, because an id is reused
# once tantivy_index drops an index it opened (its cache holds 9): a bare id could hand a new
# index another warehouse's searcher
_searchers: dict[int, tuple[object, object]] = {}
_dfs: dict[tuple, int] = {}                        # (build_id, what) -> df
_meta: dict[str, tuple[float, float]] = {}         # build_id -> (N, avg_len)
_CACHE_LIMIT = 200_000


def _remember(key, value) -> None:
    if len(_dfs) > _CACHE_LIMIT:
        _dfs.clear()
    _dfs[key] = value


def _encodable(q: Query) -> bool:
    """tantivy takes UTF-8: a term with a lone surrogate (from a hostile link) goes to DuckDB."""
    try:
        for t in q.terms:
            t.text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _open(con):
    """(build_id, index, searcher, N, avg_len) or None."""
    bid = tantivy_index.build_id(con)
    if bid is None:
        return None
    index = tantivy_index.index_for(con, bid)
    if index is None:
        return None
    with _lock:
        held = _searchers.get(id(index))
        if held is None or held[0] is not index:
            if len(_searchers) > 16:
                _searchers.clear()
            held = _searchers[id(index)] = (index, index.searcher())
        searcher = held[1]
    if bid not in _meta:
        meta = dict(con.execute("SELECT key, value FROM search_meta "
                                "WHERE key IN ('n_paragraphs', 'avg_len')").fetchall())
        _meta[bid] = (float(meta["n_paragraphs"]), max(float(meta["avg_len"]), 1.0))
    if searcher.num_docs != int(_meta[bid][0]):
        return None
    return bid, index, searcher, *_meta[bid]


def ready(con) -> bool:
    """Open the warehouse's index and its searcher, as a first search does (the dashboard's
    warm-up: etl/warehouse/warm.py); whether there is a usable index."""
    return _open(con) is not None


def _pairs(text: str) -> list[tuple[int, str]]:
    """(offset, pair) at offsets 0, 2, ..., n-2: they cover every character (as Term.parts)."""
    offsets = list(range(0, len(text) - 1, 2))
    if offsets[-1] != len(text) - 2:
        offsets.append(len(text) - 2)
    return [(o, text[o:o + 2]) for o in offsets]


def _query(schema, text: str):
    import tantivy
    if len(text) == 1:
        return tantivy.Query.term_query(schema, "c1", text)
    if len(text) == 2:
        return tantivy.Query.term_query(schema, "c2", text)
    return tantivy.Query.phrase_query(schema, "c2", [(o, p) for o, p in _pairs(text)])


def _idf(df: float, n: float) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _tantivy_idf(searcher, text: str) -> float:
    """The idf tantivy gives the query of `text` (a phrase: the sum over its pairs)."""
    n = searcher.num_docs
    if len(text) == 1:
        return _idf(searcher.doc_freq("c1", text), n)
    return sum(_idf(searcher.doc_freq("c2", p), n) for _, p in ([(0, text)] if len(text) == 2 else _pairs(text)))


def _count(searcher, query) -> int:
    return searcher.search(query, limit=1, count=True).count


def _df_of(searcher, schema, text: str) -> int:
    """Paragraphs holding `text`. A term of one or two characters is one token: its document
    frequency is the index's own (exact: these indexes are written once, never deleted from),
    read without walking its postings; a longer one is a phrase, counted."""
    if len(text) <= 2:
        return searcher.doc_freq("c1" if len(text) == 1 else "c2", text)
    return _count(searcher, _query(schema, text))


def _filters(schema, years, regions, doc_ids) -> list:
    import tantivy
    out = []
    if doc_ids:
        out.append(tantivy.Query.term_set_query(schema, "doc", [str(x) for x in doc_ids]))
    if years:
        out.append(tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(schema, "year", int(y)))
                                                for y in years]))
    if regions:
        out.append(tantivy.Query.term_set_query(schema, "region", [str(r) for r in regions]))
    return [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in out]


def _required_dfs(bid, searcher, schema, q: Query) -> list[int]:
    dfs = []
    for t in q.required:
        key = (bid, "t", t.text)
        if key not in _dfs:
            _remember(key, _df_of(searcher, schema, t.text))
        dfs.append(_dfs[key])
    return dfs


def _prepare(con, q: Query):
    """(build id, searcher, schema, paragraphs, average length, the required terms' document
    frequencies, their Must clauses, whether the index stores passages) for q, or None when
    there is no usable index."""
    opened = _open(con) if _encodable(q) else None
    if opened is None:
        return None
    import tantivy
    bid, index, searcher, n, avg = opened
    schema = index.schema
    must = [(tantivy.Occur.Must, _query(schema, t.text)) for t in q.required]
    return (bid, searcher, schema, n, avg, _required_dfs(bid, searcher, schema, q), must,
            tantivy_index.stores_passages(index))


def count(con, q: Query, years=None, regions=None, doc_ids=None) -> int | None:
    """How many paragraphs hold every required term of q (filters applied); None: no index."""
    prepared = _prepare(con, q)
    if prepared is None:
        return None
    import tantivy
    _, searcher, schema, _, _, dfs, must, _ = prepared
    if min(dfs) == 0:
        return 0
    filters = _filters(schema, years, regions, doc_ids)
    if len(dfs) == 1 and not filters:
        return dfs[0]
    return _count(searcher, tantivy.Query.boolean_query(must + filters))


def _occurrences(text: str, term: str) -> int:
    n, i = 0, text.find(term)
    while i >= 0:
        n += 1
        i = text.find(term, i + 1)
    return n


TEXTS_SQL = "SELECT rowid, text_simplified FROM paragraphs WHERE rowid IN (SELECT unnest(?::BIGINT[]))"
PAGE_SQL = """SELECT rowid, paragraph_id, doc_id, seq, text, heading FROM paragraphs
WHERE rowid IN (SELECT unnest(?::BIGINT[]))"""


def _bound(tantivy_score: float) -> float:
    """The highest exact score a hit of this tantivy score can have (float32 rounding allowed)."""
    return tantivy_score * (1 + EPS) + 1e-9


def _exact(text: str | None, weighted: list[tuple[Term, float]], avg: float) -> float:
    """Our BM25 of a paragraph's text_simplified, in query.py's order of operations (ties stay ties)."""
    folded = (text or "").translate(ASCII_LOWER)
    norm = 1 - B + B * len(folded) / avg
    score = 0.0
    for t, idf in weighted:
        tf = _occurrences(folded, t.text)
        if tf:
            one = idf * tf * (K1 + 1) / (tf + K1 * norm)
            score += one if t.required else t.weight * one
    return score


def _kth(exact: dict[int, float], sids: list[int], k: int) -> float | None:
    """The k-th best exact score among the scored hits, None while fewer than k are scored."""
    got = sorted((exact[s] for s in sids if s in exact), reverse=True)
    return got[k - 1] if len(got) >= k else None


class _Texts:
    """The texts of hits, read from the index's stored passages (when `stored`: `passages` keeps
    every column the page shows) or from DuckDB."""

    def __init__(self, con, searcher, stored: bool):
        self.con, self.searcher, self.stored = con, searcher, stored
        self.simplified: dict[int, str] = {}          # sid -> text_simplified
        self.passages: dict[int, tuple] = {}          # sid -> tantivy_index.decode_passage(...)

    def __contains__(self, sid) -> bool:
        return sid in self.simplified

    def __getitem__(self, sid):
        return self.simplified[sid]

    def read(self, sids: list[int], addresses: list) -> None:
        if not self.stored:
            self.simplified.update(self.con.execute(TEXTS_SQL, [sids]).fetchall())
            return
        for sid, address in zip(sids, addresses):
            row = tantivy_index.decode_passage(self.searcher.doc(address).get_first("passage"))
            self.passages[sid] = row
            self.simplified[sid] = row[5]

    def page(self, sids: list[int]) -> dict[int, tuple]:
        """{sid: (paragraph_id, doc_id, seq, text, heading)} of the page's rows."""
        if self.stored:
            return {s: (p[0], p[1], p[2], p[4], p[3]) for s, p in ((s, self.passages[s]) for s in sids)}
        return {r[0]: r[1:] for r in self.con.execute(PAGE_SQL, [sids]).fetchall()}


def _score_candidates(con, hits, sids, k, weighted, avg, exact, texts, exhaustive) -> bool:
    """Score (into `exact`, texts read into `texts`) the hits that can reach the first k: every hit
    when `exhaustive`, else the k best tantivy scores, then every hit whose tantivy score reaches
    the k-th best exact score (hits come best first: they are a prefix). False when an exact score
    is above its tantivy score (the bound does not hold)."""
    kth = None
    while True:
        if exhaustive:
            want = range(len(hits))
        elif kth is None:
            want = range(min(k, len(hits)))
        else:
            want = [j for j in range(len(hits)) if _bound(hits[j][0]) >= kth]
        todo = [j for j in want if sids[j] not in exact]
        if not todo:
            return True
        missing = [j for j in todo if sids[j] not in texts]
        if missing:
            texts.read([sids[j] for j in missing], [hits[j][1] for j in missing])
        for j in todo:
            exact[sids[j]] = _exact(texts[sids[j]], weighted, avg)
            if exact[sids[j]] > _bound(hits[j][0]) and not exhaustive:
                return False
        kth = _kth(exact, sids, k)


def ranked(con, q: Query, years=None, regions=None, doc_ids=None, limit: int = 50, offset: int = 0):
    """(rows, total): the page's paragraphs, best first, as (paragraph_id, doc_id, score, seq,
    text, text_simplified, heading), and the number of hits; None when there is no usable index."""
    prepared = _prepare(con, q)
    if prepared is None:
        return None
    import tantivy
    bid, searcher, schema, n, avg, dfs, must, stored = prepared
    if min(dfs) == 0:
        return [], 0
    weighted: list[tuple[Term, float]] = []       # (term, our idf)
    clauses = []
    for t, df in zip(q.required, dfs):
        weighted.append((t, _idf(df, n)))
    optional = [t for t in q.terms if not t.required]
    for t in optional:
        key = (bid, "p", tuple(x.text for x in q.required), t.text)
        if key not in _dfs and all(x.text in t.text for x in q.required):
            # the phrase's characters are matched in place (its pairs cover them all), so a paragraph
            # holding it holds every required term written inside it: its df alone is the same count,
            # found without intersecting the required terms' postings and checking their positions too
            _remember(key, _df_of(searcher, schema, t.text))
        if key not in _dfs:
            _remember(key, _count(searcher, tantivy.Query.boolean_query(
                must + [(tantivy.Occur.Must, _query(schema, t.text))])))
        if _dfs[key]:
            weighted.append((t, _idf(_dfs[key], n)))
    for t, idf in weighted:
        boosted = tantivy.Query.boost_query(_query(schema, t.text), idf * t.weight / _tantivy_idf(searcher, t.text))
        clauses.append((tantivy.Occur.Must if t.required else tantivy.Occur.Should, boosted))
    query = tantivy.Query.boolean_query(clauses + _filters(schema, years, regions, doc_ids))
    k = offset + limit
    m = 2 * k + 20
    exhaustive = False      # every hit scored: no bound needed
    exact: dict[int, float] = {}        # sid -> exact score
    texts = _Texts(con, searcher, stored)
    while True:
        result = searcher.search(query, limit=m, count=True)
        hits, total = result.hits, result.count
        if not hits or k == 0:
            return [], total
        sids = searcher.fast_field_values("sid", [a for _, a in hits])
        if not _score_candidates(con, hits, sids, k, weighted, avg, exact, texts, exhaustive):
            exhaustive, m = True, max(total, 1)     # tantivy's score is not the bound it should be
            continue
        scored = sorted((-exact[s], s) for s in sids if s in exact)
        complete = len(hits) >= total
        if complete or (len(scored) >= k and -scored[k - 1][0] > _bound(hits[-1][0])):
            page = scored[offset:k]
            rows = texts.page([sid for _, sid in page])
            return [(rows[sid][0], rows[sid][1], -neg, rows[sid][2], rows[sid][3], texts[sid], rows[sid][4])
                    for neg, sid in page], total
        m *= 4
