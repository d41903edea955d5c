"""The country named as a yardstick on a local page ('高于全国平均水平', '在全国168个重点城市中排名
第9', '全国…平均优良天数比例为80.0%,我市高出6.8个百分点') says nothing of whose figures the page
gives: such a mention does not make a city's or a county's page national (cues.toml
region.national_yardstick_before / _after). The country's own page names it as its subject too,
so it stays national."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.catalog.gazetteer import RegionMention, ancestor


@functools.cache
def _cues() -> tuple[re.Pattern, re.Pattern]:
    region = catalog.cues()["region"]
    return (re.compile(f"(?:{region['national_yardstick_before']})$"),
            re.compile(region["national_yardstick_after"]))


def is_yardstick(text: str, r: RegionMention, after_too: bool = True) -> bool:
    """True when the country mention r in text is a yardstick a local figure is set against: by the
    words before it, and (after_too) by a ranking or an average after it, which a title does not
    tell ('贵阳第六!全国重点城市空气质量排名出炉' is the country's ranking)."""
    if r.level != "country":
        return False
    before, after = _cues()
    return bool(before.search(text, max(0, r.start - 8), r.start) or (after_too and after.match(text, r.end)))


def not_national(national_mentions: int, national_title: bool, texts: list[str], china: re.Pattern,
                 places: list[RegionMention]) -> bool:
    """A page that names places of one province only and never the country (nor 中国, nor in its
    title), once the yardsticks are set aside, is not national: whose figures it gives it does not
    say (a city's complaints page listing its districts, a county's notice comparing itself with the
    country). A page naming places across provinces may be the country's ('338个城市…', '生态环境部…'),
    and so may one naming a single partner."""
    provinces = {p.code for r in places if (p := ancestor(r.code, ("province",)))}
    # (two places below a province at least: a national summary may name one partner, '联合某省政府…')
    below = {r.name for r in places if r.level in ("prefecture", "county")}
    return (len(provinces) <= 1 and len(below) >= 2 and not national_mentions and not national_title
            and not any(china.search(t) for t in texts))
