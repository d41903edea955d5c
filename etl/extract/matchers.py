"""Compiled matchers, built once from the catalog, and the spans of sentences and clauses."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl import catalog
from etl.text.normalise import normalise_width, to_simplified
from etl.text.numbers import ARABIC, CHINESE, MULTIPLIER
from etl.text.trie import trie_pattern

# '2024年', '2024年度', '2024年底'; group 2 is set for spans and lists: '2017年至2023年', '2021、2022年度'
YEAR_MENTION = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})(\s*年?\s*(?:[—–\-~～至到、和及与]\s*(?:19|20)\d{2}\s*年?)+)?"
    # ('2022上半年', '2024一季度', '2023全年': a year glued to its half, quarter or whole, 年 left out)
    r"(?:\s*年(度|底|末)?|(?=(?:[上下]半年|前三季度|第?[一二三四]季度|全年)))")


PARENTHETICAL = re.compile(r"[(（]([^()（）]{1,12})[)）]")
# a standard named inside an alias: '水质达到或优于《地表水环境质量标准》Ⅲ类的比例'
BOOK_TITLE = re.compile(r"《[^《》]{1,24}》")
ASIDE = re.compile(r"[(（][^()（）]{1,40}[)）]")  # a figure in parentheses: '(2022年为28微克/立方米)' 



@functools.cache
def _synonyms() -> tuple[re.Pattern | None, list]:
    """Words of one meaning inside indicator names (cues.toml [link] synonyms), each written as
    the catalog writes it: '达到或好于Ⅲ类' reads as 达到或优于Ⅲ类. Both words of a pair have one length."""
    pairs = catalog.cues()["link"].get("synonyms", [])
    if not pairs:
        return None, []
    return re.compile("|".join(f"(?P<s{i}>{written})" for i, (written, _) in enumerate(pairs))), pairs


def with_synonyms(text: str) -> str:
    """The synonyms of indicator words written as the catalog writes them, same length."""
    pattern, pairs = _synonyms()
    if pattern is None:
        return text

    def canonical(m: re.Match) -> str:
        word = pairs[int(m.lastgroup[1:])][1]
        return word if len(word) == len(m.group(0)) else m.group(0)
    return pattern.sub(canonical, text)


def without_inner_words(text: str) -> str:
    """The inner words of indicator names blanked out, same length: '饮用水水源地全年水质达标率'
    reads as 饮用水水源地水质达标率 to the alias patterns (which allow blanks between characters);
    synonyms are written as the catalog writes them (with_synonyms)."""
    return with_synonyms(catalog.cue_pattern("link", "inner").sub(lambda m: " " * len(m.group(0)), text))


def without_asides(text: str) -> str:
    """Parenthetical asides blanked out, same length: 细颗粒物(PM2.5)年均浓度 reads as
    细颗粒物年均浓度 to the alias patterns; a one-character aside (湖(库)) keeps its character.
    So is a standard's name in 《》 ('达到或优于《…标准》Ⅲ类的比例')."""
    def blank(m: re.Match) -> str:
        inner = m.group(1)
        return f" {inner} " if len(inner) == 1 else " " * len(m.group(0))
    return BOOK_TITLE.sub(lambda m: " " * len(m.group(0)), PARENTHETICAL.sub(blank, text))


# --- compiled matchers, built once from the catalog ------------------------------

@dataclass(frozen=True)
class Matchers:
    indicator: re.Pattern
    indicators_of_alias: dict[str, tuple[catalog.Indicator, ...]]  # canonical alias -> indicators
    value: re.Pattern
    unit_of_spelling: dict[str, catalog.Unit]
    chinese_units: frozenset[str]
    chinese_units_from_ten: frozenset[str]
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
    annual_mean: re.Pattern
    multi_year_mean: re.Pattern          # '三年均值': a comparison base, its 年均 no whole year
    norm_note: re.Pattern                # '(年均值二级标准为40…)': a standard's note, its 年均 no whole year
    comparison_base: re.Pattern          # '与1月份相比': a period compared with, no period of the values
    as_of_month: re.Pattern
    last_month: re.Pattern
    this_month: re.Pattern
    year_to_date: re.Pattern
    year_to_date_last_day: int
    before_qualifier: re.Pattern
    before_kind: dict[str, str]
    after_qualifier: re.Pattern
    after_kind: dict[str, str]
    filler: re.Pattern
    zero: re.Pattern                     # '为零', '为0' without a unit
    change_sign: re.Pattern              # the verbs that give a change its sign ('下降' …)
    change_sign_of: dict[str, str]       # verb -> 'falling', 'rising', 'better', 'worse'


