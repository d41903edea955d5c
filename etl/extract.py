"""Extract stage: paragraphs -> metric values, each tied to its span of text.

How a value is read, clause by clause (a clause ends at ，；。 and friends):

1. Values: a number (Arabic, Chinese numeral, with 万/亿) followed by a unit
   from data/catalog/units.csv; bare numbers listed before it ('11、24、59、35
   微克/立方米') share its unit; '3000万至5000万立方米' is one range.
2. Indicator: the nearest catalog alias before the value in its clause whose
   unit fits; lists are paired in order ('SO2、NO2、PM10、PM2.5 … 分别为 …');
   a clause with no indicator of its own ('具体为29.3', '同比下降2.7%') takes the
   one named before it in the sentence. Other quantities are kept with the
   phrase they describe and no catalog id.
3. Region: the nearest region before the value in its sentence, else the
   document's own region; 全省/该市 resolve to the document's region.
4. Year and months: a year tied to the value ('从2013年的67.5', '较2019年同期
   (82.0%)'), else the nearest year of the sentence that is not a comparison
   base, else the paragraph's, else the section heading's, else the year the
   document reviews when the document states it.
5. Kind: change (a change verb or 个百分点 before the number), target (到2025年,
   力争, 控制在… in its clause or leading the sentence, or a year after the one
   reviewed), else actual. Qualifiers from 约/超过/以上/以内/左右/余/多.

Cue words and patterns live in data/catalog/cues.toml. The stage is a pure
function of the paragraphs and the document context.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from etl import catalog, tables
from etl.metadata import DocContext
from etl.model import Metric, Paragraph
from etl.numbers import ARABIC, CHINESE, MULTIPLIER, multiplier, parse_number
from etl.regions import RegionMention, find_regions
from etl.trie import trie_pattern

SENTENCE_END = re.compile(r"[。！？!?]")
# a parenthesis opening a subset (其中…) ends a clause too: its numbers are not the total's
# and so does one opening a figure for another year ('(2020年基期值为26.0', '(基期91.6%)')
CLAUSE_END = re.compile(r"[，,；;。！？!?：:]|[(（](?=\s*(?:其中|含|包括|(?:19|20)\d{2}\s*年|基期))")
HAS_NUMBER = re.compile(r"\d|[零〇一二两三四五六七八九十百千]")
FORMULA = re.compile(r"[=×÷]")
SPREAD = re.compile(r"范围|介于")
STANDARD = re.compile(r"标准(?:值|限值)?\s*[(（]?\s*$")
# a year (or a named one: 基期, “十三五”末) right before a value: '从2013年的67.5', '较2019年同期(82.0%)',
# '(2020年基期值为26.0', '2025年目标(25.5'; group 3 marks a goal
TIED_YEAR = re.compile(r"(?:((?:19|20)\d{2})\s*年|([“\"]?十[三四五]五[”\"]?末|基期|上年|去年|上一年))\s*(?:底|末)?\s*"
                       r"(?:同期|基期值?|水平|(目标值?))?\s*(?:的|为|是)?\s*[(（]?\s*$")
SHARE_OF = re.compile(r"^\s*(?:约|共)?占[^，,；;]{0,14}?的?\s*(?:约|近)?$")  # '占全省国土面积的30.45%'
RANKED_BEFORE = re.compile(r"(?:排名|位居|位列)\s*$")
RANKED_AFTER = re.compile(r"\s*(?:第[一二三四五六七八九十\d]|\d+个(?:城市|省份|地市)中|(?:城市|省份)?中排名|前列|首位|末位)")
RELATIVE_TIES = ("上年", "去年", "上一年")
REDUCTION = re.compile(r"下降|降低|减少")
ONE_YEAR = re.compile(r"全年|当年|年内|单看|本年度")
RUNNING_TOTAL = re.compile(r"累计|截至|截止|总计")
FORWARD_CUES = re.compile(r"力争|确保|控制在|将")
ACHIEVED = re.compile(r"截至|截止|已经|已|完成了|实现了")
LIST_GAP = re.compile(r"^\s*(?:以上|以下|左右)?\s*[、和及与]\s*$")
# '2024年', '2024年度', '2024年底'; group 2 is set for spans and lists: '2017年至2023年', '2021、2022年度'
YEAR_MENTION = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})(\s*年?\s*(?:[—–\-~～至到、和及与]\s*(?:19|20)\d{2}\s*年?)+)?\s*年(度|底|末)?")
MONTHS = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:[—–\-~～至到]\s*(\d{1,2})\s*)?月(?:份)?(?!\s*\d{1,2}\s*[日号])(?![\d])")


# --- compiled matchers, built once from the catalog ------------------------------

@dataclass(frozen=True)
class Matchers:
    indicator: re.Pattern
    indicators_of_alias: dict[str, tuple[catalog.Indicator, ...]]  # canonical alias -> indicators
    value: re.Pattern
    unit_of_spelling: dict[str, catalog.Unit]
    chinese_units: frozenset[str]
    target: re.Pattern
    change: re.Pattern
    level_after_change: re.Pattern
    comparison: re.Pattern
    year_comparison_before: re.Pattern
    year_comparison_after: re.Pattern
    named_year: re.Pattern
    named_years: dict[str, int]
    relative_year: re.Pattern
    relative_years: dict[str, int]
    period_named: dict[str, str]
    period_named_re: re.Pattern
    whole_year: re.Pattern
    before_qualifier: re.Pattern
    before_kind: dict[str, str]
    after_qualifier: re.Pattern
    after_kind: dict[str, str]
    filler: re.Pattern


# Grade numerals and dashes are written many ways: Ⅲ, III, 3, 三; —, -, ～, 至.
GRADE_VARIANTS = {"Ⅰ": "Ⅰ|I|1|一", "Ⅱ": "Ⅱ|II|2|二", "Ⅲ": "Ⅲ|III|3|三", "Ⅳ": "Ⅳ|IV|4|四", "Ⅴ": "Ⅴ|V|5|五"}
DASH = "[—–\\-~～至到－]"
_TO_CANONICAL = re.compile(r"III|II|IV|I|V|[1-5一二三四五]|[—–\-~～至到－]|\s+")
_CANONICAL = {"III": "Ⅲ", "II": "Ⅱ", "IV": "Ⅳ", "I": "Ⅰ", "V": "Ⅴ", "1": "Ⅰ", "2": "Ⅱ", "3": "Ⅲ", "4": "Ⅳ",
              "5": "Ⅴ", "一": "Ⅰ", "二": "Ⅱ", "三": "Ⅲ", "四": "Ⅳ", "五": "Ⅴ"}


def canonical_alias(text: str) -> str:
    """The form an alias and a matched span share: no asides, no spaces, upper case,
    one spelling per grade numeral and dash."""
    t = without_asides(text).upper()
    return _TO_CANONICAL.sub(lambda m: "" if m.group(0).isspace() else _CANONICAL.get(m.group(0), "—"), t)


def _alias_char(c: str) -> str:
    if c in GRADE_VARIANTS:
        return f"(?:{GRADE_VARIANTS[c]})"
    if c == "—":
        return DASH
    if c.isascii() and c.isalpha():
        return f"[{c.upper()}{c.lower()}]"
    return re.escape(c)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def matchers() -> Matchers:
    cues = catalog.cues()
    indicators_of_alias: dict[str, list] = {}
    for ind in catalog.indicators():
        for a in ind.aliases:
            named = indicators_of_alias.setdefault(canonical_alias(a), [])
            if ind not in named:
                named.append(ind)
    indicator = re.compile(trie_pattern(indicators_of_alias, char=_alias_char, sep=r"\s*", ascii_boundaries=True))

    unit_of_spelling = {s: u for u in catalog.units() for s in u.spellings}
    units = _alternation(unit_of_spelling)
    number = f"(?:{ARABIC}|{CHINESE})"
    value = re.compile(
        # the lookahead of possible first characters lets `re` skip to the next digit or numeral
        # instead of trying the whole pattern at every position (3x faster)
        rf"(?=[+\-−\d零〇一二两三四五六七八九十百千])(?P<sign>[+\-−](?=\d))?(?P<n1>{number})\s*(?P<q1>余|多)?\s*(?P<m1>{MULTIPLIER})?\s*(?P<q2>余|多)?\s*"
        rf"(?:(?P<u1>{units})\s*)?"
        rf"(?:(?P<dash>至|到|—|–|-|~|～)\s*(?P<n2>{number})\s*(?P<m2>{MULTIPLIER})?\s*)?"
        rf"(?P<unit>{units})?")

    k, q, y, p = cues["kind"], cues["qualifier"], cues["year"], cues["period"]
    inherit_words = [*cues["inherit"]["filler"], *k["comparison"], *q["approx_before"], *q["at_least_before"],
                     *q["at_most_before"], *[w for w in k["change_verbs"] if "\\" not in w]]
    # longest first, so that 不高于 is read before 高于
    before_kind = {**{w: "~" for w in q["approx_before"]}, **{w: ">=" for w in q["at_least_before"]},
                   **{w: "<=" for w in q["at_most_before"]}}
    after_kind = {**{w: ">=" for w in q["at_least_after"]}, **{w: "<=" for w in q["at_most_after"]},
                  **{w: "~" for w in q["approx_after"]}}
    return Matchers(
        indicator=indicator,
        indicators_of_alias={a: tuple(v) for a, v in indicators_of_alias.items()},
        value=value, unit_of_spelling=unit_of_spelling,
        chinese_units=frozenset(cues["chinese_numerals"]["units"]),
        target=re.compile("|".join(k["target"])),
        change=re.compile("(?:" + "|".join(k["change_verbs"]) + ")(?:了|幅度为|幅度|分别)?\\s*$"),
        level_after_change=re.compile(k["level_after_change"]),
        comparison=re.compile("(?<![不未])(?:" + _alternation(k["comparison"]) + ")"),
        year_comparison_before=re.compile("(?:" + _alternation(y["comparison_before"]) + r")\s*$"),
        year_comparison_after=re.compile(r"\s*(?:" + _alternation(y["comparison_after"]) + ")"),
        named_year=re.compile("|".join(f"(?P<n{i}>{p})" for i, p in enumerate(y["named"]))),
        named_years={f"n{i}": year for i, year in enumerate(y["named"].values())},
        relative_year=re.compile("|".join(f"(?P<r{i}>{p})" for i, p in enumerate(y["relative"]))),
        relative_years={f"r{i}": offset for i, offset in enumerate(y["relative"].values())},
        period_named=p["named"],
        period_named_re=re.compile(_alternation(p["named"])),
        whole_year=re.compile(_alternation(p["whole_year"])),
        before_qualifier=re.compile("(" + _alternation(before_kind) + r")\s*$"),
        before_kind=before_kind,
        after_qualifier=re.compile(r"\s*(" + _alternation(after_kind) + ")"),
        after_kind=after_kind,
        filler=re.compile(_alternation(inherit_words)),
    )


# --- the pieces found in a paragraph ---------------------------------------------

@dataclass
class Value:
    start: int
    end: int                  # end of the whole match (unit included)
    number_end: int           # end of value_text
    value_text: str
    number: float             # as written × multiplier
    number_high: float | None
    unit: catalog.Unit | None
    unit_text: str
    signed: bool
    qualifier: str
    is_chinese: bool


@dataclass
class Mention:
    start: int
    end: int
    alias: str
    indicators: tuple[catalog.Indicator, ...]


def find_values(text: str) -> list[Value]:
    """Numbers with units in `text` (simplified script)."""
    mx = matchers()
    out: list[Value] = []
    for m in mx.value.finditer(text):
        n1, unit_text = m.group("n1"), m.group("unit") or m.group("u1") or ""
        is_chinese = not n1[0].isdigit()
        if n1.startswith("百分之") and not unit_text:
            unit_text = "%"
        if not unit_text:
            continue
        per = PER_UNIT.search(text, max(0, m.start() - 4), m.start())
        if per and mx.unit_of_spelling.get(f"{unit_text}/{per.group(1)}"):
            unit_text = f"{unit_text}/{per.group(1)}"  # '每吨98.12元' is 98.12 元/吨
        unit = mx.unit_of_spelling.get(unit_text)
        mult = m.group("m1")
        has_multiplier = bool(mult) or (is_chinese and n1[-1] in "万亿")  # 三百八十九万个
        if is_chinese and not has_multiplier and unit_text not in mx.chinese_units and not n1.startswith("百分之"):
            continue  # '三个方面': a word, not a value
        try:
            number = parse_number(n1) * multiplier(mult)
            high = parse_number(m.group("n2")) * multiplier(m.group("m2") or mult) if m.group("n2") else None
        except (ValueError, OverflowError):
            continue
        if not math.isfinite(number) or (high is not None and not math.isfinite(high)):
            continue  # a number too long to be a measurement
        if m.group("sign"):
            number = -number if m.group("sign") in "-−" else number
        if high is not None and high < number:
            high = None  # '2023-2024' style dashes are not ranges of values
        qualifier = ">=" if (m.group("q1") or m.group("q2")) else ""
        end = m.end()
        after = mx.after_qualifier.match(text, end)
        if after:
            qualifier = mx.after_kind[after.group(1)]
        number_end = m.end("n1")
        if is_chinese and n1[-1] in "万亿" and len(n1) > 1:
            # '八十万亩': the number as written is 八十, 万 is its multiplier (as in '3.9万件')
            n1 = n1.rstrip("万亿")
            number_end = m.start("n1") + len(n1)
        out.append(Value(m.start("n1"), end, number_end, n1, number, high, unit, unit_text,
                         bool(m.group("sign")), qualifier, is_chinese))
        # bare numbers listed before it share its unit: '11、24、59、35微克/立方米'
        out[-1:-1] = _listed_before(text, m.start(), unit, unit_text, mult, out)
    return sorted(out, key=lambda v: v.start)


PER_UNIT = re.compile(r"每\s*(吨|千克|公斤|立方米)\s*$")
LISTED = re.compile(rf"({ARABIC})\s*(?:{MULTIPLIER})?\s*(?:以上|以下|左右)?\s*[、和]\s*$")


def _listed_before(text: str, start: int, unit, unit_text: str, mult: str | None, found: list[Value]) -> list[Value]:
    listed = []
    pos = start
    floor = found[-2].end if len(found) > 1 else 0
    while True:
        m = LISTED.search(text, max(floor, pos - 40), pos)
        if not m or m.end() != pos:
            break
        number = parse_number(m.group(1)) * multiplier(mult)
        listed.insert(0, Value(m.start(1), m.end(1), m.end(1), m.group(1), number, None, unit, unit_text, False, "", False))
        pos = m.start()
    return listed


PARENTHETICAL = re.compile(r"[(（]([^()（）]{1,12})[)）]")
ASIDE = re.compile(r"[(（][^()（）]{1,40}[)）]")  # a figure in parentheses: '(2022年为28微克/立方米)' 


def without_asides(text: str) -> str:
    """Parenthetical asides blanked out, same length: 细颗粒物(PM2.5)年均浓度 reads as
    细颗粒物年均浓度 to the alias patterns; a one-character aside (湖(库)) keeps its character."""
    def blank(m: re.Match) -> str:
        inner = m.group(1)
        return f" {inner} " if len(inner) == 1 else " " * len(m.group(0))
    return PARENTHETICAL.sub(blank, text)


def find_mentions(text: str) -> list[Mention]:
    mx = matchers()
    out = []
    for m in mx.indicator.finditer(without_asides(text)):
        alias = canonical_alias(m.group(0))
        out.append(Mention(m.start(), m.end(), alias, mx.indicators_of_alias[alias]))
    return out


# --- the stage ---------------------------------------------------------------------

def extract(paragraphs: list[Paragraph], ctx: DocContext) -> list[Metric]:
    """The extract stage: a pure function of the paragraphs and the document context."""
    metrics = tables.extract_tables(paragraphs, ctx, find_mentions, _fits_unit,
                                    period_of)
    for p in paragraphs:
        if HAS_NUMBER.search(p.simplified) and not tables.is_table_row(p):
            metrics.extend(extract_paragraph(p, ctx))
    return sorted(metrics, key=lambda m: (m.paragraph_seq, m.para_start))


def extract_paragraph(p: Paragraph, ctx: DocContext) -> list[Metric]:
    text = p.simplified
    values = find_values(text)
    if not values:
        return []
    mentions = find_mentions(text)
    regions = find_regions(text)
    reader = _ParagraphReader(p, ctx, mentions, regions)
    reader.value_starts = [v.start for v in values]
    reader.value_ends = [v.end for v in values]
    out = []
    for group in _groups(text, values):
        out.extend(reader.read_group(group))
    return _drop_bounds_beside_exact(out)


def _groups(text: str, values: list[Value]) -> list[list[Value]]:
    """Values listed together ('40%、30%', '11、24、59、35微克') form one group."""
    groups: list[list[Value]] = []
    for v in values:
        if groups and LIST_GAP.match(text[groups[-1][-1].end:v.start]):
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def _drop_bounds_beside_exact(metrics: list[Metric]) -> list[Metric]:
    """'降到30以下，具体为29.3' / '为90.4%…首次超过90%': the bound adds nothing to the exact value."""
    exact = {(m.indicator, m.region, m.year, m.months, m.kind) for m in metrics if m.qualifier in ("", "~")}
    return [m for m in metrics if m.qualifier not in (">=", "<=") or m.indicator_id is None
            or (m.indicator, m.region, m.year, m.months, m.kind) not in exact]


class _ParagraphReader:
    def __init__(self, p: Paragraph, ctx: DocContext, mentions: list[Mention], regions: list[RegionMention]):
        self.p, self.ctx, self.text = p, ctx, p.simplified
        self.mentions, self.regions = mentions, regions
        self.mx = matchers()
        self.sentences = _spans(self.text, SENTENCE_END)
        self.clauses = _spans(self.text, CLAUSE_END)
        self.heading_year = _heading_year(p.heading, ctx)
        self.years = year_mentions(self.text, ctx)
        self.value_starts: list[int] = []  # set by extract_paragraph: where values stand
        self.value_ends: list[int] = []
        self.unpaired: set[int] = set()  # values of a 分别 list that no names pair with

    # -- one group of listed values
    def read_group(self, group: list[Value]) -> list[Metric]:
        first = group[0]
        sentence = _enclosing(self.sentences, first.start)
        clause = _enclosing(self.clauses, first.start)
        # '完成造林6.3万公顷、退化林修复9.1万公顷': a name before an earlier value is that value's
        subject_start = max([clause[0], *(x for x in self.value_ends if clause[0] <= x <= first.start)])
        in_clause = [m for m in self.mentions if subject_start <= m.start and m.end <= first.start]
        if not in_clause:  # '全国共完成12.95万个建设项目环评文件审批': the indicator follows its number
            last = group[-1]
            in_clause = [m for m in self.mentions if 0 <= m.start - last.end <= 2 and m.end <= clause[1]][:1]
        in_clause = [m for m in in_clause if not self._is_subset(m)]
        paired = self._pair(group, in_clause, clause, sentence)
        if len(group) == 1 and (each := self._each_of(group[0], clause, sentence)):
            paired = [(paired[0][0], r) for r in each]
        out = []
        for v, (mention, region) in zip(group * len(paired) if len(group) == 1 else group, paired):
            metric = self._metric(v, mention, region, sentence, clause, subject_start)
            if metric:
                out.append(metric)
        return out

    def _is_subset(self, mention: Mention) -> bool:
        """'“两打”行政处罚案件': a quoted qualifier narrows the indicator to a subset."""
        return self.text[max(0, mention.start - 1):mention.start] in ("”", '"', "」", "』")

    def _each_of(self, v: Value, clause, sentence) -> list[RegionMention] | None:
        """'全南县、崇义县最低，均为19微克/立方米': the same value for each region listed."""
        if not re.search(r"均为|均是|均达到?|都为|都是", self.text[clause[0]:v.start]):
            return None
        for scope_start in (clause[0], self._previous_clause_start(clause, sentence)):
            listed = [r for r in self.regions if scope_start <= r.start and r.end <= v.start and r.level != "self"]
            if listed:
                return listed if len(listed) > 1 else None
        return None

    def _previous_clause_start(self, clause, sentence) -> int:
        earlier = [c for c in self.clauses if sentence[0] <= c[0] and c[1] <= clause[0]]
        return earlier[-1][0] if earlier else clause[0]

    def _pair(self, group: list[Value], in_clause: list[Mention], clause,
              sentence) -> list[tuple[Mention | None, RegionMention | None]]:
        n = len(group)
        if n > 1:
            distinct = _distinct(in_clause)
            if len(distinct) == n:
                return [(m, None) for m in distinct]
            # the regions listed in this clause, or in the one before it ('江西、湖南、安徽位列前三，分别为…')
            for start in (clause[0], self._previous_clause_start(clause, sentence)):
                regions_here = [r for r in self.regions if start <= r.start and r.end <= group[0].start
                                and r.level != "self"]
                if len(regions_here) == n:
                    return [(in_clause[-1] if in_clause else None, r) for r in regions_here]
            if in_clause:
                expanded = self._expand_subjects(in_clause[-1], clause, n)
                if expanded:
                    return [(m, None) for m in expanded]
            # '昼间达标率为96.1%,夜间达标率为88.2%…(2023年分别为95.8%和87.0%)'
            named = _distinct([m for m in self.mentions if sentence[0] <= m.start and m.end <= group[0].start])
            if not in_clause and len(named) == n:
                return [(m, None) for m in named]
            if "分别" in self.text[clause[0]:group[0].start]:
                # '0类、1类…功能区昼间达标率分别为82.7%、92.6%…': values of parts no name tells apart
                self.unpaired.update(v.start for v in group)
        mention = in_clause[-1] if in_clause else None
        return [(mention, None)] * n

    def _expand_subjects(self, mention: Mention, clause, n: int) -> list[Mention] | None:
        """'城市和县城再生水利用率分别达到40%、30%': 城市再生水利用率, 县城再生水利用率."""
        phrase = self.text[clause[0]:mention.end]
        parts = [s for s in re.split(r"[和、及与]", phrase) if s]
        if len(parts) != n:
            return None
        last = parts[-1]
        for i in range(len(last) - 1, 0, -1):  # the shortest shared head that names an indicator for every part
            head = last[i:]
            found = [self._mention_named(part + head, mention) for part in parts[:-1]]
            found.append(self._mention_named(last, mention))
            if all(found):
                return found
        return None

    def _mention_named(self, phrase: str, like: Mention) -> Mention | None:
        indicators = self.mx.indicators_of_alias.get(canonical_alias(phrase))
        return Mention(like.start, like.end, phrase, indicators) if indicators else None

    # -- one value
    def _metric(self, v: Value, mention: Mention | None, region: RegionMention | None, sentence, clause,
                subject_start: int) -> Metric | None:
        text = self.text
        before_clause = text[clause[0]:v.start]
        if FORMULA.search(before_clause) or SPREAD.search(before_clause) or STANDARD.search(before_clause):
            # a definition ('优良天数比例=…×100%'), a spread across places ('浓度范围为9—61',
            # '介于19~31之间') or a threshold ('达到国家二级标准(35微克/立方米)')
            return None
        kind = self._kind(v, mention, sentence, clause)
        indicator, phrase, inherited = self._indicator(v, mention, kind, sentence, clause, subject_start)
        if kind == "change" and indicator is not None and indicator.name_zh.endswith("下降率") and v.unit_text == "%":
            # '单位GDP能耗下降3.2%': for a reduction indicator the fall is the level
            kind = self._kind(v, mention, sentence, clause, reduction=True)
        if indicator is None and phrase is None:
            return None
        year, year_source, year_cue = self._year(v, sentence, clause)
        if year_cue == "target" and (kind == "actual" or year_source == "tied"):
            kind = "target"  # '到2025年…', '好于2025年目标值(91.1%)' 
        part_of_year = _last_period(text[sentence[0]:v.start], self.mx) not in (None, "1-12")
        if kind == "actual" and year and self._is_future(year) and not part_of_year:
            # ('2025年一季度…提高到23.1%' in a 2024 report is an early figure, not a goal)
            kind = "target"  # a value for a year after the one reviewed can only be planned
        months = self._months(v, sentence, clause, year, kind)
        region_name, region_code, region_found = self._region(v, region, sentence)
        qualifier = v.qualifier or self._qualifier_before(before_clause)

        if indicator is not None:
            value, value_high, unit = self._convert(v, indicator, kind)
            if value is None:
                return None
            name, ind_id = indicator.name_zh, indicator.indicator_id
        else:
            value, value_high = v.number / multiplier_of_unit(v), (v.number_high / multiplier_of_unit(v) if v.number_high else None)
            unit, name, ind_id = _written_unit(text, v), phrase, None
            if kind != "change" and v.unit_text in ("个百分点", "百分点"):
                kind = "change"
        confidence = _confidence(indicator is not None, inherited, year_source, region_found)
        ev_start, ev_end = _evidence(self.p.text, sentence, v)
        return Metric(
            indicator_id=ind_id, indicator=name, phrase=(mention_text(text, mention) if mention else phrase) or name,
            region=region_name, region_code=region_code, year=year, months=months, kind=kind,
            value=round(value, 10), value_high=round(value_high, 10) if value_high is not None else None,
            unit=unit, qualifier=qualifier, value_text=self.p.text[v.start:v.number_end],
            para_start=v.start, para_end=v.number_end, evidence_start=ev_start, evidence_end=ev_end,
            confidence=confidence, paragraph_seq=self.p.seq)

    def _indicator(self, v: Value, mention: Mention | None, kind: str, sentence, clause, subject_start: int):
        """(catalog indicator or None, phrase for a quantity outside the catalog, inherited?)"""
        if v.start in self.unpaired:
            return None, _phrase(self.text[clause[0]:v.start], self.mx), False
        if mention is not None:
            ind = self._fitting(mention, v, kind)
            if ind is not None:
                return ind, None, False
        # a clause naming nothing of its own speaks of the indicator before it
        prefix = self.text[subject_start:v.start]
        # '4亿吨粗钢产能重点工程改造' names its own subject right after the number
        # ('…)上升4.4个百分点', '33%左右' and '(25.5微克/立方米)尚有差距' do not)
        suffix = re.split(r"[\d(（)）,，;；。、]", self.text[v.end:clause[1]], maxsplit=1)[0]
        suffix = self.mx.after_qualifier.sub("", suffix, count=1)
        prefix_words = self._without_regions(prefix, subject_start)
        if (mention is None and (_only_filler(prefix_words, self.mx.filler) or SHARE_OF.search(prefix_words))
                and _only_filler(suffix.replace("累计", ""), self.mx.filler)):
            for candidate in self._spoken_of(v, sentence):
                ind = self._fitting(candidate, v, kind)
                if ind is not None:
                    return ind, None, True
        phrase = _phrase(prefix, self.mx)
        return None, phrase, False

    def _spoken_of(self, v: Value, sentence) -> list[Mention]:
        """Indicators a clause without one of its own may speak of, most likely first:
        those named earlier in the sentence (latest first); those of a label sentence just
        before ('1.设区城市细颗粒物(PM2.5)平均浓度。2023年为27.1微克/立方米'); and for a
        figure in parentheses ('与2023年同期(86.5%)相比，一季度水质优良断面比例…') the one
        named after it."""
        earlier = [m for m in self.mentions if sentence[0] <= m.start and m.end <= v.start]
        if earlier:
            return earlier[::-1]
        previous = [s for s in self.sentences if s[1] <= sentence[0]]
        if previous:
            s_start, s_end = previous[-1]
            label = [m for m in self.mentions if s_start <= m.start and m.end <= s_end]
            if label and not any(s_start <= x < s_end for x in self.value_starts):
                return label[::-1]
        if self.text[max(0, v.start - 1):v.start] in ("(", "（"):
            return [m for m in self.mentions if v.end <= m.start < sentence[1]][:1]
        return []

    def _without_regions(self, text: str, offset: int) -> str:
        """'苏州市为': the region a clause opens with is not a subject of its own."""
        for r in reversed([r for r in self.regions if offset <= r.start and r.end <= offset + len(text)]):
            text = text[:r.start - offset] + text[r.end - offset:]
        return text

    def _fitting(self, mention: Mention, v: Value, kind: str) -> catalog.Indicator | None:
        ind = _fits_unit(mention, v.unit, kind)
        if ind is not None and ind.scope:
            clause = _enclosing(self.clauses, v.start)
            said = self.text[clause[0]:v.start]
            running_total = bool(RUNNING_TOTAL.search(said))
            if ind.scope == "cumulative" and ONE_YEAR.search(said) and not running_total:
                return None  # '单看2024年，全年成交额181.1亿元' is not the running total
            if ind.scope == "annual" and running_total:
                return None  # '累计完成清洁取暖改造45.6万户' is not the year's figure
        return ind

    def _convert(self, v: Value, ind: catalog.Indicator, kind: str):
        units = catalog.unit_by_name()
        target = units[ind.unit]
        if kind == "change" and v.unit.dimension != target.dimension:
            return v.number, v.number_high, v.unit.unit  # a relative change in % or points
        factor = v.unit.factor / target.factor
        value = v.number * factor
        high = v.number_high * factor if v.number_high is not None else None
        if target.dimension == "percent" and kind != "change" and not 0 <= value <= 100:
            return None, None, None  # a share above 100% is a misreading
        return value, high, ind.unit

    def _kind(self, v: Value, mention: Mention | None, sentence, clause, reduction: bool = False) -> str:
        text = self.text
        start = max(clause[0], mention.end if mention else clause[0])
        between = text[start:v.start]
        if v.signed or v.unit_text in ("个百分点", "百分点"):
            return "change"
        change = self.mx.change.search(between)
        if reduction and change and REDUCTION.search(change.group(0)):
            change = None
        if change and not self.mx.level_after_change.match(text, change.end()):
            return "change"
        if self.mx.comparison.search(between):
            return "change"
        if self.mx.target.search(text[clause[0]:v.start]):
            return "target"
        lead = text[sentence[0]:_enclosing(self.clauses, sentence[0])[1]]
        if self.mx.target.search(lead) and sentence[0] < clause[0]:
            return "target"
        # '力争…控制在30以内，优良天数比例达到82%以上': a pledge carries over the clauses it lists
        if FORWARD_CUES.search(text[sentence[0]:clause[0]]) and not ACHIEVED.search(text[sentence[0]:v.start]):
            return "target"
        return "actual"

    def _is_future(self, year: int) -> bool:
        """A year after the document was written, or after the year it reviews."""
        ctx = self.ctx
        if ctx.published and year > int(ctx.published[:4]):
            return True
        return bool(ctx.report_year and year > ctx.report_year and (ctx.report_year_explicit or not ctx.published))

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

    def _year_untied(self, v: Value, sentence, clause, end: int | None = None) -> tuple[int | None, str, str | None]:
        end = v.start if end is None else end
        for scope, source in (((clause[0], end), "clause"), ((sentence[0], end), "sentence")):
            found = self._nearest_year(*scope, value_at=v.start)
            if found is not None:
                year, cue = found
                return year, source, cue
        earlier = [y for y in self.years if y.end <= sentence[0] and y.states_the_year]
        if earlier:
            return earlier[-1].year, "paragraph", None
        if self.heading_year:
            return self.heading_year, "heading", None
        if self.ctx.report_year_explicit and self.ctx.report_year:
            return self.ctx.report_year, "document", None
        return None, "none", None

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
            if y.goal and self._is_future(y.year):
                return y.year, "target"
            return y.year, None
        return None

    def _months(self, v: Value, sentence, clause, year: int | None, kind: str) -> str:
        text = self.text
        for start in (clause[0], sentence[0]):
            found = _last_period(text[start:v.start], self.mx)
            if found:
                return found
        # an earlier sentence of the paragraph sets the period only if it reports values
        # itself ('10月，…为85.4%。PM2.5…'), not if it dates an event ('2023年4月，…印发')
        for s_start, s_end in reversed([s for s in self.sentences if s[1] <= sentence[0] and kind != "target"]):
            if self.value_starts and any(s_start <= x < s_end for x in self.value_starts):
                found = _last_period(text[s_start:s_end], self.mx)
                if found:
                    return found
        heading = self.p.heading or ""
        found = _last_period(catalog_simplify(heading), self.mx)
        if found:
            return found
        # a periodic release's period holds for its own year, not for a goal or a base year
        return self.ctx.default_months if year == self.ctx.report_year and kind != "target" else "1-12"

    def _region(self, v: Value, region: RegionMention | None, sentence) -> tuple[str, str | None, str]:
        """(name, code, how it was found: 'named', 'default' or 'union')."""
        if region is None:
            before = [r for r in self.regions if sentence[0] <= r.start and r.end <= v.start
                      and not self._is_ranking_context(r)]
            if before and (union := self._union(before)):
                return union, None, "union"
            region = before[-1] if before else None
        if region is None:
            return self.ctx.region, self.ctx.region_code, "default"
        if region.level == "self":
            # '河南省…表示，全省PM2.5…': 全省 is the province named before it; else the document's own
            level = "province" if region.self_ref == "province" else "prefecture"
            named = [r for r in self.regions if sentence[0] <= r.start and r.end <= region.start and r.level == level]
            if named and named[-1].name != self.ctx.region:
                return named[-1].name, named[-1].code, "named"
            return self.ctx.region, self.ctx.region_code, "named"
        return region.name, region.code, "named"

    def _is_ranking_context(self, r: RegionMention) -> bool:
        """'排名宣城市第一', '在汾渭平原11个城市中排名第3': a yardstick, not the subject."""
        return bool(RANKED_BEFORE.search(self.text, max(0, r.start - 3), r.start)
                    or RANKED_AFTER.match(self.text, r.end))

    def _union(self, before: list[RegionMention]) -> str | None:
        """'七大流域及浙闽片河流、西北诸河和西南诸河', '海口、拉萨…雅安等': several regions
        together (not paired with values by 分别) are their union, as written."""
        last = before[-1]
        first = last
        for r in reversed(before[:-1]):
            if not re.fullmatch(r"[、和及与]|[^，,；;。]{0,8}[、和及与]", self.text[r.end:first.start]):
                break
            first = r
        listed = first is not last
        if not listed and not self.text.startswith("等", last.end):
            return None
        return self.p.text[first.start:last.end + (1 if self.text.startswith("等", last.end) else 0)]

    def _qualifier_before(self, before: str) -> str:
        m = self.mx.before_qualifier.search(before[-6:])
        return self.mx.before_kind[m.group(1)] if m else ""


# --- small helpers -----------------------------------------------------------------

def _fits_unit(mention: Mention, unit: catalog.Unit | None, kind: str) -> catalog.Indicator | None:
    """The indicator named by the mention whose unit a value in `unit` can be expressed in."""
    if unit is None:
        return None
    units = catalog.unit_by_name()
    for ind in mention.indicators:
        target = units.get(ind.unit)
        if target is None:
            continue
        if unit.dimension == target.dimension:
            return ind
        if kind == "change" and unit.dimension in ("percent", "points"):
            if unit.dimension == "percent" or target.dimension == "percent":
                return ind
    return None


def _spans(text: str, ends: re.Pattern) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in ends.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _enclosing(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return spans[-1] if spans else (0, 0)


def _distinct(mentions: list[Mention]) -> list[Mention]:
    out, seen = [], set()
    for m in mentions:
        key = m.indicators[0].indicator_id
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


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
    published = int(ctx.published[:4]) if ctx.published else None
    found = []
    for m in YEAR_MENTION.finditer(text):
        found.append((m.start(), m.end(), None if m.group(2) else int(m.group(1))))
    for m in mx.named_year.finditer(text):
        found.append((m.start(), m.end(), mx.named_years[m.lastgroup]))
    if published:  # 今年/去年 mean something only when the document is dated
        for m in mx.relative_year.finditer(text):
            found.append((m.start(), m.end(), published + mx.relative_years[m.lastgroup]))
    out = []
    for start, end, year in sorted(found):
        before = text[max(0, start - 4):start]
        comparison = bool(mx.year_comparison_before.search(before) or mx.year_comparison_after.match(text, end))
        aside = next((a for a in asides if a[0] <= start < a[1]), None)
        out.append(YearMention(start, end, year, comparison, _is_goal(before), aside))
    return out


def _is_goal(before: str) -> bool:
    """'到2025年' names a goal; '截至2024年' a state reached."""
    return bool(re.search(r"(?<!截)(?<!截止)(?:到|至)\s*$", before))


def _heading_year(heading: str | None, ctx: DocContext) -> int | None:
    if not heading:
        return None
    years = [y.year for y in year_mentions(catalog_simplify(heading), ctx) if y.states_the_year]
    return years[-1] if years else None


def _last_period(span: str, mx: Matchers) -> str | None:
    """The last period named in span: '1—9月', '10月', '前三季度', '全年'."""
    best = None
    for m in MONTHS.finditer(span):
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if 1 <= a <= b <= 12:
            best = (m.end(), f"{a}-{b}" if a != b else str(a))
    for m in mx.period_named_re.finditer(span):
        if not best or m.end() > best[0]:
            best = (m.end(), mx.period_named[m.group(0)])
    for m in mx.whole_year.finditer(span):
        if not best or m.end() > best[0]:
            best = (m.end(), "1-12")
    return best[1] if best else None


def period_of(text: str) -> str | None:
    """The last period named in a simplified text ('1—11月' -> '1-11'), if any."""
    return _last_period(text, matchers())


def _only_filler(prefix: str, filler: re.Pattern) -> bool:
    rest = filler.sub("", YEAR_MENTION.sub("", prefix))
    return len(re.findall(r"[\u3400-\u9fff]", rest)) <= 1


def _phrase(prefix: str, mx: Matchers) -> str | None:
    """What a value outside the catalog describes: its clause up to the number, cues trimmed."""
    p = re.sub(r"^[\s,，、;；:：。]+", "", prefix)
    p = re.sub(r"(?:为|是|达到|达|约|近|超过|共|累计|共计|总计|合计|分别为|分别|了|\s)+$", "", p)
    p = p.strip()
    if not re.search(r"[\u3400-\u9fff]", p):
        return None
    return p[-24:]


def _written_unit(text: str, v: Value) -> str:
    mult = re.search(f"(?:{MULTIPLIER})", text[v.number_end:v.end])
    return (mult.group(0) if mult else "") + (v.unit.unit if v.unit else v.unit_text)


def multiplier_of_unit(v: Value) -> float:
    """Values outside the catalog keep the multiplier in their unit (33万个 stays 33, '万个')."""
    return v.number / parse_number(v.value_text) if v.value_text and parse_number(v.value_text) else 1.0


def mention_text(text: str, mention: Mention) -> str:
    return text[mention.start:mention.end]


@functools.lru_cache(maxsize=4096)  # called for the heading of every paragraph: the same few strings
def catalog_simplify(s: str) -> str:
    from etl.clean import normalise_width, to_simplified
    return to_simplified(normalise_width(s))


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
         "document": 0.6, "none": 0.4}[year_source]
    if inherited:
        c -= 0.1
    c -= {"named": 0.0, "default": 0.05, "union": 0.5}[region_found]  # a union of regions is no region to chart
    if not in_catalog:
        c -= 0.2
    return round(max(0.05, min(1.0, c)), 2)
