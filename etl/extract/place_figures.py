"""Places each given one bare figure under a label naming the indicator, one table row at a time.

    5月各县区PM2.5浓度(微克/立方米):          <- the label: one indicator, its period, a colon
    甲县：28                                   <- a line a place: its name, a colon, its figure
    乙县：30

    5月各县区PM2.5浓度排名:甲县(28)、乙县(30)、丙县(33)。   <- the figures in parentheses

    SO2 |                                      <- a table one cell a line: the indicator's cell,
    甲县(16μg/m3)、乙县(15μg/m3) |              the places with their figures in the next

Such a list is a ranking table with its header lost: the label is its title and each place takes
its one figure (rankings.headerless_ranking, which refuses a label of changes or improvements and
any place it cannot tell).
"""
from __future__ import annotations

import re

from etl.extract import cell_tables, rankings, table_titles
from etl.extract.cell_tables import Cell
from etl.model import DocContext, Metric, Paragraph

LABEL_MAX_CHARS = 60
# '甲县：28', '乙县: 30.5%;', '丙县：31微克/立方米' — a name, a colon, one figure and perhaps its
# unit, nothing else
PLACE_LINE = re.compile(r"\s*([^\s:：\d]{2,12})\s*[:：]\s*(\d+(?:\.\d+)?\s*(?:[%％]|[^\s\d;；,，。][^\s;；,，。]{0,9})?)"
                        r"\s*[;；,，。]?\s*")
# '甲县(28)、乙县(30μg/m3)。' — a name and its figure (and unit) in parentheses, the items
# between list marks
PAREN_ITEM = re.compile(r"([^\s、，,；;:：()（）\d|｜]{2,12})\s*[(（]\s*(\d+(?:\.\d+)?\s*(?:[%％]|[^\s\d()（）、，,][^\s()（）、，,]{0,9})?)\s*[)）]")
PAREN_LIST = re.compile(rf"(?:{PAREN_ITEM.pattern}\s*[、，,；;]?\s*){{2,}}[。；;|｜]?\s*")
# a cell naming the indicator of the list in the next cell ('SO2 |' over '甲县(16μg/m3)、乙县(15μg/m3) |')
LABEL_CELL_MAX_CHARS = 20


def _label(text: str) -> str | None:
    """A line or a clause that ends on a colon and is short enough to be a table's title."""
    text = text.strip()
    if len(text) > LABEL_MAX_CHARS or not text.endswith((":", "：")):
        return None
    return text[:-1]


def _ranks(cells: list[Cell]) -> bool:
    """The figures are 1, 2, 3 … in some order: the places' ranks ('排名:甲县(1)、乙县(2)'), no values."""
    figures = [c.text for c in cells[1::2]]
    return sorted(figures, key=lambda f: (len(f), f)) == [str(k) for k in range(1, len(figures) + 1)]


def _title_above(paragraphs: list[Paragraph], i: int) -> tuple[str, ...]:
    """The line above the cells of a table one cell a line that `paragraphs[i]` belongs to (its
    title: '3月各区县污染物浓度较高的区县'), when it is short enough to be one."""
    k = i - 1
    while k >= 0 and paragraphs[k].simplified.rstrip().endswith(("|", "｜")):
        k -= 1
    return (paragraphs[k].simplified,) if k >= 0 and len(paragraphs[k].simplified) <= LABEL_MAX_CHARS else ()


def _read(cells: list[Cell], title: str, ctx: DocContext, above: tuple[str, ...] = ()) -> list[Metric]:
    """Each place its figure; an item whose name is no place the reader tells (高新区) is left
    out with its figure, the parentheses or colons pairing every other name with its own (one
    place told among two items or more is read)."""
    table = cell_tables.CellTable(cells, title, ctx)
    told = [c for k in range(0, len(cells) - 1, 2) if table.label_of(cells[k]) for c in cells[k:k + 2]]
    if len(cells) < 4 or not told or _ranks(cells):
        return []
    return rankings.headerless_ranking(told, title, ctx, ranked=False, above=above, min_places=1)


def _paren_list(paragraphs: list[Paragraph], i: int, taken: set[int], ctx: DocContext) -> list[Metric]:
    """A cell naming one indicator ('SO2 |') over a cell listing places with their figures."""
    p, q = paragraphs[i], paragraphs[i + 1] if i + 1 < len(paragraphs) else None
    label = p.simplified.strip().strip("|｜").strip()
    if q is None or q.seq in taken or len(label) > LABEL_CELL_MAX_CHARS or not table_titles.title_indicator(label) \
            or not PAREN_LIST.fullmatch(q.simplified.strip()):
        return []
    found = _read([c for m in PAREN_ITEM.finditer(q.simplified) for c in _cells(q, m)], label, ctx,
                  _title_above(paragraphs, i))
    if found:
        taken.update((p.seq, q.seq))
    return found


def _cells(p: Paragraph, match: re.Match) -> list[Cell]:
    return [Cell(match.group(k).strip(), p, match.start(k), match.start(k) + len(match.group(k).strip()))
            for k in (1, 2)]


def read_place_figures(paragraphs: list[Paragraph], taken: set[int], ctx: DocContext) -> list[Metric]:
    """The figures of the lists of places under a label (a line a place, or in parentheses after
    the label's colon); the lines read join `taken`."""
    out = []
    for i, p in enumerate(paragraphs):
        if p.seq in taken:
            continue
        text = p.simplified
        colon = max(text.rfind(":", 0, LABEL_MAX_CHARS + 1), text.rfind("：", 0, LABEL_MAX_CHARS + 1))
        if colon > 0 and (title := _label(text[:colon + 1])) and PAREN_LIST.fullmatch(text, colon + 1):
            cells = [c for m in PAREN_ITEM.finditer(text, colon + 1) for c in _cells(p, m)]
            found = _read(cells, title, ctx, _title_above(paragraphs, i))
            if found:
                out.extend(found)
                taken.add(p.seq)
            continue
        if found := _paren_list(paragraphs, i, taken, ctx):
            out.extend(found)
            continue
        if not (title := _label(text)):
            continue
        lines = []
        for q in paragraphs[i + 1:]:
            m = PLACE_LINE.fullmatch(q.simplified)
            if q.seq in taken or not m:
                break
            lines.append((q, m))
        if len(lines) < 2:
            continue
        found = _read([c for q, m in lines for c in _cells(q, m)], title, ctx, _title_above(paragraphs, i))
        if found:
            out.extend(found)
            taken.update(q.seq for q, _ in lines)
    return out
