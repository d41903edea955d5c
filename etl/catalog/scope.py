"""The scope of a value: the part of its region a figure describes (县级城市, 农村, 国控断面 …);
and whether a change is a margin against a target (好于年度目标2.9).

Read from the words of the value's sentence before it, by the `[scope]` table of
data/catalog/cues.toml: the scope word nearest the value wins, unless a region-wide word
(`reset`: 全省, 全市 …) stands between it and the value. '' is the whole region.
"""
from __future__ import annotations

import functools
import re

from etl.catalog import cues


@functools.cache
def _patterns() -> tuple[list[tuple[re.Pattern, str]], re.Pattern | None]:
    table = dict(cues().get("scope", {}))
    reset = table.pop("reset", [])
    words = [(re.compile(pattern), label) for pattern, label in table.items()]
    return words, re.compile("|".join(map(re.escape, reset))) if reset else None


def scope_of(before: str) -> str:
    """The scope label for a value whose sentence reads `before` up to the value (simplified script)."""
    words, reset = _patterns()
    best_end, label = -1, ""
    for pattern, name in words:
        for m in pattern.finditer(before):
            if m.end() > best_end:
                best_end, label = m.end(), name
    if best_end < 0:
        return ""
    if reset is not None and reset.search(before, best_end):
        return ""
    return label


@functools.cache
def _margin() -> re.Pattern | None:
    pattern = cues().get("margin", {}).get("pattern")
    return re.compile(pattern) if pattern else None


def kind_with_margin(kind: str, before: str) -> str:
    """'margin' for a change read as the distance to a target ([margin] of cues.toml), else `kind`."""
    margin = _margin()
    if kind in ("change", "actual") and margin is not None and margin.search(before):
        return "margin"
    return kind
