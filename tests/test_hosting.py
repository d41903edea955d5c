"""Hosted deployments: a prebuilt warehouse installed at start (EPW_PREBUILT) and a durable
uploads folder (EPW_UPLOADS).

Real parts only: the warehouse is built by the real ETL from the bundled corpus and published
with `python -m etl publish`; it is served by a local HTTP server started here (never the
network); the dashboard is the real app under AppTest. A bad download (corrupt, oversized,
wrong checksum, other code, a 404, a server that never answers) must fall back to a build and
leave no partial file; uploads must land in the durable folder and come back after a restart on
a fresh warehouse.
"""
from __future__ import annotations

import email.utils
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db, upload
from etl import cli
from etl.warehouse import build_warehouse, prebuilt
from etl.warehouse import search_paragraphs
from etl.warehouse.search import tantivy_index
from tests.loopback import serve
from tests.test_upload import LHASA

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
APP = str(ROOT / "app.py")


# ---- a published warehouse and a server for it ---------------------------------------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    """The bundled corpus built by the real ETL and published: {path, sha256, bytes, raw}."""
    base = tmp_path_factory.mktemp("published")
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    build_warehouse(raw, base / "built.duckdb", workers=1, log=lambda line: None)
    assert cli.main(["publish", "--db", str(base / "built.duckdb"), "--out", str(base / "pub" / "w.duckdb")]) == 0
    out = base / "pub" / "w.duckdb"
    digest = (base / "pub" / "w.duckdb.sha256").read_text().split()[0]
    return {"path": out, "sha256": digest, "bytes": out.read_bytes(), "raw": raw}


class Site:
    """path -> (body, options): options 'delay' (seconds before answering), 'no_length',
    'status'; every file is Last-Modified `modified` (If-Modified-Since honoured with 304)."""

    def __init__(self):
        self.files: dict[str, tuple[bytes, dict]] = {}
        self.modified = time.time() - 3600
        self.requests: list[tuple[str, str | None]] = []   # (path, If-Modified-Since)

    def respond(self, path: str, request_headers) -> tuple[int, dict, bytes]:
        since = request_headers.get("If-Modified-Since")
        self.requests.append((path, since))
        body, options = self.files.get(path, (b"not found", {"status": 404}))
        time.sleep(options.get("delay", 0))
        if since and self.modified <= email.utils.parsedate_to_datetime(since).timestamp():
            return 304, {"X-No-Length": "1"}, b""
        headers = {"Content-Type": "application/octet-stream",
                   "Last-Modified": email.utils.formatdate(self.modified, usegmt=True)}
        if options.get("no_length"):
            headers["X-No-Length"] = "1"
        return options.get("status", 200), headers, body


@pytest.fixture()
def site():
    s = Site()
    with serve(s.respond) as s.base:
        yield s


