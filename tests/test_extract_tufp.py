"""False positives seen on real pages of the scored sets T and U (fixtures in own words)."""
from __future__ import annotations

from tests.reading import levels, read


def test_a_standard_quoted_in_brackets_names_no_whole_year():
    # a provincial half-year bulletin gives each pollutant's mean and, in brackets, the yearly
    # standard it is held against ('(年均值二级标准为…)'): the 年均值 of the note is the
    # standard's averaging time, so the pollutants after it keep the half year
    text = ("2016年上半年,某省各市二氧化硫平均浓度在6~21微克/立方米之间,平均为13微克/立方米"
            "(年均值二级标准为60微克/立方米),较去年同期下降7.1%;二氧化氮平均浓度在15~47微克/立方米之间,"
            "平均为27微克/立方米(年均值二级标准为40微克/立方米),较去年同期下降3.6%;细颗粒物平均浓度"
            "在25~44微克/立方米之间,平均为33微克/立方米(年均值二级标准为35微克/立方米)。\n")
    got = {(i, m, v) for i, _, _, m, v in levels(read(text))}
    assert ("二氧化氮浓度", "1-6", 27) in got and ("PM2.5浓度", "1-6", 33) in got
    assert not any(m == "1-12" for _, m, _ in got)


def test_a_yearly_mean_outside_a_standard_note_still_names_the_year():
    # a plain yearly mean before such a note stays the year's
    text = "2021年上半年,乐山市空气质量总体稳定。2021年,乐山市PM2.5年均浓度为29微克/立方米(国家二级标准为35微克/立方米)。\n"
    assert levels(read(text), "PM2.5浓度") == [("PM2.5浓度", "乐山市", 2021, "1-12", 29)]
