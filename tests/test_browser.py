"""The dashboard in a real browser: Playwright driving headless Chromium (Debian's) against
`streamlit run app.py` on localhost.

The server is started once for this module, on a free port, with EPW_DB pointing at a
warehouse the real ETL built from a copy of data/raw in tmp (and EPW_RAW at that copy, for
the upload test), and stopped at the end. What is checked here is what AppTest cannot
do: a click on a chart marker (streamlit #8483), a link opened in a fresh browser, a file
downloaded by the browser, a file uploaded by it. Expected values come from the warehouse
through SQL. Screenshots of every step go to tests/artifacts/browser/ (git-ignored).

Without Chromium or Playwright the tests skip, unless CI is set: then they fail.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import duckdb
import pandas as pd
import pytest

from etl.warehouse import build_warehouse
from tests.dashboard_fixture import copy_corpus

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1400, "height": 1000}
SERVER_START_TIMEOUT = 60   # seconds
TIMEOUT_MS = 30_000         # any one wait in the browser
HOSTILE_UPLOAD_SECONDS = 40  # EPW_DOC_SECONDS of the server: the hostile upload runs into it

LHASA = ("拉萨市2024年生态环境状况公报\n\n"
         "2024年，拉萨市环境空气质量优良天数比例为99.7%，PM2.5年均浓度为9.8微克/立方米，同比下降5.8%。\n\n"
         "2024年，拉萨市地表水国控断面水质优良比例为100%。\n")


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the browser tests must run, not skip")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (pip install -r requirements-dev.txt)")
    path = os.environ.get("EPW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        _unavailable(f"no Chromium at {path} (apt-get install chromium, see scripts/test.sh)")
    return path


# ---- the server -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """(raw folder, warehouse): a copy of the test corpus and what the real ETL builds from it."""
    tmp = tmp_path_factory.mktemp("browser")
    raw = copy_corpus(tmp / "raw")
    warehouse = tmp / "warehouse.duckdb"
    build_warehouse(raw, warehouse, workers=1, log=lambda line: None)
    return raw, warehouse


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(chromium, corpus, tmp_path_factory) -> str:
    raw, warehouse = corpus
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    # a document gets 40 s (the hostile upload below runs into it; the corpus takes a second)
    env = {**os.environ, "EPW_DB": str(warehouse), "EPW_RAW": str(raw), "PYTHONUNBUFFERED": "1",
           "EPW_DOC_SECONDS": str(HOSTILE_UPLOAD_SECONDS)}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(base + "_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer within {SERVER_START_TIMEOUT} s:\n"
                            f"{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def sql(corpus):
    """Read the warehouse as it is now (uploads change it): a new connection per query."""
    def run(query, params=None):
        with duckdb.connect(str(corpus[1]), read_only=True) as con:
            return con.execute(query, params or []).fetchall()
    return run


# ---- helpers ------------------------------------------------------------------------------------

def download_from(page, button) -> Path:
    """Click `button`, save what the browser downloads under ARTIFACTS by its suggested name."""
    with page.expect_download() as info:
        button.click()
    download = info.value
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / download.suggested_filename
    download.save_as(target)
    return target


def shot(page, name: str, element=None) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    (element or page).screenshot(path=str(path))
    return path


def settle(page) -> None:
    """Wait until the script run is over and nothing on the page is stale."""
    page.wait_for_function("""() => {
        const app = document.querySelector('[data-test-script-state]');
        return app && app.getAttribute('data-test-script-state') === 'notRunning'
            && !document.querySelector('[data-stale="true"]');
    }""")
    page.wait_for_timeout(300)  # plotly draws after the run


def open_app(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-test-script-state]", state="attached")
    settle(page)


def chart(page, index: int = 0) -> dict:
    """A Plotly chart's traces (name, x, y, customdata) and axis titles, as drawn."""
    return page.evaluate("""(i) => {
        const g = document.querySelectorAll('.js-plotly-plot')[i];
        return {traces: g._fullData.map(t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || []),
                                              ids: Array.from(t.customdata || []).map(c => c[0])})),
                y_title: g._fullLayout.yaxis.title.text, x_title: g._fullLayout.xaxis.title.text};
    }""", index)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def preferred(sql, indicator: str, region: str, kind: str, years: tuple[int, int]) -> dict[int, float]:
    rows = sql("""
        SELECT m.year, m.value FROM metrics m JOIN documents d ON d.doc_id = m.doc_id
        WHERE m.indicator_id = ? AND m.region = ? AND m.months = '1-12' AND m.kind = ? AND m.year BETWEEN ? AND ?
        QUALIFY row_number() OVER (PARTITION BY m.year
                                   ORDER BY d.published DESC NULLS LAST, m.confidence DESC, m.metric_id) = 1
    """, [indicator, region, kind, *years])
    return {int(y): v for y, v in rows}


