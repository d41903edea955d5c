"""A repost's note of the headline it took the text from: '原标题:2017年3月及第一季度某市环境空气质量状况
通报' on a line of its own, often at the foot of a page whose excerpt opens on the first sentence. When
the page shows no headline above its text, that note is its headline (what the release is about,
its periods: a month and the quarter to it), not the first sentence cut to a headline's length."""
from __future__ import annotations

import re

# the note on a line of its own, in brackets or not ('(原标题:…)', '原标题：…')
ORIGINAL_TITLE = re.compile(r"\s*[(（]?\s*原标题\s*[:：]\s*(\S.{2,78}?)\s*[)）]?\s*")


def original_title(paragraphs: list) -> tuple[int, str] | None:
    """(index, headline) of the page's '原标题:' line, if it has one (the first)."""
    for i, p in enumerate(paragraphs):
        if m := ORIGINAL_TITLE.fullmatch(p.text):
            return i, m.group(1)
    return None
