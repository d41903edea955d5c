"""Hostile links: SQL, script and Markdown payloads in every URL parameter of every page,
and in every public function of dashboard/queries.py and etl/warehouse/search/query.py.

The warehouse is built by the real ETL from a copy of data/raw plus one document whose
name and text carry markup, so escaping is tested on what the ETL really stores. For each
link, through AppTest:
- no exception page;
- no changed data: the warehouse file's sha256 and mtime, and every table's row count;
- no injected markup: HTML bodies (st.html) hold only the tags the app writes, none with
  an on…= handler or a javascript: link (the Document page's own scroll script aside);
  Markdown bodies (st.markdown, captions, alerts) keep URL text inside code spans that no
  line break can end, and outside them hold no raw <script, onerror, image or link syntax;
  Plotly figures (hover text, names, titles) hold no such tags either.
The functions are called on a writable connection to a copy, so that an injection that
got through would really change the data.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import shutil
import uuid
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import queries, state, ui
from etl.warehouse.search.index import build_postings
from etl.warehouse.search import query as search
from etl.warehouse.search import snippets

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["trends", "regions", "document", "search", "data"]
ALL_PARAMS = sorted(state.APP_PARAMS | set().union(*state.PAGE_PARAMS.values()))

PAYLOADS = [
    "' OR 1=1 --", "'; DROP TABLE metrics; --", '" OR ""="', "1; DELETE FROM documents",
    "') UNION SELECT doc_id, raw_text FROM documents --", "x' AND (SELECT count(*) FROM metrics) > 0 --",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>",
    "javascript:alert(document.cookie)", "</code><script>alert(1)</script>",
    "x\n\n![t](http://evil.example/t.png)", "`x`\n# heading\n- item", "a`\n\n<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))", "**bold** _i_ :red[x] :material/warning:", "$$\\LaTeX$$",
    "\u202eevil\u200b\ufeff", "\x00\x01\x7f", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👍🏽 ﷽ Z̤͔ͧ̑̓", "全国\u0000北京市",
    "%00%27%3Cscript%3E", "../../etc/passwd", "A" * 5000, "报" * 3000, "2019..2024' --", "1-12'; --",
    "-1", "99999999999999999999", "0", "NaN", "~~~", "全国~<script>alert(1)</script>~北京市",
    "{{7*7}}", "${7*7}", "%s%s%n", "\\", "'", '"', "`", "\r\n", " ",
]
# one of each kind, for the sweep over every parameter of every page (hypothesis draws from all)
SWEEP = ["' OR 1=1 --", "'; DROP TABLE metrics; --", "') UNION SELECT doc_id, raw_text FROM documents --",
         "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(document.cookie)",
         "x\n\n![t](http://evil.example/t.png)", "`x`\n# heading\n- item", "[click](javascript:alert(1))",
         "\u202eevil\u200b\ufeff", "\x00\x01\x7f", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👍🏽 ﷽ Z̤͔ͧ̑̓", "报" * 3000,
         "全国~<script>alert(1)</script>~北京市", "2019..2024' --", "\\"]
assert set(SWEEP) <= set(PAYLOADS)
# a document the ETL reads as text, holding markup in its name, title and a value's sentence
HOSTILE_FILE = "zz_<img src=x onerror=alert(1)>.txt"
HOSTILE_TEXT = ("上海市2024年空气质量<script>alert('title')</script>\n\n"
                "2024年，上海市PM2.5平均浓度为27微克/立方米。<script>alert(1)</script> & "
                "<img src=x onerror=alert(1)> [x](javascript:alert(1))\n")

# tags the app itself writes into st.html and Plotly text
APP_TAGS = {"div", "span", "b", "i", "a", "p", "mark", "blockquote", "code", "h3", "details", "summary",
            "table", "tr", "th", "td", "br", "extra"}
TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w:-]*)([^>]*)>")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
SCROLL_SCRIPT = re.compile(r"<script>\s*\(function \(\) \{\s*let tries = 0;\s*const go = \(\) => \{\s*"
                           r"const el = document\.getElementById\(\"p-\d+\"\);.*?\}\)\(\);\s*</script>", re.S)
MD_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()<>#+\-.!|~]")
MD_DANGER = ("<script", "onerror", "onload", "<img", "<svg", "<iframe", "![", "](", "javascript:")


# ---- the warehouse --------------------------------------------------------------------------

def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def row_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    from etl.warehouse import build_warehouse as build
    tmp = tmp_path_factory.mktemp("hostile")
    raw = tmp / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    (raw / HOSTILE_FILE).write_text(HOSTILE_TEXT, encoding="utf-8")
    path = tmp / "warehouse.duckdb"
    summary = build(raw, path, workers=1, log=lambda line: None)
    assert not summary.errors
    old = os.environ.get("EPW_DB")
    os.environ["EPW_DB"] = str(path)
    yield path
    if old is None:
        os.environ.pop("EPW_DB", None)
    else:
        os.environ["EPW_DB"] = old


@pytest.fixture(scope="module")
def valid(warehouse) -> dict[str, list[str]]:
    """Real values for each parameter, to combine with payloads and reach deeper code."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        col = lambda sql, params=None: [str(r[0]) for r in con.execute(sql, params or []).fetchall()]  # noqa: E731
        hostile_doc = col("SELECT doc_id FROM documents WHERE file = ?", [HOSTILE_FILE])
        assert hostile_doc, "the hostile document was not loaded"
        return {
            "indicator": col("SELECT DISTINCT indicator_id FROM metrics WHERE indicator_id IS NOT NULL LIMIT 5"),
            "regions": col("SELECT DISTINCT region FROM metrics LIMIT 5") + ["全国~上海市"],
            "metric": col("SELECT metric_id FROM metrics ORDER BY metric_id LIMIT 3")
                      + col("SELECT metric_id FROM metrics WHERE doc_id = ?", hostile_doc),
            "doc": col("SELECT doc_id FROM documents LIMIT 2") + hostile_doc,
            "para": ["0", "1", f"{hostile_doc[0]}-1"],
            "years": ["2019..2024", "2024", "2013..2030"], "year": ["2024", "2023"],
            "months": ["1-12", "1-9"], "kind": ["actual", "target", "change", "all"],
            "tab": ["chart", "table", "map", "errors", "downloads", "upload"],
            "q": ["PM2.5", "上海市", "script", "onerror"], "p": ["1", "2"], "lang": ["en", "zh"], "page": PAGES,
        }


