"""A page whose excerpt opens on its first sentence, with no headline above it, may restate its
headline at the foot ('原标题:2017年3月及第一季度某市环境空气质量状况通报', a repost's credit line):
that line is the page's title, and announces the periods the page reports on."""
from __future__ import annotations

import re

RESTATED = re.compile(r"^\s*原标题\s*[:：]\s*(\S.{3,80}?)\s*$")


def restated_title(paragraphs: list, title_at: int | None, title: str | None,
                   hint: str | None = None) -> tuple[int | None, str | None]:
    """(where, the headline): the hint, else the headline found above the text, else (-1, the
    restated headline) when a line of the page gives one, else what was found."""
    if hint or title_at is not None:
        return title_at, hint or title
    for p in paragraphs:
        if m := RESTATED.match(p.simplified):
            return -1, m.group(1)
    return title_at, title
