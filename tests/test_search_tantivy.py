"""The tantivy index beside the warehouse (etl/warehouse/search/tantivy_index.py, tantivy_search.py):
the same hits, scores, order and totals as the DuckDB search, on the real warehouse of the bundled
corpus and the dashboard fixtures, filters included; the pair of file and folder swapped as one
(a killed build leaves the old pair, an open reader keeps its index through a rebuild); a warehouse
without its folder gets it rebuilt on its first search (an older one holding the DuckDB bigram
tables searches them). The DuckDB search is the reference: `etl build` no longer makes its
bigram tables, so the tests add them (index.build_postings, keeping the build_id) to compare."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.warehouse import build_warehouse
from etl.warehouse.search import query as S
from etl.warehouse.search.index import build_postings
from etl.warehouse.search import tantivy_index as ti
from etl.warehouse.search import tantivy_search
from tests.dashboard_fixture import build_fixture_warehouse
from tests.test_build import generate_corpus

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["PM2.5", "pm2.5", "细颗粒物", "優良天數比例", "黑臭水体", "生态环境保护", "空气质量 优良天数",
           "北京市2023年PM2.5平均浓度", "碳排放权交易", "水", "中国 发展", "核设施退役治理", "臭氧", "环境",
           "二氧化硫 氮氧化物", "\"空气质量\"", "地表水 断面", "PM10", "河", "2023年", "生态", "生态环境",
           "空气质量优良天数比例", "哈哈哈"]


def _with_reference(db: Path) -> Path:
    """The DuckDB bigram tables added to a built warehouse (its build_id, so its folder, kept)."""
    with duckdb.connect(str(db)) as con:
        build_postings(con)
    return db


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A warehouse as `etl build` leaves it: the tantivy folder, no DuckDB bigram tables."""
    return build_fixture_warehouse(tmp_path_factory.mktemp("tantivy") / "built.duckdb")


@pytest.fixture(scope="module")
def warehouse(built, tmp_path_factory) -> Path:
    """The same with the DuckDB reference tables, and its folder."""
    db = tmp_path_factory.mktemp("reference") / "warehouse.duckdb"
    shutil.copyfile(built, db)
    shutil.copytree(ti.folder_of(built), ti.folder_of(db))
    return _with_reference(db)


