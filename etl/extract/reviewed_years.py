"""Years a page reports on: a sentence that names one year and compares its figure with the year
before ('2024年全国PM2.5平均浓度为29.3微克/立方米,同比下降2.7%') measures that year. Such a year is
under review wherever else the page names it, however early the page's date: a spam mirror dated
before the year it copies ('发布日期:2023-12-03' over a review of 2024) does not make the copied
figures of that year goals ('2024年全国受污染耕地安全利用率达到92%' stays a level)."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.model import Paragraph

_SENTENCE = re.compile(r"[^。！？!?\n]+")
_YEAR = re.compile(r"(?<![\d比较与同至到从自由])((?:19|20)\d{2})\s*年(?!\s*(?:以来|同期|目标|底前|前))")


@functools.cache
def _cues() -> tuple[re.Pattern, re.Pattern]:
    kind = catalog.cues()["kind"]
    return re.compile(kind["year_on_year"]), re.compile("|".join(kind["target"]))


def reviewed_years(paragraphs: list[Paragraph]) -> frozenset[int]:
    """The years that sentences of the page measure with a comparison to the year before,
    naming no other year and no goal."""
    year_on_year, target = _cues()
    years = set()
    for p in paragraphs:
        for s in _SENTENCE.finditer(p.simplified):
            said = s.group(0)
            if not year_on_year.search(said) or target.search(said):
                continue
            named = {int(y) for y in _YEAR.findall(said)}
            if len(named) == 1:
                years |= named
    return frozenset(years)
