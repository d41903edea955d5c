"""Counts of days of one grade of the air-quality index.

'优良天数为29天(优的天数11天,良的天数18天)' and '空气质量12天优,16天良' count the days of
one grade: they are neither the good days (优 and 良 together) nor any other catalog indicator, so
a value so named is not given one by a guess (a half-name joined with the clause before, a near
name, an indicator named earlier). The grade words are cues.toml [link] one_grade."""
from __future__ import annotations

import functools
import re

from etl import catalog


@functools.cache
def _grade() -> str:
    return "(?:" + "|".join(catalog.cues()["link"]["one_grade"]) + ")"


@functools.cache
def _named_before() -> re.Pattern:
    # '良的天数', '优天数', '空气质量优', '空气质量优级天数' as all a clause says before its count
    return re.compile(r"\s*(?:(?:环境)?空气(?:质量)?)?\s*" + _grade() + r"\s*级?\s*的?\s*(?:天数|天)?\s*(?:为|是|有|共|达)?\s*")


@functools.cache
def _named_after() -> re.Pattern:
    # '12天优,', '16天良。': the grade right after the count, and nothing more of a name
    return re.compile(r"\s*" + _grade() + r"(?=\s*(?:[,，、;；。)）]|$))")


def of_one_grade(words_before: str, text: str, value_end: int) -> bool:
    """Whether a value names the days of one grade: by all the words its clause gives before
    it, or by the grade written right after it."""
    return bool(_named_before().fullmatch(words_before) or _named_after().match(text, value_end))
