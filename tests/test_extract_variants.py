"""Wordings of indicators and units met across many pages (the variation grid,
tests/fixtures/variants_words7): Chinese numerals with decimals, stack-monitoring and Latin
volume units, a line of pollutant codes alone, a figure spaced after its decimal point, norms
quoted beside a level, a name written after its share (etl/extract/trailing_names.py), a count's
name followed straight by its share, and one year's trade beside a running total.

Sentences are written in our own words, read through the real clean -> segment -> context ->
extract stages."""
from __future__ import annotations

import pytest

from etl.clean import clean
from etl.extract.norms import quotes_norm
from etl.text.numbers import parse_number
from tests.reading import read


def levels(metrics):
    return {(m.indicator, m.region, m.kind, round(m.value, 6)) for m in metrics
            if m.kind != "change" and m.indicator_id}


@pytest.mark.parametrize("written, value", [("七十六点三", 76.3), ("百分之五十八点零五", 58.05),
                                            ("零点六", 0.6), ("三百零七", 307.0), ("百分之百", 100.0)])
def test_chinese_numerals_with_a_decimal_part(written, value):
    assert parse_number(written) == pytest.approx(value)


def test_a_share_in_chinese_numerals_with_decimals():
    ms = read("2023年某市生态建设情况。\n2023年,丽水市森林覆盖率为百分之八十一点七。")
    assert ("森林覆盖率", "丽水市", "actual", 81.7) in levels(ms)


def test_a_normal_cubic_metre_and_a_latin_metre_after_yi():
    ms = read("2022年某市环境状况。\n2022年,台州市PM2.5平均浓度为26μg/Nm3,全年用水总量为18.4亿m³。")
    got = levels(ms)
    assert ("PM2.5浓度", "台州市", "actual", 26.0) in got
    assert ("用水总量", "台州市", "actual", 18.4) in got


def test_a_line_of_pollutant_codes_and_concentrations_is_kept():
    text = clean("2021年绍兴市空气质量。\n2021年,全市主要污染物年均浓度如下。\nPM10：47μg/m3；NO2：26μg/m3。\n").text
    assert "PM10" in text and "47" in text
    ms = read("2021年绍兴市空气质量。\n2021年,全市主要污染物年均浓度如下。\nPM10：47μg/m3；NO2：26μg/m3。\n")
    assert {("PM10浓度", "绍兴市", "actual", 47.0), ("二氧化氮浓度", "绍兴市", "actual", 26.0)} <= levels(ms)


def test_a_blank_after_a_decimal_point_is_closed_only_inside_a_figure():
    assert "91.7 %" in clean("水质优良比例为 91. 7 %").text
    assert "1. 全市" in clean("1. 全市优良天数比例为90.2%").text


@pytest.mark.parametrize("before, norm", [("PM2.5年均浓度二级标准限值为", True), ("细颗粒物二级标准为", True),
                                          ("国家标准值：", True), ("达到国家二级标准为", False),
                                          ("PM2.5浓度为", False)])
def test_a_norm_quoted_with_its_copula(before, norm):
    assert quotes_norm(before) is norm


def test_norms_beside_a_level_are_no_levels_of_the_place():
    ms = read("2025年某市3月空气质量。\n3月,宿州市PM2.5浓度为41微克/立方米,比国家二级标准(35微克/立方米)高6微克/立方米。"
              "注:PM2.5二级标准为35微克/立方米。", title="2025年3月宿州市空气质量")
    got = levels(ms)
    assert ("PM2.5浓度", "宿州市", "actual", 41.0) in got
    assert not any(i == "PM2.5浓度" and v in (35.0, 6.0) for i, _, _, v in got)


def test_a_name_written_after_its_share():
    ms = read("2023年某省水环境。\n2023年,衢州市91.2%的断面水质达到或优于Ⅲ类,2.4%的断面为劣Ⅴ类;"
              "全年88.6%的天数空气质量达到优良。")
    got = levels(ms)
    assert ("地表水优良水质断面比例", "衢州市", "actual", 91.2) in got
    assert ("劣Ⅴ类断面比例", "衢州市", "actual", 2.4) in got
    assert ("优良天数比例", "衢州市", "actual", 88.6) in got


def test_a_mark_that_sorts_sections_is_still_no_value():
    ms = read("2023年某省水环境。\n2023年,优良比例低于80%的断面有3个,分布在丽水市。")
    assert not any(v == 80.0 for _, _, _, v in levels(ms))


def test_a_count_of_days_followed_straight_by_its_share():
    ms = read("2024年某市空气质量。\n2024年,湖州市空气质量达到或好于二级标准的天数占87.7%。")
    assert ("优良天数比例", "湖州市", "actual", 87.7) in levels(ms)


def test_one_years_trade_is_no_running_total():
    ms = read("2023年某省碳市场。\n截至2023年底,省内碳市场累计成交量1.9亿吨。全省碳市场2023年成交量2100万吨。",
              title="2023年广东省碳市场运行情况")
    got = levels(ms)
    assert ("碳市场累计成交量", "广东省", "actual", 1.9) in got
    assert not any(i == "碳市场累计成交量" and v == 0.21 for i, _, _, v in got)


