"""Two-row table headers whose upper cells are periods spanning the indicator cells below them.

    序号 | 县(市、区) | 本月 | 上年同期 | 与上年同期变化(百分点)        <- upper row: periods, a change
    PM2.5(μg/m3) | 排名 | PM2.5(μg/m3) | 排名                          <- lower row: one copy a period
    1 | 甲县 | 16 | 3 | 19 | 5 | -15.8

Each period cell (本月, the table's own period; 上年同期, the year before: cues.toml [tables]
own_period_column, prior_year_column) spans one copy of the lower pattern; a change cell spans one
column of its own and is not read. The value a row holds under 上年同期 is of the year before the
table's; under a cell naming its year ('2023年10月') of that year, when its months are the table's. The cell reader (cell_tables.CellTable) asks for these columns when no other two-row
shape fits its header.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter

from etl import catalog
from etl.extract import period_headers, three_row_headers
from etl.extract.periods import period_of


@functools.cache
def _cues() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    c = catalog.cues()["tables"]
    return re.compile(c["own_period_column"]), re.compile(c["prior_year_column"]), re.compile(c["change_column"])


# an upper cell naming its year, perhaps its months: '2023年', '2023年10月', '2023年1-10月'
YEAR_CELL = re.compile(r"((?:19|20)\d{2})年(?:度|(\d{1,2}(?:[-—~～至]\d{1,2})?)月份?)?")


def period_kind(header: str) -> str | None:
    """'own' for a column of the table's own period ('本月'), 'prior' for last year's ('上年同期'),
    'year' for a column naming its year ('2023年10月'), 'change' for a change ('与上年同期变化');
    None for any other cell."""
    own, prior, change = _cues()
    t = re.sub(r"\s", "", header)
    if own.fullmatch(t):
        return "own"
    if YEAR_CELL.fullmatch(t):
        return "year"
    if change.search(t):
        return "change"
    if prior.fullmatch(t):
        return "prior"
    return "own" if period_headers.is_period(t) else None   # '10月', '1-10月', '累计': months of their own


def period_spans(upper_kinds: list[str], lower_words: list[str], row_cells: int) -> list[tuple[int, int | None]] | None:
    """For each value column, (its upper cell, its lower cell or None for a change), when each
    period cell spans one copy of the lower cells (or a group opening as the first does); None when the header is not so built, or its
    columns are not as many as the cells a row holds between two row labels (`row_cells`) or
    one fewer (the next row's serial)."""
    periods = [i for i, k in enumerate(upper_kinds) if k != "change"]
    if not periods or not lower_words:
        return None
    starts = _group_starts(lower_words, len(periods))
    if starts is None:
        return None
    plan: list[tuple[int, int | None]] = []
    for i, kind in enumerate(upper_kinds):
        if kind == "change":
            plan.append((i, None))
        else:
            k = periods.index(i)
            plan += [(i, len(upper_kinds) + j) for j in range(starts[k], starts[k + 1])]
    return plan if 0 <= row_cells - len(plan) <= 1 else None


def _group_starts(lower_words: list[str], n: int) -> list[int] | None:
    """Where each of `n` periods' lower cells start (and the end): one copy each of the same cells,
    else (periods spanning unequal groups, '1-2月' over six cells beside '2月' over three) a group
    at each cell repeating the first lower cell ('优良率 | 排名 | … | 优良率 | PM2.5 | 排名'), when
    there are `n` such and each group holds two cells at least."""
    if len(lower_words) % n == 0:
        per = len(lower_words) // n
        if all(lower_words[k * per:(k + 1) * per] == lower_words[:per] for k in range(n)):
            return [k * per for k in range(n + 1)]
    starts = [j for j, w in enumerate(lower_words) if w == lower_words[0]]
    if n < 2 or len(starts) != n:
        return None
    bounds = [*starts, len(lower_words)]
    if any(b - a < 2 for a, b in zip(bounds, bounds[1:])):
        return None
    return bounds


def columns(table, cells: list, data: list) -> list | None:
    """The value columns of `table` (a cell_tables.CellTable) whose header cells after the label
    column are `cells`, when its upper cells are periods (period_spans); else None."""
    kinds = [period_kind(c.text) for c in cells]
    n = next((i for i, k in enumerate(kinds) if k is None), len(kinds))
    labels = [i for i, c in enumerate(data) if table.label_of(c)]
    gaps = Counter(b - a - 1 for a, b in zip(labels, labels[1:]))
    if not n or n == len(cells) or not gaps:
        return None
    lower = [re.sub(r"\s", "", c.text) for c in cells[n:]]
    plan = period_spans(kinds[:n], lower, gaps.most_common(1)[0][0])
    if plan is None:
        return None
    year, months = table.period()
    out = []
    for upper, below in plan:
        column = table.column_of(cells[below].text) if below is not None else None
        back = _years_back(kinds[upper], cells[upper].text, year, months)
        if column is not None:
            column = dataclasses.replace(column, header=f"{cells[upper].text} {column.header}",
                                         back=column.back if back == 0 else back)
            column = period_headers.dated_by(column, cells[upper].text, months)   # '1-10月' over PM2.5
        out.append(column)
    return out


def three_rows(table, cells: list, data: list) -> list | None:
    """The value columns of a three-row header (three_row_headers.py: periods over indicators over
    浓度 | 同比), read as periods over one copy of the lower pattern each; None for another header."""
    flat = three_row_headers.flatten(cells, [period_kind(c.text) for c in cells],
                                     lambda t: bool((c := table.column_of(t)) and c.mention))
    return columns(table, flat, data) if len(flat) != len(cells) else None


def _years_back(kind: str, text: str, year: int | None, months: str) -> int | None:
    """How many years before the table's an upper cell's columns are: 1 for 上年同期, the
    difference for a cell naming its year ('2023年10月' in a table of 2024); None (not read) for a
    year after the table's or for months other than the table's ('2024年1-10月' in a table of 10月)."""
    if kind == "prior":
        return 1
    if kind != "year":
        return 0
    m = YEAR_CELL.fullmatch(re.sub(r"\s", "", text))
    if year is None or int(m.group(1)) > year or (m.group(2) and period_of(m.group(2) + "月") != months):
        return None
    return year - int(m.group(1))
