"""Adding documents from the dashboard (dashboard/upload.py and the Data page's upload tab).

Unit tests of the file-name sanitiser (with hypothesis) and of the checks; then the
whole path on a real raw folder and a warehouse built by the real ETL in tmp: a good
document shows up through the dashboard's own query functions and pages without a
restart, and every kind of bad upload says why, leaves no file behind and leaves
the warehouse byte for byte as it was.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
import unicodedata
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import db, queries, upload
from dashboard.pages import data as data_page
from dashboard.upload import Rejected, add_document, check_upload, sanitize_filename, unique_path
from tests.test_robustness import docx_bytes

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
APP = str(ROOT / "app.py")

# a small real report: values the bundled corpus does not have (拉萨市), so they can be looked for
LHASA = ("拉萨市2024年生态环境状况公报\n\n"
         "2024年，拉萨市环境空气质量优良天数比例为99.7%，PM2.5年均浓度为9.8微克/立方米，同比下降5.8%。\n\n"
         "2024年，拉萨市地表水国控断面水质优良比例为100%。\n")
HOSTILE_NAMES = ["../../etc/passwd", "..", ".", ".bashrc", "..\\..\\boot.ini", "C:\\Windows\\x.txt",
                 "/absolute/path.pdf", "a/../../b.txt", "\x00\x01\x1f.txt", "\u202etxt.exe", "名\u200b字.txt",
                 "CON.txt", "nul", "-rf.txt", " .txt", "．．／．．／x.txt", "x" * 1000 + ".pdf", "报" * 300 + ".docx",
                 "a:b*c?d\"e<f>g|h.txt", "$(rm -rf ~).txt", "`id`.html", "'; DROP TABLE metrics; --.txt"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- the sanitiser ----------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("2024年北京市生态环境状况公报.PDF", "2024年北京市生态环境状况公报.pdf"),
    ("报告 (1).docx", "报告_(1).docx"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\报告.txt", "报告.txt"),
    (".bashrc", "bashrc"),
    ("..", "document"),
    ("a\x00b\u202e.txt", "ab.txt"),
    ("a..b...txt", "a.b.txt"),
    ("CON.txt", "document_CON.txt"),
    ("／etc／passwd.txt", "passwd.txt"),   # full-width slashes are slashes too
])
def test_sanitize_examples(name, expected):
    assert sanitize_filename(name) == expected


def _assert_safe(name: str, out: str, folder: Path) -> None:
    assert out and "/" not in out and "\\" not in out, (name, out)
    assert ".." not in out and not out.startswith((".", "-")), (name, out)
    assert not any(unicodedata.category(ch)[0] == "C" for ch in out), (name, out)
    assert len(out.encode("utf-8")) <= upload.MAX_NAME_BYTES
    joined = (folder / out).resolve()
    assert joined.parent == folder.resolve() and joined.name == out
    assert sanitize_filename(out) == out  # a safe name is left as it is


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.one_of(st.text(max_size=400), st.sampled_from(HOSTILE_NAMES),
                      st.lists(st.sampled_from(["..", ".", "/", "\\", "a", "报", " ", "\x00", "\n", ".txt", "．"]),
                               max_size=30).map("".join)))
@example(name="\u0085\u2028\u2029.txt")
@example(name="0.0000000sm_x")   # the extension cut at 10 characters ends on "_"
def test_sanitized_names_stay_in_the_uploads_folder(name, tmp_path):
    _assert_safe(name, sanitize_filename(name), tmp_path / "uploads")


def test_sanitizer_keeps_chinese_and_collisions_get_a_suffix(tmp_path):
    assert sanitize_filename("生态环境公报（2024）.txt") == "生态环境公报(2024).txt"
    (tmp_path / "公报.txt").write_text("x")
    (tmp_path / "公报-2.txt").write_text("x")
    assert unique_path(tmp_path, "公报.txt").name == "公报-3.txt"
    assert unique_path(tmp_path, "新.txt").name == "新.txt"


# ---- the checks -----------------------------------------------------------------------------

def pdf_without_text() -> bytes:
    """A PDF page that only holds a drawing: a real PDF whose text layer is empty, like a scan."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    for y in range(20, 200, 12):
        pdf.line(20, y, 190, y)
    return bytes(pdf.output())


def test_checks_take_the_four_kinds_and_look_at_the_content():
    assert check_upload("a.txt", LHASA.encode("utf-8")) == "txt"
    assert check_upload("a.txt", LHASA.encode("gb18030")) == "txt"
    assert check_upload("a.html", f"<html><body><p>{LHASA}</p></body></html>".encode()) == "html"
    assert check_upload("a.HTM", b"<p>x</p>") == "html"
    assert check_upload("a.docx", docx_bytes([LHASA])) == "docx"
    assert check_upload("a.pdf", pdf_without_text()) == "pdf"  # readable or not is the ETL's call


