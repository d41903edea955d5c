"""Values the reader used to miss on real pages (eighth session, recall): a bare rate said of the
sections graded good (etl/extract/section_rates.py), the drinking-water sources' quality that is
no river medium (cues.toml region.gloss_media), a group of cities the page calls its own whole
only after first naming it bare.

Sentences are our own, read through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

import pytest

from tests.reading import levels, read

GOOD = "地表水优良水质断面比例"


@pytest.mark.parametrize("sentence, value", [
    ("2021年,某省26个国控断面全部达到Ⅱ类水质,优良比例为100%。", 100.0),
    ("2021年,某省40个考核断面中,I~III类断面36个,达标率为90.0%;IV类断面4个,占10.0%。", 90.0),
    ("2021年,某省15个监测断面中,水质优良断面12个,优良率80%。", 80.0),
    ("2021年,某省30个国考断面中,Ⅰ-Ⅲ类水质断面27个,其优良比例达到90%。", 90.0),
])
def test_a_bare_rate_after_sections_graded_good_is_their_good_share(sentence, value):
    got = levels(read("贵州省2021年水环境状况\n" + sentence.replace("某省", "全省")))
    assert (GOOD, "贵州省", 2021, "1-12", value) in got


@pytest.mark.parametrize("sentence", [
    "2021年,某省湖库水质总体良好,优良比例为75%。",                      # lakes: another share
    "2021年,某省40个考核断面中,劣Ⅴ类断面2个,达标率为95%。",             # a worse grade named
    "2021年,某省8个水源地均达到Ⅲ类,达标率为100%。",                    # sources: their own rate
    "2021年,某省优良天数300天,优良率为82.2%。",                         # the air's days
    "2021年,某省40个考核断面中,Ⅰ~Ⅲ类断面36个,Ⅳ类断面4个,比例为10%。",  # no rate word of its own
    "2021年,某省9个出境断面均达到Ⅲ类,达标率为100%。",                    # a subset: the boundary's
])
def test_a_bare_rate_near_other_bodies_or_grades_is_no_sections_share(sentence):
    assert not [g for g in levels(read("贵州省2021年水环境状况\n" + sentence.replace("某省", "全省"))) if g[0] == GOOD]


def test_sources_quality_after_a_sentence_on_reservoirs_is_the_regions():
    text = ("江西公布2022年生态环境质量\n2022年,全省水质总体为优。\n"
            "丙库区及主要支流总体水质为优,18座主要水库水质为优,21个省控湖泊为轻度污染。"
            "130个县级以上集中式饮用水水源地水质达标率为100%。")
    got = [g for g in levels(read(text)) if g[0] == "饮用水水源地水质达标比例"]
    assert [g[1] for g in got] == ["江西省"]


def test_a_group_the_paragraph_calls_the_whole_later_is_the_region_where_it_comes_first():
    text = ("江西省通报2022年环境质量\n据介绍,2022年,全省水质稳定,11个重点城市平均优良天数比例为88.0%。"
            "全省11个重点城市细颗粒物(PM2.5)年均浓度为30微克/立方米。")
    got = {(g[0], g[4]): g[1] for g in levels(read(text))}
    assert got.get(("优良天数比例", 88.0)) == "江西省"


@pytest.mark.parametrize("sentence, value", [
    ("2019年,全省水质达到或优于地表水环境质量Ⅲ类标准的省控断面占81.4%。", 81.4),
    ("2019年,全省水质符合Ⅲ类标准的监测断面所占比例为77%。", 77.0),
    ("2019年,全省水质达到或好于《地表水环境质量标准》Ⅲ类的国控断面占90.2%。", 90.2),
])
def test_a_clause_naming_sections_by_the_standard_they_meet_names_their_share(sentence, value):
    assert (GOOD, "湖南省", 2019, "1-12", value) in levels(read("湖南省2019年环境状况公报\n" + sentence))


@pytest.mark.parametrize("sentence", [
    "2019年,全省水质为劣Ⅴ类的断面占3%。",
    "2019年,全省水质达到Ⅳ类标准的断面占6%。",
])
def test_sections_of_a_worse_grade_are_no_good_share(sentence):
    assert not [g for g in levels(read("湖南省2019年环境状况公报\n" + sentence)) if g[0] == GOOD]


def test_a_rate_named_again_by_its_tail_and_a_goal_word_is_that_rates_goal():
    text = "湖南省2023年农村环境整治\n2023年,全省农村生活污水治理率达到41.2%,比年度目标高出2个百分点(年度治理率目标为39%)。"
    ms = read(text)
    assert ("农村生活污水治理率", "湖南省", 2023, "1-12", 39.0) in levels(ms)
    assert [m.kind for m in ms if m.value == 39.0] == ["target"]


def test_a_tail_after_a_semicolon_is_another_things_rate():
    text = "湖南省2023年农村环境整治\n2023年,全省农村生活污水治理率达到41.2%;整治农村黑臭水体130个,治理率达到30%。"
    assert ("农村生活污水治理率", "湖南省", 2023, "1-12", 30.0) not in levels(read(text))


def test_a_rivers_part_before_a_semicolon_does_not_reach_the_coastal_share_after_it():
    text = "2022年,全国地表水水质持续向好,珠江干流水质保持Ⅱ类;近岸海域水质优良比例达到81.9%。"
    assert ("近岸海域水质优良比例", "全国", 2022, "1-12", 81.9) in levels(read(text))


def test_a_part_of_the_same_medium_after_a_semicolon_stays_a_part():
    text = "2022年,全国地表水水质持续向好;珠江干流水质优良比例达到98.5%。"
    assert not [g for g in levels(read(text)) if g[4] == 98.5 and g[1] == "全国"]


def test_a_note_with_commas_between_a_name_and_its_figure_keeps_them_one_clause():
    text = ("四川省绵阳市2020年环境质量公报\n2020年,全市集中式饮用水水源地取水总量5000万吨,"
            "水质达标率(按基本项目评价,不计总氮,以下同)为99.5%。")
    assert ("饮用水水源地水质达标比例", "绵阳市", 2020, "1-12", 99.5) in levels(read(text))


def test_a_bracket_listing_figures_is_still_cut_at_its_commas():
    text = "四川省绵阳市2020年环境质量公报\n2020年,全市优良天数为330天(其中:优120天,良210天)。"
    got = levels(read(text))
    assert ("优良天数", "绵阳市", 2020, "1-12", 330.0) in got
    assert not [g for g in got if g[0] == "优良天数" and g[4] in (120.0, 210.0)]


@pytest.mark.parametrize("sentence, value", [
    ("2016年共立案处罚环境违法案件2450个。", 0.245),
    ("2016年,各级环保部门处罚环境违法案件1200件。", 0.12),
])
def test_cases_filed_and_penalised_are_penalty_cases(sentence, value):
    got = levels(read("江苏省2016年环境状况公报\n" + sentence))
    assert [g[0] for g in got if abs(g[4] - value) < 1e-9] == ["行政处罚案件数"]


def test_a_headline_giving_the_texts_figure_again_leaves_the_texts_sentence():
    text = ("3月份我省优良天数比例为91%\n发布时间:2027-04-10\n"
            "今年3月份,河南省优良天数比例为91.0%,同比上升3.1个百分点。")
    ms = [m for m in read(text) if m.indicator == "优良天数比例" and m.kind == "actual"]
    assert [m.value_text for m in ms] == ["91.0"]


def test_a_headline_figure_the_text_does_not_repeat_stays():
    text = "河南省3月份优良天数比例为91%\n发布时间:2027-04-10\n今年3月份,全省PM2.5平均浓度为40微克/立方米。"
    assert [m.value_text for m in read(text) if m.indicator == "优良天数比例" and m.kind == "actual"] == ["91"]


@pytest.mark.parametrize("clause", ["提前达到“十四五”末80%的目标值", "超额完成2025年80%的目标", "已实现年度80%的目标任务"])
def test_a_goal_clause_naming_no_quantity_is_the_goal_of_the_indicator_before_it(clause):
    text = "浙江省2025年海洋环境\n2025年1-9月,全省近岸海域水质优良比例达到86.5%," + clause + "。"
    ms = [m for m in read(text) if m.kind == "target"]
    assert [(m.indicator, m.year, m.months, m.value) for m in ms] == [("近岸海域水质优良比例", 2025, "1-12", 80.0)]


def test_a_short_class_name_said_of_sections_keeps_the_sections_share_beside_lakes():
    text = ("湖南省2023年环境\n2023年,全省对80条河流的200个断面、10个湖泊、12座水库进行了监测。"
            "其中,水质为Ⅰ至Ⅲ类的断面占比88.2%。")
    assert (GOOD, "湖南省", 2023, "1-12", 88.2) in levels(read(text))


def test_a_short_class_name_after_lakes_alone_is_still_the_lakes_share():
    text = "湖南省2023年环境\n2023年,全省10个湖泊、12座水库进行了监测。其中,水质为Ⅰ至Ⅲ类的占比70%。"
    assert [g[0] for g in levels(read(text)) if g[4] == 70.0] == ["重点湖库水质优良比例"]


def test_a_networks_share_stated_first_is_the_headline_and_stays_the_regions():
    text = ("福建省2024年3月水环境质量\n2024年3月,福建省国考断面水质优良比例为97.2%。\n"
            "全省监测断面水质优良比例为95.1%。")
    got = [g for g in levels(read(text)) if g[0] == GOOD]
    assert (GOOD, "福建省", 2024, "3", 97.2) in got


def test_a_networks_share_stated_after_the_wholes_is_a_part():
    text = ("福建省2024年3月水环境质量\n2024年3月,全省监测断面水质优良比例为95.1%。\n"
            "国考断面水质优良比例为97.2%。")
    got = [g for g in levels(read(text)) if g[0] == GOOD]
    assert (GOOD, "福建省", 2024, "3", 95.1) in got and not [g for g in got if g[4] == 97.2 and g[1]]
