"""Values from statistics tables flattened into '|'- or tab-separated lines, one row a line
(other layouts: cell_tables.py).

    2024年1—12月宁夏回族自治区地级城市环境空气质量状况统计表
    排名 | 城市 | PM2.5(微克/立方米) | PM2.5同比变化(%) | 优良天数比例(%)
    1 | 固原 | 22 | -4.3 | 91.0

The header names an indicator (and often its unit) per column; each data row
names a region (or a year) in one cell. Columns of changes (同比, 变化) give
change values; ranks and composite indices are skipped. The year and period
come from the title line above the table, else from the document.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from etl import catalog
from etl.catalog.gazetteer import find_regions
from etl.extract import broken_headers, cell_tables, headers, period_headers, period_tables, place_figures, plan_tables, rankings, table_rows, table_titles
from etl.extract import cut_lines, merged_totals, short_labels, space_headers, spanned_labels, station_rows
from etl.extract.indicators import Mention, find_mentions, fits_unit
from etl.extract.periods import WRITTEN_YEAR, period_of
from etl.model import DocContext, Metric, Paragraph

CELL_SPLIT = re.compile(r"\s*[|｜\t]\s*")
NUMBER_CELL = re.compile(r"[+\-−]?\d+(?:,\d{3})*(?:\.\d+)?")
UNIT_IN_HEADER = re.compile(r"[(（]([^()（）]{1,12})[)）]\s*$")
SKIP_COLUMN = re.compile(r"排名|名次|序号|排序|指数|编号|个数|数量")
CHANGE_COLUMN = re.compile(r"同比|环比|变化|增减|升降|变幅|较上年|比上年")
TARGET_COLUMN = re.compile(r"目标")
YEAR_CELL = re.compile(r"^((?:19|20)\d{2})\s*年?$")


def is_table_row(p: Paragraph) -> bool:
    """A line of '|'- or tab-separated cells (a bare '|||||' is debris between cells, not a row;
    tabs inside a paragraph of prose do not make it a row)."""
    parts = CELL_SPLIT.split(p.simplified.strip())
    if len(parts) < 3 or sum(1 for c in parts if c) < 2:
        return False
    if "|" not in p.simplified and "｜" not in p.simplified:
        return all(len(c) <= cell_tables.MAX_CELL_CHARS and not cell_tables.SENTENCE_PUNCT.search(c) for c in parts)
    return True


def extract_tables(paragraphs: list[Paragraph], ctx: DocContext) -> list[Metric]:
    """Metrics from every table: runs of '|'-separated rows (one row a line), else the same
    runs and runs of short lines read as a stream of cells (cell_tables.py)."""
    metrics, _ = read_tables(paragraphs, ctx)
    return metrics


def read_tables(paragraphs: list[Paragraph], ctx: DocContext) -> tuple[list[Metric], set[int]]:
    """(metrics, seq of the paragraphs that are table cells, which the prose reader skips)."""
    paragraphs, joined = broken_headers.rejoin(paragraphs)   # a header line broken in two, one line
    out, taken = plan_tables.plan_tables(paragraphs, set(), ctx)
    found, read = period_tables.read_period_tables(paragraphs, taken, ctx)   # '指标 | 10月 | 1-10月 | …'
    out, taken = out + found, taken | read
    i = 0
    while i < len(paragraphs):
        if not is_table_row(paragraphs[i]) or paragraphs[i].seq in taken:
            i += 1
            continue
        j = i
        while j < len(paragraphs) and is_table_row(paragraphs[j]) and paragraphs[j].seq not in taken:
            j += 1
        # one line cut between cells by the segment stage: a stream of cells, not rows (cut_lines.py)
        found = _cell_table(paragraphs, i, j, ctx) if cut_lines.one_line(paragraphs[i:j]) else None
        if not found:
            found = _one_table(paragraphs, i, j, ctx)
        if found == [] or (found is None and _header_rows(paragraphs, i, j) >= 3):
            # (three header rows with no filler cells, '9月 | 1-9月' over 'PM2.5 | 优良天数比例 | …' over
            # '浓度 | 同比 | …', do not align as rows: the cell reader knows the shape, period_columns.three_rows)
            found = _cell_table(paragraphs, i, j, ctx)
        out.extend(found or [])
        taken.update(p.seq for p in paragraphs[i:j])
        i = j
    by_seq = {p.seq: k for k, p in enumerate(paragraphs)}
    for run in cell_tables.cell_runs(paragraphs, taken):
        start = by_seq[run[0].seq]
        found = _cell_table(paragraphs, start, start + len(run), ctx)
        if found:
            out.extend(found)
            taken.update(p.seq for p in run)
    for run in cell_tables.space_runs(paragraphs, taken):
        start = by_seq[run[0].seq]
        split = space_headers.split_under(paragraphs[start - 1] if start else None, run[0], taken,
                                          cell_tables.space_cells)   # 'PM2.5  优良天数比例' over '县区  浓度  同比 …'
        found = _cell_table(paragraphs, start, start + len(run), ctx, split=split)
        if found:
            out.extend(found)
            taken.update(p.seq for p in run)
    out.extend(rankings.read_flat_tables(paragraphs, taken, ctx))   # '…排名如下:排名 县(市、区) … 1 甲县 100% 16 …'
    out.extend(place_figures.read_place_figures(paragraphs, taken, ctx))   # 'PM2.5浓度(微克/立方米):' over '甲县：28'
    return out, taken | {joined[seq] for seq in taken if seq in joined}


def _cell_table(paragraphs, start, end, ctx, split=cell_tables.line_cells) -> list[Metric]:
    """The rows read from a stream of cells, with the line above as the title."""
    title = " ".join(p.simplified for p in paragraphs[max(0, start - 2):start] if len(p.simplified) <= 120)
    cells = [c for p in paragraphs[start:end] for c in split(p)]
    return cell_tables.read_cells(cells, title, ctx) or rankings.headerless_ranking(cells, title, ctx)


def _one_table(paragraphs, start, end, ctx) -> list[Metric] | None:
    """The metrics of a run of '|' rows; None when its header cannot be aligned with its rows
    (the run is then read by no other reader either)."""
    n_header = _header_rows(paragraphs, start, end)
    header = paragraphs[start]
    if cell_tables.label_columns(c for q in paragraphs[start:start + n_header] for c, _, _ in _cells(q)) >= 2:
        return []  # two tables side by side ('排名 | 城市 | PM2.5 | 排名 | 城市 | PM2.5'): read as cells
    rows = paragraphs[start + n_header:end]
    width = _width(rows)
    title = " ".join(p.simplified for p in paragraphs[max(0, start - 2):start])   # ('浓度' under '…PM2.5浓度排名')
    if n_header == 1 and not any(c for c in _columns([("", period_headers.titled(table_titles.named_by_title(c, title), title))
                                                      for c, _, _ in _cells(header)])):
        return _rows_as_indicators(paragraphs, start, end, ctx)
    lines = headers.padded([p.simplified for p in paragraphs[start:start + n_header]], width) \
        or [[c for c, _, _ in _cells(p)] for p in paragraphs[start:start + n_header]]   # empty cells kept
    header_texts = [[period_headers.titled(table_titles.named_by_title(c, title), title) for c in line] for line in lines]
    category = cell_tables.header_category(headers.plain(t) for row in header_texts for t in row)
    labels = headers.combine(header_texts, width, lambda t: bool(cell_tables.header_mentions(t, category)),
                             cell_tables.is_label_header,
                             lambda t: bool(SKIP_COLUMN.search(t) or CHANGE_COLUMN.search(t)))
    if labels is None:
        # rows of one width under a header that does not fit them: refused, not read shifted
        return None if width and sum(1 for p in rows if len(_filled(_cells(p))) == width) >= 2 else []
    columns = _columns(labels, category)
    year, months = _table_period(paragraphs, start, ctx)
    columns = period_headers.with_months(columns, labels, months)   # '累计' in a table of 10月: 1-10
    units = catalog.unit_by_name()
    spelled = {s: u for u in catalog.units() for s in u.spellings}
    title_unit = cell_tables.unit_of_title(" ".join(p.simplified for p in paragraphs[max(0, start - 2):start]))
    read = [(p, _cells(p)) for p in rows]
    read = merged_totals.pad(read, [c for c, _, _ in _cells(header)], len(columns),
                             lambda t: cell_tables.is_total_label(t) or _names_place(t),   # a tie's rank spans rows
                             SKIP_COLUMN.search, cell_tables.is_label_header)   # '| 全省平均 | 26 |' under '序号 | 城市'
    read = [(p, cells) for p, row in spanned_labels.carry(read, len(columns), table_rows.period_label)
            if (cells := _fit(row, len(columns)))]   # a label spanning rows ('甲市' over two periods) given again
    read += [r for r in _cut_last_row(rows, paragraphs, len(columns)) if all(r[0] is not p for p, _ in read)]
    places = _row_places(read, ctx, any(cell_tables.is_label_header(c) for c, _, _ in _cells(header)))
    places = station_rows.places(read, places, [c for c, _, _ in _cells(header)], _names_place, cell_tables.is_total_label)
    out = []
    for (p, cells), (region, code, row_year) in zip(read, places):
        if region is None or (cells and table_rows.is_comparison(cells[0][0])):
            continue  # no place; or a row of changes ('同期相比 | 增加5天 | …', '变化 | +5 | -2')
        row_year = row_year or year
        period = table_rows.period_label(cells[0][0]) if cells else None
        row_months = (period[1] if period else None) or months
        for (text, s, e), column in zip(cells, columns):
            number = cell_tables.NUMBER_CELL.match(text)
            if column is None or not number:
                continue
            unit = spelled.get(column.unit_text) if column.unit_text else cell_tables.title_unit_for(column.mention,
                                                                                                   title_unit)
            if number.group(2) and column.kind != "change":
                unit = spelled.get("%")  # a '90.0%' cell
            value = float(number.group(1).replace(",", "").replace("−", "-"))
            s += len(p.simplified[s:e]) - len(p.simplified[s:e].lstrip())
            e = s + len(number.group(1))
            if column.kind == "change":
                indicator = column.mention.indicators[0]
                out_unit = unit.unit if unit else "%"
            else:
                indicator = fits_unit(column.mention, unit, column.kind) if unit \
                    else cell_tables.named_indicator(column.mention)
                if indicator is None:
                    continue
                if unit is not None:
                    value = value * unit.factor / units[indicator.unit].factor
                out_unit = indicator.unit
                if value < 0 or (out_unit == "%" and value > 100):
                    continue  # a level is never negative, a share never over 100%
            out.append(Metric(
                indicator_id=indicator.indicator_id, indicator=indicator.name_zh,
                phrase=column.phrase, region=region, region_code=code,
                year=column.year or (row_year - column.back if row_year else row_year), months=column.months or row_months,
                kind=column.kind, value=value,
                value_high=None, unit=out_unit, qualifier="", value_text=p.text[s:e], para_start=s, para_end=e,
                evidence_start=0, evidence_end=len(p.text), confidence=0.85 if row_year or column.year else 0.4,
                paragraph_seq=p.seq))
    return out


def _header_rows(paragraphs, start, end) -> int:
    """How many rows open the run before its first row of figures (at least one, at most three)."""
    n = 0
    while start + n < end and n < 3:
        cells = _cells(paragraphs[start + n])
        if any(cell_tables.NUMBER_CELL.match(c) and not YEAR_CELL.match(c) for c, _, _ in cells):
            break
        if n and cells and (cell_tables.is_total_label(cells[0][0]) or _names_place(cells[0][0])):
            break  # '甲市 | - | - | -': a row without figures, not a header row
        n += 1
    return max(n, 1)


def _names_place(text: str) -> bool:
    """The cell is a place's name and little else ('甲市', '乳源瑶族自治县')."""
    found = find_regions(text)
    return bool(found) and found[0].level not in ("self", "redacted") and len(text) - (found[0].end - found[0].start) <= 1


