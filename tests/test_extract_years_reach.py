"""Years and periods that reach the values: a news portal's 年月日 dateline glued to the story's first
sentence, a headline's month lent with its year, a line cut in passages whose opening period holds
for the regions of the later passages, a count of sections that met their goal read as an
achievement. Every document is written for the test (no page text is copied) and goes through the
real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from etl.clean import clean
from etl.extract.datelines import dateline, glued_dateline
from etl.extract.title_periods import title_lead
from etl.segment import segment
from tests.test_extract_periods import read, rows


# --- a dateline glued to the text --------------------------------------------------------------

def test_a_portal_dateline_glued_to_the_first_sentence_dates_the_page():
    head = ["某省5月份水质排名公布:甲市第一", "2022年06月09日07:45  来源:某某新闻客户端近日,天更蓝了。", "1234"]
    assert dateline(head)[2] == "2022-06-09"
    assert glued_dateline("2020年11月02日 来源:某报 昨天,某市召开会议。") == "2020-11-02"


def test_a_sentence_opening_on_a_day_is_no_dateline():
    assert glued_dateline("2022年6月9日,某市召开会议,通报了全市水质。") is None
    assert glued_dateline("2022年6月9日发布的公报显示,优良天数比例为80%。") is None


def test_this_month_of_a_page_dated_by_its_glued_dateline_has_that_year():
    ctx, ms = read("某省4月份空气质量排名:乙市最好\n"
                   "2023年05月16日20:05  来源:某某客户端近来,晴天多了起来。\n"
                   "某省生态环境厅介绍,今年4月份,全省17个省辖市PM2.5月均浓度为38微克/立方米,同比下降5微克/立方米。\n")
    assert ctx.published == "2023-05-16"
    assert [r[1:] for r in rows(ms, "PM2.5浓度")] == [(2023, "4", 38)]


# --- a headline's month ------------------------------------------------------------------------

def test_a_headline_naming_its_year_and_month_lends_both():
    assert title_lead("某省空气质量2018年6月份城市排名", 2018, "title") == (2018, ["6"], "title")
    assert title_lead("某省2018年1-6月城市排行", 2018, "title") == (2018, ["1-6"], "title")


def test_a_headline_with_a_day_or_two_periods_or_another_year_lends_no_months():
    assert title_lead("某省2018年6月5日城市排名", 2018, "title") is None
    assert title_lead("某省2018年6月和2017年6月对比", 2018, "title") is None
    assert title_lead("某省2018年6月城市排名", 2019, "title") is None
    assert title_lead("某省2018年6月城市排名", 2018, "lead") is None


def test_values_under_a_headline_with_a_month_are_that_months():
    ctx, ms = read("某省环境空气质量2016年9月份15城市排名\n"
                   "一、细颗粒物(PM2.5)\n"
                   "细颗粒物浓度最好的城市是丙市,为29μg/m3,最差的城市是丁市,为68μg/m3。\n")
    assert (ctx.report_year, ctx.default_months) == (2016, "9")
    assert {r[1:3] for r in rows(ms, "PM2.5浓度")} == {(2016, "9")}


# --- a line cut in passages ----------------------------------------------------------------------

def test_the_period_of_a_long_line_holds_for_the_regions_in_its_later_passages():
    national = ("9月份,全国339个地级及以上城市中,PM2.5平均浓度为21.5微克/立方米,同比下降6.1%;"
                "PM10平均浓度为38微克/立方米,同比下降5.0%;O3平均浓度为131微克/立方米,同比下降2.2%;"
                "SO2平均浓度为7微克/立方米,同比下降12.5%;NO2平均浓度为16微克/立方米,同比下降5.9%;"
                "平均优良天数比例为88.4%,同比上升3.1个百分点。")
    regions = ("珠三角地区9个城市PM2.5平均浓度为16.2微克/立方米,同比下降8.5%;平均优良天数比例为93.3%,"
               "同比上升4.4个百分点。成渝地区16个城市PM2.5平均浓度为19.8微克/立方米,同比下降3.4%;"
               "平均优良天数比例为90.6%,同比上升2.5个百分点。长江中游城市群22个城市PM2.5平均浓度为24.1微克/立方米,"
               "同比下降7.3%;平均优良天数比例为87.9%,同比上升1.8个百分点。关中平原5个城市PM2.5平均浓度为30.2微克/立方米,"
               "同比下降4.0%;平均优良天数比例为80.1%,同比上升6.6个百分点。") * 1
    page = ("空气质量继续改善\n来源:某网 时间:2024-10-21 10:02:33\n"
            "【多项污染物浓度继续下降】某部近日通报,空气质量持续向好。" + national + regions + "\n")
    ctx, ms = read(page)
    assert len(segment(clean(page))) > 3   # (one line longer than a passage: the segmenter cuts it)
    got = rows(ms, "PM2.5浓度")
    assert ("全国", 2024, "9", 21.5) in got
    assert ("珠三角地区", 2024, "9", 16.2) in got and ("成渝地区", 2024, "9", 19.8) in got


# --- a count of what met its goal ------------------------------------------------------------

def test_sections_that_met_their_goal_are_counted_not_set():
    ctx, ms = read("某省地表水水质月报\n"
                   "现将2021年1至10月水质情况通报如下:\n"
                   "全省120个考核断面中达到水质目标要求的断面110个,占91.7%;水质符合Ⅰ~Ⅲ类的断面106个,占88.3%;"
                   "水质为劣Ⅴ类的断面1个,占0.8%。\n")
    assert rows(ms, "地表水优良水质断面比例", "target") == []
    assert [r[1:] for r in rows(ms, "地表水优良水质断面比例")] == [(2021, "1-10", 88.3)]


def test_a_headline_month_dating_an_event_lends_no_months():
    assert title_lead("某市生态环境局2022年3月新闻发布会实录", 2022, "title") is None