def _bid(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return ti.build_id(con)


def _same(con, query: str, **kw) -> None:
    old = S.search(con, query, engine="duckdb", **kw)
    new = S.search(con, query, engine="tantivy", **kw)
    assert new.attrs["total"] == old.attrs["total"], (query, kw)
    assert list(new.paragraph_id) == list(old.paragraph_id), (query, kw)
    assert list(new.score) == pytest.approx(list(old.score), rel=1e-12, abs=1e-12), (query, kw)
    assert list(new.snippet_html) == list(old.snippet_html)
    filters = {k: v for k, v in kw.items() if k in ("years", "regions", "doc_ids")}
    assert S.count_hits(con, query, engine="tantivy", **filters) == S.count_hits(con, query, engine="duckdb", **filters)


def test_the_build_writes_the_index_beside_the_warehouse(warehouse):
    folder = ti.folder_of(warehouse) / _bid(warehouse)
    info = json.loads((folder / ti.MARKER).read_text())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
        chars = con.execute("SELECT sum(length(text_simplified)) FROM paragraphs").fetchone()[0]
    assert info["paragraphs"] == n and info["chars"] == chars and info["format"] == ti.FORMAT
    assert [p.name for p in ti.folder_of(warehouse).iterdir()] == [folder.name]


def test_same_results_as_the_duckdb_search(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    docs = [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 3").fetchall()]
    region, code = con.execute("""SELECT region, region_code FROM metrics WHERE region_code IS NOT NULL
                                  GROUP BY ALL ORDER BY count(*) DESC LIMIT 1""").fetchone()
    assert ti.index_for(con) is not None
    nonzero = 0
    for q in QUERIES:
        for kw in ({}, {"years": [2023]}, {"years": [2022, 2024]}, {"regions": [region]}, {"regions": [code, "上海市"]},
                   {"doc_ids": docs}, {"years": [2023], "regions": [region]}):
            for page in ({"limit": 10}, {"limit": 10, "offset": 10}, {"limit": 3, "offset": 1}):
                _same(con, q, **kw, **page)
        nonzero += S.count_hits(con, q) > 0
    assert nonzero >= 15          # most queries find something: the comparison compares rankings
    # "auto" (the default) takes the index, and gives the same again
    assert list(S.search(con, "空气质量").paragraph_id) == list(S.search(con, "空气质量", engine="duckdb").paragraph_id)
    con.close()


def test_a_reader_through_attach_finds_the_index(warehouse):
    """The dashboard ATTACHes the file to an in-memory database (dashboard/db.py)."""
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(warehouse)])
    cur = con.cursor()
    cur.execute("USE warehouse")
    assert ti.index_for(cur) is not None
    _same(cur, "环境空气质量", limit=20)
    con.close()


def test_the_build_makes_no_duckdb_bigram_tables(built):
    with duckdb.connect(str(built), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert {"search_docs", "search_regions", "search_meta"} <= tables
        assert not tables & {"search_postings", "search_keys", "search_tf", "search_chars"}
        with pytest.raises(RuntimeError, match="no search index"):
            S.search(con, "空气质量", engine="duckdb")


def test_without_its_folder_a_warehouse_gets_it_rebuilt(built, warehouse, tmp_path):
    copy = tmp_path / "alone.duckdb"          # a file copied or downloaded alone
    shutil.copyfile(built, copy)
    reader = duckdb.connect(":memory:")       # as the dashboard reads it
    reader.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(copy)])
    reader.execute("USE warehouse")
    assert ti.index_for(reader) is None
    assert S.count_hits(reader, "空气质量 优良天数") > 0            # the first search builds the folder
    assert (ti.folder_of(copy) / _bid(copy) / ti.MARKER).exists()
    assert ti.index_for(reader) is not None
    got = S.search(reader, "空气质量 优良天数", limit=20)
    reader.close()
    with duckdb.connect(str(warehouse), read_only=True) as ref:   # the same rows, the reference search
        want = S.search(ref, "空气质量 优良天数", engine="duckdb", limit=20)
    assert list(got.paragraph_id) == list(want.paragraph_id)
    assert list(got.score) == pytest.approx(list(want.score), rel=1e-12, abs=1e-12)
    assert got.attrs["total"] == want.attrs["total"] > 0


def test_an_older_warehouse_without_its_folder_searches_its_duckdb_tables(warehouse, tmp_path):
    copy = tmp_path / "older.duckdb"          # a file of older code, copied alone: the bigram tables
    shutil.copyfile(warehouse, copy)
    con = duckdb.connect(str(copy), read_only=True)
    assert ti.index_for(con) is None
    auto = S.search(con, "空气质量 优良天数")
    assert auto.attrs["total"] > 0
    assert list(auto.paragraph_id) == list(S.search(con, "空气质量 优良天数", engine="duckdb").paragraph_id)
    assert not ti.folder_of(copy).exists()     # its own tables answered: nothing was built
    with pytest.raises(RuntimeError, match="tantivy"):
        S.search(con, "空气质量", engine="tantivy")
    con.close()
    # an incomplete folder (no marker: a copy that stopped half-way) is not used either
    folder = ti.folder_of(copy) / _bid(warehouse)
    shutil.copytree(ti.folder_of(warehouse) / _bid(warehouse), folder)
    (folder / ti.MARKER).unlink()
    with duckdb.connect(str(copy), read_only=True) as con:
        assert ti.index_for(con) is None
    # built beside it (what prebuilt.install and an unchanged build do), it is used
    assert ti.build_beside(copy, copy) == folder
    with duckdb.connect(str(copy), read_only=True) as con:
        assert ti.index_for(con) is not None
        _same(con, "臭氧", limit=5)


def test_an_unchanged_build_restores_a_missing_folder(tmp_path):
    db = build_fixture_warehouse(tmp_path / "w.duckdb")
    raw = db.with_name(db.stem + "-raw")
    shutil.rmtree(ti.folder_of(db))
    summary = build_warehouse(raw, db, workers=1, log=lambda line: None)
    assert summary.unchanged
    assert (ti.folder_of(db) / _bid(db) / ti.MARKER).exists()


