"""Period and kind, fourth round: the period a paragraph opens on holding for the paragraphs
after it when no lead announced one, goals set from above, goals for the year, stretches of
holidays, floors and thresholds, starting values of a comparison. Every document is written
for the test (no page text is copied) and goes through the real clean -> segment -> context ->
extract stages."""
from __future__ import annotations

from etl.clean import clean
from etl.segment import segment
from tests.test_extract_periods import read, rows


# a government page that opens on its metadata table, the headline lost among its cells, and a
# table caption taken for the title: no lead announces the quarter
QUARTER_PAGE = ("名称:某省生态环境厅发布2023年1-3月全省空气质量状况 | |||\n"
                "编号:11-2/2023-00071 | 文号: | ||\n"
                "发布单位:生态环境厅 | 分类:统计信息 | ||\n"
                "摘要:某省生态环境厅发布2023年1-3月全省空气质量状况 | |||\n"
                "生成日期:2023-04-20 00:00:00 | 公开日期:2023-04-20 09:10:11 | 废止日期: | 状态:有效 |\n"
                "一、空气质量\n"
                "2023年1-3月,甘肃省优良天数比例平均为81.6%,同比提高1.4个百分点。14个市州中兰州市最低(68.9%)。\n"
                "全省PM2.5平均浓度为37微克/立方米,同比降低4.9%。14个市州由低至高依次为:"
                "甘南州(16微克/立方米)、兰州市(48微克/立方米)。\n"
                "2023年1-3月各市州综合指数排名情况\n")


def test_the_period_a_paragraph_opens_on_holds_for_the_next_when_no_lead_announced_one():
    # (the caption under the text may date the page's lead as well: the value's months agree)
    ctx, ms = read(QUARTER_PAGE)
    assert rows(ms, "PM2.5浓度") == [("甘肃省", 2023, "1-3", 37)]


def test_a_paragraph_opening_on_a_whole_year_ends_the_quarter_it_carried():
    ctx, ms = read(QUARTER_PAGE.replace("2023年1-3月各市州综合指数排名情况\n",
                                        "2022年,全省优良天数比例为86.5%。全省PM10平均浓度为63微克/立方米。\n"))
    assert ("甘肃省", 2022, "1-12", 63) in rows(ms, "PM10浓度")


# --- kind: goals ------------------------------------------------------------------------------

def test_a_goal_set_from_above_that_a_result_beats_is_the_indicators_target():
    _, ms = read("2022年某自治区生态环境指标考核结果\n"
                 "2022年,某自治区空气质量优良天数比例为89.3%,高于国家下达青海80.2%的年度考核目标。"
                 "PM2.5平均浓度19.6微克/立方米,同比下降2.6%,低于国家下达青海24.0微克/立方米的年度考核目标。\n")
    assert rows(ms, "优良天数比例", "target") == [("青海省", 2022, "1-12", 80.2)]
    assert rows(ms, "PM2.5浓度", "target") == [("青海省", 2022, "1-12", 24.0)]
    assert rows(ms, "优良天数比例") == [("青海省", 2022, "1-12", 89.3)]


def test_a_goal_for_this_year_on_an_undated_page_is_not_read():
    # the page reports last year's results and then this year's goals; it carries no date, so
    # which year '今年' is cannot be told
    _, ms = read("2022年某自治区生态环境指标考核结果\n"
                 "2022年,青海省空气质量优良天数比例为89.3%。\n"
                 "记者获悉,今年全省将努力实现优良天数比例达到86%。\n")
    assert rows(ms, "优良天数比例", "target") == []
    assert rows(ms, "优良天数比例") == [("青海省", 2022, "1-12", 89.3)]


def test_a_figure_this_year_must_reach_is_a_target():
    _, ms = read("某市召开生态环境保护大会\n2023-02-20 08:00:00 来源:某市融媒体中心\n"
                 "会议明确了今年的工作目标。在空气方面,今年市区空气质量优良率要达85%左右,"
                 "PM2.5平均浓度降至38微克/立方米以下,各区县保持改善。\n")
    assert rows(ms, "优良天数比例") == [] and rows(ms, "PM2.5浓度") == []
    assert [(y, v) for _, y, _, v in rows(ms, "优良天数比例", "target")] == [(2023, 85)]
    assert [(y, v) for _, y, _, v in rows(ms, "PM2.5浓度", "target")] == [(2023, 38)]


