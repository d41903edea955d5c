"""Linking a value to its indicator and kind when the report splits them apart.

Sentences are written in our own words in the layouts real reports use, read through the
real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.segment import segment
from tests.reading import read


def levels(metrics):
    return [(m.indicator, m.kind, m.value) for m in metrics if m.kind != "change"]


CITY_2022 = "甲市2022年环境质量状况。\n"


def test_a_share_after_a_count_is_the_share_of_what_was_counted():
    # the share of light-pollution days is no share of good days, though 优良率 opens the sentence
    ms = read(CITY_2022 + "2022年，全市有效监测365天，优良率为80.5%，其中优的天数为120天，占全年的32.9%，"
                          "轻度污染的天数为60天，占全年的16.4%，中度污染天数为11天，占全年的3.0%。")
    assert [v for i, k, v in levels(ms) if i == "优良天数比例"] == [80.5]
    # a count of a catalog indicator lends its share: 优良天数 -> 优良天数比例
    ms = read(CITY_2022 + "2022年，全市优良天数为290天，同比增加6天，占全年的79.5%。")
    assert ("优良天数比例", "actual", 79.5) in levels(ms) and ("优良天数", "actual", 290) in levels(ms)


def test_a_contrast_word_alone_swaps_it_in_the_name_before():
    ms = read(CITY_2022 + "2022年第二季度，全市各类功能区昼间达标率为81.3%，夜间为66.0%，同比均有所上升。")
    assert levels(ms) == [("功能区声环境昼间达标率", "actual", 81.3), ("功能区声环境夜间达标率", "actual", 66.0)]


def test_a_contrast_word_before_a_count_joins_the_bare_name_after_it():
    ms = read(CITY_2022 + "2022年，全市功能区共监测200点次，昼间达标91点次，达标率为91.0%；"
                          "夜间达标70点次，达标率为70.0%。")
    assert levels(ms) == [("功能区声环境昼间达标率", "actual", 91.0), ("功能区声环境夜间达标率", "actual", 70.0)]


def test_a_goal_set_from_above_in_parentheses_is_a_target():
    ms = read(CITY_2022 + "2022年1-6月，全市优良天数150天，优良率82.9%，高出省下达年度指标(80.2%)2.7个百分点。")
    assert ("优良天数比例", "target", 80.2) in levels(ms)
    assert ("优良天数比例", "actual", 82.9) in levels(ms)
    assert not [m for m in ms if m.kind == "actual" and m.value == 80.2]


def test_a_share_after_a_count_takes_the_share_named_by_the_counts_alias():
    # 达标天数 names only the days; 达标天数比例 is its share in the catalog
    ms = read(CITY_2022 + "2022年5月，全市有效监测31天，达标天数为28天，比例为90.3%，超标天数3天，比例为9.7%。")
    assert ("优良天数", "actual", 28) in levels(ms) and ("优良天数比例", "actual", 90.3) in levels(ms)
    assert not [m for m in ms if m.indicator_id and m.value == 9.7]  # the share of exceedance days is no catalog figure


def test_a_clause_dated_to_the_year_under_review_is_a_level_whatever_goal_the_sentence_opens_on():
    ms = read(CITY_2022 + "为完成到2025年的目标任务，2022年全市PM2.5平均浓度降至33微克/立方米。")
    assert levels(ms) == [("PM2.5浓度", "actual", 33)]
    ms = read(CITY_2022 + "力争到2025年，全市PM2.5平均浓度降至30微克/立方米，2025年优良天数比例达到88%。")
    assert {(i, k) for i, k, _ in levels(ms)} == {("PM2.5浓度", "target"), ("优良天数比例", "target")}


def test_a_count_in_parentheses_inside_a_name_does_not_cut_the_name_from_its_value():
    ms = read(CITY_2022 + "2022年1-3月，全市在用集中式饮用水源(12个)水质达标率为100%。")
    assert ("饮用水水源地水质达标比例", "actual", 100) in levels(ms)


def test_a_fall_since_a_base_year_is_a_change_wherever_the_paragraph_starts():
    # the word after the verb is read where the verb stands, not at the same offset from the
    # paragraph's start (here '为' of the first clause once turned the fall into a level)
    ms = read(CITY_2022 + "空气质量达标天数为300天，达标天数比例为82.2%；空气重污染天数为2天，比2015年减少31天。")
    assert [(m.kind, m.value) for m in ms if m.indicator == "重污染天数"] == [("actual", 2), ("change", -31)]


def test_a_share_whose_per_cent_sign_the_page_lost_is_read_after_its_name():
    ms = read(CITY_2022 + "2022年4季度全市环境空气共监测92天，优良率达86.9，其中优的天数为40天，占监测天数的43.5，"
                          "良的天数为40天。")
    assert ("优良天数比例", "actual", 86.9) in levels(ms)
    assert not [m for m in ms if m.indicator_id and m.value == 43.5]  # not after a name: no share of the catalog
    # a whole number after a days-or-share name stays unread: it may be days
    ms = read(CITY_2022 + "2022年全市优良天数为300，同比增加5天。")
    assert not [m for m in ms if m.indicator == "优良天数比例"]


def test_two_contrast_words_before_one_shared_name_pair_with_two_values_in_order():
    for joint in ("昼夜间达标率", "昼间、夜间达标率", "昼/夜间点次达标率"):
        ms = read(CITY_2022 + f"2022年，全市功能区{joint}分别为93.1%和81.7%。")
        assert levels(ms) == [("功能区声环境昼间达标率", "actual", 93.1), ("功能区声环境夜间达标率", "actual", 81.7)], joint


def test_a_count_name_then_the_share_it_makes_is_that_count_s_share():
    ms = read(CITY_2022 + "2022年，全市空气质量达标天数占有效天数比例为88.4%，同比上升1.2个百分点。")
    assert ("优良天数比例", "actual", 88.4) in levels(ms)


PROVINCE_2021 = "乙省2021年生态环境状况。\n"


def catalogued(metrics):
    return [(m.indicator, m.kind, m.value) for m in metrics if m.kind != "change" and m.indicator_id]


def test_a_word_inside_the_name_does_not_hide_the_indicator():
    # 全年, 平均, 监测 and 取水 written inside a catalog name; a class range with 类 on both ends
    ms = read(PROVINCE_2021 + "2021年，全省县级饮用水水源地全年水质达标率为99.0%。"
                              "设区市功能区声环境昼间平均达标率为94.2%，夜间监测点次达标率平均为83.1%。"
                              "全省地表水Ⅰ类～Ⅲ类水质断面比例为88.8%。")
    assert catalogued(ms) == [("饮用水水源地水质达标比例", "actual", 99.0), ("功能区声环境昼间达标率", "actual", 94.2),
                          ("功能区声环境夜间达标率", "actual", 83.1), ("地表水优良水质断面比例", "actual", 88.8)]


def test_a_bare_compliance_rate_in_a_sentence_about_drinking_water_sources_is_theirs():
    ms = read(PROVINCE_2021 + "2021年，全省31个县级及以上集中式饮用水水源地水质监测结果均达到Ⅲ类标准，达标率为100%。"
                              "全省12个出境断面均达到Ⅲ类，水质达标率为100%。")
    assert catalogued(ms) == [("饮用水水源地水质达标比例", "actual", 100.0)]
    # a share of sources counted as meeting the standard, and not the share of those failing it
    ms = read(PROVINCE_2021 + "2021年，全省监测的50个饮用水源地中，能满足饮用水源地水质要求的有46个，占92.0%；"
                              "不能满足要求的4个，占8.0%。")
    assert catalogued(ms) == [("饮用水水源地水质达标比例", "actual", 92.0)]


def test_the_sources_own_monitoring_sections_are_no_other_body():
    # a count of drinking-water sources' monitoring sections, then the share meeting the standard
    ms = read("全国生态环境状况公报。\n2018年，全国845个在用集中式生活饮用水水源监测断面(点位)中，"
              "790个全年均达标，占93.5%。")
    assert catalogued(ms) == [("饮用水水源地水质达标比例", "actual", 93.5)]


def test_sections_on_a_boundary_are_a_part_not_the_regions_share():
    ms = read(PROVINCE_2021 + "2021年，全省地表水优良水质断面比例为95.1%；出境断面水质优良比例为100%，"
                              "县界断面水质优良比例为96.0%，入洞庭湖断面水质优良比例为90.9%。")
    assert catalogued(ms) == [("地表水优良水质断面比例", "actual", 95.1)]

def test_a_body_named_after_the_sources_takes_the_generic_share_back():
    ms = read(PROVINCE_2021 + "2021年，丙市县级以上集中式饮用水源地水质达标率100%；地表水交接断面水质达标率100%，"
                              "市控以上地表水Ⅰ-Ⅲ类水质占比92.5%。")
    assert ("地表水优良水质断面比例", "actual", 92.5) in catalogued(ms)
    assert ("饮用水水源地水质达标比例", "actual", 92.5) not in catalogued(ms)


def test_one_value_after_a_list_of_indicators_with_jun_is_each_ones():
    ms = read(PROVINCE_2021 + "2021年，全省地表水监测断面Ⅲ类及以上水质比例、交接断面水质满足功能要求比例、"
                              "县级以上集中式饮用水水源地水质达标率均保持100%。")
    assert sorted(catalogued(ms)) == [("地表水优良水质断面比例", "actual", 100.0),
                                  ("饮用水水源地水质达标比例", "actual", 100.0)]


def test_a_share_of_places_counted_as_compliant_is_no_share_of_good_days():
    ms = read(PROVINCE_2021 + "全省空气质量达标城市数量、优良天数比例持续上升。全省21个城市中，15个城市环境空气质量达标，"
                              "占71.4%；优良天数比例为92.3%。")
    assert [(i, v) for i, k, v in catalogued(ms) if i == "优良天数比例"] == [("优良天数比例", 92.3)]


def test_a_unit_spaced_around_its_slash_and_a_bulleted_digest_are_read():
    ms = read(PROVINCE_2021 + "●2021年，全省PM2.5年均浓度26 微克/ 立方米，同比下降3.7%。\n"
                              "●2021年，全省污染地块安全利用率达100%。\n"
                              "● 相关新闻：全省召开生态环境保护大会\n")
    assert catalogued(ms) == [("PM2.5浓度", "actual", 26.0), ("污染地块安全利用率", "actual", 100.0)]


def test_a_name_on_its_own_line_takes_the_share_that_opens_the_next():
    ms = read(PROVINCE_2021 + "●2021年全省水环境质量总体保持优良。\n\n全省主要河流监测断面水质优良比例\n\n"
                              "96.1%,15个出境断面全部达到Ⅲ类及以上水质。\n")
    assert catalogued(ms) == [("地表水优良水质断面比例", "actual", 96.1)]


def test_an_intensity_fall_since_the_year_before_or_the_plans_base_year_is_its_level():
    ms = read("丁国2020年生态环境状况。\n经初步核算，2020年全国单位国内生产总值二氧化碳排放比2019年下降1.1%，"
              "比2015年下降18.6%；万元国内生产总值能耗比2017年下降9.0%。")
    assert ("碳排放强度下降率", "actual", 1.1) in catalogued(ms)
    assert ("碳排放强度下降率", "actual", 18.6) in [(m.indicator, m.kind, m.value) for m in ms]
    assert not [m for m in ms if m.value == 9.0 and m.kind == "actual"]  # a base year neither before nor the plan's


def test_a_rural_part_of_the_sources_is_not_the_regions_rate():
    ms = read("戊县2021年环境质量状况。\n2021年，全县县级饮用水水源地水质达标率为100%，乡镇饮用水水源地水质达标率91.2%。")
    assert catalogued(ms) == [("饮用水水源地水质达标比例", "actual", 100.0)]


def test_a_sentence_opening_on_qizhong_keeps_the_topic_of_the_one_before():
    ms = read(PROVINCE_2021 + "2021年，全省近岸海域优良水质(一、二类)比例86.2%。其中，国家考核点位优良水质比例82%。")
    assert catalogued(ms) == [("近岸海域水质优良比例", "actual", 86.2), ("近岸海域水质优良比例", "actual", 82.0)]


def test_a_change_verb_before_a_listed_first_member_holds_for_every_member():
    # every member of '同比分别下降a、b和c' is a change of its paired indicator, not only the first
    metrics = read("2021年，全国细颗粒物、可吸入颗粒物、二氧化氮平均浓度分别为28、51、21微克/立方米，"
                   "同比分别下降4.1%、6.2%和2.0%。")
    changes = {(m.indicator_id, m.value) for m in metrics if m.kind == "change"}
    assert changes == {("pm25", -4.1), ("pm10", -6.2), ("no2", -2.0)}
    assert not [m for m in metrics if m.indicator_id is None]


def test_a_label_and_its_colon_name_the_quantity_of_the_clause_after_it():
    # a county monthly writes each pollutant as a label, a colon, then the month and '月均浓度'
    paragraphs = segment(clean("城固县2025年9月环境空气质量月报\n"
                               "可吸入颗粒物(PM10):9月份月均浓度为48μg/m3,较去年同期上升12μg/m3。\n"
                               "二氧化硫(SO2)：9月平均为7μg/m3。\n监测点位:9月份为31μg/m3。\n"))
    ms = extract(paragraphs, document_context(paragraphs))
    levels = {(m.indicator, m.value) for m in ms if m.kind == "actual"}
    assert ("PM10浓度", 48.0) in levels and ("二氧化硫浓度", 7.0) in levels
    assert not [m for m in ms if m.value == 31.0 and m.indicator_id]   # a label that names no indicator
    assert all(m.confidence >= 0.5 for m in ms if m.value in (48.0, 7.0) and m.kind == "actual")


# --- variants of a label: short forms, case, synonyms, spinner swaps, generic counters ----------

def test_short_and_lower_case_forms_of_the_air_labels_are_the_catalog_indicators():
    ms = read(CITY_2022 + "2022年，全市环境空气质量达标301天，优良比为82.5%，其中重度及以上污染4天。"
                          "全市aqi达标率为82.5%。")
    assert catalogued(ms) == [("优良天数", "actual", 301), ("优良天数比例", "actual", 82.5),
                              ("重污染天数", "actual", 4), ("优良天数比例", "actual", 82.5)]


def test_a_share_word_longer_than_the_short_form_is_not_the_short_form():
    # 优良比 is no name inside 优良比例; a group header 达标情况 names no value
    ms = read(CITY_2022 + "2022年，全市国控断面优良比例为90.0%。")
    assert ("优良天数比例", "actual", 90.0) not in catalogued(ms)
    ms = read(CITY_2022 + "环境空气质量达标情况 |\n优 | 良 |\n0 | 0 |")
    assert [m for m in ms if m.indicator == "优良天数"] == []


def test_a_water_sentence_reads_a_bare_good_share_as_no_air_share():
    ms = read(CITY_2022 + "2022年，全市地表水水质总体改善，优良比达到85.0%。")
    assert catalogued(ms) == []
    ms = read(CITY_2022 + "2022年，全市地表水水质总体改善，空气质量优良比达到85.0%。")
    assert catalogued(ms) == [("优良天数比例", "actual", 85.0)]


def test_synonyms_inside_a_label_read_as_the_catalogs_words():
    # 好于 for 优于; a spinner's 良好 for 优良 (but 良好天数 is the count of 良 days alone)
    ms = read(PROVINCE_2021 + "2021年，全省国控考核断面达到或好于Ⅲ类水质比例为81.0%。"
                              "全省河流水质良好(Ⅰ~Ⅲ类)断面比例为84.0%。")
    assert catalogued(ms) == [("地表水优良水质断面比例", "actual", 81.0), ("地表水优良水质断面比例", "actual", 84.0)]
    ms = read(CITY_2022 + "2022年，全市空气质量为优的天数150天，良好天数170天。")
    assert [m for m in ms if m.indicator == "优良天数"] == []


def test_enforcement_counts_in_the_general_measure_word_and_fines_are_read():
    ms = read("全国生态环境执法情况。\n2022年，全国共下达行政处罚决定8.50万个，累计罚款70.12亿元。"
              "其中按日计罚案件的平均罚款金额为5.30万元。")
    assert catalogued(ms) == [("行政处罚案件数", "actual", 8.5), ("罚没款数额", "actual", 70.12)]
    ms = read("全国生态环境执法情况。\n2020年1-4月，全国共下达处罚决定书24000份，罚款金额为17.5亿元。")
    assert catalogued(ms) == [("行政处罚案件数", "actual", 2.4), ("罚没款数额", "actual", 17.5)]


def test_a_years_turnover_and_its_parts_are_not_the_running_total():
    ms = read("全国碳市场2023年度运行情况。\n2023年，全国碳市场年度成交额120.50亿元。其中，挂牌协议成交额20.10亿元，"
              "大宗协议成交额100.40亿元。截至2023年底，全国碳市场累计成交额400.20亿元。")
    assert catalogued(ms) == [("碳市场累计成交额", "actual", 400.2)]


def test_a_unit_written_with_mei_after_its_slash_is_read():
    ms = read(CITY_2022 + "2022年，全市PM2.5浓度为25.0微克/每立方米。")
    assert catalogued(ms) == [("PM2.5浓度", "actual", 25.0)]
    # and a unit half in Chinese, half in symbols
    ms = read(CITY_2022 + "2022年，全市PM10浓度为48微克/m3，一氧化碳浓度为0.9mg/立方米。")
    assert catalogued(ms) == [("PM10浓度", "actual", 48), ("一氧化碳浓度", "actual", 0.9)]


def test_a_grade_written_alone_names_its_own_days_not_the_good_days():
    ms = read(CITY_2022 + "2022年，全市优良天数为300天，占82.2%。其中：优120天，占32.9%；良180天，占49.3%。")
    assert catalogued(ms) == [("优良天数", "actual", 300), ("优良天数比例", "actual", 82.2)]


def test_a_bare_average_after_a_pollutants_range_is_that_pollutants():
    ms = read("乙省2021年7月城市空气质量。\n2021年7月，全省二氧化氮月均浓度范围为12μg/m3~35μg/m3，平均月均浓度为21μg/m3；"
              "细颗粒物(PM2.5)月均浓度范围为15μg/m3~40μg/m3，平均月均浓度为28μg/m3。")
    assert catalogued(ms) == [("二氧化氮浓度", "actual", 21), ("PM2.5浓度", "actual", 28)]


def test_a_fine_said_after_a_count_of_another_kind_of_case_is_that_kinds():
    ms = read("全国生态环境执法概况。\n2019年，全国共下达环境行政处罚决定书12.50万份，罚款金额为110.20亿元。"
              "其中，按日连续处罚案件数量为180件，罚款金额为17000.50万元。")
    assert catalogued(ms) == [("行政处罚案件数", "actual", 12.5), ("罚没款数额", "actual", 110.2)]


def test_the_figure_a_change_starts_from_without_a_year_is_not_read():
    ms = read(CITY_2022 + "今年1至6月，与2021年同期相比，全市的重度及以上污染天数由3天增加至8天。")
    assert levels(ms) == [("重污染天数", "actual", 8)]
    # with its year tied to it, the starting figure is that year's
    ms = read(CITY_2022 + "2022年，全市优良天数比例由2015年的70.1%上升到88.2%。")
    assert [(m.year, m.value) for m in ms if m.kind == "actual"] == [(2015, 70.1), (2022, 88.2)]


def test_a_count_of_grade_one_and_two_days_and_its_share_over_a_whole_in_parentheses():
    ms = read(CITY_2022 + "2022年，全市空气质量指数(AQI)处于国家一级(优)和二级(良)的天数合计340天，"
                          "占全年有效监测天数(365天)的93.2%，比上年上升1.1个百分点。")
    assert catalogued(ms) == [("优良天数", "actual", 340), ("优良天数比例", "actual", 93.2)]


def test_a_share_after_a_bare_total_count_is_of_the_thing_named_before():
    ms = read("全国自然保护地建设。\n2020年，全国各类自然保护地数量增加500多个，总数量达到1.10万个，约占陆域国土面积的17%。")
    assert ("自然保护地面积占比", "actual", 17) in catalogued(ms)


def test_paired_farmland_and_plot_rates_with_fenbie():
    ms = read(CITY_2022 + "2022年，全市污染耕地安全利用率和污染地块安全利用率分别达到94%和91%。")
    assert catalogued(ms) == [("受污染耕地安全利用率", "actual", 94), ("污染地块安全利用率", "actual", 91)]


def test_a_share_followed_by_the_compliance_word_is_the_sources_rate():
    ms = read(CITY_2022 + "2022年，全市城市集中式饮用水水源地水质持续保持100%达标。")
    assert catalogued(ms) == [("饮用水水源地水质达标比例", "actual", 100)]


def test_a_rate_that_picks_out_a_zone_is_a_criterion_not_a_value():
    ms = read(CITY_2022 + "2022年，全市功能区夜间达标率为88.0%，夜间达标率未达到80%的是1类区，为76.4%。")
    # (76.4 is the zone's, a part of the city: kept with its region unresolved, below the export's bar)
    assert [v for i, k, v in catalogued(ms)] == [88.0, 76.4]
    assert [m.region for m in ms if m.value == 76.4] == [None]


def test_days_at_or_better_than_grade_two_are_the_good_days():
    ms = read(CITY_2022 + "2022年，全市空气质量达到或好于二级以上的天数共330天。")
    assert catalogued(ms) == [("优良天数", "actual", 330)]


def test_a_ratio_written_as_bilv_is_the_catalogs_share():
    ms = read(PROVINCE_2021 + "2021年，全省水质优良断面比率为86.0%，重度以上污染天数为2天。")
    assert catalogued(ms) == [("地表水优良水质断面比例", "actual", 86.0), ("重污染天数", "actual", 2)]


def test_days_said_to_meet_the_standard_are_the_good_days_but_no_other_count_is():
    ms = read(CITY_2022 + "2022年，全市达标330天，国控断面全部达标，饮用水源地达标3个。")
    assert catalogued(ms) == [("优良天数", "actual", 330)]


def test_a_grade_a_share_is_measured_against_is_no_comparison():
    # '优于Ⅲ类' names the sections counted; '优于年度目标' compares with a goal
    ms = read(CITY_2022 + "2022年，全市水质达到或优于Ⅲ类的断面占比为92.6%，优良天数比例为85.0%，优于年度目标1.5个百分点。")
    assert catalogued(ms) == [("地表水优良水质断面比例", "actual", 92.6), ("优良天数比例", "actual", 85.0)]


def test_a_bare_rate_after_a_count_of_days_is_that_counts_share():
    ms = read(CITY_2022 + "2022年，全市环境空气质量达标天数为301天，达标率为82.5%。")
    assert catalogued(ms) == [("优良天数", "actual", 301.0), ("优良天数比例", "actual", 82.5)]
    # a rate named by part of the count's name only is some other rate
    ms = read(CITY_2022 + "2022年，全市重度及以上污染天数为4天，污染率为17.5%。")
    assert catalogued(ms) == [("重污染天数", "actual", 4.0)]
