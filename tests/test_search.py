"""Full-text search: etl/warehouse/search/index.py (build) and etl/warehouse/search/query.py (query), on a real
DuckDB warehouse (schema.sql) holding real sentences of data/raw, traditional ones included."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import opencc
import pytest

from etl.warehouse.search import query as S
from etl.warehouse.search.index import DROPPED_SEPARATORS, build_search_index

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
_CC = opencc.OpenCC("t2s")


def t2s(text: str) -> str:
    """Simplified twin, one character for one (as the ETL keeps offsets)."""
    out = []
    for ch in text:
        s = _CC.convert(ch)
        out.append(s if len(s) == 1 else ch)
    return "".join(out)


def sentences(name: str) -> list[str]:
    path = next(RAW.glob(f"{name}_*.txt"))
    text = path.read_text(encoding="utf-8")
    return [s.strip() for s in re.split(r"(?<=[。；！？\n])", text) if 12 <= len(s.strip()) <= 160]


def first_with(sents: list[str], term: str) -> str:
    return next(s for s in sents if term in s)


# ---- the warehouse ----------------------------------------------------------------------

SHORT_TWICE = "加强消耗臭氧层物质管控,臭氧污染协同治理。"
SCRIPT = "<script>alert(1)</script>城市黑臭水体整治 & <b>x</b> \"quoted\""
DECOY_PHRASE = "城市水体治理取得进展,部分河段仍有黑臭现象,需要持续整改。"
DECOY_PM = "PM10浓度为52微克/立方米,同比下降2.5%。"
DECOY_YOULIANG = "全年天数中空气质量优良的比例有所提高,天数统计见附表。"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> dict:
    s000, s001, s002, s003 = (sentences(n) for n in ("000", "001", "002", "003"))
    trad = [first_with(s001, "細顆粒物"), first_with(s001, "黑臭水體"),
            first_with(s001, "PM2.5")] + [s for s in s001[:40] if "水" not in s][:8]
    simp = [s for s in s003 if "黑臭水体" in s][:3] + [first_with(s003, "优良天数比例")] + s003[:8]
    other = [first_with(s000, "优良天数比例")] + s000[:6]
    long_once = first_with(s002, "臭氧") + "".join(s002[:6])
    assert long_once.count("臭氧") == 1
    made = [SHORT_TWICE, long_once, SCRIPT, DECOY_PHRASE, DECOY_PM, DECOY_YOULIANG,
            t2s(first_with(s001, "細顆粒物")),                 # the same sentence, simplified
            "黑臭水体整治与PM2.5治理同步推进。",                 # both terms: AND
            "𠮷野家的水质监测𠀋报告。",                          # beyond the BMP
            "水"]
    docs = {  # doc_id: (file, title, report_year, region, paragraphs)
        "d0000000000000t1": ("001.txt", "美麗中國建設評估", 2023, "全国", trad),
        "d0000000000000s3": ("003.txt", "2025年全国生态环境保护工作会议报告", 2024, "全国", simp),
        "d0000000000000a0": ("000.txt", "2023年生态文明建设工作总结", 2022, "北京市", other),
        "d0000000000000x9": ("made.txt", "构造的段落", 2021, "上海市", made),
    }
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute((ROOT / "etl" / "warehouse" / "schema.sql").read_text(encoding="utf-8"))
    pid_of = {}
    for doc_id, (file, title, year, region, paras) in docs.items():
        con.execute("INSERT INTO documents (doc_id, file, title, report_year, region, sha256) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [doc_id, file, title, year, region, doc_id])
        for seq, text in enumerate(paras):
            pid = f"{doc_id}-{seq}"
            pid_of.setdefault(text, pid)
            con.execute("INSERT INTO paragraphs VALUES (?, ?, ?, NULL, NULL, 0, ?, ?, ?)",
                        [pid, doc_id, seq, len(text), text, t2s(text)])
    # a metric in 河北省 on the first 黑臭水体 paragraph of the simplified report
    hebei_pid = pid_of[simp[0]]
    con.execute("""INSERT INTO metrics VALUES (?, ?, ?, NULL, '黑臭水体', '黑臭水体', '河北省', '130000', 2024,
                   '1-12', 'actual', 1, NULL, '个', '', '', '1', 0, 1, 0, 1, 0, 5, 0.9)""",
                [hebei_pid + "-0", "d0000000000000s3", hebei_pid])
    build_search_index(con)
    build_search_index(con)            # a rebuild replaces the index
    con.close()
    ro = duckdb.connect(str(path), read_only=True)
    yield {"con": ro, "pid": pid_of, "trad": trad, "simp": simp, "long_once": long_once, "hebei_pid": hebei_pid,
           "n": sum(len(d[4]) for d in docs.values())}
    ro.close()


def ids(df) -> list[str]:
    return list(df["paragraph_id"])


def texts(con, df) -> dict[str, tuple[str, str]]:
    rows = con.execute("SELECT paragraph_id, text, text_simplified FROM paragraphs").fetchall()
    by_id = {r[0]: (r[1], r[2]) for r in rows}
    return {p: by_id[p] for p in ids(df)}


def brute_force(con, query: str) -> set[str]:
    """Paragraphs whose simplified text holds every required term (ASCII case folded)."""
    terms = [t.text.lower() for t in S.prepare_query(query).required]
    rows = con.execute("SELECT paragraph_id, text_simplified FROM paragraphs").fetchall()
    return {pid for pid, simp in rows if terms and all(t in simp.lower() for t in terms)}


# ---- index ------------------------------------------------------------------------------

def test_index_tables(warehouse):
    con = warehouse["con"]
    meta = dict(con.execute("SELECT key, value FROM search_meta").fetchall())
    assert int(meta["n_paragraphs"]) == warehouse["n"]
    assert con.execute("SELECT count(*) FROM search_docs").fetchone()[0] == warehouse["n"]
    assert int(meta["n_postings"]) == con.execute("SELECT count(*) FROM search_postings").fetchone()[0] > 0
    # one posting per indexed character: every non-dropped character of text_simplified
    expected = sum(sum(1 for ch in simp if ord(ch) not in DROPPED_SEPARATORS)
                   for (simp,) in con.execute("SELECT text_simplified FROM paragraphs").fetchall())
    assert int(meta["n_postings"]) == expected
    # the regions beside the index are those of each paragraph's metrics
    assert con.execute("SELECT * FROM search_regions").fetchall() == con.execute("""
        SELECT DISTINCT m.region, m.region_code, s.sid FROM metrics m JOIN search_docs s USING (paragraph_id)
        ORDER BY ALL""").fetchall() != []


def test_dropped_separators_are_query_separators():
    # the index may drop a character only if no query term can contain it
    assert all(S.is_separator(chr(c)) for c in DROPPED_SEPARATORS)
    assert not any(S.is_separator(ch) for ch in "PM2.5%-/水々〇")


@pytest.mark.parametrize("query", ["PM2.5", "pm2.5", "优良天数比例", "黑臭水体", "細顆粒物", "细颗粒物", "水", "臭氧",
                                   "黑臭水体 PM2.5", "治理", "野家", "𠮷野家", "空气质量 优良", "2023年"])
def test_hits_equal_brute_force(warehouse, query):
    con = warehouse["con"]
    got = S.search(con, query, limit=1000)
    assert set(ids(got)) == brute_force(con, query)
    assert got.attrs["total"] == len(got) == S.count_hits(con, query)
    if len(got):
        assert (got["total"] == len(got)).all()
        assert list(got["score"]) == sorted(got["score"], reverse=True)


# ---- ranking and phrases --------------------------------------------------------------------

def test_bm25_prefers_two_hits_in_a_short_paragraph(warehouse):
    con, pid = warehouse["con"], warehouse["pid"]
    got = ids(S.search(con, "臭氧"))
    short, long_ = pid[SHORT_TWICE], pid[warehouse["long_once"]]
    assert short in got and long_ in got
    assert got.index(short) < got.index(long_)


def test_bm25_score_value(warehouse):
    """The SQL score equals BM25 computed here by hand (k1=1.2, b=0.75, ln(1+(N-df+.5)/(df+.5)))."""
    import math
    con, pid = warehouse["con"], warehouse["pid"]
    rows = con.execute("SELECT paragraph_id, text_simplified FROM paragraphs").fetchall()
    n = len(rows)
    avg = sum(len(s) for _, s in rows) / n
    df = sum(1 for _, s in rows if "臭氧" in s)
    got = S.search(con, "臭氧")
    row = got[got["paragraph_id"] == pid[SHORT_TWICE]].iloc[0]
    tf, dl = SHORT_TWICE.count("臭氧"), len(SHORT_TWICE)
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    assert row["score"] == pytest.approx(idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avg)))


def test_phrase_pm25(warehouse):
    con, pid = warehouse["con"], warehouse["pid"]
    got = S.search(con, "PM2.5")
    assert len(got) >= 4
    assert pid[DECOY_PM] not in ids(got)             # PM10 … 2.5 is not PM2.5
    for text, simp in texts(con, got).values():
        assert "pm2.5" in simp.lower()
    assert ids(S.search(con, "pm2.5")) == ids(got)   # ASCII case does not matter


def test_phrase_youliang(warehouse):
    con, pid = warehouse["con"], warehouse["pid"]
    got = S.search(con, "优良天数比例")
    exact = [p for p, (_, simp) in texts(con, got).items() if "优良天数比例" in simp]
    assert len(exact) >= 2
    assert set(ids(got)[:len(exact)]) == set(exact)  # the exact phrase outranks scattered words
    if pid[DECOY_YOULIANG] in ids(got):
        assert ids(got).index(pid[DECOY_YOULIANG]) >= len(exact)


def test_phrase_heichou(warehouse):
    con, pid = warehouse["con"], warehouse["pid"]
    got = S.search(con, "黑臭水体")
    tx = texts(con, got)
    exact = [p for p, (_, simp) in tx.items() if "黑臭水体" in simp]
    # traditional documents (黑臭水體) and simplified ones (黑臭水体)
    assert any("黑臭水體" in tx[p][0] for p in exact) and any("黑臭水体" in tx[p][0] for p in exact)
    assert pid[DECOY_PHRASE] in ids(got)            # 黑臭 … 水体, apart: matched, ranked last
    assert ids(got).index(pid[DECOY_PHRASE]) == len(got) - 1
    assert set(ids(got)[:len(exact)]) == set(exact)


def test_quoted_phrase_is_required(warehouse):
    con, pid = warehouse["con"], warehouse["pid"]
    got = ids(S.search(con, '"黑臭水体"'))
    assert pid[DECOY_PHRASE] not in got and len(got) >= 4


# ---- scripts ------------------------------------------------------------------------------

def test_traditional_query_finds_simplified_and_back(warehouse):
    con, pid, trad = warehouse["con"], warehouse["pid"], warehouse["trad"]
    trad_pid, simp_pid = pid[trad[0]], pid[t2s(trad[0])]
    for query in ("細顆粒物", "细颗粒物"):
        got = S.search(con, query)
        assert {trad_pid, simp_pid} <= set(ids(got)), query
        row = got[got["paragraph_id"] == trad_pid].iloc[0]
        assert "<mark>細顆粒物</mark>" in row["snippet_html"]       # shown in its own script
        row = got[got["paragraph_id"] == simp_pid].iloc[0]
        assert "<mark>细颗粒物</mark>" in row["snippet_html"]


def test_traditional_multiword_query(warehouse):
    con = warehouse["con"]
    assert ids(S.search(con, "優良天數比例")) == ids(S.search(con, "优良天数比例"))
    assert ids(S.search(con, "黑臭水體")) == ids(S.search(con, "黑臭水体"))


# ---- AND, filters, pagination ------------------------------------------------------------

def test_terms_are_anded(warehouse):
    con, pid = warehouse["con"], warehouse["pid"]
    both = S.search(con, "黑臭水体 PM2.5")
    assert pid["黑臭水体整治与PM2.5治理同步推进。"] in ids(both)
    for text, simp in texts(con, both).values():
        assert "黑臭水体" in simp and "pm2.5" in simp.lower()
    assert len(both) < min(len(S.search(con, "黑臭水体")), len(S.search(con, "PM2.5")))
    assert S.search(con, "黑臭水体 不存在的词语组合").empty


def test_filters(warehouse):
    con = warehouse["con"]
    all_hits = S.search(con, "黑臭水体")
    by_doc = S.search(con, "黑臭水体", doc_ids=["d0000000000000s3"])
    assert len(by_doc) and set(by_doc["doc_id"]) == {"d0000000000000s3"}
    assert set(ids(by_doc)) == {p for p, d in zip(ids(all_hits), all_hits["doc_id"]) if d == "d0000000000000s3"}
    # years: the document's report_year
    y = S.search(con, "黑臭水体", years=[2023])
    assert set(y["doc_id"]) == {"d0000000000000t1"}
    assert set(S.search(con, "黑臭水体", years=[2021, 2024])["doc_id"]) == {"d0000000000000s3", "d0000000000000x9"}
    assert S.search(con, "黑臭水体", years=[1999]).empty
    # regions: a metric in the region (name or code) ...
    assert ids(S.search(con, "黑臭水体", regions=["河北省"])) == [warehouse["hebei_pid"]]
    assert ids(S.search(con, "黑臭水体", regions=["130000"])) == [warehouse["hebei_pid"]]
    # ... or the document's own region
    assert set(S.search(con, "黑臭水体", regions=["上海市"])["doc_id"]) == {"d0000000000000x9"}
    assert S.search(con, "黑臭水体", regions=["西藏自治区"]).empty
    # combined, and empty lists mean no filter
    assert S.search(con, "黑臭水体", regions=["河北省"], years=[2023]).empty
    assert ids(S.search(con, "黑臭水体", years=[], regions=[], doc_ids=[])) == ids(all_hits)
    assert S.count_hits(con, "黑臭水体", doc_ids=["d0000000000000s3"]) == len(by_doc)


def test_pagination(warehouse):
    con = warehouse["con"]
    full = S.search(con, "水", limit=1000)
    assert len(full) >= 10
    pages = [S.search(con, "水", limit=3, offset=o) for o in range(0, len(full), 3)]
    assert sum((ids(p) for p in pages), []) == ids(full)
    assert all(p.attrs["total"] == len(full) for p in pages)
    beyond = S.search(con, "水", limit=3, offset=len(full) + 5)
    assert beyond.empty and beyond.attrs["total"] == len(full)


# ---- untrusted input ------------------------------------------------------------------------

def test_snippet_is_escaped(warehouse):
    con, pid = warehouse["con"], warehouse["pid"]
    got = S.search(con, "黑臭水体")
    row = got[got["paragraph_id"] == pid[SCRIPT]].iloc[0]
    h = row["snippet_html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in h and "<script" not in h
    assert "&lt;b&gt;x&lt;/b&gt;" in h and "&amp;" in h and "&quot;quoted&quot;" in h
    assert "<mark>黑臭水体</mark>" in h
    assert re.sub(r"</?mark>", "", h).count("<") == 0 and re.sub(r"</?mark>", "", h).count(">") == 0
    a, b = row["spans"][0]
    assert row["text"][a:b] == "黑臭水体"
    # a query that looks like markup is just text: <script> searches for the word script
    for query in ("<script>", "script alert", "</script><script>alert(1)</script>"):
        got = S.search(con, query)
        assert ids(got) == [pid[SCRIPT]], query
        assert "<script" not in got["snippet_html"].iloc[0] and "<mark>script</mark>" in got["snippet_html"].iloc[0]


@pytest.mark.parametrize("query", [
    "'; DROP TABLE paragraphs; --", "水' OR '1'='1", "\"; DELETE FROM search_postings; --", "?", "$1", "%", "_",
    "\\", "黑臭水体'); DROP TABLE search_docs; --", "' UNION SELECT * FROM documents --", "\x00水", "水" * 500,
    "PM2.5 " * 50])
def test_injection_and_odd_queries(warehouse, query):
    con = warehouse["con"]
    before = con.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
    got = S.search(con, query)
    S.count_hits(con, query)
    assert list(got.columns) == S.COLUMNS
    assert con.execute("SELECT count(*) FROM paragraphs").fetchone()[0] == before
    assert con.execute("SELECT count(*) FROM search_docs").fetchone()[0] == before


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "，。！？、；：", "...", "--", "“”《》（）", None, "!!!  ???"])
def test_empty_queries(warehouse, query):
    got = S.search(warehouse["con"], query)
    assert got.empty and list(got.columns) == S.COLUMNS and got.attrs["total"] == 0
    assert S.count_hits(warehouse["con"], query) == 0


def test_single_character(warehouse):
    con, pid = warehouse["con"], warehouse["pid"]
    got = S.search(con, "水", limit=1000)
    assert pid["水"] in ids(got)                       # a one-character paragraph too
    assert all("水" in simp for _, simp in texts(con, got).values())
    assert set(ids(S.search(con, "P", limit=1000))) == brute_force(con, "p")


def test_settings_are_untouched(warehouse):
    con = warehouse["con"].cursor()
    before = con.execute("SELECT current_setting('disabled_optimizers'), current_setting('perfect_ht_threshold')"
                         ).fetchone()
    S.search(con, "黑臭水体")
    after = con.execute("SELECT current_setting('disabled_optimizers'), current_setting('perfect_ht_threshold')"
                        ).fetchone()
    assert before == after


# ---- query parsing and highlighting ----------------------------------------------------------

def test_prepare_query():
    q = S.prepare_query("細顆粒物")
    assert [t.text for t in q.required] == ["细颗粒物"]       # 细|颗粒物 glued back together
    q = S.prepare_query("北京市2023年PM2.5平均浓度")
    assert "2023年" in [t.text for t in q.required] and "pm2.5" in [t.text for t in q.required]
    assert [t.text for t in q.terms if not t.required] == ["北京市2023年pm2.5平均浓度"]
    assert not S.prepare_query("，。 ！")
    assert [t.text for t in S.prepare_query("水").required] == ["水"]


def test_highlight_spans():
    assert S.highlight_spans("PM2.5和pm2.5", ["pm2.5"]) == [(0, 5), (6, 11)]
    assert S.highlight_spans("黑臭水体黑臭", ["黑臭", "黑臭水体"]) == [(0, 6)]     # touching spans merge
    assert S.highlight_spans("黑臭水体和黑臭", ["黑臭", "黑臭水体"]) == [(0, 4), (5, 7)]
    assert S.highlight_spans("abc", []) == []
    html = S.snippet_html("<a>黑臭水體</a>", ["黑臭水体"], simplified=t2s("<a>黑臭水體</a>"))
    assert html == "&lt;a&gt;<mark>黑臭水體</mark>&lt;/a&gt;"
    long = "前" * 300 + "黑臭水体" + "后" * 300
    h = S.snippet_html(long, ["黑臭水体"])
    assert h.startswith("…") and h.endswith("…") and "<mark>黑臭水体</mark>" in h
    assert len(re.sub(r"</?mark>", "", h)) == S.SNIPPET_CHARS + 2


def test_missing_index_is_an_error(tmp_path):
    con = duckdb.connect(str(tmp_path / "bare.duckdb"))
    con.execute((ROOT / "etl" / "warehouse" / "schema.sql").read_text(encoding="utf-8"))
    with pytest.raises(RuntimeError, match="search index"):
        S.search(con, "水")
    assert S.search(con, "  ").empty        # no query, no need for the index


@pytest.mark.parametrize("query", ["北京市2023年PM2.5平均浓度", "优良天数比例", "黑臭水体 PM2.5", "臭氧", "空气质量 优良"])
def test_warm_plan_equals_cold_plan(warehouse, query):
    """The second search of the same words uses the cached document frequencies and looks each
    term up only where the rarer ones are: the same hits, scores and order."""
    con = warehouse["con"]
    S._df_cache.clear()
    S._counts_cache.clear()
    cold = S.search(con, query, limit=1000)
    assert S._df_cache or cold.empty
    warm = S.search(con, query, limit=1000)
    assert ids(warm) == ids(cold)
    assert list(warm["score"]) == pytest.approx(list(cold["score"]))
    assert warm.attrs["total"] == cold.attrs["total"] == S.count_hits(con, query)


def test_many_chunks_same_results(warehouse, tmp_path, monkeypatch):
    """The postings are sorted chunk by chunk (chunk size from memory_limit): with tiny chunks
    the index answers the same."""
    import etl.warehouse.search.index as si
    src = warehouse["con"]
    path = tmp_path / "chunked.duckdb"
    con = duckdb.connect(str(path))
    con.execute((ROOT / "etl" / "warehouse" / "schema.sql").read_text(encoding="utf-8"))
    con.execute(f"ATTACH '{Path(src.execute('SELECT path FROM duckdb_databases() WHERE NOT internal').fetchone()[0])}'"
                " AS src (READ_ONLY)")
    for table in ("documents", "paragraphs", "metrics"):
        con.execute(f"INSERT INTO {table} SELECT * FROM src.{table}")
    con.execute("DETACH src")
    monkeypatch.setattr(si, "CHUNK_POSTINGS", 300)
    build_search_index(con)
    assert int(dict(con.execute("SELECT key, value FROM search_meta").fetchall())["chunks"]) > 5
    for query in ("黑臭水体", "PM2.5", "水", "优良天数比例", "細顆粒物 PM2.5"):
        a, b = S.search(con, query, limit=1000), S.search(src, query, limit=1000)
        assert ids(a) == ids(b) and list(a["score"]) == pytest.approx(list(b["score"])), query
    con.close()


def test_chunk_size_follows_memory_limit():
    import etl.warehouse.search.index as si
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    assert si.chunk_postings(con) == pytest.approx(10**9 / si.BYTES_PER_POSTING, rel=0.1)
    con.execute("SET memory_limit = '10MB'")
    assert si.chunk_postings(con) == si.MIN_CHUNK_POSTINGS


def test_empty_and_odd_paragraphs(tmp_path):
    con = duckdb.connect(str(tmp_path / "odd.duckdb"))
    con.execute((ROOT / "etl" / "warehouse" / "schema.sql").read_text(encoding="utf-8"))
    build_search_index(con)                                  # no paragraphs at all
    assert S.search(con, "水").empty and S.count_hits(con, "水") == 0
    con.execute("INSERT INTO documents (doc_id, file, sha256) VALUES ('d', 'd.txt', 'd')")
    for seq, text in enumerate(["", " ", "水", "A", "。。。", "\x01水\x01", "ＰＭ２.５"]):
        con.execute("INSERT INTO paragraphs VALUES (?, 'd', ?, NULL, NULL, 0, 0, ?, ?)", [f"d-{seq}", seq, text, text])
    build_search_index(con)
    assert set(ids(S.search(con, "水"))) == {"d-2", "d-5"}
    assert ids(S.search(con, "a")) == ["d-3"]


def test_build_inside_a_transaction(tmp_path, monkeypatch):
    """A caller's open transaction: the new tables are invisible to other connections, so the
    chunks are built one at a time on the caller's connection."""
    import etl.warehouse.search.index as si
    monkeypatch.setattr(si, "CHUNK_POSTINGS", 50)
    con = duckdb.connect(str(tmp_path / "tx.duckdb"))
    con.execute((ROOT / "etl" / "warehouse" / "schema.sql").read_text(encoding="utf-8"))
    con.execute("INSERT INTO documents (doc_id, file, sha256) VALUES ('d', 'd.txt', 'd')")
    for seq, text in enumerate(sentences("003")[:40]):
        con.execute("INSERT INTO paragraphs VALUES (?, 'd', ?, NULL, NULL, 0, 0, ?, ?)", [f"d-{seq}", seq, text, text])
    con.execute("BEGIN TRANSACTION")
    build_search_index(con)
    con.execute("COMMIT")
    assert int(dict(con.execute("SELECT key, value FROM search_meta").fetchall())["chunks"]) > 1
    assert set(ids(S.search(con, "生态", limit=1000))) == brute_force(con, "生态")
