"""The page's date where the page prints it below its text (a signature, a month in brackets), a
related link's date that is no dateline, month ranges written with odd dashes, and running
totals '截至X月(底)' that cover January through X. Every document is written for the test (no
page text is copied) and goes through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

import pytest

from etl.extract.datelines import signed_date
from etl.extract.periods import name_last_month, period_of
from etl.text.normalise import normalise_width
from tests.test_extract_periods import read, rows

# --- the date a page signs itself with --------------------------------------------------------


def test_a_notice_signed_with_its_date_at_the_end_is_dated_by_it():
    ctx, ms = read("关于9月份全县空气质量情况的通报\n各镇人民政府、县直有关部门：\n"
                   "9月，全县优良天数为28天，优良天数比例为93.3%。\n"
                   "1-9月，全县优良天数比例为84.0%。\n"
                   "请各单位对照问题抓好整改。\n蒙山县生态环境局\n2021年10月9日\n")
    assert ctx.published == "2021-10-09"
    assert rows(ms, "优良天数比例") == [("蒙山县", 2021, "1-9", 84.0), ("蒙山县", 2021, "9", 93.3)]


def test_a_month_in_brackets_closing_a_note_dates_its_months_but_is_no_publication_day():
    ctx, ms = read("平远县空气质量简况\n1—5月，平远县PM2.5平均浓度为21微克/立方米。\n"
                   "5月，平远县PM2.5平均浓度为15微克/立方米。\n（2022年6月）\n")
    assert ctx.published is None
    assert rows(ms, "PM2.5浓度") == [("平远县", 2022, "1-5", 21), ("平远县", 2022, "5", 15)]


@pytest.mark.parametrize("tail", [
    ["上一篇：某县召开会议", "2022-05-03", "下一篇：某县开展巡查", "2022-05-19"],   # dated related links
    ["GMT+8, 2024-10-27 13:31"],                                                  # a forum's clock
    ["来源：某县融媒体中心"],
])
def test_dated_links_and_a_footer_clock_sign_nothing(tail):
    assert signed_date(tail) is None


def test_a_month_in_brackets_above_the_text_is_its_period_not_its_signature():
    assert signed_date(["（2023年9月）", "全县优良天数比例为93.3%。"]) is None
    assert signed_date(["全县优良天数比例为93.3%。", "（2023年10月）"]) == "2023-10"


def test_an_undated_page_with_only_its_links_dated_stays_undated():
    ctx, ms = read("旬邑县空气质量动态\n1-4月，旬邑县优良天数比例为79.2%。\n相关链接\n"
                   "旬邑县部署秋冬季大气污染防治\n2023-09-02\n旬邑县检查扬尘治理\n2023-08-17\n")
    assert ctx.published is None
    assert [r for r in rows(ms, "优良天数比例") if r[1] is not None] == []   # (a value with no year is not kept)


def test_a_bare_date_under_the_headline_is_still_the_dateline():
    ctx, _ = read("旬邑县空气质量动态\n2023-05-06\n1-4月，旬邑县优良天数比例为79.2%。\n")
    assert ctx.published == "2023-05-06"


# --- dashes and running totals ----------------------------------------------------------------

@pytest.mark.parametrize("text, months", [
    ("1\u20154月", "1-4"),    # a horizontal bar
    ("1\u22124月", "1-4"),    # a minus sign
    ("1\u20104月", "1-4"),    # a hyphen
    ("1\u301c4月", "1-4"),    # a wave dash
    ("1月\u20154月份", "1-4"),
])
def test_a_month_range_written_with_any_dash_is_a_range(text, months):
    assert period_of(normalise_width(text)) == months


def test_the_minus_sign_of_a_change_column_becomes_a_minus():
    assert normalise_width("\u22123.5%") == "-3.5%"


@pytest.mark.parametrize("text, months", [
    ("截至8月份", "1-8"), ("截至8月底", "1-8"), ("截止到11月末", "1-11"), ("截至2022年7月31日", "1-7"),
    ("截至十月底", "1-10"), ("截至1月底", "1"),
    ("截至9月16日", None),      # part of a month: no period
    ("8月份", "8"),             # a month alone is that month
])
def test_a_running_total_to_a_month_covers_january_through_it(text, months):
    assert period_of(text) == months


def test_a_running_total_of_a_dated_page_is_an_actual_from_january():
    ctx, ms = read("武功县蓝天保卫战进展\n发布时间：2021-11-04\n"
                   "截至10月底，武功县累计优良天数为241天，PM2.5累计平均浓度为43微克/立方米。\n")
    assert rows(ms, "优良天数") == [("武功县", 2021, "1-10", 241)]
    assert rows(ms, "PM2.5浓度") == [("武功县", 2021, "1-10", 43)]


# --- a table titled with its months alone ----------------------------------------------------

TABLE = ("城市 | PM2.5(微克/立方米) | 优良天数比例(%) |\n"
         "汉阴县 | 21 | 95.2 |\n石泉县 | 19 | 97.1 |\n")


def test_a_table_titled_with_a_month_alone_takes_the_year_of_the_dated_page():
    ctx, ms = read("安康市环境质量月报\n发布时间：2022-08-12\n安康市各县7月空气质量\n" + TABLE)
    assert rows(ms, "PM2.5浓度") == [("汉阴县", 2022, "7", 21), ("石泉县", 2022, "7", 19)]


def test_a_table_caption_naming_months_to_date_gives_them_not_the_whole_year():
    ctx, ms = read("安康市环境质量月报\n发布时间：2022-08-12\n7月，全市空气质量总体良好。\n"
                   "表1 各县1\u20157月空气质量\n" + TABLE)
    assert rows(ms, "优良天数比例") == [("汉阴县", 2022, "1-7", 95.2), ("石泉县", 2022, "1-7", 97.1)]


def test_a_table_titled_with_a_month_on_an_undated_page_stays_undated():
    ctx, ms = read("安康市环境质量月报\n安康市各县7月空气质量\n" + TABLE)
    assert [r for r in rows(ms, "PM2.5浓度") if r[1] is not None] == []


# --- spans of days ----------------------------------------------------------------------------

def test_a_span_of_days_covering_whole_months_is_those_months():
    ctx, ms = read("留坝县空气质量通报\n发布时间：2022-07-05\n"
                   "2022年1月1日至2022年6月30日，留坝县优良天数为175天，优良天数比例为96.7%。\n")
    assert rows(ms, "优良天数") == [("留坝县", 2022, "1-6", 175)]


@pytest.mark.parametrize("opening", ["1月1日-6月12日", "截至6月12日", "6月1日至6月12日"])
def test_part_of_a_month_is_no_period_and_its_values_are_not_read(opening):
    ctx, ms = read("留坝县空气质量通报\n发布时间：2022-06-14\n"
                   f"{opening}，留坝县优良天数为158天，PM2.5平均浓度为24微克/立方米。\n")
    assert rows(ms, "优良天数") == [] and rows(ms, "PM2.5浓度") == []


def test_a_repost_is_dated_by_the_original_it_carries_not_by_its_own_date():
    # (reposted in January: the original of late December says 今年 of the year before)
    ctx, ms = read("略阳县1-11月空气质量\n2024-01-03 转载\n来源：略阳县人民政府 发布时间：2023-12-08\n"
                   "今年1-11月，略阳县优良天数比例为91.4%。\n")
    assert ctx.published == "2023-12-08"
    assert rows(ms, "优良天数比例") == [("略阳县", 2023, "1-11", 91.4)]


def test_the_rows_of_a_dated_table_are_no_dateline():
    ctx, _ = read("略阳县空气质量日报汇总\n发布时间：2023-12-08\n日期 | AQI |\n2023-11-01 | 45 |\n"
                  "2023-11-02 | 52 |\n")
    assert ctx.published == "2023-12-08"


# --- last month --------------------------------------------------------------------------------

@pytest.mark.parametrize("dated, year, month", [("2023-05-11", 2023, "4"), ("2024-01-09", 2023, "12")])
def test_last_month_in_the_lead_is_the_month_before_the_pages_date(dated, year, month):
    ctx, ms = read(f"镇巴县上月空气质量排名全市第二\n来源：某市日报 {dated}\n"
                   "上月，镇巴县优良天数比例为96.8%，PM2.5平均浓度为17微克/立方米。\n")
    assert rows(ms, "优良天数比例") == [("镇巴县", year, month, 96.8)]


def test_last_month_as_a_comparison_names_no_period():
    assert name_last_month("与上月相比下降2.1%，较上月上升", "2023-05-11") == "与上月相比下降2.1%，较上月上升"
    assert name_last_month("上个月份，全县", "2023-05-11") == "4月，全县"
    assert name_last_month("上月，全县", None) == "上月，全县"


# --- official monthly notices ----------------------------------------------------------------

@pytest.mark.parametrize("written, digits", [("二〇二二年", "2022年"), ("二○一九年三月", "2019年三月"),
                                             ("二O二一年", "2021年"), ("三四五六年", "三四五六年")])
def test_a_year_in_chinese_digits_is_read_as_a_year(written, digits):
    assert normalise_width(written) == digits


NOTICE = ("收录时间:2021-03-02\n镇坪县环境质量报表\n发布时间:2018-06-20 来源:镇坪县环保局\n第52期\n"
          "镇坪县二〇一八年五月份环境质量状况\n"
          "按照有关规定,现将2018年5月份全县环境质量状况报告如下。\n"
          "本月县城空气质量优良率为93.5%。\n")


def test_a_notice_on_one_month_reads_this_month_as_that_month():
    ctx, ms = read(NOTICE)
    assert ctx.published == "2018-06-20"   # the page's own date, not the archive's
    assert rows(ms, "优良天数比例") == [("镇坪县", 2018, "5", 93.5)]


def test_this_month_with_no_month_announced_is_no_period():
    ctx, ms = read("镇坪县2018年环境质量简报\n发布时间:2018-06-20\n本月县城空气质量优良率为93.5%。\n")
    assert rows(ms, "优良天数比例") == []


def test_a_repost_dated_after_the_signature_it_carries_is_dated_by_the_signature():
    ctx, _ = read("某省1-3月空气质量通报\n发布时间: 2021-06-23 来源: 某日报\n"
                  "2021年1-3月,全省优良天数比例为82.7%。\n某省生态环境厅\n2021年4月23日\n")
    assert ctx.published == "2021-04-23"
