"""Regions on one line of descent, and which of them a text's words for itself (全省, 全市, 全县)
can mean: the document context's own-region rules ask here."""
from __future__ import annotations

from collections import Counter

from etl.catalog import gazetteer


def within(inner: gazetteer.RegionMention, outer: gazetteer.RegionMention) -> bool:
    """inner lies inside outer (龙岩市 in 福建省)."""
    above = gazetteer.ancestor(inner.code, (outer.level,)) if inner.level != outer.level else None
    return bool(above and above.code == outer.code)


def qualifies_next(text: str, found: tuple, i: int) -> bool:
    """'福建省光泽县', '四川省广元市剑阁县': a region written right before one that lies in it
    only says where that one is; it is no mention of its own."""
    r = found[i]
    nxt = found[i + 1] if i + 1 < len(found) else None
    return bool(nxt is not None and nxt.level != "self" and not text[r.end:nxt.start].strip()
                and r.code and nxt.code and within(nxt, r))


def one_lineage(regions: list[gazetteer.RegionMention], self_words: Counter | None = None
                ) -> gazetteer.RegionMention | None:
    """The deepest of regions that all lie on one line of descent (玉屏侗族自治县 and 贵州省),
    else None; the province among them when the text calls itself only 全省/我省 (a provincial
    story naming one of its cities: '…全省设区城市…舟山PM2.5浓度最低')."""
    if not regions or any(not r.code for r in regions):
        return None
    depth = {"province": 0, "prefecture": 1, "county": 2}
    if any(r.level not in depth for r in regions):
        return None
    deepest = max(regions, key=lambda r: depth[r.level])
    if len({r.level for r in regions}) != len(regions):
        return None   # two provinces, two cities: no one place
    if not all(r is deepest or within(deepest, r) for r in regions):
        return None
    province = next((r for r in regions if r.level == "province"), None)
    return province if province is not None and self_words and province_words_only(self_words) else deepest


def county_words_only(self_words: Counter) -> bool:
    """The text speaks of itself as a county (全县, 我县, 县政府) and never as a city (全市, 我市)."""
    return (any("县" in w for w in self_words)
            and not any(c in w for w in self_words for c in "市州盟"))


def province_words_only(self_words: Counter) -> bool:
    """The text speaks of itself as a province (全省, 我省) and never as a city or county."""
    return (any("省" in w for w in self_words)
            and not any(c in w for w in self_words for c in "市州盟县区"))


def fits_self_words(r: gazetteer.RegionMention, self_words: Counter) -> bool:
    """A prefecture is not what a county's 全县/我县 refer to."""
    return not (r.level == "prefecture" and county_words_only(self_words))


def qualified_names(text: str) -> set[str]:
    """The places `text` names right after the region they lie in ('四川省甲市': 甲市): a headline
    that qualifies one place so names it over a stray name beside it (spam spliced into a title)."""
    found = gazetteer.find_regions(text)
    return {found[i + 1].name for i in range(len(found) - 1) if qualifies_next(text, found, i)}
