"""A release that opens on a whole year's results keeps that year as its period under review.

'…发布会,发布某省上年环境质量' / '2021年，全省优良天数比例为95.8%…' / … / '今天，邻省发布了2021年9月的
状况': a month named in a later opening paragraph (a reposted item glued below, a detail) is not the
period the release reports on; the paragraphs before it, which opened on the whole year, are."""
from __future__ import annotations

import re

# a paragraph whose first sentence opens on a year with no months after it, and gives a figure
WHOLE_YEAR_OPENING = re.compile(
    r"\s*(?:19|20)\d{2}\s*年度?(?!\s*(?:\d|[一二两三四五六七八九十]|[上下]半|前|第|底|末|初|以来|至|到|[—–\-~～]))"
    r"[^。]*?\d+(?:\.\d+)?\s*(?:%|％|微克|毫克|天)")


def up_to_whole_year(opening: list[str]) -> list[str]:
    """The opening paragraphs up to the first one that opens on a whole year's figures."""
    for i, text in enumerate(opening):
        if WHOLE_YEAR_OPENING.match(text):
            return opening[:i + 1]
    return opening
