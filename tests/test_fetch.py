"""`python -m etl fetch` against a local HTTP server started here (never the network): pages in
GB18030 and UTF-8, a redirect, a 404, a slow answer, oversized bodies, a PDF, an image, the same
bytes under two links; then the build, the origins in the warehouse and in sources.csv."""
from __future__ import annotations

import csv
import threading
import time

import duckdb
import pytest

from etl import cli
from etl.warehouse import sources
from etl.warehouse.fetch import USER_AGENT, Policy, fetch_urls
from tests.loopback import serve
from tests.test_ingest import make_pdf

UTF8_PAGE = ("<html><head><meta charset='utf-8'><title>宜昌市2023年环境质量公报</title></head><body>"
             "<h1>宜昌市2023年环境质量公报</h1><p>发布时间：2024-03-05</p>"
             "<p>2023年，宜昌市细颗粒物（PM2.5）年均浓度为28微克/立方米，同比下降3.4%。"
             "全市空气质量优良天数比例为88.2%。</p></body></html>").encode("utf-8")
GB_TEXT = ("湖北省2023年生态环境状况公报（摘要）\n\n"
           "2023年，全省地级及以上城市细颗粒物平均浓度为36微克/立方米，"
           "空气质量优良天数比例为83.1%。\n").encode("gb18030")
PDF_LINES = ["四川省2023年环境状况", "2023年，全省细颗粒物平均浓度为31微克/立方米，优良天数比例为89.4%。"]


class Site:
    """What the server answers: path -> (status, headers, body); `/slow` sleeps first."""

    def __init__(self):
        self.pages: dict[str, tuple[int, dict, bytes]] = {}
        self.requests: list[tuple[str, str, float]] = []   # (path, user agent, time)
        self.lock = threading.Lock()

    def respond(self, path: str, request_headers) -> tuple[int, dict, bytes]:
        with self.lock:
            self.requests.append((path, request_headers.get("User-Agent", ""), time.monotonic()))
        path = path.split("?")[0]
        if path == "/slow":
            time.sleep(2.5)
        return self.pages.get(path, (404, {"Content-Type": "text/html"}, b"not found"))


@pytest.fixture()
def site():
    s = Site()
    html = {"Content-Type": "text/html; charset=utf-8"}
    s.pages.update({
        "/news/utf8.html": (200, html, UTF8_PAGE),
        "/mirror/copy.html": (200, html, UTF8_PAGE),                        # same bytes, another link
        "/gb/report.txt": (200, {"Content-Type": "text/plain"}, GB_TEXT),  # no charset: ingest detects it
        "/old": (301, {"Location": "/news/utf8.html"}, b""),
        "/moved": (302, {"Location": "/gb/report.txt"}, b""),
        "/files/sc.pdf": (200, {"Content-Type": "application/pdf"}, make_pdf([PDF_LINES])),
        "/big": (200, html, b"<p>" + "很长".encode() * 40_000 + b"</p>"),
        "/big-stream": (200, {**html, "X-No-Length": "1"}, b"<p>" + "很长".encode() * 40_000 + b"</p>"),
        "/logo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
        "/fake.pdf": (200, {"Content-Type": "application/pdf"}, b"<html>login first</html>"),
        "/slow": (200, html, UTF8_PAGE),
    })
    with serve(s.respond) as s.base:
        yield s


FAST = Policy(timeout=1.0, max_bytes=100_000, retries=0, backoff=0.05, delay=0.0)


