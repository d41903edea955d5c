"""Every SQL statement of the dashboard (full-text search aside: dashboard/search.py).

Rules: values only ever reach SQL as parameters, never spliced into the text;
each function takes the connection as `_con` (not hashed by st.cache_data) and
the warehouse version `db_key` (db.Warehouse.key), so results are cached per
parameters and per file version; aggregation happens in DuckDB, and only the
rows a view shows come back as a DataFrame.

Offsets in metrics index paragraphs.text from 0; DuckDB's substring counts
characters from 1, hence the `+ 1` below.
"""
from __future__ import annotations

import os
import tempfile

import pandas as pd
import streamlit as st

cached = st.cache_data(show_spinner=False, max_entries=512)

# The sentence a value was read from: the citation that travels with the number.
PASSAGE = "substring(p.text, m.evidence_start + 1, m.evidence_end - m.evidence_start)"

# One point of a series is (indicator, region, year, period, kind). Several documents
# may report it; the one from the most recently published document is drawn (newer
# reports carry revised figures), the others are counted and their range kept so a
# disagreement can be marked. Nothing is averaged.
POINT = "PARTITION BY m.indicator_id, m.region, m.year, m.months, m.kind"
PREFERRED = f"{POINT} ORDER BY d.published DESC NULLS LAST, m.confidence DESC, m.metric_id"

POINT_COLUMNS = f"""
    m.metric_id, m.indicator_id, m.indicator, m.region, m.region_code, m.year, m.months,
    m.kind, m.value, m.value_high, m.unit, m.qualifier, m.value_text,
    count(*) OVER pt AS n_reports,
    min(m.value) OVER pt AS min_value,
    max(m.value) OVER pt AS max_value,
    min(m.value) OVER pt <> max(m.value) OVER pt AS disagree,
    m.doc_id, d.file, d.title, d.published, m.paragraph_id, p.seq AS para_seq,
    {PASSAGE} AS passage
"""

FROM_METRICS = """
    FROM metrics m
    JOIN documents d ON d.doc_id = m.doc_id
    JOIN paragraphs p ON p.paragraph_id = m.paragraph_id
"""


