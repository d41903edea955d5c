"""One kind of an indicator's whole beside the whole's own figure is a part.

An afforestation total is often followed by its breakdown by method ('完成造林5.1万亩…其中人工造林
3.2万亩,封山育林1.9万亩'). The method the catalog reads as afforestation when a page gives nothing
else ('人工造林') is then only a part of the total: the scoped-figure rule (scoped.set_apart) leaves
its region unresolved (cues.toml [subtype]).
"""
from __future__ import annotations

from etl import catalog
from etl.extract.scoped import set_apart
from etl.model import Metric


def set_apart_subtypes(metrics: list[Metric]) -> list[Metric]:
    """Figures of a sub-kind whose page also gives the whole's own (other) figure: unresolved."""
    pattern = catalog.cue_pattern("subtype", "phrases")
    return set_apart(metrics, lambda m: bool(pattern.search(m.phrase or "")))
