"""Shards and engines: workers write Parquet shards that DuckDB loads; `--engine dask` maps the
same per-document function over a dask.distributed LocalCluster and builds the same warehouse.

Real builds into real DuckDB files, a real LocalCluster; small corpora (each dask build starts a
cluster of two worker processes, about 5 s)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import tests.hostile_corpus as hc
from benchmarks.corpus import corpus_path, make_corpus
from etl import config
from etl.pipeline import process_document
from etl.warehouse import build_warehouse as build
from etl.warehouse import shards
from etl.warehouse.build import sha256_of, shards_root
from tests.test_build import RAW, copy_raw, count

# what two builds must agree on: every table's contents, ordered (ingested_at is the time of reading)
TABLES = {
    "documents": "SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY doc_id",
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
    assert len(shard_files(tmp_path / "dask-shards")) == 3 * b.documents


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
    third = build(raw, tmp_path / "a.duckdb", shards_dir=sh, allow_shrink=True)
    assert third.processed == 1
    assert count(tmp_path / "a.duckdb", "documents") == first.documents
    assert len(shard_files(sh)) == 3 * first.documents
    assert not list(sh.rglob(f"{removed_sha}*"))


def test_a_half_written_or_corrupted_shard_is_not_used(tmp_path):
    raw, sh = copy_raw(tmp_path / "raw"), tmp_path / "shards"
    first = build(raw, tmp_path / "a.duckdb", shards_dir=sh)
    paragraphs = sorted(sh.rglob("*.paragraphs.parquet"))
    metrics = sorted(sh.rglob("*.metrics.parquet"))
    documents = sorted(sh.rglob("*.documents.parquet"))
    data = paragraphs[0].read_bytes()
    paragraphs[0].write_bytes(data[: len(data) // 2])          # truncated: no footer
    metrics[1].write_bytes(metrics[2].read_bytes())            # another document's rows
    documents[3].unlink()                                      # renamed last: never committed
    leftover = documents[4].with_name(documents[4].name + shards.TEMP_MARK + "999999999-dead")
    leftover.write_bytes(b"half a file")                       # a writer that died
    again = build(raw, tmp_path / "b.duckdb", shards_dir=sh)
    assert again.processed == 3 and again.reused == first.documents - 3 and not again.errors
    assert_same_warehouse(tmp_path / "a.duckdb", tmp_path / "b.duckdb")
    assert not leftover.exists(), "the temporary file of a dead writer is removed"
    for p in shard_files(sh):
        pq.read_metadata(p)                                    # every shard left is whole


def test_a_shard_is_written_a_part_at_a_time(tmp_path):
    path = sorted(RAW.glob("*.txt"))[0]
    result = process_document(str(path), path.name, None)
    target = shards.Target(str(tmp_path), "f" * 16)
    writer = shards.ShardWriter(target, result.sha256)
    half_p, half_m = len(result.paragraphs) // 2, len(result.metrics) // 2
    writer.add(result.document, result.paragraphs[:half_p], result.metrics[:half_m])
    assert not Path(target.path(result.sha256, "documents")).exists(), "nothing is visible before commit"
    assert shards.valid(target, result.sha256) is None
    writer.add(paragraphs=result.paragraphs[half_p:], metrics=result.metrics[half_m:])
    writer.commit([("warning", "a note kept with the shard")])
    assert shards.valid(target, result.sha256) == [("warning", "a note kept with the shard")]
    table = pq.read_table(target.path(result.sha256, "paragraphs"))
    assert table.num_rows == len(result.paragraphs)
    assert pq.ParquetFile(target.path(result.sha256, "paragraphs")).num_row_groups == 2
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
