"""A yearly amount told over several years: '十年来共完成人工造林3000万亩', '“十三五”期间,完成造林
1300万亩', '2016—2020年,共争取资金9亿元' sum up years, so they are no one year's figure (an
indicator of yearly scope, such as the year's new afforestation, takes no such value).

The span (cues.toml [kind] years_span) counts when it stands in the value's sentence before it with
no single year, nor 今年/全年, between it and the value ('“十三五”期间…；2020年完成造林…' is 2020's)."""
from __future__ import annotations

from etl.catalog import cue_pattern
from etl.extract.matchers import YEAR_MENTION, canonical_alias


def over_years(text: str, said_from: int, value_start: int) -> bool:
    """Whether the words from `said_from` to the value tell a span of several years for it."""
    spans = list(cue_pattern("kind", "years_span").finditer(text, said_from, value_start))
    if not spans:
        return False
    after = text[spans[-1].end():value_start]
    return not (YEAR_MENTION.search(after) or cue_pattern("kind", "one_year").search(after))


def summed_over_years(text: str, said_from: int, value_start: int, indicator, phrase: str | None, mx) -> bool:
    """A yearly amount (an indicator of scope 'annual' or 'flow', or a phrase that is one's alias: the
    indicator reader leaves such a sum its bare name) told over several years."""
    named = [indicator] if indicator is not None else list(mx.indicators_of_alias.get(canonical_alias(phrase or ""), ()))
    return any(i.scope in ("annual", "flow") for i in named) and over_years(text, said_from, value_start)