def _width(rows) -> int:
    """The number of cells most rows have, empty cells at their end not counted."""
    counts = Counter(len(_filled(_cells(p))) for p in rows)
    return counts.most_common(1)[0][0] if counts else 0


def _filled(cells):
    """The cells up to the row's last non-empty one."""
    n = len(cells)
    while n and not cells[n - 1][0]:
        n -= 1
    return cells[:n]


def _fit(cells, width):
    """The row's cells for a header of `width` columns: a row may end in empty cells ('全市 | … |
    2.36 | |', an empty rank; '甲市 | 30 | 90% | |', a bar too many), never miss or add others."""
    return cells[:width] if len(_filled(cells)) <= width <= len(cells) else None


def _cut_last_row(rows, paragraphs, width):
    """The document's last line when a page cut it inside a table row ('佛冈县 | 10 | … | 3'): its
    cells up to the cut, read from the left, the last one (perhaps cut inside its number) left out."""
    if not rows or rows[-1] is not paragraphs[-1]:
        return []
    cells = _cells(rows[-1])
    if not 3 <= len(cells) < width:
        return []
    return [(rows[-1], cells[:-1])]


def _row_places(read, ctx: DocContext, labelled: bool) -> list[tuple[str | None, str | None, int | None]]:
    """(region, code, year) of each row: the region its cells name, the document's for a row naming
    none, and for a total row (全市, 平均) the one region all the named rows belong to, else the
    document's. Not read (no region): a row of a standard's limits, and in a table with a column of
    place labels (`labelled`) a row whose label is no place the gazetteer knows."""
    found = []
    for _, cells in read:
        region, year = None, None
        for text, _, _ in cells:
            names = find_regions(text) or tuple(r for r in [cell_tables.row_label_region(text)] if r) \
                or ((cell_tables.bare_name_region(text, ctx.region_code) or short_labels.renamed_county(text))
                    if labelled else ())   # '河源' for 河源市, '凤翔县' for 凤翔区
            if names and region is None:
                region = names[0]
            if m := YEAR_CELL.match(text):
                year = int(m.group(1))
            elif year is None and (period := table_rows.period_label(text)):
                year = period[0]  # '2021年1-6月 | …', '2019上半年监测数据 | …': a row of a period
        found.append((region, year))
    by_code = _regions_by_code()
    named = [r for r, _ in found if r is not None and r.level not in ("self", "redacted") and r.code in by_code]
    parents = {by_code[r.code].parent_code for r in named}
    parent = by_code.get(next(iter(parents))) if len(parents) == 1 and len(named) >= 2 else None
    out = []
    for (_, cells), (region, year) in zip(read, found):
        total = any(cell_tables.is_total_label(t) for t, _, _ in cells)
        if region is None and _limit_row(cells):
            out.append((None, None, None))  # '日均值二级标准限值 | 150 | …': the standard's figures
        elif region is None and labelled and not total:
            out.append((None, None, None))  # '清新区' unknown to the gazetteer: not the document's
        elif region is None or region.level == "self":
            if total and parent is not None:
                out.append((parent.name, parent.code, year))
            else:
                out.append((ctx.region, ctx.region_code, year))
        else:
            out.append((region.name, region.code, year))
    return out


