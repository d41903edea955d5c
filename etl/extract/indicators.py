"""Indicators: the catalog aliases a value is paired with, as compiled matchers, and the
reader's choice of indicator for a value."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl import catalog
from etl.extract.matchers import (
    YEAR_MENTION,
    Matchers,
    canonical_alias,
    enclosing,
    matchers,
    without_asides,
    without_inner_words,
)
from etl.extract import grades, near_names
from etl.extract.class_names import names_another_class
from etl.extract.class_shares import class_share_alias
from etl.extract.extremes import is_extreme
from etl.extract.goal_leads import leads_a_goal
from etl.extract.partitives import opens_on_part
from etl.extract.asides import without_notes
from etl.extract.section_rates import section_rate
from etl.extract.short_tails import named_by_tail, tail_label
from etl.extract.topics import paragraph_topic
from etl.extract.trailing_names import trailing_names
from etl.extract.leading_names import leading_names
from etl.extract.values import Value
from etl.extract.year_spans import over_years

# '占全省国土面积的30.45%', '总面积占陆域国土面积的18%' (after a list comma too: 'Ⅰ~Ⅲ类水质断面322个、占93.3%')
# a clause telling only a change of what the clause before counted ('比去年同期减少29.1%', '同比增长6.8%')
CHANGE_ONLY = re.compile(r"[\s,，;；]*(?:同比|环比|比上年|较上年|比去年|较去年|与上年相比|与去年同期相比|比去年同期|较去年同期)"
                         r"\s*(?:[增减]长|增加|减少|下降|上升|降低|提高)?了?\s*(?:约|近|超过)?\s*\d+(?:\.\d+)?\s*(?:%|％|个百分点)[\s,，;；]*")
SHARE_OF = re.compile(r"^[\s、]*(?:总?面积|总量|总数)?(?:约|共)?占[^，,；;]{0,14}?的?\s*(?:约|近)?$")
# a figure in parentheses after a comparison base: '较疫情前的2019年同期(82.0%)', '年度目标(32.9',
# '市下达年度指标(90.1%)'
# what a clause after a label and its colon may say besides its figure: its period and a generic
# quantity ('可吸入颗粒物(PM10):9月份月均浓度为48μg/m3' is PM10's concentration)
LABELLED_QUANTITY = re.compile(r"\s*(?:\d{1,2}\s*月份?|本月|当月|[上下]半年)?\s*(?:月均|日均|年均|季均|平均)?\s*"
                               r"(?:浓度值?|值)?\s*(?:平均)?\s*(?:为|是|达)?\s*")
BASE_FIGURE = re.compile(r"(?:(?:19|20)\d{2}\s*年(?:同期|底|末)?|目标值?|下达[^，,；;。\d]{0,6}指标|(?:考核|约束性|年度)指标值?|基期值?|基准值?)\s*[(（]\s*$")
SHARE_WORD = re.compile(r"比例|占比|比重")
# a share whose whole carries a figure in parentheses: '占全年有效天数(365天)的94.2%'
SHARE_OVER_ASIDE = re.compile(r"占[^，,；;。()（）]{0,14}[(（][^()（）]{1,12}[)）]\s*的?\s*$")
# a count's name, then the share it makes: '达标天数占有效天数比例为', '优良天数所占比例为', '…的天数占'
SHARE_AFTER_NAME = re.compile(r"\s*所?占(?:[^，,；;。\d]{0,12}?(?:比例|比重|的))?\s*(?:为|是|达到|达)?\s*")
# the words leading a share after its count: '…,占', '…,所占比例为'
SHARE_LEAD = re.compile(r"所?占比?|比例|比重|的|为|是|达到|达|约|近")
# one value said of every indicator listed before it: '…、…达标率均保持100%'
# (or with a streak: '…比例、…达标率连续4年保持100%'; a streak's floor, '…保持98%以上', is no level: reader)
SHARED_VALUE = re.compile(r"\s*(?:均|连续\s*\d+\s*年)\s*(?:为|是|保持在?|达到?|稳定在|维持在|实现)?\s*")
LIST_JOINT = re.compile(r"[、和及与]")
SUBSET_PART = re.compile(r"其中\s*[:：,，]?\s*([^\d:：,，;；。]{1,6})$")
ONE_YEAR = re.compile(r"全年|当年|年内|单看|本?年度(?!累计)")
RUNNING_TOTAL = re.compile(r"累计|截至|截止|总计")
# the half of a name a clause may give itself ('夜间', '达标率'): a short word, nothing else
LAST_COUNT = re.compile(r"([\u4e00-\u9fff]{2,8})\s*\d[\d.]*\s*[^\d\s]{0,3}\s*$")
COUNTED_HEAD = re.compile(r"^(?:环境)?空气(?:质量)?")   # the medium a count of days may name first
COMPOSABLE_CORE = re.compile(r"[\u4e00-\u9fffⅠ-ⅫIVX~～—\-]{2,6}")   # also "劣Ⅴ类", "Ⅰ~Ⅲ类" (NFKC: 劣V类)

# --- the pieces found in a paragraph ---------------------------------------------


@functools.cache
def _not_after() -> dict[str, re.Pattern]:
    return {first: re.compile(chars) for first, chars in catalog.cues().get("indicator_not_after", {}).items()}


@functools.cache
def _not_before() -> dict[str, re.Pattern]:
    return {last: re.compile(chars) for last, chars in catalog.cues().get("indicator_not_before", {}).items()}


@dataclass
class Mention:
    start: int
    end: int
    alias: str
    indicators: tuple[catalog.Indicator, ...]




def find_mentions(text: str) -> list[Mention]:
    mx = matchers()
    out = []
    not_after, not_before = _not_after(), _not_before()
    for m in mx.indicator.finditer(without_inner_words(without_asides(text))):
        glued = not_after.get(m.group(0)[0])
        if glued and m.start() > 0 and glued.match(text, m.start() - 1):
            continue  # '严重污染天数' is not 重污染天数
        head = not_before.get(m.group(0)[-1])
        if head and head.match(text, m.end()):
            continue  # '优良比例' is no 优良比
        alias = canonical_alias(m.group(0))
        out.append(Mention(m.start(), m.end(), alias, mx.indicators_of_alias[alias]))
    return sorted(out + [Mention(*t) for t in trailing_names(text) + leading_names(text)], key=lambda m: m.start)


# --- the stage ---------------------------------------------------------------------



@functools.cache
def _generic_counter() -> tuple[str, frozenset[str], frozenset[frozenset[str]]]:
    link = catalog.cues()["link"]
    return (link.get("generic_counter", ""), frozenset(link.get("counted_in_generic", ())),
            frozenset(frozenset(pair) for pair in link.get("same_count", ())))


def _generic_count(written: str, wanted: str) -> bool:
    """A count in the general measure word (个) of something counted in another unit (件), or in
    a measure word that counts the same things (起 and 件 of cases and incidents: cues [link])."""
    generic, counted, same = _generic_counter()
    return written == generic and wanted in counted or frozenset((written, wanted)) in same


def fits_unit(mention: Mention, unit: catalog.Unit | None, kind: str) -> catalog.Indicator | None:
    """The indicator named by the mention whose unit a value in `unit` can be expressed in;
    for a nought without a unit ('重污染天数为零'), the one the mention names exactly."""
    if unit is None:
        exact = [ind for ind in mention.indicators if canonical_alias(ind.name_zh) == mention.alias]
        return (exact or list(mention.indicators))[0] if kind != "change" else None
    units = catalog.unit_by_name()
    for ind in mention.indicators:
        target = units.get(ind.unit)
        if target is None:
            continue
        if unit.dimension == target.dimension or _generic_count(unit.dimension, target.dimension):
            return ind
        if kind == "change" and unit.dimension in ("percent", "points"):
            if unit.dimension == "percent" or target.dimension == "percent":
                return ind
    return None




def _by_classes(text: str, start: int, end: int) -> list[Mention]:
    """A count named only by classes ('Ⅱ类…20个、Ⅲ类2个'): the share alias they make (class_shares)."""
    alias = class_share_alias(text[start:end])
    found = alias and matchers().indicators_of_alias.get(canonical_alias(alias))
    return [Mention(start, end, canonical_alias(alias), found)] if found else []


def distinct_indicators(mentions: list[Mention]) -> list[Mention]:
    out, seen = [], set()
    for m in mentions:
        key = m.indicators[0].indicator_id
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out




FORMULA_WORD = re.compile(r"(?<![A-Za-z])[A-Z]{2,}")


@functools.cache
def _grades() -> frozenset[str]:
    return frozenset(catalog.cues()["inherit"].get("grades", ()))


def _names_something(words: str) -> bool:
    """Words of their own: two characters or more, or one that is a grade ('良175天')."""
    chars = re.findall(r"[\u3400-\u9fff]", words)
    # ('SO平均浓度为8': a formula the page lost its digit from is a pollutant's name of its own)
    return len(chars) > 1 or (len(chars) == 1 and chars[0] in _grades()) or bool(FORMULA_WORD.search(words))


def _only_filler(prefix: str, filler: re.Pattern) -> bool:
    return not _names_something(filler.sub("", YEAR_MENTION.sub("", prefix)))


def _phrase(prefix: str, mx: Matchers) -> str | None:
    """What a value outside the catalog describes: its clause up to the number, cues trimmed."""
    p = re.sub(r"^[\s,，、;；:：。]+", "", prefix)
    p = re.sub(r"(?:为|是|达到|达|约|近|超过|共|累计|共计|总计|合计|分别为|分别|了|\s)+$", "", p)
    p = p.strip()
    if not re.search(r"[\u3400-\u9fff]", p):
        return None
    return p[-24:]




@functools.cache
def _topics() -> list[tuple[re.Pattern, re.Pattern, dict[str, catalog.Indicator]]]:
    by_id = {i.indicator_id: i for i in catalog.indicators()}
    return [(re.compile("|".join(map(re.escape, t["words"]))), re.compile("|".join(map(re.escape, t["keep_if"]))),
             {a: by_id.get(b) for a, b in t["switch"].items()},
             re.compile("|".join(map(re.escape, t["unless_after"]))) if t.get("unless_after") else None)
            for t in catalog.cues()["indicator_topic"].values()]


# a water body's own sections: '湖库监测断面', '湖泊的12个断面' (matched at the body's word)
BODY_SECTIONS = re.compile(r"[\u4e00-\u9fff()（）]{1,4}?\s*的?\s*(?:\d+\s*个)?\s*(?:监测|考核|国控|省控)?\s*断面")


def _on_topic(ind: catalog.Indicator | None, mention: Mention, before: str,
              named_after: str = "") -> catalog.Indicator | None:
    """A generic alias in a sentence about another water body names that body's indicator (None:
    a body the catalog has no indicator for). The body named nearest the value wins: '…饮用水源地
    水质达标;…河流Ⅰ-Ⅲ类水质河长占比' is about river length, not drinking water."""
    if ind is None:
        return None
    best, at = ind, -1
    for words, keep_if, switch, unless_after in _topics():
        # ('水质为Ⅰ至Ⅲ类的断面占比': what is counted may be named between the alias and its value,
        # unless the body's own sections were named: '16个湖库监测断面中,…断面12个,占75%')
        if ind.indicator_id in switch and not keep_if.search(mention.alias):
            found = [m.start() for m in words.finditer(before)]
            if keep_if.search(named_after) and not (found and BODY_SECTIONS.match(before, found[-1])):
                continue
            if found and unless_after and unless_after.search(before, found[-1]):
                continue  # '…水源地水质达标率100%;地表水…Ⅰ-Ⅲ类水质占比': another body named since
            if found and found[-1] > at:
                best, at = switch[ind.indicator_id], found[-1]
    return best


