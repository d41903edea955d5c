"""Periods a value takes from what is around it: a comparison base whose year is written with its
months before the figure in parentheses, and a release on a month and the year to date that goes
on about the month in a paragraph naming no period. Documents are written for the test and go
through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from tests.test_extract_periods import read, rows


def test_a_base_figure_after_a_year_and_its_months_is_that_years():
    _, ms = read("某区2019年上半年空气质量\n发布日期:2019-07-08\n"
                 "2019年1-6月份某区国控站点PM2.5浓度为61μg/m3,较2018年1-6月(70μg/m3)同比下降13%。\n")
    assert sorted((y, m, v) for _, y, m, v in rows(ms, "PM2.5浓度")) == [(2018, "1-6", 70.0), (2019, "1-6", 61.0)]


def test_a_paragraph_after_one_opening_on_the_month_a_year_to_date_lead_ends_on_is_that_months():
    _, ms = read("前5月全国空气质量状况\n发布时间:2031-06-20 09:00\n"
                 "今年前5月,全国地级及以上城市PM2.5平均浓度为30.2微克/立方米,同比下降2.0%。\n"
                 "5月,全国地级及以上城市PM2.5平均浓度为21.4微克/立方米,同比下降3.1%。\n"
                 "全国地级及以上城市平均空气质量优良天数比例为91.2%,同比上升1.0个百分点。\n"
                 "1—5月,全国地级及以上城市PM2.5平均浓度为30.2微克/立方米。\n"
                 "全国地级及以上城市平均空气质量优良天数比例为85.9%,同比上升0.4个百分点。\n")
    assert sorted((y, m, v) for _, y, m, v in rows(ms, "优良天数比例")) == [(2031, "1-5", 85.9), (2031, "5", 91.2)]


def test_without_a_month_opening_the_paragraph_before_the_leads_span_holds():
    _, ms = read("前5月全国空气质量状况\n发布时间:2031-06-20 09:00\n"
                 "今年前5月,全国地级及以上城市PM2.5平均浓度为30.2微克/立方米,同比下降2.0%。\n"
                 "全国地级及以上城市平均空气质量优良天数比例为85.9%,同比上升0.4个百分点。\n")
    assert [(y, m, v) for _, y, m, v in rows(ms, "优良天数比例")] == [(2031, "1-5", 85.9)]
