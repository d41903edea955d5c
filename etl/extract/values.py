"""Values: numbers with their units, and bare numbers listed before a unit."""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from etl import catalog
from etl.extract.matchers import matchers
from etl.extract.place_lists import name_start_before
from etl.text.numbers import ARABIC, MULTIPLIER, multiplier, parse_number



@dataclass
class Value:
    start: int
    end: int                  # end of the whole match (unit included)
    number_end: int           # end of value_text
    value_text: str
    number: float             # as written × multiplier
    number_high: float | None
    unit: catalog.Unit | None  # None only for a nought without a unit ('为零')
    unit_text: str
    signed: bool
    qualifier: str
    is_chinese: bool




# the integer part of a number whose decimal point a page lost, glued to the word before it and
# followed by one space ('比例达到86 5%'): the digits after the space are no value of their own
LOST_POINT = re.compile(r"[\u4e00-\u9fff(（]\d{1,3} $")


def find_values(text: str) -> list[Value]:
    """Numbers with units in `text` (simplified script)."""
    mx = matchers()
    out: list[Value] = []
    for m in _matches(text, mx):
        n1, unit_text = m.group("n1"), re.sub(r"\s+", "", m.group("unit") or m.group("u1") or "")
        is_chinese = not n1[0].isdigit()
        if n1.startswith("百分之") and not unit_text:
            unit_text = "%"
        end = m.end()
        if not unit_text:  # '浓度每立方米29微克': the volume written before the number
            per, mass = PER_UNIT.search(text, max(0, m.start() - 6), m.start()), MASS.match(text, m.end("n1"))
            if per and mass and mx.unit_of_spelling.get(f"{mass.group(1)}/{per.group(1)}"):
                unit_text, end = f"{mass.group(1)}/{per.group(1)}", mass.end()
        if not unit_text or (n1.isdigit() and LOST_POINT.search(text, max(0, m.start("n1") - 6), m.start("n1"))):
            continue
        per = PER_UNIT.search(text, max(0, m.start() - 4), m.start())
        if per and mx.unit_of_spelling.get(f"{unit_text}/{per.group(1)}"):
            unit_text = f"{unit_text}/{per.group(1)}"  # '每吨98.12元' is 98.12 元/吨
        unit = mx.unit_of_spelling.get(unit_text)
        mult = m.group("m1")
        has_multiplier = bool(mult) or (is_chinese and n1[-1] in "万亿")  # 三百八十九万个
        if is_chinese and not has_multiplier and unit_text not in mx.chinese_units and not n1.startswith("百分之"):
            continue  # '三个方面': a word, not a value
        if is_chinese and unit_text in mx.chinese_units_from_ten and not re.search("[十百千]", n1):
            continue  # '连续三天': a word
        try:
            number = parse_number(n1) * multiplier(mult)
            high = parse_number(m.group("n2")) * multiplier(m.group("m2") or mult) if m.group("n2") else None
        except (ValueError, OverflowError):
            continue
        if not math.isfinite(number) or (high is not None and not math.isfinite(high)):
            continue  # a number too long to be a measurement
        if m.group("sign"):
            number = -number if m.group("sign") in "-−" else number
        if high is not None and high < number:
            high = None  # '2023-2024' style dashes are not ranges of values
        qualifier = ">=" if (m.group("q1") or m.group("q2")) else ""
        after = mx.after_qualifier.match(text, end)
        if after:
            qualifier = mx.after_kind[after.group(1)]
        number_end = m.end("n1")
        if is_chinese and n1[-1] in "万亿" and len(n1) > 1:
            # '八十万亩': the number as written is 八十, 万 is its multiplier (as in '3.9万件')
            n1 = n1.rstrip("万亿")
            number_end = m.start("n1") + len(n1)
        out.append(Value(m.start("n1"), end, number_end, n1, number, high, unit, unit_text,
                         bool(m.group("sign")), qualifier, is_chinese))
        # bare numbers listed before it share its unit: '11、24、59、35微克/立方米'
        out[-1:-1] = _listed_before(text, m.start(), unit, unit_text, mult, out)
    for m in mx.zero.finditer(text):  # '重污染天数为零': 0 in the unit of the indicator named
        start = m.end() - 1
        if not any(x.start <= start < x.end for x in out):
            out.append(Value(start, m.end(), m.end(), text[start:m.end()], 0.0, None, None, "", False, "",
                             not text[start].isdigit()))
    return sorted(out, key=lambda v: v.start)


