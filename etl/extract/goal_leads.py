"""A goal figure whose clause says only how and when it was met: '…优良率达到94.2%,提前达到“十三五”末
88%的目标值', '…为91%,超额完成2020年85%的目标'. Nothing in the clause names a quantity; the goal is
the indicator's the sentence has just given (cues.toml kind.goal_lead: the words such a clause may
hold before its figure; kind.target_after: the goal word right after it)."""
from __future__ import annotations

from etl import catalog


def leads_a_goal(text: str, clause_start: int, value_start: int, value_end: int) -> bool:
    """The clause before the value holds only goal-meeting words, and a goal word follows it."""
    return bool(catalog.cue_pattern("kind", "goal_lead").fullmatch(text, clause_start, value_start)
                and catalog.cue_pattern("kind", "target_after").match(text, value_end))
