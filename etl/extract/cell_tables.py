"""Tables read as a stream of cells, for the layouts whose rows the line breaks do not give.

    表1  2017年8月全省城市环境空气质量状况      <- title: year, period, 单位：…
    城市 |                                        <- header cells, one a line
    PM2.5(微克/立方米) |
    优良天数比例(%) |
    甲市 |                                        <- a row starts at its label cell
    30 |
    90.0% |

The same reader takes a whole table flattened onto one line (`… 排名 | 1 | 甲市 | 90.3% | …`),
two rankings interleaved side by side (`优良天数比例(%)排名 | PM2.5(μg/m3)排名 | 1 | 甲市 | 90% |
1 | 乙市 | 17 | …`, tied rows without a rank number), and two-row headers whose upper cells
(PM2.5 | 优良天数率) span the lower ones (浓度(μg/m3) | 同比 | 实测值(%) | 同比).

A row is found by its label: a cell that names a region ('甲市', '医药高新区 (高港区)') or the
whole area ('全省', '均值', '平均'). The value columns are the header cells after the label
column, the cells before it (排名, 序号, a group cell spanning rows) are skipped, and each label
takes the cells after it, column by column. Which words mark label, total and title cells is
data: data/catalog/cues.toml [tables].
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from etl import catalog
from etl.catalog.gazetteer import RegionMention, find_regions
from etl.extract import period_columns, period_headers, period_rows, short_labels, stacked_tables, table_rows, table_titles, unit_cells
from etl.extract.indicators import Mention, find_mentions, fits_unit
from etl.extract.periods import WRITTEN_YEAR, period_of
from etl.model import DocContext, Metric, Paragraph

CELL_SPLIT = re.compile(r"\s*[|｜\t]\s*")
# a number cell: '30', '90.0%', '3.25(3.76)' (the same period a year earlier in parentheses)
NUMBER_CELL = re.compile(r"^([+\-−]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|％)?(?:\s*[(（][^()（）]{1,12}[)）])?$")
NUMBER_WITH_UNIT = re.compile(r"^(\d+(?:\.\d+)?)\s*([^\d\s()（）][^\s()（）]{0,9})$")
YEAR_HEADER = re.compile(r"年份|年度|年")
YEAR_LABEL = re.compile(r"(?:19|20)\d{2}\s*年?度?")
EMPTY_CELL = re.compile(r"^[-—–/\\*…]+$|^$")
PAREN = re.compile(r"[(（]([^()（）]{1,14})[)）]")
TABLE_NUMBER = re.compile(r"(?:^|\s)(?:附?表|图)\s*\d+(?:\s|$)")
SENTENCE_PUNCT = re.compile(r"[。；;，,：:！？]")
MAX_CELL_CHARS = 40
MONTH_CELL = re.compile(r"(?:(?:19|20)\d{2}年)?\d{1,2}(?:[-—~～至]\d{1,2})?月份?")


@dataclass
class Cell:
    text: str        # simplified, stripped
    para: Paragraph
    start: int       # span in para.text
    end: int


@functools.cache
def _cues():
    c = catalog.cues().get("tables", {})
    return (re.compile(c["label_header"]), re.compile(c["total_label"]), re.compile(c["title_cue"]),
            re.compile(c["skip_column"]), re.compile(c["change_column"]), re.compile(c["title_unit"]))


# --- cells -------------------------------------------------------------------------


def line_cells(p: Paragraph) -> list[Cell]:
    """The cells of one line, '|' / tab debris removed; empty cells kept as ''."""
    text = p.simplified
    out, pos = [], 0
    for part in CELL_SPLIT.split(text):
        start = text.find(part, pos) if part else pos
        out.append(Cell(part.strip(), p, start, start + len(part)))
        pos = start + len(part)
    if out and not out[0].text:
        out = out[1:]
    if out and not out[-1].text:
        out = out[:-1]
    return out


def is_cell_line(p: Paragraph) -> bool:
    """A short line that can be one cell of a table flattened one cell per line."""
    t = p.simplified.strip().strip("|｜").strip()
    return len(t) <= MAX_CELL_CHARS and not SENTENCE_PUNCT.search(t)


def space_cells(p: Paragraph) -> list[Cell]:
    """The cells of a row whose cells are separated by spaces ('1 北京市 30 92.6'); a unit in
    parentheses spaced off its header ('PM2.5浓度 (μg/m³)') stays with it."""
    return [Cell(m.group(0), p, m.start(), m.end()) for m in re.finditer(r"\S+(?:\s+[(（][^()（）\s]{1,12}[)）])?",
                                                                          p.simplified)]


def space_runs(paragraphs: list[Paragraph], taken: set[int]) -> list[list[Paragraph]]:
    """Runs of at least three lines (a header and two rows) of 3-12 space-separated cells, the
    same number on every line, some of them numbers."""
    runs, run, width = [], [], 0

    def close():
        numeric = sum(1 for p in run[1:] if any(NUMBER_CELL.match(c.text) for c in space_cells(p)))
        if len(run) >= 3 and numeric >= 2:
            runs.append(list(run))
        run.clear()

    for p in paragraphs:
        cells = space_cells(p) if p.seq not in taken else []
        n = len(cells)
        ok = 3 <= n <= 12 and all(len(c.text) <= 20 for c in cells)
        if ok and (not run or n == width):
            run.append(p)
            width = n
            continue
        close()
        if ok:
            run.append(p)
            width = n
    close()
    return runs


def cell_runs(paragraphs: list[Paragraph], taken: set[int]) -> list[list[Paragraph]]:
    """Runs of consecutive short lines (at least 8: a header and a row), not already read. A long
    line ending in a cell ('…见表2。 表2 2022年1~7月…排名 优良天比例(%)排名 |') opens a run: its
    tail is the first header cell (CellTable.split_header moves the rest to the title)."""
    runs, run = [], []
    for p in paragraphs:
        if p.seq not in taken and is_cell_line(p):
            run.append(p)
            continue
        if len(run) >= 8:
            runs.append(run)
        run = [p] if p.seq not in taken and re.search(r"\s\S+\s*[|｜]$", p.simplified.strip()) else []
    if len(run) >= 8:
        runs.append(run)
    return runs


def read_cells(cells: list[Cell], title: str, ctx: DocContext) -> list[Metric]:
    """Metrics of a stream of cells, cut into tables where a numbered title starts one
    ('表2 …', '…见表2。 表2 2022年1~7月…') or where a header is written again (stacked_tables:
    such a table with no period of its own has the period of the one above)."""
    # 'PM2.5浓度 |' over '(μg/m³) |': one header cell; '时间 | CO | (第95百分位数)', a unit row, '20233'
    cells = period_rows.fold_period_rows(unit_cells.join_unit_cells(cells))
    cells = unit_cells.drop_label_notes(cells, CellTable(cells, title, ctx).label_of)   # '杭州市区 |' over '(国控点位) |'
    numbered = [i for i, c in enumerate(cells) if i and TABLE_NUMBER.search(c.text)]
    starts = stacked_tables.starts(cells, numbered, is_label_header, NUMBER_CELL.match, CellTable(cells, title, ctx).label_of)
    out, above = [], []
    for a, b in zip(starts, [*starts[1:], len(cells)]):
        table = CellTable(cells[a:b], title if a == 0 else "", ctx)
        table.above = [] if a in numbered else above
        out.extend(table.read())
        above = [table.title, *table.above]
    return out


def row_label_region(text: str) -> RegionMention | None:
    """A division the gazetteer leaves out (cues.toml [tables.row_label_regions]: 清新区), when a
    table's row label cell is its whole name."""
    name = re.sub(r"\s", "", text)
    code = catalog.cues()["tables"].get("row_label_regions", {}).get(name)
    return RegionMention(name, code, "county", 0, len(text)) if code else None


