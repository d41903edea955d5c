"""The table `points` (etl/warehouse/write.py summarise) against the metrics it summarises.

The dashboard's indicator and point queries read `points` instead of grouping metrics on every
visit. Here each of them is compared with the statement it replaced, run over `metrics` on the
real warehouse of the bundled corpus and the dashboard fixtures: same rows, same order.
"""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

import dashboard.queries as Q
from tests.dashboard_fixture import build_fixture_warehouse

PREFERENCE = "d.published DESC NULLS LAST, m.confidence DESC, m.metric_id"
POINT = "m.indicator_id, m.region, m.year, m.months, m.kind, m.scope"


def old_points(con, where: str, params, order: str, level: bool = False) -> pd.DataFrame:
    """The grouping dashboard/queries.py ran over metrics before `points` existed."""
    return con.execute(f"""
        WITH pt AS (
            SELECT {POINT}, count(*) AS n_reports, min(m.value) AS min_value, max(m.value) AS max_value,
                   first({{'metric_id': m.metric_id, 'indicator': m.indicator, 'region_code': m.region_code,
                           'value': m.value, 'value_high': m.value_high, 'unit': m.unit,
                           'qualifier': m.qualifier, 'value_text': m.value_text, 'change_verb': m.change_verb,
                           'doc_id': m.doc_id,
                           'paragraph_id': m.paragraph_id, 'evidence_start': m.evidence_start,
                           'evidence_end': m.evidence_end, 'para_start': m.para_start}}
                          ORDER BY {PREFERENCE}) AS pick
            FROM metrics m JOIN documents d ON d.doc_id = m.doc_id
            WHERE ({where}) AND m.region IS NOT NULL
            GROUP BY {POINT}
        )
        SELECT pt.pick.metric_id, pt.indicator_id, pt.pick.indicator, pt.region, pt.pick.region_code,
               pt.year, pt.months, pt.kind, pt.scope, pt.pick.value, pt.pick.value_high, pt.pick.unit,
               pt.pick.qualifier, pt.pick.value_text, pt.pick.change_verb, pt.n_reports, pt.min_value, pt.max_value,
               pt.min_value <> pt.max_value AS disagree, {"g.level," if level else ""} pt.pick.doc_id,
               d.file, d.title, d.published, d.source_url, pt.pick.paragraph_id, p.seq AS para_seq,
               substring(p.text, pt.pick.evidence_start + 1, pt.pick.evidence_end - pt.pick.evidence_start) AS passage
        FROM pt JOIN documents d ON d.doc_id = pt.pick.doc_id
        LEFT JOIN paragraphs p ON p.paragraph_id = pt.pick.paragraph_id
        {"LEFT JOIN regions g ON g.code = pt.pick.region_code" if level else ""}
        ORDER BY {order}
    """, params).df()


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = build_fixture_warehouse(tmp_path_factory.mktemp("summaries") / "warehouse.duckdb")
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


def indicators(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM metrics WHERE indicator_id IS NOT NULL "
                                      "AND year IS NOT NULL ORDER BY 1").fetchall()]


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    # rows the query's order leaves tied (two scopes of one region and year) in one order
    a, b = (f.sort_values(list(f.columns), kind="stable", ignore_index=True) for f in (a, b))
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_points_rows_are_the_groups_of_metrics(con):
    n_points, n_reports = con.execute("SELECT count(*), sum(n_reports) FROM points").fetchone()
    groups, dated = con.execute(f"""SELECT count(DISTINCT ({POINT})), count(*) FROM metrics m
                                    WHERE indicator_id IS NOT NULL AND year IS NOT NULL""").fetchone()
    assert n_points == groups > 20
    assert n_reports == dated
    assert con.execute("SELECT count(*) FROM points WHERE n_reports > 1").fetchone()[0] > 0


def test_trend_points_and_ranking_equal_the_grouping_of_metrics(con):
    checked = 0
    for ind in indicators(con):
        regions = tuple(r[0] for r in con.execute(
            "SELECT DISTINCT region FROM metrics WHERE indicator_id = ? AND region IS NOT NULL ORDER BY 1",
            [ind]).fetchall())
        for months in Q.indicator_periods.__wrapped__(con, "k", ind)["months"]:
            new = Q.trend_points.__wrapped__(con, "k", ind, regions, 2000, 2030, months, ("actual", "target"))
            old = old_points(con, """m.indicator_id = $indicator AND list_contains($regions, m.region)
                AND m.year BETWEEN $year_from AND $year_to AND m.months = $months AND list_contains($kinds, m.kind)""",
                             {"indicator": ind, "regions": list(regions), "year_from": 2000, "year_to": 2030,
                              "months": months, "kinds": ["actual", "target"]}, "pt.region, pt.kind, pt.year")
            assert list(new.columns) == list(old.columns)      # the stored citation in the same place
            same(new[old.columns], old)
            for year in Q.indicator_years.__wrapped__(con, "k", ind, months):
                for kind in Q.indicator_kinds.__wrapped__(con, "k", ind, months, year):
                    new = Q.ranking.__wrapped__(con, "k", ind, year, months, kind)
                    old = old_points(con, "m.indicator_id = $indicator AND m.year = $year AND m.months = $months "
                                          "AND m.kind = $kind",
                                     {"indicator": ind, "year": year, "months": months, "kind": kind},
                                     "pt.pick.value DESC, pt.region", level=True)
                    assert list(new.columns) == list(old.columns)
                    same(new[old.columns], old)
                    checked += len(old)
    assert checked > 20


