"""Rankings over places: places named after their values, and ranking tables that lost their header.

'各县区优良天数比例在76.7%(甲县)~100%(乙县)之间', 'PM2.5浓度最高为42微克/立方米(丙区)': a
value followed by one place in parentheses is that place's, whatever region the sentence named
before it (and a spread whose ends are so named gives each end to its place)."""
from __future__ import annotations

import re

from etl import catalog
from etl.catalog.gazetteer import RegionMention
from etl.extract import cell_tables, table_titles
from etl.extract.cell_tables import Cell
from etl.model import DocContext, Metric, Paragraph

OPEN = re.compile(r"\s*[(（]\s*")
CLOSE = re.compile(r"\s*[)）]")
# levels a value in a ranking can belong to (not 全省/该市: they are no place named after a value)
PLACE_LEVELS = ("province", "prefecture", "county", "grouping")


def place_after(text: str, value_end: int, regions: list[RegionMention]) -> RegionMention | None:
    """The one place written in parentheses right after a value ('76.7%(甲县)'), if any."""
    opened = OPEN.match(text, value_end)
    if not opened:
        return None
    place = next((r for r in regions if r.start == opened.end()), None)
    if place is None or place.level not in PLACE_LEVELS or not CLOSE.match(text, place.end):
        return None
    return place


def headerless_ranking(cells: list[Cell], title: str, ctx: DocContext, ranked: bool = True,
                       above: tuple[str, ...] = (), min_places: int = 2) -> list[Metric]:
    """A ranking of one indicator whose header line is lost: the title names the indicator (and
    its unit, '…PM2.5浓度排名(单位:μg/m³)'), each row is a rank, a place and one figure
    ('1 甲县 16'). Each place gets its figure; a row with more or fewer figures, or a place not
    told, refuses the whole table (no value is given to a wrong place). `ranked` False: the rows
    hold no rank (place_figures), a figure before the next place is that place's own. `above`:
    the title lines above, nearest first, for the period when the title gives none; `min_places`:
    how many places it takes to be a table (1 when each figure is paired with its place in writing)."""
    table = cell_tables.CellTable(cells, title, ctx)
    places = [(k, label) for k, c in enumerate(cells) if (label := table.label_of(c)) is not None]
    if len(places) < min_places:
        return []
    # the title lines the stream of cells may open on ('表1 3月各县(市、区)PM2.5浓度排名', then '1')
    lead = cells[:places[0][0]]
    if lead and RANK.fullmatch(lead[-1].text):
        lead = lead[:-1]
    if any(cell_tables.NUMBER_CELL.fullmatch(c.text) for c in lead):
        return []
    title = " ".join([title, *(c.text for c in lead)]).strip()
    name = table_titles.title_indicator(title)
    mentions = cell_tables.header_mentions(name) if name else []
    year, months = table_titles.title_period([title, *above], ctx, max_chars=None)
    if not mentions or year is None or table.change_column.search(title) or catalog.cue_pattern("tables", "change_title").search(title):
        return []   # ('PM2.5浓度改善幅度排名': the figures are changes, not levels)
    table.title = title
    column = cell_tables.Column(mentions[0], name, None, False)
    out = []
    for n, (k, (region, code)) in enumerate(places):
        end = places[n + 1][0] if n + 1 < len(places) else len(cells)
        between = cells[k + 1:end]
        if ranked and n + 1 < len(places) and between and RANK.fullmatch(between[-1].text):
            between = between[:-1]   # the next row's rank
        metric = table._metric(between[0], column, region, code, year, months) if len(between) == 1 else None
        if metric is None:
            return []
        out.append(metric)
    return out


RANK = re.compile(r"\d{1,3}")



# a token of a table flattened into one line: short, no sentence punctuation
FLAT_TOKEN = re.compile(r"[^\s，,。；;！？]{1,20}")
FLAT_TITLE_MAX_CHARS = 60


def flat_table(p: Paragraph) -> tuple[str, list[Cell]] | None:
    """(title, cells) of a ranking table flattened into one space-separated line after its title
    ('3月各县(市、区)空气质量排名如下:排名 县(市、区) 优良天数比例 PM2.5浓度(μg/m³) 1 甲县 100% 16
    2 乙县 96.8% 18'): from the label header on, every token is a cell."""
    text = p.simplified
    label = cell_tables.label_header()
    for m in re.finditer(r"(?:^|(?<=[\s:：]))([^\s:：]+)", text):
        if not label.fullmatch(m.group(1)) and m.group(1) not in ("排名", "序号", "名次"):
            continue
        if m.start() > FLAT_TITLE_MAX_CHARS:
            return None
        tokens = list(re.finditer(r"\S+", text[m.start():]))
        numbers = sum(1 for t in tokens if cell_tables.NUMBER_CELL.match(t.group(0)))
        if len(tokens) < 8 or numbers < 4 or not all(FLAT_TOKEN.fullmatch(t.group(0)) for t in tokens):
            return None
        return text[:m.start()], [Cell(t.group(0), p, m.start() + t.start(), m.start() + t.end()) for t in tokens]
    return None


def header_over_flat_rows(paragraphs: list[Paragraph], i: int, taken: set[int]) -> list[Paragraph]:
    """A header line of column names ('排名 县(市、区) PM2.5浓度(μg/m³) 优良天数比例(%)') at `i`,
    and the lines after it holding its rows run together ('1 甲县 28 92.3 2 乙县 30 90.3 …'):
    those lines, header first; [] when the lines are not so laid out."""
    label = cell_tables.label_header()
    head = cell_tables.space_cells(paragraphs[i])
    if not 3 <= len(head) <= 12 or not any(label.fullmatch(re.sub(r"\s", "", c.text)) for c in head) \
            or any(cell_tables.NUMBER_CELL.match(c.text) for c in head):
        return []
    rows = []
    for q in paragraphs[i + 1:]:
        cells = cell_tables.space_cells(q)
        if q.seq in taken or not cells or not all(FLAT_TOKEN.fullmatch(c.text) for c in cells):
            break
        rows.append(q)
    # at least one line holds two rows or more (one row a line is cell_tables.space_runs')
    if not any(len(cell_tables.space_cells(q)) >= 2 * len(head) for q in rows):
        return []
    return [paragraphs[i], *rows]


def read_flat_tables(paragraphs: list[Paragraph], taken: set[int], ctx: DocContext) -> list[Metric]:
    """The metrics of the tables flattened into one line (flat_table), or into lines under a
    header line (header_over_flat_rows); their lines join `taken`."""
    out = []
    for i, p in enumerate(paragraphs):
        if p.seq in taken:
            continue
        if flat := flat_table(p):
            found, lines = cell_tables.read_cells(flat[1], flat[0], ctx), [p]
        elif lines := header_over_flat_rows(paragraphs, i, taken):
            title = paragraphs[i - 1].simplified if i and len(paragraphs[i - 1].simplified) <= FLAT_TITLE_MAX_CHARS else ""
            found = cell_tables.read_cells([c for q in lines for c in cell_tables.space_cells(q)], title, ctx)
        else:
            continue
        if found:
            out.extend(found)
            taken.update(q.seq for q in lines)
    return out
