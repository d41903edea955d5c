"""Segment stage: clean text -> paragraphs a person can read in a drill-down.

A paragraph is a non-empty line. A line longer than MAX_CHARS (scraped pages
often put a whole report on one line) is cut at sentence ends into passages of
about TARGET_CHARS; a single sentence longer than MAX_CHARS is cut at semicolons,
then at clause ends (a semicolon is no cut otherwise: the parts after it share the
period and place its sentence opens with, '1—8月，…；PM2.5…；NO2…'); a table flattened onto
one line ('1 | 甲市 | 30 | 2 | 乙市 | …') is cut between cells. Headings (一、… / (二)… / 第三章…) are paragraphs too, and each paragraph
remembers the headings in force, which later tell the year a section reviews.
"""
from __future__ import annotations

import bisect
import re

from etl.clean import CleanText
from etl.model import Paragraph

TARGET_CHARS = 260
MAX_CHARS = 420

SENTENCE_END = re.compile(r"[。！？!?]+[”」』\"）)]*")
# a semicolon ends a part of a sentence that shares its lead ('1—8月，…为86.3%；PM2.5…；…'):
# a passage is cut there only when the whole sentence is too long
SEMICOLON = re.compile(r"[；;](?=\S)")
CLAUSE_END = re.compile(r"[，,、：:]")
CELL_END = re.compile(r"[|｜]")
TABLE_LINE_BARS = 6  # a line with this many bars is a table flattened onto one line: cut between cells
HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[章节部分篇]"
    r"|[【\[][^】\]]{1,20}[】\]])")
TOP_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}[章部分篇])")
HEADING_MAX_CHARS = 60


def segment(ct: CleanText, page_starts: list[int] | None = None,
            headings: list[str | None] | None = None) -> list[Paragraph]:
    """The segment stage: a pure function of the clean text (and PDF page starts). A document
    read in segments passes `headings`, [top, sub], the headings in force where the text starts,
    updated to those in force where it ends."""
    paragraphs: list[Paragraph] = []
    top_heading, sub_heading = headings or (None, None)
    pos = 0
    text = ct.text
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        start += len(line) - len(line.lstrip())
        end -= len(line) - len(line.rstrip())
        is_heading = len(stripped) <= HEADING_MAX_CHARS and bool(HEADING.match(stripped))
        if is_heading:
            if TOP_HEADING.match(stripped):
                top_heading, sub_heading = stripped, None
            else:
                sub_heading = stripped
        heading = " / ".join(h for h in (top_heading, sub_heading) if h) or None
        for s, e in _passages(text, start, end):
            raw_start, raw_end = ct.to_raw(s), ct.to_raw(e)
            paragraphs.append(Paragraph(
                seq=len(paragraphs), raw_start=raw_start, raw_end=max(raw_end, raw_start),
                text=text[s:e], simplified=ct.simplified[s:e], heading=heading,
                page=_page_of(raw_start, page_starts), clean_start=s))
    if headings is not None:
        headings[:] = [top_heading, sub_heading]
    return paragraphs


def _passages(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut [start, end) into passages of about TARGET_CHARS at sentence ends."""
    if end - start <= MAX_CHARS:
        return [(start, end)]
    if len(CELL_END.findall(text, start, end)) >= TABLE_LINE_BARS:
        cuts = [m.end() for m in CELL_END.finditer(text, start, end)]
        return _pack(start, end, cuts)
    cuts = [m.end() for m in SENTENCE_END.finditer(text, start, end)]
    pieces = _pack(start, end, cuts)
    out = []
    for s, e in pieces:  # a sentence longer than MAX_CHARS: cut at semicolons, clause ends, then anywhere
        if e - s <= MAX_CHARS:
            out.append((s, e))
            continue
        for ss, se in _pack(s, e, [m.end() for m in SEMICOLON.finditer(text, s, e)]):
            if se - ss <= MAX_CHARS:
                out.append((ss, se))
                continue
            clause_cuts = [m.end() for m in CLAUSE_END.finditer(text, ss, se)]
            for cs, ce in _pack(ss, se, clause_cuts):
                out.extend((i, min(i + MAX_CHARS, ce)) for i in range(cs, ce, MAX_CHARS))
    return out


def _pack(start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    """Group the pieces between cut points into passages near TARGET_CHARS, cutting
    before a piece that would push a passage past MAX_CHARS."""
    pieces, s, last = [], start, None
    for c in [*cuts, end]:
        if c <= s:
            continue
        if c - s > MAX_CHARS and last is not None:
            pieces.append((s, last))
            s = last
        if c - s >= TARGET_CHARS or c == end:
            pieces.append((s, c))
            s, last = c, None
        else:
            last = c
    # a short tail joins the passage before it when they fit together
    if len(pieces) > 1 and pieces[-1][1] - pieces[-2][0] <= MAX_CHARS:
        pieces[-2:] = [(pieces[-2][0], pieces[-1][1])]
    return pieces


def _page_of(raw_pos: int, page_starts: list[int] | None) -> int | None:
    """1-based PDF page holding raw_pos."""
    if not page_starts:
        return None
    return max(1, bisect.bisect_right(page_starts, raw_pos))
