"""Wordings off the catalog's own: names whose subscript a scrape lost, a unit whose superscript it
lost, a spam spinner's swaps, other names of the enforcement figures, a plan's future tense, and
shares after a count that only water classes name (etl/extract/class_shares.py).

Sentences are written in our own words, read through the real clean -> segment -> context ->
extract stages."""
from __future__ import annotations

import pytest

from etl.clean import clean
from etl.extract.class_shares import class_share_alias
from tests.reading import read


def levels(metrics):
    return sorted(((m.indicator, m.region, m.kind, round(m.value, 6)) for m in metrics
                   if m.kind != "change" and m.indicator_id), key=str)


def test_pollutants_whose_subscript_was_lost_are_read_as_the_pollutants():
    ms = read("2022年6月全国空气质量状况。\n2022年6月,全国SO平均浓度为9μg/m3,同比持平;NO平均浓度为15μg/m3;"
              "O日最大8小时平均第90百分位浓度为152μg/m3;CO平均浓度为0.7mg/m3。")
    got = {(i, v) for i, _, k, v in levels(ms)}
    assert {("二氧化硫浓度", 9.0), ("二氧化氮浓度", 15.0), ("臭氧浓度", 152.0), ("一氧化碳浓度", 0.7)} <= got
    assert not any(i == "PM10浓度" for i, _ in got)


@pytest.mark.parametrize("written, restored", [
    ("二氧化硫(SO)浓度", "二氧化硫(SO2)浓度"), ("臭氧(O)浓度", "臭氧(O3)浓度"),
    ("CO浓度为1", "CO浓度为1"), ("NOx浓度", "NOx浓度"), ("2O21年", "2021年")])
def test_a_lost_subscript_is_put_back_only_before_a_pollutants_figure(written, restored):
    assert clean(written).text == restored


def test_a_unit_whose_superscript_was_lost_is_still_the_unit():
    ms = read("2019年,全国338个地级及以上城市PM10平均浓度为68 ug/m,PM2.5平均浓度为36 ug/m。")
    assert {("PM10浓度", 68.0), ("PM2.5浓度", 36.0)} <= {(i, v) for i, _, k, v in levels(ms)}


def test_the_spinners_swaps_are_undone_inside_indicator_names():
    text = clean("2023年宇宙受稠浊耕地安全专揽率达到91%,农村活命浑水惩处率达到38%,"
                 "昼间、夜间达标率分辨为95.0%、86.1%,同比分辨高潮0.2个百分点、0.3个百分点。").text
    assert "受污染耕地安全利用率" in text and "农村生活污水治理率" in text
    assert "分别为95.0%" in text and "同比分别上升0.2" in text
    assert clean("水质地表").text == "水质地表"   # not every 质地 is a spun 质量


def test_penalty_totals_and_complaints_under_other_names():
    ms = read("2021年某市生态环境执法工作。\n2021年,全市共下达行政处罚决定书236件,处罚金额达3120万元;"
              "共受理环境信访投诉案件58件,信访投诉案件中噪声类12件。案件平均处罚金额13.2万元。",
              title="2021年宿迁市生态环境执法工作")
    got = {(i, v) for i, _, k, v in levels(ms)}
    assert ("罚没款数额", 0.312) in got and ("群众信访举报件数", 0.0058) in got
    assert ("群众信访举报件数", 0.0012) not in got   # a part of the complaints
    assert ("罚没款数额", 0.00132) not in got        # a mean per case


def test_a_plans_future_tense_makes_its_figure_a_target():
    ms = read("某省林业发展规划。\n到2030年,某省将实现森林覆盖率达到40.5%。", title="2028年浙江省林业发展规划")
    assert [(i, k, v) for i, _, k, v in levels(ms)] == [("森林覆盖率", "target", 40.5)]


def test_jiang_straight_before_a_figure_takes_an_object_and_is_no_future_tense():
    ms = read("2031年全国环境执法工作。\n2031年,全国累计将291.5万个固定污染源纳入排污管理,开展常态化核查。")
    assert [(i, k, v) for i, _, k, v in levels(ms)] == [("排污许可管理固定污染源数", "actual", 291.5)]


