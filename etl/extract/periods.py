"""Periods: the years and months named in a text, and the reader's year and months of a value."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl import catalog
from etl.extract.report_years import bare_report_years
from etl.extract.base_periods import same_period_months
from etl.extract.carried_years import carried_year, months_lent_among_lead
from etl.extract.matchers import ASIDE, YEAR_MENTION, Matchers, catalog_simplify, matchers
from etl.extract.values import Value, find_values
from etl.model import DocContext

# a year (or a named one: 基期, “十三五”末) right before a value: '从2013年的67.5', '较2019年同期(82.0%)',
# '(2020年基期值为26.0', '2025年目标(25.5', '比2013年基准年的62'; group 3 marks a goal
# a year written with 年 ('2023年'): the year of a title, a heading or a table label
WRITTEN_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# (or with its months between: '较2015年1-6月(185'; the months stay the value's own: _months)
TIED_YEAR = re.compile(r"(?:((?:19|20)\d{2})\s*年|([“\"]?十[三四五]五[”\"]?末|基期|上年|去年|上一年))\s*(?:底|末)?\s*"
                       r"(?:\d{1,2}\s*(?:[-—–~～至到]\s*\d{1,2}\s*)?月份?\s*)?"
                       r"(?:同期|基期值?|基准年|水平|(目标值?))?\s*(?:(?:相比|比较|对比)\s*[(（]|(?:的|为|是)?\s*[(（]?)\s*$")
RELATIVE_TIES = ("上年", "去年", "上一年")
# (not the digits of a pollutant's name: 'PM10月均浓度', 'NO2月均值'; '1月份至4月份' is a range too)
MONTHS = re.compile(r"(?<![\d.A-Za-z])(\d{1,2})\s*(?:(?:月份?)?\s*[—–\-~～至到]\s*(\d{1,2})\s*)?月(?:份)?(?!\s*\d{1,2}\s*[日号])(?![\d])")
# the first months of the year counted: '前5月', '前4个月', '前两月', '前10个月' (前三季度 is a named period)
FIRST_MONTHS = re.compile(r"前\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*个?\s*月(?:份)?")
# a month written in Chinese numerals: '六月份', '十一月' (not a day: '六月一日'; not a count: '前六月')
CHINESE_MONTH = re.compile(r"(?<![\d一二两三四五六七八九十前第个])(十[一二]?|[一二三四五六七八九])\s*月(?:份)?"
                           r"(?!\s*[\d一二三四五六七八九十]{1,3}\s*[日号])")
# a range of months in Chinese numerals: '一至五月', '一—十一月份' (not a day: '一至五月十日')
CHINESE_MONTHS = re.compile(r"(?<![\d一二两三四五六七八九十前第个])(十[一二]?|[一二三四五六七八九])\s*月?\s*[—–\-~～至到]\s*"
                            r"(十[一二]?|[一二三四五六七八九])\s*月(?:份)?(?!\s*[\d一二三四五六七八九十]{1,3}\s*[日号])")
# '截至6月30日' closes the month; '截至9月18日' is part of one (no period)
MONTH_END_DAY = 28
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "十一": 11, "十二": 12}


@dataclass
class YearMention:
    start: int
    end: int
    year: int | None                 # None for a span or list of years
    comparison: bool                 # a comparison base: 比2020年, 较上年, 2013年以来
    goal: bool                       # 到2025年
    aside: tuple[int, int] | None    # the parentheses it stands in

    @property
    def states_the_year(self) -> bool:
        """Sets the year for the sentences after it in the paragraph."""
        return self.year is not None and not (self.comparison or self.goal or self.aside)


def year_mentions(text: str, ctx: DocContext) -> list[YearMention]:
    """Every year named in a simplified text: 2024年, 2021、2022年度, “十三五”末, 去年 …"""
    mx = matchers()
    asides = [(m.start(), m.end()) for m in ASIDE.finditer(text)]
    published = ctx.anchor_year or (int(ctx.published[:4]) if ctx.published else None)
    found = []
    for m in YEAR_MENTION.finditer(text):
        found.append((m.start(), m.end(), None if m.group(2) else int(m.group(1))))
    for m in mx.named_year.finditer(text):
        found.append((m.start(), m.end(), mx.named_years[m.lastgroup]))
    found.extend(bare_report_years(text))   # '《2023中国…公报》', no 年
    if published and not ctx.relative_undated:  # 今年/去年 mean something only when the document is dated
        for m in mx.relative_year.finditer(text):
            own = m.group(0) in catalog.cues()["year"]["report_own_year"] and ctx.report_year_source == "title"
            found.append((m.start(), m.end(), ctx.report_year if own else published + mx.relative_years[m.lastgroup]))
    out = []
    for start, end, year in sorted(found):
        before = text[max(0, start - 4):start]
        comparison = bool(mx.year_comparison_before.search(before) or mx.year_comparison_after.match(text, end))
        if comparison and mx.year_to_date.match(text, start) and year_to_date_months(ctx):
            comparison = False   # '今年以来' on a page dated early in a month: this year's whole months so far
        aside = next((a for a in asides if a[0] <= start < a[1]), None)
        out.append(YearMention(start, end, year, comparison, _is_goal(before), aside))
    return out


def year_to_date_months(ctx: DocContext) -> str | None:
    """The months '今年以来' covers: January through the month before the page's date when the page
    is dated in the first days of a month (cues.toml period.year_to_date), else None (part of a
    month, January, an undated page or a repost read against its original's year)."""
    published = ctx.published
    if not published or len(published) < 10 or ctx.relative_undated \
            or ctx.anchor_year not in (None, int(published[:4])):
        return None
    month, day = int(published[5:7]), int(published[8:10])
    if month == 1 or day > matchers().year_to_date_last_day:
        return None
    return "1" if month == 2 else f"1-{month - 1}"


def _is_goal(before: str) -> bool:
    """'到2025年' names a goal; '截至2024年' a state reached."""
    return bool(re.search(r"(?<!截)(?<!截止)(?:到|至)\s*$", before))


def heading_year(heading: str | None, ctx: DocContext) -> int | None:
    if not heading:
        return None
    years = [y.year for y in year_mentions(catalog_simplify(heading), ctx) if y.states_the_year]
    return years[-1] if years else None


def last_period(span: str, mx: Matchers) -> str | None:
    """The last period named in span: '1—9月', '10月', '前三季度', '全年'; not one compared with
    ('与1月份相比', '与第二季度相比')."""
    compared = [(m.start(), m.end()) for m in mx.comparison_base.finditer(span)]
    if compared:   # (blanked, so that no period is read out of the comparison)
        span = "".join(" " if any(a <= i < b for a, b in compared) else ch for i, ch in enumerate(span))
    best = None
    for m in MONTHS.finditer(span):
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if 1 <= a <= b <= 12:
            best = (m.end(), f"{a}-{b}" if a != b else str(a))
    for m in CHINESE_MONTH.finditer(span):
        if not best or m.end() > best[0]:
            best = (m.end(), str(_NUMERALS[m.group(1)]))
    for m in CHINESE_MONTHS.finditer(span):
        a, b = _NUMERALS[m.group(1)], _NUMERALS[m.group(2)]
        if a < b and (not best or m.end() >= best[0]):
            best = (m.end(), f"{a}-{b}")
    for m in FIRST_MONTHS.finditer(span):
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMERALS.get(m.group(1), 0)
        if 1 < n <= 12 and (not best or m.end() >= best[0]):  # '前5月' is not May alone
            best = (m.end(), f"1-{n}")
    for m in mx.period_named_re.finditer(span):
        if not best or m.end() > best[0]:
            best = (m.end(), mx.period_named[m.group(0)])
    # ('较三年均值': a mean over several years is a comparison base, its 年均 names no whole year)
    several_years = [(m.start(), m.end()) for m in mx.multi_year_mean.finditer(span)]
    # ('(年均值二级标准为40微克/立方米)': the standard's averaging time, no period of the values)
    several_years += [(m.start(), m.end()) for m in mx.norm_note.finditer(span)]
    for m in mx.whole_year.finditer(span):
        if any(a <= m.start() < b for a, b in several_years):
            continue
        # ('上半年平均': the 年 of the half year's name opens no yearly mean)
        if not best or (m.end() > best[0] and m.start() >= best[0]):
            best = (m.end(), "1-12")
    for m in mx.as_of_month.finditer(span):   # '截至6月底': January through June
        month = int(m.group(1)) if m.group(1).isdigit() else _NUMERALS[m.group(1)]
        if 1 <= month <= 12 and (not m.group(2) or int(m.group(2)) >= MONTH_END_DAY) \
                and (not best or m.end() >= best[0]):
            best = (m.end(), f"1-{month}" if month > 1 else "1")
    return best[1] if best else None


# a period whose last month the page lost: '1— ,全国…' (a scrape that stripped '4月'), at the
# start of a clause or after its year
BROKEN_PERIOD = re.compile(r"(?:^|(?<=[，,。；;：:\s]|年))\s*(\d{1,2})\s*[—–~～至到\-](?!\s*\d)")
# a release reports on months that ended shortly before it was published ('8月份…' in a note
# dated 2022-09-15): at most this many months between the period's end and the date
DATED_PERIOD_MAX_GAP = 3


def year_of_dated_period(months: str, published: str | None, max_gap: int = DATED_PERIOD_MAX_GAP) -> int | None:
    """The year of a period named without one ('8月份', '1月~10月') in a page dated shortly after
    it ended: the publication year, or the year before when the months lie after the date's
    month ('12月' in a page of January). None when the page is undated or the gap is longer
    (a page reposted a year later cannot tell which year it speaks of)."""
    if not published or months == "1-12":
        return None
    end = int(months.split("-")[-1])
    year, month = int(published[:4]), int(published[5:7])
    gap = month - end if end <= month else month + 12 - end
    if gap > max_gap:
        return None
    return year if end <= month else year - 1


# months written with their year ('2021年5月', '2021年1-5月'; not a date, '2021年5月21日')
YEAR_AND_MONTHS = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2}\s*月?\s*[—–\-~～至到]\s*\d{1,2}\s*月|\d{1,2}\s*月)"
                             r"(?!\s*\d{1,2}\s*[日号])")