def _with_shares(mentions: list[Mention]) -> list[Mention]:
    """Each mention of a count followed by its share's, when the catalog names the share by the
    count's alias and 比例/占比 ('达标天数' -> '达标天数比例'): '达标天数为27天,比例为90.0%'."""
    by_alias = matchers().indicators_of_alias
    out = []
    for m in mentions:
        out.append(m)
        out.extend(Mention(m.start, m.end, m.alias + word, by_alias[m.alias + word])
                   for word in ("比例", "占比") if m.alias + word in by_alias)
    return out


@functools.cache
def _compliance_rule() -> dict | None:
    """cues.toml [link.compliance], compiled; None when the catalog has no such rule."""
    rule = catalog.cues()["link"].get("compliance")
    by_id = {i.indicator_id: i for i in catalog.indicators()}
    if not rule or rule["indicator"] not in by_id:
        return None
    return {"indicator": by_id[rule["indicator"]],
            **{k: re.compile(rule[k]) for k in ("rate", "topic", "other_body", "negated")},
            "rate_after": re.compile(rule["rate_after"]) if rule.get("rate_after") else None}


@functools.cache
def target_after() -> re.Pattern:
    """'…3.89%的目标任务' (cues.toml kind.target_after): the goal the figure is."""
    return catalog.cue_pattern("kind", "target_after")


