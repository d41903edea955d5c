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
        if reset is not None and reset.search(before[:g.start()].rstrip()[-2:]):
            continue   # '全省13个市(区)', '全市 11 个区县': the whole region, counted
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

    told = _told_apart(metrics, grouped)   # (before the per-key rule leaves the group's place unresolved)
    metrics = set_apart(metrics, grouped)
    for m in metrics:
        if m.indicator_id and m.kind in ("actual", "target") and m.region and m.region_code in told and grouped(m):
            m.unplace()
    return metrics


def _told_apart(metrics: list[Metric], grouped) -> set[str]:
    """The regions whose page gives a group's figure and the region's own, different, for one
    indicator and period ('全省平均优良天数27.1天' and '10个设区市…优良天数平均27.8天'): the page has
    told the group from the region, so the group's figures of its other indicators ('10个设区市…PM2.5
    平均浓度19') are the group's too."""
    def key(m: Metric):
        return m.indicator_id, m.region, m.year, m.months, m.kind

    levels = [m for m in metrics if m.indicator_id and m.region and m.kind in ("actual", "target")]
    group = {id(m): grouped(m) for m in levels}
    whole: dict = {}
    for m in levels:
        if not group[id(m)]:
            whole.setdefault(key(m), set()).add(m.value)
    return {m.region_code for m in levels if group[id(m)] and whole.get(key(m)) and m.value not in whole[key(m)]}
