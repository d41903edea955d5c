"""Clauses that a comma inside a bracketed note would cut: '水质达标率(按主要指标,不含总氮,下同)为100%'
is one clause, its name before the note and its figure after it. A bracket holding no figure is
a note on how the value was reckoned; its commas end no clause. (A bracket holding figures,
'(其中:优79天,良235天)', lists values of its own and is cut as before.)"""
from __future__ import annotations

import re

# a bracketed note without a digit, closed within the sentence
NOTE = re.compile(r"[(（][^()（）\d。；;]*[,，][^()（）\d。；;]*[)）]")


def joined_over_notes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The clause spans with those cut by a comma inside a note joined again."""
    cuts = {i for m in NOTE.finditer(text) for i in range(m.start(), m.end())}
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and out[-1][1] - 1 in cuts and end - 1 >= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def without_notes(text: str) -> str:
    """The text with its bracketed notes without figures taken out ('达标率(按主要指标评价)为')."""
    return re.sub(r"[(（][^()（）\d]*[)）]", "", text)
