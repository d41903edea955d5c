"""The months of a base year's figure compared over the same stretch.

A monthly or quarterly release compares its figure with the same months of the year before, and
often writes that year's figure beside its year: '…为92.1%,与2030年(90.8%)同比上升…', '较2030年同
期(41微克/立方米)'. That figure is of the release's months in the base year, not of the base year as a
whole (cues.toml [period] same_period).
"""
from __future__ import annotations

from etl import catalog
from etl.model import DocContext


def same_period_months(clause_text: str, year: int | None, year_source: str, ctx: DocContext) -> str | None:
    """The release's months for a figure tied to an earlier year its clause compares over the same
    stretch; None when the figure is no such base (or the release covers the whole year)."""
    if year_source != "tied" or year is None or ctx.report_year is None or year >= ctx.report_year:
        return None
    if ctx.months_source == "default" or ctx.default_months == "1-12":
        return None
    return ctx.default_months if catalog.cue_pattern("period", "same_period").search(clause_text) else None
