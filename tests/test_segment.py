"""Segment stage: paragraphs with raw offsets, readable passages, headings."""
from pathlib import Path

from etl.clean import clean
from etl.segment import MAX_CHARS, segment

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def test_every_paragraph_maps_back_to_its_raw_span():
    raw = (RAW / "003_5deb4dfa47148378.txt").read_text(encoding="utf-8")
    paragraphs = segment(clean(raw))
    assert len(paragraphs) > 50
    for p in paragraphs:
        assert raw[p.raw_start:p.raw_end].replace(" ", "") == p.text.replace(" ", "")


def test_a_30000_character_line_becomes_readable_passages():
    raw = (RAW / "001_345557d4f5c9075c.txt").read_text(encoding="utf-8")
    assert max(len(line) for line in raw.split("\n")) > 20000
    paragraphs = segment(clean(raw))
    assert all(len(p.text) <= MAX_CHARS for p in paragraphs)
    # passages end at sentence ends where the text has them
    ends = [p.text[-1] for p in paragraphs if len(p.text) > 100]
    assert sum(e in "。！？" for e in ends) / len(ends) > 0.8


def test_headings_are_remembered_by_the_paragraphs_under_them():
    raw = (RAW / "003_5deb4dfa47148378.txt").read_text(encoding="utf-8")
    paragraphs = segment(clean(raw))
    p = next(p for p in paragraphs if "具体为29.3" in p.text)
    assert p.heading.startswith("一、2024年生态环境保护工作取得重要进展")


def test_pdf_pages_are_kept():
    ct = clean("第一页的内容。\n第二页的内容。")
    paragraphs = segment(ct, page_starts=[0, 8])
    assert [p.page for p in paragraphs] == [1, 2]