def test_a_period_opened_on_without_the_year_character_still_holds_for_the_next_paragraph():
    # '2022上半年' (the 年 after the year dropped), in a page whose headline is lost among its
    # index lines: the half-year holds for the paragraph of concentrations after it
    _, ms = read("索引号:4567/2023-00029 分类:质量状况通报\n发布机构:省环境监测站 发文日期:2023-07-25\n"
                 "名 称:某省生态环境质量状况(2023年上半年) 文件编号:\n\n"
                 "某省生态环境质量状况(2023年上半年)\n\n发布时间:2023-07-25 16:40浏览次数:\n\n"
                 "一、环境空气\n"
                 "2023上半年,全省PM2.5平均浓度为33.4微克/立方米,同比降低0.9%;优良天数比率为78.2%。\n"
                 "11个设区市PM10浓度处于50~78微克/立方米之间,平均为61微克/立方米。\n"
                 "二、水环境\n2023年上半年,全省地表水国考断面中水质优良的比例为92.4%。\n")
    assert [(y, mo, v) for _, y, mo, v in rows(ms, "PM10浓度")] == [(2023, "1-6", 61)]


# --- starting values of a change --------------------------------------------------------------

def test_the_starting_value_of_a_change_takes_the_year_counted_since_or_is_not_read():
    _, ms = read("2021年某市生态环境状况公报\n"
                 "自2015年开展监测以来,全市PM2.5浓度从57微克/立方米下降至2021年的29微克/立方米。"
                 "全市国考断面水质优良率由整治之初的66.7%提升到93.3%。\n"
                 "今年1至6月,与2020年同期相比,全市重度污染天数由2天增加至7天。\n")
    assert [(y, v) for _, y, _, v in rows(ms, "PM2.5浓度")] == [(2015, 57), (2021, 29)]
    assert [v for *_, v in rows(ms, "地表水优良水质断面比例")] == [93.3]
    assert [v for *_, v in rows(ms, "重污染天数")] == [7]


# --- stretches of days, floors and thresholds ---------------------------------------------------

def test_a_holidays_stretch_of_days_is_no_period_and_its_values_are_not_read():
    _, ms = read("吉林:今年国庆假期优良天数比率达98.1%\n2025-10-09 08:10:00\n"
                 "记者从会上获悉,今年国庆假期,吉林省优良天数比率达98.1%,较去年同期提升2.2个百分点,"
                 "PM2.5平均浓度15.3微克/立方米。\n"
                 "2025年1月至9月,吉林省PM2.5浓度24.9微克/立方米。\n")
    assert rows(ms, "优良天数比例") == []
    assert rows(ms, "PM2.5浓度") == [("吉林省", 2025, "1-9", 24.9)]


def test_a_floor_kept_for_years_and_a_mark_that_sorts_places_are_not_levels():
    _, ms = read("2021年某州生态环境状况公报\n"
                 "2021年,某州空气质量优良天数比例连续6年保持98%以上,优良天数比例为98.9%。\n"
                 "全州声环境功能区昼间达标率为96.4%,夜间达标率未达到80%的是1类区,为76.5%。\n")
    assert [v for *_, v in rows(ms, "优良天数比例")] == [98.9]
    assert 80 not in [v for *_, v in rows(ms, "功能区声环境夜间达标率")]


# --- five-year plans ----------------------------------------------------------------------------

def test_a_plan_digest_under_a_long_range_heading_gives_the_plans_goals_for_its_last_year():
    # the heading names the plan and its long-range year: that year is not the one reviewed, and
    # what '“十四五”时期' is to reach is due at the plan's end
    _, ms = read("“十四五”规划和2035年远景目标纲要公布后,各地定下的生态环境目标,下面按全国和若干省市整理:\n"
                 "全国:\n相关阅读【“十四五”规划和2035年远景目标纲要要点】\n"
                 "“十四五”时期,单位GDP二氧化碳排放降低19%;城市空气质量优良天数比率"
                 "2025年要达到88.0%;森林覆盖率2025年要达到25.2%;地表水达到或好于Ⅲ类水体比例2025年要达到86%。\n"
                 "重庆:\n“十四五”时期,生活垃圾回收利用率达到38%;森林覆盖率达到 57%。\n")
    assert rows(ms, "森林覆盖率") == []
    assert sorted((y, v) for _, y, _, v in rows(ms, "森林覆盖率", "target")) == [(2025, 25.2), (2025, 57)]
    assert [(y, v) for _, y, _, v in rows(ms, "碳排放强度下降率", "target")] == [(2025, 19)]
    assert [(y, v) for _, y, _, v in rows(ms, "优良天数比例", "target")] == [(2025, 88.0)]
    assert all(m.year != 2035 for m in ms)


