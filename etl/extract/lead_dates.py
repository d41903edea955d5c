"""The day a page's text opens on, for a page that prints no dateline: a release that starts
'2023年5月16日，市生态环境局召开新闻发布会，通报…' was written on or after that day, so its
'今年' and its bare '1至4月' are of that day's year."""
from __future__ import annotations

import re

from etl.extract.datelines import DATE, iso_date

# a full date opening a paragraph, then a comma: the day the event told of took place
OPENING_DATE = re.compile(r"\s*(?:[(（【\[]?[\u4e00-\u9fff]{0,8}[)）】\]]?\s*)?" + DATE.pattern + r"\s*[,，]")
LEAD_PARAGRAPHS = 3   # the opening paragraphs below the title


def lead_date(paragraphs: list[str]) -> str | None:
    """ISO date of the first of the opening paragraphs that starts on a full date, else None."""
    for text in paragraphs[:LEAD_PARAGRAPHS]:
        if m := OPENING_DATE.match(text):
            return iso_date(re.search(DATE.pattern, m.group(0)))
    return None
