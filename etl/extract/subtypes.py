"""One kind of an indicator's whole beside the whole's own figure is a part.

An afforestation total is often followed by its breakdown by method ('完成造林5.1万亩…其中人工造林
3.2万亩,封山育林1.9万亩'). The method the catalog reads as afforestation when a page gives nothing
else ('人工造林') is then only a part of the total: its region is left unresolved (cues.toml
[subtype] phrases). A figure under a name broader than the indicator ('营造林', which counts forest
tending too) is no such total: beside it the method's figure stays the region's afforestation.
"""
from __future__ import annotations

from etl import catalog
from etl.model import Metric


def set_apart_subtypes(metrics: list[Metric]) -> list[Metric]:
    """Figures of a sub-kind whose page also gives the whole's own (other) figure: unresolved."""
    kind, broader = catalog.cue_pattern("subtype", "phrases"), catalog.cue_pattern("subtype", "broader")

    def key(m: Metric):
        return m.indicator_id, m.region, m.year, m.months, m.kind

    levels = [m for m in metrics if m.indicator_id and m.region and m.kind in ("actual", "target")]
    whole: dict = {}
    for m in levels:
        if not kind.search(m.phrase or "") and not broader.search(m.phrase or ""):
            whole.setdefault(key(m), set()).add(m.value)
    for m in levels:
        if kind.search(m.phrase or "") and whole.get(key(m)) and m.value not in whole[key(m)]:
            m.region, m.region_code, m.region_source = None, None, "unresolved"
            m.confidence = round(max(0.05, m.confidence - 0.5), 2)
    return metrics
