"""The paragraph reader: each group of values in a paragraph to metrics."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.catalog.gazetteer import RegionMention, find_regions
from etl.extract import tables
from etl.extract.restated_changes import restates_change
from etl.extract.asides import joined_over_notes
from etl.extract.bounds import bound_before
from etl.extract.indicators import (IndicatorsMixin, Mention, distinct_indicators, find_mentions, mention_text,
                                   target_after)
from etl.extract.lists import (day_range_months, enumerated_parts, enumeration_run, listed_year_months, listed_years,
                               spans_two_years, two_year_span_end)
from etl.extract.matchers import ASIDE, YEAR_MENTION, canonical_alias, enclosing, matchers, spans_ending
from etl.extract.place_lists import with_listed_counties
from etl.extract.short_county_lists import with_short_counties
from etl.extract.page_pass import settle_page
from etl.extract.plan_horizons import plan_horizon
from etl.extract.goal_labels import under_goal_label
from etl.extract.progress_shares import is_progress_share
from etl.extract.weights import is_weight
from etl.extract.carried_years import continued_period
from etl.extract.magnitudes import change_of_listed_place, named_in_comparison, size_of_change_before
from etl.extract.year_spans import summed_over_years
from etl.extract.periods import (PeriodsMixin, heading_year, last_period, opening_period, year_mentions,
                                 year_of_dated_period)
from etl.extract.rankings import place_after
from etl.extract.reviewed_years import reviewed_years
from etl.extract.subjects import SubjectsMixin, drop_subsets, section_region_after, subject_of
from etl.extract.norms import quotes_norm
from etl.extract.period_lengths import is_period_length
from etl.extract.spreads import is_spread
from etl.extract.unfinished_years import unfinished_year_kind
from etl.extract.goal_sections import goal_section_kind
from etl.extract.forward_goals import forward_goal_year
from etl.extract.trailing_names import named_after
from etl.extract.as_of_days import running_total_day
from etl.extract.values import Value, bare_shares, find_values, multiplier_of_unit, written_unit
from etl.model import DocContext, Metric, Paragraph

SENTENCE_END = re.compile(r"[。！？!?]")
# a parenthesis opening a subset (其中…) ends a clause too: its numbers are not the total's
# and so does one opening a figure for another year ('(2020年基期值为26.0', '(基期91.6%)');
# not a bound's inclusive note ('低于(含)35': the bound goes on)
CLAUSE_END = re.compile(r"[，,；;。！？!?：:]|[(（](?=\s*(?:其中|含(?!\s*(?:本数)?\s*[)）])|包括|(?:19|20)\d{2}\s*年|基期))")
HAS_NUMBER = re.compile(r"\d|[零〇一二两三四五六七八九十百千]")
FORMULA = re.compile(r"[=×÷]")
SPREAD = re.compile(r"范围|介于")
# '占81天.4%', 'μg/m31.0%': a unit glued to more digits is scraping or OCR debris, no reading
GARBLED_AFTER = re.compile(r"[.．]\d|\d+(?:\.\d+)?\s*%")
SPREAD_AFTER = re.compile(r"\s*(?:[-－~～—–至到]\s*\d+(?:\.\d+)?\s*%?\s*)?(?:之间|范围内|区间)")  # '在5.5%~100%之间', '在5.5%-100%之间': a spread
STANDARD = re.compile(r"标准(?:值|限值)?\s*[(（]?\s*$")
REDUCTION = re.compile(r"下降|降低|减少")
# (将 straight before a figure takes an object, not the future: '累计将3.2万个污染源纳入管理')
FORWARD_CUES = re.compile(r"力争|确保(?!了)|(?<!已)控制在(?!了)|将(?!\s*\d)|(?<![主重需必])要(?:达到?|实现|降至|控制)")
BASE_YEAR = re.compile(r"(?:比|较|相比)\s*(?:19|20)\d{2}\s*年")
# '超过75微克/立方米的天数', '按年均35微克/立方米的二级标准评价': a criterion, not a measurement
THRESHOLD = re.compile(r"\s*及?(?:以上|以下|以内)?的(?:城市|区县|县区|县|市|省份|地区|断面|点位|监测点|站点|天数|日数|小时数"
                       r"|(?:国家)?[一二]级标准|标准|限值)"
                       # '夜间达标率未达到80%的是1类区': the places below a mark are named after it
                       r"|\s*(?:以上|以下)?的(?:是|有)")
# '连续6年保持98%以上', '连续三年超80%': a floor a streak of years kept, not the year's level
STREAK_FLOOR = re.compile(r"连续\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:年|个月|个?季度)[^，,；;。\d]{0,8}?(?P<bound>超过?|高于|不低于)?$")
FLOOR_AFTER = re.compile(r"\s*(?:以上|以下|以内)")
# '高于全省均值(31微克/立方米)': the figure in parentheses is the yardstick's level, not a difference
YARDSTICK_LEVEL = re.compile(r"(?:平均水平|平均值|均值|平均)\s*[(（]\s*(?:为|是)?\s*$")
# ('高出市下达年度指标(90.1%)': a goal set from above is written 指标 as well)
TARGET_FIGURE = re.compile(r"(?:目标|(?:下达|考核|约束性|年度)指标)值?\s*[(（]\s*$")
# the starting value of a change from one level to another ('从47微克/立方米下降至…29',
# '由4天增加至16天', '从行动启动之初的68.5%提升到90.1%'): what stands before it, and after it
FROM_VALUE = re.compile(r"(?:从|由)\s*(?:[^，,；;。\d从由]{1,16}的)?\s*$")
TO_VALUE = re.compile(r"[^，,；;。\d]{0,10}?(?:至|到)\s*(?:(?:19|20)\d{2}\s*年\s*(?:底|末)?\s*的?\s*)?[\d零〇一二两三四五六七八九十]")
SINCE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年[^，,；;。]{0,24}?以来")
# the goal word of a sentence's opening clause was met: '…规划各项任务全面完成' ('确保完成目标任务' is no such)
# (or progress was made on it: '落实…目标取得积极进展,…装机容量达到12亿千瓦')
COMPLETED = re.compile(r"(?:全面|圆满|如期|超额|顺利)(?:完成|实现)(?!\s*(?:目标|任务))|(?:完成|实现)了"
                       r"|取得[^，,；;。]{0,4}(?:进展|成效|成果)")
ACHIEVED = re.compile(r"截至|截止|已经|已|完成了|实现了")
# the reader's word for where a year was found -> metrics.year_source ('document': how the context decided it)
YEAR_SOURCES = {"tied": "clause", "clause": "clause", "sentence": "sentence", "paragraph": "paragraph",
                "heading": "heading", "dateline": "dateline", "none": "unresolved"}
MARGIN_END = re.compile(r"百分点$")
# the members listed before a value ('分别下降9.3%、12.9%、' before 5.0%): what is said before the
# first member is said of every one
# (a unit may hold a digit after its letters: '分别上升了0.006mg/m3、0.016mg/m3' lists two figures, not one ending in 3)
LISTED_BEFORE = re.compile(r"(?:(?<![A-Za-z/.\d])\d+(?:\.\d+)?\s*(?:[^\d\s，,；;。、和及与()（）]|(?<=[A-Za-z/])\d){0,8}?\s*[、和及与]\s*)+$")
# a member of a list of grades: '一', '四类', 'Ⅳ~Ⅴ类' (its last characters a grade numeral)
GRADE_MEMBER = re.compile(r"[一二三四五六ⅠⅡⅢⅣⅤⅥIV1-6]\s*类?\s*$")
LIST_GAP = re.compile(r"^\s*(?:以上|以下|左右)?\s*[、和及与]\s*$")


def extract(paragraphs: list[Paragraph], ctx: DocContext) -> list[Metric]:
    """The extract stage: a pure function of the paragraphs and the document context."""
    metrics, table_cells = tables.read_tables(paragraphs, ctx)
    # a document that opens on a season across two years ('2019年10月—2020年3月，…') has no
    # year of its own to lend to values that name none (it opens on the first year or period it
    # names: a release on '10月份' that ends on a forecast for '2019-2020年秋冬季' does not)
    mx = matchers()
    dated = next((p.simplified for p in paragraphs
                  if YEAR_MENTION.search(p.simplified) or last_period(p.simplified, mx)), "")
    season = spans_two_years(dated)
    section = (None, 0)  # '(一)京津冀及周边地区', '2023年长三角地区空气质量情况': a label line's region, rank
    previous = None  # the place the paragraph before gave its last values for ('1-11月,…' goes on with it)
    carried = None   # the period the last paragraph opening on one announced ('2020年1-3月，全区…')
    reviewed = reviewed_years(paragraphs)   # years measured against the year before: never goals
    for i, p in enumerate(paragraphs):
        section = section_region_after(p, section)
        if HAS_NUMBER.search(p.simplified) and p.seq not in table_cells:
            read = extract_paragraph(p, ctx, section[0], season, previous, carried, reviewed)
            metrics.extend(read)
            # (it counts when the paragraph reported catalog values for it, not for an event's date)
            opening = opening_period(p.simplified, ctx)
            if opening and (got := [m.year for m in read if m.indicator_id and m.kind == "actual"
                                    and m.months == opening[1] and opening[0] in (None, m.year)]):
                carried = (*opening, got[0])   # (and the year its values got: periods.carried_year)
            carried = continued_period(p, paragraphs[i + 1:i + 2], read, carried)   # (a line cut in passages)
        previous = subject_of(p.simplified) if HAS_NUMBER.search(p.simplified) else None
    return settle_page(metrics, paragraphs, ctx)


def extract_paragraph(p: Paragraph, ctx: DocContext, section_region: RegionMention | None = None,
                      season: bool = False, previous_subject=None,
                      carried_period: tuple[int | None, str, int | None] | None = None,
                      reviewed: frozenset[int] = frozenset()) -> list[Metric]:
    text = p.simplified
    values = find_values(text)
    mentions = find_mentions(text)
    # '优良率达82.6,…': a share whose % sign the page lost
    shares = [m.end for m in mentions if all(i.unit == "%" for i in m.indicators)]
    values = sorted(values + bare_shares(text, shares, values), key=lambda v: v.start)
    if not values:
        return []
    regions = with_short_counties(text, with_listed_counties(text, find_regions(text)), ctx)   # ('甲乙、丙丁3县')
    reader = ParagraphReader(p, ctx, mentions, regions)
    reader.section_region = section_region
    reader.season = season
    reader.previous_subject = previous_subject
    reader.carried_period = carried_period
    reader.reviewed_years = reviewed
    reader.value_starts = [v.start for v in values]
    reader.value_ends = [v.end for v in values]
    out = []
    for group in _groups(text, values):
        out.extend(reader.read_group(group))
    return drop_subsets(_drop_bounds_beside_exact(out), text, reader.sentences)


def _groups(text: str, values: list[Value]) -> list[list[Value]]:
    """Values listed together ('40%、30%', '11、24、59、35微克') form one group."""
    groups: list[list[Value]] = []
    for v in values:
        if groups and LIST_GAP.match(text[groups[-1][-1].end:v.start]):
            groups[-1].append(v)
        elif len(groups) > 1 and LIST_GAP.match(ASIDE.sub("", text[groups[-2][-1].end:v.start])):
            # '分别为78.9%（同比上升1.2个百分点）和81.4%': an aside between two members
            groups[-2].append(v)
        else:
            groups.append([v])
    return groups


def _listed(text: str, regions: list[RegionMention]) -> bool:
    """Places written one after another as a list: '北京、廊坊和长治'."""
    return all(re.fullmatch(r"\s*[、和及与,，]\s*", text[a.end:b.start]) for a, b in zip(regions, regions[1:]))


def _drop_bounds_beside_exact(metrics: list[Metric]) -> list[Metric]:
    """'降到30以下，具体为29.3' / '为90.4%…首次超过90%': the bound adds nothing to the exact value."""
    exact = {(m.indicator, m.region, m.year, m.months, m.kind) for m in metrics if m.qualifier in ("", "~")}
    return [m for m in metrics if m.qualifier not in (">=", "<=") or m.indicator_id is None
            or (m.indicator, m.region, m.year, m.months, m.kind) not in exact]


class ParagraphReader(IndicatorsMixin, PeriodsMixin, SubjectsMixin):
    def __init__(self, p: Paragraph, ctx: DocContext, mentions: list[Mention], regions: list[RegionMention]):
        self.p, self.ctx, self.text = p, ctx, p.simplified
        self.mentions, self.regions = mentions, regions
        self.mx = matchers()
        self.sentences = spans_ending(self.text, SENTENCE_END)
        self.clauses = joined_over_notes(self.text, spans_ending(self.text, CLAUSE_END))   # (asides.py)
        self.heading_year = heading_year(p.heading, ctx)
        self.years = year_mentions(self.text, ctx)
        self.value_starts: list[int] = []  # set by extract_paragraph: where values stand
        self.value_ends: list[int] = []
        self.unpaired: set[int] = set()  # values of a 分别 list that no names pair with
        self.section_region: RegionMention | None = None  # named by the label line the paragraph is under
        self.listed_years: dict[int, int] = {}  # value start -> its year in '2019年至2022年…分别为…'
        self.listed_months: dict[int, str] = {}  # value start -> its months in '2016年至2020年11月…分别为…'
        self.season = False  # the document opens on a season across two years
        self.previous_subject = None  # subjects.subject_of the paragraph before
        self.carried_period = None  # (year, months) an earlier paragraph opened on: periods.opening_period
        self.shared: set[int] = set()  # starts of listed mentions sharing one value ('…均为100%')
        self.reviewed_years: frozenset[int] = frozenset()  # years the page measures (reviewed_years)
        self.counted_share = -1  # start of the last share read as the share of the count before it

    # -- one group of listed values
    def read_group(self, group: list[Value]) -> list[Metric]:
        first = group[0]
        sentence = enclosing(self.sentences, first.start)
        clause = enclosing(self.clauses, first.start)
        # '完成造林6.3万公顷、退化林修复9.1万公顷': a name before an earlier value is that value's
        # ('饮用水源(80个)水质达标率为100%': a count in parentheses inside a name does not cut it)
        subject_start = max([clause[0], *(x for x in self.value_ends if clause[0] <= x <= first.start
                                          and not any(m.start < x < m.end for m in self.mentions))])
        in_clause = [m for m in self.mentions if subject_start <= m.start and m.end <= first.start]
        if not in_clause:  # '全国共完成12.95万个建设项目环评文件审批': the indicator follows its number
            last = group[-1]
            in_clause = [m for m in self.mentions if 0 <= m.start - last.end <= 2 and m.end <= clause[1]][:1]
        in_clause = [m for m in in_clause if not self._is_subset(m)]
        paired = self._pair(group, in_clause, clause, sentence)
        if len(group) == 1 and (each := self._each_of(group[0], clause, sentence)):
            paired = [(paired[0][0], r) for r in each]
        elif len(group) == 1 and (shared := self._shared_by_list(group[0], in_clause)):
            paired = [(m, None) for m in shared]  # '…比例、…达标率均保持100%'
        out = []
        for v, (mention, region) in zip(group * len(paired) if len(group) == 1 else group, paired):
            metric = self._metric(v, mention, region, sentence, clause, subject_start, lead=first)
            if metric:
                out.append(metric)
        return out

    def _is_subset(self, mention: Mention) -> bool:
        """'“两打”行政处罚案件': a quoted qualifier narrows the indicator to a subset."""
        return self.text[max(0, mention.start - 1):mention.start] in ("”", '"', "」", "』")

    def _previous_clause_start(self, clause, sentence) -> int:
        earlier = [c for c in self.clauses if sentence[0] <= c[0] and c[1] <= clause[0]]
        return earlier[-1][0] if earlier else clause[0]

    def _pair(self, group: list[Value], in_clause: list[Mention], clause,
              sentence) -> list[tuple[Mention | None, RegionMention | None]]:
        n = len(group)
        if n > 1:
            distinct = distinct_indicators(in_clause)
            if len(distinct) == n:
                return [(m, None) for m in distinct]
            # the regions listed in this clause, or in the one before it ('江西、湖南、安徽位列前三，分别为…')
            for start in (clause[0], self._previous_clause_start(clause, sentence)):
                regions_here = enumeration_run(self.regions, self.text, start, group[0].start)
                if len(regions_here) == n:
                    return [(in_clause[-1] if in_clause else None, r) for r in regions_here]
            if in_clause and n == 2 and (pair := self._contrast_pair(in_clause[-1], clause)):
                return [(m, None) for m in pair]  # '昼夜间达标率分别为95.8%和92.4%'
            if in_clause:
                expanded = self._expand_subjects(in_clause[-1], clause, n)
                if expanded:
                    return [(m, None) for m in expanded]
            years = listed_years(self.text, sentence[0], group[0].start, n)
            if years:  # '2019年至2022年，…浓度分别为36、33、30、29微克/立方米'
                self.listed_years.update(zip((v.start for v in group), years))
                if end_month := listed_year_months(self.text, sentence[0], group[0].start):
                    # '2016年至2020年11月…分别为…': whole years, and the last one up to that month
                    last = "1" if end_month == 1 else f"1-{end_month}"
                    self.listed_months.update((v.start, last if y == years[-1] else "1-12") for v, y in zip(group, years))
                return [(in_clause[-1] if in_clause else None, None)] * n
            # 'Ⅰ~Ⅲ类、Ⅳ~Ⅴ类和劣Ⅴ类水质断面分别占64.5%、26.7%和8.8%': members that name an
            # indicator take their value, the others (Ⅳ~Ⅴ类) none
            parts = enumerated_parts(self.text, clause[0], group[0].start)
            if len(parts) == n and "分别" in self.text[clause[0]:group[0].start]:
                # a member names its indicator from its first character ('劣Ⅴ类水质断面'), not after
                # a name the gazetteer does not know ('长治PM2.5浓度')
                named_parts = [next((m for m in in_clause if m.start == s and m.end <= e + 8), None) for s, e in parts]
                found = [m for m in named_parts if m is not None]
                # ('一、二、三、四类及劣四类海水比例分别为…': grades, one a value, however few are named)
                graded = all(GRADE_MEMBER.search(self.text, s, e) for (s, e), m in zip(parts, named_parts) if m is None)
                if (2 * len(found) >= n or found and graded) and len(distinct_indicators(found)) == len(found):
                    self.unpaired.update(v.start for v, m in zip(group, named_parts) if m is None)
                    return [(m, None) for m in named_parts]
            # '昼间达标率为96.1%,夜间达标率为88.2%…(2023年分别为95.8%和87.0%)'
            named = distinct_indicators([m for m in self.mentions if sentence[0] <= m.start and m.end <= group[0].start])
            if not in_clause and len(named) == n:
                return [(m, None) for m in named]
            if "分别" in self.text[clause[0]:group[0].start]:
                # '0类、1类…功能区昼间达标率分别为82.7%、92.6%…': values of parts no name tells apart
                self.unpaired.update(v.start for v in group)
        mention = in_clause[-1] if in_clause else None
        return [(mention, None)] * n

    def _metric(self, v: Value, mention: Mention | None, region: RegionMention | None, sentence, clause,
                subject_start: int,
                lead: Value | None = None) -> Metric | None:
        text = self.text
        before_clause = text[clause[0]:v.start]
        if ((THRESHOLD.match(text, v.end) and not named_after(text, v.end))
                or SPREAD_AFTER.match(text, v.end) or GARBLED_AFTER.match(text, v.end) or is_period_length(text, v)
                or is_spread(text, v) or is_progress_share(text, clause[0], v.start, v.unit_text)
                or is_weight(text, v.end, v.unit_text)):
            return None  # '低于85%的城市为…': a criterion the places are sorted by; '完成目标的61%': progress
        if (streak := STREAK_FLOOR.search(before_clause)) and (FLOOR_AFTER.match(text, v.end) or streak.group("bound")):
            return None   # '连续6年保持98%以上': the streak's floor, not a level
        if FORMULA.search(before_clause) or STANDARD.search(before_clause) or quotes_norm(before_clause) or (
                SPREAD.search(before_clause) and not place_after(text, v.end, self.regions)):
            # a definition ('优良天数比例=…×100%'), a spread across places ('浓度范围为9—61',
            # '介于19~31之间', unless its ends name their places: '范围为18(甲县)~42(乙县)') or a threshold
            # ('达到国家二级标准(35微克/立方米)')
            return None
        kind = self._kind(v, mention, sentence, clause)
        # a member of a list with no name of its own is read as the list's first member is
        # ('分别为18微克/立方米、21微克/立方米和22微克/立方米')
        reader_v = lead if mention is None and lead is not None and lead.unit == v.unit else v
        indicator, phrase, inherited = self._indicator(reader_v, mention, kind, sentence, clause, subject_start)
        if (kind == "change" and indicator is not None and indicator.name_zh.endswith("下降率") and v.unit_text == "%"
                and self._fall_is_level(v, sentence, clause)):  # '比2020年降低3.8%': a change since then
            # '单位GDP能耗下降3.2%': for a reduction indicator the fall is the level
            kind = self._kind(v, mention, sentence, clause, reduction=True)
        elif (kind == "actual" and mention is not None and indicator is not None and indicator.name_zh.endswith("下降率")
              and not self._fall_is_level(v, sentence, clause)):
            kind = "change"   # '…排放比2005年下降超过51%', '十年来…下降了34.4%': the fall since then
        if indicator is None and phrase is None:
            return None
        if summed_over_years(text, sentence[0], v.start, indicator, phrase, self.mx):
            return None   # '“十三五”期间,…罚没款536.1亿元': no one year's amount
        year, year_source, year_cue = self._year(v, sentence, clause)
        if v.start in self.listed_years:
            year, year_source, year_cue = self.listed_years[v.start], "tied", None
        elif year_source != "tied" and (spans_two_years(text[sentence[0]:v.start]) or self._in_season(year_source, sentence)):
            return None  # '2023年10月至2024年3月' (a season across two years) has no single year
        if year_cue == "target" and (kind == "actual" or year_source == "tied"):
            kind = "target"  # '到2025年…', '好于2025年目标值(91.1%)' 
        if kind == "target" and not self.ctx.published and self._relative_year_before(v, sentence):
            # '今年…努力实现…达到83%' in an undated page that reviews last year's results: the
            # year set for cannot be told (今年 is dated by the page's date, and it has none)
            return None
        if kind == "actual" and year_source in ("clause", "sentence") and self._plan_still_running(v, sentence, year):
            kind = "target"   # '“十四五”时期,单位GDP用水量降低16%' before the plan ends: its goal
        if kind != "change" and (horizon := plan_horizon(text[:v.start], self.ctx.published)):
            kind, year, year_source = "target", horizon, "sentence"   # '今后五年,…达到23.04%'
        part_of_year = self._part_of_year(v, sentence, year_source)
        if (kind == "actual" and year and self._is_future(year) and not part_of_year
                and not catalog.cue_pattern("kind", "year_on_year").search(text, sentence[0], sentence[1])):
            # ('2025年一季度…提高到23.1%' in a 2024 report is an early figure, not a goal)
            kind = "target"  # a value for a year after the one reviewed can only be planned
        now_start = bool(catalog.cue_pattern("kind", "starting_point").search(text, max(0, v.start - 12), v.start))
        if now_start:
            # '将从目前的23.04%提高到24.1%': the level now, in the year the document reviews
            kind = "actual"
            year, year_source = (self.ctx.report_year, "document") if self.ctx.report_year else (None, "none")
        if kind == "actual" and year_source != "tied" and v.start not in self.listed_years and not now_start \
                and FROM_VALUE.search(text, clause[0], v.start) and TO_VALUE.match(text, v.end):
            # '从47微克/立方米下降至2021年的29', '由4天增加至16天': the starting value is not of the
            # year the sentence speaks of; it is of the year the change is counted since
            # ('自2013年开展监测以来,…从58…'), else of none one can tell
            since = SINCE_YEAR.findall(text, sentence[0], v.start)
            if not since:
                return None
            year, year_source = int(since[-1]), "sentence"
        published = int(self.ctx.published[:4]) if self.ctx.published else None
        if (kind in ("target", "actual") and year_source not in ("tied", "clause", "sentence")
                and (year is None or published is None or year > published) and self._said_of_now(v, sentence, clause)):
            # '目前,全国森林覆盖率达到了23.04%' in a plan's story: the level now, dated by the page
            kind = "actual"
            year, year_source = (published, "document") if published else (None, "none")
        day = running_total_day(indicator, text[sentence[0]:v.start], self.ctx.published)   # '截至12月14日,…累计'
        months, period_source = (day[0], "sentence") if day else self._months(v, sentence, clause, year, kind,
                                                                             year_source)
        year, year_source = (day[1], "dateline") if day and year is None and day[1] else (year, year_source)
        if months is None:
            return None
        # '1月1日至6月30日，…' names its months by their days
        by_days = day_range_months(text[sentence[0]:v.start])
        if by_days == "":
            return None   # a stretch of days ('7月20日至10月24日，连续97天保持在90%以上') is no period
        if by_days:
            months, period_source = by_days, "sentence"
        holiday = list(catalog.cue_pattern("period", "holiday").finditer(text, sentence[0], v.start))
        if holiday and not last_period(text[holiday[-1].end():v.start], self.mx):
            return None   # '今年春节期间,…达95.2%': a holiday's stretch of days is no period
        if v.start in self.listed_months:
            months, period_source = self.listed_months[v.start], "clause"
        if year is None and kind != "target" and period_source in ("clause", "sentence", "paragraph", "heading"):
            # '8月份，全省…达标率为100%' on a page dated 2022-09-15: the months just ended
            year = year_of_dated_period(months, self.ctx.published)
            year_source = "dateline" if year else year_source
            if year is None and (year := dict(self.ctx.stated_periods).get(months)):
                year_source = "document"   # the same months written with their year elsewhere ('2021年5月')
        kind = unfinished_year_kind(kind, year, months, year_source, text[sentence[0]:v.start], text[sentence[0]:sentence[1]], self.ctx)
        kind = goal_section_kind(kind, year_source, text[sentence[0]:v.start], self.p.heading, self.p.simplified)
        year = forward_goal_year(kind, year, year_source, text[:v.start], self.ctx)   # '下一步,确保…不低于90%'
        region_name, region_code, region_found, region_source = self._region(v, region, sentence, clause)
        qualifier = v.qualifier or self._qualifier_before(before_clause)

        if indicator is not None:
            value, value_high, unit = self._convert(v, indicator, kind)
            if value is None:
                return None
            name, ind_id = indicator.name_zh, indicator.indicator_id
        else:
            value, value_high = v.number / multiplier_of_unit(v), (v.number_high / multiplier_of_unit(v) if v.number_high else None)
            unit, name, ind_id = written_unit(text, v), phrase, None
            if kind != "change" and v.unit_text in ("个百分点", "百分点"):
                kind = "change"
        change_verb = ""
        if kind == "change":
            value, value_high, change_verb = self._signed(v, value, value_high, indicator, clause)
        confidence = _confidence(indicator is not None, inherited, year_source, region_found)
        ev_start, ev_end = _evidence(self.p.text, sentence, v)
        return Metric(
            indicator_id=ind_id, indicator=name, phrase=(mention_text(text, mention) if mention else phrase) or name,
            region=region_name, region_code=region_code, year=year, months=months, kind=kind,
            value=round(value, 10), value_high=round(value_high, 10) if value_high is not None else None,
            unit=unit, qualifier=qualifier, value_text=self.p.text[v.start:v.number_end],
            para_start=v.start, para_end=v.number_end, evidence_start=ev_start, evidence_end=ev_end,
            confidence=confidence, paragraph_seq=self.p.seq, change_verb=change_verb,
            year_source=YEAR_SOURCES.get(year_source) or self.ctx.report_year_source, period_source=period_source,
            region_source=region_source)

    def _plan_still_running(self, v: Value, sentence, year: int | None) -> bool:
        """The value's year is a five-year plan's end named by the plan ('“十四五”时期'), after the
        year the page was written or reviews, or on an undated page the year only guessed: the
        plan's goal."""
        said = [y for y in self.years if sentence[0] <= y.start and y.end <= v.start and not y.comparison
                and (y.aside is None or y.aside[0] <= v.start < y.aside[1])]
        named = self.mx.named_year.match(self.text, said[-1].start) if said else None
        if named is None or year is None or said[-1].year != year or named.end() != said[-1].end:
            return False
        if self.ctx.published:
            return year > int(self.ctx.published[:4])
        if self.ctx.report_year is None:
            return False
        # (an undated page whose year is only guessed from the years it names: a goal year it
        # names most is no year reviewed)
        guessed = not self.ctx.report_year_explicit or self.ctx.report_year_source == "default"
        return year > self.ctx.report_year or (year == self.ctx.report_year and guessed)

    def _relative_year_before(self, v: Value, sentence) -> bool:
        """The value's year is the one a relative word (今年, 本年) names before it in its sentence."""
        relative = [m for m in self.mx.relative_year.finditer(self.text, sentence[0], v.start)
                    if m.lastgroup and self.mx.relative_years[m.lastgroup] == 0]
        return bool(relative) and not YEAR_MENTION.search(self.text, relative[-1].end(), v.start)

    def _fall_is_level(self, v: Value, sentence, clause) -> bool:
        """A reduction indicator's fall is its level unless measured from a base year other than
        the year before ('比2019年下降1.0%' in 2020 is the year's fall) or, at a five-year plan's
        end, the plan's base year ('2020年…比2015年下降18.8%' is the plan period's fall)."""
        if catalog.cue_pattern("kind", "span").search(self.text, sentence[0], v.start):
            return False   # '十年来…下降了34.4%', '“十三五”以来累计下降': a fall over years (cues kind.span)
        base = BASE_YEAR.search(self.text, clause[0], v.start)
        if not base:
            return True
        year = self._year(v, sentence, clause)[0]
        since = int(re.search(r"\d{4}", base.group(0)).group(0))
        return year is not None and (since == year - 1 or (since == year - 5 and year % 5 == 0))

    def _said_of_now(self, v: Value, sentence, clause) -> bool:
        """'目前,…达到了23.04%': the first figure after a word of the present (cues.toml
        kind.current) in a sentence with no year, goal word or pledge before it."""
        now = list(catalog.cue_pattern("kind", "current").finditer(self.text, sentence[0], v.start))
        if not now:
            return False
        said = self.text[sentence[0]:v.start]
        return not (YEAR_MENTION.search(said) or self.mx.target.search(said) or FORWARD_CUES.search(said)
                    or any(now[-1].end() <= x < v.start for x in self.value_starts))

    def _in_season(self, year_source: str, sentence) -> bool:
        """The value's year is lent by a season across two years named before its sentence."""
        if year_source in ("document", "heading", "none"):
            return self.season
        if year_source != "paragraph":
            return False
        span_end = two_year_span_end(self.text, sentence[0])
        return span_end is not None and not any(
            y.states_the_year and span_end <= y.start < sentence[0] for y in self.years)

    def _kind(self, v: Value, mention: Mention | None, sentence, clause, reduction: bool = False) -> str:
        text = self.text
        start = max(clause[0], mention.end if mention else clause[0])
        if text[max(0, v.start - 1):v.start] in ("(", "（"):
            # '低于85%的城市为攀枝花市(81.9%)': what stands before the place is not said of its figure
            start = max([start, *(g.end for g in self.regions if g.end == v.start - 1)])
        if any(g.end in (v.start, v.start - 1) and change_of_listed_place(text, sentence[0], g.start) for g in self.regions):
            return "change"   # '下降幅度较大的是甲区(55微克/立方米)', '上升幅度分别为甲区10…': those places' changes
        between = text[start:v.start]
        if "分别" in text[clause[0]:v.start]:
            between = LISTED_BEFORE.sub("", between)
        if v.signed or v.unit_text in ("个百分点", "百分点") or (mention and named_in_comparison(text, clause[0], mention.start, mention.end, v.start)):
            return "change"   # ('甲区达标天数比全市达标天数少1天': the margin over the yardstick named)
        if restates_change(text, v.start, self.value_starts, self.value_ends, self.mx):
            return "change"  # '同比下降9.5%(2微克/立方米)': the same fall in the indicator's own unit
        if TARGET_FIGURE.search(text, clause[0], v.start):
            return "target"  # '优于年度目标(32.9微克/立方米)': the figure in parentheses is the target
        change = self.mx.change.search(between)
        if reduction and change and REDUCTION.search(change.group(0)):
            change = None
        if change and not self.mx.level_after_change.match(text, start + change.end()):
            return "change"
        if target_after().match(text, v.end):
            return "target"   # '优于75%的考核目标': the figure compared with is the goal itself
        if self.mx.comparison.search(between) and not YARDSTICK_LEVEL.search(between) \
                and not bound_before(between, self.mx.comparison):
            return "change"
        # '好于年度目标0.9个百分点重度及以上污染天数比例为0.9%': a margin ends what its target
        # word was said of, even where the page lost the punctuation after it
        said_from = max([clause[0], *(x for x in self.value_ends if clause[0] < x <= v.start
                                      and MARGIN_END.search(text, max(0, x - 4), x))])
        if self.mx.target.search(text[said_from:v.start]) or under_goal_label(text, sentence[0], clause[0]):
            return "target"   # (or a goal's label before a colon: '改善目标为：…')
        if self._dated_now(clause, v):
            # '为实现2025年目标，2023年全市PM2.5浓度降至32': a clause dated to a year already
            # reached states a level, whatever goal the sentence opens on
            return "actual"
        lead = text[sentence[0]:enclosing(self.clauses, sentence[0])[1]]
        goal = self.mx.target.search(catalog.cue_pattern("kind", "authority_title").sub(lambda m: " " * len(m.group(0)), lead))
        if goal and sentence[0] < clause[0] and not COMPLETED.search(lead, goal.end()):
            # ('湿地保护“十三五”规划各项任务全面完成,全省湿地保护率达到52.6%': a plan carried out, what
            # follows is what it reached; '按照《…行动计划工作方案》要求,…通报如下': no goal of the figures)
            return "target"
        # '力争…控制在30以内，优良天数比例达到82%以上': a pledge carries over the clauses it lists
        # (and holds in the value's clause before its name: '到2030年，某国将实现森林覆盖率达到…')
        if FORWARD_CUES.search(text[sentence[0]:start]) and not ACHIEVED.search(text[sentence[0]:v.start]):
            return "target"
        if mention is None and size_of_change_before(text, sentence[0], clause[0]):
            return "change"   # '…甲区升幅居首,约为11%': the rise's size
        return "actual"

    def _dated_now(self, clause, v: Value) -> bool:
        """The value's clause names, before it, a year no later than the one under review that is
        neither a comparison base nor a goal ('2023年全市…' in a review of 2023)."""
        said = [y for y in self.years if clause[0] <= y.start and y.end <= v.start and y.year is not None
                and not y.comparison and not y.goal and not y.aside]
        if not said or not (self.ctx.report_year or self.ctx.published):
            return False  # an undated document cannot tell a year reached from a goal year
        return not any(self._is_future(y.year) for y in said)

    def _signed(self, v: Value, value: float, value_high: float | None, indicator, clause):
        """A change stored with its sign: '下降2.7%' is -2.7; '改善16.7%' of a concentration is a
        fall. The last sign word of the clause before the number decides (a written sign wins)."""
        words = list(self.mx.change_sign.finditer(self.text, clause[0], v.start))
        if len(words) > 1 and catalog.cue_pattern("kind", "change_rounding").fullmatch(words[-1].group(0)) and not self.text[words[-1].end():v.start].strip():
            words.pop()   # '下降超过51%': 超过 rounds the fall, the verb before it signs it
        if not words or v.signed:
            return value, value_high, ""
        verb = words[-1].group(0)
        direction = self.mx.change_sign_of[verb]
        if direction in ("better", "worse"):
            if indicator is None or indicator.higher_is_better is None:
                return value, value_high, verb
            direction = "rising" if (direction == "better") == indicator.higher_is_better else "falling"
        if direction == "falling":
            value, value_high = -abs(value), (-abs(value_high) if value_high is not None else None)
            if value_high is not None:
                value, value_high = value_high, value  # the lower end first
        return value, value_high, verb

    def _qualifier_before(self, before: str) -> str:
        m = self.mx.before_qualifier.search(before[-6:])
        return self.mx.before_kind[m.group(1)] if m else ""

    def _contrast_pair(self, mention: Mention, clause) -> list[Mention] | None:
        """Two names sharing their head, written once after both contrast words (cues.toml [link]
        contrast): '昼夜间达标率', '昼间、夜间达标率', '昼/夜间点次达标率' -> the 昼间 and the
        夜间 indicator, in the order written."""
        for a, b in _contrasts():
            for first, second in ((a, b), (b, a)):
                if not mention.alias.startswith(canonical_alias(second)):
                    continue
                joint = re.compile(rf"(?:{first}|{first[0]})\s*[、/和及与]?\s*$")
                written = joint.search(self.text, clause[0], mention.start)
                if not written:
                    continue
                alias = canonical_alias(first + mention.alias[len(canonical_alias(second)):])
                if alias in self.mx.indicators_of_alias:
                    return [Mention(written.start(), mention.end, alias, self.mx.indicators_of_alias[alias]), mention]
        return None


