"""A share of a goal done is no level of the goal's indicator: '完成了年度优良天数目标(200天)的62.5%',
'造林面积占全年任务数的65.3%', '完成序时进度的90%' say how far the work has come, not what the
indicator measures (the days' share of the year, a rate). The value is a percentage written right
after the goal word's '的' (cues.toml [progress_share])."""
from __future__ import annotations

import functools
import re

from etl import catalog


@functools.cache
def _before() -> re.Pattern:
    return re.compile("(?:" + catalog.cues()["progress_share"]["before"] + r")\s*$")


def is_progress_share(text: str, clause_start: int, value_start: int, unit_text: str) -> bool:
    """The value at value_start (its unit as written) is the share of a goal done."""
    return unit_text in ("%", "％") and bool(_before().search(text, clause_start, value_start))
