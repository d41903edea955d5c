"""The one normaliser: full width to ASCII, traditional to simplified script (same length), the
script a text is written in. Every part of the project that compares Chinese text uses these.
"""
from __future__ import annotations

import functools
import operator
import re
import unicodedata

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")  # with the extension planes


# --- character-level normalisation -------------------------------------------------

_ROMAN_NUMERALS = range(0x2160, 0x2190)  # Ⅰ…Ⅻ stay: water grades are written with them


# ... but a page lower-cased by its scraper writes them small ('ⅰ~ⅲ类', '劣ⅴ类'): they become the
# capitals every grade is written with, one for one
_SMALL_ROMAN_NUMERALS = range(0x2170, 0x2180)


@functools.lru_cache(maxsize=None)
def _nfkc_char(ch: str) -> str:
    if ord(ch) in _SMALL_ROMAN_NUMERALS:
        return chr(ord(ch) - 0x10)
    if ord(ch) < 128 or ord(ch) in _ROMAN_NUMERALS:
        return ch
    out = unicodedata.normalize("NFKC", ch)
    return out if len(out) == 1 else ch


# dashes that NFKC leaves as they are, though pages write them for the ones every pattern knows:
# a horizontal bar or a minus sign in a month range ('1―4月', '1−4月'), a hyphen, a wave dash
# ('1〜4月'); the minus sign of a table's change column ('−6.8%') is a minus too
_DASHES = {"\u2015": "—", "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u301c": "~"}


# a year written in Chinese digits, as official documents date themselves ('二〇二三年', '二○一七年九月份'):
# four digits before 年, written as Arabic ones (one character for one)
_CHINESE_YEAR = re.compile(r"[一二三四五六七八九〇○零O]{4}(?=\s*年)")
_CHINESE_DIGITS = str.maketrans("〇○零O一二三四五六七八九", "0000123456789")


def normalise_width(text: str) -> str:
    """Full-width digits, letters and signs to ASCII, small Roman numerals to capitals, dash
    variants to the dashes the patterns know, years in Chinese digits to Arabic ones, one
    character for one."""
    table = {ord(c): n for c in set(text) if (n := _DASHES.get(c) or _nfkc_char(c)) != c}
    text = text.translate(table) if table else text
    if "年" in text:
        text = _CHINESE_YEAR.sub(_year_digits, text)
    return text


def _year_digits(m: re.Match) -> str:
    digits = m.group(0).translate(_CHINESE_DIGITS)
    return digits if digits[:2] in ("19", "20") else m.group(0)   # ('一二三四年' is no year)


@functools.cache
def _t2s():
    import opencc  # imported lazily: worker processes pay for it once
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=200_000)
def _t2s_char(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


# variant forms OpenCC's t2s leaves as they are, though Hong Kong and Taiwan pages write them for
# the simplified character: 陜西 (Shaanxi) is 陕西
_VARIANTS = str.maketrans({"陜": "陕"})


def to_simplified(text: str) -> str:
    """Traditional -> simplified, guaranteed the same length (offsets stay valid)."""
    if not CJK.search(text):
        return text
    out = _t2s().convert(text)
    if len(out) != len(text):
        out = "".join(_t2s_char(c) for c in text)  # a phrase conversion changed the length
    return out.translate(_VARIANTS)


def detect_script(text: str, simplified: str) -> str:
    if text == simplified:
        return "simplified"
    cjk = len(CJK.findall(text))
    changed = sum(map(operator.ne, text, simplified))
    share = changed / max(cjk, 1)
    return "traditional" if share > 0.03 else "mixed" if share > 0.005 else "simplified"


def warm_up() -> None:
    """Load OpenCC's dictionaries now (the build does it before forking its workers)."""
    _t2s()
