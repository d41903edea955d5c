"""What the screen says about the numbers (issue 12): signs, unresolved regions, scopes,
English names, conflicts. Through Streamlit's AppTest against warehouses the real ETL builds
from the bundled corpus (data/raw); expectations come from the warehouse through SQL.

An unresolved region is what the extractor stores when a document's own region cannot be
decided (全市 in a county report the gazetteer does not know): metrics.region NULL. The
second warehouse here is the real one with one document's values made so, to check that the
dashboard keeps them out of every series.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import queries
from etl.warehouse import build_warehouse, summarise
from tests.test_app import APP, figures, run_app  # noqa: F401  (APP: the app run_app starts)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("trust") / "warehouse.duckdb"
    build_warehouse(ROOT / "data" / "raw", path, workers=1, log=lambda line: None)
    return path


@pytest.fixture(scope="module")
def unresolved(real, tmp_path_factory) -> tuple[Path, str]:
    """The real warehouse with the national values of one document unresolved."""
    path = tmp_path_factory.mktemp("trust_unresolved") / "warehouse.duckdb"
    shutil.copy(real, path)
    with duckdb.connect(str(path)) as con:
        doc_id = con.execute("""SELECT doc_id FROM metrics WHERE region = '全国' AND indicator_id = 'pm25'
                                GROUP BY doc_id ORDER BY count(*) DESC LIMIT 1""").fetchone()[0]
        con.execute("UPDATE metrics SET region = NULL, region_code = NULL WHERE doc_id = ? AND region = '全国'",
                    [doc_id])
        summarise(con)
    return path, doc_id


def use(monkeypatch, path: Path) -> duckdb.DuckDBPyConnection:
    monkeypatch.setenv("EPW_DB", str(path))
    return duckdb.connect(str(path), read_only=True)


def line_points(fig, name: str) -> dict[int, tuple[float, list]]:
    trace = next(t for t in fig.data if t.name == name)
    return {int(x): (y, cd) for x, y, cd in zip(trace.x, trace.y, trace.customdata) if y is not None}


# ---- a fall is negative -------------------------------------------------------------------------

def test_a_fall_is_negative_on_the_chart_table_and_drilldown(real, monkeypatch):
    con = use(monkeypatch, real)
    falls = con.execute("""
        SELECT m.metric_id, m.year, m.value FROM metrics m JOIN paragraphs p USING (paragraph_id)
        WHERE m.indicator_id = 'pm25' AND m.region = '全国' AND m.kind = 'change' AND m.months = '1-12'
          AND m.year IS NOT NULL
          AND substring(p.text, m.evidence_start + 1, m.para_start - m.evidence_start) LIKE '%下降%'""").fetchall()
    assert falls, "the bundled corpus reports PM2.5 falling (同比下降)"
    at = run_app({"kind": "change"})
    fig = figures(at)[0]
    drawn = line_points(fig, "全国 · 变化")
    for metric_id, year, stored in falls:
        y, customdata = drawn[year]
        if customdata[0] == metric_id:        # the point drawn is this report
            assert y == -abs(stored) < 0
            assert "下降" in customdata[3] and customdata[3].startswith("-")
    metric_id = falls[0][0]
    at = run_app({"kind": "change", "metric": metric_id})
    drill = "".join(h.proto.body for h in at.get("html"))
    assert f"<b>-{abs(falls[0][2]):g}</b>" in drill and "(下降)" in drill


# ---- an unresolved region is in no series ------------------------------------------------------------

def test_unresolved_values_add_nothing_to_the_country(real, unresolved, monkeypatch):
    path, doc_id = unresolved
    before = duckdb.connect(str(real), read_only=True)
    con = use(monkeypatch, path)
    moved = {r[0] for r in con.execute("SELECT metric_id FROM metrics WHERE region IS NULL").fetchall()}
    assert moved
    years = before.execute("SELECT min(year), max(year) FROM metrics WHERE year IS NOT NULL").fetchone()
    points = queries.trend_points.__wrapped__(con, "k", "pm25", ("全国",), years[0], years[1], "1-12",
                                              ("actual", "target", "change"))
    assert not set(points["metric_id"]) & moved and not (points["doc_id"] == doc_id).any()
    for year in range(years[0], years[1] + 1):
        for kind in ("actual", "target"):
            ranked = queries.ranking.__wrapped__(con, "k", "pm25", year, "1-12", kind)
            assert ranked["region"].notna().all() and not set(ranked["metric_id"]) & moved
    assert con.execute("SELECT count(*) FROM region_stats WHERE region IS NULL").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM conflicts WHERE region IS NULL").fetchone()[0] == 0
    assert None not in set(queries.indicator_regions.__wrapped__(con, "k", "pm25")["region"])

    # the chart on the page: the 全国 line has none of them
    at = run_app()
    ids = {cd[0] for _, cd in line_points(figures(at)[0], "全国").values()}
    assert ids and not ids & moved

    # flagged on the Data page: a count and the list, each with its sentence
    at = run_app({"tab": "unresolved"}, page="data")
    assert any(f"共 {len(moved)} 个地区未定的数值" in m.value for m in at.markdown)
    listed = next(f.value for f in at.dataframe if "passage" in map(str, f.value.columns))
    assert len(listed) == len(moved)

    # and shown on its document, labelled as unresolved
    at = run_app({"doc": doc_id}, page="document")
    body = "".join(h.proto.body for h in at.get("html"))
    assert "地区未定" in body


def test_a_document_of_unknown_region_adds_nothing_to_the_country(tmp_path, monkeypatch):
    """End to end: the real ETL reads 全县 in a bulletin that never says which county it is; the
    values are stored unresolved and the 全国 line is the same as without the document."""
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    (raw / "county.txt").write_text(
        "环境质量简报（第6期）\n本县生态环境分局\n"
        "2023年，全县PM2.5年均浓度为35微克/立方米，同比下降5.4%；优良天数比例为88.1%。\n", encoding="utf-8")
    path = tmp_path / "warehouse.duckdb"
    build_warehouse(raw, path, workers=1, log=lambda line: None)
    con = use(monkeypatch, path)
    rows = con.execute("""SELECT m.metric_id, m.region, m.region_source, m.value FROM metrics m
                          JOIN documents d USING (doc_id) WHERE d.file = 'county.txt'""").fetchall()
    assert {v for *_, v in rows} >= {35.0, 88.1}
    assert all(region is None and source == "unresolved" for _, region, source, _ in rows)
    years = con.execute("SELECT min(year), max(year) FROM metrics WHERE year IS NOT NULL").fetchone()
    points = queries.trend_points.__wrapped__(con, "k", "pm25", ("全国",), years[0], years[1], "1-12",
                                              ("actual", "target", "change"))
    assert len(points) and not set(points["metric_id"]) & {r[0] for r in rows}
    assert 35.0 not in set(points.loc[points["year"] == 2023, "value"])


# ---- scope keeps different quantities apart --------------------------------------------------------

def test_figures_of_different_scope_are_neither_one_series_nor_a_conflict(real, monkeypatch):
    con = use(monkeypatch, real)
    scoped = con.execute("""
        SELECT indicator_id, region, year, list(DISTINCT scope ORDER BY scope) FROM metrics
        WHERE indicator_id IS NOT NULL AND year IS NOT NULL AND kind = 'actual' AND months = '1-12'
        GROUP BY ALL HAVING count(DISTINCT scope) > 1 AND count(DISTINCT value) > 1""").fetchall()
    assert scoped, "the bundled corpus reports 黑臭水体 for 县级城市 and 农村 apart"
    for indicator, region, year, scopes in scoped:
        rows = con.execute("""SELECT scope, count(DISTINCT value) FROM metrics WHERE indicator_id = ? AND region = ?
                              AND year = ? AND kind = 'actual' AND months = '1-12' GROUP BY scope""",
                           [indicator, region, year]).fetchall()
        conflicts = {r[0] for r in con.execute(
            "SELECT scope FROM conflicts WHERE indicator_id = ? AND region = ? AND year = ? AND kind = 'actual'",
            [indicator, region, year]).fetchall()}
        assert conflicts == {scope for scope, n in rows if n > 1}   # never across scopes
        at = run_app({"indicator": indicator, "regions": region, "years": f"{year}"})
        names = {t.name for t in figures(at)[0].data}
        for scope in scopes:
            assert (f"{region} · {scope}" if scope else region) in names


# ---- English names, re-rendered on a switch -----------------------------------------------------------

def test_english_region_names_everywhere_and_on_a_switch(real, monkeypatch):
    use(monkeypatch, real)
    at = run_app({"regions": "全国~北京市"})
    assert {t.name for t in figures(at)[0].data} >= {"全国", "北京市"}
    at.segmented_control(key="app.lang").set_value("en").run()
    assert at.query_params["lang"] == "en"
    names = {t.name for t in figures(at)[0].data}
    assert {"China", "Beijing"} <= names and not {"全国", "北京市"} & names
    hover = str(list(figures(at)[0].data[0].customdata))
    assert "China" in hover or "Beijing" in hover
    picker = at.multiselect(key="trends.regions")
    assert [picker.format_func(o) for o in picker.value] == ["China", "Beijing"]
    assert at.segmented_control(key="trends.kind").options  # the page is drawn in English
    # table headers translated, region column in English
    at = run_app({"regions": "全国~北京市", "lang": "en", "tab": "table"})
    table = next(f for f in at.dataframe if "region" in map(str, f.value.columns))
    assert set(table.value["region"]) <= {"China", "Beijing"}
    at = run_app({"lang": "en"}, page="data")
    headers = {c: v.get("label") for c, v in json.loads(at.dataframe[0].proto.columns).items()}
    assert headers["name_en"] == "English name" and headers["n_values"] == "Values"   # not the raw names
    # back to Chinese: every label follows
    at.segmented_control(key="app.lang").set_value("zh").run()
    headers = {c: v.get("label") for c, v in json.loads(at.dataframe[0].proto.columns).items()}
    assert headers["name_en"] == "英文名称"
