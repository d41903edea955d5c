"""The page's date where only its label tells it: '发布时间：2023-06-08' inside a line the scrape
flattened with the headline and the first sentences, which datelines.dateline (short lines only)
does not read. Only a publication label counts (cues.toml [dateline] publication_labels): a date
the text names is an event's, not the page's."""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.extract.datelines import DATE, iso_date

HEAD_LINES = 3   # the page's first lines: a label further down belongs to a related link or a footer


@functools.cache
def _labelled_date() -> re.Pattern:
    labels = "|".join(map(re.escape, catalog.cues()["dateline"]["publication_labels"]))
    return re.compile(r"(?:" + labels + r")\s*[:：]?\s*" + DATE.pattern)


def labelled_date(head: list[str]) -> str | None:
    """ISO date after a publication label in the first lines, else None."""
    for line in head[:HEAD_LINES]:
        if m := _labelled_date().search(line):
            return iso_date(re.search(DATE.pattern, m.group(0)))
    return None