def view_state(page) -> dict:
    """What a reader sees of the Trends view: header, widget values, the chart."""
    return {
        "header": page.locator("h1, h2").first.inner_text(),
        "indicator": page.locator(".st-key-trends-indicator [role=combobox]").input_value(),
        "regions": page.locator(".st-key-trends-regions [data-tag] [title]").all_inner_texts(),
        "years": page.evaluate("() => Array.from(document.querySelectorAll("
                               "'.st-key-trends-years input[type=range]')).map(e => e.value)"),
        "kind": page.locator(".st-key-trends-kind [role=radio][aria-checked=true]").inner_text(),
        "chart": chart(page),
    }


# ---- (a) a click on a point opens its passage ----------------------------------------------------------

def test_click_on_a_point_opens_its_passage(server, page, sql):
    open_app(page, server)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point")
    shot(page, "a1_trends_before_click")
    drawn = chart(page)["traces"][0]
    # a missing year is a gap (a None point), drawn as no marker
    drawn = {k: [v for v, y in zip(vs, drawn["y"]) if y is not None] for k, vs in drawn.items() if k != "name"}
    points = page.locator(".js-plotly-plot .scatterlayer .trace").first.locator(".point")
    assert points.count() == len(drawn["x"]) >= 1
    k = points.count() - 1                      # the latest year
    box = points.nth(k).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.search.includes('metric=')")
    drill = page.locator(".st-key-drilldown")
    drill.locator("mark").wait_for()
    settle(page)

    metric_id = query_of(page.url)["metric"]
    assert metric_id == drawn["ids"][k]         # the point's own value, not another
    value_text, passage, year, value = sql("""
        SELECT m.value_text, substring(p.text, m.evidence_start + 1, m.evidence_end - m.evidence_start),
               m.year, m.value
        FROM metrics m JOIN paragraphs p ON p.paragraph_id = m.paragraph_id WHERE m.metric_id = ?""",
        [metric_id])[0]
    assert (year, value) == (drawn["x"][k], drawn["y"][k])
    marks = drill.locator("mark").all_inner_texts()
    assert marks == [value_text]                # the value, highlighted in its sentence
    quote_text = drill.locator("blockquote").inner_text()
    assert " ".join(passage.split()) in " ".join(quote_text.split())
    assert drill.get_by_role("link").first.get_attribute("href").startswith("document?doc=")
    drill.scroll_into_view_if_needed()
    shot(page, "a2_drilldown_after_click")
    shot(page, "a3_drilldown_panel", element=drill)


# ---- (b) a shared link opens the same view in a fresh browser ------------------------------------------