# ---- what a rendered page may hold ------------------------------------------------------------

def check_html(body: str, where: str) -> None:
    body = SCROLL_SCRIPT.sub("", body)  # the Document page's own script, with an int in it
    body = body.replace(ui.SCROLL_TO_DRILLDOWN, "")  # the drill-down's, a constant
    for m in TAG.finditer(body):
        tag, attrs = m.group(2).lower(), QUOTED.sub('""', m.group(3))
        assert tag in APP_TAGS, f"{where}: unexpected <{tag}> in {body[:300]!r}"
        assert not re.search(r"\bon\w+\s*=", attrs, re.I), f"{where}: event handler in {m.group(0)!r}"
    for href in re.findall(r"href\s*=\s*[\"']([^\"']*)", body, re.I):
        assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (where, href)


def markdown_parts(body: str) -> list[tuple[str, bool]]:
    """(text, in a code span) runs of a Markdown body, as CommonMark reads them inline: a
    backslash escapes punctuation outside code spans (and is dropped here), not inside."""
    parts, cur, code, i = [], [], False, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and not code and i + 1 < len(body) and MD_ESCAPE.fullmatch(body[i:i + 2]):
            i += 2
            continue
        if ch == "`":
            parts.append(("".join(cur), code))
            cur, code = [], not code
        else:
            cur.append(ch)
        i += 1
    parts.append(("".join(cur), code))
    return parts


def check_markdown(body: str, where: str) -> None:
    parts = markdown_parts(body)
    assert not parts[-1][1], f"{where}: unbalanced code span in {body!r}"
    for text, code in parts:
        if code:    # a line break would let block syntax (a blank line, a heading) end the span early
            assert "\n" not in text and "\r" not in text, f"{where}: line break in a code span: {body!r}"
        else:
            bad = [d for d in MD_DANGER if d in text.lower()]
            assert not bad, f"{where}: {bad} outside code in {body!r}"


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


MARKDOWN_TYPES = {"markdown", "caption", "warning", "info", "error", "success", "header", "subheader", "title"}


def check_page(at: AppTest, label: str) -> None:
    assert not at.exception, f"{label}: {[e.value for e in at.exception]}"

    def walk(node):
        kind = getattr(node, "type", "")
        if kind in MARKDOWN_TYPES:
            check_markdown(str(node.value), f"{label} {kind}")
        elif kind == "html":
            check_html(node.proto.body, f"{label} html")
        elif kind == "plotly_chart":
            for s in _strings(json.loads(node.proto.spec)):
                check_html(s, f"{label} plotly")
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)


