"""Tables of one indicator a row whose columns are periods, flattened into '|' rows or one cell a line.

    表1 2024年10月主要指标                            <- title: the table's year (and months)
    指标 | 10月 | 1-10月 |                            <- upper row: a period a column
    监测值 | 增减(%) | 监测值 | 增减(%) |              <- lower row, if any: repeated under each period
    PM2.5 | 31ug/m3 | 6.9 | 28ug/m3 | -3.4 |          <- units in the cells, the label or the header

    主要指标 | 2023年1-12月 | 2022年1-12月 | 同期对比 | 二级标准
    二氧化氮(NO2) | 21 | 23 | 变好 | -8.7% | 40       <- a comparison column may span two cells

Each column is keyed on its header's period words (cues.toml [tables.period_header]): 本月/当月/'10月'
the table's month; 累计/年累计/'1-10月' January to the table's month; 上年同期/去年同期 the same months a
year before (a level of last year, not a change); a year written in the cell its own year. Columns of
changes (同比, 变化, 增减, 同期对比) and of anything else (标准, 限值, 排名) are not read. A row starts
at a cell naming a catalog indicator; its cells are the columns in order, read up to the first column
that may span more than one cell (a comparison, a standard) unless the row holds as many cells as the
header has columns. The rows are the region's the title names, else the document's.
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Callable

from etl import catalog
from etl.catalog.gazetteer import find_regions
from etl.extract import cell_tables, headers, table_titles, unit_cells
from etl.extract.cell_tables import Cell
from etl.extract.indicators import Mention, fits_unit
from etl.extract.period_headers import Period, bare, column_months, is_level_word, period_of_header
from etl.extract.periods import period_of
from etl.model import DocContext, Metric, Paragraph

MAX_LINE = 120
MAX_HEADER_CELLS = 24



def read_period_tables(paragraphs: list[Paragraph], taken: set[int], ctx: DocContext) -> tuple[list[Metric], set[int]]:
    """(metrics, seq of the paragraphs read) of every table of indicator rows under period columns."""
    out: list[Metric] = []
    used: set[int] = set()
    run: list[Paragraph] = []
    at = {p.seq: k for k, p in enumerate(paragraphs)}
    for p in [*paragraphs, None]:
        if p is not None and p.seq not in taken and len(p.simplified) <= MAX_LINE:
            run.append(p)
            continue
        if len(run) >= 3:
            found, seqs = _read_run(run, paragraphs, at, ctx)
            out.extend(found)
            used |= seqs
        run = []
    return out, used


def _read_run(run: list[Paragraph], paragraphs: list[Paragraph], at: dict[int, int],
              ctx: DocContext) -> tuple[list[Metric], set[int]]:
    cells = unit_cells.join_unit_cells([c for p in run for c in cell_tables.line_cells(p)])   # 'PM2.5 |' over '(μg/m³) |'
    out: list[Metric] = []
    used: set[int] = set()
    i = 0
    while i < len(cells):
        corner = catalog.cue_pattern("tables", "period_header", "label_header").fullmatch(bare(cells[i].text))
        if not (corner or _opens_period_line(cells, i)):
            i += 1
            continue
        k = at[cells[i].para.seq]
        table = _table_at(cells, i, lambda: _title_lines(k, paragraphs), ctx, i + 1 if corner else i)
        if table is None:
            i += 1
            continue
        end, found = table
        out.extend(found)
        used |= {c.para.seq for c in cells[i:end]}
        i = end
    return out, used


def _opens_period_line(cells: list[Cell], i: int) -> bool:
    """A '|' line of period cells only, its corner cell left empty ('| 2024年10月 | 2023年10月 | 变化')."""
    if i and cells[i - 1].para is cells[i].para:
        return False   # not the line's first cell
    line = list(itertools.takewhile(lambda c: c.para is cells[i].para, cells[i:i + 40]))
    return (len(line) >= 2 and period_of_header(cells[i].text).kind == "level"
            and all(period_of_header(c.text).kind in ("level", "change") for c in line if c.text))


def _table_at(cells: list[Cell], i: int, titled: Callable[[], list[str]], ctx: DocContext,
              j: int) -> tuple[int, list[Metric]] | None:
    """(the cell after the table, its metrics) for the table whose header starts at cells[i] (its
    corner cell, else its first period cell: j); None when the cells after it are no period header
    over indicator rows."""
    header: list[Cell] = []
    while j < len(cells) and not _row_label(cells[j]) and not _is_value(cells[j].text):
        if cells[j].text:
            header.append(cells[j])
        j += 1
    if len(header) > MAX_HEADER_CELLS or any(not cell_tables.is_cell_line(c.para) and len(c.text) > 40
                                             or cell_tables.SENTENCE_PUNCT.search(c.text) for c in header):
        return None   # a sentence, or lines of text: no header
    if header and j < len(cells) and _is_value(cells[j].text) and period_of_header(header[-1].text).kind == "other":
        header.pop()  # the label of a row naming no catalog indicator ('综合指数 | 2.94 | …')
    places = _place_columns(header, ctx)   # '指标 | 全市 | 甲县 | 乙县': a place a column
    columns = [Period("level", c.text) for c in header] if places else _columns(header)
    if columns is None:
        return None
    rows, end = _rows(cells, j)
    if not rows:
        return None
    title = titled()   # (the lines above: read once the cells are a table)
    year, months = table_titles.title_period(title, ctx)
    months = _own_months(header, title) or months
    if year is None and not any(col.year for col in columns):
        return None
    region, code = _region(title, ctx)
    out = []
    for label, mention, values in rows:
        out.extend(_row_metrics(label, mention, values, columns, year, months, places or [(region, code)] * len(columns)))
    return end, out


def _title_lines(k: int, paragraphs: list[Paragraph]) -> list[str]:
    """The three lines above paragraphs[k] (the header's line) that are no table rows, nearest
    first: the table's title and headings (a table right under another has the title above both)."""
    above = (paragraphs[n].simplified for n in range(k - 1, max(-1, k - 60), -1)
             if len(cell_tables.line_cells(paragraphs[n])) < 3)
    return list(itertools.islice(above, 3))


def _own_months(header: list[Cell], title: list[str]) -> str | None:
    """The table's month from its title ('2024年10月…') or its one month column ('10月')."""
    for text in title[:1]:
        m = re.search(r"(?:19|20)\d{2}\s*年\s*(\d{1,2})\s*月", text)
        if m and not re.match(r"\s*[-—~～至]", text[m.end(1):].replace("月", "", 1)):
            return period_of(m.group(1) + "月")
    single = {period_of(c.text) for c in header if re.fullmatch(r"(?:(?:19|20)\d{2}年)?\d{1,2}月份?", bare(c.text))}
    return next(iter(single)) if len(single) == 1 else None


def _columns(header: list[Cell]) -> list[Period] | None:
    """One column per value cell of a row: the upper period cells, each spanning one copy of the
    lower cells (监测值 | 增减) when the header has a lower row. None: not a period header."""
    kinds = [period_of_header(c.text) for c in header]
    n = next((k for k, col in enumerate(kinds) if col.kind == "other" and is_level_word(col.header)), len(kinds))
    upper, lower = kinds[:n], header[n:]
    if not upper and lower:   # '浓度(μg/m³) | 同比变化(%) | 标准': no period cell, the title's period
        return [dataclasses.replace(k, kind="level", unit_text=_paren(k.header)) if is_level_word(k.header) else k
                for k in kinds]
    if not any(col.kind == "level" for col in upper):
        return None
    if not lower:
        return upper
    words = [bare(c.text) for c in lower]
    periods = [col for col in upper if col.kind == "level"]
    if len(words) % len(periods):
        return None
    per = len(words) // len(periods)
    if any(words[k * per:(k + 1) * per] != words[:per] for k in range(len(periods))) or any(
            col.kind not in ("level", "change") for col in upper):
        return None
    out = []
    for col in upper:
        if col.kind != "level":
            out.append(col)
            continue
        for w in words[:per]:
            if period_of_header(w).kind == "change":
                out.append(Period("change", f"{col.header} {w}"))
            elif is_level_word(w):
                out.append(dataclasses.replace(col, header=f"{col.header} {w}", unit_text=_paren(w)))
            else:
                out.append(Period("other", f"{col.header} {w}"))
    return out


def _paren(text: str) -> str | None:
    """The words in a header cell's parentheses ('浓度(μg/m³)' -> 'μg/m³'), its unit if any."""
    m = cell_tables.PAREN.search(text)
    return m.group(1) if m else None


def _is_value(text: str) -> bool:
    """A figure, bare or with a unit the catalog spells ('28', '90.3%', '74ug/m3'; not '11月')."""
    if cell_tables.NUMBER_CELL.match(text):
        return True
    m = cell_tables.NUMBER_WITH_UNIT.match(text)
    return bool(m and _unit(m.group(2), _spelled()))


@functools.cache
def _spelled() -> dict:
    return {s: u for u in catalog.units() for s in u.spellings}


def _row_label(cell: Cell, category: str | None = None) -> list[Mention]:
    """The catalog mentions of a cell that labels a row ('二氧化氮(NO2)', 'PM2.5(μg/m³)'); with the
    category of the rows above, its table-only aliases too (达标比例 under SO2, PM2.5 rows)."""
    text = headers.plain(cell.text)
    if not text or _is_value(text) or cell_tables.EMPTY_CELL.match(text) or len(text) > 24:
        return []
    return cell_tables.header_mentions(text, category)


def _rows(cells: list[Cell], start: int) -> tuple[list[tuple[Cell, Mention, list[Cell]]], int]:
    """((label, its mention, the cells after it) of each row, the cell after the last row), until
    a cell that is neither a row's label nor a figure-like cell ends the table (the next table's
    header, a note). A '|' line of several cells is one row; one cell a line, a row runs to the
    next label."""
    rows: list[tuple[Cell, Mention, list[Cell]]] = []
    i = start
    while i < len(cells) and not _row_label(cells[i]) and _in_row(cells[i]):
        i += 1  # the cells of a row whose label names no catalog indicator
    while i < len(cells):
        if re.fullmatch(r"\d{1,2}", cells[i].text) and i + 1 < len(cells) and _row_label(cells[i + 1]):
            i += 1   # the row's serial number ('序号 | 指标 | …')
        categories = {r[1].indicators[0].category for r in rows}
        category = next(iter(categories)) if len(categories) == 1 else None
        mentions = _row_label(cells[i], category)
        if not mentions:
            break
        k = i + 1
        if k < len(cells) and cells[k].para is cells[i].para:
            while k < len(cells) and cells[k].para is cells[i].para:
                k += 1
        else:
            while k < len(cells) and not _row_label(cells[k], category) and _in_row(cells[k]) and cells[k].para is not cells[i].para:
                k += 1
        values = cells[i + 1:k]
        while values and not values[-1].text:
            values.pop()
        if not values:
            break
        rows.append((cells[i], mentions[0], values))
        i = k
    return rows, i


def _in_row(cell: Cell) -> bool:
    """A cell a row may hold: a figure, an empty mark, a short word ('变好', '持平', '增加4天')."""
    t = cell.text
    return not t or _is_value(t) or bool(cell_tables.EMPTY_CELL.match(t)) or (len(t) <= 8 and not catalog.cue_pattern("tables", "period_header", "label_header").fullmatch(bare(t)))


def _region(title: list[str], ctx: DocContext) -> tuple[str | None, str | None]:
    for text in title[:1]:
        found = [r for r in find_regions(text) if r.level not in ("self", "redacted")]
        if found:
            return found[0].name, found[0].code
    return ctx.region, ctx.region_code


def _place_columns(header: list[Cell], ctx: DocContext) -> list[tuple[str | None, str | None]] | None:
    """(region, code) of each header cell when every one names a place (two at least), else None."""
    if len(header) < 2 or any(_is_value(c.text) or period_of_header(c.text).kind != "other" for c in header):
        return None
    table = cell_tables.CellTable([], "", ctx)
    places = [table.label_of(c) for c in header]
    return places if all(p and p[0] for p in places) else None


def _row_metrics(label: Cell, mention: Mention, values: list[Cell], columns: list[Period], year: int | None, months: str,
                 places: list[tuple[str | None, str | None]]) -> list[Metric]:
    """The row's figures, a column each, of the place each column is about."""
    exact = len(values) == len(columns)
    unit_text = next((v.text for v, col in zip(values, columns) if col.kind == "unit"), None)
    paren = cell_tables.PAREN.search(label.text)
    out = []
    for value, col, (region, code) in zip(values, columns, places):
        if col.kind != "level":
            if exact or col.kind == "unit":
                continue
            break  # a column that may span two cells: the cells after it are not known
        col_months = column_months(col, months)
        if col_months is None or (col.year or year) is None:
            continue   # months not told ('累计' in a table of no month), or no year at all
        metric = _metric(value, label, mention, col.unit_text or unit_text or (paren.group(1) if paren else None),
                         (col.year or year) - col.year_back, col_months, region, code, col.header)
        if metric:
            out.append(metric)
    return out


def _metric(cell: Cell, label: Cell, mention: Mention, unit_text: str | None, year: int, months: str,
            region: str | None, code: str | None, header: str) -> Metric | None:
    m = cell_tables.NUMBER_CELL.match(cell.text)
    spelled = _spelled()
    unit = None
    if m:
        unit = spelled.get("%") if m.group(2) else _unit(unit_text, spelled)
    else:
        m = cell_tables.NUMBER_WITH_UNIT.match(cell.text)
        unit = _unit(m.group(2), spelled) if m else None
        if unit is None:
            return None
    value = float(m.group(1).replace(",", "").replace("−", "-"))
    indicator = fits_unit(mention, unit, "actual") if unit else cell_tables.named_indicator(mention)
    if indicator is None or value < 0:
        return None
    if unit is not None:
        value = value * unit.factor / catalog.unit_by_name()[indicator.unit].factor
    if indicator.unit == "%" and value > 100:
        return None
    p = cell.para
    raw = p.text[cell.start:cell.end]
    s = cell.start + len(raw) - len(raw.lstrip())
    e = s + len(m.group(1))
    return Metric(
        indicator_id=indicator.indicator_id, indicator=indicator.name_zh, phrase=f"{label.text} {header}",
        region=region, region_code=code, year=year, months=months, kind="actual", value=value, value_high=None,
        unit=indicator.unit, qualifier="", value_text=p.text[s:e], para_start=s, para_end=e, evidence_start=0,
        evidence_end=len(p.text), confidence=0.8, paragraph_seq=p.seq, year_source="title", period_source="title")


def _unit(text: str | None, spelled: dict) -> catalog.Unit | None:
    if not text:
        return None
    text = text.strip()
    for sp in sorted(spelled, key=len, reverse=True):
        if text == sp or (text.startswith(sp) and len(text) - len(sp) <= 1):
            return spelled[sp]
    return None
