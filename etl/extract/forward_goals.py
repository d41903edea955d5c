"""A goal for what comes next, in a review of a whole year, is the next year's.

An annual review closes on what is to be done next: '下一步,全区将…确保优良天数比例不低于90%'. The
goal names no year, so the reader dates it to the year reviewed; but that year is over, and the
goal is the coming year's (cues.toml [kind] forward). A review of part of a year ('1-9月…下一步,
确保全年…') sets goals for the year still running, and keeps its year.
"""
from __future__ import annotations

from etl import catalog
from etl.model import DocContext

# how the reader says a year was not stated with the value (its paragraph, heading or the page)
UNSTATED = ("paragraph", "heading", "document")
# a page dated in its own reviewed year before this month is written while the year runs
YEAR_END_MONTH = 11


def forward_goal_year(kind: str, year: int | None, year_source: str, said_before: str, ctx: DocContext) -> int | None:
    """The year after the one reviewed for a goal said of what comes next, else `year`.
    `said_before` is the value's paragraph up to the value."""
    if kind != "target" or year_source not in UNSTATED or year is None or year != ctx.report_year:
        return year
    if ctx.default_months != "1-12" or not ctx.report_year_explicit:
        return year
    if ctx.published and int(ctx.published[:4]) == year and int(ctx.published[5:7] or 12) < YEAR_END_MONTH:
        return year
    return year + 1 if catalog.cue_pattern("kind", "forward").search(said_before) else year
