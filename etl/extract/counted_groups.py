"""A counted group of the region's places beside the region's own figure: '全省优良天数比例为80.1%'
and then '6个通道城市优良天数比例为75.3%' in one paragraph give one indicator of one region and
period twice. The second is said of a group of the region's cities (cues.toml [counted_group]),
so once the page has the whole's own figure the group's is not the region's: its region is left
unresolved. A counted group alone ('11个设区的市…达标率为97.6%') stays the region's."""
from __future__ import annotations

import functools
import re

from etl.catalog import cues
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
    def key(m: Metric):
        return m.indicator_id, m.region, m.year, m.months, m.kind

    def grouped(m: Metric) -> bool:
        if not 0 <= m.paragraph_seq < len(paragraphs) or m.para_start < 0:
            return False
        return _in_group(paragraphs[m.paragraph_seq].simplified[:m.para_start])

    candidates = [m for m in metrics if m.indicator_id and m.region and m.kind in ("actual", "target")]
    in_group = {id(m): grouped(m) for m in candidates}
    whole: dict = {}
    for m in candidates:
        if not in_group[id(m)]:
            whole.setdefault(key(m), set()).add(m.value)
    for m in candidates:
        if in_group[id(m)] and whole.get(key(m)) and m.value not in whole[key(m)]:
            m.region, m.region_code, m.region_source = None, None, "unresolved"
            m.confidence = round(max(0.05, m.confidence - 0.5), 2)
    return metrics
