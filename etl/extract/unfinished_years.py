"""A whole year's figure on a page written before that year was over is the year's goal.

A plan or a method published part-way through a year often opens on what the year is to reach:
'2031年,甲率达到90%左右,乙率达到90%以上。到2040年,…'. No measurement of the whole year can exist
yet on that date, so a figure said of the whole of the page's own year, with a reaching verb and no
sign that it was measured ('同比', '已', '截至', '目前' …), is a target (cues.toml [kind] unfinished_*).
A page on part of the year (a lead naming its months) or a figure of part of the year is left alone,
and so is a page dated in the year's last months (a summary may round off the year early).
"""
from __future__ import annotations

from etl import catalog
from etl.model import DocContext


def unfinished_year_kind(kind: str, year: int | None, months: str | None, year_source: str,
                         said_before: str, sentence: str, ctx: DocContext) -> str:
    """'target' for an actual whole-year figure of the page's own unfinished year, else `kind`.
    `said_before` is the value's sentence up to the value, `sentence` the whole of it."""
    if kind != "actual" or months != "1-12" or year_source not in ("clause", "sentence") or not ctx.published:
        return kind
    if ctx.lead_periods or year != int(ctx.published[:4]):
        return kind
    cues = catalog.cues()["kind"]
    if int(ctx.published[5:7] or 12) > cues["unfinished_last_month"]:
        return kind
    if not catalog.cue_pattern("kind", "unfinished_reach").search(said_before):
        return kind
    if catalog.cue_pattern("kind", "unfinished_measured").search(said_before) \
            or catalog.cue_pattern("kind", "year_on_year").search(sentence):
        return kind
    return "target"