def _df(con, sql: str, params=None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


# ---- the warehouse as a whole -------------------------------------------------------

@cached
def build_info(_con, db_key: str) -> dict[str, str]:
    return dict(_con.execute("SELECT key, value FROM build_info").fetchall())


@cached
def counts(_con, db_key: str) -> dict[str, int]:
    row = _con.execute("""
        SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM paragraphs),
               (SELECT count(*) FROM metrics)
    """).fetchone()
    return {"documents": row[0], "paragraphs": row[1], "metrics": row[2]}


@cached
def indicators(_con, db_key: str) -> pd.DataFrame:
    """Catalog indicators that have at least one dated value, grouped by category."""
    return _df(_con, """
        SELECT i.indicator_id, i.name_zh, i.name_en, i.unit, i.category, i.higher_is_better,
               count(*) AS n_values
        FROM indicators i JOIN metrics m ON m.indicator_id = i.indicator_id
        WHERE m.year IS NOT NULL
        GROUP BY ALL
        ORDER BY i.category, i.indicator_id
    """)


@cached
def known_regions(_con, db_key: str) -> pd.DataFrame:
    """Every region that appears in a value or as a document's region, most data first."""
    return _df(_con, """
        WITH names AS (
            SELECT region, count(*) AS n_values FROM metrics GROUP BY region
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
    row = _con.execute("SELECT min(year), max(year) FROM metrics WHERE year IS NOT NULL").fetchone()
    return None if row[0] is None else (int(row[0]), int(row[1]))


# ---- one indicator ----------------------------------------------------------------

@cached
def indicator_regions(_con, db_key: str, indicator_id: str) -> pd.DataFrame:
    """Regions with values for the indicator, most values first."""
    return _df(_con, """
        SELECT m.region, any_value(m.region_code) AS region_code, count(*) AS n_values
        FROM metrics m
        WHERE m.indicator_id = ? AND m.year IS NOT NULL
        GROUP BY m.region
        ORDER BY n_values DESC, m.region
    """, [indicator_id])


@cached
def indicator_periods(_con, db_key: str, indicator_id: str) -> pd.DataFrame:
    """The periods ('1-12', '1-9', ...) the indicator is reported for, whole year first."""
    return _df(_con, """
        SELECT months, count(*) AS n_values
        FROM metrics
        WHERE indicator_id = ? AND year IS NOT NULL
        GROUP BY months
        ORDER BY months <> '1-12', n_values DESC, months
    """, [indicator_id])


@cached
def indicator_years(_con, db_key: str, indicator_id: str, months: str | None = None,
                    kind: str | None = None) -> list[int]:
    rows = _con.execute("""
        SELECT DISTINCT year FROM metrics
        WHERE indicator_id = $indicator AND year IS NOT NULL
          AND ($months IS NULL OR months = $months) AND ($kind IS NULL OR kind = $kind)
        ORDER BY year
    """, {"indicator": indicator_id, "months": months, "kind": kind}).fetchall()
    return [int(r[0]) for r in rows]


@cached
def indicator_kinds(_con, db_key: str, indicator_id: str, months: str, year: int) -> list[str]:
    rows = _con.execute("""
        SELECT DISTINCT kind FROM metrics
        WHERE indicator_id = ? AND months = ? AND year = ?
        ORDER BY kind
    """, [indicator_id, months, year]).fetchall()
    return [r[0] for r in rows]


@cached
def trend_points(_con, db_key: str, indicator_id: str, regions: tuple[str, ...],
                 year_from: int, year_to: int, months: str, kinds: tuple[str, ...]) -> pd.DataFrame:
    """One row per region, year and kind: the preferred report, with how many agree."""
    return _df(_con, f"""
        SELECT {POINT_COLUMNS}
        {FROM_METRICS}
        WHERE m.indicator_id = $indicator
          AND list_contains($regions, m.region)
          AND m.year BETWEEN $year_from AND $year_to
          AND m.months = $months
          AND list_contains($kinds, m.kind)
        WINDOW pt AS ({POINT})
        QUALIFY row_number() OVER ({PREFERRED}) = 1
        ORDER BY m.region, m.kind, m.year
    """, {"indicator": indicator_id, "regions": list(regions), "year_from": year_from,
          "year_to": year_to, "months": months, "kinds": list(kinds)})


@cached
def ranking(_con, db_key: str, indicator_id: str, year: int, months: str, kind: str) -> pd.DataFrame:
    """Every region's preferred value for one indicator, year, period and kind, highest first."""
    return _df(_con, f"""
        SELECT {POINT_COLUMNS}, r.level
        {FROM_METRICS}
        LEFT JOIN regions r ON r.code = m.region_code
        WHERE m.indicator_id = $indicator AND m.year = $year AND m.months = $months
          AND m.kind = $kind
        WINDOW pt AS ({POINT})
        QUALIFY row_number() OVER ({PREFERRED}) = 1
        ORDER BY m.value DESC, m.region
    """, {"indicator": indicator_id, "year": year, "months": months, "kind": kind})


# ---- one value and its sources ---------------------------------------------------------

@cached
def metric(_con, db_key: str, metric_id: str) -> pd.DataFrame:
    """The value with its paragraph, document and indicator names (0 or 1 row)."""
    return _df(_con, f"""
        SELECT m.*, i.name_zh, i.name_en, p.seq AS para_seq, p.text AS para_text,
               {PASSAGE} AS passage, d.file, d.title, d.published, d.publisher
        {FROM_METRICS}
        LEFT JOIN indicators i ON i.indicator_id = m.indicator_id
        WHERE m.metric_id = ?
    """, [metric_id])


@cached
def same_point(_con, db_key: str, metric_id: str) -> pd.DataFrame:
    """Every report of the same indicator, region, year, period and kind, newest document first."""
    return _df(_con, f"""
        SELECT m.metric_id, m.value, m.value_high, m.qualifier, m.value_text, m.unit,
               m.doc_id, d.title, d.file, d.published, m.paragraph_id, p.seq AS para_seq,
               {PASSAGE} AS passage
        FROM metrics s
        JOIN metrics m ON m.indicator = s.indicator
                      AND m.indicator_id IS NOT DISTINCT FROM s.indicator_id
                      AND m.region = s.region AND m.year IS NOT DISTINCT FROM s.year
                      AND m.months = s.months AND m.kind = s.kind
        JOIN documents d ON d.doc_id = m.doc_id
        JOIN paragraphs p ON p.paragraph_id = m.paragraph_id
        WHERE s.metric_id = ?
        ORDER BY d.published DESC NULLS LAST, m.confidence DESC, m.metric_id
    """, [metric_id])


# ---- documents ------------------------------------------------------------------------

@cached
def documents(_con, db_key: str) -> pd.DataFrame:
    """The document list without texts, newest first."""
    return _df(_con, """
        SELECT doc_id, file, title, publisher, published, report_year, region, script, format,
               encoding, sha256, size_bytes, n_paragraphs, n_metrics
        FROM documents
        ORDER BY published DESC NULLS LAST, file
    """)


@cached
def paragraphs(_con, db_key: str, doc_id: str) -> pd.DataFrame:
    return _df(_con, """
        SELECT seq, paragraph_id, page, heading, text
        FROM paragraphs WHERE doc_id = ? ORDER BY seq
    """, [doc_id])


@cached
def document_values(_con, db_key: str, doc_id: str) -> pd.DataFrame:
    """Where each extracted value sits in the document's paragraphs, for highlighting."""
    return _df(_con, """
        SELECT m.metric_id, m.paragraph_id, m.para_start, m.para_end, m.indicator, i.name_en,
               m.region, m.year, m.months, m.kind, m.value, m.value_high, m.qualifier, m.unit
        FROM metrics m LEFT JOIN indicators i ON i.indicator_id = m.indicator_id
        WHERE m.doc_id = ?
        ORDER BY m.paragraph_id, m.para_start
    """, [doc_id])


# ---- catalog, coverage, conflicts, errors -------------------------------------------------

@cached
def catalog(_con, db_key: str) -> pd.DataFrame:
    """Every catalog indicator with how much data it has."""
    return _df(_con, """
        SELECT i.category, i.indicator_id, i.name_zh, i.name_en, i.unit,
               count(m.metric_id) AS n_values, count(DISTINCT m.region) AS n_regions,
               count(DISTINCT m.doc_id) AS n_documents, min(m.year) AS first_year,
               max(m.year) AS last_year
        FROM indicators i LEFT JOIN metrics m ON m.indicator_id = i.indicator_id
        GROUP BY ALL
        ORDER BY i.category, n_values DESC, i.indicator_id
    """)


@cached
def coverage(_con, db_key: str) -> pd.DataFrame:
    """Indicator × year: how many regions have a value (long format, pivoted by the page)."""
    return _df(_con, """
        SELECT m.indicator_id, i.name_zh, i.name_en, i.category, m.year,
               count(DISTINCT m.region) AS n_regions, count(*) AS n_values
        FROM metrics m JOIN indicators i ON i.indicator_id = m.indicator_id
        WHERE m.year IS NOT NULL
        GROUP BY ALL
        ORDER BY i.category, m.indicator_id, m.year
    """)


@cached
def coverage_regions(_con, db_key: str, indicator_id: str) -> pd.DataFrame:
    """Region × year for one indicator: how many values (long format)."""
    return _df(_con, """
        SELECT region, year, count(*) AS n_values
        FROM metrics
        WHERE indicator_id = ? AND year IS NOT NULL
        GROUP BY ALL
        ORDER BY region, year
    """, [indicator_id])


@cached
def conflicts(_con, db_key: str) -> pd.DataFrame:
    return _df(_con, """
        SELECT c.indicator, i.name_en, c.region, c.year, c.months, c.kind, c.n_values,
               c.n_documents, c.min_value, c.max_value, c.metric_ids
        FROM conflicts c
        LEFT JOIN indicators i ON i.name_zh = c.indicator
        ORDER BY c.indicator, c.region, c.year, c.months, c.kind
    """)


@cached
def conflict_reports(_con, db_key: str) -> pd.DataFrame:
    """Every value that takes part in a conflict, with its source."""
    return _df(_con, f"""
        WITH ids AS (SELECT unnest(metric_ids) AS metric_id FROM conflicts)
        SELECT m.indicator, m.region, m.year, m.months, m.kind, m.value, m.unit, m.value_text,
               m.metric_id, m.doc_id, d.file, d.title, d.published, m.paragraph_id,
               p.seq AS para_seq, {PASSAGE} AS passage
        FROM ids JOIN metrics m ON m.metric_id = ids.metric_id
        JOIN documents d ON d.doc_id = m.doc_id
        JOIN paragraphs p ON p.paragraph_id = m.paragraph_id
        ORDER BY m.indicator, m.region, m.year, m.months, m.kind, d.published DESC NULLS LAST
    """)


@cached
def ingest_errors(_con, db_key: str) -> pd.DataFrame:
    return _df(_con, "SELECT file, stage, error, logged_at, sha256 FROM ingest_errors ORDER BY logged_at DESC, file")


# ---- whole-warehouse exports (run on a download click, not on render) -----------------------

EXPORT_METRICS = f"""
    SELECT m.metric_id, m.indicator_id, m.indicator, i.name_en AS indicator_en, i.category,
           m.phrase, m.region, m.region_code, m.year, m.months, m.kind, m.value, m.value_high,
           m.unit, m.qualifier, m.value_text, m.confidence,
           m.doc_id, d.file, d.title, d.publisher, d.published,
           m.paragraph_id, p.seq AS paragraph_seq, {PASSAGE} AS passage
    {FROM_METRICS}
    LEFT JOIN indicators i ON i.indicator_id = m.indicator_id
    ORDER BY m.indicator_id NULLS LAST, m.region, m.year, m.months, m.kind, m.metric_id
"""


def export_metrics_frame(con) -> pd.DataFrame:
    return _df(con, EXPORT_METRICS)


def export_metrics_file(con, fmt: str) -> bytes:
    """All values with source columns as 'csv' (UTF-8 with BOM, for Excel) or 'parquet'."""
    options = {"csv": "FORMAT csv, HEADER true", "parquet": "FORMAT parquet"}[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, f"metrics.{fmt}")
        # COPY writes a file outside the database, which a read-only connection may do;
        # the target path is ours, never from the URL.
        con.execute(f"COPY ({EXPORT_METRICS}) TO '{target}' ({options})")
        with open(target, "rb") as f:
            data = f.read()
    return b"\xef\xbb\xbf" + data if fmt == "csv" else data
