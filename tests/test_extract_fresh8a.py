"""Shapes found on fresh real pages (eighth session, helper fresh8a), each written for the test in
our own words: a page's metadata printed as bullets under its title, one of them its bare date;
…"""
from __future__ import annotations

import pytest

from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.segment import segment


def read(text: str):
    paragraphs = segment(clean(text))
    ctx = document_context(paragraphs)
    return ctx, extract(paragraphs, ctx)


def rows(metrics):
    return {(m.indicator, m.region, m.year, m.months, m.kind, m.value) for m in metrics
            if m.kind in ("actual", "target")}


# --- a bare date as one bullet of the page's metadata ---------------------------------------------

@pytest.mark.parametrize("bullet", ["•", "·", "▪", "●"])
def test_a_bulleted_bare_date_under_the_title_dates_the_page(bullet):
    ctx, ms = read(f"首页  某省新闻  民生\n\n省厅通报今年前五个月空气质量\n\n  {bullet} 来源:某某网\n"
                   f"  {bullet} |\n  {bullet} 2019-05-06\n  {bullet} |\n  {bullet} 3 条评论\n\n"
                   "  今年1-4月，宁波市PM2.5均值为41微克/立方米。\n")
    assert ctx.published == "2019-05-06"
    assert ("PM2.5浓度", "宁波市", 2019, "1-4", "actual", 41.0) in rows(ms)


def test_a_bulleted_link_with_a_headline_and_a_date_is_still_another_articles_link():
    ctx, _ = read("某省空气质量通报\n\n  • 某市召开大气污染防治推进会 2018-03-02\n\n"
                  "  今年一季度，全省空气质量总体平稳。\n")
    assert ctx.published is None


# --- a list of places in an earlier part of the sentence is no subject after a semicolon -----------

@pytest.mark.parametrize("opening, listed", [
    ("2021年，江西省PM2.5平均浓度为29微克/立方米，", "赣州、吉安、抚州3市PM2.5达到二级标准"),
    ("2021年，江西省PM2.5平均浓度为29微克/立方米，", "赣州、吉安和抚州的PM2.5浓度同比下降"),
    ("2021年，江西省PM2.5平均浓度为29微克/立方米，", "赣州市、吉安市以及抚州市年均浓度首次达标"),
])
@pytest.mark.parametrize("tail", ["优良天数比例为91.4%。", "优良天数比例平均为91.4%。"])
def test_a_value_after_a_semicolon_keeps_the_sentence_subject_not_an_earlier_list(opening, listed, tail):
    _, ms = read(opening + listed + "；" + tail)
    assert ("优良天数比例", "江西省", 2021, "1-12", "actual", 91.4) in rows(ms)
    assert not {r for r in rows(ms) if r[0] == "优良天数比例" and r[1] != "江西省"}


def test_places_listed_in_the_values_own_part_still_share_or_split_it():
    _, ms = read("2021年，赣州、吉安2市优良天数比例均为96.0%。")
    assert {("优良天数比例", "赣州市", 2021, "1-12", "actual", 96.0),
            ("优良天数比例", "吉安市", 2021, "1-12", "actual", 96.0)} <= rows(ms)
    _, ms = read("2021年，赣州、吉安PM2.5平均浓度分别为27、30微克/立方米；优良天数比例分别为95.1%、93.7%。")
    assert {("优良天数比例", "赣州市", 2021, "1-12", "actual", 95.1),
            ("优良天数比例", "吉安市", 2021, "1-12", "actual", 93.7)} <= rows(ms)


def test_an_average_is_no_each():
    """'平均为' holds 均为 but says an average: a list before it is not given the value one by one."""
    _, ms = read("2021年，江西省PM2.5平均浓度为29微克/立方米，赣州、吉安2市PM2.5同比下降，优良天数比例平均为91.4%。")
    assert not {r for r in rows(ms) if r[0] == "优良天数比例" and r[1] in ("赣州市", "吉安市")}


