"""A total row whose label cell spans the serial column too, one cell short of the header.

    | 序号 | 城市 | PM2.5 | 优良天数比例 | 排名 |
    | 1    | 甲市 | 21    | 66.7         | 1    |
    | 全省平均   | 26    | 56.4         | —    |     <- 序号 and 城市 merged into one cell

Read as it is, every figure of the row would sit one column to the left. The row is given back
its empty serial cell when the header opens on a serial or rank column before the label column.
So is a tied place's row in a ranking, whose rank cell spans the row above it ('3 | 甲县 | 30 |'
over '| 乙县 | 30 |'): `is_total` is then asked whether the cell labels a row (a total or a place).
"""
from __future__ import annotations

from collections.abc import Callable


def pad(rows: list[tuple[object, list]], header_texts: list[str], width: int, is_total: Callable[[str], bool],
        is_serial: Callable[[str], bool], is_label_header: Callable[[str], bool]) -> list[tuple[object, list]]:
    """(paragraph, cells) of each row, a total row one cell short under '序号 | 城市 | …' given
    an empty first cell (its span that of the label cell)."""
    if len(header_texts) < 3 or not is_serial(header_texts[0]) or not is_label_header(header_texts[1]):
        return rows
    out = []
    for p, cells in rows:
        if len(cells) == width - 1 and cells and is_total(cells[0][0]):
            cells = [("", cells[0][1], cells[0][1]), *cells]
        out.append((p, cells))
    return out