def test_fetch_names_each_failure_and_keeps_the_rest(site, tmp_path):
    raw = tmp_path / "raw"
    urls = [site.base + p for p in ("/news/utf8.html", "/gb/report.txt", "/files/sc.pdf", "/missing", "/slow",
                                    "/big", "/big-stream", "/logo.png", "/fake.pdf")] + ["ftp://example.org/x"]
    results = fetch_urls(urls, raw, FAST)
    outcome = {r.url.removeprefix(site.base): r for r in results}
    assert [outcome[p].ok for p in ("/news/utf8.html", "/gb/report.txt", "/files/sc.pdf")] == [True] * 3
    assert outcome["/missing"].outcome == "HTTP 404 Not Found"
    assert outcome["/slow"].outcome.startswith("time-out")
    assert outcome["/big"].outcome.startswith("too large: 240007 bytes")            # from Content-Length
    assert outcome["/big-stream"].outcome.startswith("too large: more than 100000")  # while reading
    assert outcome["/logo.png"].outcome == "not a report: content type image/png"
    assert outcome["/fake.pdf"].outcome.startswith("not a report")
    assert outcome["ftp://example.org/x"].outcome == "not an http(s) link"
    # stored as received: the GB18030 bytes untouched, under fetched/<host>/
    gb = raw / outcome["/gb/report.txt"].file
    assert gb.read_bytes() == GB_TEXT and gb.parts[-3] == "fetched"
    assert (raw / outcome["/files/sc.pdf"].file).suffix == ".pdf"
    assert {ua for _, ua, _ in site.requests} == {USER_AGENT}
    rows = list(csv.DictReader(open(raw / "sources.csv", encoding="utf-8")))
    assert sorted(r["url"] for r in rows) == sorted(site.base + p for p in
                                                    ("/news/utf8.html", "/gb/report.txt", "/files/sc.pdf"))
    assert all(r["retrieved_at"] for r in rows)


def test_redirects_are_followed_and_recorded(site, tmp_path):
    raw = tmp_path / "raw"
    (r,) = fetch_urls([site.base + "/old"], raw, FAST)
    assert r.ok and r.final_url == site.base + "/news/utf8.html"
    assert r.redirects == [site.base + "/old", site.base + "/news/utf8.html"]
    (row,) = csv.DictReader(open(raw / "sources.csv", encoding="utf-8"))
    assert (row["url"], row["final_url"]) == (site.base + "/old", site.base + "/news/utf8.html")


def test_one_request_at_a_time_with_a_pause_per_host(site, tmp_path):
    polite = Policy(timeout=2.0, max_bytes=100_000, retries=0, delay=0.3)
    fetch_urls([site.base + p for p in ("/news/utf8.html", "/gb/report.txt", "/missing")], tmp_path, polite)
    times = [t for _, _, t in site.requests]
    assert len(times) == 3 and all(b - a >= 0.29 for a, b in zip(times, times[1:]))


def test_a_busy_server_is_retried_with_backoff(site, tmp_path):
    calls = []
    orig = site.pages["/news/utf8.html"]

    class Flaky(dict):
        def get(self, path, default=None):
            if path == "/busy":
                calls.append(path)
                return orig if len(calls) > 2 else (503, {"Content-Type": "text/html"}, b"busy")
            return super().get(path, default)
    site.pages = Flaky(site.pages)
    (r,) = fetch_urls([site.base + "/busy"], tmp_path, Policy(timeout=2.0, retries=2, backoff=0.05, delay=0.0))
    assert r.ok and len(calls) == 3
    calls.clear()
    (r,) = fetch_urls([site.base + "/busy"], tmp_path / "b", Policy(timeout=2.0, retries=1, backoff=0.05, delay=0.0))
    assert not r.ok and r.outcome == "HTTP 503 Service Unavailable" and len(calls) == 2