def run_link(page: str | None, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if page and page != "trends":
        at.query_params["page"] = page
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return at


class Unchanged:
    """The warehouse as it was: bytes and mtime after every link, and every table's row count
    at the end (a change to the data would stay, so it is found then too)."""

    def __init__(self, path: Path):
        self.path = path
        self.before = self.file()
        self.counts = row_counts(path)

    def file(self):
        return sha256(self.path), self.path.stat().st_mtime_ns

    def check(self, label: str) -> None:
        assert self.file() == self.before, f"{label}: the warehouse file changed"

    def check_counts(self) -> None:
        assert row_counts(self.path) == self.counts, "the tables' row counts changed"


# ---- the checks themselves catch what they should -------------------------------------------------

def test_checks_catch_injected_markup():
    with pytest.raises(AssertionError):
        check_html('<div><img src=x onerror="alert(1)"></div>', "t")
    with pytest.raises(AssertionError):
        check_html("<p><script>alert(1)</script></p>", "t")
    with pytest.raises(AssertionError):
        check_html('<a href="javascript:alert(1)">x</a>', "t")
    check_html('<mark title="a &quot;onerror=x&gt;">&lt;script&gt;</mark>', "t")  # escaped: fine
    with pytest.raises(AssertionError):
        check_markdown("未知地区已忽略：`x\n\n![t](http://evil.example/t.png)`", "t")
    with pytest.raises(AssertionError):
        check_markdown("未知：<img src=x onerror=alert(1)>", "t")
    check_markdown("链接参数 “regions=`<script>alert(1)</script>`” 无效", "t")
    check_markdown("没有数据：\\<script\\>", "t")
    check_markdown("链接参数 “lang=`\\`” 无效 \\` 地区：\\`x\\`", "t")


# ---- every parameter of every page -----------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_every_parameter_of_a_page_with_each_payload(warehouse, page):
    """Each payload in every parameter the page reads at once (and lang), then in `page` itself."""
    unchanged = Unchanged(warehouse)
    names = sorted(state.PAGE_PARAMS[page] | {"lang"})
    for payload in SWEEP:
        label = f"{page} {names}={payload[:40]!r}"
        check_page(run_link(page, {n: payload for n in names}), label)
        unchanged.check(label)
    if page == "trends":
        for payload in SWEEP:
            check_page(run_link(None, {"page": payload}), f"page={payload[:40]!r}")
        unchanged.check("page=…")
    unchanged.check_counts()


def payloads():
    return st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=300),
                     st.text(alphabet=st.characters(codec="utf-8"), min_size=190, max_size=260))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_random_hostile_links(warehouse, valid, data):
    """A few parameters at a time, each a payload, a real value, or a real value with a payload
    glued on (全国~<script>…, 2019..2024' --), so that checks deeper than the first pass too."""
    page = data.draw(st.sampled_from(PAGES), label="page")
    params = data.draw(st.dictionaries(
        st.sampled_from(ALL_PARAMS), st.just(None), min_size=1, max_size=5), label="names")
    for name in params:
        real = st.sampled_from(valid[name])
        params[name] = data.draw(st.one_of(
            payloads(), real,
            st.tuples(real, st.sampled_from(["", "~", "..", "-", " ", "\n\n"]), payloads()).map("".join)),
            label=name)
    label = f"{page} {params!r:.300}"
    check_page(run_link(page, params), label)
    UNCHANGED[warehouse].check(label)


UNCHANGED: dict[Path, Unchanged] = {}


@pytest.fixture(scope="module", autouse=True)
def _warehouse_unchanged_at_the_end(warehouse):
    UNCHANGED[warehouse] = Unchanged(warehouse)
    yield
    UNCHANGED.pop(warehouse).check_counts()


def test_hostile_document_is_escaped_everywhere(warehouse, valid):
    """The markup of the hostile document itself: on the Document page, in the drill-down and
    the chart's hover text, in search results and in the ingest lists."""
    doc = valid["doc"][-1]
    metric = valid["metric"][-1]
    links = [("document", {"doc": doc, "para": "1", "metric": metric}),
             ("trends", {"indicator": "pm25", "regions": "上海市", "metric": metric}),
             ("regions", {"indicator": "pm25", "year": "2024", "metric": metric, "tab": "table"}),
             ("search", {"q": "script alert"}), ("search", {"q": "onerror"}), ("search", {"q": "上海市 PM2.5"}),
             ("data", {"tab": "downloads"}), ("data", {"lang": "en"})]
    for page, params in links:
        at = run_link(page, params)
        check_page(at, f"{page} {params}")
    at = run_link("document", {"doc": doc, "para": "1"})
    body = "".join(h.proto.body for h in at.get("html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body


# ---- every public function of queries.py and search.py ----------------------------------------------

def hostile_text():
    return st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=200))


