"""Year, period and kind of a value in the layouts real report pages have: a release whose
regions' paragraphs name only their months, a note dated at its foot, a page that names one
year again and again in bullets, a photo caption above the lead, a spam mirror dated before
the year it reports on, a list of yearly rates that ends on a month, a streak of days, a page
that lost its month words. Every document is written for the test (no page text is copied)
and goes through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.segment import segment


def read(text: str):
    paragraphs = segment(clean(text))
    ctx = document_context(paragraphs)
    return ctx, extract(paragraphs, ctx)


def rows(metrics, indicator, kind="actual"):
    return sorted((m.region, m.year, m.months, m.value) for m in metrics if m.indicator == indicator and m.kind == kind)


# --- year and period -------------------------------------------------------------------------

def test_region_paragraphs_that_name_only_their_months_take_the_year_the_lead_announced():
    ctx, ms = read("前10月全国空气质量状况发布\n《某某日报》(2022年11月24日 04版)\n"
                   "本报北京11月23日电 生态环境部今天发布的2022年1月~10月全国环境空气质量状况显示，"
                   "1月~10月，全国339个地级及以上城市平均优良天数比例为86.0%，同比下降1.0个百分点。\n"
                   "1月~10月，长三角地区41个城市平均优良天数比例为81%，PM2.5浓度为28微克/立方米。\n"
                   "北京市1月~10月，优良天数比例为76.5%。\n")
    assert (ctx.report_year, ctx.lead_periods) == (2022, ("1-10",))
    assert rows(ms, "优良天数比例") == [("全国", 2022, "1-10", 86.0), ("北京市", 2022, "1-10", 76.5),
                                   ("长三角地区", 2022, "1-10", 81)]


def test_a_forecast_for_a_winter_season_at_the_end_does_not_undate_a_monthly_release():
    _, ms = read("某省城市空气质量通报\n2019-11-22 10:05 来源：某新闻网\n"
                 "10月份，全国337个地级及以上城市平均优良天数比例为87.5%，同比下降2.0个百分点。\n"
                 "据会商预测，2019-2020年秋冬季气象条件总体偏差。\n")
    assert rows(ms, "优良天数比例") == [("全国", 2019, "10", 87.5)]


def test_months_named_without_a_year_take_the_year_of_a_page_dated_soon_after():
    _, ms = read("某省水质月报\n2022年9月15日\n"
                 "全省地表水水质总体良好。8月份，全省监测的5个城市集中式饮用水水源地水质达标率为100%。\n")
    assert [(y, mo, v) for _, y, mo, v in rows(ms, "饮用水水源地水质达标比例")] == [(2022, "8", 100)]
    # a page dated long after (a repost) cannot tell which year's August it means
    _, ms = read("某省水质月报\n2023年6月2日\n"
                 "全省地表水水质总体良好。8月份，全省监测的5个城市集中式饮用水水源地水质达标率为100%。\n")
    assert [y for _, y, _, _ in rows(ms, "饮用水水源地水质达标比例")] == [None]


def test_a_lead_on_months_after_the_dates_month_is_the_year_befores():
    ctx, ms = read("8月份饮用水水源地水质状况：全省监测的5个城市集中式饮用水水源地水质达标率为100%。\n"
                   "某省生态环境监测中心\n2022年9月15日\n")
    assert [(y, mo, v) for _, y, mo, v in rows(ms, "饮用水水源地水质达标比例")] == [(2022, "8", 100)]
    ctx, _ = read("12月份全省空气质量状况\n发布时间：2024-01-20\n12月份，全省优良天数比例为90.1%。\n")
    assert (ctx.report_year, ctx.lead_periods) == (2023, ("12",))


def test_a_list_of_yearly_rates_ending_on_a_month_gives_whole_years_and_the_last_up_to_it():
    _, ms = read("某市空气质量连续五年向好\n据统计，2016年至2020年11月，某市主城区空气质量优良率分别为"
                 "97.9%、98.1%、98.4%、99%、100%。\n")
    assert [(y, mo, v) for _, y, mo, v in rows(ms, "优良天数比例")] == [
        (2016, "1-12", 97.9), (2017, "1-12", 98.1), (2018, "1-12", 98.4), (2019, "1-12", 99), (2020, "1-11", 100)]
    # months every year shares ('2019年至2022年1-6月') stay each year's months
    _, ms = read("某市2022年上半年空气质量\n2019年至2022年1-6月，某市优良天数比例分别为80.1%、82.2%、83.3%、84.4%。\n")
    assert {mo for _, _, mo, _ in rows(ms, "优良天数比例")} == {"1-6"}


def test_a_dateline_is_no_headline_and_the_year_of_a_date_is_no_year_under_review():
    ctx, ms = read("两会快讯 | 某城市群优良天数比例达90%\n2025年01月19日 15:11:00\n来源：\n"
                   "某报讯 1月19日上午，自治区人民代表大会开幕。报告说，2024年，某城市群空气质量明显改善。\n")
    assert ctx.title != "2025年01月19日 15:11:00"
    assert ctx.report_year != 2025


def test_bulleted_results_of_a_digest_are_content_and_date_the_lines_after_them():
    _, ms = read("数读 某省 优良生态 2022年06月17日\n"
                 "●2021年全省水环境质量总体保持优良。\n"
                 "全省9个中心城市集中式饮用水水源地水质达标率保持在100%。\n"
                 "●2021年全省环境空气质量总体优良。\n"
                 "●2021年，全省污染地块安全利用率达100%。\n"
                 "● 相关新闻：某地开展生态日活动\n")
    assert [(y, mo, v) for _, y, mo, v in rows(ms, "污染地块安全利用率")] == [(2021, "1-12", 100)]
    assert [y for _, y, _, _ in rows(ms, "饮用水水源地水质达标比例")] == [2021]


def test_a_photo_caption_is_not_the_pages_date():
    ctx, ms = read("(资料图片)\n图为2022年10月20日某市的蓝天白云(资料图) 张三 摄\n"
                   "某新闻网3月28日电 3月28日，记者从河南省生态环境厅获悉，2022年，河南优良天数达240天。\n"
                   "在气象条件较2021年同期明显不利的情况下，2022年河南完成国家下达的空气质量目标任务。\n"
                   "其中，PM2.5年均浓度为46.5微克/立方米，好于国家目标3.5微克/立方米。\n")
    assert ctx.published is None
    assert rows(ms, "PM2.5浓度") == [("河南省", 2022, "1-12", 46.5)]


def test_a_comparison_base_in_a_headline_is_not_the_year_under_review():
    ctx, _ = read("在气象条件较2021年同期明显不利的情况下，2022年某省完成空气质量目标任务。\n"
                  "其中，PM2.5年均浓度为46.5微克/立方米。\n")
    assert ctx.report_year == 2022


def test_a_pollutants_name_is_not_a_month():
    _, ms = read("2023年11月全国城市空气质量报告\nPM10月均浓度范围为20~100微克/立方米，平均浓度为70微克/立方米。\n"
                 "NO2月均浓度范围为10~50微克/立方米，平均浓度为33微克/立方米。\n")
    assert {mo for _, _, mo, _ in rows(ms, "PM10浓度") + rows(ms, "二氧化氮浓度")} == {"11"}


def test_a_stretch_of_days_is_no_period_but_whole_months_by_their_days_are():
    _, ms = read("2025年全国空气质量\n其中，2025年7月20日至10月24日，全国优良天数比例连续97天保持在90%以上。\n"
                 "本周(12月15日至12月19日)，全国碳市场综合价格行情良好。\n"
                 "2025年1月1日至6月30日，全国优良天数比例为85.2%。\n")
    assert rows(ms, "优良天数比例") == [("全国", 2025, "1-6", 85.2)]


def test_a_period_that_lost_its_last_month_is_the_leads_period_starting_there():
    _, ms = read("某部通报4月和1—4月全国环境空气质量状况\n某部向媒体通报了2022年 和1— 全国环境空气质量状况。\n"
                 "，全国339个地级及以上城市平均空气质量优良天数比例为88.8%。\n"
                 "1— ，全国339个地级及以上城市平均空气质量优良天数比例为85.5%。\n"
                 "3— ，全国339个地级及以上城市平均空气质量优良天数比例为86.6%。\n"
                 "图1 2022年1— 全国339个地级及以上城市各级别天数比例\n图2 2022年1— 全国339个地级及以上城市六项指标浓度\n")
    assert rows(ms, "优良天数比例") == [("全国", 2022, "1-4", 85.5), ("全国", 2022, "4", 88.8)]


def test_a_county_ranked_among_its_citys_counties_keeps_its_figures():
    _, ms = read("富平县大气污染防治工作简报\n县大气办 2024年9月5日\n"
                 "8月1日至8月31日，我县综合指数为3.50，全市11个区县排名第3，同比下降6.0%；PM2.5浓度为18微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == [("富平县", 2024, "8", 18)]


# --- kind ------------------------------------------------------------------------------------

def test_figures_compared_with_the_year_before_are_measurements_even_on_a_page_dated_earlier():
    _, ms = read("发布日期:2023-12-03 00:45 点击次数:62\n"
                 "2024年，全国地级及以上城市PM2.5平均浓度为29.0微克/立方米，同比下降2.5%。"
                 "全国优良天数比例达到87.0%，同比上升1.5个百分点。\n"
                 "到2027年，全国PM2.5平均浓度力争降至28微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == [("全国", 2024, "1-12", 29.0)]
    assert rows(ms, "优良天数比例") == [("全国", 2024, "1-12", 87.0)]
    assert rows(ms, "PM2.5浓度", "target") == [("全国", 2027, "1-12", 28)]


def test_a_share_meeting_a_water_function_requirement_is_no_goal():
    _, ms = read("2022年度嘉兴市生态环境状况公报发布\n2022年，嘉兴市交接断面水质满足功能要求比例、县级以上集中式饮用水水源地"
                 "水质达标率均保持100%。\n")
    assert rows(ms, "饮用水水源地水质达标比例", "target") == []
    assert rows(ms, "饮用水水源地水质达标比例") == [("嘉兴市", 2022, "1-12", 100)]


def test_a_margin_glued_to_the_next_indicator_does_not_make_it_a_target():
    _, ms = read("2022年全国生态环境状况公报\n优良天数比例为86.0%，好于年度目标0.8个百分点重度及以上污染天数比例为0.8%，"
                 "比2021年下降0.5个百分点。\n")
    assert rows(ms, "重污染天数比例", "target") == []
    assert rows(ms, "重污染天数比例") == [("全国", 2022, "1-12", 0.8)]


def test_a_figure_followed_by_the_goal_it_is_is_a_target():
    _, ms = read("2022年某县生态环境工作总结\n2022年，全县单位GDP二氧化碳排放量降低4.1%的目标任务全面完成。"
                 "全县近岸海域国家考核点位优良水质比例为81%，优于75%的考核目标。\n")
    assert [v for *_, v in rows(ms, "近岸海域水质优良比例")] == [81]
    assert [m.kind for m in ms if m.value == 75] == ["target"]   # the goal compared with, not a change
    assert [(y, mo, v) for _, y, mo, v in rows(ms, "碳排放强度下降率", "target")] == [(2022, "1-12", 4.1)]
    assert rows(ms, "碳排放强度下降率") == []


def test_a_month_written_in_chinese_numerals_is_a_month():
    from etl.extract import period_of
    assert period_of("六月份") == "6" and period_of("十一月,全县") == "11" and period_of("十二月") == "12"
    assert period_of("前六月") == "1-6"          # a count of months from January
    assert period_of("六月一日至十日") is None     # a day, not the month
