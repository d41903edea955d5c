"""Every SQL statement of the dashboard (full-text search aside: etl/warehouse/search/query.py).

Rules: values only ever reach SQL as parameters, never spliced into the text;
each function takes the connection as `_con` (not hashed by st.cache_data) and
the warehouse version `db_key` (db.Warehouse.key), so results are cached per
parameters and per file version; aggregation happens in DuckDB, and only the
rows a view shows come back as a DataFrame.

Offsets in metrics index paragraphs.text from 0; DuckDB's substring counts
characters from 1, hence the `+ 1` below.
"""
from __future__ import annotations


import duckdb
import pandas as pd
import streamlit as st

import etl.warehouse as wh

cached = st.cache_data(show_spinner=False, max_entries=512)

# The sentence a value was read from: the citation that travels with the number.
PASSAGE = wh.PASSAGE_SQL

# One point of a series is (indicator, region, year, period, kind). Several documents
# may report it; the one from the most recently published document is drawn (newer
# reports carry revised figures), the others are counted and their range kept so a
# disagreement can be marked. Nothing is averaged.
# A value whose region is unresolved (NULL) belongs to no series; one of narrower scope
# (县级城市, 国控断面: metrics.scope) is a different quantity, so scope is part of the point.
# Each point's preferred report and counts are the table `points`, made once per build
# (etl/warehouse/write.py summarise, with this PREFERENCE over metrics m JOIN documents d).
PREFERENCE = wh.PREFERENCE_SQL

FROM_METRICS = wh.FROM_METRICS_SQL


