"""Lists: which name, region or year each member of a listed group of values belongs to.

'2019年至2022年，…浓度分别为36、33、30、29微克/立方米' gives one value a year; '北京、廊坊和
长治，分别为47、55和55' one value a region, but only when the regions form one enumeration
right before the values (a grouping named earlier in the clause, '“2+26”城市…依次是北京、…',
is not a member of the list). A period that runs from one year into the next
('2023年10月至2024年3月', an autumn-winter season) has no single year; a span of days
('1月1日至6月30日') covers the months it runs through.
"""
from __future__ import annotations

import re

from etl.catalog.gazetteer import RegionMention

# what may stand between two members of an enumeration: '北京、廊坊和长治', '江西,湖南及安徽'
ENUMERATION_GAP = re.compile(r"^\s*(?:[、,，和及与]|以及)\s*$")
# '2019年至2022年', '2019—2022年', '2019-2022年度'
YEAR_RANGE = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年?\s*(?:[—–\-~～至到])\s*((?:19|20)\d{2})\s*年(?:度)?")
# '2021年、2022年', '2021、2022和2023年'
YEAR_LIST = re.compile(r"(?<![\d.])(?:19|20)\d{2}\s*年?(?:度)?(?:\s*(?:[、,，和及与]|以及)\s*(?:19|20)\d{2}\s*年?(?:度)?)+")
YEAR = re.compile(r"(?:19|20)\d{2}")
# the values are given member by member
RESPECTIVELY = re.compile(r"分别|依次|逐年|各年")
# a span of months from one year into the next: '2023年10月至2024年3月', '2019年10月—2020年3月'
CROSS_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月(?:份|\s*\d{1,2}\s*[日号])?\s*(?:[—–\-~～至到])\s*"
                        r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月")
# a span of days: '1月1日至6月30日', '2023年9月1日至2023年9月30日', '3月1日-3月15日'
DAY_RANGE = re.compile(r"(?<![\d.])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]\s*(?:[—–\-~～至到])\s*"
                       r"(?:(?:19|20)\d{2}\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# the last day a span of days may end on and still cover its last month whole ('6月30日')
MONTH_END_DAY = 28
MONTH_AFTER = re.compile(r"\d\s*月(?!\s*\d{1,2}\s*[日号])|季度|上半年|下半年|全年")
# '2019—2020年秋冬季', '2023-2024年采暖季'
SEASON = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—–\-~～至到]\s*((?:19|20)\d{2})\s*年\s*(?:度\s*)?(?:秋冬季|采暖季|供暖季|冬季)")


def enumeration_run(regions: list[RegionMention], text: str, start: int, end: int) -> list[RegionMention]:
    """The last run of regions in [start, end) that are listed one after another."""
    inside = [r for r in regions if start <= r.start and r.end <= end and r.level != "self"]
    run: list[RegionMention] = []
    for r in inside:
        if run and ENUMERATION_GAP.match(text[run[-1].end:r.start]):
            run.append(r)
        else:
            run = [r]
    return run


def listed_years(text: str, start: int, end: int, n: int) -> list[int] | None:
    """The years a group of n values is given for, member by member, when the text
    before the values ([start, end)) names n years and says 分别/依次."""
    found = None
    for m in YEAR_RANGE.finditer(text, start, end):
        a, b = int(m.group(1)), int(m.group(2))
        if b - a + 1 == n and not CROSS_YEAR.match(text, m.start()):
            found = (m.end(), list(range(a, b + 1)))
    for m in YEAR_LIST.finditer(text, start, end):
        years = [int(y) for y in YEAR.findall(m.group(0))]
        if len(years) == n and years == sorted(set(years)) and (not found or m.end() > found[0]):
            found = (m.end(), years)
    if found and RESPECTIVELY.search(text, found[0], end):
        return found[1]
    return None


# the end of a range of years given to a month: '2016年至2020年11月' runs up to November 2020
RANGE_END_MONTH = re.compile(r"\s*(\d{1,2})\s*月(?:份)?(?!\s*\d{1,2}\s*[日号])(?!\s*[—–\-~～至到])")


def listed_year_months(text: str, start: int, end: int) -> int | None:
    """The month a range of listed years ends on ('2016年至2020年11月…分别为A、B、C、D、E'):
    the years before the last are whole years and the last runs from January to that month.
    None when the range ends on a year, or on months that every year shares ('2019年至2022年1-6月')."""
    found = None
    for m in YEAR_RANGE.finditer(text, start, end):
        found = m
    if found is None:
        return None
    month = RANGE_END_MONTH.match(text, found.end())
    return int(month.group(1)) if month and 1 <= int(month.group(1)) <= 12 else None


