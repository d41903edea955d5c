"""Dates written in Chinese numerals, as an issuing body signs a notice at its foot
('二〇二三年五月十日', '二零二一年七月十五日', '二○二二年十二月'): the same date in Arabic digits, so
the readers of Arabic dates (datelines.signed_date) read it too."""
from __future__ import annotations

import re

# each digit of a year written out; 〇, ○ (a circle), 零 and a capital O all stand for zero
_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_DIGIT = "[" + "".join(_DIGITS) + "]"
# a number from 1 to 31 written as words: 五, 十, 十二, 二十, 二十三, 三十一
_SMALL = r"(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
# (the cleaner may have rewritten the year alone: '2023年五月十日')
CHINESE_DATE = re.compile(r"(?<![\u4e00-\u9fff〇○\d])(" + _DIGIT + r"{4}|(?:19|20)\d{2})\s*年\s*(" + _SMALL + r")\s*月"
                          r"(?:\s*(" + _SMALL + r")\s*[日号])?")


def _small(words: str) -> int:
    if "十" not in words:
        return _DIGITS[words]
    tens, _, units = words.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def _arabic(m: re.Match) -> str:
    year = "".join(str(_DIGITS.get(c, c)) for c in m.group(1))
    if not 1900 <= int(year) <= 2099:
        return m.group(0)
    day = f"{_small(m.group(3))}日" if m.group(3) else ""
    return f"{year}年{_small(m.group(2))}月{day}"


def in_arabic_digits(text: str) -> str:
    """The text with every date written in Chinese numerals rewritten in Arabic digits."""
    return CHINESE_DATE.sub(_arabic, text)
