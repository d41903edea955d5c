"""Plan indicator tables: one indicator a row, one year a column, the later year the goal.

    专栏1 “十三五”生态环境保护主要指标
    指标 | 2015年 | 2020年 | 〔累计〕 | 属性
    生态环境质量 |                                  <- section cells: no indicator, no values
    地级及以上城市空气质量优良天数比率(%) | 76.7 | >80 | - | 约束性
    近岸海域水质优良(一、二类)比例(%) | 70.5 | 70左右 | - | 预期性

Scraped pages flatten such a table into a stream of cells: '|' rows, one cell a line, bars at
either end of a line, forum noise between the cells (its jammer text is cleaned away before;
scraps of it that remain, cells with neither a Chinese character nor a figure, are dropped), a
full stop for the decimal point ('76。7'), footnote digits inside the indicator's name. A row
starts at a cell that names a catalog indicator; its next cells are the header's columns in
order. In a plan table (a 属性 column of 约束性 / 预期性, or a title naming a plan or goals) the
latest year's column holds goals (kind target; '>80' is at least 80, '70左右' about 70) and the
earlier years' their base levels; otherwise every year column holds levels. Rows of changes
(…浓度下降(%), 〔18〕) give nothing: a goal of a fall is not a level.
"""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.extract import cell_tables, headers
from etl.extract.cell_tables import Cell
from etl.extract.indicators import fits_unit
from etl.model import DocContext, Metric, Paragraph

YEAR_COLUMN = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:目标值?|现状值?|基期值?|基准值?|规划值?|预期值?|实际值?|值)?"
                         r"(?:\s*[(（][^()（）]{0,8}[)）])?")
VALUE = re.compile(r"^(?P<q>[>＞<＜≥≤]|大于|小于|不低于|不高于|不超过|不少于)?\s*(?P<n>\d+(?:[.。]\d+)?)\s*(?P<pct>%|％)?"
                   r"\s*(?P<q2>左右|以上|以下|以内)?[!-/:-@\[-`{-~\s]*$")
EMPTY = re.compile(r"^[-—–/\\*…]+$")
CJK = re.compile(r"[\u4e00-\u9fff]")
UNIT = re.compile(r"[(（]([^()（）]{1,12})[)）][!-/:-@\[-`{-~\s]*$")
AT_LEAST = {">", "＞", "≥", "大于", "不低于", "不少于", "以上"}
AT_MOST = {"<", "＜", "≤", "小于", "不高于", "不超过", "以下", "以内"}
MAX_LINE = 80


@functools.cache
def _cues():
    c = catalog.cues()["tables"]
    return (re.compile(c["plan_label_header"]), re.compile(c["plan_attribute"]), re.compile(c["plan_title"]),
            re.compile(c["plan_header_word"]), re.compile(c["change_column"] + "|" + c["plan_change_row"]))


def plan_tables(paragraphs: list[Paragraph], taken: set[int], ctx: DocContext) -> tuple[list[Metric], set[int]]:
    """(metrics, seq of the paragraphs read) of every plan indicator table."""
    out: list[Metric] = []
    used: set[int] = set()
    run: list[Paragraph] = []
    for p in [*paragraphs, None]:
        if p is not None and p.seq not in taken and len(p.simplified) <= MAX_LINE:
            run.append(p)
            continue
        if len(run) >= 3:
            found, seqs = _read_run(run, paragraphs, ctx)
            out.extend(found)
            used |= seqs
        run = []
    return out, used


def _cells(run: list[Paragraph]) -> list[Cell]:
    cells = [c for p in run for c in cell_tables.line_cells(p) if c.text]
    # forum noise left over: scraps with neither a Chinese character nor a figure nor a unit
    units = _spelled()
    return [c for c in cells if CJK.search(c.text) or VALUE.match(c.text) or EMPTY.match(c.text) or c.text in units]


@functools.cache
def _spelled() -> dict:
    return {s: u for u in catalog.units() for s in u.spellings}