def test_an_open_reader_keeps_its_index_through_a_rebuild(tmp_path):
    db = build_fixture_warehouse(tmp_path / "w.duckdb")
    raw = db.with_name(db.stem + "-raw")
    old_bid = _bid(db)
    reader = duckdb.connect(":memory:")
    reader.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(db)])
    reader.execute("USE warehouse")
    before = S.search(reader, "空气质量", engine="tantivy", limit=100)
    (raw / "fixture" / "extra.txt").write_text("2024年全市空气质量优良天数比例为90.1%。\n空气质量持续改善。\n",
                                               encoding="utf-8")
    build_warehouse(raw, db, workers=1, log=lambda line: None)
    new_bid = _bid(db)
    assert new_bid != old_bid
    assert [p.name for p in ti.folder_of(db).iterdir()] == [new_bid]     # the old folder is gone
    again = S.search(reader, "空气质量", engine="tantivy", limit=100)     # the reader's old pair still answers
    assert list(again.paragraph_id) == list(before.paragraph_id)
    assert again.attrs["total"] == before.attrs["total"]
    reader.close()
    with duckdb.connect(str(_with_reference(db)), read_only=True) as con:  # a new reader: the new pair
        after = S.search(con, "空气质量", engine="tantivy", limit=100)
        assert after.attrs["total"] > before.attrs["total"]
        _same(con, "空气质量", limit=100)


def test_a_reused_id_never_hands_an_index_another_warehouse_s_searcher(warehouse, tmp_path, monkeypatch):
    # tantivy_index keeps 9 open indexes, then drops them: Python reuses a dropped index's id, so
    # a searcher cached by id alone answered for another warehouse (seen in CI: its paragraph count
    # differed, and a rebuilt warehouse reported no index)
    raw = generate_corpus(tmp_path / "raw", n_docs=3, sentences_per_doc=20, seed=5)
    small = tmp_path / "small.duckdb"
    build_warehouse(raw, small, workers=1, log=lambda line: None)
    with duckdb.connect(str(small), read_only=True) as con:
        other = ti.index_for(con)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        monkeypatch.setitem(tantivy_search._searchers, id(ti.index_for(con)), (other, other.searcher()))
        _same(con, "空气质量", limit=20)


def test_a_score_above_its_bound_has_every_hit_scored_exactly(built, monkeypatch):
    # builds carry no DuckDB tables to fall back on: if tantivy's score ever stopped bounding the
    # exact one (here: every term counted once more than it occurs), the page is still exact
    with duckdb.connect(str(built), read_only=True) as con:
        honest = S.search(con, "空气质量", engine="tantivy", limit=500)
        counted = tantivy_search._occurrences
        monkeypatch.setattr(tantivy_search, "_occurrences", lambda text, term: counted(text, term) + 1)
        tantivy_search._dfs.clear()
        inflated = S.search(con, "空气质量", engine="tantivy", limit=500)
    assert inflated.attrs["total"] == honest.attrs["total"] > 0
    assert sorted(inflated.paragraph_id) == sorted(honest.paragraph_id)
    assert list(inflated.score) == sorted(inflated.score, reverse=True)
    assert (inflated.score.to_numpy() > 0).all()