@functools.cache
def _regions_by_code() -> dict:
    return {r.code: r for r in catalog.regions()}


def _limit_row(cells) -> bool:
    """A row of a standard's limits: its text cells name a limit (cues.toml tables.limit_row)."""
    words = catalog.cue_pattern("tables", "limit_row")
    return any(words.search(text) for text, _, _ in cells if not cell_tables.NUMBER_CELL.match(text))


def _cells(p: Paragraph) -> list[tuple[str, int, int]]:
    """(cell text, start, end) in the paragraph, cells stripped."""
    out, pos = [], 0
    text = p.simplified
    for part in CELL_SPLIT.split(text):
        start = text.index(part, pos) if part else pos
        out.append((part.strip(), start, start + len(part)))
        pos = start + len(part)
    # a leading or trailing bar gives an empty first/last cell: drop it
    if out and not out[0][0]:
        out = out[1:]
    if out and not out[-1][0]:
        out = out[:-1]
    return out


@dataclass
class Column:
    mention: Mention
    unit_text: str | None
    kind: str               # actual, change, target
    phrase: str             # the header words, group label included
    year: int | None        # a period the column's own label names ('2023年', '1-7月累计')
    months: str | None
    back: int = 0           # years before the table's ('去年同期PM2.5': 1, table_rows.years_back)