def _query(db, sql, params=()):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def test_cli_fetch_builds_documents_with_their_origin(site, tmp_path, capsys):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    links = tmp_path / "urls.txt"
    links.write_text("# reports\n" + "\n".join(site.base + p for p in (
        "/news/utf8.html", "/moved", "/files/sc.pdf", "/mirror/copy.html", "/missing")) + "\n", encoding="utf-8")
    argv = ["fetch", "--list", str(links), "--raw", str(raw), "--db", str(db), "--delay", "0", "--timeout", "2",
            "--workers", "1", "--quiet"]
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert f"failed: {site.base}/missing: HTTP 404 Not Found" in err
    docs = _query(db, "SELECT file, format, encoding, source_url, retrieved_at, n_metrics FROM documents ORDER BY file")
    assert len(docs) == 3   # the mirror's bytes are the first page's: one document
    by_url = {d[3]: d for d in docs}
    assert by_url[site.base + "/news/utf8.html"][1:3] == ("html", "utf-8")
    assert by_url[site.base + "/moved"][1:3] == ("txt", "gb18030")
    assert by_url[site.base + "/files/sc.pdf"][1] == "pdf"
    assert all(d[4] is not None and d[5] > 0 for d in docs)
    both = _query(db, """SELECT url FROM document_sources WHERE doc_id =
                         (SELECT doc_id FROM documents WHERE source_url = ?) ORDER BY line""",
                  [site.base + "/news/utf8.html"])
    assert both == [(site.base + "/news/utf8.html",), (site.base + "/mirror/copy.html",)]
    assert _query(db, "SELECT final_url FROM document_sources WHERE url = ?", [site.base + "/moved"]) == \
        [(site.base + "/gb/report.txt",)]

    # the same links again: nothing changed, nothing stored twice, the warehouse left as it was
    assert cli.main(argv) == 0
    assert "warehouse up to date" in capsys.readouterr().out
    # the page changes: its one file is rewritten, still one document for its link
    site.pages["/news/utf8.html"] = (200, {"Content-Type": "text/html"}, UTF8_PAGE.replace(b"28", b"27"))
    assert cli.main(["fetch", site.base + "/news/utf8.html", "--raw", str(raw), "--db", str(db), "--delay", "0",
                     "--workers", "1", "--quiet"]) == 0
    assert "updated: " in capsys.readouterr().err
    rows = _query(db, "SELECT d.file, m.value FROM documents d JOIN metrics m USING (doc_id) "
                      "WHERE d.source_url = ? AND m.indicator_id = 'pm25' AND m.kind = 'actual'", [site.base + "/news/utf8.html"])
    assert {v for _, v in rows} == {27.0}
    # the mirror still serves the old bytes: they stay its document, the changed page gets a file of its own
    assert _query(db, "SELECT url FROM document_sources WHERE doc_id = (SELECT doc_id FROM documents "
                      "WHERE source_url = ?)", [site.base + "/mirror/copy.html"]) == [(site.base + "/mirror/copy.html",)]
    assert len(_query(db, "SELECT * FROM documents")) == 4
    assert len([p for p in (raw / "fetched").rglob("*") if p.is_file()]) == 4


def test_cli_fetch_usage_errors(tmp_path, capsys):
    assert cli.main(["fetch", "--raw", str(tmp_path)]) == cli.EXIT_USAGE
    assert cli.main(["fetch", "--list", str(tmp_path / "none.txt")]) == cli.EXIT_USAGE
    capsys.readouterr()