def test_a_share_after_a_list_comma_is_the_share_of_the_count_before_it():
    ms = read("2019年5月,湖北省Ⅰ~Ⅲ类水质断面210个、占88.2%;Ⅳ类水质断面15个、占6.3%。")
    assert [(i, v) for i, _, k, v in levels(ms)] == [("地表水优良水质断面比例", 88.2)]


def test_a_share_after_counts_named_by_classes_alone():
    ms = read("2020年,岳阳市地表水30个监测断面中,Ⅱ类水质断面25个、Ⅲ类3个,占93.3%;"
              "全市12个主要湖泊水库中,水质达到Ⅲ类及以上的有9个,占75.0%。")
    assert [(i, v) for i, _, k, v in levels(ms)] == [("地表水优良水质断面比例", 93.3), ("重点湖库水质优良比例", 75.0)]


@pytest.mark.parametrize("counted, alias", [
    ("Ⅰ类~Ⅲ类断面", "Ⅰ—Ⅲ类水质比例"), ("达到或优于III类的", "Ⅰ—Ⅲ类水质比例"), ("劣Ⅴ类的", "劣Ⅴ类水质比例"),
    ("Ⅱ类", None), ("Ⅲ类", None), ("Ⅳ类水质断面", None), ("Ⅳ类和劣Ⅴ类", None)])
def test_which_classes_make_a_catalog_share(counted, alias):
    assert class_share_alias(counted) == alias


def test_a_headlines_round_figure_beside_the_exact_one_is_one_value():
    ms = read("2022年全国环境行政处罚金额超98亿元\n2022年,全国共下达环境行政处罚决定书9.1万份,罚没款数额总计98.6亿元。",
              title="2022年全国环境执法")
    assert [v for i, _, k, v in levels(ms) if i == "罚没款数额"] == [98.6]


def test_a_fall_rounded_in_the_telling_is_still_a_change():
    ms = read("2023年,我国单位国内生产总值二氧化碳排放比2005年下降超过48%。", title="2023年全国应对气候变化进展")
    changes = [(m.indicator, m.value) for m in ms if m.kind == "change" and m.indicator_id]
    assert changes == [("碳排放强度下降率", -48.0)] and not levels(ms)


def test_a_base_year_inside_a_reductions_name():
    # the year before: the year's own fall; an older base: a fall since then, no level
    ms = read("2022年,全国碳排放强度比2021年降低4.1%,比2005年累计下降51.2%。", title="2022年全国应对气候变化进展")
    assert [(i, v) for i, _, k, v in levels(ms)] == [("碳排放强度下降率", 4.1)]


def test_progress_on_a_goal_opening_the_sentence_makes_no_target():
    ms = read("2022年,落实应对气候变化目标取得积极进展,可再生能源发电装机容量达到11.5亿千瓦。",
              title="2022年全国应对气候变化进展")
    assert [(i, k, v) for i, _, k, v in levels(ms)] == [("可再生能源装机容量", "actual", 11.5)]


def test_a_bare_rate_after_reservoirs_graded_as_drinking_water():
    ms = read("2022年,某县青龙水库和白石水库水质均满足饮用水二级(Ⅲ类)的要求,达标率为100%。", title="2022年宜良县环境状况")
    assert [(i, v) for i, _, k, v in levels(ms)] == [("饮用水水源地水质达标比例", 100.0)]


def test_a_streak_shared_by_a_list_of_names():
    ms = read("2023年,全市地表水Ⅲ类及以上水质比例和县级以上集中式饮用水水源地水质达标率连续3年保持100%。",
              title="2023年温州市生态环境状况公报")
    assert [(i, v) for i, _, k, v in levels(ms)] == [("地表水优良水质断面比例", 100.0), ("饮用水水源地水质达标比例", 100.0)]


def test_other_names_of_the_lake_share_and_of_afforestation():
    ms = read("2023年,全县完成人工造林2.3万亩;全省62个湖库中,水质优良湖库数量占比为80.6%。", title="2023年某县工作总结")
    got = {(i, v) for i, _, k, v in levels(ms)}
    assert ("新增造林面积", 2.3) in got and ("重点湖库水质优良比例", 80.6) in got


