"""A table's row label that is a place's name without its suffix: '河源' for 河源市, '永嘉' for 永嘉县,
'密云' for 密云区.

Names this short are too common to match in running text (the gazetteer leaves them out), but a
row label cell holding nothing else is a place. A place inside the document's own region comes
first: a city's table of its districts ('密云 | 16', '朝阳 | 19' in a report on 北京市) names them
bare. Else 市, then 县, as before; a district (区) only inside the document's region: 朝阳 alone
elsewhere is 朝阳市."""
from __future__ import annotations

import re

from etl import catalog
from etl.catalog.gazetteer import RegionMention, find_regions

SHORT_LABEL = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _whole(text: str, suffix: str) -> tuple[RegionMention, ...]:
    return tuple(r for r in find_regions(text + suffix) if r.start == 0 and r.end == len(text) + 1)


def lies_within(code: str | None, within: str | None) -> bool:
    """Whether the division `code` is `within` or below it (its parents, up the gazetteer)."""
    by_code = {r.code: r for r in catalog.regions()}
    seen = 0
    while code and seen < 5:
        if code == within:
            return True
        region = by_code.get(code)
        code, seen = (region.parent_code if region else None), seen + 1
    return False


def bare_name_region(text: str, within: str | None = None) -> tuple[RegionMention, ...]:
    """The place a bare row label names (`within`: the code of the document's region), else ()."""
    if not SHORT_LABEL.fullmatch(text):
        return ()
    found = [whole for suffix in "市县区" if (whole := _whole(text, suffix))]
    if within:   # the document's own places first ('朝阳' in a report on 北京市 is 朝阳区)
        inside = [whole for whole in found if all(lies_within(r.code, within) for r in whole)]
        # (then a district whose name several cities share, 朝阳区: the gazetteer cannot place it)
        shared = [whole for whole in found if all(r.code is None or r.code.startswith("D-") for r in whole)]
        if inside or shared:
            return (inside or shared)[0]
    return next((whole for whole in found if not whole[0].name.endswith("区")), ())


def label_region(text: str, within: str | None = None) -> tuple[RegionMention, ...]:
    """The places a row label cell names: the gazetteer's, unless they lie outside the document's
    region while a district of the document's region bears the label as its bare name ('朝阳' in a
    table of 北京市's districts is 朝阳区, not the prefecture 朝阳市)."""
    found = find_regions(text) or renamed_county(text)
    if within and found and not all(lies_within(r.code, within) for r in found):
        inner = bare_name_region(text, within)
        if inner and all(lies_within(r.code, within) or r.code is None or r.code.startswith("D-") for r in inner):
            return inner
    return found or bare_name_region(text, within)


def unplaced_label(cells: list, i: int, is_number) -> bool:
    """Whether cell `i` of rankings side by side labels a row though it names no place the gazetteer
    knows ('1 | 密云 | 28 | 1 | 开发区 | -8.8%'): words, then a number. Counted, it keeps the rows
    after it on their own side."""
    text = cells[i].text
    return (bool(text) and not is_number(text) and bool(re.search(r"[\u4e00-\u9fff]", text)) and len(text) <= 12
            and i + 1 < len(cells) and bool(is_number(cells[i + 1].text)))


def renamed_county(text: str) -> tuple[RegionMention, ...]:
    """A county's row labelled by its name before it became a district or a city ('凤翔县', a
    district since 2021; the gazetteer keeps today's names): the one division of the same stem and
    today's suffix, when the old name is no division of its own."""
    m = re.fullmatch(r"([\u4e00-\u9fff]{1,6})(县|市)", re.sub(r"\s", "", text))
    if not m:
        return ()
    now = [w for suffix in ("区", "市") if suffix != m.group(2) and (w := _whole(m.group(1), suffix))]
    return now[0] if len(now) == 1 and all(r.code and not r.code.startswith("D-") for r in now[0]) else ()
