"""Shards and engines: workers write Parquet shards, one set of files per batch of documents, that
DuckDB loads; `--engine dask` maps the
same per-document function over a dask.distributed LocalCluster and builds the same warehouse.

Real builds into real DuckDB files, a real LocalCluster; small corpora (each dask build starts a
cluster of two worker processes, about 5 s)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import tests.hostile_corpus as hc
from benchmarks.corpus import corpus_path, make_corpus
from etl import config
from etl.pipeline import DocumentResult, process_document
from etl.warehouse import build_warehouse as build
from etl.warehouse import shards, text_span
from etl.warehouse.build import sha256_of, shards_root
from tests.test_build import RAW, copy_raw, count

# what two builds must agree on: every table's contents, ordered (ingested_at is the time of reading)
TABLES = {
    "documents": "SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY doc_id",
    "document_text": "SELECT * FROM document_text ORDER BY doc_id, piece",
    "paragraphs": "SELECT * FROM paragraphs ORDER BY paragraph_id",
    "metrics": "SELECT * FROM metrics ORDER BY metric_id",
    "ingest_errors": "SELECT file, sha256, stage, error FROM ingest_errors ORDER BY ALL",
    "document_sources": "SELECT * FROM document_sources ORDER BY ALL",
    "conflicts": "SELECT * FROM conflicts ORDER BY ALL",
}


def contents(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}


def assert_same_warehouse(a: Path, b: Path) -> None:
    ca, cb = contents(a), contents(b)
    for name in TABLES:
        assert ca[name] == cb[name], f"{name} differs"
    assert ca["documents"] and ca["paragraphs"] and ca["metrics"]


def shard_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def held(root: Path) -> dict[str, str]:
    """{sha256: batch} of every document a committed batch (its manifest) holds."""
    return {d["sha256"]: m.stem for m in root.rglob("*.json") for d in json.loads(m.read_text())["documents"]}


def batch_files(root: Path, batch: str) -> list[Path]:
    return sorted(root.rglob(f"{batch}.*"))


def assert_whole_batches(root: Path) -> None:
    """Every file belongs to a committed batch, and every batch has its five files."""
    batches = {m.stem for m in root.rglob("*.json")}
    assert {p.name.split(".")[0] for p in shard_files(root)} == batches
    assert len(shard_files(root)) == 5 * len(batches)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated corpus (benchmarks/corpus.py, 0.3 MB), with a PDF that runs over the CPU limit
    and an empty file: errors must come out the same from both engines."""
    base = tmp_path_factory.mktemp("gen")
    make_corpus(base, 0.3, seed=3, log=lambda *a: None)
    raw = base / "raw"
    shutil.copytree(corpus_path(base, 0.3, 3), raw, ignore=shutil.ignore_patterns(".*"))
    (raw / "ops.pdf").write_bytes(hc.pdf_cpu_bomb())
    (raw / "empty.txt").write_bytes(b"")
    return raw


def test_dask_engine_builds_the_same_warehouse_as_local_on_the_bundled_corpus(tmp_path):
    local, dask = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    a = build(RAW, local, workers=2)
    b = build(RAW, dask, workers=2, engine="dask", shards_dir=tmp_path / "dask-shards")
    assert (a.documents, a.paragraphs, a.metrics) == (b.documents, b.paragraphs, b.metrics)
    assert b.processed == a.processed > 0 and not b.errors
    assert_same_warehouse(local, dask)
    assert len(held(tmp_path / "dask-shards")) == b.documents
    assert_whole_batches(tmp_path / "dask-shards")


def test_dask_engine_builds_the_same_warehouse_on_a_generated_corpus_with_limits_and_errors(
        tmp_path, generated, monkeypatch):
    monkeypatch.setenv("EPW_PDF_MAX_OPERATORS", "100000000")   # let the operators through to the CPU limit
    monkeypatch.setenv("EPW_DOC_CPU_SECONDS", "2")
    local, dask = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    a = build(generated, local, workers=2)
    b = build(generated, dask, workers=2, engine="dask", shards_dir=tmp_path / "dask-shards")
    assert a.documents > 8 and b.documents == a.documents
    errors = {file: msg for file, _, msg in b.errors}
    assert "EPW_DOC_CPU_SECONDS=2" in errors["ops.pdf"], "the limit holds inside a dask task"
    assert "empty.txt" in errors
    assert_same_warehouse(local, dask)


