"""Extract stage: paragraphs -> metric values, each tied to its span of text.

The package: values.py (numbers with units), matchers.py (catalog patterns compiled once,
sentence and clause spans), indicators.py, near_names.py (a label that is no alias, by
its telling words), periods.py, subjects.py (regions), lists.py
(the year or region of each member of a 分别/依次 list; seasons across two years; spans of
days), tables.py
(tables of one row a line: '|' or tab cells; headers.py builds each column's label from a
header of several rows, a group label over its columns; plan_tables.py reads plan indicator
tables, one indicator a row and the latest year's column its goal) and cell_tables.py (tables read as a stream of
cells: one cell per line, a whole table on one line, rankings side by side, space-separated
rows, two-row headers; a row starts at its region label), table_rows.py (rows labelled by
periods, comparison rows skipped; lower header rows aligned with their upper cells or the table
refused), period_columns.py (本月 | 上年同期 over a repeated measure: each period spans one copy),
period_tables.py (one indicator a row under period columns: 本月 | 累计 | 上年同期, '10月 | 1-10月' over
监测值 | 增减; change columns skipped), period_headers.py (the period a header cell keys its column on: '累计' in
a table of 10月 is 1-10, 上年同期 a level of the year before), unit_cells.py (a unit-only cell on its own line
belongs to the header cell before it), broken_headers.py (a '|' header line broken inside a cell, one line again),
cut_lines.py (a table on one line cut between cells by the segment stage is one stream of cells, not rows),
stacked_tables.py (a header written again in one stream of cells starts another table), place_figures.py
(places each given one figure under a label line: '甲县：28' a line, '甲县(28)、乙县(30)'), table_titles.py (a table's period and a bare measure column's indicator from its title),
rankings.py (a place in parentheses after its value; ranking tables that lost their header or were
flattened into one spaced line), partitives.py (各县区中/分区域看 go on with the indicator before),
grades.py (a count of one grade's days, '良的天数', is no catalog indicator), topics.py (a paragraph
opening on its topic, '海洋环境质量方面，', re-reads its generic names), scoped.py (a scoped figure,
the state-assessed sections', beside the whole's own is a part's), counted_groups.py (a counted group
of the region's cities, '7个通道城市', beside the region's own figure is a part), joint_subjects.py
(places sharing one value, '甲市和乙市,为41', each take it), page_pass.py (what is decided
once a whole page is read), class_names.py (a lone class, 'Ⅴ类为0.6%', is not the 劣 class named before it),
extremes.py (a day's or an hour's extreme, '日均浓度最高值', is no level of the period), norms.py (a norm quoted with its copula, '二级标准限值为35', is no level),
trailing_names.py (a name written after its share, '96.2%的断面水质达到或优于Ⅲ类'), carried_places.py (the one place of a figureless sentence goes on in the period-led sentence after it) and
period_lengths.py (a period's length in brackets, '6月(30天)', is no count of days), spreads.py
(a range a figure moved within, '收盘价在52至88元/吨', is no level), base_periods.py (a base year's
figure compared over the same months is of those months), unfinished_years.py (a whole year's figure
on a page dated before that year was over is its goal), goal_sections.py (figures under a goals
heading are targets), forward_goals.py (a goal for what comes next in a review of a whole year is
the next year's), subtypes.py (one kind of a whole, '人工造林', beside the whole's own figure is a part),
goal_lists.py (a list of goals announced once, '各市考核指标为,', over the rows under it), year_spans.py
(a yearly amount summed over several years, '十年来完成造林…', is no year's), magnitudes.py (a change's size
in the clause after its verb, '升幅居首,约为11%') and
reader.py (the paragraph reader that combines them; it leaves the paragraphs of a
table to the table readers; one value after a list of places is each one's).

How a value is read, clause by clause (a clause ends at ，；。 and friends):

1. Values: a number (Arabic, Chinese numeral, with 万/亿) followed by a unit
   from data/catalog/units.csv; bare numbers listed before it ('11、24、59、35
   微克/立方米') share its unit; '3000万至5000万立方米' is one range, but a change 'by X to Y'
   ('下降3微克/立方米至19微克/立方米', '提高1.5个百分点至96.6%') is two values. 
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
   sentence about drinking-water sources is theirs ([link.compliance]), and so is a share
   followed by the compliance word ('稳定保持100%达标'). A label is read through its variants:
   synonyms inside it ([link] synonyms: 好于/优于, a spinner's 良好 for 优良), grade letters in
   either case ('aqi达标率', '劣v类'), but not as the head of a longer word ([indicator_not_before]:
   优良比 is no name inside 优良比例); a count in the general measure word 个 fits a count of
   cases ('下达行政处罚决定7.45万个'); a short name said right after a count of another thing is that
   thing's ([link.said_of_count]: '按日连续处罚案件199件,罚款金额…'); a lone grade ('良175天')
   names its own days; a bare measure ('平均月均浓度为18') inherits the pollutant named before;
   a figure after 占 is the whole a share is of ('占全年有效天数(365天)的94.2%'), and what a
   bare 总数量 counts is named before it. The figure a change starts from with no year of its own
   ('由4天增加至16天') is not read. Words right before a name that narrow it to a part
   ([link.parts]: 乡镇…水源地, 省界/出境断面) leave the value the part's. A label that is no
   alias at all is linked by near words (near_names.py, [link.near_names]): the indicator
   whose names share the most telling words with it, among those the value's unit fits, when
   it is near enough and clear of the runner-up ('地表水Ⅰ~Ⅱ类水质断面比例', '农村生活污水处理
   率'), with less confidence than an alias. Other quantities are kept with the phrase they
   describe and no catalog id.
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
   or dateline). Months the same way, down to the lead's period ('今年前5月'); when no lead
   announced one, the period a paragraph opens on and reports catalog values for ('2021年1-3月,
   全区…') holds for the later paragraphs of its year that name none, until one opens on another.
   Months named without a year on a page dated within three months after them
   ('8月份…' dated 2022-09-15) take that date's year; '2016年至2020年11月…分别为…'
   gives whole years and the last one up to its month; the starting value of a change from one
   level to another ('从47微克/立方米下降至2021年的29', '由4天增加至16天') is of the year the change
   is counted since ('自2013年…以来'), else not read; a holiday's stretch ('今年春节期间') is no
   period either; a floor a streak kept ('连续6年保持98%以上') and a mark that sorts places
   ('未达到85%的是…') are no levels; a stretch of days that is not
   whole months ('7月20日至10月24日') is no period, and its values are not read.
   Each metric records where its year, months and region came from
   (year_source, period_source, region_source: schema.sql lists the words).
5. Kind: change (a change verb or 个百分点 before the number), target (到2025年,
   力争, 控制在… in its clause or leading the sentence, or a year after the one
   reviewed; a goal in parentheses, 年度目标(N)/下达指标(N)), else actual. A clause
   dated to a year already reached is a level whatever goal the sentence opens on; a
   sentence comparing with the year before (同比) reports a level whatever the page's
   date; a margin ('好于年度目标0.9个百分点') ends the reach of its target word; a figure
   followed by the goal it is ('降低3.89%的目标任务', '优于72%的考核目标') is a target, and of the
   indicator named before it ('…为84.6%,高于国家下达某省79.5%的年度考核目标'). A goal for '今年'
   on an undated page is not read (which year it sets cannot be told). A year a five-year plan
   names ('“十四五”时期') after the page's date (or the year an undated page is only guessed to
   review) is the plan's goal; a long-range year in a heading ('2035年远景目标') is no year reviewed,
   nor the end of a plan's span ('规划(2021—2035年)'); on an undated page whose year is only
   guessed, '到2025年' is a goal. A date followed by who said it ('2021年12月某副部长表示,') is
   no period the page reviews nor the value's; a month statistics were taken at ('到了2020年3月
   统计数据,…') gives no period (the value is not read). A goal word in the opening clause that
   was met ('…规划各项任务全面完成,全省湿地保护率达到52.6%') makes no target of what follows.
   Qualifiers from 约/超过/以上/以内/左右/余/多.

Cue words and patterns live in data/catalog/cues.toml. The stage is a pure
function of the paragraphs and the document context.
"""
from etl.extract.matchers import matchers
from etl.extract.periods import period_of
from etl.extract.reader import extract, extract_paragraph
from etl.extract.values import find_values

__all__ = ["extract", "extract_paragraph", "find_values", "matchers", "period_of"]
