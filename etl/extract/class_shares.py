"""A share after a count named only by water-quality classes: 'Ⅱ类水质断面20个、Ⅲ类2个,占95.7%',
'水质达到Ⅲ类及以上的有17个,占89.5%'. No alias names the count (its classes are written out,
or as a floor), yet together the classes are the good share (Ⅰ–Ⅲ) or the worst (劣Ⅴ); the
words of the sentence before then tell whose share it is (sections, lakes, sources:
cues.toml [indicator_topic]). A class alone below the floor ('Ⅱ类13个,占23.6%') or one outside
Ⅰ–Ⅲ ('Ⅳ类水质断面20个、占5.8%') is a share of its own that no indicator holds."""
from __future__ import annotations

import functools
import re

from etl import catalog

# the class numerals a report writes (Roman, as the NFKC text has them, Arabic or Chinese)
_NUMERAL = {"ⅰ": 1, "ⅱ": 2, "ⅲ": 3, "ⅳ": 4, "ⅴ": 5, "iii": 3, "ii": 2, "iv": 4, "i": 1, "v": 5,
            "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_G = r"(iii|ii|iv|i|v|[ⅰⅱⅲⅳⅴ1-5一二三四五])"
_CLASS = re.compile(rf"(劣\s*)?{_G}\s*类?\s*(?:[—–\-~～至到－]\s*{_G}\s*)?类", re.IGNORECASE)


@functools.cache
def _rules() -> tuple[re.Pattern, str, str]:
    rule = catalog.cues()["class_share"]
    return re.compile(rule["floor_words"]), rule["good"], rule["worst"]


def class_share_alias(counted: str) -> str | None:
    """The catalog alias whose share a count named by `counted` (the words before its number)
    makes, when classes alone name it: the Ⅰ–Ⅲ share, or the 劣Ⅴ one; else None."""
    text = counted.lower()
    classes = list(_CLASS.finditer(text))
    if not classes:
        return None
    floor_words, good, worst = _rules()
    if all(m.group(1) for m in classes):
        return worst if all(_NUMERAL[m.group(2)] == 5 and not m.group(3) for m in classes) else None
    if any(m.group(1) for m in classes):
        return None
    grades: set[int] = set()
    for m in classes:
        low = _NUMERAL[m.group(2)]
        high = _NUMERAL[m.group(3)] if m.group(3) else low
        grades.update(range(low, high + 1))
    if max(grades) != 3:
        return None
    if min(grades) == 1 or len(classes) > 1 or floor_words.search(text):
        return good   # 'Ⅰ~Ⅲ类', '达到Ⅲ类及以上', 'Ⅱ类…、Ⅲ类…' (no Ⅰ class stands apart)
    return None


def classes_named(text: str) -> set[tuple[bool, int, int]]:
    """The classes a text names, each as (worse than it?, lowest grade, highest grade): '劣Ⅴ类' is
    (True, 5, 5), 'Ⅰ~Ⅲ类' (False, 1, 3)."""
    return {(bool(m.group(1)), _NUMERAL[m.group(2)], _NUMERAL[m.group(3)] if m.group(3) else _NUMERAL[m.group(2)])
            for m in _CLASS.finditer(text.lower())}
