"""A rate named again by the tail of its name: '…农村生活污水治理率达到40%,…(年度治理率目标为35%)',
'…固体废物综合利用率为92%,利用率目标为90%'. The clause's label, once its year and its goal word
are set aside, is a short rate word (治理率, 利用率) that ends a name said earlier in the same
sentence part; it names that indicator. A semicolon ends the reach: what follows it may count
another thing with a rate of the same word ('…;黑臭水体…,治理率达到24%')."""
from __future__ import annotations

import re

from etl import catalog
from etl.extract.matchers import YEAR_MENTION

__all__ = ["tail_label", "named_by_tail"]


def tail_label(prefix: str) -> str | None:
    """The short rate word a clause's label is, or None ('年度治理率目标为' -> '治理率')."""
    label = re.sub(r"[\s,，、:：(（]", "", YEAR_MENTION.sub("", prefix))
    label = catalog.cue_pattern("link", "short_tail", "around").sub("", label)
    return label if catalog.cue_pattern("link", "short_tail", "label").fullmatch(label) else None


def named_by_tail(text: str, label: str, mentions: list, value_start: int):
    """The latest mention before the value whose name ends on `label` (not the label itself),
    with no semicolon between them."""
    for m in reversed(mentions):
        if m.end > value_start:
            continue
        if re.search(r"[;；。]", text[m.end:value_start]):
            return None
        if m.alias.endswith(label) and m.alias != label:
            return m
    return None
