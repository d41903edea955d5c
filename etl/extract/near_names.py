"""The indicator a label names when it is no catalog alias: reposts spin words, reports shorten
names, traditional script and qualifiers sit inside them ('地表水Ⅰ~Ⅲ类水质断面占比', '水质优良断面
所占比例', '空气质量优良天数比例(扣除沙尘)'). Each catalog indicator is scored by the words its
name and aliases share with the label, a word weighing more the fewer indicators use it (臭氧,
劣, 森林 tell an indicator; 浓度, 比例 do not); the value's unit decides which indicators may
compete. The best is taken only above a floor and clear of the runner-up (cues.toml
[link.near_names])."""
from __future__ import annotations

import functools
import math
import re

from etl import catalog
from etl.extract.matchers import canonical_alias

# a word of a name: a chemical or particle symbol (PM2.5, O3, NO2), else one character
SYMBOL = re.compile(r"[A-Za-z][A-Za-z0-9.]*")
# the water-quality classes a name speaks of, in canonical form ('Ⅰ、Ⅱ类', 'Ⅰ—Ⅲ类', '劣Ⅳ类')
CLASSES = re.compile(r"(?:[ⅠⅡⅢⅣⅤ][、,，—]?)+(?=类)")
# a label names what follows its last copula: '空气质量为优的天数' counts the days of 优 alone
COPULA = re.compile(r"[为是]")
CHARACTER = re.compile(r"[^\s\d.,，、;；:：()（）\"“”'‘’]")


def words(text: str) -> set[str]:
    """The words of a name or label: its symbols as written, its characters read as the
    catalog's aliases are (canonical_alias: one spelling per grade numeral and dash)."""
    symbols = {s.upper().rstrip(".") for s in SYMBOL.findall(text)}
    return symbols | set(CHARACTER.findall(canonical_alias(SYMBOL.sub(" ", text))))


@functools.cache
def _settings() -> dict:
    return catalog.cues()["link"].get("near_names", {})


@functools.cache
def _names() -> tuple[dict[str, float], list[tuple[catalog.Indicator, list[set[str]]]]]:
    """The weight of every word the catalog's names use, and each indicator's names as words."""
    named = [(ind, [words(a) for a in {ind.name_zh, *ind.aliases}]) for ind in catalog.indicators()]
    uses: dict[str, int] = {}
    for _, names in named:
        for w in set().union(*names):
            uses[w] = uses.get(w, 0) + 1
    n = len(named)
    weight = {w: math.log(n / k) for w, k in uses.items()}
    return weight, named


def _similarity(label: set[str], name: set[str], weight: dict[str, float]) -> tuple[float, float]:
    """(weighted overlap of the two, share of the name's weight the label holds); a word of the
    label no catalog name uses ('轻度污染天数比例', '人工造林') weighs `unknown_weight`: it may make
    the label another quantity."""
    unknown = _settings().get("unknown_weight", 0.0)
    shared = sum(weight[w] for w in label & name)
    whole = sum(weight.get(w, unknown) for w in label) + sum(weight[w] for w in name)
    name_weight = sum(weight[w] for w in name)
    if not whole or not name_weight:
        return 0.0, 0.0
    return 2 * shared / whole, shared / name_weight


def ranked(label: str, fits) -> list[tuple[float, catalog.Indicator]]:
    """Indicators `fits` admits (the value's unit), best match to the label first. A name counts
    only when the label holds `min_cover` of its weight and one of its telling words (one that
    at most `telling_uses` indicators use): '水质达标率' shares no word that tells the drinking-
    water sources' rate from any other compliance rate."""
    weight, named = _names()
    said = words(label)
    settings = _settings()
    min_cover = settings.get("min_cover", 0.0)
    telling = math.log(len(named) / settings.get("telling_uses", len(named)))
    scores = []
    for ind, names in named:
        if not fits(ind):
            continue
        best = max((s for n in names for s, cover in [_similarity(said, n, weight)]
                    if cover >= min_cover and any(weight[w] >= telling for w in said & n)), default=0.0)
        scores.append((best, ind))
    return sorted(scores, key=lambda s: -s[0])


def nearest(label: str | None, fits) -> catalog.Indicator | None:
    """The one indicator the label names by near words, or None when none is near enough or
    two are about as near."""
    settings = _settings()
    label = COPULA.split(label or "")[-1]
    for word in settings.get("neutral", ()):   # '现货产品累计成交': the spot market is the market
        label = label.replace(word, "")
    if not label or not settings:
        return None
    scores = ranked(label, fits)
    if not scores or scores[0][0] < settings["min_score"]:
        return None
    said, best = canonical_alias(label), scores[0][1]
    name = canonical_alias(best.name_zh)
    if any(word in said and word not in name for word in settings.get("contrary", ())):
        return None  # '轻度污染天数比例' is no 重污染天数比例, '劣Ⅴ类…湖库占比' no 优良 share
    if any(word in name and not re.search(spelt, said) for word, spelt in settings.get("contrary_in_name", {}).items()):
        return None  # a bare grade ('四类6.2%') is no share of the grade below it (劣四类)
    if not _same_classes(said, best):
        return None  # 'Ⅰ类海水比例' (one class alone) is no share of classes Ⅰ and Ⅱ together
    if best.scope == "cumulative" and not re.search(settings.get("running_total", "$^"), said):
        return None  # '碳市场2024年成交量' is the year's trade, not the running total
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if scores[0][0] - runner_up < settings["margin"]:
        return None
    return scores[0][1]


ROMAN = "ⅠⅡⅢⅣⅤ"


def _classes(name: str) -> frozenset[str]:
    """The classes a name's class runs cover, a dashed run in full: 'Ⅰ—Ⅲ类' is Ⅰ, Ⅱ and Ⅲ."""
    out: set[str] = set()
    for m in CLASSES.finditer(name):
        numerals = [c for c in m.group(0) if c in ROMAN]
        if "—" in m.group(0):
            numerals = list(ROMAN[ROMAN.index(numerals[0]):ROMAN.index(numerals[-1]) + 1])
        out.update(numerals)
    return frozenset(out)


def _same_classes(said: str, best: catalog.Indicator) -> bool:
    """A label naming one water-quality class alone ('Ⅰ类海水比例') names an indicator one of whose
    names speaks of that class alone; a label naming several ('Ⅰ~Ⅱ类', a typo for Ⅰ~Ⅲ perhaps)
    or none is not judged here."""
    classes = _classes(said)
    return len(classes) != 1 or any(_classes(canonical_alias(n)) == classes for n in {best.name_zh, *best.aliases})
