"""Tests of `python -m etl build`: incremental, atomic, and safe to kill.

Everything runs for real: documents are files in tmp_path (the bundled reports
of data/raw, and corpora generated from their sentences), warehouses are
DuckDB files, builds run in this process or as `python -m etl` subprocesses
that the tests kill and read beside.
"""
from __future__ import annotations

import atexit
import functools
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from etl.warehouse import build_warehouse as build
from etl.warehouse import export_metrics

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SAMPLES = sorted(p for p in RAW.iterdir() if p.name != "sources.csv")   # the documents (sources.csv: their origins)
LINUX = sys.platform.startswith("linux")


# ---------------------------------------------------------------------------
# helpers (test_cli.py and test_robustness.py import them from here)
# ---------------------------------------------------------------------------

@functools.cache
def snapshot() -> Path:
    """The ETL code and catalog as they were when the tests started. Builds run from this copy,
    so that two builds of one test run the same code (and share a fingerprint) even while someone
    edits the working tree."""
    dst = Path(tempfile.mkdtemp(prefix="etl-snapshot-"))
    atexit.register(shutil.rmtree, dst, ignore_errors=True)
    copy_project(dst)
    return dst


def copy_project(dst: Path) -> Path:
    shutil.copytree(ROOT / "etl", dst / "etl", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data" / "catalog", dst / "data" / "catalog")
    return dst


def run_etl(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m etl ARGS` as a script would run it."""
    cwd = cwd or snapshot()
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def start_etl(*args: str, cwd: Path | None = None) -> subprocess.Popen:
    """A build in the background, in its own session so that its workers can be found and reaped."""
    cwd = cwd or snapshot()
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.Popen([sys.executable, "-m", "etl", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def copy_raw(dst: Path) -> Path:
    """The bundled reports, as writable copies (without sources.csv)."""
    dst.mkdir(parents=True, exist_ok=True)
    for p in SAMPLES:
        (dst / p.name).write_bytes(p.read_bytes())
    return dst


def query(db: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def count(db: Path, table: str) -> int:
    return query(db, f"SELECT count(*) FROM {table}")[0][0]


def metric_rows(db: Path, files: set[str] | None = None) -> set[tuple]:
    """Every metric with its document's file name: what two builds must agree on."""
    rows = query(db, """SELECT d.file, m.* FROM metrics m JOIN documents d USING (doc_id)""")
    return {r for r in rows if files is None or r[0] in files}


@functools.cache
def report_sentences() -> tuple[str, ...]:
    """Sentences of the bundled reports that hold a number: the stuff generated corpora are made of."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in SAMPLES)
    sentences = re.findall(r"[^。\n]{8,300}。", text)
    return tuple(s for s in sentences if re.search(r"\d", s))


def vary_numbers(sentence: str, rng: random.Random) -> str:
    """The same sentence with other values: decimals keep their places, years stay."""
    def repl(m: re.Match) -> str:
        whole, frac = m.group(1), m.group(2)
        if not frac and 1990 <= int(whole) <= 2035:
            return m.group(0)
        digits = max(1, len(whole))
        new = str(rng.randrange(10 ** (digits - 1) if digits > 1 else 0, 10 ** digits))
        return new + ("." + "".join(rng.choice("0123456789") for _ in frac[1:]) if frac else "")
    return re.sub(r"(?<![\d.])(\d+)(\.\d+)?", repl, sentence)


def generate_corpus(dst: Path, n_docs: int, sentences_per_doc: int, seed: int = 0) -> Path:
    """n_docs reports recombined from sentences of the bundled ones, with varied numbers."""
    dst.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sentences = report_sentences()
    for i in range(n_docs):
        year = rng.choice(range(2019, 2025))
        lines = [f"{year}年生态环境状况公报（第{i}号）"]
        for _ in range(0, sentences_per_doc, 4):
            lines.append("".join(vary_numbers(rng.choice(sentences), rng) for _ in range(4)))
        (dst / f"gen_{seed}_{i:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


def _live_processes(field: int, value: int) -> list[int]:
    """Processes that are not zombies whose /proc stat field (1 = parent, 2 = group) is `value`."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[field]) == value and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def live_processes_in_group(pgid: int) -> list[int]:
    """Processes of a process group that are not zombies (an orphan may wait to be reaped)."""
    return _live_processes(2, pgid)


def children_of(pid: int) -> list[int]:
    return _live_processes(1, pid)


def wait_for(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the build ended (status {proc.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def reap_group(proc: subprocess.Popen) -> None:
    """Kill whatever is left of a background build (only the processes this test started)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    """A corpus that takes a build several seconds (240 reports, 2.5 MB)."""
    return generate_corpus(tmp_path_factory.mktemp("big") / "raw", n_docs=240, sentences_per_doc=36, seed=1)


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """The ETL code and catalog, copied: a build's fingerprint must not change under a test while
    someone edits the working tree, and one test changes the catalog."""
    return copy_project(tmp_path_factory.mktemp("project"))


# ---------------------------------------------------------------------------
# a build and what it writes
# ---------------------------------------------------------------------------

def test_build_writes_documents_paragraphs_metrics_and_build_info(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    summary = build(raw, db, workers=2)
    assert summary.documents == count(db, "documents") == len(SAMPLES)
    assert summary.processed == 5 and summary.reused == 0 and not summary.unchanged
    assert summary.paragraphs == count(db, "paragraphs") > 100
    assert summary.metrics == count(db, "metrics") > 100
    assert summary.errors == [] and count(db, "ingest_errors") == 0
    info = dict(query(db, "SELECT key, value FROM build_info"))
    assert info["documents"] == "5" and info["metrics"] == str(summary.metrics) and len(info["fingerprint"]) == 16
    # every metric points at its paragraph and document
    assert query(db, """SELECT count(*) FROM metrics m LEFT JOIN paragraphs p USING (paragraph_id)
                        LEFT JOIN documents d ON d.doc_id = m.doc_id
                        WHERE p.paragraph_id IS NULL OR d.doc_id IS NULL OR p.doc_id <> m.doc_id""") == [(0,)]
    assert not list(tmp_path.glob(".w.duckdb.building-*")), "the temporary file was renamed into place"


# what each derived table of summarise stands for, as a query over metrics
DERIVED = {
    "conflicts": """
        SELECT indicator_id, indicator, region, year, months, kind, scope, unit, count(DISTINCT value),
               count(DISTINCT doc_id), count(*), min(value), max(value)
        FROM metrics WHERE indicator_id IS NOT NULL AND kind IN ('actual', 'target') AND year IS NOT NULL
          AND region IS NOT NULL
        GROUP BY ALL HAVING count(DISTINCT value) > 1""",
    "indicator_stats": """
        SELECT i.indicator_id, count(m.metric_id), count(m.year), count(DISTINCT m.region),
               count(DISTINCT m.doc_id), min(m.year), max(m.year)
        FROM indicators i LEFT JOIN metrics m USING (indicator_id) GROUP BY i.indicator_id""",
    "coverage": """
        SELECT indicator_id, year, count(DISTINCT region), count(*)
        FROM metrics JOIN indicators USING (indicator_id) WHERE year IS NOT NULL AND region IS NOT NULL GROUP BY ALL""",
    "region_stats": "SELECT region, count(*), min(year), max(year) FROM metrics WHERE region IS NOT NULL GROUP BY region",
    "document_metrics": """
        SELECT doc_id, metric_id, paragraph_id, para_start, para_end, indicator_id, indicator, region, year, months,
               kind, scope, value, value_high, qualifier, unit, change_verb
        FROM metrics""",
}


def test_build_summarises_the_metrics(tmp_path):
    """A real build's derived tables equal the aggregates they stand for; metrics keep
    schema.sql's definition, sorted by indicator, with an index on doc_id."""
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    build(raw, db, workers=1)
    for table, sql in DERIVED.items():
        assert query(db, f"SELECT * FROM {table} ORDER BY ALL") == query(db, sql + " ORDER BY ALL"), table
    assert query(db, "SELECT count(*) FROM conflicts")[0][0] > 0   # the bundled reports disagree somewhere
    with duckdb.connect() as fresh:
        fresh.execute((ROOT / "etl" / "warehouse" / "schema.sql").read_text(encoding="utf-8"))
        definition = fresh.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'metrics'").fetchall()
    assert query(db, "SELECT sql FROM duckdb_tables() WHERE table_name = 'metrics'") == definition
    assert query(db, "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'metrics'") == [("metrics_doc_id",)]
    order = "indicator_id, region, year, months"
    assert query(db, f"SELECT {order} FROM metrics") == query(db, f"SELECT {order} FROM metrics ORDER BY ALL")
    # a document's values are consecutive rows, in the order the Document page marks them
    order = "doc_id, paragraph_id, para_start, metric_id"
    assert query(db, f"SELECT {order} FROM document_metrics") == query(
        db, f"SELECT {order} FROM document_metrics ORDER BY ALL")


WARM_UP = r"""
import json, multiprocessing as mp
from etl import clean, extract
from etl.text import normalise
from etl.catalog import gazetteer
from etl.pipeline import warm_up

def initialised():
    return [f.cache_info().currsize for f in (extract.matchers, gazetteer._table, normalise._t2s, clean._rules)]

before = initialised()
warm_up()
with mp.get_context("fork").Pool(1) as pool:
    print(json.dumps({"before": before, "parent": initialised(), "worker": pool.apply(initialised)}))
"""


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux")
def test_warm_up_initialises_the_stages_once_for_the_forked_workers():
    """The build calls warm_up() before it forks its workers: a forked process finds the compiled
    catalog patterns, the gazetteer and OpenCC ready instead of building them again."""
    import json
    done = subprocess.run([sys.executable, "-c", WARM_UP], cwd=snapshot(), capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(snapshot())}, timeout=120)
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout)
    assert state["before"] == [0, 0, 0, 0], "a fresh process starts cold"
    assert state["parent"] == state["worker"] == [1, 1, 1, 1]


def test_one_worker_and_many_workers_build_the_same_warehouse(tmp_path):
    raw = copy_raw(tmp_path / "raw")
    build(raw, tmp_path / "one.duckdb", workers=1)
    build(raw, tmp_path / "two.duckdb", workers=2)
    assert metric_rows(tmp_path / "one.duckdb") == metric_rows(tmp_path / "two.duckdb")
    assert (query(tmp_path / "one.duckdb", "SELECT * FROM paragraphs ORDER BY paragraph_id")
            == query(tmp_path / "two.duckdb", "SELECT * FROM paragraphs ORDER BY paragraph_id"))


# ---------------------------------------------------------------------------
# incremental
# ---------------------------------------------------------------------------

def test_second_build_of_the_same_files_changes_nothing(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    build(raw, db, workers=2)
    before = db.stat()
    summary = build(raw, db, workers=2)
    assert summary.unchanged and summary.processed == 0 and summary.documents == 5
    assert "nothing changed" in summary.line()
    after = db.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "the warehouse was rewritten"


def test_added_document_is_the_only_one_processed(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    build(raw, db, workers=2)
    before = metric_rows(db)
    generate_corpus(raw, n_docs=1, sentences_per_doc=12, seed=7)
    summary = build(raw, db, workers=2)
    assert (summary.processed, summary.reused, summary.documents) == (1, 5, 6)
    after = metric_rows(db)
    assert before < after, "the unchanged documents' metrics are all still there, with the same ids"
    assert {r[0] for r in after - before} == {"gen_7_0000.txt"}
    # the same as building the six from scratch
    build(raw, tmp_path / "fresh.duckdb", workers=2)
    assert metric_rows(tmp_path / "fresh.duckdb") == after


def test_removed_document_leaves_the_warehouse(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    build(raw, db, workers=2)
    gone = sorted(raw.iterdir())[1]
    doc_id = query(db, "SELECT doc_id FROM documents WHERE file = ?", [gone.name])[0][0]
    assert query(db, "SELECT count(*) FROM metrics WHERE doc_id = ?", [doc_id])[0][0] > 0
    gone.unlink()
    summary = build(raw, db, workers=2)
    assert (summary.processed, summary.reused, summary.documents) == (0, 4, 4)
    for table in ("documents", "paragraphs", "metrics"):
        assert query(db, f"SELECT count(*) FROM {table} WHERE doc_id = ?", [doc_id]) == [(0,)], table


def test_renamed_document_is_reused_under_its_new_name(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    build(raw, db, workers=2)
    before = metric_rows(db)
    old = sorted(raw.iterdir())[0]
    old.rename(raw / "改名后 的报告.txt")
    summary = build(raw, db, workers=2)
    assert (summary.processed, summary.reused) == (0, 5)
    files = {f for (f,) in query(db, "SELECT file FROM documents")}
    assert "改名后 的报告.txt" in files and old.name not in files
    assert {r[1:] for r in metric_rows(db)} == {r[1:] for r in before}


def test_changed_document_is_processed_again(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    build(raw, db, workers=2)
    doc = raw / "002_c86b0e6731570959.txt"
    old_id = query(db, "SELECT doc_id FROM documents WHERE file = ?", [doc.name])[0][0]
    doc.write_text(doc.read_text(encoding="utf-8") + "\n2024年全市PM2.5平均浓度为31.5微克/立方米。\n", encoding="utf-8")
    summary = build(raw, db, workers=2)
    assert (summary.processed, summary.reused) == (1, 4)
    assert query(db, "SELECT count(*) FROM documents WHERE doc_id = ?", [old_id]) == [(0,)]
    assert query(db, """SELECT count(*) FROM metrics JOIN documents d USING (doc_id)
                        WHERE d.file = ? AND value_text = '31.5'""", [doc.name]) == [(1,)]


def test_incremental_builds_end_where_a_fresh_build_does(tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    generate_corpus(raw, n_docs=6, sentences_per_doc=8, seed=3)
    build(raw, db, workers=2)
    (raw / "gen_3_0002.txt").unlink()
    generate_corpus(raw, n_docs=2, sentences_per_doc=8, seed=4)
    (raw / "gen_3_0004.txt").rename(raw / "renamed.txt")
    build(raw, db, workers=2)
    build(raw, tmp_path / "fresh.duckdb", workers=2)
    assert metric_rows(db) == metric_rows(tmp_path / "fresh.duckdb")
    strip = "SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY doc_id"
    assert query(db, strip) == query(tmp_path / "fresh.duckdb", strip)


def test_changed_catalog_rebuilds_everything(tmp_path, project_copy):
    """The ETL fingerprint covers the code and the catalog: changing either reprocesses every document."""
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    first = run_etl("build", "--raw", raw, "--db", db, "--quiet", cwd=project_copy)
    assert first.returncode == 0, first.stderr
    again = run_etl("build", "--raw", raw, "--db", db, "--quiet", cwd=project_copy)
    assert "nothing changed" in again.stdout
    fingerprint = query(db, "SELECT value FROM build_info WHERE key = 'fingerprint'")[0][0]
    cues = project_copy / "data" / "catalog" / "cues.toml"
    original = cues.read_bytes()
    try:
        cues.write_bytes(original + b"\n# a comment is enough to change the fingerprint\n")
        rebuilt = run_etl("build", "--raw", raw, "--db", db, "--quiet", cwd=project_copy)
    finally:
        cues.write_bytes(original)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "5 documents (5 processed, 0 unchanged)" in rebuilt.stdout
    assert query(db, "SELECT value FROM build_info WHERE key = 'fingerprint'")[0][0] != fingerprint


def test_failed_document_keeps_its_error_without_being_read_again(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    (raw / "empty.txt").write_bytes(b"")
    first = build(raw, db, workers=2)
    assert [(f, stage) for f, stage, _ in first.errors] == [("empty.txt", "ingest")]
    generate_corpus(raw, n_docs=1, sentences_per_doc=8, seed=5)
    second = build(raw, db, workers=2)
    assert (second.processed, second.reused) == (1, 6)      # neither the reports nor the empty file
    assert second.errors == first.errors
    assert query(db, "SELECT file, stage FROM ingest_errors") == [("empty.txt", "ingest")]


# ---------------------------------------------------------------------------
# atomic: readers and builds that die
# ---------------------------------------------------------------------------

READER = r"""
import sys, duckdb
path = sys.argv[1]
docs = lambda con: con.execute("SELECT count(*) FROM documents").fetchone()[0]
con = duckdb.connect(path, read_only=True)          # as the dashboard holds it
print(docs(con), flush=True)
sys.stdin.readline()                                 # meanwhile the warehouse is rebuilt
print(docs(con), flush=True)
con.close()
con = duckdb.connect(path, read_only=True)
print(docs(con), flush=True)
"""


def test_rebuild_while_a_reader_holds_the_warehouse_open(tmp_path):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    build(raw, db, workers=2)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "5"
        (raw / "001_345557d4f5c9075c.txt").unlink()
        rebuilt = run_etl("build", "--raw", raw, "--db", db, "--quiet")
        assert rebuilt.returncode == 0, rebuilt.stderr          # no lock error
        assert "4 documents" in rebuilt.stdout
        assert count(db, "documents") == 4                     # a new connection sees the new warehouse
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "5"         # the open one still the old
        assert reader.stdout.readline().strip() == "4"         # until it reconnects
        assert reader.wait(timeout=30) == 0, reader.stderr.read()
    finally:
        reader.kill()
        reader.communicate()


def test_dashboard_connection_sees_a_rebuilt_warehouse(tmp_path, monkeypatch):
    """The dashboard keeps its old connection cached while it opens one for the new file: DuckDB
    caches database instances by path, so a plain connect(path) would hand back the old warehouse
    (dashboard/db.py ATTACHes each version instead)."""
    db_module = pytest.importorskip("dashboard.db")
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    build(raw, db, workers=2)
    monkeypatch.setenv("EPW_DB", str(db))
    old = db_module.connect()
    assert old.con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    (raw / "001_345557d4f5c9075c.txt").unlink()
    time.sleep(0.01)  # a distinct mtime
    build(raw, db, workers=2)
    new = db_module.connect()
    assert new.key != old.key
    assert new.con.execute("SELECT count(*) FROM documents").fetchone()[0] == 4


def _start_big_build(big_corpus: Path, db: Path, workers: int = 2) -> tuple[subprocess.Popen, Path]:
    proc = start_etl("build", "--raw", big_corpus, "--db", db, "--workers", str(workers), "--quiet")
    temp = db.with_name(f".{db.name}.building-{proc.pid}")
    wait_for(temp.exists, 60, f"the temporary file {temp.name}", proc)
    time.sleep(0.5)   # into the processing of documents
    assert proc.poll() is None, "the build ended before it could be interrupted: make the corpus bigger"
    return proc, temp


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_build_killed_with_sigkill_leaves_the_previous_warehouse(tmp_path, big_corpus):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "warehouse.duckdb"
    assert run_etl("build", "--raw", raw, "--db", db, "--quiet").returncode == 0
    n_metrics, n_docs = count(db, "metrics"), count(db, "documents")

    proc, temp = _start_big_build(big_corpus, db)
    try:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert temp.exists(), "a killed build cannot clean up: its temporary file stays"
        # its workers die with it instead of living on as orphans
        wait_for(lambda: not live_processes_in_group(proc.pid), 10, "the workers of the killed build to exit")
    finally:
        reap_group(proc)

    # the previous warehouse is intact and readable, as the dashboard reads it
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM metrics").fetchone()[0] == n_metrics
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == n_docs
        assert con.execute("""SELECT count(*) FROM metrics m JOIN paragraphs p USING (paragraph_id)
                              JOIN documents d ON d.doc_id = m.doc_id""").fetchone()[0] == n_metrics
        assert con.execute("SELECT count(*) FROM documents WHERE file LIKE 'gen_%'").fetchone()[0] == 0

    # the next build removes the stale file, and has nothing else to do
    after = run_etl("build", "--raw", raw, "--db", db, "--quiet")
    assert after.returncode == 0, after.stderr
    assert not temp.exists() and not temp.with_name(temp.name + ".wal").exists()
    assert temp.name in after.stderr and "nothing changed" in after.stdout
    assert count(db, "metrics") == n_metrics


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_build_stopped_with_sigterm_cleans_up_and_exits_3(tmp_path, big_corpus):
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "warehouse.duckdb"
    assert run_etl("build", "--raw", raw, "--db", db, "--quiet").returncode == 0
    before = metric_rows(db)
    proc, temp = _start_big_build(big_corpus, db)
    try:
        os.kill(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 3, err
        assert "unchanged" in err
        wait_for(lambda: not live_processes_in_group(proc.pid), 10, "the workers to exit")
    finally:
        reap_group(proc)
    assert not temp.exists(), "an interrupted build removes its own temporary file"
    assert not list(tmp_path.glob(".warehouse.duckdb.building-*"))
    assert metric_rows(db) == before


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_a_worker_killed_mid_build_loses_no_document(tmp_path, big_corpus):
    """A worker that dies (the OOM killer, a crash in a library) breaks the pool; its documents are
    read again and the build completes with all of them."""
    db = tmp_path / "w.duckdb"
    proc, temp = _start_big_build(big_corpus, db)
    try:
        workers = children_of(proc.pid)
        assert workers, "the build has worker processes"
        os.kill(workers[0], signal.SIGKILL)
        out, err = proc.communicate(timeout=300)
    finally:
        reap_group(proc)
    assert proc.returncode == 0, err
    n = len(list(big_corpus.iterdir()))
    assert count(db, "documents") == n and count(db, "ingest_errors") == 0, err
    assert f"{n} documents ({n} processed" in out
    # the same metrics as an undisturbed build
    build(big_corpus, tmp_path / "calm.duckdb", workers=2)
    assert metric_rows(db) == metric_rows(tmp_path / "calm.duckdb")


def test_build_interrupted_in_process_keeps_the_warehouse_and_removes_its_temporary_file(tmp_path):
    """Ctrl-C while documents are processed (here raised by the build's own log callback when it
    reports the first bad document) leaves the warehouse as it was, and no temporary file."""
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    build(raw, db, workers=2)
    before = metric_rows(db)
    generate_corpus(raw, n_docs=20, sentences_per_doc=8, seed=9)
    (raw / "empty.txt").write_bytes(b"")
    seen = []

    def interrupt(msg: str) -> None:
        seen.append(msg)
        assert list(tmp_path.glob(".w.duckdb.building-*")), "called while the new warehouse is written"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(raw, db, workers=2, log=interrupt)
    assert seen and "empty.txt" in seen[0]
    assert metric_rows(db) == before
    assert not list(tmp_path.glob(".w.duckdb.building-*"))


def test_build_refuses_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        build(tmp_path / "nope", tmp_path / "w.duckdb")
    assert not (tmp_path / "w.duckdb").exists()


def test_next_build_removes_leftovers_of_dead_builds_only(tmp_path):
    """A dead build's temporary file, its write-ahead log and spill folder go (also a log left
    alone); the file of a build still running (a live process) stays."""
    raw, db = copy_raw(tmp_path / "raw"), tmp_path / "w.duckdb"
    dead_pid, orphan_pid = (int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                                               capture_output=True, text=True).stdout) for _ in range(2))
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        leftovers = [tmp_path / f".w.duckdb.building-{dead_pid}", tmp_path / f".w.duckdb.building-{dead_pid}.wal",
                     tmp_path / f".w.duckdb.building-{orphan_pid}.wal"]   # a log whose file is gone
        for p in leftovers:
            p.write_bytes(b"half a warehouse")
        (tmp_path / f".w.duckdb.building-{dead_pid}.tmp").mkdir()
        running = tmp_path / f".w.duckdb.building-{alive.pid}"
        running.write_bytes(b"being written")
        lines = []
        build(raw, db, workers=2, log=lines.append)
        assert not any(p.exists() for p in leftovers)
        assert not (tmp_path / f".w.duckdb.building-{dead_pid}.tmp").exists()
        assert running.exists(), "another build may still be writing it"
        assert sum("left by a build that did not finish" in line for line in lines) == 2
    finally:
        alive.kill()
        alive.wait()


def test_a_fall_is_stored_negative_in_the_warehouse_and_exported_with_its_verb(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bulletin.txt").write_text(
        "某市2024年生态环境状况公报\n2024年,全市PM2.5平均浓度为29.3微克/立方米,同比下降2.7%;"
        "优良天数比例为88.1%,同比上升1.2个百分点。\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    build(raw, db, workers=1)
    rows = query(db, "SELECT indicator, value, unit, change_verb FROM metrics WHERE kind = 'change' ORDER BY value")
    assert rows == [("PM2.5浓度", -2.7, "%", "下降"), ("优良天数比例", 1.2, "个百分点", "上升")]
    assert query(db, "SELECT count(*) FROM metrics WHERE kind <> 'change' AND value < 0") == [(0,)]
    out = tmp_path / "m.csv"
    export_metrics(db, out, include_undated=True, min_confidence=0)
    text = out.read_text(encoding="utf-8")
    assert "change_verb" in text.splitlines()[0] and ",-2.7," in text
