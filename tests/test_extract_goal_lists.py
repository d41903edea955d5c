"""Mechanisms found on fresh western and southern pages (helper fresh8b), each with its near-misses:

- a list of goals announced once ('各市考核指标为,') and given place by place over several lines
  (etl/extract/goal_lists.py);
- a yearly amount summed over several years ('十年来完成造林…', '“十三五”期间,完成…') is no year's
  figure (etl/extract/year_spans.py);
- the period of a report published under its name ('现发布《2025年第四季度某省…公报》') is the
  report's, not the month of the issuer's line under it (etl/context.py CLAUSE_START);
- the rivers' own share beside all the sections' is a part (cues.toml [scope] 河流).

Sentences are our own, read through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from tests.reading import read


def kinds(metrics, indicator):
    return sorted((m.region, m.kind, m.value) for m in metrics if m.indicator == indicator)


# --- a list of goals -----------------------------------------------------------------------------

GOALS = ("甲省印发《2021年大气污染防治工作方案》。\n"
         "依照方案,2021年下达各市的空气质量考核指标为,乙市:优良天数281天、PM2.5浓度41微克/立方米;"
         "丙市:优良天数300天、PM2.5浓度38微克/立方米;\n"
         "丁市:优良天数265天、PM2.5浓度47微克/立方米;\n"
         "戊市:优良天数290天、PM2.5浓度39微克/立方米。\n")


def test_every_row_after_an_announced_list_of_goals_is_a_goal():
    ms = read(GOALS.replace("乙市", "宜宾市").replace("丙市", "泸州市").replace("丁市", "自贡市").replace("戊市", "内江市"))
    got = [m for m in ms if m.indicator in ("优良天数", "PM2.5浓度")]
    assert len(got) == 8
    assert {m.kind for m in got} == {"target"}
    assert ("自贡市", "target", 265.0) in kinds(ms, "优良天数")


def test_a_list_of_goals_announced_with_rumou_colon():
    text = ("某州2022年环境质量改善目标如下:\n"
            "凯里市优良天数比例96.5%;\n"
            "都匀市优良天数比例97.0%。\n")
    ms = read(text)
    assert kinds(ms, "优良天数比例") == [("凯里市", "target", 96.5), ("都匀市", "target", 97.0)]
    assert {m.year for m in ms if m.indicator_id} == {2022}   # the announcement's year


def test_a_review_s_main_figures_are_no_goals():
    # '主要指标如下' in a review lists what was measured
    text = ("2022年某市环境质量公报。\n"
            "2022年,全市环境质量主要指标如下:\n"
            "遵义市优良天数比例97.1%;\n"
            "PM2.5浓度为24微克/立方米。\n")
    assert {m.kind for m in read(text) if m.indicator_id} == {"actual"}


def test_a_goal_met_before_the_list_makes_no_goals():
    text = "2022年,遵义市超额完成年度考核指标:优良天数比例为97.1%,PM2.5浓度为24微克/立方米。\n"
    assert {m.kind for m in read(text) if m.indicator_id} == {"actual"}


def test_a_row_that_reports_what_was_reached_ends_the_list():
    text = ("2023年各县考核目标为:\n"
            "甲县优良天数比例95%;\n"
            "2023年实际完成情况:甲县优良天数比例为96.2%,同比上升1.1个百分点。\n")
    ms = read(text.replace("甲县", "雷山县"))
    got = [k for k in kinds(ms, "优良天数比例") if k[1] != "change"]
    assert got == [("雷山县", "actual", 96.2), ("雷山县", "target", 95.0)]


# --- a yearly amount over several years -----------------------------------------------------------

def test_afforestation_summed_over_a_decade_is_no_year_s_figure():
    ms = read("某省十年完成人工造林2100.5万亩\n发布时间:2023-05-06\n2022年,全省完成人工造林96.4万亩。")
    assert [m.value for m in ms if m.indicator == "新增造林面积"] == [96.4]


def test_afforestation_of_a_five_year_plan_period_is_no_year_s_figure():
    ms = read("2021年贵州省林业工作。\n“十三五”期间,贵州省完成人工造林1180万亩、森林抚育2600万亩。")
    assert [m.value for m in ms if m.indicator == "新增造林面积"] == []


def test_a_year_named_after_the_span_is_that_year_s_figure():
    ms = read("“十三五”期间,贵州省林业成效显著;2020年,全省完成人工造林205万亩。")
    assert [(m.year, m.value) for m in ms if m.indicator == "新增造林面积"] == [(2020, 205.0)]


def test_a_three_year_campaign_named_is_no_span():
    ms = read("2023年,贵州省实施国土绿化三年行动,全年完成人工造林160万亩。")
    assert [(m.year, m.value) for m in ms if m.indicator == "新增造林面积"] == [(2023, 160.0)]


def test_a_span_of_years_written_with_both_ends():
    ms = read("2018至2022年,云南省累计完成营造林3000万亩;2022年完成营造林520万亩。")
    assert [(m.year, m.value) for m in ms if m.indicator == "新增造林面积"] == [(2022, 520.0)]


# --- a report published under its name -------------------------------------------------------------

def test_the_period_of_a_report_published_under_its_name():
    text = ("为及时公开环境信息,特发布《2024年第三季度广西壮族自治区生态环境质量公报》。\n"
            "广西壮族自治区生态环境厅\n2024年10月\n"
            "全区空气质量优良天数比例97.6%,比去年同期高0.8个百分点。\n")
    got = [(m.year, m.months, m.value) for m in read(text) if m.indicator == "优良天数比例" and m.kind == "actual"]
    assert got == [(2024, "7-9", 97.6)]


def test_a_law_in_book_marks_is_no_period():
    # '依据《…法》' names no period; a monthly release's own lead still counts
    text = "依据《中华人民共和国环境保护法》,现通报2024年5月全省空气质量。全省优良天数比例为93.0%。\n"
    got = [(m.year, m.months) for m in read(text) if m.indicator == "优良天数比例"]
    assert got == [(2024, "5")]


# --- the rivers' share beside all the sections' ------------------------------------------------------

def test_the_rivers_share_beside_all_sections_is_a_part():
    text = ("2024年某省生态环境质量公报。\n"
            "全省180个省控监测断面水质达到或好于Ⅲ类比例为94.1%。\n"
            "省控河流断面水质达到或好于Ⅲ类比例96.3%,无劣Ⅴ类。\n")
    ms = read(text.replace("某省", "贵州省"))
    # (the rivers' figure once passed for the whole and left the headline of all sections unresolved)
    got = [(m.region, m.value) for m in ms if m.indicator == "地表水优良水质断面比例" and m.kind == "actual"]
    assert ("贵州省", 94.1) in got


# --- a change's size in the clause after its verb --------------------------------------------------

def test_the_size_of_a_rise_told_after_its_clause_is_a_change():
    text = "2022年1-6月,兴庆区和金凤区PM2.5浓度都比去年同期高,兴庆区升幅居首,约为18%。\n"
    ms = read(text)
    assert [m.value for m in ms if m.indicator_id and m.kind in ("actual", "target")] == []


def test_a_fall_s_size_with_its_own_measure_named_is_still_read_as_written():
    # the clause names its measure: '降幅最大,浓度为31' gives the level 31
    ms = read("2022年,兴庆区PM2.5浓度降幅最大,PM2.5浓度为31微克/立方米。")
    assert [(m.kind, m.value) for m in ms if m.indicator == "PM2.5浓度"] == [("actual", 31.0)]


# --- both networks named together ------------------------------------------------------------------

def test_the_state_and_provincial_sections_together_are_the_whole():
    text = ("2023年某州环境状况公报\n"
            "2023年,全州国控和省控断面水质优良水体比例达92.31%。\n"
            "全州65个测点中Ⅲ类及以上水质测点占92.3%。\n")
    ms = read(text.replace("某州", "红河州"))
    assert ("红河哈尼族彝族自治州", 92.31) in [(m.region, m.value) for m in ms
                                           if m.indicator == "地表水优良水质断面比例"]


# --- a prefecture's counties counted --------------------------------------------------------------

def test_a_prefecture_s_counties_counted_in_the_clause_after_its_name_are_the_prefecture():
    text = "发布时间:2023-10-09\n1至9月,楚雄州空气质量持续向好,10个县(市)政府驻地城市平均优良天数比例为98.4%。\n"
    got = [(m.region, m.value) for m in read(text) if m.indicator == "优良天数比例"]
    assert got == [("楚雄彝族自治州", 98.4)]


def test_a_province_s_counties_counted_stay_a_part():
    text = "发布时间:2023-10-09\n1至9月,云南省空气质量持续向好,129个县(市、区)平均优良天数比例为98.4%。\n"
    got = [(m.region, m.value) for m in read(text) if m.indicator == "优良天数比例"]
    assert got == [(None, 98.4)]


def test_fines_summed_over_a_plan_period_are_no_year_s_figure():
    ms = read("“十四五”以来,全国共下达环境行政处罚决定书40.1万份,罚没款数额310.6亿元。")
    assert [m for m in ms if m.indicator in ("罚没款数额", "行政处罚案件数")] == []


def test_fines_of_one_year_and_of_months_so_far_stay():
    ms = read("2021年,全国共下达环境行政处罚决定书13.28万份,罚没款数额116.87亿元。"
              "2022年1-6月,全国累计罚没款数额41.2亿元。")
    assert sorted((m.year, m.months, m.value) for m in ms if m.indicator == "罚没款数额") == [
        (2021, "1-12", 116.87), (2022, "1-6", 41.2)]


def test_funds_over_a_span_with_both_ends_are_no_year_s_figure():
    ms = read("2019至2022年,海南省共获中央生态环境资金21.3亿元;2022年获中央生态环境资金6.1亿元。")
    assert [(m.year, m.value) for m in ms if m.indicator == "中央生态环境资金"] == [(2022, 6.1)]


def test_what_was_reached_in_the_announcing_paragraph_is_no_goal():
    text = "2023年,六盘水市年度考核目标:优良天数比例94%;完成情况:优良天数比例为96.4%,PM2.5浓度为23微克/立方米。\n"
    got = sorted((m.indicator, m.kind, m.value) for m in read(text) if m.indicator_id)
    assert got == [("PM2.5浓度", "actual", 23.0), ("优良天数比例", "actual", 96.4), ("优良天数比例", "target", 94.0)]
