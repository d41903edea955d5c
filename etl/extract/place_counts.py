"""A count of places passing a mark: '8个县市中,有6个县市森林覆盖率超过70%' says how many places
lie above 70%, it gives no place's level. A bound (超过, 以上, 不足 …: the value's qualifier) said of
a counted group of places in its own clause (cues.toml [counted_group] mark_of) is dropped."""
from __future__ import annotations

import functools
import re

from etl.catalog import cues
from etl.model import Metric, Paragraph

CLAUSE_START = re.compile(r"[，,；;。：:!！?？]")


@functools.cache
def _mark_of() -> re.Pattern | None:
    pattern = cues().get("counted_group", {}).get("mark_of")
    return re.compile(pattern) if pattern else None


def drop_place_counts(metrics: list[Metric], paragraphs: list[Paragraph]) -> list[Metric]:
    """The metrics without the bounds that counted places pass."""
    pattern = _mark_of()
    if pattern is None:
        return metrics

    def a_mark(m: Metric) -> bool:
        if m.kind != "actual" or not m.qualifier or m.qualifier == "~" or not 0 <= m.paragraph_seq < len(paragraphs) or m.para_start < 0:
            return False
        text = paragraphs[m.paragraph_seq].simplified[:m.para_start]
        starts = [c.end() for c in CLAUSE_START.finditer(text)]
        return bool(pattern.search(text, starts[-1] if starts else 0))

    return [m for m in metrics if not a_mark(m)]
