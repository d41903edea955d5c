"""Search with and without the stored per-paragraph counts (search_tf, search_chars) on the
real warehouse of the bundled corpus and the dashboard fixtures: the same hits, scores, order
and totals, filters included.

The index stores counts for keys with at least TF_MIN_POSTINGS postings (20,000 by default, so
on this small warehouse: none). Built once with the threshold at 1 (every key and character
counted: every one-part term is read from search_tf / search_chars) and once with it out of
reach (every term grouped from its postings, as before the counts existed).
"""
from __future__ import annotations

import shutil

import duckdb
import pytest

import etl.warehouse.search.index as si
from etl.warehouse.search import query as S
from tests.dashboard_fixture import build_fixture_warehouse

QUERIES = ["PM2.5", "细颗粒物", "優良天數比例", "黑臭水体", "生态环境保护", "空气质量 优良天数",
           "北京市2023年PM2.5平均浓度", "碳排放权交易", "水", "中国 发展", "核设施退役治理", "臭氧", "环境",
           "二氧化硫 氮氧化物", "\"空气质量\"", "地表水 断面", "PM10", "河", "2023年"]


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    base = build_fixture_warehouse(tmp_path_factory.mktemp("counts") / "warehouse.duckdb")
    cons = {}
    for name, threshold in (("counted", 1), ("grouped", 10**12)):
        path = base.with_name(f"{name}.duckdb")
        shutil.copyfile(base, path)
        con = duckdb.connect(str(path))
        old = si.TF_MIN_POSTINGS
        si.TF_MIN_POSTINGS = threshold
        try:
            si.build_search_index(con)
        finally:
            si.TF_MIN_POSTINGS = old
        con.close()
        cons[name] = duckdb.connect(str(path), read_only=True)
    yield cons
    for name in ("counted", "grouped"):
        cons[name].close()


def test_counts_are_stored_only_above_the_threshold(pair):
    counted, grouped = pair["counted"], pair["grouped"]
    assert counted.execute("SELECT count(*) FROM search_tf").fetchone()[0] > 1000
    assert counted.execute("SELECT count(*) FROM search_chars").fetchone()[0] > 1000
    assert grouped.execute("SELECT count(*) FROM search_tf").fetchone()[0] == 0
    # every stored count is the number of postings of that key in that paragraph
    assert counted.execute("""
        SELECT count(*) FROM search_tf t FULL JOIN (SELECT key, sid, count(*) AS n FROM search_postings
                                                    GROUP BY ALL) p USING (key, sid)
        WHERE t.tf IS DISTINCT FROM p.n""").fetchone()[0] == 0
    assert counted.execute("""
        SELECT count(*) FROM search_chars t FULL JOIN (SELECT key >> 16 AS code, sid, count(*) AS n
                                                       FROM search_postings GROUP BY ALL) p USING (code, sid)
        WHERE t.tf IS DISTINCT FROM p.n""").fetchone()[0] == 0
    assert counted.execute("SELECT sum(n_postings) FROM search_keys").fetchone()[0] == \
        counted.execute("SELECT count(*) FROM search_postings").fetchone()[0]


def filters(con) -> list[dict]:
    year = con.execute("SELECT max(report_year) FROM documents").fetchone()[0]
    doc = con.execute("SELECT doc_id FROM documents ORDER BY n_paragraphs DESC, doc_id LIMIT 1").fetchone()[0]
    return [{}, {"years": [year, year - 1]}, {"regions": ["北京市", "全国"]}, {"doc_ids": [doc]}]


@pytest.mark.parametrize("query", QUERIES)
def test_same_results_with_and_without_counts(pair, query):
    counted, grouped = pair["counted"], pair["grouped"]
    seen = 0
    for kw in filters(grouped):
        for run in ("cold", "warm"):   # warm: document frequencies cached, the chained plan
            if run == "cold":
                S._df_cache.clear()
                S._counts_cache.clear()
            a = S.search(counted, query, limit=1000, **kw)
            b = S.search(grouped, query, limit=1000, **kw)
            assert list(a["paragraph_id"]) == list(b["paragraph_id"]), (query, kw, run)
            assert list(a["score"]) == pytest.approx(list(b["score"]), rel=1e-12), (query, kw, run)
            assert a.attrs["total"] == b.attrs["total"] == S.count_hits(counted, query, **kw) \
                == S.count_hits(grouped, query, **kw)
            seen += len(a)
    pair.setdefault("hits", {})[query] = seen


def test_the_comparison_saw_hits(pair):
    """Most of the queries above find something on this warehouse (else they compared nothing)."""
    hits = pair.get("hits", {})
    assert len(hits) == len(QUERIES) and sum(1 for n in hits.values() if n) >= len(QUERIES) - 4, hits
