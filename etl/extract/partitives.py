"""Sentences that turn to the parts of the whole just reported.

'全市PM2.5平均浓度为24微克/立方米。各县区中，甲县为18微克/立方米，乙县为21微克/立方米。':
the second sentence names no indicator; it opens on a partitive phrase (其中, 各县区中,
16个城市中, 分区域看 …: cues.toml [inherit] part_openers) and goes on speaking of the
indicator of the sentence before, place by place."""
from __future__ import annotations

import functools
import re

from etl import catalog


@functools.cache
def _openers() -> re.Pattern:
    return re.compile(r"\s*(?:" + "|".join(catalog.cues()["inherit"]["part_openers"]) + ")")


def opens_on_part(sentence_text: str) -> bool:
    """Whether a sentence opens on a phrase turning to the parts of the whole before it."""
    return bool(_openers().match(sentence_text))
