"""Finding region names in text, with the gazetteer in data/catalog/regions.csv.

A mention is a full name (四川省), a short name (四川, 内蒙古), a grouping
(京津冀及周边地区, “2+26”城市), a national phrase (全国, 339个地级及以上城市)
or a redacted name kept as written (口市). Phrases that point at the document's
own region (全省, 该市) are returned with `self_ref` set, for the extractor to
resolve. Matching is on simplified text; longer names win over shorter ones.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from etl import catalog
from etl.text.trie import trie_pattern


@dataclass(frozen=True)
class RegionMention:
    name: str                 # canonical name, or the phrase itself for self references
    code: str | None
    level: str                # 'country', 'province', 'prefecture', 'grouping', 'redacted', 'self'
    start: int
    end: int
    self_ref: str | None = None  # 'province', 'city', 'area' or 'province_release' for 全省/全市/该区域/省生态环境厅


@functools.cache
def _table() -> tuple[re.Pattern, dict[str, catalog.Region | str]]:
    cues = catalog.cues()["region"]
    lookup: dict[str, catalog.Region | str] = {}
    country = national()
    for r in catalog.regions():
        for n in (r.name, *r.short_names):
            lookup.setdefault(n, r)
    for phrase in cues["national"]:
        lookup.setdefault(phrase, country)
    for phrase in cues["self_province"]:
        lookup.setdefault(phrase, "province")
    for phrase in cues["self_city"]:
        lookup.setdefault(phrase, "city")
    for phrase in cues.get("self_area", []):
        lookup.setdefault(phrase, "area")
    for phrase in cues.get("self_province_release", []):
        lookup.setdefault(phrase, "province_release")
    # quotes inside a name vary or go missing: “2+26”城市, "2+26"城市, 2+26城市, and a scrape or a
    # translation may part the opening one from the name ('“ 2+36”城市': the name from its digits)
    for name in [n for n in lookup if "“" in n]:
        for variant in (_quote_free(name), name.replace("“", '"').replace("”", '"'), name.replace("“", "")):
            lookup.setdefault(variant, lookup[name])
    pattern = re.compile(f"(?P<name>{trie_pattern(lookup)})|(?P<redacted>{cues['redacted']})")
    return pattern, lookup


@functools.cache
def _river_before() -> dict[str, re.Pattern]:
    """'九龙江西溪' is no 江西: characters that make a short name's first one a river's (cues.toml)."""
    return {first: re.compile(chars) for first, chars in catalog.cues()["region"].get("not_after", {}).items()}



@functools.cache
def _plural_words() -> tuple[str, ...]:
    """Self words that a kind of place before them makes plural (cues.toml self_plural_words)."""
    return tuple(catalog.cues()["region"].get("self_plural_words", ["政府"]))



def _quote_free(s: str) -> str:
    return s.replace("“", "").replace("”", "").replace('"', "")


@functools.cache
def national() -> catalog.Region:
    for r in catalog.regions():
        if r.level == "country":
            return r
    return catalog.Region("000000", "全国", ("全国",), "country", None)


@functools.cache
def _newswire() -> tuple[re.Pattern, re.Pattern]:
    cues = catalog.cues()["region"]
    return (re.compile(cues["newswire_before"]),
            re.compile(f"(?:{cues['newswire_after']})|(?:{cues['company_after']})"))


def _newswire_place(text: str, start: int, end: int) -> bool:
    """A newswire's filing place ('新华社北京6月20日电') or a company's ('…(北京)有限公司')."""
    before, after = _newswire()
    return bool(before.search(text[max(0, start - 12):start]) or after.match(text[end:end + 24]))



def filed_from(text: str) -> catalog.Region | None:
    """The place a newswire filed the story from ('新华社南宁3月5日电': 南宁市), which find_regions
    leaves out: the first one within the opening of the text."""
    pattern, lookup = _table()
    before = _newswire()[0]
    for m in pattern.finditer(text, 0, FILED_WITHIN):
        hit = lookup.get(m.group(0))
        if (isinstance(hit, catalog.Region) and before.search(text[max(0, m.start() - 12):m.start()])
                and catalog.cue_pattern("region", "newswire_after").match(text[m.end():m.end() + 24])):
            return hit
    return None


FILED_WITHIN = 300   # characters: a dateline opens the story


@functools.lru_cache(maxsize=4096)  # the document context and the extractor read the same paragraphs
def find_regions(text: str) -> tuple[RegionMention, ...]:
    pattern, lookup = _table()
    out = []
    for m in pattern.finditer(text):
        if m.group("redacted"):
            out.append(RegionMention(m.group(0), None, "redacted", m.start(), m.end()))
            continue
        hit = lookup.get(m.group(0))
        river = _river_before().get(m.group(0)[0])
        if (river and m.start() > 0 and river.match(text, m.start() - 1) and not isinstance(hit, str)
                and hit is not None and m.group(0) != hit.name):
            continue  # the tail of a river's name ('九龙江西溪', '黄河南岸'), not the place
        if (hit is not None and not isinstance(hit, str) and m.group(0) != hit.name
                and catalog.cue_pattern("region", "short_name_part_after").match(text, m.end())):
            continue  # '镇江口断面', '长春桥': part of a section's or a bridge's name, not the city
        if hit is not None and not isinstance(hit, str) and hit.level == "country" and _own_cities_before(text, m.start()):
            continue   # '全省9个地级及以上城市': the province's cities, not the country's
        if (hit is not None and not isinstance(hit, str) and hit.level == "country"
                and catalog.cue_pattern("region", "national_scope_only").match(text, m.start())):
            continue   # '地级及以上城市集中式饮用水水源地' on a province's page: the indicator's scope, no place
        if (isinstance(hit, catalog.Region) and hit.level == "county"
                and catalog.cue_pattern("region", "added_to_count").search(text[max(0, m.start() - 16):m.start()])):
            continue  # '全省10个设区市和甲示范区': the place completes the count of the whole region
        if _newswire_place(text, m.start(), m.end()):
            continue  # '新华社北京6月20日电': where the story was filed, not what it is about
        if isinstance(hit, str) and m.group(0).endswith(_plural_words()) and catalog.cue_pattern("region", "self_government_after").search(text, 0, m.start()):
            continue  # '盟市政府所在城市', '各县市区': the leagues' and cities' governments, kinds of place, not 全市
        if isinstance(hit, str):
            out.append(RegionMention(m.group(0), None, "self", m.start(), m.end(), self_ref=hit))
        elif hit is not None:
            # a name several counties share (鼓楼区) cannot tell which: no code
            code = None if hit.code.startswith("D-") else hit.code
            out.append(RegionMention(hit.name, code, hit.level, m.start(), m.end()))
    return tuple(_urban_areas(text, out, lookup))


URBAN_AREA = re.compile(r"城区")


def _urban_areas(text: str, found: list[RegionMention], lookup: dict) -> list[RegionMention]:
    """'梁平城区', '万州城区': the town of a district or county, written as its stem and 城区. It
    names that district (梁平区), never a district that its tail happens to spell (平城区); nor is
    a stem that a longer name found there began before ('长沙市城区' is no 沙市区 town)."""
    if "城区" not in text:
        return found
    suffixes = catalog.cues()["region"]["urban_area_suffixes"]
    for m in URBAN_AREA.finditer(text):
        for k in (2, 3):
            stem = text[max(0, m.start() - k):m.start()]
            hit = next((h for h in (lookup.get(stem + suffix) for suffix in suffixes)
                        if isinstance(h, catalog.Region) and h.level == "county"), None)
            start, end = m.start() - k, m.end()
            # (the stem is the tail of a name before it: '长沙市城区' is 长沙市's, no 沙市区)
            if len(stem) == k and hit is not None and not any(r.start < start < r.end for r in found):
                found = [r for r in found if r.end <= start or r.start >= end]
                code = None if hit.code.startswith("D-") else hit.code
                found.append(RegionMention(hit.name, code, hit.level, start, end))
                break
    return sorted(found, key=lambda r: r.start)


def _own_cities_before(text: str, start: int) -> bool:
    """A national phrase right after a province's or a city's own word ('全省9个地级及以上城市')."""
    return bool(catalog.cue_pattern("region", "national_not_after").search(text[max(0, start - 12):start]))


def releases(self_words: Counter, self_ref: str) -> int:
    """How often a province's own department releasing the figures was named (self_province_release),
    for a text speaking of itself as a province."""
    return sum(c for w, c in self_words.items() if w in catalog.cues()["region"].get("self_province_release", [])
               ) if self_ref == "province" else 0


def national_honour(text: str, r: RegionMention) -> bool:
    """'全国文明城市', '全国"无废城市"建设试点', '全国首个': the country named in an honour or a first
    (cues.toml region.national_honour) says nothing of whose figures a text gives."""
    return r.level == "country" and bool(catalog.cue_pattern("region", "national_honour").match(text, r.end))


@functools.cache
def _by_code() -> dict[str, catalog.Region]:
    return {r.code: r for r in catalog.regions()}


def ancestor(code: str | None, levels: tuple[str, ...]) -> catalog.Region | None:
    """The region itself or the nearest one above it whose level is one of `levels`
    (都匀市 -> 黔南州 -> 贵州省): which province 全省 means in a city's report."""
    table = _by_code()
    seen = 0
    while code and code in table and seen < 5:
        r = table[code]
        if r.level in levels:
            return r
        code, seen = r.parent_code, seen + 1
    return None


def pattern() -> re.Pattern:
    """The compiled pattern of every region name (the benchmarks time it)."""
    return _table()[0]


def warm_up() -> None:
    """Compile the gazetteer's patterns now (the build does it before forking its workers)."""
    _table(), national()