@pytest.mark.parametrize("name, data, key", [
    ("empty.txt", b"", "upload_empty"),
    ("big.txt", b"x" * (upload.MAX_UPLOAD_BYTES + 1), "upload_too_big"),
    ("tool.exe", b"MZ\x90\x00", "upload_bad_type"),
    ("sheet.xlsx", b"PK\x03\x04", "upload_bad_type"),
    ("noext", b"text", "upload_bad_type"),
    ("../../etc/cron.d/job", b"* * * * * root x", "upload_bad_type"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "upload_unreadable"),  # content says PNG
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "upload_unreadable"),
    ("broken.docx", b"PK\x03\x04garbage", "upload_unreadable"),
    ("text.pdf", LHASA.encode(), "upload_mismatch"),               # a text file named .pdf
    ("report.docx", b"%PDF-1.4\n%%EOF\n", "upload_mismatch"),       # a PDF named .docx
    ("page.html", b"%PDF-1.4\n%%EOF\n", "upload_mismatch"),
])
def test_checks_reject(name, data, key):
    with pytest.raises(Rejected) as info:
        check_upload(name, data)
    assert info.value.key == key


def test_upload_limit_matches_the_server_setting():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == upload.MAX_UPLOAD_MB


# ---- end to end: a real raw folder and a warehouse built by the ETL ---------------------------------

@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """A copy of data/raw and its warehouse (real ETL) in tmp; the dashboard pointed at them."""
    from etl.warehouse import build_warehouse as build
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    for p in raw.iterdir():
        p.chmod(0o644)
    warehouse = tmp_path / "db" / "warehouse.duckdb"
    build(raw, warehouse, workers=1, log=lambda line: None)
    monkeypatch.setenv("EPW_DB", str(warehouse))
    monkeypatch.setenv("EPW_RAW", str(raw))
    return raw, warehouse


def snapshot(raw: Path, warehouse: Path) -> dict:
    """What a rejected upload must leave as it was."""
    return {"sha256": sha256(warehouse), "mtime_ns": warehouse.stat().st_mtime_ns,
            "raw": sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file()),
            "db_dir": sorted(p.name for p in warehouse.parent.iterdir() if not p.name.endswith(".upload.lock"))}


def lhasa_points(wh) -> dict:
    points = queries.trend_points(wh.con, wh.key, "pm25", ("拉萨市",), 2000, 2100, "1-12", ("actual",))
    return dict(zip(points["year"], points["value"]))


def test_good_upload_is_loaded_and_shown_without_a_restart(corpus):
    raw, warehouse = corpus
    before_docs = duckdb.connect(str(warehouse), read_only=True).execute("SELECT count(*) FROM documents").fetchone()[0]
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["regions"] = "拉萨市"
    at.run()
    assert not at.exception
    assert any("拉萨市" in w.value for w in at.warning)  # unknown before the upload
    wh = db.connect()
    assert lhasa_points(wh) == {}

    result = add_document("../拉萨市 2024 公报.txt", LHASA.encode("utf-8"), raw, warehouse)
    assert result.ok, result
    assert result.stored == "uploads/拉萨市_2024_公报.txt" and (raw / result.stored).read_text() == LHASA
    assert result.processed == 1        # incremental: only the new document was read
    assert result.metrics >= 3 and result.doc_id
    assert not list(warehouse.parent.glob(".*.upload-*"))  # no scratch warehouse left
    # the scratch build's search index moved beside the warehouse with it, the old one gone
    with duckdb.connect(str(warehouse), read_only=True) as con:
        bid = con.execute("SELECT value FROM search_meta WHERE key = 'build_id'").fetchone()[0]
    assert [p.name for p in (warehouse.parent / (warehouse.name + ".search")).iterdir()] == [bid]

    # the dashboard's own functions, through a fresh connection keyed on the new mtime
    wh = db.connect()
    assert wh.key != "" and lhasa_points(wh) == {2024: 9.8}
    assert queries.counts(wh.con, wh.key)["documents"] == before_docs + 1
    assert "拉萨市" in set(queries.known_regions(wh.con, wh.key)["region"])
    # the Data page's list of uploads: documents()' rows under uploads/, and only those
    docs = queries.documents(wh.con, wh.key)
    mine = queries.documents_under(wh.con, wh.key, "uploads")
    assert list(mine["file"]) == ["uploads/拉萨市_2024_公报.txt"] and len(docs) > len(mine)
    pd.testing.assert_frame_equal(mine, docs[docs["file"].str.startswith("uploads/")].reset_index(drop=True))
    # and the page: the same AppTest session, run again, draws the new series
    at.query_params["regions"] = "拉萨市"
    at.run()
    assert not at.exception and not at.warning
    chart = at.get("plotly_chart")[0]
    assert "拉萨市" in chart.proto.spec and at.multiselect(key="trends.regions").value == ["拉萨市"]

    # the same name again (other bytes): a suffix, not an overwrite
    second = add_document("拉萨市 2024 公报.txt", (LHASA + "\n2024年，拉萨市声环境质量良好。\n").encode(), raw, warehouse)
    assert second.ok and second.stored == "uploads/拉萨市_2024_公报-2.txt"
    assert (raw / result.stored).read_text() == LHASA


