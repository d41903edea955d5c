"""Tests of what keeps both cores busy to the end of a build (issue 14): batches that shrink as the
listing runs out, loads made as each last batch comes, the search index's last commit in a thread.

The builds themselves (same warehouse, same index, whatever the batches) are tested in
test_shards.py and test_search_tantivy.py; these test the pieces, with no worker process."""
from __future__ import annotations

import duckdb
import pytest

from etl.warehouse import build as build_mod
from etl.warehouse import shards, worker
from etl.warehouse.search import tantivy_feed
from etl.warehouse.search import tantivy_index as ti


def _files(tmp_path, sizes):
    todo = []
    for i, n in enumerate(sizes):
        p = tmp_path / f"d{i:03d}.txt"
        p.write_bytes(b"x" * n)
        todo.append((str(p), p.name, f"{i:064x}"))
    return todo


def test_batches_shrink_as_the_listing_runs_out(tmp_path):
    """Full batches while much is left, smaller ones at the end (down to a TAPER_MIN-th of the
    cap), every document once and in the listing's order."""
    todo = _files(tmp_path, [10_000] * 200)     # 2 MB of files
    cap = 200_000
    out = worker.batches(todo, 2, cap / worker.MB)
    assert [args for batch in out for args in batch] == todo
    sizes = [10_000 * len(batch) for batch in out]
    assert sizes[0] == cap and max(sizes) <= cap
    assert sizes[-1] < cap / 2, "the last batches are small"
    assert min(sizes) >= cap // worker.TAPER_MIN - 10_000
    assert sizes == sorted(sizes, reverse=True), "they only shrink"


def test_a_document_larger_than_the_cap_is_a_batch_of_its_own(tmp_path):
    todo = _files(tmp_path, [5_000, 900_000, 5_000, 5_000])
    out = worker.batches(todo, 2, 0.1)
    assert [args for batch in out for args in batch] == todo
    assert [todo[1]] in out


class _Runner:
    """What _process reads of a runner: results, and whether the batches are all handed out."""

    def __init__(self, batches, handed_out_after):
        self.batches, self.handed_out_after = batches, handed_out_after
        self.draining = self.last_of_batch = False

    def __iter__(self):
        for i, batch in enumerate(self.batches):
            self.draining = i >= self.handed_out_after
            for j, name in enumerate(batch):
                self.last_of_batch = j == len(batch) - 1
                yield shards.Stored(name, name * 4, stored=True, n_chars=1_000, batch=f"b{i}")


def test_once_every_batch_is_handed_out_each_is_loaded_as_it_comes(monkeypatch):
    """Before: loads of BATCH_CHARS; after the last batch is handed out: one load a batch, so that
    what is left to load when the last worker stops is its own last batch."""
    loads = []
    monkeypatch.setattr(build_mod, "_load", lambda con, target, batch, notes, on_loaded=None:
                        loads.append([r.file for r in batch]) if batch else None)
    monkeypatch.setattr(build_mod, "BATCH_CHARS", 4_000)
    runner = _Runner([["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"], ["i"]], handed_out_after=2)
    summary = build_mod.BuildSummary()
    build_mod._process(None, runner, [None] * 9, None, summary, build_mod._Notes(summary, lambda m: None), False)
    assert summary.processed == 9
    assert loads == [["a", "b", "c", "d"], ["e", "f"], ["g", "h"], ["i"]]


def test_the_last_commit_runs_beside_the_build(tmp_path):
    """commit_beside writes the last segment in a thread; close() waits for it; the index holds
    every row fed."""
    feed = tantivy_feed.Feed(tmp_path / "w.duckdb")
    # (sid, text, doc_id, year, doc_region, names, paragraph_id, seq, heading, text as shown)
    rows = [(i, "空气质量优良天数比例", "d" * 16, 2024, "甲市", None, f"p{i}", i, None, "空气质量优良天数比例")
            for i in range(50)]
    ti.add_rows(feed.writer, rows)
    feed.commit_beside()
    feed.close()
    assert feed.writer is None and feed.committing is None
    import tantivy
    index = tantivy.Index.open(str(feed.path))
    index.reload()
    assert index.searcher().num_docs == 50
    feed.abort()


def test_a_failed_commit_beside_is_raised_by_close(tmp_path):
    feed = tantivy_feed.Feed(tmp_path / "w.duckdb")

    class Broken:
        def commit(self):
            raise OSError(28, "No space left on device")
    feed.writer = Broken()
    feed.commit_beside()
    with pytest.raises(OSError, match="No space"):
        feed.close()
    feed.abort()
    assert not feed.path.exists()


def test_the_load_connection_checkpoints_as_it_goes(tmp_path):
    """The rows loaded reach the file while the workers run (every LOAD_CHECKPOINT of log), not
    all when the load's connection closes."""
    from etl.warehouse import write
    con = write.create(tmp_path / "w.duckdb")
    try:
        assert con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0] != "100.0 GB"
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert limit.endswith(("MB", "MiB"))
    finally:
        con.close()
    duckdb.connect(str(tmp_path / "w.duckdb")).close()


def test_the_workers_exit_before_the_last_batch_is_handed_on(tmp_path, monkeypatch):
    """The last batch's result comes once its worker and the others have exited: the build loads
    and indexes it without them beside it (their memory was the end of the build's peak)."""
    todo = _files(tmp_path, [2_000] * 12)
    monkeypatch.setattr(worker, "_work_batch", _echo_batch)
    runner = worker.Runner(todo, 2, shards=None)
    seen = []
    for result in runner:
        seen.append((result.file, runner.pool is None, _pool_processes(runner)))
    runner.close()
    assert sorted(name for name, _, _ in seen) == [name for _, name, _ in todo]
    assert all(released is False for _, released, _ in seen[:-1])
    assert seen[-1][1] is True, "the pool is shut down (its processes joined) before the last result"
    assert seen[0][2] and not any(p.is_alive() for p in seen[0][2])


def _pool_processes(runner):
    return list((getattr(runner.pool, "_processes", None) or {}).values()) if runner.pool else []


def _echo_batch(batch, target, key):
    return [shards.Stored(name, sha, stored=True, n_chars=1, batch=key) for _, name, sha in batch]
