"""A headline's round figure beside the exact one: '处罚金额超116亿元' in a title and '罚没款数额总计
116.87亿元' in the text are one value of one indicator, region and period. The figure written with
a qualifier (超/近/约/以上 …) that the exact figure fits (116.87 is over 116) is the same value
rounded for a headline, not a second value: it is dropped. So is a figure written with fewer
digits that the exact one rounds to ('举报8.8万件' in a title beside '共接到举报88131件'; '比例为82%'
beside '82.0%'): the exact one is kept, with its sentence. Figures of different scopes are not one
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


def _step(m: Metric) -> float | None:
    """The value of the last digit written, in the catalog unit ('8.8' of 8.8万件: 0.1; '88131' of
    8.8131万件: 0.0001); None for a figure not written in Arabic digits."""
    written = m.value_text.replace(",", "").replace("，", "").strip()
    try:
        number = float(written)
    except ValueError:
        return None
    if number == 0 or m.value == 0:
        return None
    decimals = len(written.split(".")[1]) if "." in written else 0
    return 10 ** -decimals * abs(m.value / number)


def _rounded_to(rounded: Metric, exact: Metric) -> bool:
    """`rounded` is `exact` written with fewer digits (both unqualified)."""
    coarse, fine = _step(rounded), _step(exact)
    return (coarse is not None and fine is not None and coarse > fine * 1.5
            and abs(rounded.value - exact.value) <= coarse / 2 + fine / 2 + 1e-9)


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
                    and any(_rounds(m, e) for e in exact.get(key(m), ())))
            and not (m.indicator_id and not m.qualifier and m.value_high is None
                     and any(_rounded_to(m, e) for e in exact.get(key(m), ()) if e is not m))]
