"""Bad input never stops a build, and is named.

The corpus is made here, in tmp_path (no committed binaries): the bundled
reports, generated reports in GB18030, Big5, UTF-16, HTML and DOCX beside
their UTF-8 twins, and files that are empty, random, truncated, corrupt,
scanned, duplicated, oddly named, full of markup or of 40-digit numbers. Each
test runs the real `python -m etl build` on it.
"""
from __future__ import annotations

import csv
import io
import os
import random
import re
import time
from pathlib import Path

import pytest

from tests.test_build import (SAMPLES, generate_corpus, metric_rows, query, report_sentences, run_etl,
                              vary_numbers)

# --- documents ---------------------------------------------------------------------

# self-contained: every value names its year and region, so the file's form cannot change them
# a metric's span [raw_start, raw_end) of its document's text, from the pieces of document_text that overlap it
RAW_SPAN = """(SELECT string_agg(t.text[greatest(m.raw_start - t.char_start, 0) + 1:m.raw_end - t.char_start], ''
                               ORDER BY t.piece)
              FROM document_text t WHERE t.doc_id = m.doc_id AND t.char_start < m.raw_end
                                     AND t.char_start + length(t.text) > m.raw_start)"""
HTML_BODY = [
    "2024年，北京市PM2.5年均浓度为31.5微克/立方米，同比下降3.1%。",
    "2024年，北京市优良天数比例为79.2%。",
    "2024年，北京市地表水Ⅰ—Ⅲ类水质断面比例为74.2%。",
]
SCRIPT = ("var report = {pm25: '2023年北京市PM2.5年均浓度为99.9微克/立方米'};\n"
          "document.write('<p>2023年北京市优良天数比例为11.1%</p>'); for (var i = 0; i < 9; i++) {}\n")
STYLE = "body { color: #333; font: 14px/1.5 'Microsoft YaHei' } .content p { margin: 12px 0 }\n"
XSS = ("2024年，北京市PM2.5年均浓度为29.3微克/立方米。<script>alert(1)</script>\n"
       "2024年，北京市<b>优良天数比例</b>为87.2%。<img src=x onerror=alert(1)>\n"
       "javascript:alert(document.cookie) 2024年，北京市地表水Ⅰ—Ⅲ类水质断面比例为74.2%。\n")
FORTY = "1234567890123456789012345678901234567890"
BIG_NUMBERS = (f"2024年，北京市PM2.5年均浓度为{FORTY}微克/立方米。\n"
               f"2024年，全国共有{FORTY}个监测点位，优良天数比例为{FORTY}.5%。\n"
               "2024年，北京市优良天数比例为79.2%。\n")


IMPOSSIBLE_DATE = ("2023年北京市生态环境状况公报\n发布时间：2023年2月31日\n"
                   "2023年，北京市PM2.5年均浓度为32.4微克/立方米。\n")


def html_page(body: list[str]) -> str:
    scripts = "".join(f"<script>{SCRIPT}</script>" for _ in range(20))
    styles = "".join(f"<style>{STYLE}</style>" for _ in range(20))
    paragraphs = "".join(f"<p>{line}</p>" for line in body)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>2024年北京市生态环境状况</title>"
            f"{styles}{scripts}</head><body><div class='nav'><a href='/'>首页</a></div>{scripts}"
            f"<div class='content'>{paragraphs}</div><script>alert(1)</script>{styles}</body></html>")


def docx_bytes(lines: list[str]) -> bytes:
    import docx
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def text_pdf_bytes() -> bytes:
    from fpdf import FPDF
    pdf = FPDF()
    for _ in range(3):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, "In 2024 the average PM2.5 concentration was 29.3 ug/m3. " * 20)
    return bytes(pdf.output())


