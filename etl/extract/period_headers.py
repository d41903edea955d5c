"""What period a table's header cell keys its column on.

    本月 | 当月 | 10月              the table's own month
    累计 | 今年累计 | 1-10月        January to the table's month (a monthly table's year to date)
    上年同期 | 去年同期累计          the same period a year before: a level of last year, not a change
    2023年1-10月 | 2024年          the period the cell writes
    同比 | 变化 | 增减 | 同期对比    a change: not a level
    单位                           the row's unit

The words are data: cues.toml [tables] own_period_column, prior_year_column, change_column,
comparison_row and [tables.period_header]. Used by the readers of indicator rows under period
columns (period_tables.py) and of '|' tables whose columns are periods (tables.py).
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable

from etl import catalog
from etl.extract import table_titles
from etl.extract.periods import period_of

YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
MONTHS_ONLY = re.compile(r"[0-9一二三四五六七八九十上下半年第季度全前~～至—\-]+月?份?")
MONTH_END = re.compile(r"(\d{1,2})$")


@functools.cache
def _cues() -> dict[str, re.Pattern]:
    t = catalog.cues()["tables"]
    c = t["period_header"]
    return {"own": re.compile(t["own_period_column"] + "|" + c["own"]), "cumulative": re.compile(c["cumulative"]),
            "prior": re.compile(t["prior_year_column"]), "tail": re.compile(f"(?:{c['tail']})$"),
            "change": re.compile(t["change_column"] + "|" + t["comparison_row"] + "|" + c["change"]),
            "level": re.compile(t["level_subheader"] + "|" + c["level"]), "unit": re.compile(c["unit"])}


@dataclasses.dataclass
class Period:
    kind: str                  # 'level', 'change', 'unit' or 'other' (not read)
    header: str
    year_back: int = 0         # years before the table's (上年同期: 1)
    year: int | None = None    # a year the cell writes
    months: str | None = None  # months the cell names; None: the table's
    cumulative: bool = False   # January to the table's month (累计)
    own_month: bool = False    # the table's month ('本月'): unknown in a table whose month is not
    unit_text: str | None = None


def bare(text: str) -> str:
    return re.sub(r"\s", "", text)


def period_of_header(text: str) -> Period:
    """The period one header cell keys its column on (kind 'other' for a cell naming none)."""
    t = bare(text)
    c = _cues()
    if c["change"].search(t):
        return Period("change", text)
    if c["unit"].fullmatch(t):
        return Period("unit", text)
    back = 0
    if prior := c["prior"].match(t):
        back, t = 1, t[prior.end():]
    t = c["tail"].sub("", t)
    if not t and back:
        return Period("level", text, year_back=1)
    if c["own"].fullmatch(t):
        return Period("level", text, back, own_month="月" in t)
    if c["cumulative"].fullmatch(t):
        return Period("level", text, back, cumulative=True)
    written = YEAR.match(t)
    rest = t[written.end():] if written else t
    rest = re.sub(r"累计$", "", rest)
    if written and not rest:
        return Period("level", text, back, year=int(written.group(1)))
    named = period_of(rest) if rest and MONTHS_ONLY.fullmatch(rest) else None
    if named:
        return Period("level", text, back, int(written.group(1)) if written else None, named,
                      cumulative=named.startswith("1-") and not written)
    return Period("other", text)


def is_period(text: str) -> bool:
    """A header cell naming a period of levels ('本月', '1-10月', '上年同期'), nothing else."""
    return period_of_header(text).kind == "level"


def column_months(period: Period, table_months: str) -> str | None:
    """The months of a column of `period` in a table of `table_months`; None when they cannot be
    told ('累计' or '本月' in a table whose month is not known)."""
    if period.months:
        return period.months
    if period.cumulative:
        end = MONTH_END.search(table_months)
        if table_months == "1-12" or not end:
            return None
        return "1" if end.group(1) == "1" else f"1-{end.group(1)}"
    if period.own_month and table_months == "1-12":
        return None
    return table_months


def is_level_word(text: str) -> bool:
    """A lower header cell holding the level itself ('监测值', '浓度(μg/m3)')."""
    words = re.split(r"[(（]", bare(text))[0]
    return bool(words and re.fullmatch(f"(?:{_cues()['level'].pattern})+", words))


def titled(cell_text: str, title: str) -> str:
    """A period cell ('10月', '累计') of a table whose title names one indicator ('表1 各县区PM2.5
    浓度(μg/m³)') with that indicator put before it: each period column is of the title's indicator."""
    if not is_period(cell_text) or not (name := table_titles.title_indicator(title)):
        return cell_text
    return f"{name} {cell_text}"


def with_months(columns: list, labels: list[tuple[str, str]], table_months: str) -> list:
    """The columns (tables.Column or None) of a '|' table with their months told by their period
    words ('累计' in a table of 10月: 1-10); a column whose months cannot be told is not read."""
    out = []
    for column, (group, own) in zip(columns, labels):
        period = next((p for text in (own, group) if (p := period_of_header(_period_words(text))).kind == "level"), None)
        if column is None or period is None or not (period.cumulative or period.own_month):
            out.append(column)
            continue
        months = column_months(period, table_months)
        out.append(dataclasses.replace(column, months=months) if months else None)
    return out


def _period_words(text: str) -> str:
    """A header cell without the indicator named before its period ('PM2.5浓度 累计' -> '累计')."""
    return text.rsplit(" ", 1)[-1] if " " in text.strip() else text


def dated(column, table_period: Callable[[], tuple[int | None, str]]):
    """A cell table's column (cell_tables.Column) with the months its period words give
    ('PM2.5浓度 累计' in a table of 10月: 1-10); None when they cannot be told."""
    words = _period_words(column.header)
    if column.mention is None or not is_period(words):
        return column
    return dated_by(column, words, table_period()[1])


def dated_by(column, upper_text: str, table_months: str):
    """A cell table's column with the months of the upper period cell over it ('1-10月', '累计');
    None when they cannot be told."""
    period = period_of_header(upper_text)
    if period.kind != "level" or not (period.months or period.cumulative or period.own_month):
        return column
    months = column_months(period, table_months)
    return dataclasses.replace(column, months=months) if months else None
