"""One kind of an indicator's whole beside the whole's own figure is a part.

An afforestation total is often followed by its breakdown by method ('完成造林5.1万亩…其中人工造林
3.2万亩,封山育林1.9万亩'). The method the catalog reads as afforestation when a page gives nothing
else ('人工造林') is then only a part of the total: its region is left unresolved (cues.toml
[subtype] phrases). A figure under a name broader than the indicator ('营造林', which counts forest
tending too) is no such total: beside it the method's figure stays the region's afforestation.
"""
from __future__ import annotations

from etl import catalog
from etl.extract.scoped import set_apart
from etl.model import Metric


def set_apart_subtypes(metrics: list[Metric]) -> list[Metric]:
    """Figures of a sub-kind whose page also gives the whole's own (other) figure: unresolved."""
    kind, broader = catalog.cue_pattern("subtype", "phrases"), catalog.cue_pattern("subtype", "broader")
    return set_apart(metrics, lambda m: bool(kind.search(m.phrase or "")),
                     is_whole=lambda m: not broader.search(m.phrase or ""))
