"""What a table's title lines give it: its period, and the indicator of a column headed by a bare measure.

Ranking tables of county and city bulletins often carry their month only in the title
('表1 5月各县(市、区)空气质量排名') while the year stands on a heading further up, or only on the
page's dateline. The nearest title line that names a period is the table's period; the year is
the nearest one written above, else the year the document states it reviews, else the year of
a page dated shortly after those months (periods.year_of_dated_period).

A ranking of one indicator often names it only in its title ('表1 3月各县(市、区)PM2.5浓度排名'), its
column headed by a bare measure ('浓度(μg/m³)', '数值(%)'): that column is of the title's indicator
(cues.toml [tables] bare_measure), when the title names exactly one. So is a column headed by a
goal or an outcome and perhaps its period only ('2024年度目标(μg/m³)', '1-10月实际'; [tables]
goal_or_actual_column)."""
from __future__ import annotations


from etl import catalog
import re

from etl.extract.indicators import distinct_indicators, find_mentions, fits_unit, mention_text
from etl.extract.periods import WRITTEN_YEAR, is_comparison_year, period_of, year_of_dated_period
from etl.model import DocContext

UNIT_IN_CELL = re.compile(r"[(（]([^()（）]{1,12})[)）]")
# a title line, not a paragraph of text whose period would be its own sentence's
TITLE_MAX_CHARS = 60


def title_period(lines_nearest_first: list[str], ctx: DocContext,
                 max_chars: int | None = TITLE_MAX_CHARS) -> tuple[int | None, str]:
    """(year, months) of a table from the lines just above it, the nearest first (a title
    already cut from its table's cells is read whatever its length: max_chars None)."""
    months = None
    for text in lines_nearest_first:
        # (not a comparison base: '…31微克/立方米,与2015年相比明显下降' above a table of this year)
        years = [y for y in WRITTEN_YEAR.finditer(text) if not is_comparison_year(text, y)]
        if years:
            # the period after the last year of the line ('2022年1~7月各市(区)…'), else the line's
            own = period_of(text[years[-1].start():]) or period_of(text)
            return int(years[-1].group(1)), months or own or "1-12"
        if months is None and (max_chars is None or len(text) <= max_chars):
            months = period_of(text)
    if ctx.report_year and ctx.report_year_explicit:
        return ctx.report_year, months or ctx.default_months
    if months:
        return year_of_dated_period(months, ctx.published), months
    return None, "1-12"



def title_indicator(title: str, cell_text: str = "") -> str | None:
    """The name of the one indicator a title names ('…PM2.5浓度排名' -> 'PM2.5浓度'), else None;
    None too when the cell's unit in parentheses is none the indicator is given in ('平均浓度(μg/m3)'
    under a lead that names 优良天数比例: a group cell spanning pollutants, not the title's share)."""
    named = distinct_indicators(find_mentions(title))
    if len(named) != 1:
        return None
    spelled = {s: u for u in catalog.units() for s in u.spellings}
    unit = next((spelled[u.strip()] for u in UNIT_IN_CELL.findall(cell_text) if u.strip() in spelled), None)
    if unit is not None and fits_unit(named[0], unit, "actual") is None:
        return None
    return mention_text(title, named[0])


def named_by_title(cell_text: str, title: str) -> str:
    """A header cell that is a bare measure ('浓度(μg/m³)') with the title's indicator put in place
    of the measure word ('PM2.5浓度(μg/m³)'); any other cell as it is."""
    bare = catalog.cue_pattern("tables", "bare_measure").match(cell_text)
    if catalog.cue_pattern("tables", "goal_or_actual_column").match(cell_text) and (name := title_indicator(title, cell_text)):
        return f"{name} {cell_text}"   # '2024年度目标(μg/m³)', '1-10月实际' under '…PM2.5浓度与年度目标'
    if not bare or not (name := title_indicator(title, cell_text)):
        return cell_text
    return name + cell_text[bare.end():]
