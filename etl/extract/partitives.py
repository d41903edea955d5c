"""Sentences that turn to the parts of the whole just reported.

'全市PM2.5平均浓度为24微克/立方米。各县区中，甲县为18微克/立方米，乙县为21微克/立方米。':
the second sentence names no indicator; it opens on a partitive phrase (其中, 各县区中,
16个城市中, 分区域看 …: cues.toml [inherit] part_openers) and goes on speaking of the
indicator of the sentence before, place by place."""
from __future__ import annotations

import functools
import re

from etl import catalog


@functools.cache
def _openers() -> re.Pattern:
    return re.compile(r"\s*(?:" + "|".join(catalog.cues()["inherit"]["part_openers"]) + ")")


def opens_on_part(sentence_text: str) -> bool:
    """Whether a sentence opens on a phrase turning to the parts of the whole before it."""
    return bool(_openers().match(sentence_text))


@functools.cache
def _part_of() -> re.Pattern:
    return re.compile("|".join(catalog.cues()["region"]["part_of"]))


def part_goes_on(text: str, sentences: list[tuple[int, int]], sentence: tuple[int, int],
                 value_starts: list[int]) -> bool:
    """'长株潭地区平均优良天数比例为73.2%。PM2.5浓度为52微克/立方米。': the sentence just before, naming
    no place, opened on a part of the region (cues.toml region.part_of) before its first value; a
    sentence naming no place of its own goes on speaking of that part, not of the region."""
    before = [s for s in sentences if s[1] <= sentence[0]]
    if not before:
        return False
    s_start, s_end = before[-1]
    first = next((x for x in value_starts if s_start <= x < s_end), None)
    return first is not None and bool(_part_of().search(text, s_start, first))