def spans_two_years(span: str) -> bool:
    """The span names a period running from one year into the next."""
    return two_year_span_end(span) is not None


def two_year_span_end(text: str, end: int | None = None) -> int | None:
    """Where the last period running from one year into the next ends in text[:end]."""
    last = None
    for pattern in (CROSS_YEAR, SEASON):
        for m in pattern.finditer(text, 0, len(text) if end is None else end):
            if int(m.group(2)) == int(m.group(1)) + 1 and (last is None or m.end() > last):
                last = m.end()
    return last


def day_range_months(span: str) -> str | None:
    """The months of the last span of days in the text ('1月1日至6月30日' -> '1-6'), when no
    other period is named after it; '' for a stretch of days that does not cover whole months
    ('7月20日至10月24日…连续97天', a week '12月15日至12月19日'): no period a value can be filed under."""
    found = None
    for m in DAY_RANGE.finditer(span):
        a, b = int(m.group(1)), int(m.group(3))
        if 1 <= a <= b <= 12:
            whole = int(m.group(2)) == 1 and int(m.group(4)) >= MONTH_END_DAY
            found = (m.end(), (f"{a}-{b}" if a != b else str(a)) if whole else "")
    if found and not MONTH_AFTER.search(span, found[0]):
        return found[1]
    return None


# what a list's members are parted by, and the cue words between the list and its values
PART_SEPARATOR = re.compile(r"[、和及与]")
LIST_TAIL = re.compile(r"(?:分别|依次|各自)?(?:占比?|为|是|达到?)?\s*$")


def enumerated_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The members of the enumeration that ends right before the values in [start, end):
    'Ⅰ~Ⅲ类、Ⅳ~Ⅴ类和劣Ⅴ类水质断面分别占' -> the spans of 'Ⅰ~Ⅲ类', 'Ⅳ~Ⅴ类', '劣Ⅴ类水质断面'."""
    span = text[start:end]
    span = span[:LIST_TAIL.search(span).start()]
    for cue in ("分别", "依次"):
        if cue in span:
            span = span[:span.index(cue)]
    opening = max(span.rfind(c) for c in "，,：:；;中") + 1  # '…断面中，' opens the list
    parts, pos = [], opening
    for m in PART_SEPARATOR.finditer(span, opening):
        parts.append((start + pos, start + m.start()))
        pos = m.end()
    parts.append((start + pos, start + len(span)))
    return [p for p in parts if p[1] > p[0]] if len(parts) > 1 else []


# what may follow a list of places to count them: '阜阳、马鞍山、芜湖、铜陵和黄山5个市…'
MEMBER_COUNT = re.compile(r"\s*(\d{1,2}|[两二三四五六七八九十]|十[一二三四五六七八九])\s*个")
CHINESE_COUNT = {c: i for i, c in enumerate("零一二三四五六七八九十", 0)} | {"两": 2}


def _count(word: str) -> int:
    if word.isdigit():
        return int(word)
    if word.startswith("十") and len(word) == 2:
        return 10 + CHINESE_COUNT[word[1]]
    return CHINESE_COUNT[word]


def _whole(lookup, name: str) -> RegionMention | None:
    return next((x for x in lookup(name) if x.start == 0 and x.end == len(name)), None)


def union_members(text: str, start: int, end: int, found: tuple[RegionMention, ...],
                  lookup=None) -> list[RegionMention] | None:
    """The places of a union written text[start:end] ('阜阳、马鞍山、芜湖、铜陵和黄山') that share one
    value, when the union is a whole enumeration of places (no 等), each a place: written short, the
    city of that name first (`lookup`: '香格里拉' -> 香格里拉市), else what the gazetteer finds there,
    else the county; and
    a count after it, if any ('5个市'), counts them all; else None."""
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^、,，和及与]+", text[start:end])]
    if len(parts) < 2:
        return None
    members = []
    for a, b in parts:
        a, b = a + start, b + start
        # a bare name is first the city of that name ('楚雄' in a list of cities: 楚雄市, not the
        # prefecture 楚雄彝族自治州), else what the gazetteer finds, else the county
        city = _whole(lookup, text[a:b] + "市") if lookup is not None and text[b - 1] not in "市县区州盟旗省" else None
        r = city or next((r for r in found if r.start == a and r.end == b), None)
        if r is None and lookup is not None:
            r = _whole(lookup, text[a:b] + "县")
        if r is None or r.level not in ("province", "prefecture", "county"):
            return None
        members.append(r)
    if not all(ENUMERATION_GAP.match(text[start + b0:start + a1]) for (_, b0), (a1, _) in zip(parts, parts[1:])):
        return None
    count = MEMBER_COUNT.match(text, end)
    if count and _count(count.group(1)) != len(members):
        return None
    return members
