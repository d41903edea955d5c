"""Parts of a region whose reach ends with their clause (cues.toml region.part_in_clause).

'PM2.5未达标城市平均浓度为40…;劣Ⅴ类断面比例为8%': the cities that miss a standard are a group picked
by their own level, so the concentration given for them is theirs, not the region's; the next
clause after a semicolon or a full stop speaks of the region again. (region.part_of's parts reach
to the end of their sentence: '168个城市平均…;PM2.5浓度…' goes on with the group.)"""
from __future__ import annotations

import re

from etl import catalog
from etl.extract.asides import in_aside

CLAUSE_STOP = re.compile(r"[；;。]")


def new_point_after(text: str, value_starts: list[int], start: int, end: int) -> bool:
    """Whether a new numbered point ('二是…', '(三)…': cues.toml region.new_point) opens between the
    last value given before `end` (after `start`) and `end`: the part an earlier point's figures were
    of does not go on into it ('一是某溪流域…比例达100%。二是海洋…。近岸海域…为96.2%')."""
    last = max((x for x in value_starts if start <= x < end), default=start)
    return bool(catalog.cue_pattern("region", "new_point").search(text, last, end))


def clause_part_before(text: str, start: int, end: int, asides=()) -> bool:
    """Whether text[start:end] names a clause-bound part whose clause the value at `end` is in
    (not one named inside a closed aside: `asides`, spans)."""
    return any(not CLAUSE_STOP.search(text, m.end(), end) and not in_aside(asides, m.start(), m.end())
               for m in catalog.cue_pattern("region", "part_in_clause").finditer(text, start, end))
