"""Full-text search over paragraphs, on the index of etl/warehouse/search/index.py.

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
5. a chunk of several words is also an optional phrase term (weight: its
   number of words): paragraphs holding the words in the query's order,
   adjacent, score higher (黑臭水体 = 黑臭 + 水体 matches both apart, but the
   exact phrase ranks first). A "quoted" chunk is one required term instead.

Ranking: BM25 (k1 = 1.2, b = 0.75) summed over the terms found, with tf = the
number of occurrences in the paragraph, df = the number of paragraphs holding
the term (both from the index, over the whole warehouse, filters aside; for a
phrase, among the paragraphs holding all the words), N and the average length
from search_meta, lengths in characters. Ties: document order.

Two paths give the same hits, scores and order (tests/test_search_tantivy.py compares them):
- the tantivy index beside the warehouse file (tantivy_index.py builds it, tantivy_search.py
  reads it: tantivy finds the best candidates and counts the hits, their exact scores are
  computed here from their text), taken when the warehouse has its folder (engine="auto",
  the default; engine="tantivy" insists);
- the DuckDB bigram tables of index.py (engine="duckdb"), described below: a reference
  implementation built on demand (index.build_postings), not by `etl build`. A warehouse
  without its folder (a file copied alone) gets the folder built on its first search ("auto");
  an older warehouse that still holds the bigram tables is searched on them.

Execution on the DuckDB tables (all in one SQL statement, plus two small lookups for the page's
texts): the postings of each query bigram are read through DuckDB's zone
maps; a term's bigrams are hash-joined on (paragraph, start), written with
the rarest innermost; tf per paragraph by aggregation, or, for a term of one
frequent key or character, read from search_tf / search_chars (counts the
index stores per paragraph); terms intersected by joins. The first search of some words counts their postings and their df
exactly over the warehouse and caches both (per index build, in this
process); later searches with those words (the next page, another filter)
look each term up only in the paragraphs that hold the rarer ones. No
session setting is changed (disabled_optimizers is global in DuckDB: it
would change every other query of the process; tried, and no faster).

Filters (None or empty = no filter):
- years: the paragraph's document reviews one of those years
  (documents.report_year). Chosen over metric years because most paragraphs
  hold no metric and would vanish from any year-filtered search.
- regions: the paragraph has a metric in one of those regions (metrics.region or
  metrics.region_code, as search_regions lists them beside the index), or its
  document's own region is one of them.
- doc_ids: the paragraph belongs to one of those documents.

Every value reaches SQL as a bound parameter; the SQL text depends only on the
number of terms and parts, never on their content. Snippets and highlighting:
etl/warehouse/search/snippets.py.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from etl.warehouse.search import tantivy_index, tantivy_search
from etl.warehouse.search.codec import INDEX_VERSION
from etl.warehouse.search.snippets import SNIPPET_CHARS, highlight_spans, snippet, snippet_html  # noqa: F401
from etl.warehouse.search.terms import (B, K1, MAX_QUERY_CHARS, MAX_TERMS, Query, Term, is_separator,  # noqa: F401
                                        normalise, prepare_query)

COLUMNS = ["paragraph_id", "doc_id", "seq", "score", "snippet_html", "snippet", "spans", "text", "heading",
           "file", "title", "report_year", "total"]



# ---- SQL ----------------------------------------------------------------------------------

def _ranges(q: Query) -> list[tuple[int, int]]:
    """Every distinct key range the query's terms look up."""
    return sorted({r for term in q.required for _, keys in term.parts() for r in keys})


_NO_INDEX = ("the warehouse has no search index (search_* tables): rebuild it with `python -m etl build`, "
             "which runs etl.warehouse.search.index.build_search_index")
_NO_TANTIVY = ("the warehouse has no tantivy index beside it (etl/warehouse/search/tantivy_index.py): "
               "rebuild it with `python -m etl build`")
