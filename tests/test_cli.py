"""Tests of the command line as a script uses it: `python -m etl build|export`, run as
subprocesses, their exit codes, messages, help, and the files they write."""
from __future__ import annotations

import csv
import json
import os
import re
import resource
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl.cli import parser
from etl.warehouse import text_span
from tests.test_build import copy_raw, count, generate_corpus, query, run_etl, snapshot

SCORE = Path("/work/shared/gold/score.py")
GOLD = Path("/work/shared/gold/seeds.jsonl")
SUMMARY = re.compile(r"^(\d+) documents \((\d+) processed, (\d+) unchanged\), (\d+) paragraphs, (\d+) metrics, "
                     r"(\d+) errors, ([\d.]+) s$", re.M)
REQUIRED = ("doc", "indicator", "region", "year", "months", "kind", "value", "evidence", "unit", "qualifier",
            "value_text", "paragraph_id", "para_start", "para_end", "raw_start", "raw_end", "confidence")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """The bundled corpus, built once by the command line."""
    tmp = tmp_path_factory.mktemp("cli")
    db = tmp / "warehouse.duckdb"
    done = run_etl("build", "--raw", copy_raw(tmp / "raw"), "--db", db, "--quiet")
    assert done.returncode == 0, done.stderr
    return db


# ---------------------------------------------------------------------------
# help
# ---------------------------------------------------------------------------

def _subparsers():
    ap = parser()
    action = next(a for a in ap._actions if a.dest == "command")
    return action.choices


@pytest.mark.parametrize("command", ["build", "fetch", "export"])
def test_help_explains_every_option_and_the_exit_codes(command):
    done = run_etl(command, "--help")
    assert done.returncode == 0 and done.stderr == ""
    text = " ".join(done.stdout.split())
    for action in _subparsers()[command]._actions:
        if action.dest == "help":
            continue
        assert action.help and len(action.help) > 15, f"{action.option_strings} has no real help"
        for option in action.option_strings:
            assert option in text
        assert " ".join(action.help.split())[:40] in text
    for status in ("0 success", "1 build or fetch with --strict", "2 bad usage", "3 the build or export failed"):
        assert status in text


def test_top_level_help_lists_the_commands():
    done = run_etl("--help")
    assert done.returncode == 0
    assert "build" in done.stdout and "export" in done.stdout and "exit status" in done.stdout


# ---------------------------------------------------------------------------
# exit status 2: usage and missing input
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    ([], "required"),
    (["frobnicate"], "invalid choice"),
    (["build", "--no-such-option"], "unrecognized arguments"),
    (["build", "--workers", "0"], "at least 1"),
    (["build", "--workers", "two"], "not a whole number"),
    (["export"], "--out"),
    (["export", "--out", "x.csv", "--min-confidence", "2"], "between 0 and 1"),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    done = run_etl(*args)
    assert done.returncode == 2
    assert message in done.stderr


def test_missing_documents_folder_exits_2(tmp_path):
    done = run_etl("build", "--raw", tmp_path / "no such folder", "--db", tmp_path / "w.duckdb")
    assert done.returncode == 2
    assert "no such folder of documents" in done.stderr and "no such folder" in done.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_warehouse_path_that_is_a_folder_exits_2(tmp_path):
    done = run_etl("build", "--raw", copy_raw(tmp_path / "raw"), "--db", tmp_path)
    assert done.returncode == 2 and "folder" in done.stderr


def test_export_without_a_warehouse_exits_2(tmp_path):
    done = run_etl("export", "--db", tmp_path / "none.duckdb", "--out", tmp_path / "m.csv")
    assert done.returncode == 2
    assert "no warehouse" in done.stderr and "python -m etl build" in done.stderr
    assert not (tmp_path / "m.csv").exists()


def test_export_of_a_file_that_is_not_a_warehouse_exits_2_and_keeps_the_old_export(tmp_path):
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("这不是数据库 " * 200, encoding="utf-8")
    out = tmp_path / "m.csv"
    out.write_text("the previous export\n")
    done = run_etl("export", "--db", bogus, "--out", out)
    assert done.returncode == 2, done.stderr
    assert "not a warehouse" in done.stderr
    assert out.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bogus.duckdb", "m.csv"], "no temporary file left"


def test_export_to_an_unsupported_format_exits_2(tmp_path, warehouse):
    done = run_etl("export", "--db", warehouse, "--out", tmp_path / "m.xls")
    assert done.returncode == 2 and ".csv, .jsonl, .ndjson, .parquet, .xlsx" in done.stderr
    assert not (tmp_path / "m.xls").exists()


