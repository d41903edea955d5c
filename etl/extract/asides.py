"""Clauses that a comma inside a bracketed note would cut: '水质达标率(按主要指标,不含总氮,下同)为100%'
is one clause, its name before the note and its figure after it. A bracket holding no figure is
a note on how the value was reckoned; its commas end no clause. (A bracket holding figures,
'(其中:优79天,良235天)', lists values of its own and is cut as before.)"""
from __future__ import annotations

import re

from etl import catalog

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


# a bracket opened and closed within one sentence (no nested brackets)
BRACKET = re.compile(r"[(（][^()（）。；;]*[)）]")


def outside_closed_asides(text: str, places: list, value_start: int) -> list:
    """The places of `places` (each with .start and .end, all before the value) less those named
    inside a bracketed aside that closes before the value: '全国337个地级及以上城市(甲省原乙市划归
    丙市管辖,……)平均优良天数比例为X%' is the country's figure; the places of the note say how the
    count was made, they are not whose figure follows it."""
    if not places:
        return places
    asides = closed_asides(text, max(0, places[0].start - 60), value_start)
    # (a bracket holding one place's name alone glosses the name before it, '中心城市(西昌市)':
    # that place is the subject; and an aside only sets its places apart from a place named before
    # it: '传输通道城市(甲市、乙市等8市)平均…' names no whole, its members are all the text says)
    # (nor one right after a count of sections or points, '劣Ⅴ类水质断面2个(甲市某坝、乙州某桥)': its
    # places say where the counted sites lie, not whose share follows)
    sites = catalog.cue_pattern("region", "sites_counted_before")
    inside = [(a, b) for a, b in asides
              if any(a < r.start and r.end < b for r in places)
              and (any(r.end <= a and not in_aside(asides, r.start, r.end) for r in places)
                   or sites.search(text, max(0, a - 16), a))]
    return [r for r in places if not any(a < r.start and r.end < b and text[a + 1:b - 1].strip() != text[r.start:r.end]
                                         for a, b in inside)]


def in_aside(asides: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the span [start, end) stands inside one of the asides (spans, brackets included)."""
    return any(a < start and end < b for a, b in asides)


def closed_asides(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The bracketed asides opened at or after `start` and closed by `end`."""
    return [(m.start(), m.end()) for m in BRACKET.finditer(text, start, end)]

