"""Names written after their share: '湖州市96.2%的断面水质达到或优于Ⅲ类' is the share of good
sections, '12.5%的断面为劣Ⅴ类' that of the worst. The share comes first and the sections (or
days) it counts follow, so no alias stands before the value; the phrase after it is read as the
indicator's name (cues.toml [link.trailing_names]: one pattern a line, matched right after
'的'). The reader already takes a name that starts within two characters after a value."""
from __future__ import annotations

import functools
import re

from etl import catalog


@functools.cache
def _patterns() -> list[tuple[re.Pattern, tuple[catalog.Indicator, ...]]]:
    by_id = {ind.indicator_id: ind for ind in catalog.indicators()}
    named = catalog.cues()["link"].get("trailing_names", {})
    # ('100%履约': a few names follow their percentage with no 的, [link.trailing_names_bare])
    bare = catalog.cues()["link"].get("trailing_names_bare", {})
    return [(re.compile(lead + r"\s*(?:" + pattern + ")"), (by_id[ind_id],))
            for lead, table in ((r"(?<=%的)", named), (r"(?<=[%％])", bare))
            for ind_id, patterns in table.items() for pattern in patterns]


def trailing_names(text: str) -> list[tuple[int, int, str, tuple[catalog.Indicator, ...]]]:
    """(start, end, name, indicators) of each name written after a share ('…%的' then the name)."""
    out = []
    for pattern, indicators in _patterns():
        for m in pattern.finditer(text):
            out.append((m.start(), m.end(), indicators[0].name_zh, indicators))
    return out


def named_after(text: str, end: int) -> bool:
    """A share ending at `end` is followed by the name it is the share of ('96.2%的断面水质达到
    或优于Ⅲ类'): no threshold the places are sorted by ('低于85%的断面有…')."""
    return any(pattern.match(text, end + 1) for pattern, _ in _patterns()) if text[end:end + 1] == "的" else False
