"""Table headers of several rows: the label of each column built from every header row.

    县(市、区) | 平均浓度(μg/m3) | CO(mg/m3) | 优良天数比例 | 综合指数 | 排名     <- upper row
    SO2 | NO2 | PM10 | PM2.5                                                  <- lower row
    甲县 | 7 | 9 | 25 | 14 | 0.7 | 100.0% | 1.87 | 1                          <- N = 9 cells

A table flattened from HTML writes its lower header row with only the cells under the upper
row's spanning (group) cells; the data rows say how many columns there are (N). With n1 upper
cells, n2 lower cells and g group cells, n1 - g + n2 = N, and each group cell spans n2 / g lower
cells, in order. The group cells are the upper cells that name no indicator of their own
(平均浓度(μg/m3), 2023年, 本月, 1-7月累计; not 综合指数 or 排名, which span rows), else the ones that do (PM2.5 | 优良天数比例 over
浓度 | 同比 | 实测值 | 同比). A header whose rows all have N cells (the flattener kept empty cells)
is read column by column, an empty upper cell taking the label on its left (a spanning cell).

A header that fits neither reading gives None, and its table is not read: no values beat values
read one column off.
"""
from __future__ import annotations

import re
from collections.abc import Callable

# a footnote mark between two words of a header ('地级及以上城市2空气质量', '地表水质量3达到'):
# one digit between Chinese characters, not a count or an ordinal (第3, 前3, 3类)
FOOTNOTE = re.compile(r"(?<=[\u4e00-\u9fff])(?<![第前后近约共])\d(?=[\u4e00-\u9fff])(?![类级个项位名])")


def plain(text: str) -> str:
    """A header cell without its footnote marks."""
    return FOOTNOTE.sub("", text)


def combine(rows: list[list[str]], width: int, names_indicator: Callable[[str], bool],
            is_label: Callable[[str], bool], is_skipped: Callable[[str], bool]) -> list[tuple[str, str]] | None:
    """Per column, (group label, own label) from the header rows (top first), or None when the
    rows cannot be aligned with `width` columns. One row: every column its own label.
    `is_skipped`: a column of ranks, indices or changes, which spans rows rather than columns
    ('与上年同期变化' beside 本月 | 上年同期, each over PM2.5 | 排名)."""
    rows = [[plain(c) for c in row] for row in rows]
    if len(rows) == 1:
        return [("", c) for c in rows[0]] if len(rows[0]) == width else None
    if all(len(r) == width for r in rows):
        return _full_rows(rows)
    if len(rows) != 2:
        return None
    upper, lower = rows
    while len(lower) < width and lower and not lower[0]:
        lower = lower[1:]   # the empty cells under the upper row's label columns ('序号 | 县' over ' |  | PM2.5')
    if len(upper) == width and "" in upper:
        # a full-width upper row whose lower row lost its empty cells ('| PM2.5 | 优良天数比例 |'
        # under '城市 | 空气质量 | |'): the lower cells stand under the columns that are not row labels
        under = [j for j, c in enumerate(upper) if not is_label(c)]
        if len(under) != len(lower):
            return None
        full = [""] * width
        for j, cell in zip(under, lower):
            full[j] = cell
        return _full_rows([upper, full])
    g = len(upper) + len(lower) - width
    if g < 1 or len(lower) % g:
        return None
    candidates = [i for i, c in enumerate(upper) if c and not is_label(c)]
    groups = None
    plain_cells = [i for i in candidates if not names_indicator(upper[i])]
    for pick in ([i for i in plain_cells if not is_skipped(upper[i])],
                 [i for i in candidates if names_indicator(upper[i])], plain_cells, candidates):
        if len(pick) == g:
            groups = pick
            break
    if groups is None:
        return None
    span = len(lower) // g
    out: list[tuple[str, str]] = []
    below = iter(lower)
    for i, cell in enumerate(upper):
        if i in groups:
            out.extend((cell, next(below)) for _ in range(span))
        else:
            out.append(("", cell))
    return out if len(out) == width else None


def _full_rows(rows: list[list[str]]) -> list[tuple[str, str]]:
    """Rows of equal length: the lowest non-empty cell is the column's own label, the cells
    above it (an empty one taking its left neighbour's label) its group."""
    filled = []
    for r, row in enumerate(rows):
        last = ""
        line = []
        for j, cell in enumerate(row):
            below = any(rows[k][j] for k in range(r + 1, len(rows)))
            if not cell and last and below:
                cell = last
            last = cell or last
            line.append(cell)
        filled.append(line)
    out = []
    for j in range(len(rows[0])):
        parts = [filled[r][j] for r in range(len(rows)) if filled[r][j]]
        out.append((" ".join(parts[:-1]), parts[-1] if parts else ""))
    return out


def padded(lines: list[str], width: int) -> list[list[str]] | None:
    """The cells of header rows of two or more lines, each `width` cells long as the flattener
    wrote them: its empty cells kept, a bar at either end of the line read as an empty cell
    when that gives the width ('县 | PM2.5 | | 优良天数比例 |' over ' | 本月 | 累计 | 本月 | 累计'), a lower
    row one cell short missing the one under the row labels.
    None when some row has no such reading (combine then aligns the rows without their empty cells)."""
    if len(lines) < 2:
        return None
    out = []
    for k, line in enumerate(lines):
        raw = [c.strip() for c in re.split(r"[|｜\t]", line.strip())]
        inner = raw[1 if not raw[0] else 0:len(raw) - 1 if len(raw) > 1 and not raw[-1] else len(raw)]
        # (a lower row may leave out the cell under the row labels' column: '本月 | 累计 | 本月 | 累计')
        # (a bar ending a line more often closes it than stands for an empty cell)
        options = [raw, raw[:-1] if not raw[-1] else None, raw[1:] if not raw[0] else None, inner,
                   ["", *inner] if k and out and out[0][0] and "" in out[0][1:] else None]
        row = next((o for o in options if o is not None and len(o) == width), None)
        if row is None:
            return None
        out.append(row)
    return out
