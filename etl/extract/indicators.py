"""Indicators: the catalog aliases a value is paired with, as compiled matchers, and the
reader's choice of indicator for a value."""
from __future__ import annotations

import re
from dataclasses import dataclass

from etl import catalog
from etl.extract.matchers import YEAR_MENTION, Matchers, canonical_alias, enclosing, matchers, without_asides
from etl.extract.values import Value

SHARE_OF = re.compile(r"^\s*(?:约|共)?占[^，,；;]{0,14}?的?\s*(?:约|近)?$")  # '占全省国土面积的30.45%'
ONE_YEAR = re.compile(r"全年|当年|年内|单看|本年度")
RUNNING_TOTAL = re.compile(r"累计|截至|截止|总计")


# --- the pieces found in a paragraph ---------------------------------------------



@dataclass
class Mention:
    start: int
    end: int
    alias: str
    indicators: tuple[catalog.Indicator, ...]




def find_mentions(text: str) -> list[Mention]:
    mx = matchers()
    out = []
    for m in mx.indicator.finditer(without_asides(text)):
        alias = canonical_alias(m.group(0))
        out.append(Mention(m.start(), m.end(), alias, mx.indicators_of_alias[alias]))
    return out


# --- the stage ---------------------------------------------------------------------



def fits_unit(mention: Mention, unit: catalog.Unit | None, kind: str) -> catalog.Indicator | None:
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




def distinct_indicators(mentions: list[Mention]) -> list[Mention]:
    out, seen = [], set()
    for m in mentions:
        key = m.indicators[0].indicator_id
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out




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




def mention_text(text: str, mention: Mention) -> str:
    return text[mention.start:mention.end]


class IndicatorsMixin:
    """Which indicator a value belongs to, and its value in the indicator's unit."""

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
            # '…PM2.5浓度平均为54。浓度最低的4个城市是济南、北京…，分别为41、44…': a sentence that
            # opens on the head noun of the indicator just named goes on speaking of it
            head = self.text[sentence[0]:v.start]
            named = [m for m in label if len(m.alias) >= 3 and m.alias[-2:] in head]
            if named:
                return named[::-1]
        if self.text[max(0, v.start - 1):v.start] in ("(", "（"):
            return [m for m in self.mentions if v.end <= m.start < sentence[1]][:1]
        return []

    def _without_regions(self, text: str, offset: int) -> str:
        """'苏州市为': the region a clause opens with is not a subject of its own."""
        for r in reversed([r for r in self.regions if offset <= r.start and r.end <= offset + len(text)]):
            text = text[:r.start - offset] + text[r.end - offset:]
        return text

    def _fitting(self, mention: Mention, v: Value, kind: str) -> catalog.Indicator | None:
        ind = fits_unit(mention, v.unit, kind)
        if ind is not None and ind.scope:
            clause = enclosing(self.clauses, v.start)
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