def test_each_takes_its_own_share_after_ge_zhan():
    ms = read("2019年某市水质。\n2019年,全市水质以Ⅲ类为主,Ⅳ类、Ⅴ类、劣Ⅴ类水质各占21.3%、6.6%、3.2%。",
              title="2019年常德市环境质量公报")
    got = levels(ms)
    assert ("劣Ⅴ类断面比例", "常德市", "actual", 3.2) in got
    assert not any(i == "劣Ⅴ类断面比例" and v in (21.3, 6.6) for i, _, _, v in got)


def test_a_count_of_good_sections_then_its_share():
    ms = read("2020年某市公报。\n2020年,全市监测断面64个,其中优良水质断面51个,占79.7%。", title="2020年益阳市环境状况公报")
    assert ("地表水优良水质断面比例", "益阳市", "actual", 79.7) in levels(ms)


def test_a_bare_grade_is_no_share_of_the_grade_below_it():
    ms = read("2019年某省海洋。\n2019年,全省近岸海域各类海水点位比例分别为:一类41.0%,二类30.2%,三类9.9%,"
              "四类8.1%,劣四类10.8%。", title="2019年浙江省海洋环境公报")
    got = {(i, v) for i, _, _, v in levels(ms)}
    assert ("近岸海域劣四类水质比例", 10.8) in got and ("近岸海域劣四类水质比例", 8.1) not in got


def test_a_bound_inside_brackets_defines_the_measure_and_sets_no_goal():
    ms = read("2023年某市。\n2023年,全市空气质量优良天数比例(AQI≤100)为88.4%。\n到2025年,全市PM2.5浓度≤28微克/立方米。",
              title="2023年温州市环境状况公报")
    got = {(i, k, v) for i, _, k, v in levels(ms)}
    assert ("优良天数比例", "actual", 88.4) in got
    assert ("PM2.5浓度", "target", 28.0) in got


def test_the_volume_written_before_the_number_is_no_name():
    ms = read("2022年某市。\n2022年,全市PM2.5浓度持续下降,达到每立方米31微克。", title="2022年嘉兴市环境状况公报")
    assert ("PM2.5浓度", "嘉兴市", "actual", 31.0) in levels(ms)


def test_a_spun_worst_grade_is_read_as_the_worst_grade():
    assert clean("差Ⅴ类断面比例为3.0%").text.startswith("劣Ⅴ类")
    assert clean("水质较差,Ⅴ类").text == "水质较差,Ⅴ类"


@pytest.mark.parametrize("written, values", [
    ("同比下降4微克/立方米至27微克/立方米", [(4.0, None), (27.0, None)]),
    ("较上年提高2.2个百分点至91.4%", [(2.2, None), (91.4, None)]),
    ("浓度在30微克/立方米至45微克/立方米之间", [(30.0, 45.0)]),   # a range stays a range
])
def test_a_change_by_one_figure_to_another_is_two_values(written, values):
    from etl.extract.values import find_values
    assert [(v.number, v.number_high) for v in find_values(written)] == values


def test_the_level_a_change_reaches_is_read():
    ms = read("2023年某市。\n2023年,全市PM2.5浓度同比下降4微克/立方米至27微克/立方米,"
              "优良天数比例较上年提高2.2个百分点至91.4%。", title="2023年台州市环境状况公报")
    assert {("PM2.5浓度", "台州市", "actual", 27.0), ("优良天数比例", "台州市", "actual", 91.4)} <= levels(ms)


def test_taiwans_names_and_cubic_metre():
    ms = read("2022年某地空气品质。\n2022年,台湾地区细悬浮微粒(PM2.5)年平均浓度为14.6微克/立方公尺,"
              "悬浮微粒(PM10)年平均值为31.2微克/立方公尺,总悬浮微粒浓度为66微克/立方公尺。", title="2022年台湾空气品质")
    got = {(i, v) for i, _, _, v in levels(ms)}
    assert {("PM2.5浓度", 14.6), ("PM10浓度", 31.2)} <= got
    assert ("PM10浓度", 66.0) not in got   # total suspended particulates are no PM10


def test_the_reports_total_not_their_channels():
    ms = read("2021年5月全国环保举报。\n2021年5月,全国12369环保举报联网管理平台共接到环保举报4.12万件。"
              "本月接到的举报中,受理3.5万件。5月,全国接到的举报中,12369热线电话举报共1.2万件,微信举报2.3万件。",
              title="2021年5月全国环保举报办理情况")
    got = {v for i, _, _, v in levels(ms) if i == "群众信访举报件数"}
    assert got == {4.12}


def test_other_covers_are_no_forest_cover():
    ms = read("2022年某省。\n2022年,全省林木覆盖率为33.8%,森林覆盖率为30.2%,城市建成区绿化覆盖率为41.5%。",
              title="2022年河北省生态环境状况公报")
    assert {v for i, _, _, v in levels(ms) if i == "森林覆盖率"} == {30.2}