def stated_periods(texts: list[str]) -> tuple[tuple[str, int], ...]:
    """(months, year) for every period a text writes with one year only ('生态环境部…通报了2021年5月和
    1-5月…' gives '5' the year 2021): what dates the same months named bare elsewhere in a page its
    date cannot date (a repost of long after, an undated page). Comparison bases do not count."""
    mx, years = matchers(), {}
    for text in texts:
        for m in YEAR_AND_MONTHS.finditer(text):
            if mx.year_comparison_before.search(text[max(0, m.start() - 4):m.start()]) \
                    or mx.year_comparison_after.match(text, m.end()):
                continue
            if months := period_of(m.group(2)):
                years.setdefault(months, set()).add(int(m.group(1)))
    return tuple((months, ys.pop()) for months, ys in years.items() if len(ys) == 1)


# a span of days: '2023年9月1日至9月30日', '1月1日-7月9日' (the whole months from the 1st to a month's end)
DAY_SPAN = re.compile(r"(?:(?:19|20)\d{2}\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*[至到—–\-~～]\s*"
                      r"(?:(?:19|20)\d{2}\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")


def day_span_period(span: str, mx: Matchers) -> str | None:
    """The months a span of days names when it is the last period before a value: '1月1日至6月30日'
    -> '1-6'; '' for part of a month ('1月1日-7月9日', '截至9月18日': no period one can chart);
    None when the span names no days (or names a period after them)."""
    found = [(m.end(), _whole_months(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))))
             for m in DAY_SPAN.finditer(span)]
    found += [(m.end(), "") for m in mx.as_of_month.finditer(span)
              if m.group(2) and int(m.group(2)) < MONTH_END_DAY]
    if not found:
        return None
    end, months = max(found)
    # (a yearly mean after the date, '截至9月18日,…年均浓度', runs to that day: no period either)
    return None if last_period(mx.annual_mean.sub(" ", span[end:]), mx) else months