def test_export_formats_carry_the_same_rows_and_columns(tmp_path, warehouse):
    """One export: CSV, Parquet and XLSX hold the same rows under the same header."""
    for suffix in (".csv", ".parquet", ".xlsx"):
        assert run_etl("export", "--db", warehouse, "--out", tmp_path / f"m{suffix}").returncode == 0
    csv = pd.read_csv(tmp_path / "m.csv")
    parquet = pd.read_parquet(tmp_path / "m.parquet")
    xlsx = pd.read_excel(tmp_path / "m.xlsx")
    assert len(csv) > 0 and len(csv) == len(parquet) == len(xlsx)
    assert list(csv.columns) == list(parquet.columns) == list(xlsx.columns)
    assert {"doc", "indicator", "region", "year", "months", "kind", "value", "evidence", "doc_title"} <= set(csv.columns)


# ---------------------------------------------------------------------------
# build: 0, 1 with --strict, 3
# ---------------------------------------------------------------------------

def test_build_prints_progress_and_a_summary_that_matches_the_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    done = run_etl("build", "--raw", copy_raw(tmp_path / "raw"), "--db", db, "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "5/5" in done.stderr and "doc" in done.stderr          # the progress bar, over documents
    m = SUMMARY.search(done.stdout)
    assert m, done.stdout
    documents, processed, unchanged, paragraphs, metrics, errors, seconds = m.groups()
    assert int(documents) == int(processed) == count(db, "documents") == 5 and unchanged == "0"
    assert int(paragraphs) == count(db, "paragraphs") and int(metrics) == count(db, "metrics")
    assert errors == "0" and float(seconds) > 0

    quiet = run_etl("build", "--raw", tmp_path / "raw", "--db", db, "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert "nothing changed" in quiet.stdout


def test_strict_turns_unreadable_documents_into_exit_1(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    (raw / "empty.txt").write_bytes(b"")
    lenient = run_etl("build", "--raw", raw, "--db", db, "--quiet")
    assert lenient.returncode == 0
    assert "empty.txt" in lenient.stderr and "empty file" in lenient.stderr
    assert "1 errors" in lenient.stdout
    # the same errors, unchanged, still fail a strict build that has nothing else to do
    strict = run_etl("build", "--raw", raw, "--db", db, "--quiet", "--strict")
    assert strict.returncode == 1 and "nothing changed" in strict.stdout
    assert "empty.txt: empty file" in strict.stderr
    assert count(db, "documents") == 5, "the build still completed"
    fresh = run_etl("build", "--raw", raw, "--db", tmp_path / "fresh.duckdb", "--quiet", "--strict")
    assert fresh.returncode == 1 and count(tmp_path / "fresh.duckdb", "documents") == 5


def test_strict_ignores_warnings_and_duplicates(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    report = (raw / "002_c86b0e6731570959.txt").read_bytes()
    (raw / "copy of 002.txt").write_bytes(report)                          # a duplicate
    cut = next(i for i in range(len(report) // 2, len(report)) if report[i] & 0xC0 == 0x80)
    (raw / "truncated.txt").write_bytes(report[:cut])                       # cut inside a character
    for attempt in range(2):                                                # first and unchanged build
        done = run_etl("build", "--raw", raw, "--db", db, "--quiet", "--strict")
        assert done.returncode == 0, done.stderr
        assert "truncated.txt" in done.stderr or attempt == 1
    stages = dict(query(db, "SELECT file, stage FROM ingest_errors"))
    assert stages == {"copy of 002.txt": "duplicate", "truncated.txt": "warning"}


def test_build_that_cannot_write_exits_3_and_keeps_the_warehouse(tmp_path):
    """A full disk, for real: the build runs with a file-size limit (RLIMIT_FSIZE) below the size
    of the warehouse it writes."""
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    assert run_etl("build", "--raw", raw, "--db", db, "--quiet").returncode == 0
    before = query(db, "SELECT metric_id, value FROM metrics ORDER BY metric_id")
    generate_corpus(raw, n_docs=3, sentences_per_doc=12, seed=11)
    limit = 1 << 20
    assert db.stat().st_size > limit
    done = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--raw", str(raw), "--db", str(db), "--quiet"], cwd=snapshot(),
        env={**os.environ, "PYTHONPATH": str(snapshot())}, capture_output=True, text=True, timeout=300,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert "build failed, the warehouse in place is unchanged" in done.stderr
    assert "File too large" in done.stderr                      # it says why
    assert query(db, "SELECT metric_id, value FROM metrics ORDER BY metric_id") == before
    assert not list(tmp_path.glob(".w.duckdb.building-*")), "the temporary file was removed"
    assert run_etl("build", "--raw", raw, "--db", db, "--quiet").returncode == 0   # and it recovers
    assert count(db, "documents") == 8


# ---------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------

def _read(path: Path) -> list[dict]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pq.read_table(path).to_pylist()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_export_formats_hold_one_row_per_metric_with_its_citation(tmp_path, warehouse, suffix):
    out = tmp_path / f"metrics{suffix}"
    done = run_etl("export", "--db", warehouse, "--out", out)
    assert done.returncode == 0, done.stderr
    rows = _read(out)
    # by default: the values that have a year and that the extractor stands behind (confidence >= 0.5)
    dated = query(warehouse, "SELECT count(*) FROM metrics WHERE year IS NOT NULL AND confidence >= 0.5")[0][0]
    assert len(rows) == dated > 50 and f"{dated} metrics written" in done.stdout
    assert set(REQUIRED) <= set(rows[0])
    assert len({r["metric_id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["value_text"] in r["evidence"], r
        assert 0 < len(r["evidence"]) <= 600
        assert r["kind"] in ("actual", "target", "change", "margin")
        assert 0 <= float(r["confidence"]) <= 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file left"


def test_export_formats_agree(tmp_path, warehouse):
    tables = []
    for suffix in (".csv", ".jsonl", ".parquet"):
        out = tmp_path / f"m{suffix}"
        assert run_etl("export", "--db", warehouse, "--out", out).returncode == 0
        tables.append({(r["metric_id"], r["evidence"], r["value_text"], round(float(r["value"]), 6),
                        int(r["para_start"]), int(r["raw_end"])) for r in _read(out)})
    assert tables[0] == tables[1] == tables[2]


def test_export_offsets_point_at_the_value_in_paragraph_and_document(tmp_path, warehouse):
    """For every metric of the bundled corpus: paragraphs.text[para_start:para_end] is the value as
    written, and so is the document's text [raw_start:raw_end] (read from the pieces of
    document_text that overlap it) up to full-width/half-width forms."""
    out = tmp_path / "all.parquet"
    assert run_etl("export", "--db", warehouse, "--out", out, "--include-undated",
                   "--min-confidence", "0").returncode == 0
    exported = {r["metric_id"]: r for r in _read(out)}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("""
            SELECT m.metric_id, m.value_text, p.text, m.para_start, m.para_end, m.doc_id, m.raw_start, m.raw_end
            FROM metrics m JOIN paragraphs p USING (paragraph_id)""").fetchall()
        raw = {r[0]: text_span(con, r[5], r[6], r[7]) for r in rows}
    assert len(rows) == len(exported) > 100
    for metric_id, value_text, text, ps, pe, _, rs, re_ in rows:
        assert text[ps:pe] == value_text, metric_id
        assert unicodedata.normalize("NFKC", raw[metric_id]) == unicodedata.normalize("NFKC", value_text), metric_id
        e = exported[metric_id]
        assert (e["para_start"], e["para_end"], e["raw_start"], e["raw_end"]) == (ps, pe, rs, re_)
        assert value_text in e["evidence"] and e["evidence"] in text


def test_export_filters(tmp_path, warehouse):
    all_rows = tmp_path / "all.jsonl"
    sure = tmp_path / "sure.jsonl"
    assert run_etl("export", "--db", warehouse, "--out", all_rows, "--include-undated",
                   "--min-confidence", "0").returncode == 0
    assert run_etl("export", "--db", warehouse, "--out", sure, "--min-confidence", "0.9").returncode == 0
    every, confident = _read(all_rows), _read(sure)
    assert len(every) == count(warehouse, "metrics")
    assert confident and all(r["confidence"] >= 0.9 and r["year"] is not None for r in confident)
    assert len(confident) == sum(1 for r in every if r["confidence"] >= 0.9 and r["year"] is not None)


@pytest.mark.skipif(not SCORE.exists(), reason="the shared gold scorer is not available")
def test_score_script_reads_the_csv_export(tmp_path, warehouse):
    out = tmp_path / "metrics.csv"
    assert run_etl("export", "--db", warehouse, "--out", out).returncode == 0
    done = subprocess.run([sys.executable, str(SCORE), "--gold", str(GOLD), "--pred", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    m = re.search(r"OVERALL gold=(\d+) pred=(\d+) tp=(\d+) precision=([\d.]+) recall=([\d.]+)", done.stdout)
    assert m, done.stdout
    gold, pred, tp = map(int, m.groups()[:3])
    assert gold > 0 and pred > 0 and tp > 0          # it matched rows, so it understood the columns
