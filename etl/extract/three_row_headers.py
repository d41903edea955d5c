"""Three-row table headers: periods over indicators over level / change cells.

    县区 | 9月              | 1-9月累计          <- periods, each spanning half the columns
         | PM2.5  | PM10    | PM2.5  | PM10      <- indicators, each spanning the cells under it
         | 浓度|同比|浓度|同比|浓度|同比|浓度|同比   <- what each column holds

Scraped one cell a line, the three rows come one after another. Each indicator cell is written
onto the cells it spans ('PM2.5 浓度', 'PM2.5 同比'), which leaves the two-row header that
period_columns.py reads: periods over one copy of the lower pattern each.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable


def flatten(cells: list, kinds: list, names_indicator: Callable[[str], bool]) -> list:
    """The header cells after the label column (cell_tables.Cell), a middle row of indicators
    written onto the lowest row it spans; the cells as they are when the header is not so built.
    `kinds`: each cell's period_columns.period_kind; `names_indicator`: a cell names one."""
    n_periods = next((i for i, k in enumerate(kinds) if k is None), len(kinds))
    rest = cells[n_periods:]
    n_middle = next((i for i, c in enumerate(rest) if not names_indicator(c.text)), len(rest))
    n_lowest = len(rest) - n_middle
    if not n_periods or n_middle < 2 or n_middle % n_periods or n_lowest < 2 * n_middle or n_lowest % n_middle \
            or any(names_indicator(c.text) for c in rest[n_middle:]):
        return cells
    per = n_lowest // n_middle
    lowest = rest[n_middle:]
    joined = [dataclasses.replace(lowest[k * per + j], text=f"{rest[k].text} {lowest[k * per + j].text}")
              for k in range(n_middle) for j in range(per)]
    return cells[:n_periods] + joined
