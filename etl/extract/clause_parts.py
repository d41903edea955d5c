"""Parts of a region whose reach ends with their clause (cues.toml region.part_in_clause).

'PM2.5未达标城市平均浓度为40…;劣Ⅴ类断面比例为8%': the cities that miss a standard are a group picked
by their own level, so the concentration given for them is theirs, not the region's; the next
clause after a semicolon or a full stop speaks of the region again. (region.part_of's parts reach
to the end of their sentence: '168个城市平均…;PM2.5浓度…' goes on with the group.)"""
from __future__ import annotations

import re

from etl import catalog

CLAUSE_STOP = re.compile(r"[；;。]")


def clause_part_before(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] names a clause-bound part whose clause the value at `end` is in."""
    return any(not CLAUSE_STOP.search(text, m.end(), end)
               for m in catalog.cue_pattern("region", "part_in_clause").finditer(text, start, end))