def _read_run(run: list[Paragraph], paragraphs: list[Paragraph], ctx: DocContext) -> tuple[list[Metric], set[int]]:
    label_header, attribute, plan_title, header_word, change_row = _cues()
    cells = _cells(run)
    out: list[Metric] = []
    used: set[int] = set()
    i = 0
    while i < len(cells):
        if not label_header.fullmatch(re.sub(r"\s", "", cells[i].text)):
            i += 1
            continue
        header = [cells[i]]
        j = i + 1
        while j < len(cells) and (YEAR_COLUMN.fullmatch(cells[j].text) or attribute.fullmatch(cells[j].text)
                                  or (header_word.search(cells[j].text) and len(cells[j].text) <= 12
                                      and not cell_tables.header_mentions(headers.plain(cells[j].text)))):
            header.append(cells[j])
            j += 1
        years = [(k, int(m.group(1))) for k, c in enumerate(header[1:])
                 if (m := YEAR_COLUMN.fullmatch(c.text))]
        if len(years) < 1 or (len(years) < 2 and not header_word.search(" ".join(c.text for c in header))):
            i += 1
            continue
        first = run.index(cells[i].para)
        title = " ".join(p.simplified for p in _before(paragraphs, run[0], 3)) + " " + " ".join(
            p.simplified for p in run[:first + 1])
        plan = any(attribute.fullmatch(c.text) for c in header) or bool(plan_title.search(title))
        goal_year = max(y for _, y in years) if plan else None
        unit_k = next((k for k, c in enumerate(header[1:]) if "单位" in c.text), None)
        end, found = _rows(cells, j, len(header) - 1, years, goal_year, change_row, ctx, unit_k)
        out.extend(found)
        used |= {c.para.seq for c in cells[i:end]}
        i = end
    return out, used


def _before(paragraphs: list[Paragraph], p: Paragraph, n: int) -> list[Paragraph]:
    k = next((k for k, q in enumerate(paragraphs) if q is p), 0)
    return paragraphs[max(0, k - n):k]


def _rows(cells, start, n_columns, years, goal_year, change_row, ctx, unit_k=None) -> tuple[int, list[Metric]]:
    """Rows from cells[start:] until the next table's label header; (where it stopped, metrics)."""
    label_header = _cues()[0]
    out = []
    i = start
    while i < len(cells):
        cell = cells[i]
        if label_header.fullmatch(re.sub(r"\s", "", cell.text)):
            break
        label = headers.plain(cell.text)
        mentions = cell_tables.header_mentions(label) if CJK.search(label) and not VALUE.match(label) else []
        if not mentions:
            i += 1
            continue
        values = []
        for c in cells[i + 1:i + 1 + n_columns]:
            if CJK.search(c.text) and cell_tables.header_mentions(headers.plain(c.text)):
                break  # the next row's label: this row lost cells
            values.append(c)
        i += 1 + len(values)
        if change_row.search(label):
            continue  # '…浓度下降(%)': a goal of a fall, not a level
        unit = values[unit_k].text if unit_k is not None and unit_k < len(values) else None
        for k, year in years:
            if k < len(values) and (metric := _metric(values[k], label, mentions[0], year, goal_year, ctx, unit)):
                out.append(metric)
    return i, out


def _metric(cell: Cell, label: str, mention, year: int, goal_year: int | None, ctx: DocContext,
            unit_text: str | None = None) -> Metric | None:
    """The figure of one year's cell; `unit_text`: the row's 单位 cell, if the table has one."""
    m = VALUE.match(cell.text)
    if not m:
        return None
    spelled = _spelled()
    unit_m = UNIT.search(label)
    unit_text = unit_text or (unit_m.group(1).strip() if unit_m else None)
    unit = spelled.get("%") if m.group("pct") else spelled.get(unit_text) if unit_text else None
    kind = "target" if year == goal_year else "actual"
    indicator = fits_unit(mention, unit, kind) if unit else cell_tables.named_indicator(mention)
    if indicator is None:
        return None
    value = float(m.group("n").replace("。", "."))
    if unit is not None:
        value = value * unit.factor / catalog.unit_by_name()[indicator.unit].factor
    if indicator.unit == "%" and value > 100:
        return None  # '666': a figure with noise glued to it
    words = {m.group("q"), m.group("q2")}
    qualifier = ">=" if words & AT_LEAST else "<=" if words & AT_MOST else "~" if "左右" in words else ""
    p = cell.para
    raw = p.simplified[cell.start:cell.end]
    s = cell.start + raw.find(cell.text) + m.start("n")
    e = s + len(m.group("n"))
    return Metric(
        indicator_id=indicator.indicator_id, indicator=indicator.name_zh, phrase=label[mention.start:mention.end],
        region=ctx.region, region_code=ctx.region_code, year=year, months="1-12", kind=kind, value=value,
        value_high=None, unit=indicator.unit, qualifier=qualifier, value_text=p.text[s:e], para_start=s,
        para_end=e, evidence_start=0, evidence_end=len(p.text), confidence=0.7, paragraph_seq=p.seq)
