"""A change's size told in the clause after the one naming it: '两区浓度都比去年同期高,甲区升幅
居首,约为11%', '降幅最明显,为12.5%'. The figure has no name of its own in its clause and the clause
before ends on how large a rise or fall was (cues.toml [kind] change_size): it is that change, not a
level of whatever indicator the sentence named first. So are the figures in parentheses after the
places a change's size is said of in their own clause: '下降幅度相对较大的是甲区(55微克/立方米)、乙区(…)'."""
from __future__ import annotations

from etl.catalog import cue_pattern


def size_of_change_before(text: str, sentence_start: int, clause_start: int) -> bool:
    """Whether the clause before the value's (in its sentence) ends on a change's size."""
    if clause_start <= sentence_start:
        return False
    return bool(cue_pattern("kind", "change_size").search(text, sentence_start, clause_start))


def size_of_change_for_places(text: str, clause_start: int, value_start: int, place_ends: list[int]) -> bool:
    """Whether a figure right after a place, or in parentheses after it, is the size of the change its
    clause is about ('其中下降幅度相对较大的是甲区(55微克/立方米)、乙区(50微克/立方米)', '上升幅度分别为
    丙区10微克/立方米、丁县9微克/立方米': cues.toml [kind] change_size_subject before the places)."""
    before = value_start - 1 if text[max(0, value_start - 1):value_start] in ("(", "（") else value_start
    while before > clause_start and text[before - 1] in " \u3000":
        before -= 1
    if before not in place_ends:
        return False
    return bool(cue_pattern("kind", "change_size_subject").search(text, clause_start, value_start))
