"""Header cells whose unit a scrape put on a line of its own.

    PM2.5浓度 |          <- a table one cell a line: the header cell
    (μg/m³) |            <- its unit, split off onto the next line by the page's line break
    优良天数比例 |
    (%) |

A cell that is nothing but a unit the catalog spells, in parentheses, belongs to the cell before
it: kept apart, it would count as a column of its own and shift every column after it. So, too,
a cell of words in parentheses after a place's row label ('市区 |' over '(国控点位) |') is a note on
the label, and is dropped (drop_label_notes).
"""
from __future__ import annotations

import dataclasses
import functools
import re

from etl import catalog
from etl.extract import unit_rows

NOTE_CELL = re.compile(r"[(（][^()（）\d%％/·.]{2,10}[)）]")   # '(国控点位)': words only, no unit
UNIT_ONLY = re.compile(r"[(（]\s*(?:单位\s*[:：]\s*)?([^()（）]{1,12}?)\s*[)）]")


@functools.cache
def _spellings() -> frozenset[str]:
    return frozenset(s for u in catalog.units() for s in u.spellings)


def is_unit_cell(text: str) -> bool:
    """'(μg/m³)', '（%）', '(单位:天)': a unit in parentheses and nothing else."""
    m = UNIT_ONLY.fullmatch(text.strip())
    return bool(m and m.group(1).strip() in _spellings())


def join_unit_cells(cells: list) -> list:
    """The cells (cell_tables.Cell) with each unit-only cell joined to the text cell before it
    (and a row of units under a row of header cells joined to those: unit_rows.py)."""
    cells, out = unit_rows.join_unit_rows(cells), []
    for cell in cells:
        prev = next((c for c in reversed(out) if c.text), None)
        if prev is not None and is_unit_cell(cell.text) and re.search(r"[^\d\s.%％]", prev.text) \
                and not is_unit_cell(prev.text):
            while out and out[-1] is not prev:
                out.pop()   # the empty cells between them
            out[-1] = dataclasses.replace(prev, text=prev.text + cell.text)
            continue
        out.append(cell)
    return out


def spread_group_unit(heads: list, width: int, unit_of, mentions_of) -> list:
    """A header opening on a group cell that names no indicator but the unit of every column under
    it ('月日均值*(mg/m3)' over SO2 | NO2 | … | O3), one cell more than the rows hold values: the
    columns without it, each given its unit unless it writes its own. `unit_of`: the unit of a
    text or None; `mentions_of`: a cell's indicator mentions."""
    if len(heads) != width + 1 or mentions_of(heads[0].text):
        return heads
    written = [m.group(1) for m in re.finditer(r"[(（]([^()（）]{1,12})[)）]", heads[0].text) if unit_of(m.group(1))]
    if len(written) != 1 or not all(mentions_of(c.text) for c in heads[1:]):
        return heads
    return [c if re.search(r"[(（][^()（）]+[)）]", c.text) else dataclasses.replace(c, text=f"{c.text}({written[0]})")
            for c in heads[1:]]


def drop_label_notes(cells: list, label_of) -> list:
    """The cells without each cell of words in parentheses that follows a cell labelling a row with
    a place (`label_of`), on a line of its own: a note on the label, not a value cell."""
    return [c for k, c in enumerate(cells)
            if not (k and NOTE_CELL.fullmatch(c.text) and label_of(cells[k - 1]))]