def test_a_batch_of_documents_is_one_set_of_files(tmp_path, generated):
    """The local engine's workers write a batch of documents into one set of files (a few per
    worker, not three per document), and the warehouse is the one a batch per document gives."""
    sh = tmp_path / "shards"
    summary = build(generated, tmp_path / "a.duckdb", workers=1, shards_dir=sh)
    batches = set(held(sh).values())
    assert len(held(sh)) == summary.documents > 8
    assert 2 <= len(batches) <= summary.documents // 2, "several documents a batch"
    assert_whole_batches(sh)
    from etl.warehouse import worker
    original = worker.batches
    try:    # one document a batch
        worker.batches = lambda todo, workers, mb: [[args] for args in todo]
        build(generated, tmp_path / "b.duckdb", workers=2, shards_dir=tmp_path / "one-each")
    finally:
        worker.batches = original
    assert len(set(held(tmp_path / "one-each").values())) == summary.documents
    assert_same_warehouse(tmp_path / "a.duckdb", tmp_path / "b.duckdb")


def test_text_is_stored_in_pieces_with_exact_offsets_across_their_boundaries(tmp_path, monkeypatch):
    """documents hold no text; document_text holds it in pieces, joined in order the document's
    text; a value's span is read from the pieces that overlap it, one crossing a boundary too."""
    path = sorted(RAW.glob("*.txt"))[0]
    a, b = next((m[19], m[20]) for m in process_document(str(path), path.name).metrics if m[20] - m[19] >= 2)
    size = a + 1        # a boundary inside that value
    monkeypatch.setattr(shards, "PIECE_CHARS", size)     # the forked workers inherit it
    db = tmp_path / "w.duckdb"
    build(RAW, db, workers=2, shards_dir=tmp_path / "shards")
    with duckdb.connect(str(db), read_only=True) as con:
        assert "raw_text" not in [c for (c,) in con.execute("SELECT name FROM pragma_table_info('documents')").fetchall()]
        docs = con.execute("SELECT doc_id, file, n_chars FROM documents").fetchall()
        for doc_id, file, n_chars in docs:
            pieces = con.execute("SELECT piece, char_start, text FROM document_text WHERE doc_id = ? ORDER BY piece",
                                 [doc_id]).fetchall()
            assert [p for p, _, _ in pieces] == list(range(len(pieces))) and len(pieces) > 1
            assert all(len(t) == size for _, _, t in pieces[:-1])
            assert [a for _, a, _ in pieces] == [size * i for i in range(len(pieces))]
            whole = "".join(t for _, _, t in pieces)
            assert len(whole) == n_chars and whole == process_document(str(RAW / file), file).document["raw_text"]
            assert text_span(con, doc_id, 0) == whole and text_span(con, doc_id, size - 1, size + 1) == whole[size - 1:size + 1]
        spans = con.execute("SELECT doc_id, raw_start, raw_end, value_text FROM metrics").fetchall()
        assert [s for s in spans if s[1] // size != (s[2] - 1) // size], "a value across a boundary"
        for doc_id, start, end, value in spans:
            assert text_span(con, doc_id, start, end) == value


def test_an_unchanged_document_is_taken_from_its_shard(tmp_path):
    raw, sh = copy_raw(tmp_path / "raw"), tmp_path / "shards"
    first = build(raw, tmp_path / "a.duckdb", shards_dir=sh)
    written = {p: p.stat().st_mtime_ns for p in shard_files(sh)}
    # another warehouse (or this one, deleted: a build that died before its swap-in) over the same shards
    second = build(raw, tmp_path / "b.duckdb", shards_dir=sh)
    assert second.processed == 0 and second.reused == first.documents
    assert {p: p.stat().st_mtime_ns for p in shard_files(sh)} == written, "no shard written again"
    assert_same_warehouse(tmp_path / "a.duckdb", tmp_path / "b.duckdb")
    # one document added: only it is read; a removed one's shard goes
    (raw / "new.txt").write_text("北京市" + hc.GOOD, encoding="utf-8")
    removed = sorted(raw.glob("0*"))[0]
    removed_sha = sha256_of(removed)
    removed.unlink()
    before = held(sh)
    third = build(raw, tmp_path / "a.duckdb", shards_dir=sh, allow_shrink=True)
    assert third.processed == 1
    assert count(tmp_path / "a.duckdb", "documents") == first.documents
    now = held(sh)
    assert sha256_of(raw / "new.txt") in now and len(now) >= first.documents
    # a batch that no document of the folder refers to any more goes, with its files
    alone = [b for b in set(before.values()) if set(s for s, x in before.items() if x == b) == {removed_sha}]
    assert (removed_sha not in now) == bool(alone) and not any(batch_files(sh, b) for b in alone)
    assert_whole_batches(sh)


def test_a_half_written_or_corrupted_shard_is_not_used(tmp_path):
    raw, sh = copy_raw(tmp_path / "raw"), tmp_path / "shards"
    first = build(raw, tmp_path / "a.duckdb", shards_dir=sh)
    docs = held(sh)
    batches = sorted(set(docs.values()))
    assert len(batches) >= 4
    folder = next(sh.iterdir())
    paragraphs = folder / f"{batches[0]}.paragraphs.parquet"
    data = paragraphs.read_bytes()
    paragraphs.write_bytes(data[: len(data) // 2])                                   # truncated: no footer
    metrics = [folder / f"{b}.metrics.parquet" for b in batches[1:3]]
    assert pq.read_metadata(metrics[0]).num_rows != pq.read_metadata(metrics[1]).num_rows
    metrics[0].write_bytes(metrics[1].read_bytes())                                  # another batch's rows
    (folder / f"{batches[3]}.json").unlink()                                         # never committed
    leftover = folder / "b999999999-dead.paragraphs.parquet"
    leftover.write_bytes(b"half a file")                                             # a writer that died
    broken = sum(1 for b in docs.values() if b in (batches[0], batches[1], batches[3]))
    again = build(raw, tmp_path / "b.duckdb", shards_dir=sh)
    assert again.processed == broken and again.reused == first.documents - broken and not again.errors
    assert_same_warehouse(tmp_path / "a.duckdb", tmp_path / "b.duckdb")
    assert not leftover.exists(), "the file of a dead writer is removed"
    assert not any(batch_files(sh, b) for b in (batches[0], batches[1], batches[3])), "the broken batches are gone"
    for p in shard_files(sh):
        if p.suffix == ".parquet":
            pq.read_metadata(p)                                                      # every shard left is whole
    assert_whole_batches(sh)


def test_a_batch_is_written_a_part_at_a_time(tmp_path, monkeypatch):
    path = sorted(RAW.glob("*.txt"))[0]
    result = process_document(str(path), path.name, None)
    monkeypatch.setattr(shards, "ROW_GROUP_CHARS", 1)
    target = shards.Target(str(tmp_path), "f" * 16)
    writer = shards.BatchWriter(target)
    sink = shards.PartSink(writer)
    half_p, half_m = len(result.paragraphs) // 2, len(result.metrics) // 2
    first = process_document(str(path), path.name, None)
    first.warnings = [("warning", "a note kept with the shard")]
    first.paragraphs, first.metrics = first.paragraphs[:half_p], first.metrics[:half_m]
    sink(first)
    assert not shards.manifests(target) and not shards.catalogue(target, {result.sha256}), \
        "nothing is visible before commit"
    sink(DocumentResult(path.name, result.sha256, paragraphs=result.paragraphs[half_p:],
                        metrics=result.metrics[half_m:]))
    [note] = shards.commit(writer, [shards.store(first, writer, sink)])
    assert note.stored and note.batch == writer.name
    entry = shards.catalogue(target, {result.sha256})[result.sha256]
    assert entry.batch == writer.name and entry.warnings == [("warning", "a note kept with the shard")]
    table = pq.read_table(target.path(writer.name, "paragraphs"))
    assert table.num_rows == len(result.paragraphs)
    assert pq.ParquetFile(target.path(writer.name, "paragraphs")).num_row_groups >= 2
    assert table.column("paragraph_id").to_pylist() == [p[0] for p in result.paragraphs]


def test_shards_of_another_fingerprint_are_removed_and_default_beside_the_warehouse(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    root = Path(shards_root(db))
    assert root == tmp_path / ".w.duckdb.shards"
    stale = root / "0123456789abcdef" / "ab" / "x.documents.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    build(raw, db)
    assert [p.name for p in root.iterdir()] == [config.fingerprint()]


def test_scheduler_without_the_dask_engine_is_bad_usage(tmp_path):
    from tests.test_build import run_etl
    done = run_etl("build", "--raw", RAW, "--db", tmp_path / "w.duckdb", "--scheduler", "tcp://127.0.0.1:1", "--quiet")
    assert done.returncode == 2 and "--scheduler needs --engine dask" in done.stderr
    assert not (tmp_path / "w.duckdb").exists()
