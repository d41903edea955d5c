"""Lists and layouts: values listed member by member, paired with the right year or region,
and sentences of hard-wrapped text read whole. Sentences in the style of real bulletins,
written for these tests, read through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.segment import segment
from tests.reading import read


def rows(metrics, indicator):
    return sorted((m.region, m.year, m.months, m.kind, m.value) for m in metrics if m.indicator == indicator)


def test_a_year_range_pairs_each_listed_value_with_its_year():
    ms = read("某市2022年生态环境状况公报\n2019年至2022年，某市细颗粒物（PM2.5）年均浓度分别为36、33、30、29微克/立方米，逐年下降。\n")
    assert [(y, v) for _, y, _, _, v in rows(ms, "PM2.5浓度")] == [(2019, 36), (2020, 33), (2021, 30), (2022, 29)]


def test_a_list_of_years_pairs_each_listed_value_with_its_year():
    ms = read("某市2022年生态环境状况公报\n全市优良天数比例2021年、2022年分别为84.1%和86.3%。\n")
    assert [(y, v) for _, y, _, _, v in rows(ms, "优良天数比例")] == [(2021, 84.1), (2022, 86.3)]


def test_a_year_range_whose_length_differs_from_the_list_pairs_nothing_by_year():
    ms = read("2018—2022年，全市PM2.5年均浓度分别为40、35微克/立方米。\n")
    assert all(m.year not in (2018, 2019) for m in ms if m.indicator == "PM2.5浓度")


def test_a_ranking_pairs_values_with_the_enumerated_cities_not_the_grouping_named_before():
    ms = read("2023年10月，京津冀及周边地区“2+26”城市PM2.5平均浓度为45微克/立方米。"
              "“2+26”城市中浓度最低的3个城市依次是北京、廊坊和衡水，分别为31、36和38微克/立方米。\n")
    got = {r: v for r, y, mo, k, v in rows(ms, "PM2.5浓度")}
    assert got == {"京津冀及周边地区": 45, "北京市": 31, "廊坊市": 36, "衡水市": 38}


def test_an_enumeration_one_short_of_the_values_pairs_no_region():
    # one city of the three is not recognised: no value may be given to the wrong city
    ms = read("2023年10月，“2+26”城市中浓度最低的3个城市依次是北京、廊坊和某某，分别为31、36和38微克/立方米。\n")
    assert not [m for m in ms if m.region == "北京市" and m.value != 31]


def test_a_sentence_opening_on_the_head_noun_goes_on_with_the_indicator_just_named():
    ms = read("2023年10月，长三角地区PM2.5浓度范围为18~52微克/立方米，平均为33微克/立方米。"
              "浓度最低的3个城市是舟山、丽水和黄山，分别为18微克/立方米、21微克/立方米和22微克/立方米。\n")
    got = {r: v for r, y, mo, k, v in rows(ms, "PM2.5浓度")}
    assert got == {"长三角地区": 33, "舟山市": 18, "丽水市": 21, "黄山市": 22}


def test_a_season_across_two_years_gives_its_values_no_wrong_year():
    ms = read("2023年10月至2024年3月，京津冀及周边地区PM2.5平均浓度为56微克/立方米，同比下降3.1%。\n"
              "2023—2024年秋冬季，汾渭平原PM2.5平均浓度为62微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == []


def test_a_hard_wrapped_sentence_is_read_whole():
    ms = read("2023年某市环境质量公报\n"
              "2023年，某市环境空气质量总体保持稳定，全市优良天数比例为\n"
              "88.2%，细颗粒物（PM2.5）年均浓度为31微克/立方米，可吸入颗\n"
              "粒物（PM10）年均浓度为52微克/立方米，二氧化氮年均浓度为\n"
              "- 2 -\n"
              "2023年某市环境质量公报\n"
              "24微克/立方米。\n")
    assert [v for *_, v in rows(ms, "优良天数比例")] == [88.2]
    assert [v for *_, v in rows(ms, "PM10浓度")] == [52]
    assert [v for *_, v in rows(ms, "二氧化氮浓度")] == [24]


def test_a_long_line_is_not_cut_at_a_semicolon_that_shares_the_sentence_period():
    first = ("9月，全省14个设区城市平均优良天数比例为92.8%，同比上升1.9个百分点；PM2.5平均浓度为17微克/立方米，"
             "同比下降5.6%；PM10平均浓度为35微克/立方米，同比下降7.9%；臭氧平均浓度为128微克/立方米，同比上升"
             "2.4%；二氧化硫平均浓度为8微克/立方米，同比持平；二氧化氮平均浓度为15微克/立方米，同比下降6.3%。")
    second = ("1—9月，全省平均优良天数比例为84.6%，同比上升0.8个百分点；PM2.5平均浓度为29微克/立方米，同比下降"
              "3.3%；PM10平均浓度为52微克/立方米，同比下降5.5%；臭氧平均浓度为151微克/立方米，同比上升1.3%；"
              "二氧化氮平均浓度为21微克/立方米，同比下降4.5%。")
    ms = read("某省2024年9月和1—9月环境空气质量状况：" + first + second + "\n")
    assert {m.months for m in ms if m.indicator == "PM10浓度" and m.kind == "actual"} == {"9", "1-9"}
    assert {(m.months, m.value) for m in ms if m.indicator == "二氧化氮浓度" and m.kind == "actual"} == {("9", 15), ("1-9", 21)}


def test_a_document_on_a_season_lends_no_year_to_values_that_name_none():
    ms = read("生态环境部通报了重点区域2023—2024年秋冬季空气质量目标完成情况。2023年10月—2024年3月，重点区域空气质量同比改善。\n"
              "其中，汾渭平原PM2.5平均浓度为58微克/立方米，同比下降4.9%。\n"
              "全年来看，2023年汾渭平原PM2.5平均浓度为44微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == [("汾渭平原", 2023, "1-12", "actual", 44)]


def test_a_span_of_days_covers_the_months_it_runs_through():
    ms = read("2024年1月1日至6月30日，全市优良天数比例为85.1%，其中6月为90.0%。\n"
              "2024年7月1日—9月30日，全市PM2.5平均浓度为21微克/立方米。\n"
              "2023年10月1日至2024年3月31日，全市PM2.5平均浓度为45微克/立方米。\n")
    assert [(y, mo, v) for _, y, mo, _, v in rows(ms, "优良天数比例")] == [(2024, "1-6", 85.1), (2024, "6", 90.0)]
    assert [(y, mo, v) for _, y, mo, _, v in rows(ms, "PM2.5浓度")] == [(2024, "7-9", 21)]


def test_a_list_of_water_classes_pairs_the_classes_the_catalog_names():
    ms = read("2022年，全省98个国考断面中，Ⅰ~Ⅲ类、Ⅳ~Ⅴ类和劣Ⅴ类水质断面分别占90.8%、8.2%和1.0%。\n")
    assert [v for *_, v in rows(ms, "地表水优良水质断面比例")] == [90.8]
    assert [v for *_, v in rows(ms, "劣Ⅴ类断面比例")] == [1.0]
    assert not [m for m in ms if m.indicator_id and m.value == 8.2]


def test_an_aside_between_two_members_does_not_break_the_list():
    ms = read("2023年，南京市、苏州市优良天数比例分别为78.9%（同比上升1.2个百分点）和81.4%。\n")
    got = {r: v for r, y, mo, k, v in rows(ms, "优良天数比例") if k == "actual"}
    assert got == {"南京市": 78.9, "苏州市": 81.4}


def test_members_the_gazetteer_does_not_know_take_no_value_of_a_named_member():
    ms = read("2023年，甲县和乙县的优良天数比例分别为90.1%和88.2%。\n")
    assert not [m for m in ms if m.indicator == "优良天数比例"]


def test_a_review_of_past_years_keeps_them_actual_when_its_year_is_only_guessed():
    # no date, no year in a title: the year most often named (2019) is a guess, and the later
    # years of the review are measurements, not goals
    ms = read("规划实施情况中期评估\n2019年至2022年，全国PM2.5平均浓度分别为36、33、30、29微克/立方米。"
              "北京市PM2.5年均浓度由2019年的42微克/立方米降至2022年的30微克/立方米。\n")
    assert {(y, k) for _, y, _, k, _ in rows(ms, "PM2.5浓度")} == {(2019, "actual"), (2020, "actual"),
                                                                  (2021, "actual"), (2022, "actual")}


def test_one_value_shared_by_a_counted_list_of_places_is_each_ones():

    def read(text):
        ps = segment(clean(text))
        return extract(ps, document_context(ps, None))

    got = read("2023年1-9月,安徽省地表水质量总体良好。宿州、蚌埠和淮南3个市国考断面水质优良比例达到100%。\n")
    assert {(m.region, m.value) for m in got if m.indicator == "地表水优良水质断面比例"} == {
        ("宿州市", 100), ("蚌埠市", 100), ("淮南市", 100)}
    # a count that is not the list's ('等'), or a list the gazetteer cannot all place, stays one union
    got = read("2023年1-9月,安徽省地表水质量总体良好。宿州、蚌埠等5个市国考断面水质优良比例达到100%。\n")
    assert [m.region for m in got if m.indicator == "地表水优良水质断面比例"] == ["宿州、蚌埠等"]
    got = read("2023年1-9月,安徽省地表水质量总体良好。宿州、蚌埠和淮南4个市国考断面水质优良比例达到100%。\n")
    assert len([m for m in got if m.indicator == "地表水优良水质断面比例"]) == 1