@functools.cache
def _part_rules() -> list[tuple[frozenset[str], re.Pattern, re.Pattern | None]]:
    """cues.toml [link.parts]: (indicator ids, words right before the name, words keeping the whole)."""
    return [(frozenset(r["indicators"]), re.compile(r["before"]), re.compile(r["unless"]) if r.get("unless") else None)
            for r in catalog.cues()["link"].get("parts", {}).values()]



def _sources_of_part(indicator_id: str, said: str, topic_start: int) -> bool:
    """'全区134个县级城镇…水源地,…,水源达标率为92.5%': the clause naming the sources (ending at
    `topic_start`) narrows them to a part ([link.parts])."""
    clause = said[max(said.rfind(c, 0, topic_start) for c in "，,；;。\n") + 1:topic_start]
    return any(indicator_id in ids and before.search(clause) and not (unless and unless.search(clause))
               for ids, before, unless in _part_rules())

def mention_text(text: str, mention: Mention) -> str:
    return text[mention.start:mention.end]


class IndicatorsMixin:
    """Which indicator a value belongs to, and its value in the indicator's unit."""

    def _indicator(self, v: Value, mention: Mention | None, kind: str, sentence, clause, subject_start: int):
        """(catalog indicator or None, phrase for a quantity outside the catalog, inherited?)"""
        if v.start in self.unpaired:
            return None, _phrase(self.text[clause[0]:v.start], self.mx), False
        if is_extreme(self.text[mention.end if mention else clause[0]:v.start]):
            return None, _phrase(self.text[clause[0]:v.start], self.mx), False   # a day's peak (extremes.py)
        if mention is not None:
            ind = self._fitting(mention, v, kind)
            if ind is None and SHARE_AFTER_NAME.fullmatch(self.text, mention.end, v.start):
                # '达标天数占有效天数比例为90.2%': a count's name, then its share
                ind = next((i for m in _with_shares([mention])[1:] if (i := self._fitting(m, v, kind))), None)
            if ind is not None and (self._part(ind, mention, clause) or self._of_another_count(ind, mention, clause)):
                return None, _phrase(self.text[clause[0]:v.start], self.mx), False
            if ind is not None:
                return ind, None, False
        # a clause naming nothing of its own speaks of the indicator before it
        prefix = self.text[subject_start:v.start]
        # '4亿吨粗钢产能重点工程改造' names its own subject right after the number
        # ('…)上升4.4个百分点', '33%左右' and '(25.5微克/立方米)尚有差距' do not)
        suffix = re.split(r"[\d(（)）,，;；。、]", self.text[v.end:clause[1]], maxsplit=1)[0]
        suffix = self.mx.after_qualifier.sub("", suffix, count=1)
        if target_after().match(self.text, v.end):
            suffix = ""   # '…88.1%,高于85%的年度目标要求': the goal is the indicator's before it
        prefix_words = self._without_regions(prefix, subject_start)
        if mention is None and grades.of_one_grade(prefix_words, self.text, v.end):
            return None, _phrase(prefix, self.mx), False   # '良的天数13天', '9天优': one grade's days
        labelled = self._after_label(clause, prefix_words)
        # ('占全年有效天数(366天)': a count after 占 is the whole a share is of, not a share)
        percent = v.unit is None or v.unit.dimension == "percent"
        share = bool(SHARE_OF.search(prefix_words) or SHARE_OVER_ASIDE.search(self.text, sentence[0], v.start)) and percent
        # '…;劣Ⅴ类水质点位1个,比例为1.5%': a bare share after a semicolon counts what its own part names
        share_word = share or bool(SHARE_WORD.search(prefix_words))
        if (mention is None and not self._is_named_part(v, sentence, prefix_words)
                and (_only_filler(prefix_words, self.mx.filler) or share or BASE_FIGURE.search(prefix_words)
                     or self._region_figure(v) or labelled or leads_a_goal(self.text, clause[0], v.start, v.end))
                and _only_filler(suffix.replace("累计", ""), self.mx.filler)):
            for candidate in self._spoken_of(v, sentence, share_word):
                if names_another_class(prefix_words, candidate.alias):
                    break   # 'Ⅴ类为0.6%' after '劣Ⅴ类比例为0.0%': class Ⅴ's own share (class_names.py)
                ind = self._fitting(candidate, v, kind)
                if ind is not None:   # (a label's colon names it, and a count's name its share: not a guess)
                    return ind, None, not labelled and self.counted_share != v.start
        if mention is None and (composed := self._composed(v, sentence, clause, prefix_words, kind)) is not None:
            return composed, None, False   # named by the clause, if by half: not inherited
        if mention is None and (rate := self._compliance(v, sentence, clause)) is not None:
            return rate, None, False
        if mention is None and (tail := tail_label(prefix_words)) and (m := named_by_tail(self.text, tail, self.mentions, v.start)):
            return self._fitting(m, v, kind), None, False   # '…治理率…,(治理率目标为35%)' (short_tails.py)
        if (rate := section_rate(self.text, sentence[0], clause[0], v.start, percent)) is not None:
            return rate, None, False   # '…Ⅰ~Ⅲ类断面11个,达标率为91.7%' (section_rates.py)
        phrase = _phrase(prefix, self.mx)
        if mention is None and (near := self._near_name(v, prefix_words, kind)) is not None:
            return near, None, True   # a near name, not an alias: a guess, as an inherited one is
        return None, phrase, False

    def _near_name(self, v: Value, prefix_words: str, kind: str) -> catalog.Indicator | None:
        """The indicator a label that is no alias names by near words (etl/extract/near_names.py)."""
        if v.unit is None or kind not in ("actual", "target"):
            return None
        return _near_indicator(_phrase(YEAR_MENTION.sub("", prefix_words), self.mx), v.unit, kind)

    def _composed(self, v: Value, sentence, clause, prefix_words: str, kind: str) -> catalog.Indicator | None:
        """A clause that names its quantity by half, the other half standing earlier in the
        sentence: '昼间达标率为75.9%,夜间为72.4%' (夜间 + the tail of 昼间达标率) and
        '夜间达标94点次,达标率为65.7%' (the opening word of the clause before + 达标率). Only a
        combination that is a catalog alias counts."""
        core = _phrase(prefix_words, self.mx)
        if not core or not COMPOSABLE_CORE.fullmatch(core):
            return None
        aliases = self.mx.indicators_of_alias
        candidates = []
        # a sibling: the clause's word in place of the head of an alias named before it (not in a
        # breakdown after 其中: '其中轻度污染天数比例为15.9%,…重度污染为2.5%,严重污染为0.7%' lists
        # parts, and 重度污染 alone is not 重度及以上)
        breakdown = "其中" in self.text[sentence[0]:clause[0]]
        for m in reversed([m for m in self.mentions if sentence[0] <= m.start and m.end <= clause[0]
                           and not breakdown]):
            alias = re.sub(r"[为是]$", "", m.alias)   # (an alias may end on its verb: 'Ⅰ—Ⅲ类水质断面比例为')
            candidates += [core + alias[i:] for i in range(1, len(alias) - 1)]
            if alias.endswith("天数") and (head := re.sub("(?:率|比例|占比)$", "", core)) != core and COUNTED_HEAD.sub("", alias[:-2]) == head:
                # '达标天数为318天,达标率(达标比例)为86.9%': the counted days' rate ('重污染天数3天,污染率…' is not)
                candidates += [alias + word for word in ("比例", "占比")]
        # a qualifier: the word the previous clause opens with, before the clause's noun
        previous = [c for c in self.clauses if sentence[0] <= c[0] and c[1] <= clause[0]]
        if previous:
            said = self.text[previous[-1][0]:previous[-1][1]]
            opening = re.sub(r"^[\s,，、;；:：]+", "", said)
            candidates += [opening[:j] + core for j in range(2, 5)]
            # or a word of it: right before its count ('…各类功能区昼间达标123点次'), or near its
            # end when it counts nothing ('某市功能区噪声夜间达标情况最好,达标率为70.0%')
            count = LAST_COUNT.search(said)
            words = count.group(1) if count else (
                "" if re.search(r"\d", said) else re.sub(r"[^\u4e00-\u9fff]", "", said)[-12:])
            candidates += [words[i:i + j] + core for j in (2, 3, 4) for i in range(len(words) - j + 1)]
        for candidate in candidates:
            found = aliases.get(canonical_alias(candidate))
            if found:
                ind = self._fitting(Mention(v.start, v.start, canonical_alias(candidate), found), v, kind)
                if ind is not None:
                    return ind
        return None

    def _of_another_count(self, ind: catalog.Indicator, mention: Mention, clause) -> bool:
        """'按日计罚的案件为37件,罚款金额为…': a short name said of the count in the clause
        before, when that count is not the indicator's companion (cues.toml [link.said_of_count])."""
        rule = catalog.cues()["link"].get("said_of_count", {}).get(ind.indicator_id)
        if not rule or mention.alias not in {canonical_alias(a) for a in rule["aliases"]}:
            return False
        before = [c for c in self.clauses if c[1] <= clause[0]]
        # (over a clause telling only how that count changed: '…583件,比去年同期减少29.1%,罚款金额…')
        while len(before) > 1 and CHANGE_ONLY.fullmatch(self.text[before[-1][0]:before[-1][1]]):
            before.pop()
        if not before or enclosing(self.sentences, before[-1][0]) != enclosing(self.sentences, clause[0]):
            return False
        start, end = before[-1]
        counts = [x for x, e in zip(self.value_starts, self.value_ends) if start <= x < end
                  and re.search(r"[件个份起宗]$", self.text[x:e])]
        if not counts:
            return False
        return not any(start <= m.start < end and any(i.indicator_id == rule["after"] for i in m.indicators)
                       for m in self.mentions)

    def _part(self, ind: catalog.Indicator, mention: Mention, clause) -> bool:
        """'乡镇饮用水水源地水质达标率', '省界断面水质优良比例': a part's rate (cues.toml [link.parts])."""
        said = self.text[max(clause[0], 0):mention.start]
        if any(ind.indicator_id in ids and before.search(said) and not (unless and unless.search(said))
               for ids, before, unless in _part_rules()):
            return True
        # a short name of the sources' rate ('水源达标率') after the clause naming whose sources they are
        # (in its sentence, its own clause naming none: '县城饮用水水源地水质达标率' names its own)
        rule = _compliance_rule()
        if rule is None or rule["topic"].search(self.text, clause[0], mention.end):
            return False
        opening = max(self.text.rfind(c, 0, clause[0]) for c in "。；;\n") + 1
        topics = list(rule["topic"].finditer(self.text, opening, clause[0]))
        return bool(topics) and _sources_of_part(ind.indicator_id, self.text[:clause[0]], topics[-1].start())

    def _compliance(self, v: Value, sentence, clause) -> catalog.Indicator | None:
        """A bare compliance rate in a sentence about drinking-water sources (cues.toml
        [link.compliance]): '…水源地水质…均达到Ⅲ类标准,达标率为100%'."""
        rule = _compliance_rule()
        if rule is None or v.unit is None or v.unit.dimension != "percent":
            return None
        start = max(sentence[0], min([c[0] for c in self.clauses if c[1] <= clause[0] and c[0] >= sentence[0]]
                                     [-1:] or [clause[0]]))
        rates = list(rule["rate"].finditer(self.text, start, v.start))
        after = rule["rate_after"].match(self.text, v.end) if rule["rate_after"] else None
        if not rates and not after:
            return None
        if after:  # '…水源地水质持续保持100%达标': the compliance words right after the share
            rate_start = rate_end = v.start
        else:
            rate_start, rate_end = rates[-1].start(), rates[-1].end()
        between = re.sub(r"\d+\s*[个座处]|[\s,，]", "", without_notes(self.text[rate_end:v.start]))
        between = self.mx.filler.sub("", SHARE_LEAD.sub("", between)).replace("有", "")
        if len(re.findall(r"[\u3400-\u9fff]", between)) > 1:
            return None  # '达标率为100%,劣Ⅴ类…为2%': the rate names another value
        if rule["negated"].search(self.text, start, rate_start):
            return None  # '不能满足要求的5个,占11.6%'
        said = without_asides(self.text[:v.start])  # ('符合《地表水环境质量标准》' names no body)
        topics = list(rule["topic"].finditer(said, sentence[0]))
        if not topics or rule["other_body"].search(said, topics[-1].end()):
            return None
        if _sources_of_part(rule["indicator"].indicator_id, said, topics[-1].start()):
            return None
        return rule["indicator"]

    def _shared_by_list(self, v: Value, in_clause: list[Mention]) -> list[Mention] | None:
        """Indicators listed one after another, then one value for all of them with 均
        ('地表水Ⅲ类及以上水质比例、…饮用水水源地水质达标率均保持100%'): each takes the value."""
        named = [m for m in distinct_indicators(in_clause) if fits_unit(m, v.unit, "actual")]
        if len(named) < 2 or not SHARED_VALUE.fullmatch(self.text, named[-1].end, v.start):
            return None
        if not all(LIST_JOINT.search(self.text, a.end, b.start) for a, b in zip(named, named[1:])):
            return None
        self.shared.update(m.start for m in named)  # each named by the words before it, not after
        return named

    def _region_figure(self, v: Value) -> bool:
        """'攀枝花市(81.9%)': a figure in parentheses right after a place is that place's."""
        return self.text[max(0, v.start - 1):v.start] in ("(", "（") and any(r.end == v.start - 1 for r in self.regions)

    def _is_named_part(self, v: Value, sentence, prefix: str) -> bool:
        """'(其中:优79天,良235天)', '其中城市为30%': a part named after 其中 is a subset, not the
        total again."""
        head = self.text[sentence[0]:v.start]
        opened = max(head.rfind("("), head.rfind("（"))
        if opened >= 0 and not re.search(r"[)）]", head[opened:]) and head[opened + 1:].lstrip().startswith("其中"):
            part = re.sub(r"其中|[\s:：,，、]", "", prefix)
        else:  # a place named after 其中 is a subject of its own, not a part ('其中,成都市为78.1%')
            m = SUBSET_PART.search(self._without_regions(head[-12:], v.start - len(head[-12:])))
            part = m.group(1) if m else ""
        return bool(self.mx.filler.sub("", part).strip())

    def _after_label(self, clause, prefix_words: str) -> bool:
        """A clause right after a label and its colon that names only its period and a generic
        quantity ('PM10:11月份月均浓度为56'): it speaks of the label's indicator."""
        return (clause[0] > 0 and self.text[clause[0] - 1] in ":："
                and bool(LABELLED_QUANTITY.fullmatch(prefix_words)))

    def _spoken_of(self, v: Value, sentence, share: bool = False) -> list[Mention]:
        """Indicators a clause without one of its own may speak of, most likely first:
        those named earlier in the sentence (latest first); those of a label sentence just
        before ('1.设区城市细颗粒物(PM2.5)平均浓度。2023年为27.1微克/立方米'); and for a
        figure in parentheses ('与2023年同期(86.5%)相比，一季度水质优良断面比例…') the one
        named after it."""
        start = sentence[0]
        if share:  # '…;876个水源中825个达标,占94.2%': a share after a semicolon counts something new
            start = max([start, *(m.end() for m in re.finditer("[;；]", self.text[:v.start]))])
            counted = self._counted_clause(v, start)
            if counted is not None:
                # '轻度污染13天,占14.1%': a share right after a count is the share of what was counted
                self.counted_share = v.start
                named = [m for m in self.mentions if counted[0] <= m.start and m.end <= counted[1]][::-1]
                return _with_shares(named) or _by_classes(self.text, *counted)
        earlier = [m for m in self.mentions if start <= m.start and m.end <= v.start]
        if earlier:
            return earlier[::-1]
        previous = [s for s in self.sentences if s[1] <= sentence[0]]
        if previous and opens_on_part(self.text[sentence[0]:sentence[1]]):
            # '全省优良天数比例为89.1%。其中,成都市为78.1%': 其中 (各县区中, 分区域看 …) goes on
            # with the sentence before
            said = [m for m in self.mentions if previous[-1][0] <= m.start and m.end <= previous[-1][1]]
            if said:
                return said[::-1]
        if previous:
            s_start, s_end = previous[-1]
            label = [m for m in self.mentions if s_start <= m.start and m.end <= s_end]
            if label and not any(s_start <= x < s_end for x in self.value_starts):
                return label[::-1]
            # '…PM2.5浓度平均为54。浓度最低的4个城市是济南、北京…，分别为41、44…': a sentence that
            # opens on the head noun of the indicator just named goes on speaking of it
            # (not a share after a semicolon: that counts something new, '不达标水源地1个,比例为2.9%')
            head = self.text[sentence[0]:v.start]
            named = [m for m in label if len(m.alias) >= 3 and m.alias[-2:] in head]
            if named and not share:
                return named[::-1]
        if self.text[max(0, v.start - 1):v.start] in ("(", "（"):
            return [m for m in self.mentions if v.end <= m.start < sentence[1]][:1]
        return []

    def _counted_clause(self, v: Value, start: int) -> tuple[int, int] | None:
        """The clause of the count a share follows ('轻度污染的天数为13天,占监测天数的14.1%'):
        the nearest earlier value of the sentence, when it is a count (not a share) that its
        clause names with words of its own ('同比增加5天' names nothing and is passed over)."""
        # ('…共344天,占全年有效天数(365天)的94.2%': a figure after 占 is of the whole, not the count)
        whole = self.text.rfind("占", start, v.start)
        for x_start, x_end in sorted(zip(self.value_starts, self.value_ends), reverse=True):
            if x_start >= v.start or x_start < start or (whole >= 0 and x_start > whole):
                continue
            unit = self.text[x_end - 1:x_end]
            if unit in ("%", "点") or not re.search(r"[天个次座条家处项]$", self.text[x_start:x_end]):
                return None  # a share or a level before it: not a count
            clause = enclosing(self.clauses, x_start)
            own = self._without_regions(self.text[clause[0]:x_start], clause[0])
            own = self.mx.filler.sub("", catalog.cue_pattern("kind", "change_verbs").sub("", YEAR_MENTION.sub("", own)))
            if _names_something(own):
                return clause[0], x_start
            # '218个城市环境空气质量达标,占64.3%': what was counted is named after the count
            # ('…1.18万个,约占陆域国土面积的18%': what follows 占 is what it is a share of)
            said = re.split(r"[所约]?占", self.text[x_end:v.start], maxsplit=1)[0]
            said = self.mx.filler.sub("", SHARE_LEAD.sub("", said))
            if len(re.findall(r"[\u3400-\u9fff]", said)) > 1:
                return x_end, v.start
        return None

    def _without_regions(self, text: str, offset: int) -> str:
        """'苏州市为': a region a clause opens with is no subject of its own (nor a list's joint: '甲和乙达标率')."""
        found = [r for r in self.regions if offset <= r.start and r.end <= offset + len(text)]
        for r, nxt in reversed(list(zip(found, [*found[1:], None]))):
            cut = nxt.start if nxt and LIST_JOINT.fullmatch(text[r.end - offset:nxt.start - offset]) else r.end
            text = text[:r.start - offset] + text[cut - offset:]
        return text

    def _fitting(self, mention: Mention, v: Value, kind: str) -> catalog.Indicator | None:
        # (a member of a list sharing one value is on the topic of the words before it)
        topic_end = mention.end if mention.start in self.shared else v.start
        said_from = enclosing(self.sentences, v.start)[0]
        if self.text[said_from:v.start].lstrip().startswith("其中"):
            # '…近岸海域优良水质比例85.1%。其中,国家考核点位优良水质比例80%': 其中 goes on with
            # the sentence before, and with its topic
            said_from = max([s for s, e in self.sentences if e <= said_from] or [said_from])
        before = self.text[said_from:topic_end]
        ind = _on_topic(fits_unit(mention, v.unit, kind), mention, paragraph_topic(self.text[:said_from]) + before,
                        self.text[mention.end:topic_end])
        if ind is not None and ind.scope:
            clause = enclosing(self.clauses, v.start)
            said = self.text[clause[0]:v.start]
            running_total = bool(RUNNING_TOTAL.search(said))
            # '单看2024年，全年成交额181.1亿元' is not the running total, nor is '年度成交量1.79亿吨,
            # 成交额103.57亿元' or the parts of it given next ('其中,挂牌协议成交额18.32亿元')
            one_year = ONE_YEAR.search(said) or ONE_YEAR.search(self.text[said_from:clause[0]])
            if ind.scope == "cumulative" and one_year and not running_total:
                return None
            if ind.scope in ("annual", "flow") and (ind.scope == "annual" and running_total
                                                    or over_years(self.text, said_from, v.start)):
                return None  # '累计完成清洁取暖改造45.6万户', '十年来完成造林…' is not the year's figure
        return ind

    def _convert(self, v: Value, ind: catalog.Indicator, kind: str):
        units = catalog.unit_by_name()
        target = units[ind.unit]
        if v.unit is None:
            return 0.0, None, ind.unit  # a nought: 0 in any unit
        if kind == "change" and v.unit.dimension != target.dimension:
            return v.number, v.number_high, v.unit.unit  # a relative change in % or points
        factor = v.unit.factor / target.factor
        value = v.number * factor
        high = v.number_high * factor if v.number_high is not None else None
        if target.dimension == "percent" and kind != "change" and not 0 <= value <= 100:
            return None, None, None  # a share above 100% is a misreading
        return value, high, ind.unit


@functools.lru_cache(maxsize=65_536)
def _near_indicator(label: str | None, unit: catalog.Unit, kind: str) -> catalog.Indicator | None:
    """near_names.nearest for a label and a value's unit and kind, remembered: a corpus repeats its
    labels, and scoring one against every catalog name was a fifth of a worker's time."""
    if label and (find_mentions(label) or find_mentions(canonical_alias(label))):
        return None   # an alias the rules above did not take for this value ('“两打”…处罚案件')
    return near_names.nearest(label, lambda ind: fits_unit(Mention(0, 0, ind.name_zh, (ind,)), unit, kind))