_CACHE_LIMIT = 200_000
_counts_cache: dict[tuple[str, tuple[int, int]], int] = {}   # (warehouse, key range) -> postings
_df_cache: dict[tuple[str, str], int] = {}                  # (warehouse, term) -> paragraphs holding it


def _warehouse_key(con) -> str:
    """Identifies the index (its build), so cached counts never outlive a rebuild."""
    try:
        row = con.execute("SELECT string_agg(key || '=' || value, ';' ORDER BY key) FROM search_meta "
                          "WHERE key IN ('version', 'build_id', 'built_at', 'n_paragraphs', 'n_postings')").fetchone()
    except duckdb.CatalogException as e:
        raise RuntimeError(_NO_INDEX) from e
    if f"version={INDEX_VERSION};" not in (row[0] or "") + ";":
        raise RuntimeError(f"the search index was built by another version ({row[0]}): " + _NO_INDEX)
    return row[0]


_tf_mins: dict[str, int | None] = {}


def _tf_min(con, wkey: str) -> int | None:
    """The index's TF_MIN_POSTINGS (search_meta 'tf_min_postings'), cached per index build."""
    if wkey not in _tf_mins:
        row = con.execute("SELECT value FROM search_meta WHERE key = 'tf_min_postings'").fetchone()
        if len(_tf_mins) > 100:
            _tf_mins.clear()
        _tf_mins[wkey] = int(row[0]) if row else None
    return _tf_mins[wkey]


def _remember(cache: dict, items: dict) -> None:
    if len(cache) + len(items) > _CACHE_LIMIT:
        cache.clear()
    cache.update(items)


def _key_counts(con, q: Query, wkey: str) -> dict[tuple[int, int], int]:
    """Postings per key range (a few milliseconds: zone maps; then cached): they order the joins
    and tell a term that cannot occur."""
    ranges = _ranges(q)
    todo = [r for r in ranges if (wkey, r) not in _counts_cache]
    if todo:
        sql = " UNION ALL ".join(
            "SELECT ?::INTEGER AS i, coalesce(sum(n_postings), 0) AS n FROM search_keys "
            "WHERE key BETWEEN ?::UINTEGER AND ?::UINTEGER"
            for _ in todo)
        params = [x for i, (lo, hi) in enumerate(todo) for x in (i, lo, hi)]
        try:
            got = dict(con.execute(sql, params).fetchall())
        except duckdb.CatalogException as e:
            raise RuntimeError(_NO_INDEX) from e
        _remember(_counts_cache, {(wkey, r): int(got.get(i, 0)) for i, r in enumerate(todo)})
    return {r: _counts_cache[(wkey, r)] for r in ranges}


def _part_size(keys, counts) -> int:
    return sum(counts[r] for r in keys)


def _term_size(term: Term, counts) -> int:
    """Upper bound of the term's occurrences: its rarest part."""
    return min(_part_size(keys, counts) for _, keys in term.parts())


def _term_occurrences(term: Term, counts, within: str | None = None) -> tuple[str, list]:
    """SELECT sid, start: one row per place `term` occurs; `within`: a CTE of sids to stay in.

    The parts are joined on adjacent positions right-deep, rarest innermost:
    big JOIN (medium JOIN (small [SEMI JOIN within])), so that the hash tables can be built
    on the small intermediate results and each larger posting list is streamed once."""
    parts = sorted(term.parts(), key=lambda p: -_part_size(p[1], counts))

    def scan(off: int, keys: list[tuple[int, int]]) -> tuple[str, list]:
        sel, prm = [], []
        for lo, hi in keys:
            if lo == hi:
                sel.append("SELECT sid, pos - ?::INTEGER AS start FROM search_postings WHERE key = ?::UINTEGER")
                prm += [off, lo]
            else:
                sel.append("SELECT sid, pos - ?::INTEGER AS start FROM search_postings "
                           "WHERE key BETWEEN ?::UINTEGER AND ?::UINTEGER")
                prm += [off, lo, hi]
        return " UNION ALL ".join(sel), prm

    *outer, inner = parts
    sql, params = scan(*inner)
    sql = f"SELECT sid, start FROM ({sql})"
    if within:
        sql = f"SELECT i.sid, i.start FROM ({sql}) i SEMI JOIN {within} w ON w.sid = i.sid"
    for off, keys in reversed(outer):
        s_sql, s_params = scan(off, keys)      # placeholders in text order: this scan, then `sql`
        sql = f"SELECT a.sid, a.start FROM ({s_sql}) a JOIN ({sql}) b ON b.sid = a.sid AND b.start = a.start"
        params = s_params + params
    return sql, params


