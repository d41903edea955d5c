"""Years of values on real page layouts: a repost that carries an older newswire story, a year a
level is compared with, a running mean up to a day part-way through a month, a first sentence
too long for a headline above a subheading. Every document is written for the test (no page text
is copied) and goes through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from tests.test_extract_periods import read, rows


def test_last_year_on_a_repost_of_a_wire_story_is_the_year_before_the_original_was_filed():
    ctx, ms = read("某省去年环境质量总体稳定\n发布时间:2022-03-15 10:20 来源:某某网\n"
                   "本报2月3日讯 省生态环境厅今天发布全省2018年全年环境质量状况。2018年,全省优良天数比例为88.2%。\n"
                   "去年全省120个监测断面中,Ⅰ~Ⅲ类水质断面108个占90.0%,同比持平。\n")
    assert ctx.anchor_year == 2019
    assert rows(ms, "地表水优良水质断面比例") == [(ctx.region, 2018, "1-12", 90.0)]


def test_a_half_years_wire_story_filed_after_the_half_means_its_own_year_by_this_year():
    ctx, _ = read("某市上半年空气质量\n发布时间:2023-05-06\n"
                  "本报7月18日讯 市生态环境局发布2019年上半年全市环境空气质量状况,优良天数比例为81.3%。\n")
    assert ctx.anchor_year == 2019


def test_relative_years_on_a_repost_nothing_dates_are_not_read_against_its_date():
    ctx, ms = read("某省环境质量状况\n发布时间:2022-03-15\n"
                   "省生态环境厅发布全省2018年全年环境质量状况,全省优良天数比例为88.2%。\n"
                   "去年全省120个监测断面中,Ⅰ~Ⅲ类水质断面108个占90.0%。\n")
    assert ctx.relative_undated
    # (去年 is not read against the repost's 2022: the value keeps the year the text states)
    assert [y for _, y, _, _ in rows(ms, "地表水优良水质断面比例")] == [2018]


def test_a_page_dated_shortly_after_the_year_it_reviews_reads_last_year_against_its_date():
    ctx, _ = read("某省环境质量状况\n发布时间:2019-01-20\n"
                  "省生态环境厅发布全省2018年全年环境质量状况,全省优良天数比例为88.2%。\n")
    assert (ctx.anchor_year, ctx.relative_undated) == (2019, False)


def test_a_year_a_level_is_better_than_is_not_the_year_of_the_next_sentence():
    _, ms = read("某市2015年环境质量概况\n"
                 "2015年,某江干流水质达标率为80%,好于2014年的72.5%。城区4个饮用水水源地水质达标率为98.1%。\n")
    assert [(y, v) for _, y, _, v in rows(ms, "饮用水水源地水质达标比例")] == [(2015, 98.1)]


def test_a_yearly_mean_up_to_a_day_inside_a_month_has_no_period():
    _, ms = read("某县生态环境工作推进会召开\n发布时间:2023-10-02\n"
                 "会上通报,1-8月,全县考核断面水质优良比例100%。截至9月26日,全县PM2.5年均浓度为31.5微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == []


def test_a_long_first_sentence_ends_the_head_so_a_subheading_after_it_is_no_title():
    ctx, ms = read("全市5月空气优良率达97.0%\n"
                   "本报6月12日讯 市生态环境局今日发布全市5月份环境质量状况,数据显示,2021年5月,全市环境空气质量持续向好,"
                   "各县区平均优良天数比例为97.0%,全市地表水水质总体为优。\n"
                   "西湖区空气质量最好\n"
                   "5月份,全市PM2.5平均浓度为19微克/立方米,同比下降5.0%。\n")
    assert ctx.title.startswith("全市5月")
    assert [(y, mo, v) for _, y, mo, v in rows(ms, "PM2.5浓度")] == [(2021, "5", 19)]


def test_a_government_work_report_cited_in_spring_reports_on_the_year_before():
    ctx, ms = read("政府工作报告:全国城市空气质量持续改善\n2024-03-06 10:11:02 来源:某某社\n"
                   "政府工作报告说,全国地级及以上城市空气质量优良天数比例达87.1%、上升1.6个百分点。\n")
    assert (ctx.report_year, ctx.report_year_explicit) == (2023, True)
    assert [(y, v) for _, y, _, v in rows(ms, "优良天数比例")] == [(2023, 87.1)]
    # in the autumn the words cite the report's goals: no year is taken from them
    ctx, _ = read("某市推进落实政府工作报告\n2024-09-16 来源:某某网\n"
                  "政府工作报告提出的各项任务正在推进,全市优良天数比例为90.2%。\n")
    assert ctx.report_year_source != "dateline" or ctx.report_year != 2023


def test_digits_after_a_number_that_lost_its_decimal_point_are_no_value():
    _, ms = read("全国城市空气质量优良天数比例提高(优良天数比例达到87 1%)\n2024-03-06 来源:某某网\n"
                 "政府工作报告说,全国地级及以上城市空气质量优良天数比例达87.1%。\n")
    assert [v for _, _, _, v in rows(ms, "优良天数比例")] == [87.1]


def test_an_undated_scrambled_page_takes_the_one_year_its_cited_source_opens_on():
    _, ms = read("某某首页\n全国地表水环境质量持续向好。优良水质断面比例为90.4%,同比上升1.0个百分点。\n"
                 "全国城市空气质量总体稳定。全国优良天数比例为86.1%,与2023年相比略有上升。\n"
                 "公报显示,2024年,有关部门协同推进污染防治,全国生态环境质量稳中向好。\n")
    assert [(y, v) for _, y, _, v in rows(ms, "优良天数比例")] == [(2024, 86.1)]
    # a year that only opens a paragraph on last year's results does not date such a page
    ctx, _ = read("某某首页\n今年3月全省空气质量优良\n今年3月,全省优良天数比例为95.2%。\n"
                  "全省PM2.5平均浓度为31微克/立方米。\n全省地表水水质总体为优。\n各市水质均达标。\n"
                  "2023年,全省优良天数比例为92.0%,在周边省份中排名第一。\n")
    assert not ctx.report_year_explicit


def test_bare_months_on_a_late_repost_take_the_year_the_page_writes_them_with_elsewhere():
    _, ms = read("某部通报水质\n发布时间:2025-02-10\n"
                 "要闻速览:6月,全国1000个地表水考核断面中,水质优良断面比例为82.4%,同比上升1.1个百分点。"
                 "日期:2022-07-20 某部20日通报了2022年6月和1-6月全国地表水环境质量状况。\n")
    assert [(y, mo, v) for _, y, mo, v in rows(ms, "地表水优良水质断面比例")] == [(2022, "6", 82.4)]
    # months the page writes with two different years date nothing
    _, ms = read("某部通报水质\n发布时间:2025-02-10\n"
                 "要闻速览:6月,全国1000个地表水考核断面中,水质优良断面比例为82.4%。\n"
                 "图1 水质类别比例\n图2 主要河流水质\n图3 重点湖库水质\n图4 空气质量\n"
                 "附:2022年6月水质月报全文见附件。\n附:2021年6月水质月报全文见附件。\n")
    assert [y for _, y, _, _ in rows(ms, "地表水优良水质断面比例")] == [None]


def test_the_year_so_far_on_a_page_dated_early_in_a_month_is_january_to_the_month_before():
    _, ms = read("某县空气质量稳中向好\n发布时间:2024-07-09\n"
                 "今年以来,全县优良天数比例为91.7%,PM2.5平均浓度为27微克/立方米。\n")
    assert rows(ms, "优良天数比例") == [(ms[0].region, 2024, "1-6", 91.7)]
    assert [(y, mo) for _, y, mo, _ in rows(ms, "PM2.5浓度")] == [(2024, "1-6")]


def test_the_year_so_far_late_in_a_month_or_on_an_undated_page_is_no_period():
    for text in ("某县空气质量稳中向好\n发布时间:2024-07-27\n今年以来,全县优良天数比例为91.7%。\n",
                 "某县空气质量稳中向好\n今年以来,全县优良天数比例为91.7%。\n",
                 "某县2024年空气质量\n发布时间:2024-07-27\n2024年全县空气质量稳中向好。今年以来,全县优良天数比例为91.7%。\n"):
        _, ms = read(text)
        assert [y for _, y, _, _ in rows(ms, "优良天数比例") if y is not None] == []


def test_headlines_listed_under_related_reading_are_not_the_pages_figures():
    _, ms = read("政府工作报告:全国城市空气质量持续改善\n2024-03-06 10:11:02 来源:某某社\n"
                 "政府工作报告说,全国地级及以上城市空气质量优良天数比例达87.1%。\n"
                 "相关阅读:\n某某:地级及以上城市空气质量优良天数比率超过80%\n某地森林覆盖率达到60%\n")
    assert [v for _, _, _, v in rows(ms, "优良天数比例")] == [87.1]
    assert rows(ms, "森林覆盖率") == []
