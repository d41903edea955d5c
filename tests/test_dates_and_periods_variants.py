"""Wordings of years, periods and dates that the variation grid (tests/fixtures/variants_time7)
found unread: a notice signed in Chinese numerals, a month range in Chinese numerals, a note
giving the figures' span of days, a clause naming only its period, a heading's quarter in the
page's own year, '1月份至4月份', '今年1月以来', a text opening on its date, and a spam line above
the text that is the only place naming the period. Documents are written for the test."""
from __future__ import annotations

from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.extract.chinese_dates import in_arabic_digits
from etl.extract.footnote_periods import footnote_period
from etl.segment import segment


def context_and_metrics(text: str):
    paragraphs = segment(clean(text))
    ctx = document_context(paragraphs)
    return ctx, extract(paragraphs, ctx)


def actual(metrics, indicator):
    return sorted((m.region, m.year, m.months, m.value) for m in metrics
                  if m.indicator == indicator and m.kind == "actual" and m.confidence >= 0.5)


# --- a date written in Chinese numerals -----------------------------------------------------------

def test_chinese_numeral_dates_are_rewritten_in_digits():
    assert in_arabic_digits("二〇一九年十一月三日") == "2019年11月3日"
    assert in_arabic_digits("二零二二年二月二十八日") == "2022年2月28日"
    assert in_arabic_digits("2020年十二月") == "2020年12月"   # (the cleaner may have rewritten the year)
    assert in_arabic_digits("共一二三四年") == "共一二三四年"   # no year one can read


def test_a_notice_signed_in_chinese_numerals_dates_its_months():
    ctx, ms = context_and_metrics("闽侯县一至三月空气质量简报\n\n一至三月，全县PM2.5平均浓度为31微克/立方米。\n"
                                  "三月份，全县PM2.5平均浓度为26微克/立方米。\n\n闽侯县环境保护局\n二〇一九年四月九日\n")
    assert ctx.published == "2019-04-09"
    assert (2019, "1-3", 31.0) in [(y, mo, v) for _, y, mo, v in actual(ms, "PM2.5浓度")]
    assert (2019, "3", 26.0) in [(y, mo, v) for _, y, mo, v in actual(ms, "PM2.5浓度")]


# --- a note giving the span of days ---------------------------------------------------------------

def test_a_note_dates_the_figures_by_its_span_of_days():
    assert footnote_period(["注：以上数据为2019年1月1日至9月30日均值。"]) == (2019, "1-9")
    assert footnote_period(["统计时段：2018年1月1日—2018年3月31日"]) == (2018, "1-3")
    assert footnote_period(["注：2019年10月1日至2020年3月31日"]) is None      # across two years
    assert footnote_period(["注：以上数据为2019年1月1日至9月18日"]) is None   # part of a month
    assert footnote_period(["2019年1月1日至9月30日，全市开展了专项行动。"]) is None   # no note


def test_a_table_under_a_comparison_takes_the_year_of_its_note():
    text = ("福州市各区空气质量\n\n截至9月30日，全市PM2.5平均浓度为28微克/立方米，与2015年相比明显下降。\n\n"
            "区 | PM2.5（微克/立方米） |\n鼓楼区 | 27 |\n台江区 | 30 |\n注：以上数据为2019年1月1日至9月30日均值。\n")
    ctx, ms = context_and_metrics(text)
    assert (ctx.report_year, ctx.report_year_explicit) == (2019, True)
    found = actual(ms, "PM2.5浓度")
    assert found and all((y, mo) == (2019, "1-9") for _, y, mo, _ in found)


# --- periods ---------------------------------------------------------------------------------------

def test_a_clause_naming_only_its_period_speaks_of_the_indicator_before_it():
    _, ms = context_and_metrics("福州市上半年空气质量\n发布时间：2019-07-09\n\n"
                                "2014年以来，全市优良天数比例稳步提高，今年上半年为83.9%。\n")
    assert [(y, mo, v) for _, y, mo, v in actual(ms, "优良天数比例")] == [(2019, "1-6", 83.9)]


def test_month_ranges_in_chinese_numerals_and_with_fen_on_both_ends():
    _, ms = context_and_metrics("福州市环境质量\n发布时间：2019-06-12\n\n一至五月，全市PM2.5平均浓度为35微克/立方米。"
                                "1月份至5月份，全市PM10平均浓度为61微克/立方米。\n")
    assert [(y, mo) for _, y, mo, _ in actual(ms, "PM2.5浓度")] == [(2019, "1-5")]
    assert [(y, mo) for _, y, mo, _ in actual(ms, "PM10浓度")] == [(2019, "1-5")]