def test_the_heavy_days_a_sandstorm_caused_are_a_part():
    ms = read("2024年1-6月,全国重度及以上污染天数比例为1.3%;由沙尘天气导致的超标天数比例为3.6%,"
              "其中重度及以上污染天数比例为0.8%。", title="2024年上半年全国空气质量状况")
    assert [(i, r, v) for i, r, k, v in levels(ms) if r] == [("重污染天数比例", "全国", 1.3)]


def test_a_wrapped_line_ending_on_a_pollutants_name_runs_on():
    lines = ["2024年1月1日至6月30日，某县综合指数为3.95，全市10个区县排名第", "4，同比下降7.12%；二氧化氮浓度为23μg/m3，PM 2.5",
             "年均浓度为38μg/m3，全市10个区县排名第3，同比下降5.02%；臭氧浓度", "为150μg/m3，全市10个区县排名第6，同比上升1.35%。"]
    assert "PM2.5年均浓度为38μg/m3" in clean("\n".join(lines * 2)).text


def test_a_year_the_page_measures_is_no_goal_however_early_the_pages_date():
    # a mirror dated before the year it copies: the year compared with the one before is reviewed
    text = ("发布日期:2022-11-05 08:30\n2023年全国地级及以上城市PM2.5平均浓度为30微克/立方米,同比上升3.4%。\n"
            "土壤环境方面,2023年全国受污染耕地安全利用率达到91%以上。")
    ms = read(text)
    assert ("受污染耕地安全利用率", "全国", "actual", 91.0) in levels(ms)


def test_a_reductions_fall_over_several_years_is_no_years_rate():
    ms = read("2022年全国应对气候变化工作。\n八年来,全国单位GDP二氧化碳排放下降了31.2%。2022年,单位GDP能耗下降0.1%。",
              title="2022年全国应对气候变化工作")
    assert [(i, v) for i, _, k, v in levels(ms)] == [("能耗强度下降率", 0.1)]


@pytest.mark.parametrize("sentence, indicator, value", [
    ("2021年,全市共受理环境信访件312件,环境信访案件中噪声类41件。", "群众信访举报件数", 0.0312),
    ("2022年,全省近岸海域水质优良率为88.1%。", "近岸海域水质优良比例", 88.1),
    ("2022年,全省非化石能源占比为21.3%。", "非化石能源消费比重", 21.3),
    ("2022年,全省碳强度下降4.6%。", "碳排放强度下降率", 4.6)])
def test_other_names_of_catalog_indicators(sentence, indicator, value):
    ms = read(sentence, title="2022年福建省生态环境状况公报")
    assert [(i, v) for i, _, k, v in levels(ms)] == [(indicator, value)]


def test_a_plans_future_tense_with_a_verb_of_change():
    ms = read("某省林业发展规划。\n全省森林覆盖率将提高到26.5%。", title="2026年福建省林业发展规划")
    assert [(i, k, v) for i, _, k, v in levels(ms)] == [("森林覆盖率", "target", 26.5)]


def test_cases_and_incidents_counted_in_each_others_measure_word():
    ms = read("2021年,全市共处置突发环境事件12件,作出行政处罚案件356起。", title="2021年杭州市生态环境执法")
    got = {(i, v) for i, _, k, v in levels(ms)}
    assert {("突发环境事件数", 12.0), ("行政处罚案件数", 0.0356)} <= got


def test_a_lost_point_and_a_cube_on_the_metre():
    ms = read("2015年,全市PM25平均浓度为35微克/米3,一氧化碳浓度为1.2毫克/米3。", title="2015年某市环境状况公报")
    assert [(i, v) for i, _, k, v in levels(ms)] == [("PM2.5浓度", 35.0), ("一氧化碳浓度", 1.2)]


def test_the_rest_of_a_whole_after_its_named_members_is_a_part():
    ms = read("2023年9月,全省水质优良湖库个数占比为80.0%;其中太湖水质为Ⅲ类,监测的其他40个湖库中,"
              "水质优良湖库个数占比75.0%。", title="2023年9月江苏省水环境质量")
    assert [(i, r, v) for i, r, k, v in levels(ms) if r] == [("重点湖库水质优良比例", "江苏省", 80.0)]