INT32 = st.integers(min_value=-2**31, max_value=2**31 - 1)
ARGUMENTS = {  # parameter name -> strategy; every parameter of every public function must be here
    "indicator_id": hostile_text(), "months": st.one_of(st.none(), hostile_text()),
    "kind": st.one_of(st.none(), hostile_text()), "metric_id": hostile_text(), "doc_id": hostile_text(),
    "region": hostile_text(), "year": INT32, "year_from": INT32, "year_to": INT32,
    "regions": st.lists(hostile_text(), max_size=4), "kinds": st.lists(hostile_text(), max_size=3),
    "query": st.one_of(st.none(), hostile_text()), "years": st.one_of(st.none(), st.lists(INT32, max_size=3)),
    "doc_ids": st.one_of(st.none(), st.lists(hostile_text(), max_size=3)),
    "limit": st.integers(min_value=-10, max_value=10**6), "offset": st.integers(min_value=-10, max_value=10**6),
    "text": hostile_text(), "terms": st.lists(hostile_text(), max_size=4),
    "width": st.integers(min_value=0, max_value=500), "simplified": st.one_of(st.none(), hostile_text()),
    "ch": st.characters(), "fmt": hostile_text(),
    "scope": hostile_text(), "unit": st.one_of(st.none(), hostile_text()), "catalog_only": st.booleans(),
    "spans": st.lists(st.tuples(st.integers(min_value=-10, max_value=300), st.integers(min_value=-10, max_value=300)),
                      max_size=4),
    "base_url": hostile_text(), "df": st.just(__import__("pandas").DataFrame()), "before": hostile_text(),
    "engine": st.one_of(st.sampled_from([None, "auto", "duckdb"]), hostile_text()),
    "folder": hostile_text(),
}
CONNECTION = {"_con", "con"}


def public_functions():
    out = []
    for label, module in (("queries", queries), ("search", search), ("search", snippets)):
        for name, fn in sorted(vars(module).items()):
            if name.startswith("_") or inspect.isclass(fn) or not callable(fn):
                continue
            if getattr(fn, "__module__", module.__name__) != module.__name__ and type(fn).__name__ != "CachedFunc":
                continue  # imported helpers
            out.append((f"{label}.{name}", fn))
    return out


FUNCTIONS = public_functions()


def test_every_public_function_is_covered():
    names = {n for n, _ in FUNCTIONS}
    assert {"queries.metric", "queries.trend_points", "search.search", "search.snippet_html"} <= names
    for name, fn in FUNCTIONS:
        for p in inspect.signature(fn).parameters:
            assert p in ARGUMENTS or p in CONNECTION or p == "db_key", f"{name}({p}) has no strategy"


@pytest.fixture(scope="module")
def writable(warehouse, tmp_path_factory):
    """A writable connection to a copy: an injection that got through would change it. The copy
    gets the DuckDB bigram tables (builds no longer make them) so engine="duckdb" runs its SQL."""
    path = tmp_path_factory.mktemp("writable") / "copy.duckdb"
    shutil.copy2(warehouse, path)
    con = duckdb.connect(str(path))
    build_postings(con)
    yield con, path
    con.close()


def _counts(con) -> dict:
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_public_functions_take_hostile_arguments(writable, data):
    con, _ = writable
    before = _counts(con)
    name, fn = data.draw(st.sampled_from(FUNCTIONS), label="function")
    kwargs = {}
    for p in inspect.signature(fn).parameters:
        if p in CONNECTION:
            kwargs[p] = con.cursor()
        elif p == "db_key":
            kwargs[p] = uuid.uuid4().hex  # a fresh cache key: the SQL really runs
        else:
            kwargs[p] = data.draw(ARGUMENTS[p], label=p)
    if name.endswith("trend_points"):
        kwargs["regions"], kwargs["kinds"] = tuple(kwargs["regions"]), tuple(kwargs["kinds"])
    if name == "queries.export_metrics_file" and kwargs["fmt"] not in ("csv", "parquet", "xlsx"):
        with pytest.raises(ValueError, match="unsupported download format"):  # never spliced into SQL
            fn(**kwargs)
        return
    if kwargs.get("engine") not in (None, "", "auto", "duckdb", "tantivy"):   # "" is the default
        with pytest.raises(ValueError, match="engine must be one of"):  # a name, never a path or SQL
            fn(**kwargs)
        return
    out = fn(**kwargs)
    assert _counts(con) == before, f"{name}{kwargs!r:.200} changed the data"
    if name == "search.snippet_html":
        check_only_marks(out)
    if name == "search.search" and len(out):
        for snippet in out["snippet_html"]:
            check_only_marks(snippet)


def check_only_marks(fragment: str) -> None:
    tags = {m.group(0) for m in TAG.finditer(fragment)}
    assert tags <= {"<mark>", "</mark>"}, tags


def test_search_with_hostile_queries_finds_the_hostile_text_escaped(writable):
    con, _ = writable
    hits = search.search(con.cursor(), "onerror")
    assert len(hits) >= 1
    for snippet in hits["snippet_html"]:
        check_only_marks(snippet)
    assert any("&lt;img src=x <mark>onerror</mark>=alert(1)&gt;" in s for s in hits["snippet_html"])