def test_a_five_year_plans_period_in_a_review_after_its_end_reports_results():
    _, ms = read("2020年某省生态环境状况公报\n2021-05-20 10:00:00 来源:某省生态环境厅\n"
                 "“十三五”时期,全省森林覆盖率达到 36.1%。\n")
    assert [(y, v) for _, y, _, v in rows(ms, "森林覆盖率")] == [(2020, 36.1)]


def test_a_goal_year_on_an_undated_page_about_a_plans_span_is_a_target():
    # the headline's span of years is the plan's horizon, not a year the page reviews
    ctx, ms = read("新华网消息:《全国草原保护规划(2023—2035年)》近日印发,明确了总体要求和重点任务,"
                   "提出到2027年,全国草原综合植被盖度稳定在50%以上,湿地保护率达到56%。\n")
    assert not (ctx.report_year_explicit and ctx.report_year == 2035)
    assert rows(ms, "湿地保护率") == []
    assert [(y, v) for _, y, _, v in rows(ms, "湿地保护率", "target")] == [(2027, 56)]


def test_the_date_of_a_statement_is_no_period_the_page_reviews():
    from etl.context import document_context as context
    paragraphs = segment(clean("我国湿地面积有多少\n全国湿地面积约5400万公顷,湿地保护率达51%。\n"
                               "2022年8月国家林草局副局长某某表示,“十三五”期间,全国湿地保护率升至50%以上。\n"))
    assert context(paragraphs).lead_periods == ()


def test_a_reposts_dateline_with_the_editors_credit_is_kept_and_dates_the_page():
    # the agency and the editor's credit follow the date on one line: the line is the page's
    # dateline (the credit alone would be chrome)
    ctx, ms = read("设为首页\n手机版\n某网 / 新闻频道 / 天下 / 正文\n\n今年一季度全国优良天数比例为81.3%\n\n"
                   "2024-04-20 09:45 新华社 责任编辑:某某\n\n"
                   "新华社北京4月19日电 生态环境部19日发布,今年一季度,全国地级及以上的339个城市平均"
                   "空气质量优良天数比例为81.3%,同比提高0.8个百分点。\n")
    assert ctx.published == "2024-04-20"
    assert set(rows(ms, "优良天数比例")) == {("全国", 2024, "1-3", 81.3)}


def test_a_base_years_figure_written_with_its_name_keeps_its_year_and_indicator():
    _, ms = read("2017年某市空气质量\n"
                 "去年杭州的空气质量继续好转,PM2.5年平均浓度为43微克/立方米,比2016年的51微克/立方米下降了15.7%,"
                 "比2013年基准年的60微克/立方米下降了28.3%。\n")
    assert [(y, v) for _, y, _, v in rows(ms, "PM2.5浓度")] == [(2013, 60), (2016, 51), (2017, 43)]


def test_a_statements_date_and_a_date_of_statistics_are_no_periods_and_a_plan_carried_out_reports_levels():
    _, ms = read("我国湿地保护率是多少\n全国湿地面积约5400万公顷,湿地保护率达51.8%。\n"
                 "2022年8月国家林草局副局长某某表示,“十三五”期间,全国湿地保护率升至50%以上。"
                 "湿地保护“十三五”规划各项任务全面完成,全国湿地保护率达到51.8%。\n"
                 "到了2021年6月统计数据,全国湿地保护率达51.5%。\n")
    wetland = {(m.year, m.months, m.kind, m.value) for m in ms if m.indicator == "湿地保护率"}
    assert (2020, "1-12", "actual", 51.8) in wetland
    assert all(kind == "actual" and months == "1-12" for _, months, kind, _ in wetland)
    assert 51.5 not in {v for *_, v in wetland}
