"""Figures that read like a catalog level but are not one, dropped once a paragraph is read.

- A part of a share counted over the days one cause brought: '…由沙尘天气导致的平均超标天数比例为
  1.9%，其中重度及以上污染天数比例为0.4%' gives the dust days' heavy share, not the period's
  重污染天数比例 (cues.toml [not_levels] caused_by, part_of_caused).
- An intensity cut counted from a base year long before ('比2005年下降超过51%') or over a stretch
  of years ('十年来…下降了34.4%', '累计下降8.6%'): the catalog's 碳排放强度下降率 and
  能耗强度下降率 are a year's cut on the year before ([not_levels] year_on_year). Goals keep
  their plan's span ('到2025年…比2020年下降18%')."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.model import Metric, Paragraph


@functools.cache
def _cues() -> dict:
    c = catalog.cues()["not_levels"]
    return {"caused": re.compile(c["caused_by"] + r"[^。；;]*?" + c["part_of_caused"]),
            "year_on_year": frozenset(c["year_on_year"]),
            "base_year": re.compile(c["base_year"]), "stretch": re.compile(c["stretch"])}


def part_of_caused_share(before: str) -> bool:
    """The sentence up to a value ends on a 其中 clause under a share one cause brought."""
    return bool(_cues()["caused"].search(before))


CLAUSE_BREAK = re.compile(r"[，,；;]")


def cumulative_cut(before: str, year: int | None) -> bool:
    """The sentence up to a value counts its cut from a base year before the year before (not
    a five-year plan's base year, its last year's cut), or over a stretch of years."""
    cues = _cues()
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(before)]
    clause = before[breaks[-1]:] if breaks else before
    bases = cues["base_year"].findall(clause)
    if bases:
        base = int(bases[-1])
        plan = base % 5 == 0 and year is not None and year - base == 5
        return year is None or (base < year - 1 and not plan)
    opening = before[:breaks[0]] if breaks else ""
    return bool(cues["stretch"].search(opening) or cues["stretch"].search(clause))


def drop_not_levels(metrics: list[Metric], paragraphs: list[Paragraph]) -> list[Metric]:
    """The metrics less the figures that are no level of their indicator."""
    year_on_year = _cues()["year_on_year"]

    def before(m: Metric) -> str:
        text = paragraphs[m.paragraph_seq].simplified if 0 <= m.paragraph_seq < len(paragraphs) else ""
        return text[m.evidence_start:m.para_start]

    def keep(m: Metric) -> bool:
        if not m.indicator_id or m.kind not in ("actual", "target"):
            return True
        if part_of_caused_share(before(m)):
            return False
        return not (m.kind == "actual" and m.indicator_id in year_on_year and cumulative_cut(before(m), m.year))

    return [m for m in metrics if keep(m)]
