"""A change told twice: '同比下降9.5%(2微克/立方米)' gives the fall in percent and then, in brackets,
the same fall in the indicator's own unit. The bracketed figure is a change like the one before
it, not a level of the indicator (a page's mean of 19 is not 2). (Were the bracket the base period's
level, it would not be the value's own period's level either: it is never read as that.)"""
from __future__ import annotations

import re

# what stands between a share and the bracketed figure: the bracket alone
BRACKET_OPENS = re.compile(r"\s*[(（]")
# how far before the share the change word may stand ('同比下降9.5%', '比上年降低了12.3%')
CHANGE_WINDOW = 12


def restates_change(text: str, start: int, value_starts: list[int], value_ends: list[int], mx) -> bool:
    """The value at `start` opens a bracket right after a change in percent ('下降9.5%(2微克/立方米)')."""
    if text[max(0, start - 1):start] not in ("(", "（"):
        return False
    before = [(s, e) for s, e in zip(value_starts, value_ends) if e < start]
    if not before or text[before[-1][1] - 1] not in "%％" or not BRACKET_OPENS.fullmatch(text, before[-1][1], start):
        return False
    changes = list(mx.change.finditer(text, max(0, before[-1][0] - CHANGE_WINDOW), before[-1][0]))
    return bool(changes) and not mx.level_after_change.match(text, changes[-1].end())
