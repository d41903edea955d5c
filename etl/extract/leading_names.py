"""Names written as a clause right before the share they take: '水质达到或优于地表水环境质量Ⅲ类标准
的省控断面占72.9%', '水质符合Ⅲ类标准的监测断面所占比例为88%'. The sections are qualified by the
standard they meet, in words no alias holds (the standard's full title, the network between); the
clause is read as the indicator's name when 占 (or 所占比例) follows it (cues.toml
[link.leading_names]: one pattern a line, each for the indicator it is listed under)."""
from __future__ import annotations

import functools
import re

from etl import catalog

SHARE_NEXT = r"(?=\s*(?:数)?\s*(?:所)?占)"


@functools.cache
def _patterns() -> list[tuple[re.Pattern, tuple[catalog.Indicator, ...]]]:
    by_id = {ind.indicator_id: ind for ind in catalog.indicators()}
    named = catalog.cues()["link"].get("leading_names", {})
    return [(re.compile(r"(?:" + pattern + ")" + SHARE_NEXT), (by_id[ind_id],))
            for ind_id, patterns in named.items() for pattern in patterns]


def leading_names(text: str) -> list[tuple[int, int, str, tuple[catalog.Indicator, ...]]]:
    """(start, end, name, indicators) of each name written as a clause before its share's 占."""
    return [(m.start(), m.end(), indicators[0].name_zh, indicators)
            for pattern, indicators in _patterns() for m in pattern.finditer(text)]