def _whole_months(first_month: int, first_day: int, last_month: int, last_day: int) -> str:
    if first_day != 1 or last_day < MONTH_END_DAY or not 1 <= first_month <= last_month <= 12:
        return ""
    return f"{first_month}-{last_month}" if last_month != first_month else str(first_month)


def name_last_month(text: str, published: str | None) -> str:
    """The text with '上月' written as the month before the page's date ('上月，全县…' in a page of
    2023-05-11: '4月，全县…'), so that the lead is read like any other; unchanged when undated."""
    if not published:
        return text
    month = int(published[5:7]) - 1 or 12
    return matchers().last_month.sub(f"{month}月", text)


# the opening clause of a paragraph: up to its first comma, colon or stop
OPENING_CLAUSE = re.compile(r"[^，,：:；;。]{0,40}")


def opening_period(text: str, ctx: DocContext) -> tuple[int | None, str] | None:
    """(year or None, months) a paragraph opens on when its first sentence reports values
    ('2020年1-3月,全区…为86.4%' -> (2021, '1-3'); '2022年，全市…' -> (2022, '1-12')): the period
    in force for the paragraphs after it that name none, until one opens on another."""
    opening = OPENING_CLAUSE.match(text).group(0)
    months = last_period(opening, matchers())
    years = [y for y in year_mentions(opening, ctx) if y.states_the_year]
    if not months and not years:
        return None
    end = SENTENCE_STOP.search(text)
    if not find_values(text[:end.start() if end else len(text)]):
        return None   # '2023年4月，…印发': the date of an event, not a period reported on
    return (years[-1].year if years else None), (months or "1-12")


