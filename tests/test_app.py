"""The dashboard, driven through Streamlit's AppTest against a real DuckDB warehouse.

The warehouse is built once per session (`make_warehouse`). Tests read what they
expect out of it with their own SQL, so they keep holding when the warehouse
changes with the extractor (tests/dashboard_fixture.py); the few that need
something the data may lack (a conflict, a partial-year period) skip without it.

Chart clicks cannot be driven from AppTest (streamlit #8483): the click → passage
path is covered by the selection parser and by the `metric` URL parameter that
a click writes.
"""
from __future__ import annotations

import base64
import io
import json
import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import openpyxl
import pandas as pd
import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, db, i18n, passages, queries, state, ui
from dashboard.pages import search_page
import etl.warehouse.export as wh_export
from tests.dashboard_fixture import build_fixture_warehouse

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
HOSTILE = ["indicator=nope", "years=abc", "metric=' OR 1=1 --", "regions=<script>alert(1)</script>",
           "doc=<script>x</script>", "para=-1", "q=<script>alert(1)</script>", "tab=<b>x</b>",
           "kind=drop table metrics", "months=1-12'; --", "year=20x4", "lang=xx"]
PAGES = ["trends", "regions", "document", "search", "data"]


def make_warehouse(path: Path, **options) -> Path:
    """The real ETL's warehouse of the bundled corpus and the made-up documents
    (tests/dashboard_fixture.py)."""
    return build_fixture_warehouse(path, **options)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")


@pytest.fixture(autouse=True)
def _use_warehouse(warehouse, monkeypatch):
    monkeypatch.setenv("EPW_DB", str(warehouse))


