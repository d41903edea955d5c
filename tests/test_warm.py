"""The dashboard's warm-up (etl/warehouse/warm.py): bounded, in the right order, on real blocks,
and started once per opened warehouse (dashboard/db.py)."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

import etl.warehouse as wh
from etl.warehouse import warm
from etl.warehouse.search import tantivy_search, terms
from tests.dashboard_fixture import build_fixture_warehouse


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_fixture_warehouse(tmp_path_factory.mktemp("warm") / "warehouse.duckdb")


def cursor(path: Path):
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(path)])
    cur = con.cursor()
    cur.execute("USE warehouse")
    return cur


def test_ranges_are_the_tables_blocks_in_the_pages_order(warehouse):
    cur = cursor(warehouse)
    parts = warm.ranges(cur, warehouse)
    names = [p for p, *_ in parts]
    order = [p for p in warm.PRIORITY if p in names]
    assert names == sorted(names, key=order.index)           # in PRIORITY's order, each part once
    assert names[0] == "build_info" and "points" in names and "document_metrics" in names
    assert any(n.startswith("index:") for n in names)       # the search index beside the file
    size = warehouse.stat().st_size
    spans = sorted((off, off + n) for _, f, off, n in parts if f == warehouse)
    assert all(warm.HEADER_BYTES <= a < b <= size for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))   # no block twice
    block = cur.execute("SELECT block_size FROM pragma_database_size() WHERE database_name = 'warehouse'").fetchone()[0]
    blocks = cur.execute("SELECT count(DISTINCT block_id) FROM pragma_storage_info('points') WHERE block_id >= 0").fetchone()[0]
    assert sum(n for p, f, _, n in parts if p == "points") == blocks * block
    total = cur.execute("SELECT total_blocks FROM pragma_database_size() WHERE database_name = 'warehouse'").fetchone()[0]
    others = [t for (t,) in cur.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'warehouse'")
              .fetchall() if t not in warm.PRIORITY]            # document_text, the search tables: left alone
    left = set()
    for t in others:
        left.update(b for (b,) in cur.execute(
            "SELECT DISTINCT block_id FROM pragma_storage_info(?) WHERE block_id >= 0", [t]).fetchall())
    assert sum(n for _, f, _, n in parts if f == warehouse) == (total - len(left)) * block   # every other block, once
    assert names[-1] == "keys"                                                  # the key indexes last


def test_warm_up_stays_within_its_budget_and_readies_the_search(warehouse):
    terms._ready = False
    tantivy_search._searchers.clear()
    done = wh.warm_up(cursor(warehouse), warehouse, budget_mb=1, background=False)
    assert done.error is None and done.advised_bytes == 1 << 20    # the fixture's tables hold more than 1 MB
    assert done.parts[0] == "build_info" and done.parts[-2:] == ["searcher", "queries"]
    assert terms._ready and tantivy_search._searchers                # jieba loaded, the searcher open
    everything = wh.warm_up(cursor(warehouse), warehouse, budget_mb=4096, background=False)
    assert everything.advised_bytes == sum(n for *_, n in warm.ranges(cursor(warehouse), warehouse)) < 4096 << 20


def test_no_warm_up_at_zero_and_a_bad_setting_is_named(warehouse, monkeypatch):
    monkeypatch.setenv("EPW_WARM_MB", "0")
    off = wh.warm_up(cursor(warehouse), warehouse)
    assert off.thread is None and off.advised_bytes == 0 and off.parts == []
    monkeypatch.setenv("EPW_WARM_MB", "lots")
    with pytest.raises(ValueError, match="EPW_WARM_MB"):
        wh.warm_up(cursor(warehouse), warehouse)


def test_a_warm_up_failure_is_recorded_not_raised(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    done = wh.warm_up(cursor(empty), empty, budget_mb=8, background=False)
    assert done.advised_bytes == 0 and "points" in done.error    # a file with no tables: nothing to read ahead


def test_the_dashboard_warms_each_opened_warehouse_once(warehouse, monkeypatch):
    from dashboard import db
    monkeypatch.setenv("EPW_DB", str(warehouse))
    db._open.clear()
    db._warm_ups.clear()
    first = db.connect()
    db.connect()
    assert list(db._warm_ups) == [first.key]
    started = db._warm_ups[first.key]
    assert started.thread is not None and started.join(60) and started.error is None
    assert 0 < started.advised_bytes <= warm.budget_bytes()
    stat = warehouse.stat()                     # a new version of the file: warmed again
    os.utime(warehouse, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = db.connect()
    assert list(db._warm_ups) == [first.key, second.key]
    db._warm_ups[second.key].join(60)


def test_a_small_host_reads_ahead_at_most_half_its_free_memory(warehouse, monkeypatch):
    monkeypatch.setattr(warm, "memory_free", lambda: 3 << 20)
    done = wh.warm_up(cursor(warehouse), warehouse, budget_mb=64, background=False)
    assert done.budget_bytes == done.advised_bytes == (3 << 20) // 2
    free = warm.memory_free()
    assert free is None or free > 0                     # this machine's figure is read


def test_a_process_that_exits_during_its_warm_up_waits_for_it(warehouse, tmp_path):
    # A daemon thread inside DuckDB when the interpreter finalises aborts the process (exit -6, a
    # page rendered once by the benchmark): at exit the warm-up is told to stop and waited for.
    # Its first step is slowed here so that the exit comes while it runs.
    done = tmp_path / "done"
    script = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
import duckdb
from etl.warehouse import warm
from pathlib import Path

slow = warm._read_ahead
def read_ahead_slowly(con, path, report):
    time.sleep(1.0)
    slow(con, path, report)
    Path({str(done)!r}).write_text("read ahead")
warm._read_ahead = read_ahead_slowly
con = duckdb.connect(":memory:")
con.execute("ATTACH ? AS warehouse (READ_ONLY)", [{str(warehouse)!r}])
cur = con.cursor()
cur.execute("USE warehouse")
report = warm.warm_up(cur, {str(warehouse)!r}, budget_mb=64)
assert report.thread is not None and report.thread.is_alive()
"""
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert done.read_text() == "read ahead"     # the step that ran at exit was finished, not cut