@pytest.mark.parametrize("stored", [True, False])
def test_only_the_hits_that_can_reach_the_page_are_read(warehouse, monkeypatch, stored):
    # a paragraph's text read the first time loads its block of the column: text_simplified is read
    # for the k best tantivy scores and the hits whose score reaches the k-th exact one, once each,
    # and the display columns for the page's rows alone; an index that stores the passages (every
    # build's now) is not read from DuckDB at all, an older folder without them is (stored=False)
    con = duckdb.connect(str(warehouse), read_only=True)
    read: list[tuple[str, list]] = []
    from_index: list[int] = []

    class Recording:
        def execute(self, sql, params=None):
            if "FROM paragraphs" in sql and params:
                read.append((sql, list(params[0])))
            return con.execute(sql, params) if params is not None else con.execute(sql)

        def __getattr__(self, name):
            return getattr(con, name)

    held = tantivy_search._Texts.read

    def recorded(self, sids, addresses):
        from_index.extend(sids if self.stored else [])
        return held(self, sids, addresses)

    monkeypatch.setattr(tantivy_search._Texts, "read", recorded)
    if not stored:
        monkeypatch.setattr(tantivy_search.tantivy_index, "stores_passages", lambda index: False)
    fewer = 0
    for q in ("空气质量", "环境", "水", "生态环境保护"):
        for limit, offset in ((5, 0), (4, 3)):
            read.clear()
            from_index.clear()
            got = S.search(Recording(), q, engine="tantivy", limit=limit, offset=offset)
            want = S.search(con, q, engine="duckdb", limit=limit, offset=offset)
            assert got.attrs["total"] == want.attrs["total"] > 0
            for column in ("paragraph_id", "doc_id", "seq", "text", "heading", "snippet_html"):
                assert list(got[column]) == list(want[column]), (q, column)
            assert list(got.score) == pytest.approx(list(want.score), rel=1e-12, abs=1e-12)
            if stored:
                assert not read                                     # no DuckDB column read
                scored = from_index
            else:
                assert not from_index
                scored = [sid for sql, ids in read if "text_simplified" in sql for sid in ids]
                pages = [ids for sql, ids in read if "heading" in sql and "text_simplified" not in sql]
                assert len(pages) == 1 and len(pages[0]) == len(got) and set(pages[0]) <= set(scored)
            assert len(scored) == len(set(scored))                  # none read twice
            fewer += len(scored) < min(2 * (limit + offset) + 20, got.attrs["total"])
    con.close()
    assert fewer            # the 2k + 20 hits tantivy returns were all read before


def test_a_stored_passage_reads_back_as_written():
    for row in (("p1", "d1", 3, None, "細顆粒物", "细颗粒物"), ("p2", "d2", 0, "一、概况", "水质", "水质"),
                ("p3", "d3", 7, "", "", "")):
        assert ti.decode_passage(ti.encode_passage(*row)) == row


def test_a_stored_passage_is_json_dumps_s_bytes():
    import json
    for row in (("p1", "d1", 3, None, "細\"顆\\粒\n物\ud800", "细颗粒物"), ("p2", None, None, "标\t题", "水", "水"),
                ("p3", "d3", 7, "", "", ""), ("p4", "d4", 2.5, True, "a", "b")):
        pid, doc_id, seq, heading, text, simplified = row
        expected = json.dumps([pid, doc_id, seq, heading, None if text == simplified else text, simplified],
                              ensure_ascii=False).encode("utf-8", "surrogatepass")
        assert ti.encode_passage(*row) == expected


KILLED_CHILD = """
import sys
from etl.warehouse.search import tantivy_index
tantivy_index.BATCH_ROWS = 1          # one row at a time: the index build lasts long enough to be killed
from etl.warehouse import build_warehouse
build_warehouse(sys.argv[1], sys.argv[2], workers=1, log=lambda line: None)
"""


def test_a_build_killed_while_indexing_leaves_the_old_pair(tmp_path):
    raw = generate_corpus(tmp_path / "raw", n_docs=60, sentences_per_doc=120, seed=3)
    db = tmp_path / "w.duckdb"
    build_warehouse(raw, db, workers=2, log=lambda line: None)
    old_bid = _bid(db)
    with duckdb.connect(str(db), read_only=True) as con:
        before = S.search(con, "空气质量", engine="tantivy", limit=20)
    (raw / "gen_3_0000.txt").unlink()
    proc = subprocess.Popen([sys.executable, "-c", KILLED_CHILD, str(raw), str(db)], cwd=ROOT)
    deadline = time.monotonic() + 240
    try:
        while not list(ti.folder_of(db).glob("*.tmp-*")):
            assert proc.poll() is None, "the build ended before its index could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert _bid(db) == old_bid                                              # the old file
    with duckdb.connect(str(db), read_only=True) as con:                    # with its folder
        after = S.search(con, "空气质量", engine="tantivy", limit=20)
        assert list(after.paragraph_id) == list(before.paragraph_id)
    assert list(ti.folder_of(db).glob("*.tmp-*"))                           # the dead build's leftover
    build_warehouse(raw, db, workers=2, log=lambda line: None)              # the next build removes it
    assert [p.name for p in ti.folder_of(db).iterdir()] == [_bid(db)]
    with duckdb.connect(str(_with_reference(db)), read_only=True) as con:
        _same(con, "空气质量", limit=20)