def _columns(labels: list[tuple[str, str]], category: str | None = None) -> list[Column | None]:
    """Per column: what its label (group label and own label) names, or None for columns
    without values. The own label names the indicator (else the group label does: PM2.5 over
    浓度 | 同比), the unit (else the group's: 平均浓度(μg/m3) over SO2 | NO2) and the period
    (else the group's: 2023年 | 2024年 over PM2.5 | 优良天数比例)."""
    columns: list[Column | None] = []
    for group, own in labels:
        text = f"{group} {own}".strip()
        mentions = cell_tables.header_mentions(own, category) or cell_tables.header_mentions(group, category)
        source = own if cell_tables.header_mentions(own, category) else group
        if not mentions:
            columns.append(None)
            continue
        m = mentions[0]
        rest = source[:m.start] + source[m.end:] + " " + (group if source is own else own)
        if SKIP_COLUMN.search(rest):
            columns.append(None)
            continue
        unit = UNIT_IN_HEADER.search(own) or UNIT_IN_HEADER.search(group)
        kind = "change" if CHANGE_COLUMN.search(text) else "target" if TARGET_COLUMN.search(text) else "actual"
        year = WRITTEN_YEAR.search(group) or WRITTEN_YEAR.search(own)
        months = period_of(group) or period_of(own)
        back = 0 if kind == "change" or year else table_rows.years_back(text)
        if back is None:
            columns.append(None)  # '上月PM2.5': a level of another earlier period
            continue
        columns.append(Column(m, unit.group(1) if unit else None, kind, source[m.start:m.end],
                              int(year.group(1)) if year else None, months, back))
    return columns


