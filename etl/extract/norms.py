"""Norms quoted beside a measurement: '二级标准限值为35微克/立方米', 'PM2.5二级标准为35微克/立方米'
name the limit a level is judged by, not a level of the place (cues.toml [kind] norm). A clause
that says the norm was met or missed ('达到二级标准为…') is left to the other rules ([kind] norm_met)."""
from __future__ import annotations

import functools
import re

from etl import catalog


@functools.cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    kind = catalog.cues()["kind"]
    return re.compile(kind["norm"]), re.compile(kind["norm_met"])


def quotes_norm(before_clause: str) -> bool:
    """True when the words of a clause before its value end on a norm and its copula."""
    norm, met = _patterns()
    m = norm.search(before_clause)
    return bool(m) and not met.search(before_clause, 0, m.start())