def bare_name_region(text: str, within: str | None = None) -> tuple[RegionMention, ...]:
    """A table writes 河源 for 河源市, and 密云 for 密云区 in its city's report (short_labels.py)."""
    return short_labels.bare_name_region(text, within)


def label_columns(header_texts) -> int:
    """How many header cells name a column of row labels (城市, 县(市、区) …)."""
    label_header = _cues()[0]
    return sum(1 for t in header_texts if label_header.fullmatch(re.sub(r"\s", "", t)))


def is_label_header(text: str) -> bool:
    """'城市', '县(市、区)', '城 市' (a PDF's spaced header): the header of the row labels."""
    return bool(_cues()[0].fullmatch(re.sub(r"\s", "", text)))


def is_total_label(text: str) -> bool:
    """'全市', '均值', '全市(均值)': a short row label standing for the whole area."""
    return bool(_cues()[1].fullmatch(text) or (len(text) <= 8 and _cues()[1].match(text)))


def header_mentions(text: str, category: str | None = None) -> list[Mention]:
    """Catalog mentions of a header cell, reading the table-only aliases (cues.toml
    [tables.header_aliases], and [tables.category_header_aliases.CATEGORY] in a table whose
    other columns all name indicators of that category) when the cell names no catalog
    indicator itself."""
    found = find_mentions(text)
    if found:
        return found
    aliases = dict(catalog.cues().get("tables", {}).get("header_aliases", {}))
    if category:
        aliases.update(catalog.cues()["tables"].get("category_header_aliases", {}).get(category, {}))
    for alias, name in sorted(aliases.items(), key=lambda a: -len(a[0])):
        at = text.find(alias)
        if at >= 0:
            mention = next((m for m in find_mentions(name) if m.alias == name or m.end == len(name)), None)
            if mention:
                return [Mention(at, at + len(alias), mention.alias, mention.indicators)]
    return []


