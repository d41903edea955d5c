"""Tables whose rows are periods (table_rows.py) as some scrapes flatten them, one cell a line:

    时间 | SO2 | NO2 | CO | (第95百分位数) | O3 | (第90百分位数) | 达标天数 | 达标率   <- a note under a header
    μg/m3 | μg/m3 | mg/m3 | μg/m3                                                 <- a unit row
    2020年 | 11 | 28 | 1.2 | 147 | 301 | 82.5% |
    20233 | 36 | 8 | 0.7 | …                       <- '2023年3月' whose 年/月 the scrape dropped
    20231-3 | 55 | 8 | 0.9 | …                     <- '2023年1-3月'

A note naming the column's statistic in parentheses (cues.toml [tables] header_note) is part of the
header cell above it, not a column of its own. A unit row (bare units, no parentheses, one after
another right after the header) gives each column its unit when it holds one unit a column; when
it holds fewer (one a group of columns: 'μg/m3 | mg/m3' over six), which column each belongs to
cannot be told: the row is dropped and the columns are read in their indicators' own units. Under
a period corner cell (cues.toml [tables] period_corner: 时间, 年份) a row label of digits only is
read as a year and month(s) when every such label stands the same number of cells after the one
before it (the rows' width), so that a value of five digits is never taken for a period; and a
table-only alias of the header's category (达标率 beside the pollutants) names its indicator.
"""
from __future__ import annotations

import dataclasses
import functools
import re

from etl import catalog
from etl.extract.indicators import find_mentions

# '20233' = 2023年3月, '202412' = 2024年12月, '20241-3' = 2024年1-3月
RUN_TOGETHER = re.compile(r"((?:19|20)\d{2})(1[0-2]|[1-9])(?:[-—~～至－](1[0-2]|[1-9]))?")
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?%?")


@functools.cache
def _cues() -> tuple[re.Pattern, re.Pattern]:
    c = catalog.cues()["tables"]
    return re.compile(c["header_note"]), re.compile(c["period_corner"])


@functools.cache
def _unit_spellings() -> frozenset[str]:
    return frozenset(s for u in catalog.units() for s in u.spellings)


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


def is_header_note(text: str) -> bool:
    """'(第95百分位数)', '（日最大8小时平均）': the statistic of the column above, in parentheses."""
    m = re.fullmatch(r"[(（]([^()（）]{1,16})[)）]", _bare(text))
    return bool(m and _cues()[0].fullmatch(m.group(1)))


def _is_bare_unit(text: str) -> bool:
    return _bare(text) in _unit_spellings() and not NUMBER.fullmatch(_bare(text))


def fold_period_rows(cells: list) -> list:
    """The cells (cell_tables.Cell) with header notes joined to their header, unit rows given to
    their columns or dropped, and run-together period labels written out, in each table under a
    period corner cell."""
    out = list(cells)
    corners = [i for i, c in enumerate(out) if _cues()[1].fullmatch(_bare(c.text))]
    for at in reversed(corners):
        out[at:] = _fold_table(out[at:])
    return out


def _fold_table(cells: list) -> list:
    """cells[0] is the corner cell: its header, unit row and labels set right."""
    head: list = [cells[0]]
    i = 1
    while i < len(cells) and not _is_bare_unit(cells[i].text) and not NUMBER.fullmatch(_bare(cells[i].text)) \
            and not RUN_TOGETHER.fullmatch(_bare(cells[i].text)):
        if is_header_note(cells[i].text) and len(head) > 1 and head[-1].text:
            head[-1] = dataclasses.replace(head[-1], text=head[-1].text + _bare(cells[i].text))
        else:
            head.append(cells[i])
        i += 1
    head = _category_aliases(head)
    after_head = i
    units = []
    while i < len(cells) and (_is_bare_unit(cells[i].text) or not cells[i].text):
        if cells[i].text:
            units.append(cells[i])
        i += 1
    if len(units) < 2:
        return head + _spell_out_labels(cells[after_head:])   # no unit row
    columns = [k for k, c in enumerate(head) if k and c.text]
    if len(units) == len(columns):
        for k, unit in zip(columns, units):
            if not re.search(r"[(（]", head[k].text):
                head[k] = dataclasses.replace(head[k], text=f"{head[k].text}({_bare(unit.text)})")
    return head + _spell_out_labels(cells[i:])


def _spell_out_labels(rows: list) -> list:
    """Run-together period labels ('20233') written out ('2023年3月') when they stand at a fixed
    stride: one a row."""
    at = [i for i, c in enumerate(rows) if RUN_TOGETHER.fullmatch(_bare(c.text))]
    strides = {b - a for a, b in zip(at, at[1:])}
    if not at or at[0] != 0 or len(strides) > 1 or (len(at) >= 2 and min(strides) < 2):
        return rows
    out = list(rows)
    for i in at:
        m = RUN_TOGETHER.fullmatch(_bare(rows[i].text))
        months = m.group(2) + (f"-{m.group(3)}" if m.group(3) else "")
        out[i] = dataclasses.replace(rows[i], text=f"{m.group(1)}年{months}月")
    return out


def _category_aliases(head: list) -> list:
    """A header cell that is a table-only alias of its category (cues.toml
    [tables.category_header_aliases]: 达标率 beside SO2 | NO2 | PM2.5 is 优良天数比例), when every
    cell naming an indicator names one of that category."""
    categories = {i.category for c in head for m in find_mentions(c.text) for i in m.indicators[:1]}
    if len(categories) != 1:
        return head
    aliases = catalog.cues()["tables"].get("category_header_aliases", {}).get(next(iter(categories)), {})
    return [dataclasses.replace(c, text=aliases[_bare(c.text)]) if _bare(c.text) in aliases and not find_mentions(c.text)
            else c for c in head]