def leftovers(folder: Path) -> list[str]:
    """Hidden files beside a warehouse: a partial download or build would be one (the build's
    shard cache, .NAME.shards, is kept on purpose)."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(".") and not p.name.endswith((".lock", ".shards")))


def documents(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT file FROM documents ORDER BY file").fetchall()]


# ---- installing a prebuilt warehouse -----------------------------------------------------------------

def test_a_published_warehouse_is_installed_once_and_then_kept(published, site, tmp_path):
    site.files["/w.duckdb"] = (published["bytes"], {})
    db_path = tmp_path / "serve" / "warehouse.duckdb"
    source = prebuilt.Source(f"{site.base}/w.duckdb", published["sha256"])
    outcome = prebuilt.install_within(source, db_path)
    assert outcome.installed and outcome.bytes == len(published["bytes"]), outcome
    assert db_path.read_bytes() == published["bytes"] and leftovers(db_path.parent) == []
    # the published file is the warehouse alone: its search index is built beside it on install
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert tantivy_index.index_for(con) is not None
        assert search_paragraphs(con, "空气质量", engine="tantivy").attrs["total"] > 0
    # the next start asks with If-Modified-Since and the server has nothing newer: kept, not fetched
    again = prebuilt.install_within(source, db_path)
    assert again.kept and not again.installed and "304" in again.reason
    assert site.requests[-1][1] is not None
    # a newer artefact on the server is installed
    site.modified = time.time() + 60
    assert prebuilt.install_within(source, db_path).installed


def test_a_path_is_installed_only_when_it_is_newer(published, tmp_path):
    db_path = tmp_path / "warehouse.duckdb"
    source = prebuilt.Source(str(published["path"]))
    assert prebuilt.install(source, db_path).installed
    kept = prebuilt.install(source, db_path)
    assert kept.kept and kept.reason == "the local warehouse is current"
    os.utime(published["path"], (time.time() + 60, time.time() + 60))
    try:
        assert prebuilt.install(source, db_path).installed
    finally:
        os.utime(published["path"])


def other_code(published, tmp_path) -> bytes:
    """The published warehouse as if another commit had built it."""
    copy = tmp_path / "other.duckdb"
    shutil.copy(published["path"], copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE build_info SET value = 'ffffffffffffffff' WHERE key = 'fingerprint'")
    return copy.read_bytes()


@pytest.mark.parametrize("case, says", [
    ("corrupt", "not a DuckDB warehouse"),
    ("truncated", "not a DuckDB warehouse"),
    ("oversized", "too large"),
    ("oversized_no_length", "too large"),
    ("checksum", "is not EPW_PREBUILT_SHA256"),
    ("other_code", "built by other code"),
    ("missing", "HTTP 404"),
    ("empty", "empty"),
])
def test_a_bad_download_is_refused_and_leaves_nothing(published, site, tmp_path, case, says):
    good = published["bytes"]
    body, options, sha, max_mb = {
        "corrupt": (b"\x00garbage" * 1000, {}, "", 64),
        "truncated": (good[: len(good) // 2], {}, "", 64),
        "oversized": (good, {}, "", 1),
        "oversized_no_length": (good, {"no_length": True}, "", 1),
        "checksum": (good, {}, "0" * 64, 64),
        "other_code": (other_code(published, tmp_path), {}, "", 64),
        "missing": (b"", {"status": 404}, "", 64),
        "empty": (b"", {}, "", 64),
    }[case]
    site.files["/w.duckdb"] = (body, options)
    db_path = tmp_path / "serve" / "warehouse.duckdb"
    outcome = prebuilt.install_within(prebuilt.Source(f"{site.base}/w.duckdb", sha, max_mb * 2**20), db_path)
    assert not outcome.ok and says in outcome.reason, outcome
    assert not db_path.exists() and leftovers(db_path.parent) == []
    assert not any(tantivy_index.folder_of(db_path).glob("*"))     # no search index either


def test_a_server_that_does_not_answer_costs_the_timeout_and_leaves_nothing(published, site, tmp_path):
    site.files["/slow.duckdb"] = (published["bytes"], {"delay": 3})
    db_path = tmp_path / "warehouse.duckdb"
    started = time.monotonic()
    outcome = prebuilt.install_within(prebuilt.Source(f"{site.base}/slow.duckdb", timeout=1), db_path)
    assert time.monotonic() - started < 2
    assert not outcome.ok and "EPW_PREBUILT_TIMEOUT=1" in outcome.reason
    # the cancelled download ends on its own and cannot put anything in place
    time.sleep(4)
    assert not db_path.exists() and leftovers(tmp_path) == []


def test_publish_refuses_what_is_not_a_warehouse_of_this_code(published, tmp_path, capsys):
    (tmp_path / "other.duckdb").write_bytes(other_code(published, tmp_path))
    assert cli.main(["publish", "--db", str(tmp_path / "other.duckdb"), "--out", str(tmp_path / "o.duckdb")]) == 2
    assert "built by other code" in capsys.readouterr().err and not (tmp_path / "o.duckdb").exists()
    assert cli.main(["publish", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "o.duckdb")]) == 2


# ---- the dashboard's first start ----------------------------------------------------------------------

def first_render(monkeypatch, **env) -> tuple[AppTest, float]:
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    at = AppTest.from_file(APP, default_timeout=60)
    started = time.perf_counter()
    at.run()
    return at, time.perf_counter() - started


def test_first_visit_with_a_prebuilt_warehouse_does_not_build(published, site, tmp_path, monkeypatch):
    site.files["/w.duckdb"] = (published["bytes"], {})
    db_path = tmp_path / "ephemeral" / "warehouse.duckdb"
    # no documents at all: a build would fail and say so
    at, seconds = first_render(monkeypatch, EPW_DB=db_path, EPW_RAW=tmp_path / "no-such-folder",
                               EPW_PREBUILT=f"{site.base}/w.duckdb", EPW_PREBUILT_SHA256=published["sha256"])
    assert not at.exception and not at.error and not at.warning, [e.value for e in at.error]
    assert db_path.read_bytes() == published["bytes"]
    assert at.get("plotly_chart"), "the Trends page drew its chart"
    print(f"first render with a prebuilt warehouse: {seconds:.2f} s")


def test_a_corrupt_prebuilt_falls_back_to_a_build_with_a_message(published, site, tmp_path, monkeypatch):
    site.files["/w.duckdb"] = (b"not a warehouse" * 500, {})
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    db_path = tmp_path / "ephemeral" / "warehouse.duckdb"
    at, _ = first_render(monkeypatch, EPW_DB=db_path, EPW_RAW=raw, EPW_PREBUILT=f"{site.base}/w.duckdb")
    assert not at.exception and not at.error
    assert any("not a DuckDB warehouse" in w.value for w in at.warning), [w.value for w in at.warning]
    assert documents(db_path) == documents(published["path"])       # built from the documents
    assert leftovers(db_path.parent) == []
    at.run()                                                          # said once, not on every click
    assert not at.exception and not at.warning


# ---- a durable uploads folder ---------------------------------------------------------------------------

def test_uploads_live_in_the_durable_folder_and_come_back_after_a_restart(published, site, tmp_path, monkeypatch):
    raw, volume = tmp_path / "raw", tmp_path / "volume"
    shutil.copytree(RAW, raw)
    monkeypatch.setenv("EPW_UPLOADS", str(volume))
    first = tmp_path / "container-1" / "warehouse.duckdb"
    build_warehouse(raw, first, workers=1, log=lambda line: None)

    result = upload.add_document("拉萨市 2024 公报.txt", LHASA.encode(), raw, first,
                                 source_url="https://example.org/lasa-2024.html")
    assert result.ok and result.stored == "uploads/拉萨市_2024_公报.txt", result
    assert (volume / "拉萨市_2024_公报.txt").read_text() == LHASA
    assert not (raw / "uploads").exists()                              # nothing in the ephemeral folder
    assert "拉萨市_2024_公报.txt,https://example.org/lasa-2024.html" in (volume / "sources.csv").read_text()
    assert "uploads/拉萨市_2024_公报.txt" in documents(first)

    # a restart: a new container, its disk fresh; the prebuilt warehouse (no uploads in it) is served
    # at once and the durable folder's document is loaded in the background
    site.files["/w.duckdb"] = (published["bytes"], {})
    second = tmp_path / "container-2" / "warehouse.duckdb"
    at, _ = first_render(monkeypatch, EPW_DB=second, EPW_RAW=raw, EPW_PREBUILT=f"{site.base}/w.duckdb")
    assert not at.exception and not at.error
    assert any("1" in i.value for i in at.info), [i.value for i in at.info]   # "loading 1 document"
    assert db.wait_for_uploads(120)
    assert "uploads/拉萨市_2024_公报.txt" in documents(second)
    with duckdb.connect(str(second), read_only=True) as con:
        url, metrics = con.execute("SELECT source_url, n_metrics FROM documents WHERE file LIKE 'uploads/%'").fetchone()
    assert url == "https://example.org/lasa-2024.html" and metrics >= 3
    at.query_params["regions"] = "拉萨市"
    at.run()
    assert not at.exception and not at.warning and not at.info
    assert "拉萨市" in at.get("plotly_chart")[0].proto.spec

    # no prebuilt, no warehouse: the build at start reads the durable folder too
    third = tmp_path / "container-3" / "warehouse.duckdb"
    monkeypatch.delenv("EPW_PREBUILT")
    at, _ = first_render(monkeypatch, EPW_DB=third)
    assert not at.exception and not at.info
    assert documents(third) == documents(second)

    # and an upload is removed from the durable folder
    removed = upload.remove_document(result.stored, raw, third)
    assert removed.ok and not (volume / "拉萨市_2024_公报.txt").exists()
    assert "uploads/拉萨市_2024_公报.txt" not in documents(third)


def test_reports_added_by_link_go_to_the_durable_folder(site, tmp_path, monkeypatch):
    from tests.test_fetch import UTF8_PAGE
    raw, volume = tmp_path / "raw", tmp_path / "volume"
    shutil.copytree(RAW, raw)
    monkeypatch.setenv("EPW_UPLOADS", str(volume))
    warehouse = tmp_path / "warehouse.duckdb"
    build_warehouse(raw, warehouse, workers=1, log=lambda line: None)
    site.files["/news/yichang.html"] = (UTF8_PAGE, {})
    fetched, built = upload.add_links([f"{site.base}/news/yichang.html"], raw, warehouse)
    assert fetched[0].ok and built.ok, (fetched, built)
    stored = [p.relative_to(volume).as_posix() for p in volume.rglob("*.html")]
    assert len(stored) == 1 and stored[0].startswith("fetched/") and not (raw / "fetched").exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("SELECT file, source_url FROM documents WHERE file LIKE 'uploads/%'").fetchone()
    assert row == (f"uploads/{stored[0]}", f"{site.base}/news/yichang.html")
