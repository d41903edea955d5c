"""A bare rate said of the monitored sections graded good: '全市20个国控断面均达到Ⅱ类,优良比例100%',
'12个考核断面中,Ⅰ~Ⅲ类断面11个,达标率为91.7%'. The clause gives only a rate word (优良比例,
优良率, 达标率); the sentence before it counts sections of grades Ⅰ–Ⅲ (or 优良) and no other
water body. Such a rate is the surface-water sections' good share: the air's short names
(优良率) are no air share in a sentence about water, and 达标率 alone names no indicator.

Guards (cues.toml [link.section_rate]): the rate must follow the graded sections with no other
grade (Ⅳ, Ⅴ, 劣) or body (lakes, the sea, drinking-water sources, air) named in between or
before it in its sentence, since '湖库优良比例' or '水源地达标率' is another indicator's."""
from __future__ import annotations

import functools
import re

from etl import catalog

__all__ = ["section_rate"]


@functools.cache
def _rule() -> tuple[catalog.Indicator, dict[str, re.Pattern]] | None:
    rule = catalog.cues()["link"].get("section_rate")
    by_id = {i.indicator_id: i for i in catalog.indicators()}
    if not rule or rule["indicator"] not in by_id:
        return None
    return by_id[rule["indicator"]], {k: catalog.cue_pattern("link", "section_rate", k)
                                      for k in ("rate", "sections", "graded", "other")}


def section_rate(text: str, sentence_start: int, clause_start: int, value_start: int,
                 percent: bool) -> catalog.Indicator | None:
    """The sections' good-share indicator, when the value's clause is a bare rate word and its
    sentence (from its last semicolon) speaks of sections graded good and of nothing else."""
    found = _rule()
    if found is None or not percent:
        return None
    indicator, cue = found
    if not cue["rate"].fullmatch(text, clause_start, value_start):
        return None
    said = text[_opening(text, sentence_start, clause_start):clause_start]
    if not cue["sections"].search(said) or not cue["graded"].search(said):
        return None
    if cue["other"].search(said):
        return None   # lakes, the sea, sources, air, or another grade named: not the sections' good share
    return indicator


def _opening(text: str, sentence_start: int, clause_start: int) -> int:
    """Where the words the rate is said of begin: the sentence, or its last semicolon's part."""
    cut = max(text.rfind(";", sentence_start, clause_start), text.rfind("；", sentence_start, clause_start))
    return cut + 1 if cut >= 0 else sentence_start
