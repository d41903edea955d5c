"""Reading numbers as Chinese reports write them.

`parse_number('3,000')`, `parse_number('两千')`, `parse_number('八十')`,
`parse_number('百分之八十')` all give floats; `multiplier('亿')` gives 1e8.
Regular expressions for the forms live here too, so the extractor and the
tests agree on what a number looks like.
"""
from __future__ import annotations

import re

MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 1e4, "亿": 1e8}

# An Arabic number not glued to a Latin letter or digit before it (PM2.5, SO2, COP15
# hold no values), with thousands separators or decimals; nor to a letter after it, unless
# that begins a unit written in Latin letters ('0.7mg/m3', '12ug/m3').
ARABIC = r"(?<![A-Za-z0-9.\-/])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d.]*(?!(?:mg|ug)/)[A-Za-z])"
# A Chinese numeral: digits with 十/百/千 (and 万/亿 inside, as in 三千五百万).
# (with a decimal part after 点 when digits follow it: 百分之八十二点九, 九十四点二; 三个点位 is no number)
CHINESE = r"(?:百分之)?[零〇一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿]*(?:点[零〇一二三四五六七八九]+)?"
MULTIPLIER = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))


def parse_number(text: str) -> float:
    """The value of an Arabic or Chinese numeral as written (no multiplier suffix)."""
    t = text.replace(",", "").replace(" ", "")
    if t.startswith("百分之"):
        return parse_number(t[3:])
    if re.fullmatch(r"[+\-−]?\d+(?:\.\d+)?", t):
        return float(t.replace("−", "-"))
    whole, point, decimals = t.partition("点")
    if point and decimals and all(c in DIGITS for c in decimals):
        # 八十二点九: the digits after 点 are read one by one, as decimals
        return float(_parse_chinese(whole)) + float("0." + "".join(str(DIGITS[c]) for c in decimals))
    return float(_parse_chinese(t))


def _parse_chinese(t: str) -> float:
    if not t or any(c not in DIGITS and c not in SMALL_UNITS and c not in BIG_UNITS for c in t):
        raise ValueError(f"not a Chinese numeral: {t!r}")
    t = t.replace("万万", "亿")  # 四万万 is four hundred million
    # 亿 and 万 split the numeral into sections: 三千五百万 = (三千五百) × 万
    for big, factor in (("亿", 1e8), ("万", 1e4)):
        if big in t:
            head, _, tail = t.partition(big)
            return (_parse_chinese(head) if head else 1) * factor + (_parse_chinese(tail) if tail else 0)
    total, digit = 0, None
    for c in t:
        if c in DIGITS:
            digit = DIGITS[c] if digit is None else digit * 10 + DIGITS[c]  # 二〇二四 read digit by digit
        else:
            total += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
    if digit is not None:
        # 两千五 means 2500: a trailing digit after 千/百 counts one place lower
        last_unit = next((SMALL_UNITS[c] for c in reversed(t) if c in SMALL_UNITS), None)
        total += digit * (last_unit // 10 if last_unit and t[-1] in DIGITS and len(t) > 1 and t[-2] in SMALL_UNITS else 1)
    return total


def multiplier(text: str | None) -> float:
    return MULTIPLIERS.get(text or "", 1.0)


def format_number(value: float) -> str:
    """Shortest decimal form: 3.0 -> '3', 0.1 + 0.2 -> '0.3'."""
    return f"{value:.10g}" if abs(value) < 1e15 else f"{value:.0f}"