def _bm25(tf: str, df: str, length: str) -> str:
    """BM25 term weight as SQL over column names (fixed by this module, never user input)."""
    return (f"ln(1 + (meta.n - {df} + 0.5) / ({df} + 0.5)) * {tf} * {K1 + 1}"
            f" / ({tf} + {K1} * (1 - {B} + {B} * {length} / meta.avg_len))")


def _filters_sql(years, regions, doc_ids) -> tuple[str, list]:
    """A condition on d (the search_docs row of a paragraph of the CTE `hits`) for the filters,
    and its parameters. IN lists of placeholders (their number is the only thing that varies)
    let DuckDB push the values into the scans of documents and search_regions."""
    where, params = [], []

    def marks(values) -> str:
        return ", ".join("?" for _ in values)

    if doc_ids:
        docs = [str(x) for x in doc_ids]
        where.append(f"d.doc_id IN ({marks(docs)})")
        params += docs
    if years:
        ys = [int(y) for y in years]
        where.append(f"d.doc_id IN (SELECT doc_id FROM documents WHERE report_year IN ({marks(ys)}))")
        params += ys
    if regions:
        names = [str(r) for r in regions]
        # one lookup per column, each pruned by search_regions' order, and kept to the hits: a
        # common region holds most paragraphs, far more than a hash table should be built of
        where.append(f"(d.doc_id IN (SELECT doc_id FROM documents WHERE region IN ({marks(names)}))"
                     f" OR d.sid IN (SELECT sid FROM search_regions WHERE region IN ({marks(names)})"
                     f" AND sid IN (SELECT sid FROM hits))"
                     f" OR d.sid IN (SELECT sid FROM search_regions WHERE region_code IN ({marks(names)})"
                     f" AND sid IN (SELECT sid FROM hits)))")
        params += names * 3
    return (" AND ".join(where) or "TRUE"), params


def _counted(term: Term, counts, tf_min: int | None, within: str | None) -> tuple[str, list] | None:
    """SELECT sid, tf of a one-part term from search_tf or search_chars, when the index stored
    its counts (at least tf_min postings: etl/warehouse/search/index.py TF_MIN_POSTINGS), else None."""
    parts = term.parts()
    if tf_min is None or len(parts) != 1 or len(parts[0][1]) != 1:
        return None
    lo, hi = parts[0][1][0]
    if counts[(lo, hi)] < tf_min:
        return None
    if lo == hi:
        sql, prm = "SELECT sid, tf FROM search_tf WHERE key = ?::UINTEGER", [lo]
    else:
        sql, prm = "SELECT sid, tf FROM search_chars WHERE code = ?::UINTEGER", [lo >> 16]
    if within:
        sql = f"SELECT i.sid, i.tf FROM ({sql}) i SEMI JOIN {within} w ON w.sid = i.sid"
    return sql, prm


