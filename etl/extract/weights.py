"""A share that weighs a criterion of a ranking is no level: '按照PM2.5浓度、PM2.5改善率和优良天数比率
排名位次数值分别占30%、30%和40%的权重进行排名' says how districts are ranked; 40% is not the good-air
share of anywhere. The value is a percentage that the word 权重 follows, after the rest of its list
(cues.toml [weight_share])."""
from __future__ import annotations

import functools
import re

from etl import catalog


@functools.cache
def _after() -> re.Pattern:
    return re.compile(catalog.cues()["weight_share"]["after"])


def is_weight(text: str, value_end: int, unit_text: str) -> bool:
    """The value ending at value_end (its unit as written) is a ranking criterion's weight."""
    return unit_text in ("%", "％") and bool(_after().match(text, value_end))
