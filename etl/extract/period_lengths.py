"""A period's length in brackets after it is no count of days.

Monthly notices often write how many days the period has right after naming it ('6月(30天),全市优
良天数为25天', '1—6月(共181天)'). The number is a calendar fact, not a count of good or polluted days,
even when the sentence goes on to name such a count (cues.toml [period] length_before, length_after).
"""
from __future__ import annotations

from etl import catalog
from etl.extract.values import Value

DAY_UNITS = ("天", "日")


def is_period_length(text: str, v: Value) -> bool:
    """The value is the day count in brackets right after a period ('5月(31天)')."""
    return ((v.unit_text or "").strip() in DAY_UNITS
            and bool(catalog.cue_pattern("period", "length_before").search(text, max(0, v.start - 16), v.start))
            and bool(catalog.cue_pattern("period", "length_after").match(text, v.end)))
