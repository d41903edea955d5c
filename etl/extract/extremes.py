"""A day's or an hour's extreme ('日均浓度最高值为238', '小时浓度最大值为45', '日均值最小为31') is
no level of the period: the month's or the year's concentration is its mean. Such a figure
keeps its phrase and no catalog indicator (cues.toml [extreme]); the name of ozone's own
statistic ('日最大8小时平均') is no extreme."""
from __future__ import annotations


from etl import catalog



def is_extreme(label: str) -> bool:
    """True when the words between an indicator's name and its figure make it a short period's extreme."""
    return bool(catalog.cue_pattern("extreme", "short_period_extreme").search(label))
