"""Tables whose rows are periods, not places, read as a stream of cells (cell_tables.py):

    名称 | 优良天数 | 优良天数 | 优良天数占总天数百分比 | PM10 均值ug/m3 | …   <- upper header row
    一级 | 二级                                                            <- lower row: under the
    2018上半年监测数据 | 168 | 71 | 92 | 92.8 | 57 | …                     second 优良天数 (it spans)
    2019上半年监测数据 | 171 | 74 | 94 | 94.0 | 52 | …
    同期相比 | 增加3天 | 增加3天 | 增加2天 | 增加1.2% | …                      <- a comparison: no level

A row label that is a period ('2019上半年监测数据', '2021年1-6月', '2020年同期') gives its row a
year and months; the place is the title's, else the document's. A comparison row (同期相比,
同比, 增减, 变化: cues.toml [tables] comparison_row) ends the row before it and is not read.
The columns are aligned with the rows or the table is refused: a header with one more cell than
the rows have values is read only when a lower header row (cells after a skipped, empty line)
stands under a label written twice side by side (the scrape repeats a spanning cell), whose
second copy it replaces. Sub-columns of a spanning label (一级 | 二级 under 优良天数) are parts,
never the whole, so they are not read.

The other header shapes the cell reader aligns here: a lower row repeating one pattern under each
indicator (均值 | 达标状况 | 同比, repeated_lower); one group cell ('平均浓度(μg/m3)') over lower
cells scraped after the upper row (group_span); a unit written without parentheses or a share
word ending a header (tail_unit); a column of last year's levels or of another earlier period
(years_back).
"""
from __future__ import annotations

import functools
import re
from collections import Counter

from etl import catalog
from etl.extract.periods import period_of

# '2019上半年监测数据', '2021年', '2021年1-6月', '2020年同期', '2019年度均值'
PERIOD_LABEL = re.compile(r"((?:19|20)\d{2})(?:年度?|(?!\d))(.{0,14})")


@functools.cache
def _cues():
    c = catalog.cues().get("tables", {})
    return (re.compile(c["period_row_tail"]), re.compile(c["comparison_row"]), re.compile(c["share_header_tail"]),
            re.compile(c["prior_year_column"]), re.compile(c["prior_period_column"]))


def period_label(text: str) -> tuple[int, str | None] | None:
    """(year, months) of a row label naming a period: a year, optionally a part of it
    (上半年, 1-6月, 第三季度; months None when it names none) and a tail word (监测数据, 均值,
    同期)."""
    t = re.sub(r"\s", "", text)
    m = PERIOD_LABEL.fullmatch(t)
    if not m:
        return None
    year, rest = int(m.group(1)), m.group(2) or ""
    months = period_of(rest) if rest else None
    tail = rest
    if months:
        # what is left once the period words are read: only a tail word may remain
        tail = re.sub(r"上半年|下半年|前?[一二三四1-4]季度|第[一二三四1-4]季度|全年|"
                      r"[0-9一二三四五六七八九十]{1,3}(?:[-—~～至－][0-9一二三四五六七八九十]{1,3})?月份?", "", rest)
    if tail and not _cues()[0].fullmatch(tail):
        return None
    return year, months


def is_comparison(text: str) -> bool:
    """'同期相比', '同比', '增减', '与上年同期比较': a row of changes, not of levels."""
    return bool(_cues()[1].fullmatch(re.sub(r"\s", "", text)))


def gap_width(marks: list[int], end: int) -> int | None:
    """The number of cells most rows hold between their label and the next one."""
    gaps = Counter(b - a - 1 for a, b in zip(marks, marks[1:]) if b - a - 1 > 0)
    if not gaps and marks:
        return end - marks[-1] - 1 or None
    return gaps.most_common(1)[0][0] if gaps else None


def align(texts: list[str], lower_at: int | None, width: int) -> list[int | None] | None:
    """For each of `width` value columns, the index of the header cell it reads (None: a
    sub-column not read); None when the header cannot be aligned with rows `width` wide.
    `lower_at`: where a lower header row starts in `texts` (after a skipped empty line)."""
    n = len(texts)
    if n == width:
        return list(range(n))
    if lower_at is None or not 0 < lower_at < n:
        return None
    upper, lower = list(range(lower_at)), list(range(lower_at, n))
    if len(upper) - 1 + len(lower) != width:
        return None
    same = [i for i in range(1, len(upper)) if texts[i] == texts[i - 1]]
    if len(same) != 1:
        return None
    d = same[0]
    return upper[:d] + [None] * len(lower) + upper[d + 1:]


def tail_unit(header: str, spellings) -> str | None:
    """The unit a header cell writes at its end without parentheses ('PM10 均值ug/m3'), or '%'
    for a header ending on a share word ('优良天数占总天数百分比')."""
    t = re.sub(r"\s", "", header)
    for sp in sorted(spellings, key=len, reverse=True):
        if len(sp) >= 2 and t.endswith(sp):   # (a cell of the unit alone, 'μg/m3' in a unit row: that unit, not 'm3')
            return sp
    return "%" if _cues()[2].search(t) else None


def _word(text: str) -> str:
    return re.sub(r"[^\u4e00-\u9fff]", "", text)