def test_shared_link_opens_the_same_view(server, browser, page, sql):
    indicator = "pm25"
    second = sql("""SELECT region FROM metrics WHERE indicator_id = ? AND region <> '全国' AND year IS NOT NULL
                    AND months = '1-12' AND kind = 'actual' GROUP BY region ORDER BY count(*) DESC, region
                    LIMIT 1""", [indicator])
    if not second:
        pytest.skip("PM2.5 has one region only in this warehouse")
    second = second[0][0]
    first_year, last_year = sql("""SELECT min(year), max(year) FROM metrics WHERE indicator_id = ?
                                   AND months = '1-12' AND year IS NOT NULL""", [indicator])[0]
    name_en, unit = sql("SELECT name_en, unit FROM indicators WHERE indicator_id = ?", [indicator])[0]

    # build the view by hand: English, actual values only, a second region, one year less
    open_app(page, server)
    page.locator(".st-key-app-lang").get_by_role("radio", name="English").click()
    page.wait_for_function("() => location.search.includes('lang=en')")
    settle(page)
    page.locator(".st-key-trends-kind").get_by_role("radio", name="Actual", exact=True).click()
    page.wait_for_function("() => location.search.includes('kind=actual')")
    settle(page)
    page.locator(".st-key-trends-regions input").click()
    second_en = sql("SELECT name_en FROM regions WHERE name = ?", [second])[0][0]
    page.keyboard.type(second_en)                     # the regions are listed in English
    page.get_by_role("option", name=second_en, exact=True).click()
    page.wait_for_function("() => location.search.includes('regions=')")
    page.keyboard.press("Escape")
    settle(page)
    page.locator(".st-key-trends-years input[type=range]").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('years=')")
    settle(page)
    shot(page, "b1_view_built_by_hand")
    shared = page.locator("[data-testid=stSidebar] [data-testid=stCode]").inner_text().strip()
    assert query_of(shared) == {"lang": "en", "kind": "actual", "regions": f"全国~{second}",
                                "years": f"{first_year + 1}..{last_year}"}
    original = view_state(page)
    english = dict(sql("SELECT name, name_en FROM regions"))

    # the link in a browser that has never seen the app
    fresh = browser.new_context(viewport=VIEWPORT)
    try:
        other = fresh.new_page()
        other.set_default_timeout(TIMEOUT_MS)
        open_app(other, shared)
        other.wait_for_selector(".js-plotly-plot .scatterlayer .point")
        settle(other)
        shot(other, "b2_shared_link_in_fresh_browser")
        reopened = view_state(other)
        assert reopened == original
        assert query_of(other.url) == query_of(shared)
        # and it is the view asked for, in English
        assert reopened["header"] == "Trends" and reopened["kind"] == "Actual"
        assert reopened["indicator"].startswith("Air · PM2.5 concentration")
        assert reopened["regions"] == ["China", english[second]]     # region names in English
        assert reopened["years"] == [str(first_year + 1), str(last_year)]
        assert reopened["chart"]["x_title"] == "Year" and reopened["chart"]["y_title"].startswith(name_en)
        traces = {t["name"]: {x: y for x, y in zip(t["x"], t["y"]) if y is not None}
                  for t in reopened["chart"]["traces"] if not t["name"].startswith("⚠")}
        assert set(traces) <= {"China", english[second]} and traces
        chinese = {english[r]: r for r in ("全国", second)}
        for name, points in traces.items():
            assert points == preferred(sql, indicator, chinese[name], "actual", (first_year + 1, last_year))
        assert other.get_by_text("Click a point to see the passage it was read from.").is_visible()
    finally:
        fresh.close()

    # a hand-written link with the page and everything in it, straight into a fresh context
    regions_link = (f"{server}?page=regions&indicator={indicator}&lang=en&tab=table")
    fresh = browser.new_context(viewport=VIEWPORT)
    try:
        other = fresh.new_page()
        other.set_default_timeout(TIMEOUT_MS)
        open_app(other, regions_link)
        other.wait_for_selector("[data-testid=stDataFrame]")
        settle(other)
        assert urlparse(other.url).path.rstrip("/").endswith("regions")
        assert other.locator("h1, h2").first.inner_text() == "Regions"
        assert other.get_by_role("tab", name="Table").get_attribute("aria-selected") == "true"
        shot(other, "b3_regions_link_in_fresh_browser")
    finally:
        fresh.close()


# ---- (c) the CSV of a chart's data ---------------------------------------------------------------------

def test_chart_csv_download_carries_sources_and_matches_the_warehouse(server, page, sql):
    regions = [r[0] for r in sql("""SELECT region FROM metrics WHERE indicator_id = 'pm25' AND year IS NOT NULL
                                    AND months = '1-12' GROUP BY region ORDER BY count(*) DESC, region LIMIT 2""")]
    open_app(page, f"{server}?regions={quote('~'.join(regions))}")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point")
    drawn = chart(page)
    button = page.locator(".st-key-trends-csv").get_by_role("button")
    button.scroll_into_view_if_needed()
    shot(page, "c1_download_buttons")
    target = download_from(page, button)
    assert target.name.startswith("pm25_") and target.suffix == ".csv"
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens the Chinese correctly

    frame = pd.read_csv(target, encoding="utf-8-sig", dtype={"value_text": str})
    assert {"doc_id", "file", "title", "paragraph_id", "passage", "metric_id", "value", "unit",
            "permalink"} <= set(frame.columns)
    # one row per point drawn (the ring marking a disagreement is not a point of its own)
    drawn_ids = {i for t in drawn["traces"] if not t["name"].startswith("⚠") for i in t["ids"] if i}
    assert set(frame["metric_id"]) == drawn_ids and len(frame) == len(drawn_ids)
    for row in frame.itertuples():
        value, paragraph_id, doc_id, file, passage, region, year = sql("""
            SELECT m.value, m.paragraph_id, m.doc_id, d.file,
                   substring(p.text, m.evidence_start + 1, m.evidence_end - m.evidence_start), m.region, m.year
            FROM metrics m JOIN paragraphs p ON p.paragraph_id = m.paragraph_id
            JOIN documents d ON d.doc_id = m.doc_id WHERE m.metric_id = ?""", [row.metric_id])[0]
        assert (row.value, row.paragraph_id, row.doc_id, row.file, row.region, row.year) == \
            (value, paragraph_id, doc_id, file, region, year)
        assert row.passage == passage and str(row.value_text) in passage
        assert row.permalink.startswith(server) and f"doc={doc_id}" in row.permalink