def label_header() -> re.Pattern:
    """The pattern of a header cell over the place labels ('县(市、区)', '城市'): cues.toml [tables]."""
    return _cues()[0]


def header_category(texts) -> str | None:
    """The one indicator category (indicators.csv) that every header cell naming an indicator
    belongs to ('大气' for SO2 | PM2.5 | 优良天数比例), else None."""
    categories = {i.category for t in texts for m in find_mentions(t) for i in m.indicators[:1]}
    return next(iter(categories)) if len(categories) == 1 else None


def unit_of_title(title: str) -> catalog.Unit | None:
    """The unit a title gives every column: '(单位:天)', '单位：μg/m³'."""
    m = _cues()[5].search(title)
    if not m:
        return None
    spelled = {s: u for u in catalog.units() for s in u.spellings}
    return spelled.get(m.group(1).strip())


def title_unit_for(mention: Mention, unit: catalog.Unit | None) -> catalog.Unit | None:
    """A title's unit as it applies to one column: a column whose indicator is kept in another
    unit of the same dimension (CO, 毫克/立方米, under '单位：微克/立方米') is in its own."""
    if unit is None:
        return None
    units = catalog.unit_by_name()
    own = [units[i.unit] for i in mention.indicators if i.unit in units]
    if own and all(u.dimension == unit.dimension and u.unit != unit.unit for u in own):
        return own[0]
    return unit


def named_indicator(mention: Mention) -> catalog.Indicator:
    """With no unit anywhere, the indicator the header names outright: 优良天数 is days."""
    return next((i for i in mention.indicators if i.name_zh == mention.alias), mention.indicators[0])


# --- the reader --------------------------------------------------------------------


@dataclass
class Column:
    mention: Mention | None
    header: str
    unit_text: str | None
    change: bool
    back: int | None = 0   # years before the table's ('去年同期…': 1); None: another earlier period
    months: str | None = None   # a column's own months ('累计' in a table of 10月: 1-10), else the table's