def _df(con, sql: str, params=None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


DOCUMENT_COLUMNS = ("file", "title", "published", "source_url")


def _cited(con, sql: str, params, documents: tuple[str, ...] = DOCUMENT_COLUMNS,
           order: str | None = None) -> pd.DataFrame:
    """The rows of `sql` (over metrics m or points, with doc_id, paragraph_id, evidence_start,
    evidence_end and para_start; with metric_id and confidence too when `order` is given) with
    their documents' `documents` columns inserted after doc_id, and each row's paragraph seq and
    passage in place of the offsets (a change is signed in the warehouse, its verb in change_verb).
    `order` (SQL over m, the rows, and d, their documents): the rows' order; else that of `sql`.
    Rows that already carry para_seq and passage (those of `points`) have only their documents
    looked up.

    Documents and paragraphs are looked up by id in a second statement: paragraphs through their
    primary key's index (list_contains of a constant list), documents by a semi-join on their id
    (a scan of 20,000 ids costs less than hundreds of index lookups); joined in the first
    statement, DuckDB would hash every document and scan every paragraph's text for a few rows."""
    rows = _df(con, sql, params)
    stored = "passage" in rows.columns      # rows of `points` carry their citation (para_seq, passage)
    lists = {"docs": rows["doc_id"].tolist()}
    if not stored:
        lists.update(paragraphs=rows["paragraph_id"].tolist(), starts=rows["evidence_start"].tolist(),
                     ends=rows["evidence_end"].tolist(), values=rows["para_start"].tolist())
    extra = ""
    if order is not None:
        lists.update(metric_ids=rows["metric_id"].tolist(), confidences=rows["confidence"].tolist())
        extra = ", unnest($metric_ids) AS metric_id, unnest($confidences) AS confidence"
    if stored:
        cites = _df(con, f"""
            SELECT m.row_order{"".join(f", d.{c}" for c in documents)}
            FROM (SELECT unnest($docs) AS doc_id, unnest(range(len($docs))) AS row_order{extra}) m
            LEFT JOIN (SELECT doc_id{"".join(f", {c}" for c in documents)} FROM documents
                       WHERE doc_id IN (SELECT unnest($docs))) d ON d.doc_id = m.doc_id
            ORDER BY {order or "m.row_order"}
        """, lists)
    else:
        cites = _df(con, f"""
            SELECT m.row_order, {"".join(f"d.{c}, " for c in documents)}p.seq AS para_seq, {PASSAGE} AS passage
            FROM (SELECT unnest($paragraphs) AS paragraph_id, unnest($starts) AS evidence_start,
                         unnest($ends) AS evidence_end, unnest($values) AS para_start, unnest($docs) AS doc_id,
                         unnest(range(len($paragraphs))) AS row_order{extra}) m
            LEFT JOIN (SELECT paragraph_id, seq, text FROM paragraphs
                       WHERE list_contains($paragraphs, paragraph_id)) p ON p.paragraph_id = m.paragraph_id
            LEFT JOIN (SELECT doc_id{"".join(f", {c}" for c in documents)} FROM documents
                       WHERE doc_id IN (SELECT unnest($docs))) d ON d.doc_id = m.doc_id
            ORDER BY {order or "m.row_order"}
        """, lists)
    dropped = ["evidence_start", "evidence_end", "para_start"] + (["confidence"] if order is not None else [])
    rows = rows.iloc[cites["row_order"].to_numpy()].reset_index(drop=True).drop(columns=dropped)
    if stored:
        cites = pd.concat([cites, rows[["para_seq", "passage"]]], axis=1)
        rows = rows.drop(columns=["para_seq", "passage"])
    at = list(rows.columns).index("doc_id") + 1
    return pd.concat([rows.iloc[:, :at], cites[list(documents)], rows.iloc[:, at:],
                      cites[["para_seq", "passage"]]], axis=1)


def _points(con, where: str, params, order: str, level: bool = False) -> pd.DataFrame:
    """The preferred report of each point pt (table `points`, made once per build by
    etl.warehouse.write.summarise, stored sorted by indicator, period, kind and year so that a
    ranking's rows are consecutive) matching `where`, with how many reports the point has and
    their range, cited (the citation stored with the point: no paragraph is read; a warehouse
    built before points carried it has its paragraphs read); `level`: with the region's level."""
    def sql(cited: bool) -> str:
        return f"""
        SELECT pt.metric_id, pt.indicator_id, pt.indicator, pt.region, pt.region_code,
               pt.year, pt.months, pt.kind, pt.scope, pt.value, pt.value_high, pt.unit,
               pt.qualifier, pt.value_text, pt.change_verb, pt.n_reports, pt.min_value, pt.max_value,
               pt.min_value <> pt.max_value AS disagree, {"g.level," if level else ""} pt.doc_id,
               pt.paragraph_id, pt.evidence_start, pt.evidence_end, pt.para_start{
               ", pt.para_seq, pt.passage" if cited else ""}
        FROM points pt
        {"LEFT JOIN regions g ON g.code = pt.region_code" if level else ""}
        WHERE ({where}) AND pt.region IS NOT NULL
        ORDER BY {order}
    """
    try:
        return _cited(con, sql(True), params)
    except duckdb.BinderException:      # an older warehouse: points without para_seq and passage
        return _cited(con, sql(False), params)


# ---- the warehouse as a whole -------------------------------------------------------

@cached
def build_info(_con, db_key: str) -> dict[str, str]:
    return dict(_con.execute("SELECT key, value FROM build_info").fetchall())


@cached
def counts(_con, db_key: str) -> dict[str, int]:
    row = _con.execute("""
        SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM paragraphs),
               (SELECT count(*) FROM metrics), (SELECT count(*) FROM conflicts)
    """).fetchone()
    return {"documents": row[0], "paragraphs": row[1], "metrics": row[2], "conflicts": row[3]}


@cached
def indicators(_con, db_key: str) -> pd.DataFrame:
    """Catalog indicators that have at least one dated value, grouped by category."""
    return _df(_con, """
        SELECT i.indicator_id, i.name_zh, i.name_en, i.unit, i.category, i.higher_is_better,
               s.n_dated AS n_values
        FROM indicators i JOIN indicator_stats s ON s.indicator_id = i.indicator_id
        WHERE s.n_dated > 0
        ORDER BY i.category, i.indicator_id
    """)


@cached
def known_regions(_con, db_key: str) -> pd.DataFrame:
    """Every region that appears in a value or as a document's region, most data first."""
    return _df(_con, """
        WITH names AS (
            SELECT region, n_values FROM region_stats
            UNION ALL
            SELECT region, 0 FROM documents WHERE region IS NOT NULL
        )
        SELECT n.region, r.code AS region_code, r.level, sum(n.n_values)::BIGINT AS n_values
        FROM names n LEFT JOIN regions r ON r.name = n.region
        GROUP BY ALL
        ORDER BY n_values DESC, n.region
    """)


@cached
def year_range(_con, db_key: str) -> tuple[int, int] | None:
    row = _con.execute("SELECT min(first_year), max(last_year) FROM region_stats").fetchone()
    return None if row[0] is None else (int(row[0]), int(row[1]))


# ---- one indicator ----------------------------------------------------------------

@cached
def indicator_regions(_con, db_key: str, indicator_id: str) -> pd.DataFrame:
    """Regions with values for the indicator, most values first."""
    return _df(_con, """
        SELECT region, any_value(region_code) AS region_code, sum(n_reports)::BIGINT AS n_values
        FROM points
        WHERE indicator_id = ? AND region IS NOT NULL
        GROUP BY region
        ORDER BY n_values DESC, region
    """, [indicator_id])


@cached
def indicator_periods(_con, db_key: str, indicator_id: str) -> pd.DataFrame:
    """The periods ('1-12', '1-9', ...) the indicator is reported for, whole year first."""
    return _df(_con, """
        SELECT months, sum(n_reports)::BIGINT AS n_values
        FROM points
        WHERE indicator_id = ?
        GROUP BY months
        ORDER BY months <> '1-12', n_values DESC, months
    """, [indicator_id])


@cached
def indicator_years(_con, db_key: str, indicator_id: str, months: str | None = None,
                    kind: str | None = None) -> list[int]:
    rows = _con.execute("""
        SELECT DISTINCT year FROM points
        WHERE indicator_id = $indicator
          AND ($months IS NULL OR months = $months) AND ($kind IS NULL OR kind = $kind)
        ORDER BY year
    """, {"indicator": indicator_id, "months": months, "kind": kind}).fetchall()
    return [int(r[0]) for r in rows]


@cached
def indicator_kinds(_con, db_key: str, indicator_id: str, months: str, year: int) -> list[str]:
    rows = _con.execute("""
        SELECT DISTINCT kind FROM points
        WHERE indicator_id = ? AND months = ? AND year = ?
        ORDER BY kind
    """, [indicator_id, months, year]).fetchall()
    return [r[0] for r in rows]


@cached
def trend_points(_con, db_key: str, indicator_id: str, regions: tuple[str, ...],
                 year_from: int, year_to: int, months: str, kinds: tuple[str, ...]) -> pd.DataFrame:
    """One row per region, year and kind: the preferred report, with how many agree."""
    return _points(_con, """
        pt.indicator_id = $indicator AND list_contains($regions, pt.region)
        AND pt.year BETWEEN $year_from AND $year_to AND pt.months = $months AND list_contains($kinds, pt.kind)
    """, {"indicator": indicator_id, "regions": list(regions), "year_from": year_from,
          "year_to": year_to, "months": months, "kinds": list(kinds)}, order="pt.region, pt.kind, pt.year")


@cached
def ranking(_con, db_key: str, indicator_id: str, year: int, months: str, kind: str) -> pd.DataFrame:
    """Every region's preferred value for one indicator, year, period and kind, highest first."""
    return _points(_con, """
        pt.indicator_id = $indicator AND pt.year = $year AND pt.months = $months AND pt.kind = $kind
    """, {"indicator": indicator_id, "year": year, "months": months, "kind": kind},
        order="pt.value DESC, pt.region", level=True)


# ---- one value and its sources ---------------------------------------------------------

@cached
def metric(_con, db_key: str, metric_id: str) -> pd.DataFrame:
    """The value with its paragraph, document and indicator names (0 or 1 row)."""
    return _df(_con, f"""
        SELECT m.*, i.name_zh, i.name_en, p.seq AS para_seq, p.text AS para_text,
               {PASSAGE} AS passage, d.file, d.title, coalesce(d.source_published, d.published) AS published,
               coalesce(d.source_publisher, d.publisher) AS publisher, d.source_url, d.retrieved_at,
               (SELECT list(s.url ORDER BY s.line) FROM document_sources s
                WHERE s.doc_id = m.doc_id AND s.url IS NOT NULL) AS source_urls
        {FROM_METRICS}
        LEFT JOIN indicators i ON i.indicator_id = m.indicator_id
        WHERE m.metric_id = ?
    """, [metric_id])


# Every report of one point, newest document first (ui.drilldown, the Data page's conflicts):
# _reports(con, where, params) puts each one's document (REPORT_DOCUMENTS) after doc_id, and
# orders them by PREFERENCE (or `order`) once the documents are known.
REPORTS = """
    SELECT m.metric_id, m.indicator, m.region, m.year, m.months, m.kind, m.scope, m.value, m.value_high,
           m.qualifier, m.value_text, m.change_verb, m.unit, m.doc_id, m.paragraph_id,
           m.evidence_start, m.evidence_end, m.para_start, m.confidence
    FROM metrics m
"""
REPORT_DOCUMENTS = ("title", "file", "published", "source_url")


def _reports(con, where: str, params, order: str = PREFERENCE) -> pd.DataFrame:
    return _cited(con, f"{REPORTS} WHERE {where}", params, documents=REPORT_DOCUMENTS, order=order)


@cached
def same_point(_con, db_key: str, metric_id: str) -> pd.DataFrame:
    """Every report of the same indicator, region, year, period, kind, scope and unit, newest
    document first; a value of unresolved region is its only report. The point is read first
    (by the primary key), then its reports by indicator and region: metrics' sort order, so
    DuckDB reads a few row groups instead of joining the whole table with itself."""
    row = _con.execute("""SELECT indicator_id, region, indicator, year, months, kind, scope, unit
                          FROM metrics WHERE metric_id = ?""", [metric_id]).fetchone()
    if row is None or row[1] is None:
        return _reports(_con, "m.metric_id = ?", [metric_id])
    point = dict(zip(("indicator_id", "region", "indicator", "year", "months", "kind", "scope", "unit"), row))
    return _reports(_con, f"""
        {"m.indicator_id = $indicator_id" if point["indicator_id"] is not None else "m.indicator_id IS NULL"}
          AND m.region = $region AND m.indicator = $indicator AND m.year IS NOT DISTINCT FROM $year
          AND m.months = $months AND m.kind = $kind AND m.scope = $scope AND m.unit IS NOT DISTINCT FROM $unit
    """, {k: v for k, v in point.items() if k != "indicator_id" or v is not None})


# ---- documents ------------------------------------------------------------------------

DOCUMENTS = """
    SELECT doc_id, file, title, published FROM documents
    ORDER BY published DESC NULLS LAST, file
"""


@cached
def documents(_con, db_key: str) -> pd.DataFrame:
    """The document list for pickers, newest first (document() has the rest of a row).

    Every document is a row (20,000 in the benchmark's warehouse): the frame is made through
    Arrow, half the CPU time of DuckDB's own conversion, with the same columns and types."""
    df = _con.sql(DOCUMENTS).to_arrow_table().to_pandas(date_as_object=False)
    df["published"] = df["published"].astype("datetime64[us]")
    return df


@cached
def documents_under(_con, db_key: str, folder: str) -> pd.DataFrame:
    """The documents whose file lies under `folder` (the Data page's uploads), as documents()
    lists them: only those rows, not the whole list converted to a frame."""
    return _df(_con, """
        SELECT doc_id, file, title, published FROM documents
        WHERE starts_with(file, $prefix)
        ORDER BY published DESC NULLS LAST, file
    """, {"prefix": folder.rstrip("/") + "/"})


@cached
def document(_con, db_key: str, doc_id: str) -> pd.DataFrame:
    """One document's row without its text (0 or 1 row)."""
    return _df(_con, """
        SELECT doc_id, file, title, publisher, published, report_year, region, script, format,
               encoding, sha256, size_bytes, n_paragraphs, n_metrics, source_url, source_publisher,
               source_published, retrieved_at
        FROM documents WHERE doc_id = ?
    """, [doc_id])


@cached
def document_sources(_con, db_key: str, doc_id: str) -> pd.DataFrame:
    """Every known origin of a document (sources.csv rows), its primary one first."""
    return _df(_con, """
        SELECT url, final_url, publisher, published, retrieved_at, notes, file
        FROM document_sources WHERE doc_id = ? ORDER BY line
    """, [doc_id])


@cached
def paragraphs(_con, db_key: str, doc_id: str) -> pd.DataFrame:
    return _df(_con, """
        SELECT seq, paragraph_id, page, heading, text
        FROM paragraphs WHERE doc_id = ? ORDER BY seq
    """, [doc_id])


@cached
def document_values(_con, db_key: str, doc_id: str) -> pd.DataFrame:
    """Where each extracted value sits in the document's paragraphs, for highlighting (values at
    one offset, a figure shared by several places, by metric_id). Read from document_metrics,
    stored sorted by document (a few consecutive rows; in metrics, sorted by indicator, a
    document's values lie in every row group); a warehouse built before it has its metrics read."""
    def sql(table: str) -> str:
        return f"""
        SELECT m.metric_id, m.paragraph_id, m.para_start, m.para_end, m.indicator, i.name_en,
               m.region, m.year, m.months, m.kind, m.scope, m.value, m.value_high, m.qualifier, m.unit,
               m.change_verb
        FROM {table} m LEFT JOIN indicators i ON i.indicator_id = m.indicator_id
        WHERE m.doc_id = ?
        ORDER BY m.paragraph_id, m.para_start, m.metric_id
    """
    try:
        return _df(_con, sql("document_metrics"), [doc_id])
    except duckdb.CatalogException:     # an older warehouse: no document_metrics
        return _df(_con, sql("metrics"), [doc_id])


# ---- catalog, coverage, conflicts, errors -------------------------------------------------

@cached
def catalog(_con, db_key: str) -> pd.DataFrame:
    """Every catalog indicator with how much data it has."""
    return _df(_con, """
        SELECT i.category, i.indicator_id, i.name_zh, i.name_en, i.unit, s.n_values, s.n_regions,
               s.n_documents, s.first_year, s.last_year
        FROM indicators i JOIN indicator_stats s ON s.indicator_id = i.indicator_id
        ORDER BY i.category, s.n_values DESC, i.indicator_id
    """)


@cached
def coverage(_con, db_key: str) -> pd.DataFrame:
    """Indicator × year: how many regions have a value (long format, pivoted by the page)."""
    return _df(_con, """
        SELECT c.indicator_id, i.name_zh, i.name_en, i.category, c.year, c.n_regions, c.n_values
        FROM coverage c JOIN indicators i ON i.indicator_id = c.indicator_id
        ORDER BY i.category, c.indicator_id, c.year
    """)


@cached
def coverage_regions(_con, db_key: str, indicator_id: str) -> pd.DataFrame:
    """Region × year for one indicator: how many values (long format)."""
    return _df(_con, """
        SELECT region, year, sum(n_reports)::BIGINT AS n_values
        FROM points
        WHERE indicator_id = ? AND region IS NOT NULL
        GROUP BY ALL
        ORDER BY region, year
    """, [indicator_id])


CONFLICTS_PER_PAGE = 100


@cached
def conflicts(_con, db_key: str, offset: int = 0, limit: int = CONFLICTS_PER_PAGE) -> pd.DataFrame:
    """A page of the conflicts (counts()['conflicts'] of them), by indicator, region and period."""
    return _df(_con, """
        SELECT c.indicator_id, c.indicator, i.name_en, c.region, c.year, c.months, c.kind, c.scope, c.unit,
               c.n_values, c.n_documents, c.n_reports, c.min_value, c.max_value
        FROM conflicts c
        LEFT JOIN indicators i ON i.indicator_id = c.indicator_id
        ORDER BY c.indicator, c.region, c.year, c.months, c.kind, c.scope, c.unit
        LIMIT ? OFFSET ?
    """, [max(0, int(limit)), max(0, int(offset))])


@cached
def conflict_reports(_con, db_key: str, indicator_id: str, region: str, year: int, months: str,
                     kind: str, scope: str = "", unit: str | None = None) -> pd.DataFrame:
    """Every report of one conflict (one point), newest document first, with its source."""
    return _reports(_con, """
        m.indicator_id = ? AND m.region = ? AND m.year = ? AND m.months = ? AND m.kind = ?
          AND m.scope = ? AND m.unit IS NOT DISTINCT FROM ?
    """, [indicator_id, region, year, months, kind, scope, unit])


@cached
def unresolved(_con, db_key: str) -> pd.DataFrame:
    """Values whose region could not be decided (metrics.region NULL): in no series, listed
    on the Data page with their document and sentence."""
    return _reports(_con, "m.region IS NULL", [], order="d.file, m.metric_id")


@cached
def ingest_errors(_con, db_key: str) -> pd.DataFrame:
    return _df(_con, "SELECT file, stage, error, logged_at, sha256 FROM ingest_errors ORDER BY logged_at DESC, file")


# ---- whole-warehouse exports: etl.warehouse.export (run on a download click, not on render) ----

XLSX_MAX_ROWS = wh.XLSX_MAX_ROWS


def export_metrics_file(con, fmt: str, catalog_only: bool = True, base_url: str = "") -> bytes:
    """All values (of catalog indicators unless catalog_only is False) with source columns and a
    permalink each, as 'csv' (UTF-8 with BOM, for Excel), 'parquet' or 'xlsx'."""
    return wh.download_file(con, fmt, catalog_only=catalog_only, base_url=base_url)
