"""A counted group of the region's places beside the region's own figure: '全省优良天数比例为80.1%'
and then '6个通道城市优良天数比例为75.3%' in one paragraph give one indicator of one region and
period twice. The second is said of a group of the region's cities (cues.toml [counted_group]),
so once the page has the whole's own figure the group's is not the region's: its region is left
unresolved. A counted group alone ('11个设区的市…达标率为97.6%') stays the region's."""
from __future__ import annotations

import functools
import re

from etl.catalog import cues
from etl.extract.scoped import set_apart
from etl.model import Metric, Paragraph


@functools.cache
def _patterns() -> tuple[re.Pattern | None, re.Pattern | None]:
    pattern = cues().get("counted_group", {}).get("pattern")
    reset = cues().get("scope", {}).get("reset", [])
    return (re.compile(pattern) if pattern else None,
            re.compile("|".join(map(re.escape, reset))) if reset else None)


def _in_group(before: str) -> bool:
    """Whether the paragraph up to a value last names a counted group (not a region-wide count)."""
    group, reset = _patterns()
    if group is None:
        return False
    last_group = -1
    for g in group.finditer(before):
        if reset is not None and reset.search(before[max(0, g.start() - 2):g.start()]):
            continue   # '全省13个市(区)': the whole region, counted
        last_group = g.end()
    if last_group < 0:
        return False
    return reset is None or not reset.search(before, last_group)


def set_apart_groups(metrics: list[Metric], paragraphs: list[Paragraph]) -> list[Metric]:
    """Values of a counted group whose page also gives the region's own (other) value unresolved."""
    def grouped(m: Metric) -> bool:
        if not 0 <= m.paragraph_seq < len(paragraphs) or m.para_start < 0:
            return False
        return _in_group(paragraphs[m.paragraph_seq].simplified[:m.para_start])

    return set_apart(metrics, grouped)
