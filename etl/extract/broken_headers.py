"""A '|' table's header line broken in two by the page's line break.

    县(市、区) | PM2.5浓度(μg/m³) | 优良天数          <- the header, broken inside a cell
    比例(%) | 综合指数                               <- its rest
    甲县 | 25 | 93.5 | 3.02                          <- rows of four cells: 3 + 2 - 1

When the two lines hold no figures, the rows after them have one cell fewer than the two
together and the second opens on a fragment naming nothing of its own (not a lower header row,
'PM2.5 | 优良率' under '城市 | 空气质量 | 水质'), they are one header line broken inside a cell
(a line broken at a bar cannot be told from a header of two rows whose rows hold a cell more):
the table readers see the joined line in place of the first, and the second is read with it.
"""
from __future__ import annotations

import dataclasses
import re

from etl.extract import period_headers
from etl.extract.indicators import find_mentions
from etl.model import Paragraph

CELL_SPLIT = re.compile(r"\s*[|｜]\s*")
FIGURE = re.compile(r"^[+\-−]?\d+(?:\.\d+)?%?$")
MAX_LINE = 120


def _cells(p: Paragraph) -> list[str]:
    return [c for c in (c.strip() for c in CELL_SPLIT.split(p.simplified.strip())) if c]


def _header_like(p: Paragraph) -> bool:
    """A short line with a bar and no figure cell."""
    return ("|" in p.simplified or "｜" in p.simplified) and len(p.simplified) <= MAX_LINE \
        and not any(FIGURE.match(c) for c in _cells(p))


def _fragment(text: str) -> bool:
    """The rest of a cell broken off: a unit ('(μg/m³)') or a few words naming nothing of their
    own ('比例(%)'), not a lower header cell ('PM2.5', '本月')."""
    return not find_mentions(text) and not period_headers.is_period(text) and len(re.sub(r"[(（].*", "", text)) <= 6


def rejoin(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], dict[int, int]]:
    """(the paragraphs with each broken header line joined into its first line, {seq of a joined
    line: seq of the line joined into it})."""
    out: list[Paragraph] = []
    joined: dict[int, int] = {}
    k = 0
    while k < len(paragraphs):
        p = paragraphs[k]
        if k + 2 < len(paragraphs) and _header_like(p) and _header_like(paragraphs[k + 1]):
            a, b, row = _cells(p), _cells(paragraphs[k + 1]), _cells(paragraphs[k + 2])
            figures = sum(1 for c in row if FIGURE.match(c))
            if figures >= 2 and len(a) >= 2 and len(row) == len(a) + len(b) - 1 and _fragment(b[0]):
                q = paragraphs[k + 1]
                head, tail = p.text.rstrip().rstrip("|｜").rstrip(), q.text.strip().lstrip("|｜").lstrip()
                shead, stail = p.simplified.rstrip().rstrip("|｜").rstrip(), q.simplified.strip().lstrip("|｜").lstrip()
                out.append(dataclasses.replace(p, text=head + tail, simplified=shead + stail))
                joined[p.seq] = q.seq
                k += 2
                continue
        out.append(p)
        k += 1
    return out, joined
