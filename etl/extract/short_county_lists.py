"""Counties written by their short names in a list ('甲乙、丙丁、戊己3县市优良天数比例均为100%',
'甲乙、丙丁和戊己分别为…'): the gazetteer leaves a county's short name out of running text (too
many of them are ordinary words), but inside a list whose members are counted right after it, or
whose every member is a county of the page's own region, a two-character name is the county whose
full name is that name and 县/市/区/旗 (cues.toml [short_county_list]). A name that several
counties of that scope share, or that no county bears, leaves the whole list as it was."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.catalog import gazetteer
from etl.catalog.gazetteer import RegionMention
from etl.catalog.short_counties import SHORT, county_named, prefecture_named
from etl.model import DocContext


@functools.cache
def _settings() -> dict:
    return catalog.cues().get("short_county_list", {})


@functools.cache
def _pattern(key: str) -> re.Pattern:
    return re.compile(_settings().get(key, "(?!)"))


def _scopes(ctx: DocContext) -> tuple[str | None, str | None]:
    """(the page's own region when it is a prefecture or a province, the page's province)."""
    own = ctx.region_code if ctx.region_level in ("prefecture", "province") else None
    province = gazetteer.ancestor(ctx.region_code, ("province",))
    return own, province.code if province else None


def with_short_counties(text: str, regions: tuple[RegionMention, ...], ctx: DocContext) -> tuple[RegionMention, ...]:
    """The regions of a paragraph, with the counties that a list names by their short names."""
    if not _settings():
        return regions
    own, province = _scopes(ctx)
    added: list[RegionMention] = []
    replaced: set[tuple[int, int]] = set()   # a prefecture's short name read as its seat's county
    for run in _pattern("run").finditer(text):
        members = _members(text, run.start(), run.end(), regions)
        if members is None or all(known is not None for _, _, known in members):
            continue
        end = members[-1][1]
        counted = _pattern("count_after").match(text, end)
        if counted and _count(counted.group(1)) == len(members):
            scope = province   # the count vouches for the list: any county of the page's province
        elif own is not None and _pattern("list_after").match(text, end):
            scope = own        # else each must be a county of the page's own region
        else:
            scope = False
        # each member a county: a short name, or a prefecture's short name that its seat bears
        # ('恩施、利川…7县市': 恩施市, the seat of 恩施州)
        counties = [(s, e, known if known is not None and known.level == "county" else county_named(text[s:e], scope))
                    for s, e, known in members] if scope is not False else []
        if counties and all(c for _, _, c in counties) and len({c.code for _, _, c in counties}) == len(counties):
            for (s, e, known), (_, _, county) in zip(members, counties):
                if known is None or known.level != "county":
                    added.append(RegionMention(county.name, county.code, "county", s, e))
                    replaced.update([(s, e)] if known is not None else [])
            continue
        known = [k for _, _, k in members if k is not None]
        if known and all(k.level == "prefecture" for k in known):
            # '梅州、河源、汕尾': cities listed beside a short form the gazetteer keeps out (河源)
            shorts = [(s, e) for s, e, k in members if k is None]
            found = [prefecture_named(text[s:e]) for s, e in shorts]
            if all(found):
                added.extend(RegionMention(r.name, r.code, r.level, s, e) for r, (s, e) in zip(found, shorts))
    added.extend(_valued(text, [*regions, *added], own))
    if not added:
        return regions
    kept = [r for r in regions if (r.start, r.end) not in replaced]
    return tuple(sorted([*kept, *added], key=lambda r: r.start))


def _valued(text: str, regions: list[RegionMention], own: str | None) -> list[RegionMention]:
    """'各县区优良天数比例：甲乙96.1%，丙丁94.8%…' in a prefecture's or a province's own page: short
    names each right before its value, every one a county of the page's region (two at least), or
    in a province's page a city of it by its short form ('白银23微克/立方米')."""
    if own is None:
        return []
    found = []
    for m in _pattern("valued").finditer(text):
        if any(r.start < m.end(1) and m.start(1) < r.end for r in regions):
            continue
        # a city of a province's own page by the short form kept out of running text ('…,金昌19微克
        # /立方米,白银23微克/立方米,…' in a province's release on its cities: 白银市, not its 白银区)
        if (city := prefecture_named(m.group(1))) is not None and city.parent_code == own:
            found.append(RegionMention(city.name, city.code, "prefecture", m.start(1), m.end(1)))
        elif (county := county_named(m.group(1), own)) is not None:
            found.append(RegionMention(county.name, county.code, "county", m.start(1), m.end(1)))
    return found if len({r.code for r in found}) >= 2 else []


def _members(text: str, start: int, end: int, regions) -> list[tuple[int, int, RegionMention | None]] | None:
    """The members of the list in text[start:end], split at its separators: (start, end, the region
    already found there or None for a short name). The first piece ends in its member ('其中甲乙'),
    the list ends at the first piece that is no whole member, with the member it opens on
    ('丙丁三县集中式…'); None when fewer than two members are left."""
    pieces, pos = [], start
    for sep in [*_pattern("separator").finditer(text, start, end), None]:
        pieces.append((pos, sep.start() if sep else end))
        pos = sep.end() if sep else end
    out = []
    for i, (a, b) in enumerate(pieces):
        whole = next((r for r in regions if r.start == a and r.end == b and r.level != "self"), None)
        if i == 0:
            known = next((r for r in regions if r.end == b and r.start >= a and r.level != "self"), None)
            out.append((known.start, b, known) if known else (b - SHORT, b, None))
        elif whole is not None or b - a == SHORT:
            out.append((a, b, whole))
        else:
            known = next((r for r in regions if r.start == a and r.end <= b and r.level != "self"), None)
            out.append((a, known.end, known) if known else (a, a + SHORT, None))
            break
    return out if len(out) >= 2 else None


CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _count(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return CHINESE_DIGITS.get(s, 0)
    if s.startswith("十"):
        return 10 + CHINESE_DIGITS.get(s[1:], 0)
    return CHINESE_DIGITS.get(s[0], 0) * 10 + (CHINESE_DIGITS.get(s[2:], 0) if len(s) > 2 else 0)
