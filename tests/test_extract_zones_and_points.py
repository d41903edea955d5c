"""Two prose forms of the ninth session's W pages, in own-words fixtures: a province's named zones
(north/south parts, a quoted dash-joined group of cities) are parts, not the province; and an
ideographic full stop between digits before a unit is a decimal point left by a converter."""
from __future__ import annotations

from tests.reading import levels, read

REGION = "新疆维吾尔自治区2019年10月环境空气质量状况\n"


def test_a_named_northern_or_southern_zone_of_the_region_is_not_the_region():
    ms = read(REGION + "2019年10月,全区19个城市平均优良天数比例为80.2%。北疆12城市平均优良天数比例为95.1%,"
                       "南疆和东疆7城市平均优良天数比例为60.3%。")
    assert [v for i, r, y, mo, v in levels(ms, "优良天数比例") if r] == [80.2]


def test_a_quoted_zone_of_dash_joined_city_names_is_not_the_region():
    ms = read("新疆维吾尔自治区2019年环境空气质量\n2019年,“甲-乙-丙”区域5市3县优良天数比例为70.4%,"
              "重污染天数比例为9.5%;“丁-戊”区域优良天数比例为81.0%。")
    assert [lv for lv in levels(ms) if lv[1]] == []


def test_an_ideographic_full_stop_between_digits_before_a_per_cent_is_a_decimal_point():
    ms = read("某市2021年环境质量\n2021年,某市空气质量优良天数比率为88。4%,森林覆盖率为41%。")
    assert ("优良天数比例", 88.4) in [(i, v) for i, r, y, mo, v in levels(ms)]
    # a sentence that ends on a figure is still a sentence end before a word
    ms = read("某市2021年环境质量\n2021年,全市监测断面共32个。优良天数比率为88.4%。")
    assert [v for i, r, y, mo, v in levels(ms, "优良天数比例")] == [88.4]
