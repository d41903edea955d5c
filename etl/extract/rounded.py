"""A headline's round figure beside the exact one: '处罚金额超116亿元' in a title and '罚没款数额总计
116.87亿元' in the text are one value of one indicator, region and period. The figure written with
a qualifier (超/近/约/以上 …) that the exact figure fits (116.87 is over 116) is the same value
rounded for a headline, not a second value: it is dropped. Figures of different scopes are not one
value ('县级城市…消除比例超过80%' beside the rural part's '82.3%')."""
from __future__ import annotations

from etl.extract.scoped import metric_scope
from etl.model import Metric, Paragraph

# how far a rounded figure may stand from the exact one it rounds (a share of the exact value)
_NEAR = 0.05


def _rounds(rounded: Metric, exact: Metric) -> bool:
    a, b = rounded.value, exact.value
    if rounded.qualifier == ">=":
        return a <= b <= a * (1 + _NEAR) + 1e-9
    if rounded.qualifier == "<=":
        return a * (1 - _NEAR) - 1e-9 <= b <= a
    return abs(a - b) <= abs(b) * _NEAR   # '~'


def drop_rounded(metrics: list[Metric], paragraphs: list[Paragraph]) -> list[Metric]:
    """The metrics without the qualified figures that round an exact one of the same key."""
    def key(m: Metric):
        return m.indicator_id, m.region, m.year, m.months, m.kind, metric_scope(m, paragraphs)

    exact: dict[tuple, list[Metric]] = {}
    for m in metrics:
        if m.indicator_id and m.kind in ("actual", "target") and not m.qualifier and m.value_high is None:
            exact.setdefault(key(m), []).append(m)
    return [m for m in metrics
            if not (m.indicator_id and m.qualifier in (">=", "<=", "~") and m.value_high is None
                    and any(_rounds(m, e) for e in exact.get(key(m), ())))]