def _scored_sql(q: Query, counts, dfs: dict[int, int] | None, years, regions, doc_ids,
                tf_min: int | None = None) -> tuple[str, list, int] | None:
    """WITH ... scored(sid, score), df(df0, df1, ...): the filtered hits with their BM25, and
    the number of required terms; None when a required term cannot occur (a key without postings).

    o{j}: occurrences (sid, start) of required term j, materialised when a phrase reuses them
          and they are a join of several parts (single-key terms are re-read: cheaper);
    t{j}: tf per paragraph of required term j;
    hits: the paragraphs holding every required term (t0 JOIN t1 ...);
    f{k}: tf of optional phrase k: its words' occurrences joined at their offsets in the
          chunk, only within hits;
    df: of term j = rows of t{j}; of a phrase = rows of f{k} (within hits, as every
        paragraph holding a phrase holds its words).

    `dfs` ({term index: df}, from an earlier search with the same words) allows the cheap
    plan: terms rarest first, each looked up only in the paragraphs that hold the ones before
    (t{j} then holds only those, and df comes from `dfs`)."""
    size = {i: _term_size(t, counts) for i, t in enumerate(q.terms) if t.required}
    if any(v == 0 for v in size.values()):
        return None
    known = dfs is not None and all(i in dfs for i in size)
    if known:
        order = sorted(size, key=lambda i: (dfs[i], size[i]))       # rarest first, chained
    else:
        order = sorted(size, key=lambda i: -size[i])                 # commonest first
    in_phrase = {i for _, members in q.phrases for i, _ in members}
    ctes, params, occ = [], [], {}
    for j, i in enumerate(order):
        term = q.terms[i]
        within = f"t{j - 1}" if known and j > 0 else None
        sql, p = _term_occurrences(term, counts, within=within)
        counted = _counted(term, counts, tf_min, within)
        if counted is not None:     # a frequent word or character: its counts per paragraph are stored
            if i in in_phrase:
                occ[i] = (sql, p)
            ctes.append(f"t{j} AS MATERIALIZED ({counted[0]})")
            params += counted[1]
        elif i in in_phrase and len(term.parts()) > 1:
            ctes.append(f"o{j} AS MATERIALIZED ({sql})")
            params += p
            occ[i] = (f"SELECT sid, start FROM o{j}", [])
            ctes.append(f"t{j} AS MATERIALIZED (SELECT sid, count(*) AS tf FROM o{j} GROUP BY sid)")
        else:
            occ[i] = (sql, p)
            ctes.append(f"t{j} AS MATERIALIZED (SELECT sid, count(*) AS tf FROM ({sql}) GROUP BY sid)")
            params += p
    n = len(order)
    ctes.append("hits AS MATERIALIZED (SELECT t0.sid, " + ", ".join(f"t{j}.tf AS tf{j}" for j in range(n))
                + " FROM t0" + "".join(f" JOIN t{j} ON t{j}.sid = t0.sid" for j in range(1, n)) + ")")
    weights = []
    for k, (p_index, members) in enumerate(q.phrases):
        # right-deep, rarest word innermost (semi-joined with hits): hash tables on the small side
        members = sorted(members, key=lambda m: -size[m[0]])
        *outer, (i, off) = members
        sql = f"SELECT sid, start - ?::INTEGER AS start FROM ({occ[i][0]}) WHERE sid IN (SELECT sid FROM hits)"
        p = [off] + occ[i][1]
        for i, off in reversed(outer):
            sql = (f"SELECT a.sid, a.start FROM (SELECT sid, start - ?::INTEGER AS start FROM ({occ[i][0]})) a "
                   f"JOIN ({sql}) b ON b.sid = a.sid AND b.start = a.start")
            p = [off] + occ[i][1] + p
        ctes.append(f"f{k} AS MATERIALIZED (SELECT sid, count(*) AS tf FROM ({sql}) GROUP BY sid)")
        params += p
        weights.append(q.terms[p_index].weight)
    ctes.append("""meta AS (SELECT max(CASE WHEN key = 'n_paragraphs' THEN value END)::DOUBLE AS n,
                    greatest(max(CASE WHEN key = 'avg_len' THEN value END)::DOUBLE, 1) AS avg_len
             FROM search_meta)""")
    if known:
        dfs_sql = [f"?::BIGINT AS df{j}" for j in range(n)]
        params += [dfs[i] for i in order]
    else:
        dfs_sql = [f"(SELECT count(*) FROM t{j}) AS df{j}" for j in range(n)]
    dfs_sql += [f"(SELECT count(*) FROM f{k}) AS dfp{k}" for k in range(len(weights))]
    ctes.append(f"df AS MATERIALIZED (SELECT {', '.join(dfs_sql)})")
    score = [_bm25(f"h.tf{j}", f"df.df{j}", "d.len") for j in range(n)]
    score += [f"?::DOUBLE * coalesce({_bm25(f'f{k}.tf', f'df.dfp{k}', 'd.len')}, 0)" for k in range(len(weights))]
    params += weights
    filt_sql, filt_params = _filters_sql(years, regions, doc_ids)
    ctes.append(f"""scored AS MATERIALIZED (
        SELECT h.sid, {" + ".join(score)} AS score
        FROM search_docs d JOIN hits h ON h.sid = d.sid
        {"".join(f" LEFT JOIN f{k} ON f{k}.sid = h.sid" for k in range(len(weights)))}, df, meta
        WHERE {filt_sql})""")
    return "WITH " + ",\n".join(ctes), params + filt_params, order