@pytest.fixture(scope="session")
def sql(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    yield lambda query, params=None: con.execute(query, params or []).fetchall()
    con.close()


def run_app(params: dict | None = None, page: str | None = None, timeout: float = 30) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    if page and page != "trends":
        at.query_params["page"] = page
    for name, value in (params or {}).items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _decode(node):
    """Plotly sends numeric arrays as {'dtype', 'bdata'} (base64); turn them back into lists."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            return values.reshape(node["shape"]).tolist() if "shape" in node else values.tolist()
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def figures(at: AppTest) -> list[go.Figure]:
    return [go.Figure(_decode(json.loads(chart.proto.spec))) for chart in at.get("plotly_chart")]


def html_of(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first st.dataframe holding all these columns (dataframes keep no key in AppTest)."""
    for frame in at.dataframe:
        value = frame.value
        if set(columns) <= set(map(str, value.columns)):
            return value
    raise AssertionError(f"no table with columns {columns}")


def warnings_of(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def traces_by_name(fig) -> dict:
    return {trace.name: trace for trace in fig.data}


def drawn(trace) -> dict[int, float]:
    """year -> value of a line's points (a gap for a missing year is a None point, not a value)."""
    return {int(x): y for x, y in zip(trace.x, trace.y) if y is not None}


def gap_years(trace) -> list[int]:
    return [int(x) for x, y in zip(trace.x, trace.y) if y is None]


def preferred(sql, indicator: str, region: str, months: str = "1-12", kind: str = "actual") -> dict[int, float]:
    """year -> the value the chart should draw: the report of the newest document."""
    rows = sql("""
        SELECT m.year, m.value FROM metrics m JOIN documents d ON d.doc_id = m.doc_id
        WHERE m.indicator_id = ? AND m.region = ? AND m.months = ? AND m.kind = ? AND m.year IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY m.year
                                   ORDER BY d.published DESC NULLS LAST, m.confidence DESC, m.metric_id) = 1
    """, [indicator, region, months, kind])
    return {int(y): v for y, v in rows}


# ---- Trends ---------------------------------------------------------------------------------

def test_trends_default_view_draws_actuals_and_dashed_targets(sql):
    at = run_app()
    assert dict(at.query_params) == {}  # defaults stay out of the URL
    assert at.selectbox(key="trends.indicator").value == "pm25"
    assert at.multiselect(key="trends.regions").value == ["全国"]
    assert at.selectbox(key="trends.months").value == "1-12"
    fig = figures(at)[0]
    traces = traces_by_name(fig)
    actual = traces["全国"]
    assert drawn(actual) == preferred(sql, "pm25", "全国")
    years = sorted(drawn(actual))
    # a year without data breaks the line: one None point in each gap
    assert gap_years(actual) == [a + 1 for a, b in zip(years, years[1:]) if b - a > 1]
    assert actual.mode == "lines+markers" and actual.line.dash in (None, "solid")
    targets = preferred(sql, "pm25", "全国", kind="target")
    if targets:
        target = next(t for name, t in traces.items() if name.startswith("全国 ·"))
        assert drawn(target) == targets
        assert target.line.dash == "dash" and target.marker.symbol == "circle-open"
    # every marker carries its metric_id, and the hover has value, unit, period and source
    ids = [row[0] for row in actual.customdata if row[0]]
    assert len(sql("SELECT metric_id FROM metrics WHERE list_contains(?, metric_id)", [ids])) == len(ids)
    last = actual.customdata[-1]
    title, unit = sql("""SELECT coalesce(d.title, d.file), m.unit FROM metrics m
                         JOIN documents d ON d.doc_id = m.doc_id WHERE m.metric_id = ?""", [last[0]])[0]
    assert last[4] == unit and "全年" in last[5] and title in last[6]
    assert "customdata[3]" in actual.hovertemplate and "customdata[6]" in actual.hovertemplate
    assert "Noto Sans CJK SC" in fig.layout.font.family


def rich_indicator(sql, exclude: str | None = None) -> tuple[str, list[str], list[int]]:
    """A whole-year indicator with the most years of actual values, its two best-covered
    regions and its years: something worth a trend chart, whatever the warehouse."""
    indicator = sql("""SELECT indicator_id FROM metrics
                       WHERE indicator_id IS NOT NULL AND indicator_id IS DISTINCT FROM ? AND year IS NOT NULL
                         AND months = '1-12' AND kind = 'actual'
                       GROUP BY ALL ORDER BY count(DISTINCT year) DESC, count(DISTINCT region) DESC,
                                indicator_id LIMIT 1""", [exclude])[0][0]
    regions = [r[0] for r in sql("""SELECT region FROM metrics WHERE indicator_id = ? AND year IS NOT NULL
                                    AND months = '1-12' GROUP BY region ORDER BY count(*) DESC, region LIMIT 2""",
                                 [indicator])]
    years = [r[0] for r in sql("""SELECT DISTINCT year FROM metrics WHERE indicator_id = ? AND months = '1-12'
                                  AND year IS NOT NULL ORDER BY year""", [indicator])]
    return indicator, regions, years


def test_trends_url_drives_widgets_and_chart(sql):
    indicator, regions, years = rich_indicator(sql, exclude="pm25")
    params = {"indicator": indicator, "regions": "~".join(regions), "kind": "actual"}
    window = (years[1], years[-1]) if len(years) > 2 else None
    if window:
        params["years"] = f"{window[0]}..{window[1]}"
    at = run_app(params)
    assert at.selectbox(key="trends.indicator").value == indicator
    assert at.multiselect(key="trends.regions").value == regions
    if window:
        assert at.slider(key="trends.years").value == window
    assert at.segmented_control(key="trends.kind").value == "actual"
    traces = traces_by_name(figures(at)[0])
    assert set(traces) <= set(regions)  # no targets with kind=actual
    for region, trace in traces.items():
        want = {y: v for y, v in preferred(sql, indicator, region).items()
                if not window or window[0] <= y <= window[1]}
        assert drawn(trace) == want
    assert not warnings_of(at)


def test_trends_widgets_write_only_non_defaults_to_url(sql):
    indicator, regions, years = rich_indicator(sql, exclude="pm25")
    at = run_app()
    at.selectbox(key="trends.indicator").set_value(indicator).run()
    assert at.query_params["indicator"] == indicator
    picker = at.multiselect(key="trends.regions")
    others = [r for r in picker.options if r not in picker.value]
    if others:
        chosen = picker.value + others[:1]
        picker.select(others[0]).run()
        assert at.query_params["regions"] == "~".join(chosen)
    if len(years) > 1:
        low, high = at.slider(key="trends.years").value
        at.slider(key="trends.years").set_value((low + 1, high)).run()
        assert at.query_params["years"] == state.format_years((low + 1, high))
    at.segmented_control(key="trends.kind").set_value("target").run()
    assert at.query_params["kind"] == "target"
    for fig in figures(at):  # none when this indicator has no targets
        assert all(t.name.endswith("目标值") for t in fig.data if not t.name.startswith("⚠"))
    # back to the defaults: out of the URL again
    at.segmented_control(key="trends.kind").set_value("all").run()
    at.selectbox(key="trends.indicator").set_value("pm25").run()
    assert "kind" not in at.query_params and "indicator" not in at.query_params
    assert not at.exception


def test_trends_period_selector_keeps_partial_years_apart(sql):
    periods = [r[0] for r in sql("SELECT DISTINCT months FROM metrics WHERE indicator_id = 'pm25'")]
    partial = next((p for p in periods if p != "1-12"), None)
    if partial is None:
        pytest.skip("no partial-year PM2.5 values in this warehouse")
    at = run_app()
    assert set(at.selectbox(key="trends.months").options) >= {"全年"}
    whole_year = figures(at)[0]
    at = run_app({"months": partial})
    assert at.selectbox(key="trends.months").value == partial
    fig = figures(at)[0]
    assert drawn(fig.data[0]) == preferred(sql, "pm25", "全国", months=partial)
    assert list(fig.data[0].y) != list(whole_year.data[0].y)


def test_trends_marks_points_where_documents_disagree(sql):
    conflict = sql("""SELECT c.indicator, c.region, c.year, c.months FROM conflicts c
                      JOIN indicators i ON i.name_zh = c.indicator WHERE c.kind = 'actual' LIMIT 1""")
    if not conflict:
        pytest.skip("no conflicts in this warehouse")
    name, region, year, months = conflict[0]
    indicator = sql("SELECT indicator_id FROM indicators WHERE name_zh = ?", [name])[0][0]
    at = run_app({"indicator": indicator, "regions": region, "months": months})
    ring = next(t for t in figures(at)[0].data if t.name.startswith("⚠"))
    assert year in [int(x) for x in ring.x]
    # the drill-down of that point lists every report and says they disagree
    at = run_app({"indicator": indicator, "regions": region, "months": months, "metric": ring.customdata[0][0]})
    assert any("不一致" in w for w in warnings_of(at))
    reports = table_with(at, "passage", "source", "value")
    n = sql("""SELECT count(*) FROM metrics m JOIN indicators i ON i.indicator_id = m.indicator_id
               WHERE i.name_zh = ? AND region = ? AND year = ? AND months = ? AND kind = 'actual'""",
            [name, region, year, months])[0][0]
    assert len(reports) == n >= 2


def test_trends_drilldown_shows_escaped_passage_with_value_marked(sql):
    metric_id, doc_id, seq, value_text, title = sql("""
        SELECT m.metric_id, m.doc_id, p.seq, m.value_text, d.title FROM metrics m
        JOIN paragraphs p ON p.paragraph_id = m.paragraph_id JOIN documents d ON d.doc_id = m.doc_id
        WHERE m.indicator_id = 'pm25' AND m.region = '全国' AND m.kind = 'actual' AND m.months = '1-12'
        ORDER BY d.published DESC NULLS LAST, m.metric_id LIMIT 1""")[0]
    at = run_app({"metric": metric_id})
    assert at.query_params["metric"] == metric_id
    page = html_of(at)
    assert f">{value_text}</mark>" in page
    assert f"document?doc={doc_id}&amp;para={seq}&amp;metric={metric_id}" in page
    assert title in page
    # how year, period and region were decided, in words (metrics.year_source …)
    year_source, period_source, region_source = sql(
        "SELECT year_source, period_source, region_source FROM metrics WHERE metric_id = ?", [metric_id])[0]
    words = {k: i18n.text(f"src_{v}", "zh") for k, v in
             (("year", year_source), ("period", period_source), ("region", region_source))}
    assert i18n.text("provenance", "zh", **words) in page
    assert "年份：" in page
    # closing it takes the metric out of the URL
    at.button(key="drilldown.close").click().run()
    assert "metric" not in at.query_params
    assert "</mark>" not in html_of(at)


def test_trends_table_tab_has_source_columns(sql):
    at = run_app({"tab": "table"})
    table = table_with(at, "passage", "source", "region")
    assert {"passage", "source", "title"} <= set(table.columns)
    assert all(href.startswith("document?doc=") for href in table["source"])
    assert not at.get("plotly_chart")  # the chart tab is not computed while hidden
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载 CSV", "下载 XLSX"]


def test_toolbar_downloads_png_or_svg():
    at = run_app()
    options = json.loads(at.get("plotly_chart")[0].proto.config)["toImageButtonOptions"]
    assert options["format"] == "png" and options["filename"].startswith("pm25_")
    at.segmented_control(key="trends.imgfmt").set_value("svg").run()
    assert json.loads(at.get("plotly_chart")[0].proto.config)["toImageButtonOptions"]["format"] == "svg"
    at.query_params["tab"] = "table"
    at.run()
    at.query_params.pop("tab")
    at.run()  # the choice outlives a run where the picker was not drawn
    assert json.loads(at.get("plotly_chart")[0].proto.config)["toImageButtonOptions"]["format"] == "svg"


def test_chart_selection_resolves_metric_ids():
    event = {"selection": {"points": [{"customdata": ["m-1", "全国 · 2024"], "x": 2024},
                                      {"customdata": "m-2"}, {"x": 1}]}}
    assert charts.selected_metric_ids(event) == ["m-1", "m-2"]
    assert charts.selected_metric_ids({"selection": {"points": []}}) == []
    assert charts.selected_metric_ids(None) == []


# ---- Regions --------------------------------------------------------------------------------

def test_regions_ranked_bars_follow_the_url(sql):
    year = sql("""SELECT year FROM metrics WHERE indicator_id = 'pm25' AND months = '1-12' AND kind = 'actual'
                  GROUP BY year ORDER BY count(DISTINCT region) DESC, year DESC LIMIT 1""")[0][0]
    at = run_app({"year": str(year)}, page="regions")
    assert at.selectbox(key="regions.year").value == year
    bars = figures(at)[0].data[0]
    expected = dict(sql("""
        SELECT m.region, m.value FROM metrics m JOIN documents d ON d.doc_id = m.doc_id
        WHERE indicator_id = 'pm25' AND year = ? AND months = '1-12' AND kind = 'actual'
        QUALIFY row_number() OVER (PARTITION BY m.region ORDER BY d.published DESC NULLS LAST,
                                   m.confidence DESC, m.metric_id) = 1""", [year]))
    assert dict(zip(bars.y, bars.x)) == expected
    assert list(bars.x) == sorted(bars.x)  # highest on top of a horizontal bar chart
    assert all(row[0] for row in bars.customdata)


def test_regions_default_year_has_actual_values(sql):
    at = run_app(page="regions")
    latest = sql("""SELECT max(year) FROM metrics WHERE indicator_id = 'pm25' AND months = '1-12'
                    AND kind = 'actual'""")[0][0]
    assert at.selectbox(key="regions.year").value == latest
    assert at.segmented_control(key="regions.kind").value == "actual"
    at.selectbox(key="regions.year").set_value(latest - 1).run()
    assert at.query_params["year"] == str(latest - 1)


def test_regions_map_colours_provinces(sql):
    shapes = charts.load_province_shapes()
    if shapes is None:
        pytest.skip("no data/geo/china_provinces.geojson")
    year = sql("""SELECT year FROM metrics m JOIN regions r ON r.code = m.region_code
                  WHERE indicator_id = 'pm25' AND r.level = 'province' AND kind = 'actual' AND months = '1-12'
                  GROUP BY year ORDER BY count(*) DESC LIMIT 1""")[0][0]
    at = run_app({"year": str(year), "tab": "map"}, page="regions")
    fig = figures(at)[0]
    outlines = [t for t in fig.data if t.fill == "toself" and t.xaxis in (None, "x")]
    assert len(outlines) == len(shapes)
    # 南海诸岛 in an inset box of its own axes, at the bottom right
    inset = [t for t in fig.data if t.fill == "toself" and t.xaxis == "x2"]
    assert any(p.code == "460000" for p in shapes) and len(inset) >= 1
    assert fig.layout.xaxis2.domain[0] > 0.5 and fig.layout.yaxis2.domain[1] <= 0.5
    assert fig.layout.xaxis2.range[0] < 112 < fig.layout.xaxis2.range[1] and fig.layout.yaxis2.range[0] < 10
    assert any(a.text == "南海诸岛" for a in fig.layout.annotations)
    # what grey means: a legend entry
    legend = [t for t in fig.data if t.showlegend]
    assert [t.name for t in legend] == ["无数据"] and legend[0].marker.color == "#f0f0f0"
    dots = [t for t in fig.data if t.mode == "markers" and t.showlegend is False][0]
    n_provinces = sql("""SELECT count(DISTINCT m.region) FROM metrics m JOIN regions r ON r.code = m.region_code
                         WHERE indicator_id = 'pm25' AND r.level = 'province' AND year = ?
                           AND kind = 'actual' AND months = '1-12'""", [year])[0][0]
    assert len(dots.x) == n_provinces
    coloured = [t for t in outlines if t.fillcolor != "#f0f0f0"]
    assert len(coloured) == n_provinces
    if n_provinces >= charts.MIN_REGIONS_TO_COMPARE:
        assert dots.marker.colorbar.title.text and len({t.fillcolor for t in coloured}) > 1
    else:  # too few to compare: one colour, no colour bar, and the map says so
        assert len({t.fillcolor for t in coloured}) == 1 and not dots.marker.colorbar.title.text


def test_map_with_too_few_provinces_compares_nothing():
    shapes = charts.load_province_shapes()
    if shapes is None:
        pytest.skip("no data/geo/china_provinces.geojson")
    one = pd.DataFrame([{"metric_id": "m1", "region": "北京市", "region_code": "110000", "scope": "", "year": 2024,
                         "months": "1-12", "kind": "actual", "value": 30.5, "value_high": None, "qualifier": "",
                         "unit": "微克/立方米", "title": "t", "file": "f.txt", "published": None, "disagree": False}])
    names = {"indicator": "PM2.5", "source": "来源", "conflict": "x", "no_value": "无数据",
             "too_few": "仅 {n} 个省份有数据（少于 {min} 个）", "inset": "南海诸岛"}
    fig = charts.province_map_figure(one, shapes, indicator="PM2.5", unit="微克/立方米", lang="zh",
                                     higher_is_better=False, names=names)
    assert any("仅 1 个省份" in (a.text or "") for a in fig.layout.annotations)
    dots = [t for t in fig.data if t.mode == "markers" and t.showlegend is False][0]
    assert not dots.marker.colorbar.title.text


def test_province_map_without_boundaries_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("EPW_GEOJSON", str(tmp_path / "missing.geojson"))
    at = run_app({"tab": "map"}, page="regions")
    assert any("geojson" in i.value for i in at.info)


# ---- Document -------------------------------------------------------------------------------

def test_document_permalink_marks_paragraph_and_every_value(sql):
    metric_id, doc_id, seq = sql("""
        SELECT m.metric_id, m.doc_id, p.seq FROM metrics m JOIN paragraphs p ON p.paragraph_id = m.paragraph_id
        WHERE m.indicator_id = 'pm25' AND m.year IS NOT NULL ORDER BY m.metric_id LIMIT 1""")[0]
    at = run_app({"doc": doc_id, "para": str(seq), "metric": metric_id}, page="document")
    assert at.selectbox(key="document.doc").value == doc_id
    page = html_of(at)
    n_values, n_paragraphs = sql("SELECT n_metrics, n_paragraphs FROM documents WHERE doc_id = ?", [doc_id])[0]
    assert page.count("<mark ") == sql("SELECT count(*) FROM metrics WHERE doc_id = ?", [doc_id])[0][0]
    assert page.count('<p id="p-') == n_paragraphs
    assert f'<p id="p-{seq}" style="{passages.PARAGRAPH_TARGET_STYLE}"' in page
    assert page.count(passages.MARK_SELECTED_STYLE) == 1
    assert 'getElementById("p-%d")' % seq in page  # scrolls to the anchor
    title = sql("""SELECT indicator || ' · ' || region || ' · ' || year FROM metrics WHERE metric_id = ?""",
                [metric_id])[0][0]
    assert f'title="{title}' in page


def test_document_para_may_be_a_paragraph_id(sql):
    doc_id, seq = sql("SELECT doc_id, seq FROM paragraphs WHERE seq = 2 ORDER BY doc_id LIMIT 1")[0]
    at = run_app({"para": f"{doc_id}-{seq}"}, page="document")
    assert at.query_params["doc"] == doc_id
    assert f'<p id="p-{seq}" style="{passages.PARAGRAPH_TARGET_STYLE}"' in html_of(at)


def test_document_opened_from_a_metric_alone(sql):
    metric_id, doc_id, seq = sql("""SELECT m.metric_id, m.doc_id, p.seq FROM metrics m
                                    JOIN paragraphs p ON p.paragraph_id = m.paragraph_id
                                    ORDER BY m.metric_id DESC LIMIT 1""")[0]
    at = run_app({"metric": metric_id}, page="document")
    assert at.query_params["doc"] == doc_id and at.query_params["para"] == str(seq)
    assert html_of(at).count(passages.MARK_SELECTED_STYLE) == 1


def test_document_picker_writes_doc_and_clears_paragraph(sql):
    docs = [r[0] for r in sql("SELECT doc_id FROM documents ORDER BY doc_id")]
    at = run_app({"doc": docs[0], "para": "0"}, page="document")
    at.selectbox(key="document.doc").set_value(docs[1]).run()
    assert at.query_params["doc"] == docs[1] and "para" not in at.query_params


def test_document_escapes_hostile_text(tmp_path, monkeypatch):
    path = make_warehouse(tmp_path / "hostile.duckdb", hostile=True)
    monkeypatch.setenv("EPW_DB", str(path))
    con = duckdb.connect(str(path), read_only=True)
    doc_id, metric_id = con.execute("""SELECT doc_id, metric_id FROM metrics WHERE doc_id IN
        (SELECT doc_id FROM documents WHERE title LIKE '%<script>%')""").fetchone()
    con.close()
    at = run_app({"doc": doc_id, "para": "1"}, page="document")
    page = html_of(at)
    assert "<script>alert" not in page and "<img" not in page and "<b>注意" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "&lt;b&gt;注意" in page
    assert ">27</mark>" in page
    # the same document through the drill-down and the hover text of the chart
    at = run_app({"indicator": "pm25", "regions": "上海市", "metric": metric_id})
    assert "<script>alert" not in html_of(at)
    hover = str(list(figures(at)[0].data[0].customdata))
    assert "<script>" not in hover and "&lt;script&gt;" in hover


def test_highlight_cuts_at_offsets_before_escaping():
    text = "<b>PM2.5</b> 为29.3 & 以上"
    start = text.index("29.3")
    out = passages.highlight(text, [passages.Mark(start, start + 4, 'a"<b>')], evidence=(0, len(text)))
    assert "&lt;b&gt;PM2.5&lt;/b&gt;" in out and "&amp;" in out
    assert '<mark title="a&quot;&lt;b&gt;"' in out and ">29.3</mark>" in out
    # overlapping and broken spans are skipped, not mangled
    out = passages.highlight("abcdef", [passages.Mark(1, 4), passages.Mark(2, 5), passages.Mark(9, 3)])
    assert out.count("<mark") == 1 and out.replace(out[out.index("<mark"):out.index(">") + 1], "") \
        .replace("</mark>", "") == "abcdef"


# ---- Search ---------------------------------------------------------------------------------

def test_search_page_takes_query_and_filters_from_url(sql):
    doc_id = sql("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 1")[0][0]
    at = run_app({"q": "PM2.5", "regions": "北京市", "doc": doc_id}, page="search")
    assert at.text_input(key="search.q").value == "PM2.5"
    assert at.multiselect(key="search.regions").value == ["北京市"]
    assert at.selectbox(key="search.doc").value == doc_id
    if search_page.run_search is None:
        assert any("search.py" in i.value for i in at.info)
    else:
        page = html_of(at)
        assert "document?doc=" in page or any("结果" in i.value or "results" in i.value for i in at.info)
    at.text_input(key="search.q").set_value("优良天数").run()
    assert at.query_params["q"] == "优良天数"


def test_search_results_render_links_marks_and_pages(sql, monkeypatch):
    """The page around the search module, with a stand-in module: hits, escaping, paging."""
    doc_id, paragraph_id, file = sql("""SELECT p.doc_id, p.paragraph_id, d.file FROM paragraphs p
                                        JOIN documents d ON d.doc_id = p.doc_id ORDER BY p.paragraph_id LIMIT 1""")[0]
    calls = []

    def fake_search(con, query, *, years=None, regions=None, doc_ids=None, limit=50, offset=0):
        calls.append({"query": query, "years": years, "regions": regions, "doc_ids": doc_ids,
                      "limit": limit, "offset": offset})
        return pd.DataFrame({"paragraph_id": [paragraph_id], "doc_id": [doc_id], "score": [1.0],
                             "snippet_html": ["<script>x</script>…<mark>PM2.5</mark>浓度"], "file": [file],
                             "title": [None], "total": [45]})

    monkeypatch.setattr(search_page, "run_search", fake_search)
    at = run_app({"q": "PM2.5", "years": "2023..2024", "regions": "北京市", "p": "2"}, page="search")
    assert calls[-1] == {"query": "PM2.5", "years": [2023, 2024], "regions": ["北京市"], "doc_ids": None,
                         "limit": search_page.PER_PAGE, "offset": search_page.PER_PAGE}
    page = html_of(at)
    seq = paragraph_id.rsplit("-", 1)[1]
    assert f'href="document?doc={doc_id}&amp;para={seq}"' in page
    assert "<mark>PM2.5</mark>" in page and "<script>" not in page and file in page
    assert at.pagination(key="search.page").value == 2
    at.pagination(key="search.page").set_value(3).run()
    assert at.query_params["p"] == "3" and calls[-1]["offset"] == 2 * search_page.PER_PAGE
    at.text_input(key="search.q").set_value("优良天数").run()
    assert at.query_params["q"] == "优良天数" and "p" not in at.query_params


@pytest.mark.skipif(search_page.run_search is None, reason="dashboard/search.py not there yet")
def test_search_hits_link_to_their_paragraph():
    at = run_app({"q": "优良天数"}, page="search")
    page = html_of(at)
    assert "<mark>" in page and "document?doc=" in page and "&amp;para=" in page


def test_search_snippets_keep_only_mark_tags():
    assert search_page.safe_snippet('<script>x</script>a<mark class="h">PM2.5</mark>&amp;b') == \
        "&lt;script&gt;x&lt;/script&gt;a<mark>PM2.5</mark>&amp;b"


# ---- Data -----------------------------------------------------------------------------------

def test_data_catalog_and_coverage(sql):
    at = run_app(page="data")
    catalog = table_with(at, "indicator_id", "n_values")
    assert len(catalog) == sql("SELECT count(*) FROM indicators")[0][0]
    coverage = at.dataframe[1].value
    n_pm25_2023 = sql("SELECT count(DISTINCT region) FROM metrics WHERE indicator_id = 'pm25' AND year = 2023")[0][0]
    pm25_row = coverage[coverage.index.str.contains("PM2.5浓度")]
    assert int(pm25_row["2023"].iloc[0]) == n_pm25_2023
    by_region = at.dataframe[2].value
    assert set(by_region.index) == {r[0] for r in sql(
        "SELECT DISTINCT region FROM metrics WHERE indicator_id = 'pm25' AND year IS NOT NULL AND region IS NOT NULL")}


def test_data_conflicts_and_errors(sql):
    at = run_app({"tab": "conflicts"}, page="data")
    n_conflicts = sql("SELECT count(*) FROM conflicts")[0][0]
    if n_conflicts:
        listing = table_with(at, "n_values", "n_documents")
        assert len(listing) == min(n_conflicts, queries.CONFLICTS_PER_PAGE)
        # the first conflict is open: every report of its point, each with its passage and link
        first = sql("""SELECT indicator_id, region, year, months, kind FROM conflicts
                       ORDER BY indicator, region, year, months, kind LIMIT 1""")[0]
        reports = table_with(at, "passage", "source")
        values = sql("""SELECT value FROM metrics WHERE indicator_id = ? AND region = ? AND year = ?
                        AND months = ? AND kind = ?""", list(first))
        assert len(reports) == len(values) >= 2 and len({v for v, in values}) >= 2
        assert all(reports["passage"].str.len() > 0) and all(reports["source"].str.startswith("document?doc="))
        # a page past the end shows the last one; a broken page number is dropped with a message
        last = run_app({"tab": "conflicts", "p": "9999"}, page="data")
        assert len(table_with(last, "n_values", "n_documents")) == (n_conflicts - 1) % queries.CONFLICTS_PER_PAGE + 1
        assert any("p" in w for w in warnings_of(run_app({"tab": "conflicts", "p": "x"}, page="data")))
    at = run_app({"tab": "errors"}, page="data")
    n_errors = sql("SELECT count(*) FROM ingest_errors")[0][0]
    if n_errors:
        errors = table_with(at, "file", "stage", "error")
        assert len(errors) == n_errors and {"file", "stage", "error"} <= set(errors.columns)


def test_conflicts_are_paged_and_each_lists_its_reports(warehouse, sql):
    """conflicts() pages the derived table; conflict_reports() is every metric of one point."""
    con = duckdb.connect(str(warehouse), read_only=True)
    everything = queries.conflicts.__wrapped__(con, "k", 0, 10**6)
    assert len(everything) == sql("SELECT count(*) FROM conflicts")[0][0]
    pages = [queries.conflicts.__wrapped__(con, "k", offset, 1) for offset in range(len(everything))]
    assert pages == [] or pd.concat(pages, ignore_index=True).equals(everything)
    for c in everything.itertuples():
        reports = queries.conflict_reports.__wrapped__(con, "k", c.indicator_id, c.region, c.year, c.months, c.kind,
                                                       c.scope, c.unit)
        assert len(reports) == c.n_reports and reports["value"].nunique() == c.n_values
        assert reports["doc_id"].nunique() == c.n_documents
        assert (reports["value"].min(), reports["value"].max()) == (c.min_value, c.max_value)
        dated = reports["published"].dropna()
        assert dated.is_monotonic_decreasing and reports["published"].iloc[:len(dated)].notna().all()  # newest first
    con.close()


def test_derived_tables_equal_the_aggregates_over_metrics(warehouse):
    """What summarise stores equals grouping the metrics on every visit (as the queries once did)."""
    con = duckdb.connect(str(warehouse), read_only=True)

    def frame(sql):
        return con.execute(sql).df()

    assert queries.catalog.__wrapped__(con, "k").equals(frame("""
        SELECT i.category, i.indicator_id, i.name_zh, i.name_en, i.unit,
               count(m.metric_id) AS n_values, count(DISTINCT m.region) AS n_regions,
               count(DISTINCT m.doc_id) AS n_documents, min(m.year) AS first_year, max(m.year) AS last_year
        FROM indicators i LEFT JOIN metrics m ON m.indicator_id = i.indicator_id
        GROUP BY ALL ORDER BY i.category, n_values DESC, i.indicator_id"""))
    assert queries.indicators.__wrapped__(con, "k").equals(frame("""
        SELECT i.indicator_id, i.name_zh, i.name_en, i.unit, i.category, i.higher_is_better, count(*) AS n_values
        FROM indicators i JOIN metrics m ON m.indicator_id = i.indicator_id
        WHERE m.year IS NOT NULL GROUP BY ALL ORDER BY i.category, i.indicator_id"""))
    assert queries.coverage.__wrapped__(con, "k").equals(frame("""
        SELECT m.indicator_id, i.name_zh, i.name_en, i.category, m.year,
               count(DISTINCT m.region) AS n_regions, count(*) AS n_values
        FROM metrics m JOIN indicators i ON i.indicator_id = m.indicator_id
        WHERE m.year IS NOT NULL GROUP BY ALL ORDER BY i.category, m.indicator_id, m.year"""))
    assert queries.known_regions.__wrapped__(con, "k").equals(frame("""
        WITH names AS (SELECT region, count(*) AS n_values FROM metrics WHERE region IS NOT NULL GROUP BY region
                       UNION ALL SELECT region, 0 FROM documents WHERE region IS NOT NULL)
        SELECT n.region, r.code AS region_code, r.level, sum(n.n_values)::BIGINT AS n_values
        FROM names n LEFT JOIN regions r ON r.name = n.region GROUP BY ALL ORDER BY n_values DESC, n.region"""))
    assert queries.year_range.__wrapped__(con, "k") == tuple(con.execute(
        "SELECT min(year), max(year) FROM metrics WHERE region IS NOT NULL").fetchone())
    assert frame("SELECT * FROM conflicts ORDER BY ALL").equals(frame("""
        SELECT indicator_id, indicator, region, year, months, kind, scope, unit, count(DISTINCT value) AS n_values,
               count(DISTINCT doc_id) AS n_documents, count(*) AS n_reports, min(value) AS min_value,
               max(value) AS max_value
        FROM metrics WHERE indicator_id IS NOT NULL AND kind IN ('actual', 'target') AND year IS NOT NULL
          AND region IS NOT NULL
        GROUP BY ALL HAVING count(DISTINCT value) > 1 ORDER BY ALL"""))
    con.close()


def test_data_downloads_whole_warehouse(warehouse, sql):
    at = run_app({"tab": "downloads"}, page="data")
    assert len(at.get("download_button")) == 4
    wh = db.connect()
    # by default the values of catalog indicators, each with a permalink to its paragraph
    n = sql("SELECT count(*) FROM metrics WHERE indicator_id IS NOT NULL")[0][0]
    csv = queries.export_metrics_file(wh.con, "csv")
    assert csv.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", dtype={"value_text": str})
    assert len(frame) == n and {"doc", "paragraph_id", "evidence", "value", "unit", "region_en", "scope",
                                "permalink"} <= set(frame.columns)
    assert frame["indicator_id"].notna().all()
    for r in frame.head(20).itertuples():
        seq = sql("SELECT seq FROM paragraphs WHERE paragraph_id = ?", [r.paragraph_id])[0][0]
        assert r.permalink == f"document?doc={r.doc_id}&para={seq}&metric={r.metric_id}"
    english = dict(sql("SELECT name, name_en FROM regions"))
    assert all(r.region_en == english[r.region] for r in frame.itertuples() if r.region in english)
    everything = pd.read_csv(io.BytesIO(queries.export_metrics_file(wh.con, "csv", catalog_only=False)),
                             encoding="utf-8-sig")
    assert len(everything) == sql("SELECT count(*) FROM metrics")[0][0] > n
    row = frame[frame["value_text"].astype(str) == frame["value_text"].astype(str)].iloc[0]
    assert str(row["value_text"]) in row["evidence"]  # each number keeps its sentence
    parquet = queries.export_metrics_file(wh.con, "parquet")
    assert len(pd.read_parquet(io.BytesIO(parquet))) == n
    book = openpyxl.load_workbook(io.BytesIO(queries.export_metrics_file(wh.con, "xlsx")), read_only=True)
    rows = list(book.active.values)
    assert len(rows) == n + 1 and list(rows[0]) == list(frame.columns)


def test_whole_warehouse_exports_keep_memory_flat_and_excel_within_a_sheet(warehouse, monkeypatch):
    """The export runs in a DuckDB instance of its own under a memory cap; XLSX refuses more
    values than a worksheet holds (the page then offers CSV and Parquet only)."""
    wh = db.connect()
    seen = []
    real = wh_export._export_connection
    monkeypatch.setattr(wh_export, "_export_connection", lambda con, tmp: seen.append(real(con, tmp)) or seen[-1])
    queries.export_metrics_file(wh.con, "parquet")
    assert seen[0] is not wh.con
    monkeypatch.setattr(wh_export, "XLSX_MAX_ROWS", 3)
    monkeypatch.setattr(queries, "XLSX_MAX_ROWS", 3)   # what the page reads
    with pytest.raises(ValueError, match="CSV or Parquet"):
        queries.export_metrics_file(wh.con, "xlsx")
    at = run_app({"tab": "downloads"}, page="data")
    assert [b.disabled for b in at.get("download_button")] == [False, True, False, False]


def test_table_downloads_keep_chinese_and_sources():
    frame = pd.DataFrame({"region": ["全国"], "value": [29.3], "file": ["003.txt"], "paragraph_id": ["x-41"],
                          "passage": ["具体为29.3微克/立方米"], "published": [pd.Timestamp("2025-01-14")],
                          "metric_ids": [["a", "b"]]})
    assert ui.to_csv(frame).decode("utf-8-sig").splitlines()[1].startswith("全国,29.3,003.txt,x-41,具体为29.3")
    sheet = openpyxl.load_workbook(io.BytesIO(ui.to_xlsx(frame))).active
    assert [c.value for c in sheet[2]][:5] == ["全国", 29.3, "003.txt", "x-41", "具体为29.3微克/立方米"]


# ---- the app around the pages ---------------------------------------------------------------------

def test_english_switch_and_url(sql):
    at = run_app({"lang": "en"})
    assert at.header[0].value == "Trends"
    assert "PM2.5 concentration" in at.selectbox(key="trends.indicator").format_func("pm25")
    at.segmented_control(key="app.lang").set_value("zh").run()
    assert "lang" not in at.query_params and at.header[0].value == "趋势"
    at.segmented_control(key="app.lang").set_value("en").run()
    assert at.query_params["lang"] == "en"


def test_page_parameter_opens_that_page():
    at = run_app({"page": "data"})
    assert at.header[0].value == "数据目录与下载" and "page" not in at.query_params
    at = run_app({"page": "nope"})
    assert any("nope" in w for w in warnings_of(at)) and at.header[0].value == "趋势"


def test_share_link_holds_the_view():
    at = run_app({"indicator": "good_air_share", "regions": "全国~北京市"})
    link = at.sidebar.code[0].value
    query = parse_qs(urlparse(link).query)
    assert query == {"indicator": ["good_air_share"], "regions": ["全国~北京市"]}


@pytest.mark.parametrize("page", PAGES)
def test_broken_parameters_give_messages_and_defaults(page):
    params = dict(p.split("=", 1) for p in HOSTILE)
    at = run_app(params, page=page)
    shown = " ".join(warnings_of(at))
    assert shown  # something was said about the broken link
    everything = html_of(at) + " ".join(m.value for m in at.markdown)
    assert "<script>" not in everything and "<b>x</b>" not in everything
    for name in ("lang", "tab", "metric", "indicator"):
        assert at.query_params.get(name) in (None, "")  # dropped, so the URL shows the defaults
    if page == "trends":
        assert at.selectbox(key="trends.indicator").value == "pm25" and figures(at)


@pytest.mark.parametrize("name,value", [(n, v) for n, v in (p.split("=", 1) for p in HOSTILE)])
def test_each_broken_parameter_alone_is_survived(name, value):
    at = run_app({name: value})
    assert figures(at)  # the default chart is still drawn


def test_connection_is_read_only_and_follows_the_file(warehouse):
    first = db.connect()
    with pytest.raises(duckdb.Error):
        first.con.execute("CREATE TABLE x (a INT)")
    stat = warehouse.stat()
    os.utime(warehouse, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = db.connect()
    assert second.key != first.key  # a swapped-in file means fresh cache keys


def test_first_start_builds_the_warehouse(tmp_path, monkeypatch):
    pytest.importorskip("etl.warehouse")
    target = tmp_path / "fresh" / "warehouse.duckdb"
    monkeypatch.setenv("EPW_DB", str(target))
    at = run_app(timeout=180)
    assert target.exists() and not at.error


def test_years_parameter_parsing():
    assert state.parse_years("2015..2024") == (2015, 2024)
    assert state.parse_years("2020") == (2020, 2020)
    for bad in ("abc", "2024..2015", "2015..", "15..24", "2015...2024", "2015..2024;"):
        assert state.parse_years(bad) is None
    assert state.split_list("全国~北京市~") == ["全国", "北京市"] and state.split_list("") == []


def test_a_fall_shows_its_sign_and_verb_in_the_drilldown(sql):
    metric_id, verb, value = sql("""SELECT metric_id, change_verb, value FROM metrics
                                    WHERE kind = 'change' AND value < 0 AND change_verb = '下降'
                                    ORDER BY metric_id LIMIT 1""")[0]
    at = run_app({"metric": metric_id})
    page = html_of(at)
    assert f"<b>{ui.format_number(value)}</b>" in page and "(下降)" in page
    assert ui.value_label(1.2, "", None, "change") == "+1.2"
    assert ui.value_label(-2.7, "", None, "change") == "-2.7"
    assert ui.value_label(45, "", None, "actual") == "45"
