"""Precision on complaint, bulletin and plan pages (helper prec3, session nine).

Sentences are written in our own words after the layout of real pages, read through the real
clean -> segment -> context -> extract stages."""
from __future__ import annotations

from tests.reading import read


def complaints(metrics):
    return [(m.region, m.months, m.value) for m in metrics if m.indicator_id == "complaints"]


def test_a_name_inside_a_platform_name_lends_no_subject_to_one_channel_count():
    # a quarterly complaint release: the total first, then each channel's count, every sentence
    # opening with the platform's full name (生态環境信訪投訴舉報管理平臺 in traditional script)
    ms = read("甲省2024年第四季度生態環境信訪投訴舉報辦理情況\n"
              "2024年第四季度,甲省生態環境信訪投訴舉報管理平臺共收到投訴舉報2100件,"
              "不在環保職責範圍內900件。目前,已辦結700件,辦理中300件。\n"
              "一、網絡舉報受理情況\n"
              "2024年第四季度,生態環境信訪投訴舉報管理平臺共收到網絡舉報150件,不在環保職責範圍內40件。\n"
              "二、微信舉報受理情況\n"
              "2024年第四季度,生態環境信訪投訴舉報管理平臺共收到微信舉報1800件,不在環保職責範圍內800件。")
    assert [v for _, _, v in complaints(ms)] == [0.21]


def test_a_quoted_account_name_lends_no_subject_to_the_figures_after_it():
    # '“12369环保举报”' names a WeChat account; '完成N件' after it is the reports dealt with
    ms = read("2016年环保举报工作情况\n"
              "截至2016年4月,微信公众号“12369环保举报”关注人数超过9万人,全国共收到举报20000件,完成18000件。")
    assert complaints(ms) == []


def test_a_platform_named_once_still_leaves_the_total_its_subject():
    ms = read("乙市2025年1-4月生态环境信访情况\n"
              "2025年1-4月,乙市环保举报受理平台共接举报件15件,其中已办结9件、不受理6件。")
    assert [v for _, _, v in complaints(ms)] == [0.0015]


def test_a_county_group_found_to_be_a_part_keeps_the_rest_of_its_sentence():
    # the city's own share first; then the counties' sentence (全市县(市)…, an average that could be
    # the city's headline) gives a share the city already gave, so the group is a part, and the
    # heavy-pollution share after its semicolon is the counties' too, not the city's
    ms = read("岳阳市2020年生態環境狀況公報\n"
              "2020年,城市環境空氣質量優良天數為300天,優良率為82.0%。"
              "全市縣(市)環境空氣質量較2019年明顯改善,縣(市)平均優良率為94.0%,同比上升8.0個百分點;"
              "重污染天數比例為0。")
    kept = [(m.indicator, m.region, m.value) for m in ms if m.kind == "actual" and m.region]
    assert ("优良天数比例", "岳阳市", 82.0) in kept
    assert not any(ind == "重污染天数比例" for ind, _, _ in kept)
    assert not any(v == 94.0 for _, _, v in kept)


def test_a_county_average_alone_is_still_the_citys_headline():
    ms = read("恩施州2020年生態環境狀況公報\n"
              "全州8縣(市)平均優良天數比例為97.0%;重污染天數比例為0.3%。")
    kept = [(m.indicator, m.region, m.value) for m in ms if m.kind == "actual"]
    assert kept == [("优良天数比例", "恩施土家族苗族自治州", 97.0), ("重污染天数比例", "恩施土家族苗族自治州", 0.3)]


def test_sections_reaching_grade_three_after_a_drinking_water_clause_are_surface_water():
    # a bulletin's press summary: the drinking sources' rate, then a river's sections written as
    # '断面水质达到或优于Ⅲ类比例' (no 水源 in the name: the sections' share, not the sources')
    ms = read("海东市2024年生态环境质量状况公报\n"
              "城市集中式生活饮用水水源地水质达标率100%;某河(海东段)纳入考核的9个断面水质达到或优于Ⅲ类比例88.9%。")
    got = {(m.indicator, m.value) for m in ms if m.kind == "actual" and m.indicator_id}
    assert ("地表水优良水质断面比例", 88.9) in got
    assert ("饮用水水源地水质达标比例", 88.9) not in got


def test_a_comparison_word_right_before_a_goals_figure_bounds_it():
    # a plan's list of goals: '比例总体高于93%' is the floor of the share, a target, not a difference
    ms = read("水污染防治行动计划\n"
              "到2020年,地级及以上城市集中式饮用水水源水质达到或优于Ⅲ类比例总体高于93%,"
              "近岸海域水质优良(一、二类)比例达到70%左右。")
    got = [(m.indicator, m.year, m.kind, m.value) for m in ms if m.indicator_id]
    assert ("饮用水水源地水质达标比例", 2020, "target", 93.0) in got
    assert not any(kind == "change" for _, _, kind, _ in got)


def test_a_comparison_with_its_yardstick_named_stays_a_difference():
    ms = read("某市2022年环境质量\n2022年,乙市PM2.5浓度为29微克/立方米,好于年度目标4.6微克/立方米。"
              "全市优良天数比例为88%,高于全省平均水平3个百分点。")
    kinds = {(m.indicator, m.value): m.kind for m in ms if m.indicator_id}
    assert kinds[("PM2.5浓度", -4.6)] == "change"
    assert kinds[("优良天数比例", 3.0)] == "change"
    assert kinds[("PM2.5浓度", 29.0)] == "actual"


def test_a_footer_address_names_no_place_for_the_page():
    # a city's soil plan mirrored on an instrument vendor's site: the goals name only 全市, and the
    # vendor's street address under them (in another city) is no subject of the figures
    ms = read("(二)到2020年,受污染耕地安全利用率達到91%以上;污染地塊安全利用率達到92%以上。\n"
              "(三)到2030年,受污染耕地安全利用率達到96%以上。\n"
              "上海閔行區某某路88號某某產業園 三區5號樓\n"
              "sales@example.com\n")
    got = [(m.indicator, m.region, m.year, m.value) for m in ms if m.indicator_id]
    assert ("受污染耕地安全利用率", None, 2020, 91.0) in got
    assert all(region is None for _, region, _, _ in got)


def test_an_address_inside_a_sentence_with_figures_stays():
    ms = read("某市2023年执法情况\n2023年,位于某区某路12号的甲公司超标排放,全市共查处行政处罚案件120件。")
    assert any(m.indicator_id == "penalty_cases" or m.indicator == "行政处罚案件数" for m in ms)


def test_an_outlets_name_and_its_date_under_the_headline_is_the_dateline():
    # a TV site's short item: the outlet's name and an ISO date on a line of their own (printed twice),
    # then '今年上半年': the line dates the page, it is no link to another article
    ms = read("上半年全国水环境持续向好\n某视网 2022-07-20\n"
              "生态环境部今天(7月19日)发布,今年上半年,全国Ⅰ—Ⅲ类水质断面比例为84.0%,同比上升2.1个百分点。\n"
              "某视网 2022-07-20\n")
    got = [(m.indicator, m.year, m.months, m.value) for m in ms if m.indicator_id and m.kind == "actual"]
    assert ("地表水优良水质断面比例", 2022, "1-6", 84.0) in got


def test_a_headline_with_its_date_is_still_a_link():
    ms = read("某市2023年生态环境质量公报\n2023年,某市优良天数比例为90.0%。\n相关新闻\n某市召开大气污染防治会议 2023-05-06\n")
    assert all(m.value != 2023.0 for m in ms)