def _plan(con, q: Query, years, regions, doc_ids):
    """(sql, params, order, wkey, dfs known): the statement up to `scored` and `df`."""
    wkey = _warehouse_key(con)
    counts = _key_counts(con, q, wkey)
    dfs = {i: _df_cache[(wkey, t.text)] for i, t in enumerate(q.terms)
           if t.required and (wkey, t.text) in _df_cache}
    built = _scored_sql(q, counts, dfs, years, regions, doc_ids, _tf_min(con, wkey))
    return None if built is None else (*built, wkey, len(dfs) == len(q.required))


def _learn_dfs(q: Query, order, wkey: str, values) -> None:
    _remember(_df_cache, {(wkey, q.terms[i].text): int(v) for i, v in zip(order, values)})


def _empty() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    df.attrs["total"] = 0
    return df


ENGINES = ("auto", "tantivy", "duckdb")


def _rebuilt(con) -> bool:
    """The fallback of "auto" when tantivy gave no answer: a warehouse without the DuckDB bigram
    tables (every build since they left `etl build`) and without its tantivy folder gets the
    folder built beside its file now (tantivy_index.rebuild_for); True when it was."""
    try:
        if con.execute("SELECT count(*) FROM search_meta WHERE key = 'n_postings'").fetchone()[0]:
            return False            # an older warehouse: its DuckDB tables answer
    except duckdb.Error:
        return False
    if tantivy_index.index_for(con) is not None:
        return False                # the index is there: tantivy declined for another reason
    return tantivy_index.rebuild_for(con) is not None


def _engine(engine: str | None) -> str:
    engine = engine or "auto"
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    return engine


def count_hits(con, query: str, *, years=None, regions=None, doc_ids=None, engine: str | None = None) -> int:
    """How many paragraphs `search` pages through (every required term, filters applied).
    engine: "auto" (default: the tantivy index when the warehouse has one, else the DuckDB
    tables), "tantivy" (raises without one) or "duckdb"."""
    engine = _engine(engine)
    q = prepare_query(query)
    if not q:
        return 0
    q = Query(q.text, q.required)   # optional phrases change scores, never which paragraphs match
    if engine != "duckdb":
        n = tantivy_search.count(con, q, years, regions, doc_ids)
        if n is None and engine == "auto" and _rebuilt(con):
            n = tantivy_search.count(con, q, years, regions, doc_ids)
        if n is not None:
            return n
        if engine == "tantivy":
            raise RuntimeError(_NO_TANTIVY)
    plan = _plan(con, q, years, regions, doc_ids)
    if plan is None:
        return 0
    sql, params, order, wkey, known = plan
    dfs = ", ".join(f"df{j}" for j in range(len(order)))
    row = con.execute(sql + f" SELECT (SELECT count(*) FROM scored), {dfs} FROM df", params).fetchone()
    if not known:
        _learn_dfs(q, order, wkey, row[1:])
    return int(row[0])