SENTENCE_STOP = re.compile(r"[。！？!?]")


# the date someone said something: '2020年9月某部门负责人表示,'
SPEECH_DATE = re.compile(r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
                         r"(?=[^，,。；;0-9]{0,30}?(?:表示|指出|介绍|透露|强调|说)\s*[，,:：])")


# the month statistics were taken at: '到了2019年6月统计数据,…'
AS_OF_MONTH = re.compile(r"\d{1,2}\s*月(?:份)?(?:\s*\d{1,2}\s*日)?\s*(?:的)?\s*(?:统计数据|数据显示)")


def period_of(text: str) -> str | None:
    """The last period named in a simplified text ('1—11月' -> '1-11'), if any."""
    return last_period(text, matchers())




DAY_AFTER_YEAR = re.compile(r"\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
# the end of a month is a point in time ('2030年11月末,某项余额…'): a stock's date, no period for later sentences
MONTH_POINT = re.compile(r"\d{1,2}\s*月\s*(?:末|底)")
# a sentence opening on a year and nothing of its months ('2020年，…', '去年,…', '上年度：…')
WHOLE_YEAR_OPENING = re.compile(r"\s*(?:(?:19|20)\d{2}\s*年|去年|上年|上一年)\s*(?:度|全年)?\s*[,，:：]")
RUNNING = re.compile(r"累计|截至|截止|以来")


class PeriodsMixin:
    """Year and months of a value: the methods of the paragraph reader that read periods."""

    def _is_future(self, year: int) -> bool:
        """A year after the document was written, or after the year it says it reviews (a year
        only guessed from the text's most frequent year does not count: a review of 2019-2022
        whose most frequent year is 2019 must not turn 2020-2022 into goals)."""
        ctx = self.ctx
        if year in getattr(self, "reviewed_years", ()):
            return False   # the page measures that year elsewhere (extract/reviewed_years.py)
        if ctx.published and year > int(ctx.published[:4]):
            return True
        return bool(ctx.report_year and year > ctx.report_year and ctx.report_year_explicit)

    def _part_of_year(self, v: Value, sentence, year_source: str) -> bool:
        """The value is of part of its year: its sentence names the part ('2025年一季度…'), or the
        heading it took its year from does ('（二）2024年一季度' over '全市PM2.5平均浓度为44…')."""
        said = last_period(self.text[sentence[0]:v.start], self.mx)
        if said is None and year_source == "heading":
            said = last_period(catalog_simplify(self.p.heading or ""), self.mx)
        return said not in (None, "1-12")

    def _after_another_years_period(self, text: str, start: int, end: int, year: int | None) -> int:
        """Where the value's own period may begin: after its year, when a period written with another
        year stands before it ('2015年度及2016年1-2月份…状况…2015年,全省平均达标天数190天': the days are
        of 2015, not of 2016's January and February); else start."""
        if year is None:
            return start
        other = [m for m in YEAR_AND_MONTHS.finditer(text, start, end) if int(m.group(1)) != year]
        own = [y for y in self.years if other and other[-1].end() <= y.start and y.end <= end
               and y.year == year and y.states_the_year]
        return own[-1].start if own else start

    def _year(self, v: Value, sentence, clause) -> tuple[int | None, str, str | None]:
        """(year, where it came from, 'target' when the year is a goal: 到2025年, 2025年目标(…))."""
        text = self.text
        # a year tied to this very value: '从2013年的67.5', '较2019年同期(82.0%)', '(2020年基期值为26.0'
        tied = TIED_YEAR.search(text, max(0, v.start - 16), v.start)
        if tied:
            year = int(tied.group(1)) if tied.group(1) else None
            if year is None and tied.group(2) in RELATIVE_TIES:
                # '(上年为65.3%)', '(去年同期为84.6%)': the year before the statement's
                stated = self._year_untied(v, sentence, clause, end=tied.start())[0]
                year = stated - 1 if stated else None
            elif year is None:
                named = self._mention_at(tied.start(2), tied.end(2))
                year = named.year if named else None
            if year:
                return year, "tied", "target" if tied.group(3) else None
        return self._year_untied(v, sentence, clause)

    def _event_date(self, y) -> bool:
        """A day's date in a sentence that gives no figure ('2031年6月5日,某部发布《2030…公报》。'):
        when something happened, not the year the later sentences report on."""
        s, e = next(((s, e) for s, e in self.sentences if s <= y.start < e), (y.start, y.end))
        return bool(DAY_AFTER_YEAR.match(self.text, y.end)) and not any(s <= x < e for x in self.value_starts)

    def _year_untied(self, v: Value, sentence, clause, end: int | None = None) -> tuple[int | None, str, str | None]:
        end = v.start if end is None else end
        for scope, source in (((clause[0], end), "clause"), ((sentence[0], end), "sentence")):
            found = self._nearest_year(*scope, value_at=v.start)
            if found is not None:
                year, cue = found
                return year, source, cue
        earlier = [y for y in self.years if y.end <= sentence[0] and y.states_the_year and not self._event_date(y)]
        if earlier:
            return earlier[-1].year, "paragraph", None
        if self.heading_year:
            return self.heading_year, "heading", None
        if self.ctx.report_year_explicit and self.ctx.report_year:
            return self.ctx.report_year, "document", None
        return carried_year(getattr(self, "carried_period", None))

    def _goal_on_undated_page(self, y: YearMention) -> bool:
        """'提出到2025年,…湿地保护率达到55%' on an undated page whose year under review is only
        guessed: a goal ('到2023年底' is a state reached, and stays a level)."""
        ctx = self.ctx
        guessed = not ctx.report_year_explicit or ctx.report_year_source == "default"
        return not ctx.published and guessed and not re.match(r"\s*(?:底|末)", self.text[y.end:])

    def _mention_at(self, start: int, end: int) -> "YearMention | None":
        return next((y for y in self.years if y.start <= start and end <= y.end), None)

    def _nearest_year(self, start: int, end: int, value_at: int) -> tuple[int | None, str | None] | None:
        """The last year mention in [start, end) that names the year of the statement.
        A span or list of years (2021、2022年度, 2012—2021年) means no single year: None.
        A year in parentheses speaks only for the values inside them."""
        for y in reversed([y for y in self.years if start <= y.start and y.end <= end]):
            if y.comparison or (y.aside is not None and not (y.aside[0] <= value_at < y.aside[1])):
                continue
            if y.year is None:
                return None, None
            if y.goal and (self._is_future(y.year) or self._goal_on_undated_page(y)):
                return y.year, "target"
            return y.year, None
        return None

    def _months(self, v: Value, sentence, clause, year: int | None, kind: str,
                year_source: str = "") -> tuple[str | None, str]:
        """(months, where they came from: 'clause', 'sentence', 'paragraph', 'heading', the
        document's lead or title, or 'default' for a whole year nothing names)."""
        # (the date of a statement, '2021年12月某副部长表示,', names no period)
        text = SPEECH_DATE.sub(lambda m: " " * len(m.group(0)), self.text)
        as_of = list(AS_OF_MONTH.finditer(text, sentence[0], v.start))
        if as_of and not last_period(text[as_of[-1].end():v.start], self.mx):
            return None, "none"   # '到了2019年6月统计数据,…达51.3%': a stock at a date, no period
        to_date = list(self.mx.year_to_date.finditer(text, sentence[0], v.start))
        if to_date and not last_period(self.mx.annual_mean.sub(" ", text[to_date[-1].end():v.start]), self.mx):
            months = year_to_date_months(self.ctx)   # '今年以来,…': whole months so far, else no period
            return (months, "sentence") if months else (None, "none")
        days = day_span_period(text[sentence[0]:v.start], self.mx)   # '1月1日至6月30日', '截至9月18日'
        if days is not None:
            return (days, "sentence") if days else (None, "none")
        broken = BROKEN_PERIOD.search(text, sentence[0], v.start)
        if broken and not last_period(text[broken.start():v.start], self.mx):
            # '1— ,全国…' where the page lost the last month of '1—4月': the lead's period that
            # starts on that month, else no period one can tell (None: the value is not read)
            first = f"{int(broken.group(1))}-"
            return next(((p, "lead") for p in self.ctx.lead_periods if p.startswith(first)), (None, "none"))
        for start, source in ((clause[0], "clause"), (sentence[0], "sentence")):
            start = self._after_another_years_period(text, start, v.start, year)
            found = last_period(text[start:v.start], self.mx)
            if found:
                return found, source
            if kind == "target" and (YEAR_MENTION.search(text, clause[0], v.start)
                                     or self.mx.named_year.search(text, clause[0], v.start)):   # '“十三五”末
                return "1-12", "clause"  # '(2017年目标为68.3%)' in a half-year sentence: a goal for the year
        if self.mx.this_month.search(text, sentence[0], v.start):   # '本月…': the month the lead names
            months = next((p for p in self.ctx.lead_periods if "-" not in p), None)
            return (months, "lead") if months else (None, "none")
        # an earlier sentence of the paragraph sets the period only if it reports values
        # itself ('10月，…为85.4%。PM2.5…'), not if it dates an event ('2023年4月，…印发')
        for s_start, s_end in reversed([s for s in self.sentences if s[1] <= sentence[0] and kind != "target"]):
            if self.value_starts and any(s_start <= x < s_end for x in self.value_starts) \
                    and not MONTH_POINT.search(text, s_start, s_end):
                found = last_period(text[s_start:s_end], self.mx)
                if found and "-" not in found and year_source in ("clause", "sentence") \
                        and WHOLE_YEAR_OPENING.match(text, sentence[0]) and not RUNNING.search(text, sentence[0], v.start):
                    # a sentence opening on a year alone after one on a single month of it speaks of the
                    # whole year ('去年12月本市达标天数22天。去年,本市达标天数245天'), not a running total
                    return "1-12", year_source
                if found:
                    return found, "paragraph"
        heading = self.p.heading or ""
        found = last_period(catalog_simplify(heading), self.mx)
        if found:
            return found, "heading"
        # a sentence that states its own year and no months speaks of the whole year
        # ('2023年全国…比例为85.5%' above a release on '12月和1—12月')
        if year_source in ("clause", "sentence") and self.ctx.lead_periods:
            return "1-12", year_source
        # no lead announced one: the period the last paragraph opened on holds for its year
        # ('2020年1-3月,全区…' and then '全区PM2.5平均浓度为27…' in a page whose lead was lost)
        carried = self.carried_period
        # (a period carried without its year is of the year the page states it with: '1至4月…' over
        # '2020年1至4月…' lends nothing to '2019年,…全国实施行政处罚案件16.28万件')
        carried_year = (carried[0] if carried[0] is not None else dict(self.ctx.stated_periods).get(carried[1])) \
            if carried else None
        if carried and not self.ctx.lead_periods and kind != "target" and year is not None \
                and carried_year in (None, year):
            return carried[1], "lead"
        if (lent := months_lent_among_lead(carried, self.ctx, year, kind)) is not None:
            return lent, "lead"   # ('3月,…' then '全国…为86.6%' in a release on '3月和1—3月')
        if base := same_period_months(text[clause[0]:clause[1]], year, year_source, self.ctx):
            return base, "lead"   # '与2030年(88.1%)同比…' in a release on July: that July's
        # a periodic release's period holds for its own year, not for a goal or a base year
        if year == self.ctx.report_year and kind != "target":
            return self.ctx.default_months, self.ctx.months_source
        return "1-12", "default"


def is_comparison_year(text: str, m: re.Match) -> bool:
    """The year matched is a comparison base ('较2021年同期', '2013年以来') or a goal ('到2025年')."""
    before, after = _comparison_cues()
    return bool(before.search(text, max(0, m.start() - 4), m.start()) or after.match(text, m.end()))


@functools.cache
def _comparison_cues() -> tuple[re.Pattern, re.Pattern]:
    cues = catalog.cues()["year"]
    return (re.compile("(?:" + "|".join(map(re.escape, cues["comparison_before"])) + r"|到|至)\s*$"),
            re.compile(r"\s*(?:" + "|".join(map(re.escape, cues["comparison_after"])) + "|" + cues["since_event"] + ")"))
