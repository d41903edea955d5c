"""The document's own region from the one place its tables label a row with.

A county's monthly report scraped without its masthead often names no place in its text: it
speaks of 全县/城区, and only a table row carries the county, by its bare name ('甲山 | 3.85 |
20.3 |', the county's own row of a ranking against its past; or, one cell a line, '甲山 |' over '3.85 |'). The context stage asks here only
when the text speaks of itself and names no place at all.
"""
from __future__ import annotations

import re
from collections import Counter

from etl.catalog import gazetteer

Region = tuple[str, str, str, str]   # name, code, level, how it was decided

CELL_SPLIT = re.compile(r"\s*[|｜\t]\s*")
BARE_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
NUMBER = re.compile(r"[+\-−]?\d+(?:\.\d+)?%?")
# the self word's suffix -> the level of the place a bare name is then read as
SUFFIX_LEVEL = {"县": "county", "市": "prefecture"}


def tabled_own_region(texts: list[str], self_words: Counter) -> Region | None:
    """The one place the table rows of `texts` label with a bare name ('甲山' for 甲山县), read
    with the suffix of the words the text speaks of itself with (全县: 县); None when the
    text speaks of itself with no such word or its tables label no place, or several."""
    suffixes = {s for s in SUFFIX_LEVEL if any(s in w for w in self_words)}
    if len(suffixes) != 1:
        return None
    suffix = suffixes.pop()
    found = {}
    for k, text in enumerate(texts):
        cells = [c.strip() for c in CELL_SPLIT.split(text)]
        lone = [c for c in cells if c]
        if len(lone) == 1 and k + 1 < len(texts) and NUMBER.fullmatch(texts[k + 1].strip().strip("|｜").strip()):
            cells = lone   # a table one cell a line: '沙洋 |' over '3.99 |'
        elif len(cells) < 3 or not any(NUMBER.fullmatch(c) for c in cells):
            continue   # not a table row with figures
        for cell in cells:
            if not BARE_NAME.fullmatch(cell) or gazetteer.find_regions(cell):
                continue
            whole = [r for r in gazetteer.find_regions(cell + suffix)
                     if r.start == 0 and r.end == len(cell) + 1 and r.code]
            found.update({r.code: r for r in whole})
    if len(found) != 1:
        return None
    r = next(iter(found.values()))
    if suffix == "县" and r.level != "county":
        return None
    return r.name, r.code, r.level, "default"