# ---- adding a document through the browser ------------------------------------------------------------------

def test_upload_through_the_browser(server, page, sql, corpus):
    raw, warehouse = corpus
    n_before = sql("SELECT count(*) FROM documents")[0][0]
    open_app(page, f"{server}data?tab=upload")
    page.locator("input[type=file]").set_input_files(files=[
        {"name": "拉萨市2024年生态环境状况公报.txt", "mimeType": "text/plain", "buffer": LHASA.encode("utf-8")}])
    page.locator("[data-testid=stFileChip]").wait_for()
    settle(page)
    shot(page, "d1_upload_file_picked")
    page.get_by_role("button", name="读取并预览").click()
    review = page.locator("[class*='st-key-data-upload-review']").first
    review.wait_for(timeout=120_000)
    settle(page)
    assert sql("SELECT count(*) FROM documents")[0][0] == n_before     # nothing added yet
    text = review.inner_text()      # the values read: indicator, region, year, value (a fall signed), sentence
    assert "读取到 4 个数值" in text and "拉萨市" in text and "2024" in text
    assert "9.8" in text and "-5.8" in text and "PM2.5" in text and "同比下降5.8%" in text
    shot(page, "d1b_upload_review")
    page.get_by_role("button", name="添加到数据仓库").click()
    page.locator("[data-testid=stAlertContentSuccess]").wait_for(timeout=120_000)
    settle(page)
    shot(page, "d2_upload_added")
    assert "uploads/拉萨市2024年生态环境状况公报.txt" in page.locator("[data-testid=stAlertContentSuccess]").inner_text()
    assert (raw / "uploads" / "拉萨市2024年生态环境状况公报.txt").read_text(encoding="utf-8") == LHASA
    assert sql("SELECT count(*) FROM documents")[0][0] == n_before + 1
    assert page.get_by_text(f"{n_before + 1} 份文档").is_visible()  # the counts above, refreshed

    # its values on the Trends page, same server, no restart
    open_app(page, f"{server}?regions={quote('拉萨市')}")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point")
    traces = {t["name"]: {x: y for x, y in zip(t["x"], t["y"]) if y is not None} for t in chart(page)["traces"]}
    assert traces["拉萨市"] == {2024: 9.8}
    shot(page, "d3_uploaded_values_on_trends")

    # a file the ETL cannot read: the reason, and nothing changed
    before = warehouse.read_bytes()
    open_app(page, f"{server}data?tab=upload")
    page.locator("input[type=file]").set_input_files(files=[
        {"name": "noise.txt", "mimeType": "text/plain", "buffer": bytes(range(256)) * 40}])
    page.locator("[data-testid=stFileChip]").wait_for()
    settle(page)
    page.get_by_role("button", name="读取并预览").click()
    error = page.locator("[data-testid=stAlertContentError]")
    error.wait_for(timeout=120_000)
    settle(page)
    shot(page, "d4_upload_rejected")
    assert "control characters" in error.inner_text()
    assert warehouse.read_bytes() == before
    assert sorted(p.name for p in (raw / "uploads").iterdir()) == ["拉萨市2024年生态环境状况公报.txt"]
    page.get_by_role("button", name="取消").click()
    settle(page)

    # the remove action takes it out again
    page.locator("[class*='st-key-data-upload-remove']").get_by_role("button").first.click()
    page.locator("[data-testid=stAlertContentSuccess]").wait_for(timeout=120_000)
    settle(page)
    shot(page, "d5_upload_removed")
    assert "已移除" in page.locator("[data-testid=stAlertContentSuccess]").inner_text()
    assert sql("SELECT count(*) FROM documents")[0][0] == n_before
    assert list((raw / "uploads").iterdir()) == []


