"""A plan that counts its span from the day it is told ('今后五年,…森林覆盖率达到23.04%', '未来三年…'):
its figures are goals for the span's last year, counted from the page's own date (a page of
2016 saying 今后五年 speaks of 2016-2020). The words are cues.toml [kind] horizon; an undated
page's span has no year one can tell, and a span whose end the sentence names itself ('到2025年')
is left to the year it names."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.text.numbers import parse_number


@functools.cache
def _horizon() -> re.Pattern | None:
    rule = catalog.cues()["kind"].get("horizon")
    return re.compile(rule) if rule else None


# a year the text names after the span opened ('到2030年', '去年'): what follows is dated by it
NAMED_YEAR = re.compile(r"(?:19|20)\d{2}\s*年|去年|今年|上年|本年|过去")


def plan_horizon(before: str, published: str | None) -> int | None:
    """The goal year of a span counted from now that `before` (the value's paragraph up to it)
    opens, on a page published on `published` ('2016-03-05'); None when there is none."""
    pattern = _horizon()
    m = pattern.search(before) if pattern else None
    if not m or not published or NAMED_YEAR.search(before, m.end()):
        return None
    try:
        years = int(parse_number(m.group("years")))
    except ValueError:
        return None
    return int(published[:4]) + years - 1 if 1 <= years <= 15 else None
