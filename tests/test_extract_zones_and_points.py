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


def test_a_newspaper_page_named_after_the_national_assemblies_is_no_label_of_the_country():
    ms = read("青海日报\n2019年03月06日\n第03版:全国两会特刊\n\n省环保厅发布 12个城市2月份空气质量排名\n\n"
              "2月份,全省12个城市PM2.5月均浓度值为38微克/立方米,同比下降12.0%。其余9个城市同比下降,"
              "下降幅度较大的有:海东市下降30.5%,西宁市下降21.5%。PM10月均浓度值为85μg/m3,同比下降7.0%。",
              )
    assert ("PM10浓度", "青海省", 85.0) in [(i, r, v) for i, r, y, mo, v in levels(ms)]


def test_a_province_s_cities_at_prefecture_level_and_above_are_the_province_s():
    ms = read("某网2022年9月报道\n2021年辽宁省地级及以上城市空气质量优良天数比例为88.7%,累计发生重污染天数12天。")
    assert {r for i, r, y, mo, v in levels(ms)} == {"辽宁省"}


def test_the_network_s_bare_name_as_a_water_indicator_s_scope_is_no_national_place():
    ms = read("到2030年全省生态环境目标\n发布日期:2028-05-10\n到2030年,全省河流水质优良比例达到60%,"
              "地级及以上城市集中式饮用水水源地水质优良比例达到97.5%。森林覆盖率达到45%以上。",
              title="吉林省到2030年生态环境保护目标")
    assert "全国" not in {r for i, r, y, mo, v in levels(ms)}
    assert ("森林覆盖率", "吉林省", 45.0) in [(i, r, v) for i, r, y, mo, v in levels(ms)]
