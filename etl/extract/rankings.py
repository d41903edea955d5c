"""Places named after their values, as rankings and spreads over places write them.

'各县区优良天数比例在76.7%(甲县)~100%(乙县)之间', 'PM2.5浓度最高为42微克/立方米(丙区)': a
value followed by one place in parentheses is that place's, whatever region the sentence named
before it (and a spread whose ends are so named gives each end to its place)."""
from __future__ import annotations

import re

from etl.catalog.gazetteer import RegionMention

OPEN = re.compile(r"\s*[(（]\s*")
CLOSE = re.compile(r"\s*[)）]")
# levels a value in a ranking can belong to (not 全省/该市: they are no place named after a value)
PLACE_LEVELS = ("province", "prefecture", "county", "grouping")


def place_after(text: str, value_end: int, regions: list[RegionMention]) -> RegionMention | None:
    """The one place written in parentheses right after a value ('76.7%(甲县)'), if any."""
    opened = OPEN.match(text, value_end)
    if not opened:
        return None
    place = next((r for r in regions if r.start == opened.end()), None)
    if place is None or place.level not in PLACE_LEVELS or not CLOSE.match(text, place.end):
        return None
    return place
