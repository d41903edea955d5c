"""The year an earlier paragraph's opening period lends to the paragraphs after it.

A release opens one paragraph on its period ('7月份,全国…为88.2%。') and goes on in the next
paragraphs with other regions ('珠三角地区…为92.0%。成渝地区…'), naming neither year nor month: the
period the first paragraph opened on holds for them (periods._months lends its months), and so does
the year its values were dated with, when nothing nearer (the sentence, the paragraph, a heading,
the page's own stated year) names one.
"""
from __future__ import annotations


def carried_year(carried: tuple | None) -> tuple[int | None, str, str | None]:
    """(year, source, cue) for a value whose year nothing nearer names: the year of the values of
    the paragraph whose opening period is still in force (reader.read_paragraphs carries it), as
    a paragraph's year; else unresolved. Only a month or a span of months carries its year (a
    paragraph opening on '2023年,…' dates no figure of the next, which may be of any year)."""
    if carried and len(carried) > 2 and carried[2] is not None and carried[1] != "1-12":
        return carried[2], "paragraph", None
    return None, "none", None


# where a value's own text named its period: the sentence's, not one lent from the page
OWN_PERIOD_SOURCES = ("clause", "sentence", "paragraph")


def continued_period(previous, following: list, read: list, carried: tuple | None) -> tuple | None:
    """The period in force after `previous` when the paragraph `following` holds is the rest of the same line (a long
    paragraph the segmenter cut in passages: nothing stands between them): the period and year of the
    last value `previous` read for a catalog measure with its own period ('8月份,全国…为90.1%。'
    carries to '华北地区…为85.0%。' in the next passage); else what was carried before. Only a
    month or a span of months carries: a whole year's values in a long essay date no later figure."""
    if not following or following[0].clean_start != previous.clean_start + len(previous.text):
        return carried
    own = [m for m in read if m.indicator_id and m.kind == "actual" and m.year is not None
           and m.period_source in OWN_PERIOD_SOURCES and m.months != "1-12"]
    return (None, own[-1].months, own[-1].year) if own else carried


def months_lent_among_lead(carried: tuple | None, ctx, year: int | None, kind: str) -> str | None:
    """The months an earlier paragraph opened on, for a paragraph naming none, when the lead
    announced that month as well as the span up to it: a release on '5月和1—5月' (or one whose
    lead names only '前5月') reports the month in a paragraph opening on '5月,…' and goes on in
    the next ('全国…比例为90.1%…') with the same month, not with the page's default period. A goal, another year than the page's, or a
    period the lead does not announce lends nothing (None)."""
    if not carried or kind == "target" or not _announced(carried[1], ctx.lead_periods):
        return None
    if year is not None and (carried[0] not in (None, year) or year != ctx.report_year):
        return None   # (a year the sentence states itself; none yet: the page's dateline dates the months)
    return carried[1]


def _announced(months: str, lead_periods: tuple) -> bool:
    """A period the lead announced beside another, or the single month a span of the lead ends on
    ('5' with '1-5'): the month of a release on a month and the year to date."""
    if months in lead_periods:
        return len(lead_periods) > 1
    return "-" not in months and any(p.endswith(f"-{months}") for p in lead_periods)