# ---- (e) a fall is negative; the drill-down comes into view and reopens with one click ---------------------

def _click_point(page, trace_index: int, point_index: int) -> None:
    point = page.locator(".js-plotly-plot .scatterlayer .trace").nth(trace_index).locator(".point").nth(point_index)
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_a_fall_is_negative_and_the_drilldown_reopens_in_view(server, page, sql):
    open_app(page, f"{server}?kind=change")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point")
    drawn = chart(page)
    # the change line of 全国 (first trace): a fall (同比下降) drawn below zero
    falls = [(t, k) for t, trace in enumerate(drawn["traces"]) if not trace["name"].startswith("⚠")
             for k, (y, i) in enumerate((y, i) for y, i in zip(trace["y"], trace["ids"]) if y is not None) if y < 0]
    assert falls, "a fall of PM2.5 (同比下降) is drawn negative"
    t, k = falls[0]
    metric_id = [i for y, i in zip(drawn["traces"][t]["y"], drawn["traces"][t]["ids"]) if y is not None][k]
    verb_before = sql("""SELECT substring(p.text, m.evidence_start + 1, m.para_start - m.evidence_start), m.value
                         FROM metrics m JOIN paragraphs p USING (paragraph_id) WHERE m.metric_id = ?""", [metric_id])[0]
    assert "下降" in verb_before[0] or verb_before[1] < 0
    shot(page, "e1_fall_negative_on_chart")
    page.evaluate("() => window.scrollTo(0, 0)")
    _click_point(page, t, k)
    page.wait_for_function("() => location.search.includes('metric=')")
    drill = page.locator(".st-key-drilldown")
    drill.locator("mark").wait_for()
    settle(page)
    page.wait_for_timeout(500)
    box = drill.bounding_box()
    assert 0 <= box["y"] and box["y"] + min(box["height"], 250) <= VIEWPORT["height"]   # in view, not below the fold
    assert "-" + f"{abs(verb_before[1]):g}" in drill.inner_text() and "(下降)" in drill.inner_text()
    shot(page, "e2_drilldown_in_view")
    # closed, then one click on the same point opens it again
    drill.get_by_role("button", name="关闭").click()
    page.wait_for_function("() => !location.search.includes('metric=')")
    settle(page)
    assert page.locator(".st-key-drilldown").count() == 0
    page.evaluate("() => window.scrollTo(0, 0)")
    _click_point(page, t, k)
    page.wait_for_function("() => location.search.includes('metric=')")
    page.locator(".st-key-drilldown mark").wait_for()
    assert query_of(page.url)["metric"] == metric_id


# ---- (f) an exported image carries title, regions and period, sources and date ------------------------------

def test_exported_svg_has_title_subtitle_source_and_date(server, page, sql):
    open_app(page, f"{server}?lang=en")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point")
    page.locator(".st-key-trends-imgfmt").get_by_role("radio", name="SVG").click()
    settle(page)
    page.locator(".js-plotly-plot").first.hover()
    button = page.locator(".js-plotly-plot .modebar-btn[data-title^='Download plot']").first
    target = download_from(page, button)
    assert target.suffix == ".svg"
    svg = target.read_text(encoding="utf-8")
    name_en = sql("SELECT name_en FROM indicators WHERE indicator_id = 'pm25'")[0][0]
    built = sql("SELECT value FROM build_info WHERE key = 'built_at'")[0][0][:10]
    assert name_en in svg                                   # title
    assert "China" in svg and "Full year" in svg            # subtitle: regions, period
    assert "Sources: " in svg                               # the documents drawn from
    assert f"data built {built}" in svg and "exported " in svg   # and the date
    shot(page, "f1_chart_with_title_source_date", element=page.locator(".js-plotly-plot").first)


# ---- (g) the map: no-data legend, colour scale honesty, 南海诸岛 inset, English on a switch --------------------

