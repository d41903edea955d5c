"""Lists of places, each with its bare number, sharing the unit written after the last one.

'各市PM2.5浓度:合肥38、芜湖33、黄山16微克/立方米': the numbers before the unit are listed as in
'11、24、59、35微克/立方米', each after the name of its place; values.py reads them through the
names (the reader then gives each number the place just before it)."""
from __future__ import annotations

from etl.catalog.gazetteer import find_regions

# a place's name is at most this long ('黔东南苗族侗族自治州' is longer, and is not written this way)
NAME_MAX_CHARS = 8


def name_start_before(text: str, pos: int, floor: int) -> int:
    """Where the name of a place written right before `pos` starts ('…、芜湖33': the 芜 before 33);
    `pos` itself when no place's name ends there."""
    start = max(floor, pos - NAME_MAX_CHARS)
    ending = [r for r in find_regions(text[start:pos]) if r.end == pos - start and r.level not in ("self", "redacted")]
    return start + ending[-1].start if ending else pos