def scanned_pdf_bytes() -> bytes:
    """A page that is only a picture: no text layer at all."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw
    img = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(img)
    for y in range(20, 280, 14):
        draw.line([(30, y), (570, y)], fill="black", width=3)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buf.getvalue()), x=10, y=10, w=190)
    return bytes(pdf.output())


def traditional_lines(rng: random.Random, n: int) -> list[str]:
    """Report sentences in traditional script that Big5 can encode."""
    from opencc import OpenCC
    s2t = OpenCC("s2t")
    out = []
    for s in report_sentences():
        t = s2t.convert(vary_numbers(s, rng))
        try:
            t.encode("cp950")
        except UnicodeEncodeError:
            continue
        out.append(t)
        if len(out) == n:
            break
    return out


def build_corpus(root: Path) -> tuple[Path, Path, dict[str, str]]:
    """(all documents, the good ones alone, {bad file: what it is}) under root."""
    rng = random.Random(42)
    good: dict[str, bytes] = {p.name: p.read_bytes() for p in SAMPLES}
    gen = generate_corpus(root / "gen", n_docs=2, sentences_per_doc=40, seed=21)
    simplified = (gen / "gen_21_0000.txt").read_text(encoding="utf-8")
    traditional = "\n".join(traditional_lines(rng, 48)) + "\n"
    good.update({
        "2024年 空气质量 报告（终稿）.txt": (gen / "gen_21_0001.txt").read_bytes(),   # spaces, Chinese
        "twin simplified.txt": simplified.encode("utf-8"),
        "gb18030.txt": simplified.encode("gb18030"),
        "utf16.txt": simplified.encode("utf-16"),
        "report.docx": docx_bytes(simplified.splitlines()),
        "twin traditional.txt": traditional.encode("utf-8"),
        "big5.txt": traditional.encode("cp950"),
        "page.html": html_page(HTML_BODY).encode("utf-8"),
        "page twin.txt": "\n".join(HTML_BODY).encode("utf-8"),
        "脚本 注入.txt": XSS.encode("utf-8"),
        "big numbers.txt": BIG_NUMBERS.encode("utf-8"),
    })
    report = good["003_5deb4dfa47148378.txt"]
    cut = next(i for i in range(len(report) // 2, len(report)) if report[i] & 0xC0 == 0x80)
    docx = docx_bytes(simplified.splitlines() * 5)
    pdf = text_pdf_bytes()
    bad: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", "error"),
        "random.txt": (random.Random(1).randbytes(50_000), "error"),
        "truncated utf8.txt": (report[:cut], "warning"),          # readable: loaded, with a warning
        "corrupt.docx": (docx[:len(docx) // 2], "error"),
        "corrupt.pdf": (b"%PDF-1.7\n" + random.Random(2).randbytes(30_000), "error"),
        "truncated.pdf": (pdf[:len(pdf) // 2], "any"),
        "scanned.pdf": (scanned_pdf_bytes(), "error"),
        "zz 003 的副本.txt": (report, "duplicate"),                # sorts after the original: stored once
        "impossible date.txt": (IMPOSSIBLE_DATE.encode("utf-8"), "warning"),   # loaded, date left empty
    }
    everything, good_only = root / "all", root / "good"
    for folder, files in ((everything, {**good, **{k: v for k, (v, _) in bad.items()}}), (good_only, good)):
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
    return everything, good_only, {name: kind for name, (_, kind) in bad.items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("robust")
    everything, good_only, bad = build_corpus(root)
    built = {}
    for name, folder in (("all", everything), ("good", good_only)):
        db = root / f"{name}.duckdb"
        done = run_etl("build", "--raw", folder, "--db", db, "--quiet", "--workers", "2")
        built[name] = (db, done)
    return {"root": root, "all": everything, "good": good_only, "bad": bad, "built": built}


def _doc_metrics(db: Path, file: str) -> set[tuple]:
    """What a reader of the file gets out of it, whatever its form."""
    return set(query(db, """SELECT m.indicator, m.region, m.year, m.months, m.kind, m.value, m.value_text FROM metrics m
                            JOIN documents d USING (doc_id) WHERE d.file = ?""", [file]))


# --- the build finishes, the good documents are all there ----------------------------------

def test_build_of_bad_input_finishes_and_loses_no_good_document(corpus):
    db, done = corpus["built"]["all"]
    good_db, good_done = corpus["built"]["good"]
    assert done.returncode == 0, done.stderr
    assert good_done.returncode == 0 and "0 errors" in good_done.stdout, good_done.stderr
    good_files = {p.name for p in corpus["good"].iterdir()}
    stored = {f for (f,) in query(db, "SELECT file FROM documents")}
    assert good_files <= stored
    assert stored - good_files == {"truncated utf8.txt", "impossible date.txt"} | ({"truncated.pdf"} & stored)
    assert metric_rows(db, good_files) == metric_rows(good_db), "the good documents' rows are the same"
    n_good = query(good_db, "SELECT count(*) FROM metrics")[0][0]
    assert n_good > 200


def test_every_bad_file_is_named_with_its_reason(corpus):
    db, done = corpus["built"]["all"]
    rows = query(db, "SELECT file, stage, error FROM ingest_errors")
    by_file = {}
    for file, stage, error in rows:
        by_file.setdefault(file, []).append((stage, error))
    assert set(by_file) == set(corpus["bad"])
    for file, kind in corpus["bad"].items():
        [(stage, error)] = by_file[file]
        if kind == "error":
            assert stage not in ("warning", "duplicate"), (file, stage, error)
        elif kind != "any":
            assert stage == kind, (file, stage, error)
        assert len(error) >= 10
        # one console line names the file and says why
        assert f"{file}: {error}" in done.stderr, file
    assert "empty" in by_file["empty.txt"][0][1]
    assert "control characters" in by_file["random.txt"][0][1] or "not a text" in by_file["random.txt"][0][1]
    assert "DOCX" in by_file["corrupt.docx"][0][1]
    assert "PDF" in by_file["corrupt.pdf"][0][1]
    assert "text layer" in by_file["scanned.pdf"][0][1]
    assert "truncated" in by_file["truncated utf8.txt"][0][1] or "mid-character" in by_file["truncated utf8.txt"][0][1]
    assert "2023-02-31" in by_file["impossible date.txt"][0][1]


def test_impossible_publication_date_does_not_stop_the_build(corpus):
    """'发布时间：2023年2月31日' once failed the whole build (the DATE column refused the batch)."""
    db = corpus["built"]["all"][0]
    assert query(db, "SELECT published FROM documents WHERE file = 'impossible date.txt'") == [(None,)]
    assert ("PM2.5浓度", "北京市", 2023, "1-12", "actual", 32.4, "32.4") in _doc_metrics(db, "impossible date.txt")


def test_summary_counts_errors_but_not_warnings_or_duplicates(corpus):
    db, done = corpus["built"]["all"]
    n_errors = sum(1 for kind in corpus["bad"].values() if kind == "error")
    n_errors += query(db, """SELECT count(*) FROM ingest_errors
                             WHERE file = 'truncated.pdf' AND stage NOT IN ('warning', 'duplicate')""")[0][0]
    assert f", {n_errors} errors," in done.stdout
    assert f"{n_errors} document(s) could not be read" in done.stderr


def test_strict_turns_the_errors_into_exit_1(corpus, tmp_path):
    strict = run_etl("build", "--raw", corpus["all"], "--db", tmp_path / "w.duckdb", "--quiet", "--strict")
    assert strict.returncode == 1
    assert query(tmp_path / "w.duckdb", "SELECT count(*) FROM documents") == \
        query(corpus["built"]["all"][0], "SELECT count(*) FROM documents"), "the build still completed"
    good = run_etl("build", "--raw", corpus["good"], "--db", tmp_path / "good.duckdb", "--quiet", "--strict")
    assert good.returncode == 0 and "0 errors" in good.stdout


def test_duplicate_is_stored_once_and_noted(corpus):
    db, done = corpus["built"]["all"]
    files = [f for (f,) in query(db, "SELECT file FROM documents WHERE file IN ('003_5deb4dfa47148378.txt', "
                                     "'zz 003 的副本.txt')")]
    assert files == ["003_5deb4dfa47148378.txt"]
    assert query(db, "SELECT stage, error FROM ingest_errors WHERE file = 'zz 003 的副本.txt'") == [
        ("duplicate", "same bytes as 003_5deb4dfa47148378.txt; stored once")]
    assert "duplicate: zz 003 的副本.txt: same bytes as 003_5deb4dfa47148378.txt" in done.stderr


# --- documents in other forms read as their UTF-8 twins -------------------------------------

@pytest.mark.parametrize("variant, twin, encoding", [
    ("gb18030.txt", "twin simplified.txt", "gb18030"),
    ("utf16.txt", "twin simplified.txt", "utf-16"),
    ("big5.txt", "twin traditional.txt", "big5"),
    ("report.docx", "twin simplified.txt", None),
])
def test_encodings_and_formats_give_the_same_metrics_as_utf8(corpus, variant, twin, encoding):
    db = corpus["built"]["all"][0]
    expected = _doc_metrics(db, twin)
    assert len(expected) >= 10
    assert _doc_metrics(db, variant) == expected
    assert query(db, "SELECT encoding FROM documents WHERE file = ?", [variant]) == [(encoding,)]


def test_html_scripts_and_styles_are_not_read_as_text(corpus):
    db = corpus["built"]["all"][0]
    assert _doc_metrics(db, "page.html") == _doc_metrics(db, "page twin.txt")
    assert {v for *_, v in _doc_metrics(db, "page.html")} == {"31.5", "3.1", "79.2", "74.2"}
    texts = " ".join(t for (t,) in query(db, """SELECT p.text FROM paragraphs p JOIN documents d USING (doc_id)
                                                WHERE d.file = 'page.html'"""))
    for leftover in ("99.9", "11.1", "document.write", "var report", "alert", "font:", "margin"):
        assert leftover not in texts


def test_markup_and_javascript_in_text_are_kept_as_inert_text(corpus, tmp_path):
    db = corpus["built"]["all"][0]
    assert {v for *_, v in _doc_metrics(db, "脚本 注入.txt")} == {"29.3", "87.2", "74.2"}
    rows = query(db, f"""SELECT m.value_text, {RAW_SPAN}, p.text FROM metrics m
                         JOIN documents d USING (doc_id) JOIN paragraphs p USING (paragraph_id)
                         WHERE d.file = '脚本 注入.txt'""")
    assert rows and all(value == raw for value, raw, _ in rows)
    # exported evidence survives CSV quoting byte for byte
    assert any("<script>alert(1)</script>" in text for *_, text in rows)
    # exported evidence survives CSV quoting character for character
    out = tmp_path / "m.csv"
    assert run_etl("export", "--db", db, "--out", out).returncode == 0
    with out.open(encoding="utf-8", newline="") as f:
        exported = [r for r in csv.DictReader(f) if r["doc"] == "脚本 注入.txt"]
    assert {r["value_text"] for r in exported} == {"29.3", "87.2", "74.2"}
    for r in exported:
        assert r["value_text"] in r["evidence"] and any(r["evidence"] in text for *_, text in rows)


def test_forty_digit_numbers(corpus):
    db = corpus["built"]["all"][0]
    rows = query(db, """SELECT value_text, value, indicator FROM metrics JOIN documents d USING (doc_id)
                        WHERE d.file = 'big numbers.txt'""")
    assert ("79.2", 79.2, "优良天数比例") in rows, "the ordinary value beside them is read"
    for value_text, value, _ in rows:
        assert value == value and abs(value) != float("inf"), "no NaN or infinity in the warehouse"
        if FORTY in value_text:
            assert value == pytest.approx(float(value_text), rel=1e-12)


def test_number_too_long_for_a_float_gives_no_nan(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "huge.txt").write_text(f"2024年，全国共有{'9' * 400}个监测点位。\n", encoding="utf-8")
    done = run_etl("build", "--raw", raw, "--db", tmp_path / "w.duckdb", "--quiet")
    assert done.returncode == 0
    assert query(tmp_path / "w.duckdb", "SELECT count(*) FROM metrics WHERE isnan(value) OR isinf(value)") == [(0,)]


# --- a huge file on one line -----------------------------------------------------------------

# 5 MB by default: ten times any real report, and enough for anything quadratic in the length of a
# line to show; ETL_TEST_BIG_MB=50 runs the 50 MB case (about 140 s on a 2-core machine, most of it
# in metadata._own_region -> regions.find_regions over every passage).
BIG_MB = float(os.environ.get("ETL_TEST_BIG_MB", "5"))
BIG_NUMBER_SHARE = float(os.environ.get("ETL_TEST_BIG_NUMBER_SHARE", "0.02"))


def test_huge_single_line_file(tmp_path):
    """Scraped pages put whole reports on one line; this one is BIG_MB megabytes of report prose
    without a single newline, with values at its very start, middle and end. Line length is what this
    tests (cleaning, cutting into passages, offsets, memory), so most sentences are prose
    without numbers (2 % hold one): the extractor's cost per number is the same on any line and
    would only make the test slow. ETL_TEST_BIG_MB and ETL_TEST_BIG_NUMBER_SHARE change both."""
    rng = random.Random(5)
    with_numbers = [s for s in report_sentences() if "\n" not in s]
    prose = [s for s in re.findall(r"[^。\n]{8,300}。", "\n".join(p.read_text(encoding="utf-8") for p in SAMPLES))
             if not re.search(r"[\d零〇一二两三四五六七八九十百千万亿]", s)]
    markers = ["2021年，北京市PM2.5年均浓度为41.7微克/立方米。", "2022年，北京市PM2.5年均浓度为30.3微克/立方米。",
               "2023年，北京市PM2.5年均浓度为32.4微克/立方米。"]
    target = int(BIG_MB * 1_000_000)
    parts, size = [markers[0]], 0
    for half in (target // 2, target):
        while size < half:
            s = (vary_numbers(rng.choice(with_numbers), rng) if rng.random() < BIG_NUMBER_SHARE
                 else rng.choice(prose))
            parts.append(s)
            size += len(s.encode("utf-8"))
        parts.append(markers[1] if half < target else markers[2])
    raw = tmp_path / "raw"
    raw.mkdir()
    path = raw / "one line.txt"
    path.write_text("".join(parts), encoding="utf-8")
    assert path.stat().st_size >= target and b"\n" not in path.read_bytes()

    started = time.perf_counter()
    done = run_etl("build", "--raw", raw, "--db", tmp_path / "w.duckdb", "--quiet", timeout=600)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    print(f"\n{BIG_MB:g} MB single-line build: {seconds:.1f} s; {done.stdout.strip()}")
    db = tmp_path / "w.duckdb"
    assert query(db, "SELECT count(*) FROM ingest_errors") == [(0,)]
    n_paragraphs, longest = query(db, "SELECT count(*), max(length(text)) FROM paragraphs")[0]
    assert n_paragraphs > BIG_MB * 1000 and longest <= 420, "cut into passages a person can read"
    rows = query(db, f"""SELECT m.year, m.value_text, {RAW_SPAN}, m.raw_start
                        FROM metrics m JOIN documents d USING (doc_id)
                        WHERE m.region = '北京市' AND m.indicator = 'PM2.5浓度' AND m.year IN (2021, 2022, 2023)""")
    found = {(year, value) for year, value, raw_value, _ in rows if raw_value == value}
    assert {(2021, "41.7"), (2022, "30.3"), (2023, "32.4")} <= found
    assert max(start for *_, start in rows) > len("".join(parts)) - 100, "offsets hold at the very end"
    assert query(db, "SELECT count(*) FROM metrics")[0][0] > BIG_MB * BIG_NUMBER_SHARE * 100
