"""Tables written one after another in one stream of cells, with no numbered title between them.

    全市甲指标情况 序号 | 县(市、区) | 本月 | … | 13 | 全市均值 | 97.6 | -- | 98.3 | - | -0.7 |
    全市乙指标情况 序号 | 县(市、区) | 本月 | … | 1 | 甲县 | 19 | …

A header over the row labels (县(市、区), 城市: cues.toml [tables] label_header) written again
after rows of figures starts another table: the cells right before it that are neither figures
nor row labels (its title, 序号) open that table, so that its rows are not read under the header
of the table before.
"""
from __future__ import annotations

from collections.abc import Callable


def starts(cells: list, numbered: list[int], is_label_header: Callable[[str], bool],
           is_number: Callable[[str], bool], is_label: Callable) -> list[int]:
    """The indices where the tables of `cells` start: those `numbered` ('表2 …') and before each
    label header that follows a figure of the table before it."""
    out = set(numbered) | {0}
    last = 0
    for i, cell in enumerate(cells):
        if i in out:
            last = i
        if not (i and is_label_header(cell.text)) or not any(is_number(c.text) for c in cells[last:i]):
            continue
        k = i
        while k - 1 > last and not is_number(cells[k - 1].text) and not is_label(cells[k - 1]):
            k -= 1
        out.add(k)
        last = k
    return sorted(out)