# --- a share of a goal done is no level ------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "2019年1-6月，湖北省平均优良天数为150天，完成了全年优良天数目标(260天)的57.7%。",
    "2019年1-6月，湖北省优良天数比例完成年度目标任务的96%。",
    "2019年，湖北省完成造林48万亩，占全年任务数的80.2%。",
    "2019年1-6月，湖北省PM2.5平均浓度完成序时进度的101%。",
    "2019年1-6月，湖北省優良天數達到年度計劃的58%。",
    "2019年，湖北省完成植树造林96.1万亩，占任务85万亩的113.1%。",
])
def test_a_share_of_a_goal_done_is_not_read_as_a_level(sentence):
    _, ms = read(sentence)
    assert not {r for r in rows(ms) if r[-1] in (57.7, 96.0, 80.2, 101.0, 58.0, 113.1)}


@pytest.mark.parametrize("sentence, kept", [
    ("2019年，湖北省完成年度目标，优良天数比例为84.3%。", ("优良天数比例", "actual", 84.3)),
    ("2019年，湖北省优良天数比例为84.3%，高于年度目标(80%)。", ("优良天数比例", "target", 80.0)),
    ("2019年，湖北省优良天数比例达到目标的要求，为84.3%。", ("优良天数比例", "actual", 84.3)),
])
def test_a_level_beside_a_goal_word_is_still_read(sentence, kept):
    _, ms = read(sentence)
    assert kept in {(r[0], r[4], r[5]) for r in rows(ms)}


# --- an inclusive note inside a bound does not cut the bound off its comparison word ---------------

@pytest.mark.parametrize("note", ["(含)", "（含）", "(含本数)"])
def test_a_bound_with_an_inclusive_note_is_no_level(note):
    _, ms = read(f"2017年1-5月，全省11个城市中，丽水、衢州等4个城市PM2.5平均值低于{note}35微克/立方米。")
    assert not {r for r in rows(ms) if r[0] == "PM2.5浓度"}


def test_a_bracket_naming_what_a_whole_includes_still_sets_it_apart():
    _, ms = read("2017年，全市(含甲县)PM2.5平均浓度为33微克/立方米。")
    assert all(r[1] != "甲县" for r in rows(ms))


# --- a carbon market's compliance and spot trade -----------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "截至2022年9月底，天津市纳入配额管理的企业已全部完成2021年度配额清缴，继续保持100%履约的纪录。",
    "2021年度，天津市重点排放单位实现100%履约。",
    "2021年度，天津市重点排放单位100%完成配额清缴。",
])
def test_a_percentage_followed_by_compliance_is_the_surrender_rate(sentence):
    _, ms = read(sentence)
    assert ("配额清缴完成率", "天津市", 2021, "1-12", "actual", 100.0) in rows(ms)


def test_a_percentage_before_the_compliance_period_is_no_surrender_rate():
    _, ms = read("2021年，天津市碳市场成交量同比增长100%履约期内交易活跃。")
    assert not {r for r in rows(ms) if r[0] == "配额清缴完成率"}


@pytest.mark.parametrize("label", ["碳市场现货产品累计成交", "碳市场配额现货累计成交量"])
def test_the_spot_trade_of_a_carbon_market_is_its_running_total(label):
    _, ms = read(f"截至2021年9月底，湖北{label}3.6亿吨。")
    assert ("碳市场累计成交量", "湖北省", 2021, "1-9", "actual", 3.6) in rows(ms)


def test_a_years_spot_trade_is_no_running_total():
    _, ms = read("2021年，湖北碳市场现货成交量0.3亿吨。")
    assert not {r for r in rows(ms) if r[0] == "碳市场累计成交量"}


# --- a figure followed by the assessment's requirement is that requirement --------------------------

@pytest.mark.parametrize("tail", ["高于省定70%的考核指标。", "好于省定70%的年度考核要求。", "高于省定70%的目标。"])
def test_a_figure_followed_by_an_assessment_requirement_is_a_goal(tail):
    _, ms = read("2018年，大同市优良天数比例为75.1%，" + tail)
    assert ("优良天数比例", "大同市", 2018, "1-12", "target", 70.0) in rows(ms)
    assert ("优良天数比例", "大同市", 2018, "1-12", "actual", 75.1) in rows(ms)


