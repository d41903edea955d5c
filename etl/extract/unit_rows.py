"""A header row's units written on a row of their own, under it.

    区县   PM2.5   PM10    优良天数比例      <- header row
    单位   μg/m³   μg/m³   %                 <- unit row: one unit under each measure
    甲区   18      34      90.3

Kept apart, the unit row would read as a row of the table and its header cells would have no
unit. Each unit joins the header cell above it ('PM2.5(μg/m³)') and the unit row is dropped.
The word opening the row ('单位') is data: cues.toml [tables] unit_row_label.
"""
from __future__ import annotations

import dataclasses
import functools
import re

from etl import catalog


@functools.cache
def _spellings() -> frozenset[str]:
    return frozenset(s for u in catalog.units() for s in u.spellings)



def _unit(text: str) -> str | None:
    """The unit a cell is and nothing else ('μg/m³', '(%)'), else None."""
    bare = re.sub(r"^[(（]|[)）]$", "", text.strip())
    return bare if bare in _spellings() else None


def join_unit_rows(cells: list) -> list:
    """The cells (cell_tables.Cell, each with its paragraph) with a row of units, a line of its
    own right under a line of header cells, joined to those cells."""
    rows: list[list] = []
    for cell in cells:
        if rows and rows[-1][0].para is cell.para:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    out: list = []
    for i, row in enumerate(rows):
        head = out[-1] if out else None
        units = row[1:] if catalog.cue_pattern("tables", "unit_row_label").fullmatch(row[0].text) else row
        if head is None or len(units) < 2 or not all(_unit(c.text) for c in units) \
                or len(head) not in (len(row), len(units) + 1) or any(re.fullmatch(r"[\d.%]+", h.text) for h in head):
            out.append(list(row))
            continue
        offset = len(head) - len(units)   # the label column over '单位' (or over nothing)
        out[-1] = head[:offset] + [dataclasses.replace(h, text=f"{h.text}({_unit(u.text)})")
                                   if not re.search(r"[(（][^()（）]+[)）]$", h.text) else h
                                   for h, u in zip(head[offset:], units)]
    return [c for row in out for c in row]
