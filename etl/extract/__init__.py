"""Extract stage: paragraphs -> metric values, each tied to its span of text.

The package: values.py (numbers with units), matchers.py (catalog patterns compiled once,
sentence and clause spans), indicators.py, periods.py, subjects.py (regions), lists.py
(the year or region of each member of a 分别/依次 list; seasons across two years; spans of
days), tables.py
(tables of one row a line: '|' or tab cells; headers.py builds each column's label from a
header of several rows, a group label over its columns; plan_tables.py reads plan indicator
tables, one indicator a row and the latest year's column its goal) and cell_tables.py (tables read as a stream of
cells: one cell per line, a whole table on one line, rankings side by side, space-separated
rows, two-row headers; a row starts at its region label), table_rows.py (rows labelled by
periods, comparison rows skipped; lower header rows aligned with their upper cells or the table
refused) and reader.py (the paragraph reader that combines them; it leaves the paragraphs of a
table to the table readers; one value after a list of places is each one's).

How a value is read, clause by clause (a clause ends at ，；。 and friends):

1. Values: a number (Arabic, Chinese numeral, with 万/亿) followed by a unit
   from data/catalog/units.csv; bare numbers listed before it ('11、24、59、35
   微克/立方米') share its unit; '3000万至5000万立方米' is one range.
2. Indicator: the nearest catalog alias before the value in its clause whose
   unit fits; lists are paired in order ('SO2、NO2、PM10、PM2.5 … 分别为 …');
   a clause with no indicator of its own ('具体为29.3', '同比下降2.7%') takes the
   one named before it in the sentence. A share right after a count is the
   share of what was counted ('轻度污染13天，占14.1%' is no share of 优良率;
   '达标天数为28天，比例为90.3%' takes the alias's 比例 indicator); a name split over two
   clauses ('昼间达标率为X，夜间为Y', '夜间达标N点次，达标率为Y') is joined again when the
   join is a catalog alias, and one written once after two contrast words (cues.toml [link]:
   '昼夜间达标率分别为X和Y') gives both indicators. Words written inside a name (cues.toml
   [link] inner: 全年, 平均, 监测, the first 类 of 'Ⅰ类~Ⅲ类') do not hide it; one value after a
   list of names with 均 ('…比例、…达标率均保持100%') is each one's; a bare compliance rate in a
   sentence about drinking-water sources is theirs ([link.compliance]). Other quantities are
   kept with the phrase they describe and no catalog id.
3. Region: the nearest region before the value in its sentence, else the
   document's own region; 全省/该市 resolve to the document's region (全省 in a
   city's report to its province), or stay unresolved (None, never 全国) when the
   document's region cannot be told or does not fit (全省 in a national report).
   A part or group of the region named before the value (168个城市, 县(市、区)平均,
   七大流域, 1类区, 关中地区: cues.toml region.part_of) leaves it unresolved too; the
   figure in parentheses after a yardstick ('比全国平均水平(85.5%)') is the yardstick's.
   全省/全市 take the province or city named earlier in the paragraph or by the label line above
   ('河北省' / '全省PM2.5…' in a digest of provinces) before the document's own; a line opening on
   a period ('1-11月,平均…') goes on with the place of the line before it, even across a line
   break; a region's named zones (秦岭区域), its part of a basin (黄河流域 in a province's report)
   and township sources are parts; the average over all of its counties right after 全州/全省
   is its headline when the document gave none before it (subjects.settle_averages).
4. Year and months: a year tied to the value ('从2013年的67.5', '较2019年同期
   (82.0%)'), else the nearest year of the sentence that is not a comparison
   base, else the paragraph's, else the section heading's, else the year the
   document reviews when the document states it (etl/context.py: its lead, title
   or dateline). Months the same way, down to the lead's period ('今年前5月').
   Months named without a year on a page dated within three months after them
   ('8月份…' dated 2022-09-15) take that date's year; '2016年至2020年11月…分别为…'
   gives whole years and the last one up to its month; a stretch of days that is not
   whole months ('7月20日至10月24日') is no period, and its values are not read.
   Each metric records where its year, months and region came from
   (year_source, period_source, region_source: schema.sql lists the words).
5. Kind: change (a change verb or 个百分点 before the number), target (到2025年,
   力争, 控制在… in its clause or leading the sentence, or a year after the one
   reviewed; a goal in parentheses, 年度目标(N)/下达指标(N)), else actual. A clause
   dated to a year already reached is a level whatever goal the sentence opens on; a
   sentence comparing with the year before (同比) reports a level whatever the page's
   date; a margin ('好于年度目标0.9个百分点') ends the reach of its target word; a figure
   followed by the goal it is ('降低3.89%的目标任务', '优于72%的考核目标') is a target.
   Qualifiers from 约/超过/以上/以内/左右/余/多.

Cue words and patterns live in data/catalog/cues.toml. The stage is a pure
function of the paragraphs and the document context.
"""
from etl.extract.matchers import matchers
from etl.extract.periods import period_of
from etl.extract.reader import extract, extract_paragraph
from etl.extract.values import find_values

__all__ = ["extract", "extract_paragraph", "find_values", "matchers", "period_of"]