# --- small helpers -----------------------------------------------------------------


def _evidence(display: str, sentence, v: Value) -> tuple[int, int]:
    """The sentence holding the value, cut around it to at most 300 characters."""
    s, e = sentence
    if e - s > 300:
        s = max(s, v.start - 150)
        e = min(e, max(v.end + 150, s + 300))
    while s < e and display[s] in " \n,，;；":
        s += 1
    return s, e


def _confidence(in_catalog: bool, inherited: bool, year_source: str, region_found: str) -> float:
    """How sure the extractor is of indicator, region and year together (0..1)."""
    c = {"tied": 0.95, "clause": 0.95, "sentence": 0.9, "paragraph": 0.8, "heading": 0.7,
         "document": 0.6, "dateline": 0.6, "none": 0.4}[year_source]
    if inherited:
        c -= 0.1
    # a union of regions, or a region the text does not tell, is no region to chart
    c -= {"named": 0.0, "default": 0.05, "union": 0.5, "unresolved": 0.5}[region_found]
    if not in_catalog:
        c -= 0.2
    return round(max(0.05, min(1.0, c)), 2)


@functools.cache
def _contrasts() -> list[tuple[str, str]]:
    """Pairs of words telling two indicators of one name apart (cues.toml [link] contrast)."""
    return [(a, b) for a, b in catalog.cues()["link"]["contrast"]]
