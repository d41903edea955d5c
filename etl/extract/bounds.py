"""A comparison word with the figure right after it bounds a level, it states no difference:
'饮用水水源水质达到或优于Ⅲ类比例总体高于93%' (a goal's floor), '优良天数比例高于90%'. A difference
names its yardstick between the word and the figure ('高于全国平均水平15个百分点', '好于年度目标4.6
微克/立方米'), and one in 个百分点 is a change whatever stands before it (reader._kind)."""
from __future__ import annotations

import re


def bound_before(between: str, comparison: re.Pattern) -> bool:
    """Whether the last comparison word in `between` (the text from the name to the figure) is its end."""
    last = None
    for last in comparison.finditer(between):
        pass
    return last is not None and not between[last.end():].strip()