def test_map_legend_inset_and_english_labels(server, page, sql):
    open_app(page, f"{server}?page=regions&tab=map")
    page.wait_for_selector(".js-plotly-plot .legendtext")
    svg = page.locator(".js-plotly-plot").first
    legend = [e.text_content() for e in svg.locator(".legendtext").all()]
    assert "无数据" in legend
    annotations = [e.text_content() for e in svg.locator(".annotation-text").all()]
    assert "南海诸岛" in annotations
    n = sql("""SELECT count(DISTINCT m.region) FROM metrics m JOIN regions r ON r.code = m.region_code
               WHERE m.indicator_id = 'pm25' AND r.level = 'province' AND m.kind = 'actual' AND m.months = '1-12'
                 AND m.scope = '' AND m.year = (SELECT max(year) FROM metrics WHERE indicator_id = 'pm25'
                                              AND kind = 'actual' AND months = '1-12')""")[0][0]
    if n < 3:   # a one- or two-province map says it compares nothing, and has no colour bar
        assert any("少于 3 个" in a for a in annotations) and svg.locator(".colorbar").count() == 0
    else:
        assert svg.locator(".colorbar").count() == 1
    shot(page, "g1_map_no_data_inset", element=svg)
    page.locator(".st-key-app-lang").get_by_role("radio", name="English").click()
    page.wait_for_function("() => location.search.includes('lang=en')")
    settle(page)
    svg = page.locator(".js-plotly-plot").first
    assert "no data" in [e.text_content() for e in svg.locator(".legendtext").all()]
    assert "South China Sea Islands" in [e.text_content() for e in svg.locator(".annotation-text").all()]
    shot(page, "g2_map_english", element=svg)


# ---- a hostile upload does not slow the other sessions ------------------------------------------------

def test_trends_renders_in_another_session_while_a_hostile_upload_is_processed(server, browser, page, sql, corpus):
    """A PDF just under the operator limit keeps pypdf busy for longer than the server's
    EPW_DOC_SECONDS; the upload runs in a child process, so another browser session's Trends page
    renders in under 3 s meanwhile, and the upload ends with the limit it hit."""
    from tests.hostile_corpus import pdf_cpu_bomb
    raw, warehouse = corpus
    before = warehouse.read_bytes()
    other = browser.new_context(viewport=VIEWPORT)
    other.set_default_timeout(TIMEOUT_MS)
    reader = other.new_page()

    def render() -> float:
        started = time.perf_counter()
        open_app(reader, server)
        reader.wait_for_selector(".js-plotly-plot .scatterlayer .point")
        return time.perf_counter() - started

    try:
        idle = [render() for _ in range(3)]     # the same renders with no upload running
        open_app(page, f"{server}data?tab=upload")
        page.locator("input[type=file]").set_input_files(files=[
            # 24 pages: about 100 s of pypdf on an idle machine, well past the server's limit on a
            # fast one too (8 pages took 32 s here, under the 40 s limit, and no limit was hit)
            {"name": "operators.pdf", "mimeType": "application/pdf",
             "buffer": pdf_cpu_bomb(pages=24, operators=290_000)}])
        page.locator("[data-testid=stFileChip]").wait_for()
        settle(page)
        page.get_by_role("button", name="读取并预览").click()   # the review reads it in a child process
        page.locator("[data-testid=stSpinner]").wait_for()
        page.wait_for_timeout(5000)     # the child process is reading the PDF now
        during = []
        for _ in range(3):
            seconds = render()
            if not page.locator("[data-testid=stAlertContainer]").count():   # the upload still runs
                during.append(seconds)
        shot(reader, "h1_trends_during_hostile_upload")
    finally:
        other.close()
    load = os.getloadavg()[0]
    print(f"\nTrends page in another session: {', '.join(f'{t:.2f}' for t in idle)} s idle; during a hostile "
          f"upload {', '.join(f'{t:.2f}' for t in during)} s (load average {load:.1f} on {os.cpu_count()} cores)")
    assert during, "the upload was being processed while the page rendered"
    # the target is 3 s; on a machine that other jobs keep overloaded (the idle render already slow),
    # the upload may not make it slower than half as much again
    assert max(during) < max(3.0, 1.5 * max(idle)), (idle, during)
    error = page.locator("[data-testid=stAlertContentError]")
    error.wait_for(timeout=(3 * HOSTILE_UPLOAD_SECONDS + 180) * 1000)   # generous on a loaded machine
    shot(page, "h2_hostile_upload_refused")
    assert "EPW_DOC_SECONDS" in error.inner_text() or "EPW_DOC_CPU_SECONDS" in error.inner_text(), error.inner_text()
    assert warehouse.read_bytes() == before
    uploads = raw / "uploads"   # the review read it in a scratch folder: nothing was stored
    assert not uploads.exists() or "operators.pdf" not in {p.name for p in uploads.iterdir()}
