"""The place a sentence without figures is about carries to the period-led sentence after it.

'…京津冀及周边地区的空气质量有所反弹。1月至6月，平均优良天数比例为47.5%' : the second sentence
opens on a period and names no place; the sentence before it gave no figure (so no subject by
subjects.subject_of's rule) but is about one place only. Its figures are that place's, not those
of the paragraph before or the document's own region. Where an event was held ('某部在北京召开
发布会。') is no such subject."""
from __future__ import annotations

import re

from etl.catalog.gazetteer import RegionMention

EVENT_PLACE = re.compile(r"(?:在|于|赴|到)\s*$")


def place_said_before(text: str, sentences: list[tuple[int, int]], regions: list[RegionMention],
                      value_starts: list[int], sentence_start: int) -> RegionMention | None:
    """The one place the sentence right before `sentence_start` names, when it gives no value."""
    before = [(s, e) for s, e in sentences if e <= sentence_start]
    if not before:
        return None
    s, e = before[-1]
    if any(s <= x < e for x in value_starts):
        return None
    named = [r for r in regions if s <= r.start and r.end <= e and r.level != "self"]
    if not named or len({r.name for r in named}) > 1 or EVENT_PLACE.search(text, 0, named[-1].start):
        return None
    return named[-1]


def part_said_before(text: str, sentences: list[tuple[int, int]], regions: list[RegionMention],
                     value_starts: list[int], sentence_start: int, part: re.Pattern) -> bool:
    """Whether the sentence right before `sentence_start` gives no value, names no place and opens
    on a part of the region (`part`: cues.toml region.part_of): '某海近岸海域水质一般,主要污染指标为
    无机氮。一类海水比例为19.8%,…' speaks of that sea's coastal waters, not of the document's region."""
    before = [(s, e) for s, e in sentences if e <= sentence_start]
    if not before:
        return False
    s, e = before[-1]
    if any(s <= x < e for x in value_starts) or any(s <= r.start < e for r in regions):
        return False
    opening = len(text[s:e]) - len(text[s:e].lstrip())
    return bool(part.match(text, s + opening, e))