class CellTable:
    def __init__(self, cells: list[Cell], title: str, ctx: DocContext):
        (self.label_header, self.total_label, self.title_cue, self.skip_column, self.change_column,
         self.title_unit) = _cues()
        self.ctx = ctx
        self.cells = [c for c in cells if c.text]
        self.title = title
        self.spelled = {s: u for u in catalog.units() for s in u.spellings}
        self.units = catalog.unit_by_name()
        self.level_word = catalog.cue_pattern("tables", "level_subheader")
        self.above: list[str] = []   # the titles of the tables above in the same stream, nearest first

    # which cells are what
    def is_label_header(self, text: str) -> bool:
        """'城市', '县(市、区)', '城 市' (a PDF's spaced header): the column of row labels."""
        return bool(self.label_header.fullmatch(re.sub(r"\s", "", text)))

    def label_of(self, cell: Cell) -> tuple[str, str | None] | None:
        """(region, code) when the cell labels a row."""
        text = cell.text
        if self.total_label.fullmatch(text):
            return self.ctx.region, self.ctx.region_code
        if NUMBER_CELL.match(text) or len(text) > 16:
            return None
        found = short_labels.label_region(text, self.ctx.region_code)   # '河源', '密云' (short_labels.py)
        if not found:
            m = row_label_region(text)
            return (m.name, m.code) if m else None
        paren = PAREN.search(text)
        m = found[-1] if paren else found[0]
        bare = re.sub(r"\s", "", text)
        whole = len(bare) - min(m.end - m.start, len(bare)) <= 1
        # '医药高新区 (高港区)': the region in the closing parenthesis
        in_paren = bool(paren and paren.start() <= m.start and m.end <= paren.end() and text.endswith(paren.group(0)))
        if not (whole or in_paren):
            return None
        return self._region(m)

    def _region(self, m: RegionMention) -> tuple[str, str | None] | None:
        if m.level == "self":
            return self.ctx.region, self.ctx.region_code
        if m.level == "redacted":
            return None
        return m.name, m.code

    def is_value(self, cell: Cell) -> bool:
        return bool(NUMBER_CELL.match(cell.text) or EMPTY_CELL.match(cell.text))

    # the parts of the table
    def split_header(self) -> tuple[list[Cell], list[Cell]]:
        """Header cells (title cells moved to the title) and the data cells after them."""
        n = 0
        by_year = False
        while n < len(self.cells) and not (self.is_value(self.cells[n]) or self.label_of(self.cells[n])
                                           or (by_year and YEAR_LABEL.fullmatch(self.cells[n].text))
                                           or self._period_row_at(n)):
            by_year = by_year or bool(YEAR_HEADER.fullmatch(self.cells[n].text))
            n += 1
        header, data = self.cells[:n], self.cells[n:]
        # the title lines above the header (表1 …, (2017年8月), headings) end with the last
        # title-like cell; its tail may be the first header cell ('…排名 优良天数比例(%)排名')
        label_at = next((i for i, c in enumerate(header) if self.is_label_header(c.text)), len(header))
        titles = [i for i, c in enumerate(header[:label_at]) if self._title_like(c.text)]
        first = titles[-1] + 1 if titles else 0
        for c in header[:first]:
            self.title += " " + c.text
        if titles and " " in header[first - 1].text.strip():
            c = header[first - 1]
            text = c.text.rstrip()
            cut = text.rfind(" ")
            tail = text[cut + 1:]
            if not self._title_like(tail) and (self.is_label_header(tail) or find_mentions(tail)):
                header.insert(first, Cell(tail, c.para, c.start + cut + 1, c.end))
        header = header[first:]
        # a group cell spanning rows ('成都平原地区') stands between the header and the first row
        labels = [i for i, c in enumerate(header) if self.is_label_header(c.text)]
        if len(labels) >= 2 and labels[1] == labels[0] + 1 and header and not find_mentions(header[-1].text) \
                and not self.is_label_header(header[-1].text) and not (data and self.label_of(data[0])
                                                                       and data[1:2] and self.label_of(data[1])):
            data.insert(0, header.pop())
        return header, data

    def _period_row_at(self, n: int) -> bool:
        """A period row label ('2019上半年监测数据') followed by a number cell."""
        return bool(n + 1 < len(self.cells) and table_rows.period_label(self.cells[n].text)
                    and NUMBER_CELL.match(self.cells[n + 1].text))

    def _title_like(self, text: str) -> bool:
        return bool(self.title_cue.search(text) or WRITTEN_YEAR.search(text) or re.match(r"^[一二三四五六七八九十]+、|^[(（][一二三四五六七八九十]+[)）]", text))

    def column_of(self, cell_text: str, ranking: bool = False) -> Column | None:
        """The column a header cell names; None for ranks, indices, counts. `ranking`: the cell
        heads one of several rankings side by side ('优良天数比例(%)排名'), whose values follow
        the place."""
        cell_text = period_headers.titled(table_titles.named_by_title(cell_text, self.title), self.title)   # '浓度', '10月' under '…PM2.5浓度…'
        mentions = header_mentions(cell_text)
        unit_text = next((u.group(1).strip() for u in PAREN.finditer(cell_text) if self._unit(u.group(1))), None) \
            or table_rows.tail_unit(cell_text, self.spelled)
        change = bool(self.change_column.search(cell_text))
        back = 0 if change else table_rows.years_back(cell_text)
        if not mentions:
            return Column(None, cell_text, unit_text, change, back)
        m = mentions[0]
        rest = cell_text[:m.start] + cell_text[m.end:]
        if self.skip_column.search(rest) and not (ranking and re.search(r"排名$|排序$|名次$", cell_text)):
            return None
        return period_headers.dated(Column(m, cell_text, unit_text, change, back), self.period)   # '累计': 1-10

    def _unit(self, text: str | None) -> catalog.Unit | None:
        if not text:
            return None
        text = text.strip()
        for sp in sorted(self.spelled, key=len, reverse=True):
            if text == sp or (text.startswith(sp) and len(text) - len(sp) <= 1):
                return self.spelled[sp]
        return None

    def read(self) -> list[Metric]:
        header, data = self.split_header()
        if not header or not data:
            return []
        by_period = self._period_rows(header, data)
        if by_period is not None:
            return by_period
        year, months = self.period()
        by_year = any(YEAR_HEADER.fullmatch(c.text) for c in header)
        if year is None and not by_year:
            return []
        groups = self._groups(header, data)
        if not groups:
            return []
        out = []
        if by_year:  # '年份 | PM2.5 | …', one row a year: the title's region (else the document's)
            found = [r for r in find_regions(self.title) if r.level not in ("self", "redacted")]
            place = (found[0].name, found[0].code) if found else (self.ctx.region, self.ctx.region_code)
            labels = [i for i, c in enumerate(data) if YEAR_LABEL.fullmatch(c.text)]
        else:
            labels = [i for i, c in enumerate(data) if self.label_of(c)
                      or (len(groups) > 1 and short_labels.unplaced_label(data, i, NUMBER_CELL.match))]
            # a place cell right before another is a group cell spanning rows ('川南地区 | 自贡市 | …')
            labels = [i for k, i in enumerate(labels) if not (k + 1 < len(labels) and labels[k + 1] == i + 1)]
        for j, i in enumerate(labels):
            columns = groups[j % len(groups)]
            if by_year:
                (region, code), year = place, int(data[i].text[:4])
            elif not self.label_of(data[i]):
                continue   # a side's row for a name that is no place ('开发区') keeps the sides in step
            else:
                region, code = self.label_of(data[i])
            nxt = labels[j + 1] if j + 1 < len(labels) else len(data)
            if i + 1 < nxt and MONTH_CELL.fullmatch(data[i + 1].text) and columns and columns[0] and columns[0].mention:
                i += 1  # '城固 | 11月 | 56 | …': the row's period, under the label's header
            values = data[i + 1:min(nxt, i + 1 + len(columns))]
            for cell, column in zip(values, columns):
                metric = self._metric(cell, column, region, code, year, months)
                if metric:
                    out.append(metric)
        return out

    def _period_rows(self, header: list[Cell], data: list[Cell]) -> list[Metric] | None:
        """A table whose rows are periods (table_rows.py); None when its rows are not periods,
        [] when its header cannot be aligned with them."""
        if any(YEAR_HEADER.fullmatch(c.text) for c in header) or any(self.label_of(c) for c in data):
            return None
        marks = [i for i, c in enumerate(data) if (table_rows.period_label(c.text) and i + 1 < len(data)
                                                   and NUMBER_CELL.match(data[i + 1].text))
                 or table_rows.is_comparison(c.text)]
        rows = [i for i in marks if not table_rows.is_comparison(data[i].text)]
        if not rows:
            return None
        label_at = max((i for i, c in enumerate(header) if self.is_label_header(c.text)), default=-1)
        heads = header[label_at + 1:]
        width = table_rows.gap_width(marks, len(data))
        # a corner cell over the period labels ('时段', '项目'), after the rest of a title line if any
        corner = next((k + 1 for k in range(min(2, len(heads) - 1)) if not header_mentions(heads[k].text)), 0)
        heads = heads[corner:] if label_at < 0 and (corner == 1 or len(heads) - corner >= (width or 0)) else heads
        heads = unit_cells.spread_group_unit(table_rows.without_unit_row(heads, width, self._unit, header_mentions), width,
                                             self._unit, header_mentions) if width else heads   # '均值(mg/m3)' over SO2 | …
        lower = next((k for k in range(1, len(heads)) if heads[k].para.seq - heads[k - 1].para.seq > 1), None)
        plan = table_rows.align([re.sub(r"\s", "", c.text) for c in heads], lower, width) if width else None
        if plan is None:
            return []
        columns = [self.column_of(heads[k].text) if k is not None else None for k in plan]
        found = [r for r in find_regions(self.title) if r.level not in ("self", "redacted")]
        region, code = (found[0].name, found[0].code) if found else (self.ctx.region, self.ctx.region_code)
        said = {table_rows.period_label(data[i].text)[1] for i in rows} - {None}
        default = next(iter(said)) if len(said) == 1 else (period_of(self.title) or "1-12")
        out = []
        for i in rows:
            year, months = table_rows.period_label(data[i].text)
            nxt = next((j for j in marks if j > i), len(data))
            for cell, column in zip(data[i + 1:min(nxt, i + 1 + width)], columns):
                metric = self._metric(cell, column, region, code, year, months or default)
                if metric:
                    out.append(metric)
        return out

    def _groups(self, header: list[Cell], data: list[Cell]) -> list[list[Column | None]]:
        """The value columns after each label column ([[…]] for one table, several for rankings
        side by side)."""
        label_cols = [i for i, c in enumerate(header) if self.is_label_header(c.text)]
        # '区域 | 市(州)': a group column before the label column
        label_cols = [i for k, i in enumerate(label_cols) if k + 1 == len(label_cols) or label_cols[k + 1] != i + 1]
        if not label_cols:
            # rankings side by side: each header cell names one ranking (优良天数比例(%)排名)
            cols = [self.column_of(c.text, ranking=True) for c in header]
            if all(c and c.mention for c in cols) and len(cols) >= 1:
                labels = sum(1 for c in data if self.label_of(c))
                if labels % len(cols) == 0:
                    return [[c] for c in cols]
            return []
        # the rank / serial columns before each label column ('排名 | 城市'), not what precedes them
        # ('前20位 | 后20位', a group column)
        before = 0
        while before < label_cols[0] and self.skip_column.search(header[label_cols[0] - before - 1].text) \
                and not header_mentions(header[label_cols[0] - before - 1].text):
            before += 1
        groups = []
        for k, r in enumerate(label_cols):
            end = label_cols[k + 1] - before if k + 1 < len(label_cols) else len(header)
            groups.append([self.column_of(c.text) for c in header[r + 1:end]])
        if len(groups) == 1:
            heads = header[label_cols[0] + 1:]
            spanned = period_columns.three_rows(self, heads, data) or self._repeated_lower(heads)   # 9月 | 1-9月 over PM2.5 …
            spanned = spanned or period_columns.columns(self, heads, data)   # 本月 | 上年同期 over …
            groups[0] = spanned if spanned is not None else self._two_rows(groups[0], data)
            if self._misfit(len(groups[0]), data):
                return []  # rows narrower than the header: not read one column off
        return groups

    def _repeated_lower(self, cells: list[Cell]) -> list[Column | None] | None:
        """Columns of a lower header row repeating one pattern under each indicator (均值 |
        达标状况 | 同比, table_rows.repeated_lower): the level cell reads the indicator above it,
        a change cell is a change, the others are not read."""
        cols = [self.column_of(c.text) for c in cells]
        texts = [c.text for c in cells]
        named = [bool(c and c.mention) for c in cols]
        plan = table_rows.repeated_lower(texts, named) or table_rows.repeated_lower(
            texts, named, table_rows.roles(texts, self.change_column, self.skip_column, self.level_word))
        if plan is None:
            return None
        out = []
        for u, k in plan:
            low = cols[k]
            if u is None or low is None or not (low.change or low.unit_text or self.level_word.search(low.header)
                                                or period_headers.is_period(low.header)):   # 本月 | 累计 under each
                out.append(Column(None, cells[k].text, None, bool(low and low.change)))
                continue
            out.append(period_headers.dated(Column(cols[u].mention, f"{cols[u].header} {low.header}",
                                                   low.unit_text or cols[u].unit_text, low.change, low.back), self.period))
        return out

    def _group_cell(self, c: Column | None) -> bool:
        """An upper header cell naming a group of columns, not one: '平均浓度(μg/m3)'."""
        return bool(c and c.mention is None and not self.skip_column.search(c.header)
                    and (c.unit_text or self.level_word.search(c.header)))

    def _misfit(self, width: int, data: list[Cell]) -> bool:
        return table_rows.misfit(width, [i for i, c in enumerate(data) if self.label_of(c)])

    def _two_rows(self, columns: list[Column | None], data: list[Cell]) -> list[Column | None]:
        """Two header rows: the upper cells span the lower ones; the rows tell how many columns."""
        labels = [i for i, c in enumerate(data) if self.label_of(c)]
        gaps = Counter(b - a - 1 for a, b in zip(labels, labels[1:]) if b - a - 1 > 0)
        if not gaps:
            return columns
        k = gaps.most_common(1)[0][0]
        if k >= len(columns) or k == 0:
            return columns
        plan = table_rows.group_span([bool(c and c.mention) for c in columns], [self._group_cell(c) for c in columns], k)
        if plan is not None:  # '平均浓度(μg/m3)' over SO2 | NO2 | …, written after the other upper cells
            group = next(c for c in columns if self._group_cell(c))
            return [Column(c.mention, c.header, c.unit_text or group.unit_text, c.change, c.back) if i >= 0 and c
                    else c for i, c in ((i, columns[i]) for i in plan)]
        upper, lower = columns[:len(columns) - k], columns[len(columns) - k:]
        levels = [c for c in lower if c is not None and not c.change]
        if len(upper) != len(levels) or any(c is None or c.mention is None for c in upper):
            return columns
        out, parent = [], None
        it = iter(upper)
        for c in lower:
            if c is None:
                out.append(None)
                continue
            if not c.change:
                parent = next(it)
            mention = c.mention or (parent.mention if parent else None)
            out.append(Column(mention, c.header, c.unit_text or (parent.unit_text if parent else None), c.change,
                              c.back))
        return out

    def period(self) -> tuple[int | None, str]:
        """(year, months) of the table: its title's, else the titles above it, else the page's."""
        title = self.title
        m = None
        for m in WRITTEN_YEAR.finditer(title):
            pass
        if m:
            return int(m.group(1)), period_of(title[m.start():]) or period_of(title) or "1-12"
        return table_titles.title_period([title, *self.above], self.ctx, max_chars=None)

    def _metric(self, cell: Cell, column: Column | None, region: str, code: str | None, year: int,
                months: str) -> Metric | None:
        if column is None or column.mention is None or column.change or column.back is None:
            return None
        year, months = year - column.back, column.months or months
        m = NUMBER_CELL.match(cell.text)
        own_unit = None
        if not m:  # '30μg/m3': a number with its unit
            m = NUMBER_WITH_UNIT.match(cell.text)
            own_unit = self._unit(m.group(2)) if m else None
            if own_unit is None:
                return None
        value = float(m.group(1).replace(",", "").replace("−", "-"))
        if value < 0:
            return None
        mention = column.mention
        unit = own_unit or (self._unit("%") if m.group(2) else None) or self._unit(column.unit_text) \
            or title_unit_for(mention, self._title_unit())
        if unit is not None:
            indicator = fits_unit(mention, unit, "actual")
            if indicator is None:
                return None
            value = value * unit.factor / self.units[indicator.unit].factor
        else:
            indicator = named_indicator(mention)
        p = cell.para
        raw = p.text[cell.start:cell.end]
        lead = len(raw) - len(raw.lstrip())
        s = cell.start + lead
        e = s + len(m.group(1))
        return Metric(
            indicator_id=indicator.indicator_id, indicator=indicator.name_zh, phrase=column.header,
            region=region, region_code=code, year=year, months=months, kind="actual", value=value,
            value_high=None, unit=indicator.unit, qualifier="", value_text=p.text[s:e], para_start=s,
            para_end=e, evidence_start=0, evidence_end=len(p.text), confidence=0.8, paragraph_seq=p.seq)

    def _title_unit(self) -> catalog.Unit | None:
        return unit_of_title(self.title)
