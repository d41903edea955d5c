"""Years written without 年 before the name of a report: '发布《2023中国生态环境状况公报》'.

The reader's year patterns need 年 ('2023年'); a report's name often goes without it, and the
sentences after it ('公报显示,…') speak of the year the report reviews, not of the day it came out
('2025年6月4日,…发布'). etl.extract.periods.year_mentions reads these beside the years written
with 年 (etl.extract.document_fallback lends a page's one year to values that name none).
"""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.extract.datelines import YEAR

__all__ = ["bare_report_years"]


@functools.cache
def _bare_report_year() -> re.Pattern:
    """A year with no 年, then within a few characters a report's name (cues.toml
    [document_fallback] report_names)."""
    reports = "|".join(map(re.escape, catalog.cues()["document_fallback"]["report_names"]))
    return re.compile(r"(?<!\d)" + YEAR + r"(?![\d年])(?=\s*[\u4e00-\u9fff])[^。\n\d，,；;:：《》]{0,20}?(?:" + reports + ")")


def bare_report_years(text: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of each year written without 年 before the name of a report
    ('《2023中国生态环境状况公报》'): the year that report reviews, for the sentences after it
    ('公报显示,…'), rather than the date it came out ('2024年6月5日,…发布').
    (etl.extract.periods.year_mentions reads them beside the years written with 年.)"""
    return [(m.start(1), m.end(1), int(m.group(1))) for m in _bare_report_year().finditer(text)]
