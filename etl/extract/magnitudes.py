"""A change's size told in the clause after the one naming it: '两区浓度都比去年同期高,甲区升幅
居首,约为11%', '降幅最明显,为12.5%'. The figure has no name of its own in its clause and the clause
before ends on how large a rise or fall was (cues.toml [kind] change_size): it is that change, not a
level of whatever indicator the sentence named first."""
from __future__ import annotations

from etl.catalog import cue_pattern


def size_of_change_before(text: str, sentence_start: int, clause_start: int) -> bool:
    """Whether the clause before the value's (in its sentence) ends on a change's size."""
    if clause_start <= sentence_start:
        return False
    return bool(cue_pattern("kind", "change_size").search(text, sentence_start, clause_start))


def bracketed_change_of_place(text: str, clause_start: int, place_end: int) -> bool:
    """'其中下降幅度相对较大的是甲区(55微克/立方米)': a figure in brackets after a place listed
    under the words of a largest change (cues.toml [kind] change_size_lead) is that change."""
    return bool(cue_pattern("kind", "change_size_lead").search(text, clause_start, place_end))
