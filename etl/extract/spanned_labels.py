"""A row label spanning two or more rows, written once (the scrape keeps the spanning cell only
in its first row).

    城市 | 时段          | PM2.5 | 优良天数比例
    甲市 | 2024年1-10月  | 27    | 91.2
         | 2023年1-10月  | 29    | 89.0     <- 甲市's row too: its label cell spans both rows

The lower row is one cell short and opens on the same kind of cell as the second cell of the
row above (a period, a sub-label): it takes that row's label. A row one cell short for another
reason (cut by the page) is left as it is.
"""
from __future__ import annotations

import re
from collections.abc import Callable

NUMBER = re.compile(r"[+\-−]?\d+(?:\.\d+)?\s*%?")


def _text_cell(text: str) -> bool:
    return bool(text) and not NUMBER.fullmatch(text)


def carry(rows: list[tuple[object, list]], width: int, is_sub_label: Callable[[str], bool]) -> list[tuple[object, list]]:
    """(paragraph, cells) of each row, a row one cell short under a spanning label given that
    label again. `is_sub_label`: a cell of the column right of the label ('2023年1-10月')."""
    out: list[tuple[object, list]] = []
    label = None
    for p, cells in rows:
        if len(cells) == width and len(cells) >= 3:
            label = cells[0] if _text_cell(cells[0][0]) and is_sub_label(cells[1][0]) else None
        elif label is not None and len(cells) == width - 1 and is_sub_label(cells[0][0]):
            cells = [label, *cells]
        out.append((p, cells))
    return out