def test_since_january_is_the_year_so_far():
    _, ms = context_and_metrics("福州市空气质量\n发布时间：2019-10-02\n\n今年1月以来，全市PM2.5平均浓度为30微克/立方米。\n")
    assert [(y, mo) for _, y, mo, _ in actual(ms, "PM2.5浓度")] == [(2019, "1-9")]


def test_a_heading_quarter_of_the_pages_own_year_is_measured_not_planned():
    _, ms = context_and_metrics("福州市环境质量报告\n发布时间：2019-04-22\n\n（一）2018年全年\n全市PM2.5平均浓度为33微克/立方米。\n\n"
                                "（二）2019年一季度\n全市PM2.5平均浓度为47微克/立方米。\n")
    assert (2019, "1-3", 47.0) in [(y, mo, v) for _, y, mo, v in actual(ms, "PM2.5浓度")]
    assert not [m for m in ms if m.kind == "target"]


# --- where the page says when ------------------------------------------------------------------------

def test_a_text_opening_on_its_date_dates_its_months_without_being_its_dateline():
    ctx, ms = context_and_metrics("福州市通报前三月空气质量\n2019年4月12日，市生态环境局召开发布会，通报1至3月空气质量。\n"
                                  "1至3月，全市PM2.5平均浓度为52微克/立方米。\n")
    assert ctx.published is None
    assert [(y, mo) for _, y, mo, _ in actual(ms, "PM2.5浓度")] == [(2019, "1-3")]


def test_a_spam_line_above_the_text_keeps_its_report_period():
    ctx, ms = context_and_metrics("二手车交易 广告位招租 据某网消息，省厅近日发布了2017年6月全省空气质量状况。\n"
                                  "6月，甘肃省PM2.5平均浓度为22微克/立方米。\n")
    assert (ctx.report_year, ctx.default_months) == (2017, "6")
    assert actual(ms, "PM2.5浓度") == [("甘肃省", 2017, "6", 22.0)]
    assert "广告" not in ctx.title


# --- year words --------------------------------------------------------------------------------------

def test_the_year_before_last_and_not_a_mean_before_works():
    _, ms = context_and_metrics("福州市空气质量回顾\n发布时间：2019-03-02\n\n前年，全市PM2.5平均浓度为35微克/立方米。\n")
    assert [(y, mo) for _, y, mo, _ in actual(ms, "PM2.5浓度")] == [(2017, "1-12")]
    _, ms = context_and_metrics("福州市工地扬尘整治\n发布时间：2019-03-02\n\n2018年，全市PM2.5平均浓度为31微克/立方米，"
                                "整治前年均浓度为40微克/立方米。\n")
    assert 2017 not in [y for _, y, _, _ in actual(ms, "PM2.5浓度")]


def test_this_report_year_in_an_annual_bulletin_published_the_next_year():
    _, ms = context_and_metrics("福州市2018年度环境状况\n发布时间：2019-05-20\n\n本年度，全市PM2.5平均浓度为27微克/立方米。\n")
    assert [(y, mo) for _, y, mo, _ in actual(ms, "PM2.5浓度")] == [(2018, "1-12")]
    assert not [m for m in ms if m.kind == "target"]


def test_a_headline_period_lends_its_months_only_to_its_own_year():
    _, ms = context_and_metrics("前3月全省下达处罚决定书0.9万余份\n2019-04-10 09:00:00 来源：某某新闻网\n\n"
                                "记者获悉，2019年1至3月，福建省共下达处罚决定书9120份。\n\n"
                                "据介绍，2018年，福建省严格执法，全省下达处罚决定书3.6万份。\n")
    found = {(y, mo) for m in ms if m.indicator == "行政处罚案件数" and m.kind == "actual"
             for y, mo in [(m.year, m.months)]}
    assert (2018, "1-12") in found and (2018, "1-3") not in found


def test_a_period_written_with_another_year_is_not_the_values_period():
    _, ms = context_and_metrics("陕西省空气质量状况\n\n2017年度及2018年1-2月份陕西省空气质量状况一、2017年空气质量状况"
                                "2017年，全省平均优良天数为241天。\n")
    assert [(y, mo) for _, y, mo, _ in actual(ms, "优良天数")] == [(2017, "1-12")]


def test_a_publication_label_dates_a_page_flattened_into_one_line():
    ctx, ms = context_and_metrics("厦门市前4月空气质量 发布日期：2019-05-09 10:00 来源：厦门日报 4月，全市PM2.5平均浓度为21微克/立方米。\n")
    assert ctx.published == "2019-05-09"
    assert [(y, mo) for _, y, mo, _ in actual(ms, "PM2.5浓度")] == [(2019, "4")]
    ctx, _ = context_and_metrics("厦门市空气质量\n2019年4月12日，市局召开推进会，部署工作。\n")
    assert ctx.published is None   # a date the text names, with no label, is an event's
