"""A range a figure moved within is no level.

'全年收盘价在52元/吨至88元/吨' gives the lowest and the highest of a year's daily prices; '日均浓度处于
12~48微克/立方米' the spread of daily means. Neither bound is the period's level (cues.toml [spread]).
A range with no such word before it ('新增3000万至5000万立方米') is kept as one range.
"""
from __future__ import annotations

from etl import catalog
from etl.extract.values import Value


def is_spread(text: str, v: Value) -> bool:
    """The value is a range written after a word that says the figure moved within it."""
    return v.number_high is not None and bool(catalog.cue_pattern("spread", "before").search(text, max(0, v.start - 8), v.start))