def test_sources_csv_bad_rows_are_named_and_the_rest_apply(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes(GB_TEXT)
    (raw / "b.html").write_bytes(UTF8_PAGE)
    (raw / "sources.csv").write_text(
        "file,url,publisher,published,notes\n"
        "a.txt,https://example.gov.cn/a.html,某省生态环境厅,2024-06-05,\n"
        "b.html,javascript:alert(1),,,\n"
        "gone.txt,https://example.gov.cn/g.html,,,\n"
        "b.html,,,2024-02-30,\n"
        "b.html,,,,origin unknown\n", encoding="utf-8")
    origins, problems = sources.read_sources(raw, {"a.txt", "b.html"})
    assert [o.line for o in origins] == [2, 6]
    assert problems == ["line 3: url 'javascript:alert(1)' is not an http(s) link; row skipped",
                        "line 4: no document 'gone.txt' in the raw folder; row skipped",
                        "line 5: published '2024-02-30' is not a date (YYYY-MM-DD); row skipped"]
    db = tmp_path / "w.duckdb"
    assert cli.main(["build", "--raw", str(raw), "--db", str(db), "--workers", "1", "--quiet"]) == 0
    assert _query(db, "SELECT file, source_url, source_publisher, CAST(source_published AS VARCHAR) "
                      "FROM documents ORDER BY file") == [
        ("a.txt", "https://example.gov.cn/a.html", "某省生态环境厅", "2024-06-05"), ("b.html", None, None, None)]
    assert len(_query(db, "SELECT * FROM ingest_errors WHERE file = 'sources.csv' AND stage = 'sources'")) == 3
    # a change to sources.csv alone is a new build; a removed row leaves no trace
    (raw / "sources.csv").write_text("file,url\n", encoding="utf-8")
    assert cli.main(["build", "--raw", str(raw), "--db", str(db), "--workers", "1", "--quiet"]) == 0
    assert _query(db, "SELECT count(*) FROM documents WHERE source_url IS NOT NULL OR source_publisher IS NOT NULL"
                  ) == [(0,)]
    assert _query(db, "SELECT count(*) FROM ingest_errors") == [(0,)]


def test_bundled_samples_say_their_origin_is_unknown():
    from etl import config
    origins, problems = sources.read_sources(config.RAW_DIR, None)
    files = {p.name for p in config.RAW_DIR.iterdir() if p.is_file() and p.name != "sources.csv"}
    assert not problems and {o.file for o in origins} == files
    assert all(o.url is None and o.notes for o in origins)


# ---- the origin in the dashboard: a warehouse made by `python -m etl fetch` ----------------------

@pytest.fixture()
def fetched_warehouse(site, tmp_path, monkeypatch):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    hostile = site.base + "/news/utf8.html?a=1&b=<x>"   # escaped wherever it is shown
    assert cli.main(["fetch", hostile, site.base + "/moved", site.base + "/mirror/copy.html", "--raw", str(raw),
                     "--db", str(db), "--delay", "0", "--workers", "1", "--quiet"]) == 0
    monkeypatch.setenv("EPW_DB", str(db))
    monkeypatch.setenv("EPW_RAW", str(raw))
    return db, hostile


def test_drilldown_and_document_page_show_the_origin(site, fetched_warehouse):
    from tests.test_app import html_of, run_app, table_with
    db, hostile = fetched_warehouse
    metric_id, doc_id = _query(db, """SELECT m.metric_id, m.doc_id FROM metrics m JOIN documents d USING (doc_id)
                                      WHERE d.source_url = ? AND m.indicator_id = 'pm25' AND m.kind = 'actual'""",
                               [hostile])[0]
    indicator_params = {"indicator": "pm25", "regions": "全国~宜昌市", "years": "2015..2024"}
    at = run_app({**indicator_params, "metric": metric_id})
    page = html_of(at)
    escaped = hostile.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f'href="{escaped}"' in page and "<x>" not in page
    assert f'href="{site.base}/mirror/copy.html"' in page          # the same bytes' other link
    # the Document page: every origin, the redirect's end too
    at = run_app({"doc": doc_id}, page="document")
    page = html_of(at)
    assert f'href="{escaped}"' in page and f'href="{site.base}/mirror/copy.html"' in page
    gb_doc = _query(db, "SELECT doc_id FROM documents WHERE source_url = ?", [site.base + "/moved"])[0][0]
    page = html_of(run_app({"doc": gb_doc}, page="document"))
    assert f'href="{site.base}/gb/report.txt"' in page                # where the redirect ended
    # the table tab and its CSV carry each value's source URL
    at = run_app({**indicator_params, "tab": "table"})
    table = table_with(at, "passage", "source", "region")
    assert hostile in set(table["source_url"])


def test_origin_links_are_only_http(monkeypatch):
    from dashboard import ui
    assert "href" not in ui.external_link_html("javascript:alert(1)")
    assert ui.external_link_html("javascript:alert(1)") == "javascript:alert(1)"
    assert 'href="https://a.cn/x?a=1&amp;b=%22"' in ui.external_link_html('https://a.cn/x?a=1&b=%22')
    assert "未记录" in ui.origin_html(None) or "not recorded" in ui.origin_html(None)


def test_cli_export_carries_each_values_origin(site, tmp_path):
    """The done-when: links served locally -> fetch -> export CSV with each value's source URL."""
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    urls = [site.base + p for p in ("/news/utf8.html", "/moved", "/files/sc.pdf", "/mirror/copy.html")]
    assert cli.main(["fetch", *urls, "--raw", str(raw), "--db", str(db), "--delay", "0", "--workers", "1",
                     "--quiet"]) == 0
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"m{suffix}"
        assert cli.main(["export", "--db", str(db), "--out", str(out)]) == 0
        if suffix == ".csv":
            rows = list(csv.DictReader(open(out, encoding="utf-8")))
        else:
            import openpyxl
            sheet = list(openpyxl.load_workbook(out, read_only=True).active.values)
            rows = [dict(zip(sheet[0], (("" if v is None else str(v)) for v in r))) for r in sheet[1:]]
        assert rows and all(r["source_url"] for r in rows)
        by_url = {r["source_url"]: r for r in rows}
        assert set(by_url) == set(urls[:3])
        assert by_url[urls[0]]["source_urls"] == f"{urls[0]} {urls[3]}"   # one document, both links
        assert all(r["retrieved_at"] for r in rows)


# ---- the Data page: a link with an upload, and reports by link ------------------------------------

@pytest.fixture()
def served_corpus(tmp_path, monkeypatch):
    from tests.test_build import copy_raw
    from etl.warehouse import build_warehouse
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "db" / "w.duckdb"
    build_warehouse(raw, db, workers=1, log=lambda line: None)
    monkeypatch.setenv("EPW_DB", str(db))
    monkeypatch.setenv("EPW_RAW", str(raw))
    return raw, db


def test_upload_with_a_link_records_its_origin(served_corpus):
    from dashboard import upload
    raw, db = served_corpus
    bad = upload.add_document("a.txt", GB_TEXT, raw, db, source_url="javascript:alert(1)")
    assert not bad.ok and bad.key == "upload_bad_link" and not (raw / "uploads").exists()
    refused = upload.add_document("empty.txt", b"   \n", raw, db, source_url="https://example.gov.cn/e.html")
    assert not refused.ok and not sources.read_sources(raw)[0]       # its row went with it
    ok = upload.add_document("湖北.txt", GB_TEXT, raw, db, source_url="https://example.gov.cn/hb.html")
    assert ok.ok, ok
    assert _query(db, "SELECT file, source_url FROM documents WHERE doc_id = ?", [ok.doc_id]) == [
        ("uploads/湖北.txt", "https://example.gov.cn/hb.html")]


def test_data_page_adds_reports_by_link(site, served_corpus):
    from streamlit.testing.v1 import AppTest
    from tests.test_app import APP
    raw, db = served_corpus
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "data"
    at.query_params["tab"] = "upload"
    at.run()
    assert at.button(key="data.links.go").disabled and at.text_input(key="data.upload.link.0")
    at.text_area(key="data.links.0").set_value(f"{site.base}/news/utf8.html\n{site.base}/missing\n").run()
    at.button(key="data.links.go").click().run()
    assert not at.exception
    # messages are Markdown-escaped ('127\\.0\\.0\\.1')
    assert any("/missing" in e.value and "HTTP 404 Not Found" in e.value for e in at.error)
    assert any("/news/utf8" in s.value and "added" in s.value for s in at.success)
    assert _query(db, "SELECT count(*) FROM documents WHERE source_url = ?", [site.base + "/news/utf8.html"]) == [(1,)]