# Grade numerals and dashes are written many ways: Ⅲ, III, 3, 三; —, -, ～, 至.
# A page lower-cased by its scraper writes them small too ('aqi达标率', '劣v类'): matched either case.
GRADE_VARIANTS = {"Ⅰ": "Ⅰ|I|i|1|一", "Ⅱ": "Ⅱ|II|ii|2|二", "Ⅲ": "Ⅲ|III|iii|3|三", "Ⅳ": "Ⅳ|IV|iv|4|四",
                  "Ⅴ": "Ⅴ|V|v|5|五"}
DASH = "[—–\\-~～至到－]"
_TO_CANONICAL = re.compile(r"III|II|IV|I|V|[1-5一二三四五]|[—–\-~～至到－]|\s+")
_CANONICAL = {"III": "Ⅲ", "II": "Ⅱ", "IV": "Ⅳ", "I": "Ⅰ", "V": "Ⅴ", "1": "Ⅰ", "2": "Ⅱ", "3": "Ⅲ", "4": "Ⅳ",
              "5": "Ⅴ", "一": "Ⅰ", "二": "Ⅱ", "三": "Ⅲ", "四": "Ⅳ", "五": "Ⅴ"}


def canonical_alias(text: str) -> str:
    """The form an alias and a matched span share: no asides, no spaces, upper case,
    one spelling per grade numeral and dash."""
    t = with_synonyms(catalog.cue_pattern("link", "inner").sub("", without_asides(text))).upper()
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
    # ('37 微克/ 立方米': a page may space a unit around its slash)
    units = "|".join(re.escape(w).replace("/", r"\s*/\s*") for w in sorted(unit_of_spelling, key=len, reverse=True))
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
    sign_of = {w: direction for direction, words in k["change_sign"].items() for w in words}
    return Matchers(
        indicator=indicator,
        indicators_of_alias={a: tuple(v) for a, v in indicators_of_alias.items()},
        value=value, unit_of_spelling=unit_of_spelling,
        chinese_units=frozenset(cues["chinese_numerals"]["units"]),
        chinese_units_from_ten=frozenset(cues["chinese_numerals"]["units_from_ten"]),
        target=re.compile("|".join(k["target"])),
        change=re.compile("(?:" + "|".join(k["change_verbs"]) + ")(?:了|幅度为|幅度|分别)?\\s*(?:" + k["change_rounding"] + ")?\\s*$"),
        level_after_change=re.compile(k["level_after_change"]),
        comparison=re.compile("(?<![不未])(?:" + _alternation(k["comparison"]) + f")(?!{k['comparison_grade']})"),
        year_comparison_before=re.compile("(?:" + _alternation(y["comparison_before"]) + r")\s*$"),
        year_comparison_after=re.compile(r"\s*(?:" + _alternation(y["comparison_after"]) + "|" + y["since_event"] + ")"),
        named_year=re.compile("|".join(f"(?P<n{i}>{p})" for i, p in enumerate(y["named"]))),
        named_years={f"n{i}": year for i, year in enumerate(y["named"].values())},
        relative_year=re.compile("|".join(f"(?P<r{i}>{p})" for i, p in enumerate(y["relative"]))),
        relative_years={f"r{i}": offset for i, offset in enumerate(y["relative"].values())},
        period_named=p["named"],
        period_named_re=re.compile(_alternation(p["named"])),
        whole_year=re.compile(_alternation(p["whole_year"])),
        annual_mean=re.compile(_alternation(p["annual_mean"])),
        multi_year_mean=re.compile(p["multi_year_mean"]),
        norm_note=re.compile(p["norm_note"]),
        comparison_base=re.compile(p["comparison_base"]),
        last_month=re.compile(p["last_month"]),
        this_month=re.compile(p["this_month"]),
        year_to_date=re.compile(p["year_to_date"]),
        year_to_date_last_day=p["year_to_date_last_day"],
        as_of_month=re.compile("(?:" + _alternation(p["as_of"]) + r")\s*(?:(?:19|20)\d{2}\s*年\s*)?"
                               r"(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月\s*份?\s*(?:底|末|(\d{1,2})\s*[日号])?"),
        before_qualifier=re.compile("(" + _alternation(before_kind) + r")\s*$"),
        before_kind=before_kind,
        after_qualifier=re.compile(r"\s*(" + _alternation(after_kind) + ")"),
        after_kind=after_kind,
        filler=re.compile(_alternation(inherit_words)),
        zero=re.compile(cues["chinese_numerals"]["zero"]),
        change_sign=re.compile(_alternation(sign_of)),
        change_sign_of=sign_of,
    )


@functools.lru_cache(maxsize=4096)  # called for the heading of every paragraph: the same few strings
def catalog_simplify(s: str) -> str:
    return to_simplified(normalise_width(s))




def spans_ending(text: str, ends: re.Pattern) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in ends.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def enclosing(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return spans[-1] if spans else (0, 0)