def _table_period(paragraphs, start, ctx: DocContext) -> tuple[int | None, str]:
    """Year and months from the title lines just above the table."""
    return table_titles.title_period([p.simplified for p in reversed(paragraphs[max(0, start - 4):start])], ctx)


def _rows_as_indicators(paragraphs, start, end, ctx) -> list[Metric]:
    """The other layout: one indicator per row, one period per column.

        指标 | 2024年1—6月 | 同比变化
        PM10（微克/立方米） | 78 | -6.0%
    """
    header = _cells(paragraphs[start])
    periods = []  # per column: (year, months) or None
    title_year, title_months = _table_period(paragraphs, start, ctx)
    for text, _, _ in header:
        m = re.search(r"((?:19|20)\d{2})\s*年", text)
        if CHANGE_COLUMN.search(text) or SKIP_COLUMN.search(text) or not (m or period_of(text)):
            periods.append(None)
        else:
            periods.append((int(m.group(1)) if m else title_year, period_of(text) or title_months))
    spelled = {sp: u for u in catalog.units() for sp in u.spellings}
    units = catalog.unit_by_name()
    out = []
    for p in paragraphs[start + 1:end]:
        cells = _cells(p)
        if len(cells) != len(header) or not (mentions := find_mentions(cells[0][0])):
            continue
        label = cells[0][0]
        unit_text = UNIT_IN_HEADER.search(label) or re.search(r"[(（]([^()（）]+)[)）]", label)
        unit = None
        if unit_text:
            unit = next((spelled[sp] for sp in sorted(spelled, key=len, reverse=True)
                         if unit_text.group(1).startswith(sp)), None)
        mention = mentions[0]
        mention.start, mention.end = mention.start + cells[0][1], mention.end + cells[0][1]
        indicator = fits_unit(mention, unit, "actual") if unit else mention.indicators[0]
        if indicator is None:
            continue
        for (text, s, e), period in zip(cells[1:], periods[1:]):
            if period is None or not NUMBER_CELL.fullmatch(text) or period[0] is None:
                continue
            value = float(text.replace(",", ""))
            if unit is not None:
                value = value * unit.factor / units[indicator.unit].factor
            out.append(Metric(
                indicator_id=indicator.indicator_id, indicator=indicator.name_zh,
                phrase=p.text[mention.start:mention.end], region=ctx.region, region_code=ctx.region_code,
                year=period[0], months=period[1], kind="actual", value=value, value_high=None,
                unit=indicator.unit, qualifier="", value_text=p.text[s:e], para_start=s, para_end=e,
                evidence_start=0, evidence_end=len(p.text), confidence=0.8, paragraph_seq=p.seq))
    return out
