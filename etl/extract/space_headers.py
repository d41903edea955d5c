"""A two-row header over space-aligned columns: a row of indicators over a row of measures.

               PM2.5              优良天数比例        <- upper row: fewer cells, each an indicator
    县区       浓度      同比      比例      同比      <- lower row: the label header, then measures
    甲区       25        -7.4      83.3      +3.3

The upper row has fewer cells than the rows below it, so the space-aligned run starts under it
and its measure cells ('浓度', '同比') name no indicator. Each upper cell spans an equal share of
the lower measure cells, in order (character offsets are not trusted: a scrape does not keep
the alignment of wide characters); the lower cells are read as 'PM2.5 浓度', 'PM2.5 同比'.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from etl.extract.indicators import find_mentions

NUMBER = re.compile(r"[+\-−]?\d+(?:\.\d+)?%?")


def split_under(upper, header, taken: set[int], split: Callable) -> Callable:
    """`split` (a paragraph -> cells function), with the cells of `header` (the run's first line)
    given the indicators of the line `upper` right above it when that line is such an upper row."""
    if upper is None or upper.seq in taken:
        return split
    tops, lows = split(upper), split(header)
    values = lows[1:]
    if not tops or len(values) <= len(tops) or len(values) % len(tops) \
            or any(NUMBER.fullmatch(c.text) or not find_mentions(c.text) for c in tops) \
            or any(NUMBER.fullmatch(c.text) or find_mentions(c.text) for c in values):
        return split
    per = len(values) // len(tops)
    joined = [lows[0], *(dataclasses.replace(c, text=f"{tops[k // per].text} {c.text}") for k, c in enumerate(values))]
    return lambda p: joined if p is header else split(p)
