"""The period a page's note gives its figures: '注：以上数据为2021年1月1日至6月30日均值' under a
table, '统计时段：2020年1月1日—9月30日' at the foot. A page that names its year nowhere else (the
body says only '截至6月30日' and compares with 2015) reports on that span: its year is the span's
(both ends in one year) and its months are the whole months the span covers."""
from __future__ import annotations

import functools
import re

from etl import catalog

# a span of days whose first end names its year: '2021年1月1日至6月30日', '2020年1月1日—2020年9月30日'
YEAR_DAY_SPAN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*[至到—–\-~～]\s*"
                           r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# the last day of each month ('6月30日' closes June; 2月 closes on its 28th in any year)
_LAST_DAY = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
# the span follows its cue closely ('以上数据为2016年…', '统计时段：2020年…'), whatever follows in the note
CUE_TO_SPAN = 6


@functools.cache
def _note_cue() -> re.Pattern:
    return re.compile("|".join(map(re.escape, catalog.cues()["year"]["footnote_span"])))


def footnote_period(texts: list[str]) -> tuple[int, str] | None:
    """(year, months) of the one note among texts that dates the figures by a span of whole months
    within one year; None when no note does, or notes disagree."""
    found = set()
    for text in texts:
        for cue in _note_cue().finditer(text):
            m = YEAR_DAY_SPAN.search(text, cue.end(), cue.end() + CUE_TO_SPAN + 40)
            if not m or m.start() - cue.end() > CUE_TO_SPAN:
                continue
            year, m1, d1, m2, d2 = int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(5)), int(m.group(6))
            if m.group(4) and int(m.group(4)) != year:
                continue   # a season across two years ('2020年10月1日至2021年3月31日') has no one year
            if d1 == 1 and 1 <= m1 <= m2 <= 12 and d2 >= _LAST_DAY[m2]:
                found.add((year, f"{m1}-{m2}" if m1 != m2 else str(m1)))
    return found.pop() if len(found) == 1 else None