def test_the_index_fed_while_loading_is_the_finished_warehouse_s(tmp_path, monkeypatch):
    """The build indexes each batch as it loads (tantivy_feed.py): rows copied from the old
    warehouse, rows loaded from an earlier build's shards and rows read now all get their sid,
    year and regions as the finished warehouse gives them, without indexing the file again."""
    from etl.warehouse import build as build_mod
    raw = generate_corpus(tmp_path / "raw", n_docs=24, sentences_per_doc=40, seed=5)
    shards, db = tmp_path / "shards", tmp_path / "w.duckdb"
    build_mod.build(raw, db, workers=2, log=lambda line: None, shards_dir=shards)
    generate_corpus(raw, n_docs=8, sentences_per_doc=40, seed=6)       # read by a second warehouse's build:
    build_mod.build(raw, tmp_path / "other.duckdb", workers=2, log=lambda line: None, shards_dir=shards)
    generate_corpus(raw, n_docs=6, sentences_per_doc=40, seed=7)       # and these by none yet
    # a load's paragraphs read in ranges (tantivy_feed.RANGE) that do not fall on its documents
    monkeypatch.setattr(build_mod.tantivy_feed, "RANGE", 37)

    def refused(*args, **kwargs):
        raise AssertionError("the finished warehouse was indexed again")
    monkeypatch.setattr(build_mod.tantivy_index, "build_beside", refused)
    summary = build_mod.build(raw, db, workers=2, log=lambda line: None, shards_dir=shards)
    assert summary.reused == 24 + 8 and summary.processed == 6
    assert [p.name for p in ti.folder_of(db).iterdir()] == [_bid(db)]
    with duckdb.connect(str(_with_reference(db)), read_only=True) as con:
        year = con.execute("SELECT report_year FROM documents GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        region, code = con.execute("""SELECT region, region_code FROM metrics WHERE region_code IS NOT NULL
                                      GROUP BY ALL ORDER BY count(*) DESC LIMIT 1""").fetchone()
        for q in ("空气质量", "PM2.5", "水", "生态环境 保护"):
            for kw in ({}, {"years": [year]}, {"regions": [region]}, {"regions": [code]}):
                _same(con, q, limit=30, **kw)


def test_a_load_refused_midway_leaves_the_fed_index_right(tmp_path, monkeypatch):
    """A batch whose paragraphs and metrics went in before the warehouse refused its text is
    rolled back: the index is fed only what committed, and the next loads' paragraphs keep the
    rowids the finished warehouse gives them."""
    from etl.warehouse import build as build_mod
    raw = generate_corpus(tmp_path / "raw", n_docs=30, sentences_per_doc=40, seed=8)
    monkeypatch.setattr(build_mod, "BATCH_CHARS", 30_000)        # many loads
    real_load, loads = build_mod.shards.load, []

    def load(con, target, docs):
        loads.append(len(docs))
        if len(loads) == 2:                                       # the text file of one batch is damaged
            batch = next(iter(docs.values()))[0]
            Path(target.path(batch, "text")).write_bytes(b"no parquet here")
        return real_load(con, target, docs)

    def refused(*args, **kwargs):
        raise AssertionError("the finished warehouse was indexed again")
    monkeypatch.setattr(build_mod.shards, "load", load)
    monkeypatch.setattr(build_mod.tantivy_index, "build_beside", refused)
    db = tmp_path / "w.duckdb"
    summary = build_mod.build(raw, db, workers=2, log=lambda line: None, shards_dir=tmp_path / "shards")
    assert 0 < sum(stage == "load" for _, stage, _ in summary.errors) < 30 and len(loads) > 4
    with duckdb.connect(str(_with_reference(db)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == summary.documents < 30
        for q in ("空气质量", "PM2.5", "水"):
            _same(con, q, limit=30)
