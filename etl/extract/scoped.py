"""A part's figure beside the whole's: '全省地表水断面水质优良比例为91.2%' in one paragraph and
'国家考核断面水质优良比例为90.8%' in another give one indicator of one region and period twice.
The second is said of a part of the region's sections (its scope, cues.toml [scope]: the
state-assessed sections, the county-level cities, the rural part …), so once the document has
given the whole's own figure the part's is not the region's: its region is left unresolved.
A scoped figure alone (a report that gives only its state-assessed sections) stays the region's."""
from __future__ import annotations

from etl import catalog
from etl.catalog.scope import scope_of
from etl.model import Metric, Paragraph


def metric_scope(m: Metric, paragraphs: list[Paragraph]) -> str:
    """The part of its region a metric's sentence says it describes ('' for the whole)."""
    text = paragraphs[m.paragraph_seq].simplified if 0 <= m.paragraph_seq < len(paragraphs) else ""
    return scope_of(text[m.evidence_start:m.para_start])


def set_apart(metrics: list[Metric], is_part, leads=lambda m: False, is_whole=lambda m: True) -> list[Metric]:
    """Metrics `is_part` tells are a part's, where the page also gives the whole's own (other)
    value of the same indicator, region, period and kind (a metric that is no part and `is_whole`):
    their region unresolved. A part that `leads` (a network's figure) and is stated before any
    figure of the whole is the page's headline, and stays (metrics come in the page's order)."""
    def key(m: Metric):
        return m.indicator_id, m.region, m.year, m.months, m.kind

    candidates = [m for m in metrics if m.indicator_id and m.region and m.kind in ("actual", "target")]
    part = {id(m): is_part(m) for m in candidates}
    whole: dict = {}
    first_whole: dict = {}
    for i, m in enumerate(candidates):
        if not part[id(m)] and is_whole(m):
            whole.setdefault(key(m), set()).add(m.value)
            first_whole.setdefault(key(m), i)
    for i, m in enumerate(candidates):
        if part[id(m)] and leads(m) and i < first_whole.get(key(m), i):
            continue   # '国考断面…96.8%' first, '监测断面…96.4%' after: the headline is the network's
        if part[id(m)] and whole.get(key(m)) and m.value not in whole[key(m)]:
            m.unplace()
    return metrics


def set_apart_parts(metrics: list[Metric], paragraphs: list[Paragraph]) -> list[Metric]:
    """Scoped figures whose document also gives the unscoped one (another value) unresolved."""
    leading = set(catalog.cues()["scope_leads"]["networks"])
    return set_apart(metrics, lambda m: bool(metric_scope(m, paragraphs)),
                     lambda m: metric_scope(m, paragraphs) in leading)
