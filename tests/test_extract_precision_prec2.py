"""Extract stage, precision on monthly, quarterly and year-to-date air and water releases (helper
prec2, round 9): each case reproduces, in our own words, a layout seen on fresh provincial and
city pages, read through clean -> segment -> context -> extract."""
from __future__ import annotations

from tests.reading import levels, read


def test_a_mean_over_several_years_compared_against_names_no_whole_year():
    # a province's year-to-date note compares each area with its three-year mean ('较三年均值…'):
    # the 年均 inside 三年均值 is no yearly mean, so the next area in the sentence keeps 1-4
    text = ("某省日报 2022年05月26日\n"
            "今年1至4月,某省甲地区优良天数率为86.1%,同比上升2.2个百分点,较三年均值上升1.9个百分点;"
            "乙地区优良天数率为80.4%,同比上升6.3个百分点,较三年均值上升5.0个百分点;"
            "丙地区优良天数率为92.7%,同比上升4.4个百分点,较三年平均上升3.1个百分点。\n")
    assert {(v, m) for _, _, _, m, v in levels(read(text), "优良天数比例")} == {
        (86.1, "1-4"), (80.4, "1-4"), (92.7, "1-4")}


def test_a_year_written_before_its_mean_still_names_the_whole_year():
    # '2021年均值' and '年均浓度' keep naming the year's mean: only a count of years is set apart
    text = "2021年,乐山市PM2.5年均浓度为31微克/立方米,较2020年均值下降3微克/立方米。\n"
    assert levels(read(text), "PM2.5浓度") == [("PM2.5浓度", "乐山市", 2021, "1-12", 31)]
