"""A goal's label before a colon: '市里下达的改善目标为：PM2.5年均浓度39微克/立方米，优良天数比例
82.7%' — the colon ends the clause that holds the goal word, yet every figure after it in the
sentence is part of the goal. The label is cues.toml kind.goal_label; a label said of a goal
reached ('完成了目标：', '实现年度目标：', kind.goal_label_reached) and '目标完成情况：' report
what was reached, and a later label ('…；完成值：32') ends the goal's reach."""
from __future__ import annotations

import re

from etl import catalog

COLON = re.compile(r"[:：]")


def under_goal_label(text: str, sentence_start: int, clause_start: int) -> bool:
    """The last label ending in a colon in the sentence before the value's clause is a goal's."""
    colons = [m.end() for m in COLON.finditer(text, sentence_start, clause_start)]
    if not colons:
        return False
    last = colons[-1]
    label = catalog.cue_pattern("kind", "goal_label")
    reached = catalog.cue_pattern("kind", "goal_label_reached")
    m = next((m for m in label.finditer(text, max(sentence_start, last - 12), last) if m.end() == last), None)
    return m is not None and not reached.search(text[max(sentence_start, m.start() - 8):m.start()])
