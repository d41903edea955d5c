"""The months a headline names together with its year.

A headline that states one year and one month or span ('某省空气质量2019年7月份城市排名') but no
results word after the period (排名, 榜单, 一览) is not a lead statement, yet it is what the page
reports on: the values whose sentences name no period are that month's, as they are that year's.
"""
from __future__ import annotations

import re

from etl import catalog
from etl.extract.periods import period_of

# '2019年7月份', '2019年1-7月', '2019年1月至7月' (not a day: '2019年7月15日')
TITLE_YEAR_MONTHS = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2}\s*月?\s*[—–\-~～至到]\s*\d{1,2}\s*月|\d{1,2}\s*月)"
                               r"(?:份)?(?!\s*\d{1,2}\s*[日号])")


def title_lead(title: str | None, report_year: int | None,
               year_source: str) -> tuple[int, list[str], str] | None:
    """(year, [months], 'title') when the page's year came from its headline and the headline names
    exactly one period of that year; None otherwise (two periods: '8月和1-8月' is the lead's case)."""
    if not title or report_year is None or year_source != "title":
        return None
    found = list(TITLE_YEAR_MONTHS.finditer(title))
    if len(found) != 1 or int(found[0].group(1)) != report_year:
        return None
    if any(word in title[found[0].end():] for word in catalog.cues()["title_period"]["event_after"]):
        return None   # '…2024年1月例行新闻发布会': the day of an event
    months = period_of(found[0].group(2))
    return (report_year, [months], "title") if months else None


# a line that is nothing but a year and its period in brackets: '(2031年6月)', '（2031年第二季度）'
# (unbracketed, '2031年4月' may be a cell of a table written one cell a line)
PERIOD_ONLY = re.compile(r"\s*[(（]\s*((?:19|20)\d{2})\s*年度?\s*((?:(?!(?:19|20)\d{2})[^()（）。，,；;|]){1,8}?)\s*[)）]\s*")


def period_line_lead(head: list[str]) -> tuple[int, list[str], str] | None:
    """(year, [months], 'title') from the first line among `head` (the simplified paragraphs below
    the title) that is nothing but a year and one period in brackets: a report's period under its name,
    which chrome lines ('合集下载', '相关主题') may have pushed out of the lead's reach."""
    for text in head:
        if (m := PERIOD_ONLY.fullmatch(text)) and (months := period_of(m.group(2))):
            return int(m.group(1)), [months], "title"
    return None
