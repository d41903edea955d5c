"""A list of places in an earlier part of a sentence ('…，甲市、乙市、丙市3市PM2.5达到二级标准；优良天数
比例平均为73.2%'): the places the list names are what that part speaks of (the cities that met a
standard, the cities whose figure rose), not the subject of a later part the sentence opens after a
semicolon. The later part's value keeps the sentence's own subject (the region named before the
list, or the page's), never the list. A list measured in its own part ('…西北诸河、西南诸河…比例为
83.5%；劣Ⅴ类…2.0%') is the sentence's subject and goes on. The boundary, the joining words and what
a measured figure is are data (cues.toml [region.listed_part])."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.catalog.gazetteer import RegionMention


@functools.cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    cue = catalog.cues()["region"]["listed_part"]
    return re.compile(cue["boundary"]), re.compile(cue["joined_by"]), re.compile(cue["measured"])


def outside_earlier_lists(text: str, before: list[RegionMention], value_start: int) -> list[RegionMention]:
    """The places of `before` (in text order, all before the value) less every run of two or more
    places joined one to the next that ends before the last part boundary ahead of the value and has
    no figure measured in its own part (up to the first boundary after it)."""
    boundary, joined, measured = _patterns()
    cut = max((m.end() for m in boundary.finditer(text, before[0].end if before else 0, value_start)), default=-1)
    if cut < 0:
        return before
    dropped: set[int] = set()
    run = [0] if before else []
    for i in range(1, len(before) + 1):
        if i < len(before) and joined.fullmatch(text, before[i - 1].end, before[i].start):
            run.append(i)
            continue
        end = before[run[-1]].end
        own_part = boundary.search(text, end, value_start)
        if len(run) > 1 and end <= cut and not measured.search(text, end, own_part.end() if own_part else cut):
            dropped.update(run)
        run = [i]
    return [r for i, r in enumerate(before) if i not in dropped]