# --- the sea's good share named by its grades ------------------------------------------------------

@pytest.mark.parametrize("name", ["近岸海域考核点位中，水质达到或优于二类的比例",
                                  "近岸海域水质达到或优于二类标准的点位比例",
                                  "近岸海域符合第一、二类海水水质标准的比例"])
def test_the_seas_good_share_may_be_named_by_its_grades(name):
    _, ms = read(f"2016年，大连市{name}为87.5%。")
    assert ("近岸海域水质优良比例", "大连市", 2016, "1-12", "actual", 87.5) in rows(ms)


@pytest.mark.parametrize("name", ["12个国考断面中，水质达到或优于Ⅱ类的比例", "地表水断面水质达到或优于二类的比例"])
def test_a_rivers_share_up_to_grade_two_is_no_sea_share(name):
    _, ms = read(f"2016年，大连市{name}为41.7%。")
    assert not {r for r in rows(ms) if r[0] in ("近岸海域水质优良比例", "地表水优良水质断面比例")}


def test_a_goal_set_by_a_named_level_after_a_comparison_takes_the_sentences_indicator():
    _, ms = read("2018年，大连市近岸海域优良水质比例为87.5%，优于国家70%的年度考核要求。")
    assert ("近岸海域水质优良比例", "大连市", 2018, "1-12", "target", 70.0) in rows(ms)


@pytest.mark.parametrize("tail", ["高于国家平均29微克/立方米。", "低于省平均水平41微克/立方米。"])
def test_a_yardsticks_figure_after_a_comparison_stays_no_level(tail):
    _, ms = read("2018年，大连市PM2.5浓度为33微克/立方米，" + tail)
    assert {r for r in rows(ms) if r[0] == "PM2.5浓度"} == {("PM2.5浓度", "大连市", 2018, "1-12", "actual", 33.0)}


# --- a goal's label before a colon ---------------------------------------------------------------------

@pytest.mark.parametrize("label", ["省里下达的空气质量改善目标为：", "年度目标：", "全年的主要目标如下："])
def test_figures_after_a_goals_label_and_colon_are_the_goal(label):
    _, ms = read(f"2022年，{label}岳阳市PM2.5年平均浓度38微克/立方米，优良天数比例为84.5%。")
    assert {("PM2.5浓度", "岳阳市", 2022, "1-12", "target", 38.0),
            ("优良天数比例", "岳阳市", 2022, "1-12", "target", 84.5)} <= rows(ms)


@pytest.mark.parametrize("label", ["完成了年度目标：", "实现年度目标：", "目标完成情况：", "主要指标："])
def test_figures_after_a_label_of_a_goal_reached_or_of_results_are_levels(label):
    _, ms = read(f"2022年，岳阳市{label}PM2.5年平均浓度38微克/立方米，优良天数比例为84.5%。")
    assert ("PM2.5浓度", "岳阳市", 2022, "1-12", "actual", 38.0) in rows(ms)


def test_a_later_label_ends_the_goals_reach():
    _, ms = read("2022年，岳阳市年度目标：PM2.5浓度38微克/立方米；实际完成：PM2.5浓度35微克/立方米。")
    assert {("PM2.5浓度", "岳阳市", 2022, "1-12", "target", 38.0),
            ("PM2.5浓度", "岳阳市", 2022, "1-12", "actual", 35.0)} <= rows(ms)


def test_a_list_measured_in_its_own_part_stays_the_sentences_subject():
    """'…西北诸河、西南诸河…比例为X%；劣Ⅴ类…为Y%': the list is what both parts measure."""
    _, ms = read("2021年1-5月，七大流域和西北诸河、西南诸河水质优良断面比例为85.1%；劣Ⅴ类断面比例为1.9%。")
    assert not {r for r in rows(ms) if r[-1] == 1.9 and r[1] in ("西北诸河", "西南诸河", "全国")}