def search(con, query: str, *, years=None, regions=None, doc_ids=None, limit: int = 50,
           offset: int = 0, engine: str | None = None) -> pd.DataFrame:
    """Paragraphs matching every term of `query`, best BM25 first (ties: document order).

    One row per paragraph: paragraph_id, doc_id, seq, score, snippet_html (escaped, terms in
    <mark>), snippet (plain), spans (term offsets in text), text, heading, file, title,
    report_year, and total (all hits, for pagination; also in .attrs['total']).
    An empty, whitespace or punctuation-only query gives an empty frame with these columns."""
    engine = _engine(engine)
    q = prepare_query(query)
    if not q:
        return _empty()
    limit = max(0, min(int(limit), 1000))
    offset = max(0, int(offset))
    found = None if engine == "duckdb" else tantivy_search.ranked(con, q, years, regions, doc_ids, limit, offset)
    if found is None and engine == "auto" and _rebuilt(con):
        found = tantivy_search.ranked(con, q, years, regions, doc_ids, limit, offset)
    if found is not None:
        rows, total = found
        if not rows:
            out = _empty()
            out.attrs["total"] = total
            return out
        page = [(r[0], r[1], r[2], total) for r in rows]
        paras = {r[0]: r[3:] for r in rows}
        return _page(con, q, page, paras)
    if engine == "tantivy":
        raise RuntimeError(_NO_TANTIVY)
    plan = _plan(con, q, years, regions, doc_ids)
    if plan is None:
        return _empty()
    sql, params, order, wkey, known = plan
    dfs = ", ".join(f"df.df{j}" for j in range(len(order)))
    page = con.execute(sql + f""",
        top AS (SELECT sid, score FROM scored ORDER BY score DESC, sid LIMIT ?::BIGINT OFFSET ?::BIGINT)
        SELECT d.paragraph_id, d.doc_id, top.score, (SELECT count(*) FROM scored) AS total, {dfs}
        FROM (SELECT 1) one CROSS JOIN df LEFT JOIN (top JOIN search_docs d ON top.sid = d.sid) ON TRUE
        ORDER BY top.score DESC, top.sid""", params + [limit, offset]).fetchall()
    if not known and page:
        _learn_dfs(q, order, wkey, page[0][4:])
    page = [r[:4] for r in page if r[0] is not None]
    if not page:
        out = _empty()
        out.attrs["total"] = count_hits(con, query, years=years, regions=regions, doc_ids=doc_ids) if offset else 0
        return out
    # two small lookups (joined in the statement above, DuckDB would scan every paragraph)
    paras = {r[0]: r[1:] for r in con.execute("""
        SELECT paragraph_id, seq, text, text_simplified, heading FROM paragraphs
        WHERE list_contains(?::VARCHAR[], paragraph_id)""", [[r[0] for r in page]]).fetchall()}
    return _page(con, q, page, paras)


def _page(con, q: Query, page: list, paras: dict) -> pd.DataFrame:
    """The result frame of page rows (paragraph_id, doc_id, score, total) and their paragraphs
    ({paragraph_id: (seq, text, text_simplified, heading)})."""
    docs = {r[0]: r[1:] for r in con.execute("""
        SELECT doc_id, file, title, report_year FROM documents
        WHERE list_contains(?::VARCHAR[], doc_id)""", [sorted({r[1] for r in page})]).fetchall()}
    terms = [t.text for t in q.terms]
    out = []
    for pid, doc_id, score, total in page:
        seq, text, simp, heading = paras.get(pid, (None, "", "", None))
        text = text or ""
        simp = simp if simp and len(simp) == len(text) else text
        spans = highlight_spans(simp, terms)
        html_snippet, plain = snippet(text, spans)
        file, title, year = docs.get(doc_id, (None, None, None))
        out.append((pid, doc_id, seq, score, html_snippet, plain, spans, text, heading, file, title, year, total))
    df = pd.DataFrame(out, columns=COLUMNS)
    df.attrs["total"] = int(page[0][3])
    return df
