"""A change's size told in the clause after the one naming it: '两区浓度都比去年同期高,甲区升幅
居首,约为11%', '降幅最明显,为12.5%'. The figure has no name of its own in its clause and the clause
before ends on how large a rise or fall was (cues.toml [kind] change_size): it is that change, not a
level of whatever indicator the sentence named first. So are the figures right after the places
listed under a change's size ('下降幅度相对较大的是甲区(55微克/立方米)、乙区(…)'), and a margin after
a comparison's yardstick ('甲区达标天数比全市达标天数少1天')."""
from __future__ import annotations

import re

from etl.catalog import cue_pattern


def size_of_change_before(text: str, sentence_start: int, clause_start: int) -> bool:
    """Whether the clause before the value's (in its sentence) ends on a change's size."""
    if clause_start <= sentence_start:
        return False
    return bool(cue_pattern("kind", "change_size").search(text, sentence_start, clause_start))


def change_of_listed_place(text: str, sentence_start: int, place_end: int) -> bool:
    """'其中下降幅度相对较大的是甲区(55微克/立方米)、乙区(50…)', '上升幅度分别为甲区10微克/立方米、
    乙市9微克/立方米': a figure right after a place listed under the words of a change's size
    (cues.toml [kind] change_size_lead, with no clause break between) is that place's change."""
    leads = list(cue_pattern("kind", "change_size_lead").finditer(text, sentence_start, place_end))
    return bool(leads) and not re.search(r"[，,；;。:：]", text[leads[-1].end():place_end])


def named_in_comparison(text: str, clause_start: int, mention_start: int, mention_end: int, value_start: int) -> bool:
    """'甲区达标天数比全市达标天数少1天': the name the figure follows is the yardstick's, inside a
    comparison (比 …, then 少/多/低/高 right before the figure): the figure is the margin."""
    return bool(re.search(r"比[^，,；;。\d]{0,12}$", text[clause_start:mention_start])
                and re.fullmatch(r"\s*(?:的)?\s*(?:平均水平|平均值|平均)?\s*(?:还|要)?\s*[低高少多]\s*(?:了|出)?\s*", text[mention_end:value_start]))