def _matches(text: str, mx):
    """The value matches of `text`. A change 'by X to Y' ('同比下降3微克/立方米至29微克/立方米', '提高1.5个
    百分点至88.6%') is two values, the change and the level, not a range: the first number carries its
    own unit, 至/到 follows it, and a change verb stands before it or the two units differ."""
    pos = 0
    while (m := mx.value.search(text, pos)) is not None:
        if (m.group("n2") and m.group("dash") in ("至", "到") and m.group("u1")
                and (_by_change().search(text, max(0, m.start() - 8), m.start())
                     or re.sub(r"\s+", "", m.group("u1")) != re.sub(r"\s+", "", m.group("unit") or ""))):
            first = mx.value.match(text, m.start(), m.start("dash"))
            if first is not None:
                yield first
                pos = m.start("dash")
                continue
        yield m
        pos = max(m.end(), pos + 1)


@functools.cache
def _by_change() -> re.Pattern:
    """A change verb ending right before a number (cues.toml [kind.change_sign]), '了' allowed."""
    words = sorted({w for ws in catalog.cues()["kind"]["change_sign"].values() for w in ws}, key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(map(re.escape, words))})了?\\s*$")


PER_UNIT = re.compile(r"每\s*(吨|千克|公斤|立方米)\s*$")
MASS = re.compile(r"\s*([微毫]克)(?![/每])")
LISTED = re.compile(rf"({ARABIC})\s*(?:{MULTIPLIER})?\s*(?:以上|以下|左右)?\s*[、和]\s*$")


def _listed_before(text: str, start: int, unit, unit_text: str, mult: str | None, found: list[Value]) -> list[Value]:
    listed = []
    pos = start
    floor = found[-2].end if len(found) > 1 else 0
    while True:
        head = name_start_before(text, pos, floor)   # '合肥38、芜湖33、黄山16微克': a place before each number
        m = LISTED.search(text, max(floor, head - 40), head)
        if not m or m.end() != head:
            break
        number = parse_number(m.group(1)) * multiplier(mult)
        listed.insert(0, Value(m.start(1), m.end(1), m.end(1), m.group(1), number, None, unit, unit_text, False, "", False))
        pos = m.start()
    return listed




def written_unit(text: str, v: Value) -> str:
    mult = re.search(f"(?:{MULTIPLIER})", text[v.number_end:v.end])
    return (mult.group(0) if mult else "") + (v.unit.unit if v.unit else v.unit_text)


def multiplier_of_unit(v: Value) -> float:
    """Values outside the catalog keep the multiplier in their unit (33万个 stays 33, '万个')."""
    return v.number / parse_number(v.value_text) if v.value_text and parse_number(v.value_text) else 1.0


# a share whose per cent sign the page lost: '优良率达82.6,其中…' (a number with decimals, then
# the clause ends), read right after a name of an indicator in per cent
BARE_SHARE = re.compile(r"\s*(?:为|达到|达|是)\s*(\d{1,3}\.\d{1,2})(?=\s*(?:[,，;；。]|$))")


def bare_shares(text: str, name_ends: list[int], found: list[Value]) -> list[Value]:
    """Numbers without a unit right after the end of a per-cent indicator's name (name_ends),
    read as per cent when the page dropped the sign; none where a value already stands."""
    percent = catalog.unit_by_name()["%"]
    out = []
    for end in name_ends:
        m = BARE_SHARE.match(text, end)
        if not m or any(v.start <= m.start(1) < v.end for v in found) or float(m.group(1)) > 100:
            continue
        out.append(Value(m.start(1), m.end(1), m.end(1), m.group(1), float(m.group(1)), None, percent, "%",
                         False, "", False))
    return out