def test_indicator_lists_equal_the_grouping_of_metrics(con):
    for ind in indicators(con):
        same(Q.indicator_periods.__wrapped__(con, "k", ind), con.execute("""
            SELECT months, count(*) AS n_values FROM metrics WHERE indicator_id = ? AND year IS NOT NULL
            GROUP BY months ORDER BY months <> '1-12', n_values DESC, months""", [ind]).df())
        old = con.execute("""
            SELECT m.region, any_value(m.region_code) AS region_code, count(*) AS n_values FROM metrics m
            WHERE m.indicator_id = ? AND m.year IS NOT NULL AND m.region IS NOT NULL
            GROUP BY m.region ORDER BY n_values DESC, m.region""", [ind]).df()
        same(Q.indicator_regions.__wrapped__(con, "k", ind), old)
        same(Q.coverage_regions.__wrapped__(con, "k", ind), con.execute("""
            SELECT region, year, count(*) AS n_values FROM metrics
            WHERE indicator_id = ? AND year IS NOT NULL AND region IS NOT NULL
            GROUP BY ALL ORDER BY region, year""", [ind]).df())
        for months in (None, "1-12"):
            for kind in (None, "actual", "target"):
                assert Q.indicator_years.__wrapped__(con, "k", ind, months, kind) == [r[0] for r in con.execute("""
                    SELECT DISTINCT year FROM metrics WHERE indicator_id = $i AND year IS NOT NULL
                      AND ($m IS NULL OR months = $m) AND ($k IS NULL OR kind = $k) ORDER BY year""",
                    {"i": ind, "m": months, "k": kind}).fetchall()]


def test_same_point_equals_the_self_join(con):
    """same_point reads the point first, then its reports: the rows of the self-join it replaced."""
    ids = [r[0] for r in con.execute("SELECT metric_id FROM metrics ORDER BY metric_id").fetchall()]
    assert len(ids) > 50
    for metric_id in ids[::max(1, len(ids) // 150)] + ["no-such-metric"]:
        old = con.execute(f"""
            SELECT m.metric_id, m.indicator, m.region, m.year, m.months, m.kind, m.scope, m.value, m.value_high,
                   m.qualifier, m.value_text, m.change_verb, m.unit, m.doc_id, d.title, d.file, d.published,
                   d.source_url, m.paragraph_id, p.seq AS para_seq, {Q.PASSAGE} AS passage
            FROM metrics m JOIN documents d ON d.doc_id = m.doc_id
            JOIN metrics s ON s.indicator = m.indicator AND s.indicator_id IS NOT DISTINCT FROM m.indicator_id
                          AND (s.region = m.region OR s.metric_id = m.metric_id) AND s.year IS NOT DISTINCT FROM m.year
                          AND s.months = m.months AND s.kind = m.kind AND s.scope = m.scope
                          AND s.unit IS NOT DISTINCT FROM m.unit
            LEFT JOIN paragraphs p ON p.paragraph_id = m.paragraph_id
            WHERE s.metric_id = ?
            ORDER BY {PREFERENCE}
        """, [metric_id]).df()
        same(Q.same_point.__wrapped__(con, "k", metric_id), old)


def test_documents_through_arrow_equal_duckdbs_frame(con):
    """documents() converts through Arrow: the frame DuckDB's .df() gives, types included."""
    new = Q.documents.__wrapped__(con, "k")
    assert len(new) > 3 and new["published"].notna().any()
    pd.testing.assert_frame_equal(new, con.execute(Q.DOCUMENTS).df())


def test_a_warehouse_whose_points_carry_no_citation_is_cited_from_its_paragraphs(con, tmp_path):
    # built before points stored para_seq and passage: the same frames, the paragraphs read instead
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    older = tmp_path / "older.duckdb"
    with duckdb.connect(str(older)) as w:
        w.execute(f"ATTACH '{path}' AS src (READ_ONLY)")
        w.execute("CREATE TABLE points AS SELECT * EXCLUDE (para_seq, passage) FROM src.points")
        for table in ("paragraphs", "documents", "regions"):
            w.execute(f"CREATE TABLE {table} AS SELECT * FROM src.{table}")
    with duckdb.connect(str(older), read_only=True) as old:
        checked = 0
        for ind in indicators(con)[:5]:
            for months in Q.indicator_periods.__wrapped__(con, "k", ind)["months"]:
                for year in Q.indicator_years.__wrapped__(con, "k", ind, months):
                    for kind in Q.indicator_kinds.__wrapped__(con, "k", ind, months, year):
                        new = Q.ranking.__wrapped__(con, "k", ind, year, months, kind)
                        pd.testing.assert_frame_equal(Q.ranking.__wrapped__(old, "k", ind, year, months, kind), new)
                        checked += len(new)
    assert checked > 5
