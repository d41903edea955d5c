"""A running total counted to a day part-way through a month.

'截至12月14日，全国碳市场…累计成交量99828998吨' states a total reached on that day: like '截至11月底'
(January through November, etl/extract/periods.py last_period) it is read as January through the
month it was counted to, '1-12' here. A mean to such a day ('截至9月18日，全县PM2.5年均浓度为…') still
has no period one can chart (periods.py day_span_period): this applies only to indicators the catalog
marks as running totals (indicators.csv scope 'cumulative').

The day names no year: when the sentence names none either, the page's date tells it, as for a month
named alone ('8月份…' in a page of 2022-09-15, periods.py year_of_dated_period): the day falls
shortly before the date ('截至12月14日' in a page of 2021-12-15 is 2021; in a page of 2022-01-05, 2021).
"""
from __future__ import annotations

from etl.extract.matchers import matchers
from etl.extract.periods import DATED_PERIOD_MAX_GAP, MONTH_END_DAY, last_period

# a month written in Chinese numerals ('截至十二月十四日')
MONTHS = {n: i for i, n in enumerate("一二三四五六七八九", 1)} | {"十": 10, "十一": 11, "十二": 12}


def running_total_day(indicator, span: str, published: str | None) -> tuple[str, int | None] | None:
    """(months, year or None) of a value of `indicator` (a catalog Indicator or None) whose sentence,
    up to the value (`span`), counts it to a day part-way through a month, when the indicator is a
    running total; None otherwise (or when a period is named after that day)."""
    if getattr(indicator, "scope", "") != "cumulative":
        return None
    mx = matchers()
    days = [m for m in mx.as_of_month.finditer(span) if m.group(2) and int(m.group(2)) < MONTH_END_DAY]
    if not days or last_period(span[days[-1].end():], mx):
        return None
    group = days[-1].group(1)
    month = int(group) if group.isdigit() else MONTHS.get(group, 0)
    if not 1 <= month <= 12:
        return None
    return (f"1-{month}" if month > 1 else "1"), _year_of_day(month, published)


def _year_of_day(month: int, published: str | None) -> int | None:
    """The year of a day in `month` that a page dated `published` counts to: the page's year, or the
    year before when the month lies after the date's ('12月' in a page of January); None when the page
    is undated or the day lies further back than a release reports on."""
    if not published:
        return None
    year, month_published = int(published[:4]), int(published[5:7])
    gap = month_published - month if month <= month_published else month_published + 12 - month
    if gap > DATED_PERIOD_MAX_GAP:
        return None
    return year if month <= month_published else year - 1
