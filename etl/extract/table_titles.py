"""The period a table's title lines give it.

Ranking tables of county and city bulletins often carry their month only in the title
('表1 5月各县(市、区)空气质量排名') while the year stands on a heading further up, or only on the
page's dateline. The nearest title line that names a period is the table's period; the year is
the nearest one written above, else the year the document states it reviews, else the year of
a page dated shortly after those months (periods.year_of_dated_period)."""
from __future__ import annotations

import re

from etl.extract.periods import period_of, year_of_dated_period
from etl.model import DocContext

YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# a title line, not a paragraph of text whose period would be its own sentence's
TITLE_MAX_CHARS = 60


def title_period(lines_nearest_first: list[str], ctx: DocContext,
                 max_chars: int | None = TITLE_MAX_CHARS) -> tuple[int | None, str]:
    """(year, months) of a table from the lines just above it, the nearest first (a title
    already cut from its table's cells is read whatever its length: max_chars None)."""
    months = None
    for text in lines_nearest_first:
        years = list(YEAR.finditer(text))
        if years:
            # the period after the last year of the line ('2022年1~7月各市(区)…'), else the line's
            own = period_of(text[years[-1].start():]) or period_of(text)
            return int(years[-1].group(1)), months or own or "1-12"
        if months is None and (max_chars is None or len(text) <= max_chars):
            months = period_of(text)
    if ctx.report_year and ctx.report_year_explicit:
        return ctx.report_year, months or ctx.default_months
    if months:
        return year_of_dated_period(months, ctx.published), months
    return None, "1-12"