def roles(texts: list[str], change: re.Pattern, skip: re.Pattern, level: re.Pattern) -> list[str]:
    """What each lower header cell holds, for repeated_lower: a change ('同比(%)', '同比(百分点)'),
    a rank or index ('排名'), a level ('浓度(μg/m3)', '比例(%)', '均值'), else its words. The
    pattern under each indicator then matches though the level and change cells are worded for
    their indicator ('浓度 | 同比(%) | 排名' under PM2.5, '比例(%) | 同比(百分点) | 排名' under 优良天数比例)."""
    def role(text: str) -> str:
        word = _word(text)
        if not word:
            return ""
        if change.search(word):
            return "change"
        if skip.search(word):
            return "rank"
        if level.search(word) or re.fullmatch(r"比例|比率|占比|百分比", word):
            return "level"
        return word
    return [role(t) for t in texts]


def repeated_lower(texts: list[str], named: list[bool], keys: list[str] | None = None) -> list[tuple[int | None, int]] | None:
    """A two-row header whose lower row repeats one pattern under each indicator of the upper
    row ('PM10 | PM2.5 | 备注 | 均值μg/m3 | 达标状况 | 同比 | 均值μg/m3 | 达标状况 | 同比'):
    for each value column, (the upper cell it belongs to, or None; its lower cell). `named`:
    which cells name an indicator; `keys`: what each cell holds (roles()), its words by default.
    None when the header is not so built."""
    n = len(texts)
    words = keys or [_word(t) for t in texts]
    for p in (2, 3, 4):
        r = 0
        while n - (r + 1) * p >= 0 and words[n - (r + 1) * p:n - r * p] == words[n - p:] and all(words[n - p:]):
            r += 1
        start = n - r * p
        upper = [i for i in range(start) if named[i]]
        if r < 2 or len(upper) != r or any(named[start:]):
            continue
        # the indicators stand together; a cell of the upper row that names none (备注) spans no
        # lower cells: its column follows (or precedes) the groups
        if upper != list(range(upper[0], upper[0] + r)):
            return None
        plan = [(None, i) for i in range(upper[0])]
        for k, u in enumerate(upper):
            plan += [(u, start + k * p + j) for j in range(p)]
        plan += [(None, i) for i in range(upper[-1] + 1, start)]
        return plan
    return None


def group_span(named: list[bool], group: list[bool], width: int) -> list[int] | None:
    """A two-row header scraped as its upper row, then its lower row: the lower cells (a run of
    cells naming indicators, last) stand under the one upper cell that names a group
    ('平均浓度(μg/m3)' over SO2 | NO2 | PM10 | PM2.5). The header cell each of `width` value
    columns reads, or None when the header is not so built."""
    n = len(named)
    j = n
    while j > 0 and named[j - 1]:
        j -= 1
    groups = [i for i in range(j) if group[i]]
    if j == 0 or j == n or len(groups) != 1 or j - 1 + n - j != width:
        return None
    g = groups[0]
    return list(range(g)) + list(range(j, n)) + list(range(g + 1, j))


def years_back(header: str) -> int | None:
    """How many years before the table's a column's header dates its levels: 1 for '去年同期PM2.5',
    0 for a column of the table's own period, None for another earlier period ('上月'). (A change
    column, '同比', is told apart before this is asked.)"""
    t = re.sub(r"\s", "", header)
    if re.search(r"(?:19|20)\d{2}\s*年", t):
        return 0  # a column that names its own year ('2023年同期'): not shifted here
    if _cues()[4].search(t):
        return None
    return 1 if _cues()[3].search(t) else 0


def without_unit_row(heads: list, width: int, unit_of, mentions_of) -> list:
    """A header whose last cells are a lower row of bare units ('μg/m3 | mg/m3' under PM10 | … |
    CO | 优良天数), one more cell each than the rows hold values: the header without them, when
    each unit written is the own unit of a column's indicator and every column of a dimension
    written is in one of them (so the values are read in their indicators' own units); else the
    header as it is. `unit_of`: a cell's unit or None; `mentions_of`: a cell's indicator mentions."""
    if not 0 < len(heads) - width <= 3:
        return heads
    written = [unit_of(c.text) for c in heads[width:]]
    if not all(written):
        return heads
    units = catalog.unit_by_name()
    own = [units.get(m[0].indicators[0].unit) for c in heads[:width] if (m := mentions_of(c.text))]
    names = {u.unit for u in written}
    dimensions = {u.dimension for u in written}
    if not names <= {u.unit for u in own if u} or any(
            u and u.dimension in dimensions and u.unit not in names for u in own):
        return heads
    return heads[:width]


def misfit(width: int, labels: list[int]) -> bool:
    """Most rows (at least three, or all of two or more) hold one number of cells between two
    labels (`labels`: the label cells' positions), and it is fewer than the header's value columns
    (`width`). (More is no misfit: the cells after a row's values, the next row's rank, are not read.)"""
    gaps = Counter(b - a - 1 for a, b in zip(labels, labels[1:]))
    if not gaps:
        return False
    k, n = gaps.most_common(1)[0]
    # at least three rows agree, or every row does (two tables cut short by the page)
    return (n >= 3 and n * 3 >= 2 * sum(gaps.values()) or n >= 2 and n == sum(gaps.values())) and k < width