@pytest.mark.parametrize("name, make, key, says", [
    ("tool.exe", lambda: b"MZ\x90\x00binary", "upload_bad_type", ".exe"),
    ("big.txt", lambda: ("2024年，拉萨市PM2.5年均浓度为9.8微克/立方米。" * 20).encode(), "upload_too_big", "500 B"),
    ("text.pdf", lambda: LHASA.encode(), "upload_mismatch", "TXT"),
    ("empty.txt", lambda: b"", "upload_empty", None),
    # read by the ETL, which cannot: the message is the one the build records in ingest_errors
    ("noise.txt", lambda: bytes(range(256)) * 40, "upload_unreadable", "control characters"),
    ("scan.pdf", pdf_without_text, "upload_unreadable", None),
    ("copy.txt", lambda: (RAW / sorted(os.listdir(RAW))[0]).read_bytes(), "upload_duplicate", "000_"),
])
def test_bad_upload_says_why_and_changes_nothing(corpus, name, make, key, says):
    raw, warehouse = corpus
    before = snapshot(raw, warehouse)
    wh = db.connect()
    counts = queries.counts(wh.con, wh.key)
    result = add_document(name, make(), raw, warehouse, max_bytes=500 if name == "big.txt" else upload.MAX_UPLOAD_BYTES)
    assert not result.ok and result.key == key, result
    if says:
        assert says in " ".join(map(str, result.values.values()))
    assert snapshot(raw, warehouse) == before     # same bytes, same mtime, no file left anywhere
    assert db.connect().key == wh.key and queries.counts(wh.con, wh.key) == counts
    # what the page says: why, and that nothing changed
    (kind, text), = data_page.upload_messages(result)
    assert kind == "error" and "未做任何更改" in text


def test_unreadable_upload_reports_the_etl_message(corpus):
    raw, warehouse = corpus
    result = add_document("scan.pdf", pdf_without_text(), raw, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM ingest_errors WHERE file LIKE 'uploads/%'").fetchone()[0] == 0
    con.close()
    assert result.key == "upload_unreadable" and result.values["error"]
    assert not (raw / "uploads").exists() or not any((raw / "uploads").iterdir())


def test_upload_refuses_a_warehouse_built_from_another_folder(corpus, tmp_path):
    """EPW_RAW and EPW_DB out of step: adding must not drop the warehouse's documents."""
    _, warehouse = corpus
    other = tmp_path / "other_raw"
    other.mkdir()
    before = sha256(warehouse)
    result = add_document("lhasa.txt", LHASA.encode(), other, warehouse)
    assert not result.ok and result.key == "upload_would_drop"
    assert sha256(warehouse) == before and not any((other / "uploads").iterdir())


def test_dashboard_sees_a_warehouse_swapped_under_it(corpus, tmp_path):
    """A build renames a new file over the warehouse while the dashboard holds a connection to the
    old one. DuckDB's instance cache hands a new connect() of the same path the old, still open,
    database: the connection must be opened so that it reads the new file."""
    raw, warehouse = corpus
    wh = db.connect()
    n_before = queries.counts(wh.con, wh.key)["documents"]
    other = tmp_path / "next.duckdb"
    shutil.copy2(warehouse, other)
    con = duckdb.connect(str(other))
    con.execute("DELETE FROM metrics; DELETE FROM paragraphs; DELETE FROM documents WHERE doc_id <> "
                "(SELECT min(doc_id) FROM documents)")
    con.close()
    os.replace(other, warehouse)
    os.utime(warehouse, ns=(wh_ns := warehouse.stat().st_mtime_ns + 10**9, wh_ns))
    fresh = db.connect()
    assert fresh.key != wh.key
    assert queries.counts(fresh.con, fresh.key)["documents"] == 1 != n_before
    assert wh.con.execute("SELECT count(*) FROM documents").fetchone()[0] == n_before  # old readers carry on


def test_upload_tab_renders(corpus):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["page"] = "data"
    at.query_params["tab"] = "upload"
    at.run()
    assert not at.exception
    assert at.button(key="data.upload.go").disabled  # nothing picked yet
    assert any(f"{upload.MAX_UPLOAD_MB} MB" in c.value for c in at.caption)


def test_upload_into_a_folder_that_cannot_be_written_says_so(corpus, monkeypatch):
    raw, warehouse = corpus
    before = sha256(warehouse)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(upload, "_write", refuse)
    result = add_document("lhasa.txt", LHASA.encode(), raw, warehouse)
    assert not result.ok and result.key == "upload_failed" and "Permission denied" in result.values["error"]
    assert sha256(warehouse) == before
