"""Lists of places, each with its bare number, sharing the unit written after the last one.

'各市PM2.5浓度:合肥38、芜湖33、黄山16微克/立方米': the numbers before the unit are listed as in
'11、24、59、35微克/立方米', each after the name of its place; values.py reads them through the
names (the reader then gives each number the place just before it)."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.catalog.gazetteer import RegionMention, find_regions

# a place's name is at most this long ('黔东南苗族侗族自治州' is longer, and is not written this way)
NAME_MAX_CHARS = 8


def name_start_before(text: str, pos: int, floor: int) -> int:
    """Where the name of a place written right before `pos` starts ('…、芜湖33': the 芜 before 33);
    `pos` itself when no place's name ends there."""
    start = max(floor, pos - NAME_MAX_CHARS)
    ending = [r for r in find_regions(text[start:pos]) if r.end == pos - start and r.level not in ("self", "redacted")]
    return start + ending[-1].start if ending else pos


# the marks a listed place stands between: '甲县、泾县和乙县', '泾县96.8%', '(泾县)'
LISTED_BEFORE = "、和及与，,：:（("
LISTED_AFTER = "、和及与，,）)"


@functools.cache
def _short_counties() -> tuple[dict[str, str], re.Pattern | None]:
    """The two-character counties of cues.toml [tables.row_label_regions] and one pattern finding
    them all (a pattern a name, run over every paragraph, cost a tenth of a worker's time)."""
    codes = {n: c for n, c in catalog.cues()["tables"].get("row_label_regions", {}).items() if len(n) == 2}
    return codes, re.compile("|".join(map(re.escape, codes))) if codes else None


def with_listed_counties(text: str, regions: tuple[RegionMention, ...]) -> tuple[RegionMention, ...]:
    """The regions of a paragraph, with the counties of two-character names (泾县, 歙县: cues.toml
    [tables.row_label_regions], left out of the gazetteer's running text) where they stand as
    members of a list of places ('绩溪县、泾县和郎溪县', '泾县96.8%'), in a paragraph naming other
    places."""
    if not regions:
        return regions
    codes, pattern = _short_counties()
    added = []
    for m in pattern.finditer(text) if pattern else ():
        before = text[m.start() - 1] if m.start() else "、"
        after = text[m.end()] if m.end() < len(text) else "、"
        if (before in LISTED_BEFORE and (after in LISTED_AFTER or after.isdigit())
                and not any(r.start < m.end() and m.start() < r.end for r in regions)):
            added.append(RegionMention(m.group(0), codes[m.group(0)], "county", m.start(), m.end()))
    return type(regions)(sorted([*regions, *added], key=lambda r: r.start)) if added else regions
