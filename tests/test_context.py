"""The document context stage: publication date, the year and periods a document reviews, its
own region, and the provenance every value records (metrics.year_source / period_source /
region_source).

Every document here is written for the test, in the layouts real scraped report pages have
(spam first lines, breadcrumbs, datelines with pinyin glosses or glued to the source, leads
announcing '8月和1—8月', '今年前N月', a title opening with its period, a province report that
never names its province). They go through the real clean -> segment -> context -> extract
stages, and the last tests through a real DuckDB build and export."""
from __future__ import annotations

import csv

import duckdb
import pytest

from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.ingest import detect_format, read_document
from etl.segment import segment
from etl.warehouse import build_warehouse, export_metrics

SPAM = "免费在线观看视频网,精品一区二区三区,午夜福利影院入口,最新地址永久发布页\n"


def context_and_metrics(text: str):
    paragraphs = segment(clean(text))
    ctx = document_context(paragraphs)
    return ctx, extract(paragraphs, ctx)


def level(metrics, indicator, **where):
    hits = [m for m in metrics if m.indicator == indicator and m.kind == "actual"
            and all(getattr(m, k) == v for k, v in where.items())]
    assert hits, f"no {indicator} {where} in {[(m.indicator, m.region, m.year, m.months, m.value) for m in metrics]}"
    return hits[0]


# --- datelines --------------------------------------------------------------------------------

@pytest.mark.parametrize("line, iso", [
    ("發(fā)布時(shí)間:2021-06-14 09:12:00來(lái)源: 某通讯社", "2021-06-14"),   # glosses in the cue
    ("某某新闻网  2020年03月09日", "2020-03-09"),                              # a site and a date, no cue
    ("2019-11-05 15:10:00來源：某日报", "2019-11-05"),                         # date first, source glued
    ("来源:某某网2024-04-26作者:张三 李四", "2024-04-26"),                     # date glued to the source
    ("2023-10-30", "2023-10-30"),                                              # a bare date line
    ("编辑: 王五 | 时间: 2022-07-01 11:13:47 | 来源: 某报 |", "2022-07-01"),
    ("时政要闻 2021-03-1887某某资讯网", "2021-03-18"),                        # a view counter glued on
])
def test_every_dateline_form_gives_the_publication_date(line, iso):
    ctx, _ = context_and_metrics(SPAM + "首页 > 新闻 > 正文\n某市空气质量持续向好\n" + line + "\n正文第一段没有日期。\n")
    assert ctx.published == iso


def test_dates_in_the_body_or_in_related_links_are_not_the_dateline():
    ctx, _ = context_and_metrics("某省空气质量通报\n2024年4月15日，省厅召开了大气污染防治推进会，部署下阶段工作。\n")
    assert ctx.published is None


# --- title ------------------------------------------------------------------------------------

def test_spam_lines_and_breadcrumbs_are_never_the_title():
    ctx, _ = context_and_metrics(SPAM + "当前位置:首页 > 要闻\n一季度全国地表水环境质量稳中向好\n"
                                 "来源:某某网2024-04-26\n今年一季度，全国地表水优良水质断面比例为88.8%。\n")
    assert ctx.title == "一季度全国地表水环境质量稳中向好"


# --- the lead: year and periods under review -----------------------------------------------------

def test_a_lead_announcing_a_month_and_the_months_to_date_gives_both_periods():
    ctx, ms = context_and_metrics(
        "生态环境部通报7月和1—7月全国环境空气质量状况\n时间:2021-08-20 10:30\n"
        "生态环境部今日通报了2021年7月和1—7月全国环境空气质量状况。\n"
        "7月，全国339个地级及以上城市平均优良天数比例为90.1%，同比上升1.1个百分点。\n"
        "1—7月，全国339个地级及以上城市平均优良天数比例为85.5%，同比持平。\n")
    assert (ctx.report_year, ctx.lead_periods, ctx.report_year_explicit) == (2021, ("7", "1-7"), True)
    assert level(ms, "优良天数比例", value=90.1).months == "7"
    cumulative = level(ms, "优良天数比例", value=85.5)
    assert (cumulative.year, cumulative.months, cumulative.year_source, cumulative.period_source) == (
        2021, "1-7", "lead", "sentence")


def test_this_year_in_the_lead_is_dated_by_the_dateline_and_its_period_carried():
    ctx, ms = context_and_metrics(
        SPAM + "今年前四月全国城市空气质量优良天数同比上升\n编辑: 某某 | 时间: 2021-05-21 11:13:47 | 来源: 某报 |\n"
        "生态环境部日前通报今年前4月全国环境空气质量状况：全国339个地级及以上城市平均优良天数比例为84.2%，"
        "同比上升0.4个百分点。\n"
        "京津冀及周边地区“2+26”城市平均优良天数比例为62.3%；PM2.5浓度为52微克/立方米。\n")
    assert (ctx.report_year, ctx.report_year_source, ctx.default_months) == (2021, "dateline", "1-4")
    later = level(ms, "PM2.5浓度", region="京津冀及周边地区")
    assert (later.year, later.months) == (2021, "1-4")
    assert (later.year_source, later.period_source) == ("dateline", "dateline")


@pytest.mark.parametrize("title, months", [
    ("一季度我国空气和地表水环境质量总体改善", "1-3"),
    ("6月份空气质量：某省10个市州实现全优", "6"),
    ("某某网：前2月全国城市空气质量优良天数占80.6%", "1-2"),
])
def test_a_title_opening_with_its_period_is_dated_by_the_dateline(title, months):
    ctx, _ = context_and_metrics(SPAM + title + "\n2023-07-25 09:53:36 某网\n正文。\n")
    assert (ctx.report_year, ctx.lead_periods, ctx.months_source) == (2023, (months,), "dateline")


def test_a_year_glued_to_its_month_in_the_title_still_gives_the_year():
    ctx, _ = context_and_metrics("生态环境部通报20208月和1-8月全国地表水环境质量状况\n日期:2020-09-18\n")
    assert (ctx.report_year, ctx.lead_periods) == (2020, ("8", "1-8"))


def test_a_press_conference_date_in_the_title_is_not_the_period_reviewed():
    ctx, _ = context_and_metrics("某省生态环境厅2024年1月例行新闻发布会实录\n"
                                 "2023年，全省PM2.5平均浓度为33微克/立方米，同比下降2.9%。\n")
    assert ctx.lead_periods == ()
    assert ctx.default_months == "1-12"


def test_a_dated_event_opening_the_text_is_no_lead():
    ctx, _ = context_and_metrics("关于印发某方案的通知\n2023年4月，市政府印发了某方案，部署重点任务。\n")
    assert ctx.lead_periods == ()


def test_comparison_bases_never_become_the_year_reviewed():
    text = ("某省环境质量简讯\n"
            "全省PM2.5平均浓度为35微克/立方米，较2015年下降30%，比2015年减少15微克/立方米。"
            "与2015年相比，优良天数增加40天，较2015年同期改善明显，自2015年以来持续向好。\n"
            "2021年，全省优良天数比例为88.0%。\n")
    ctx, _ = context_and_metrics(text)
    assert ctx.report_year == 2021


# --- .txt with tag debris -------------------------------------------------------------------------

def test_a_txt_with_tag_debris_on_top_stays_text_and_keeps_its_lines(tmp_path):
    body = ('<td id="abc"><samp id="abc"><big id="abc"></big></samp></td>\n'
            '      <address id="abc"></address>\n      <ul id="abc"></ul>\n'
            "      生态环境部通报8月和1—8月全国环境空气质量状况\n\n      时间:2022-09-20 10:58\n\n"
            "      8月，全国339个地级及以上城市平均优良天数比例为93.2%，同比上升1.5个百分点。\n\n"
            "      1—8月，全国339个地级及以上城市平均优良天数比例为86.3%，同比持平。\n")
    path = tmp_path / "debris.txt"
    path.write_text(body, encoding="utf-8")
    assert detect_format(body.encode(), "debris.txt") == "txt"
    raw = read_document(str(path))
    ctx, ms = context_and_metrics(raw.text)
    assert ctx.title == "生态环境部通报8月和1—8月全国环境空气质量状况"
    assert {(m.months, m.value) for m in ms if m.kind == "actual" and m.indicator_id} == {("8", 93.2), ("1-8", 86.3)}


def test_markup_throughout_is_still_html():
    assert detect_format("<p>第一段很长的文字内容写在这里面</p>\n<p>第二段很长的文字内容写在这里面</p>\n".encode(),
                         "frag.txt") == "html"


# --- own region --------------------------------------------------------------------------------

def test_a_province_report_that_never_names_its_province_is_unresolved_not_national():
    ctx, ms = context_and_metrics(
        "3月10日省生态环境厅消息，2021年2月，全省空气质量持续改善，全省平均优良天数比例达到90%。\n"
        "监测数据显示，全省PM2.5平均浓度降至40微克/立方米。\n")
    assert (ctx.region, ctx.region_source) == (None, "unresolved")
    for m in ms:
        assert m.region is None and m.region_source == "unresolved"
        assert m.confidence < 0.5   # kept in the warehouse, out of the default export


def test_the_whole_province_named_in_the_title_resolves_self_references():
    ctx, ms = context_and_metrics(SPAM + "首页 > 省内 > 正文\n6月份空气质量：湖北多地实现全优\n"
                                  "2023-07-20 09:53:36 某网\n"
                                  "6月份，全省17个市州空气平均优良天数占比达95.1%，同比上升0.5个百分点。\n")
    assert (ctx.region, ctx.region_source) == ("湖北省", "title")
    m = level(ms, "优良天数比例", value=95.1)
    assert (m.region, m.region_source, m.year, m.months) == ("湖北省", "title", 2023, "6")


def test_self_references_with_only_one_provinces_cities_named_mean_that_province():
    ctx, _ = context_and_metrics(
        "2020年3月，全省9个中心城市平均优良天数比率为97.1%；由好到差依次为都匀市、兴义市、凯里市、安顺市、贵阳市。\n"
        "2020年3月，全省88个县(市、区)平均优良天数比率为98.0%。\n")
    assert ctx.region == "贵州省"


def test_a_title_naming_a_province_and_one_of_its_cities_is_about_the_city():
    ctx, ms = context_and_metrics(
        "5月30日,江苏省扬州市政府新闻办发布《2023年扬州市生态环境状况公报》。\n"
        "2023年,全市生态环境质量稳中向好,中心城区优良天数比例(82.7%)位居全省前列。\n")
    assert (ctx.region, ctx.region_source) == ("扬州市", "title")
    assert level(ms, "优良天数比例").region == "扬州市"


def test_a_province_named_in_a_national_report_is_not_the_whole_province_of_another_sentence():
    ctx, ms = context_and_metrics(
        "2023年全国生态环境状况公报\n2023年，全国地表水优良水质断面比例为89.4%。\n"
        "某地区：全区累计建成示范区45个，全区森林覆盖率达到20.1%。\n")
    assert ctx.region == "全国"
    assert level(ms, "地表水优良水质断面比例").region == "全国"
    assert level(ms, "森林覆盖率").region is None


# --- provenance in the warehouse and the export ----------------------------------------------------

def test_the_warehouse_and_the_export_record_how_each_value_was_placed(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "national.txt").write_text(
        SPAM + "生态环境部通报5月和1—5月全国环境空气质量状况\n时间:2021-06-18 10:00\n"
        "生态环境部今日通报了2021年5月和1—5月全国环境空气质量状况。\n"
        "5月，全国339个地级及以上城市平均优良天数比例为86.0%。\n"
        "北京市PM2.5浓度为30微克/立方米。\n", encoding="utf-8")
    (raw / "province.txt").write_text(
        "3月10日省生态环境厅消息，2021年2月，全省空气质量持续改善，全省平均优良天数比例达到90%。\n",
        encoding="utf-8")
    db = tmp_path / "w.duckdb"
    build_warehouse(raw, db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("""SELECT d.file, m.region, m.year, m.months, m.value, m.year_source, m.period_source,
                                 m.region_source
                          FROM metrics m JOIN documents d USING (doc_id)
                          WHERE m.kind = 'actual' AND m.indicator_id IS NOT NULL
                          ORDER BY d.file, m.value""").fetchall()
    con.close()
    assert rows == [("national.txt", "北京市", 2021, "5", 30.0, "lead", "lead", "clause"),
                    ("national.txt", "全国", 2021, "5", 86.0, "lead", "sentence", "clause"),
                    ("province.txt", None, 2021, "2", 90.0, "sentence", "sentence", "unresolved")]
    out = tmp_path / "m.csv"
    export_metrics(db, out)
    with open(out, encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert {"year_source", "period_source", "region_source"} <= set(exported[0])
    assert all(r["doc"] == "national.txt" for r in exported)   # an unresolved region is left out by default
    vocabulary = {"clause", "sentence", "paragraph", "heading", "lead", "dateline", "title", "default", "unresolved"}
    assert {r[k] for r in exported for k in ("year_source", "period_source", "region_source")} <= vocabulary


def test_a_sentence_stating_its_own_year_is_the_whole_year_not_the_leads_month():
    ctx, ms = context_and_metrics(
        "某部：2022年全国339个地级及以上城市平均空气质量优良天数比例为86.5%\n"
        "某网消息：生态环境部今日公布了2022年12月和1—12月全国环境空气质量状况。\n"
        "12月，全国339个地级及以上城市平均优良天数比例为80.2%。\n")
    assert ctx.lead_periods == ("12", "1-12")
    annual = level(ms, "优良天数比例", value=86.5)
    assert (annual.year, annual.months) == (2022, "1-12")
    assert level(ms, "优良天数比例", value=80.2).months == "12"


def test_a_period_line_under_the_title_is_the_period_reviewed():
    ctx, _ = context_and_metrics("某县地表水环境质量状况报告\n(2022年10月)\n一、监测情况\n全县共设监测断面9个。\n")
    assert (ctx.report_year, ctx.lead_periods, ctx.report_year_source) == (2022, ("10",), "title")


def test_a_period_is_not_a_date_and_quarters_may_be_numerals():
    ctx, ms = context_and_metrics("图1 2021年1-9月全省空气质量级别占比\n"
                                  "2021年3季度某市全市各类功能区昼间达标率为80.5%。\n")
    assert ctx.published is None     # '2021年1-9月' is no publication date
    assert level(ms, "功能区声环境昼间达标率").months == "7-9"


def test_a_city_report_listing_its_counties_is_about_the_city():
    ctx, _ = context_and_metrics(
        "全市大气环境质量情况一览表\n县(市、区) | PM2.5 |\n金乡县 | 60 |\n曲阜市 | 58 |\n嘉祥县 | 62 |\n"
        "11月份，全市环境空气质量综合指数平均为6.1，全市PM2.5平均浓度为60微克/立方米。\n")
    assert ctx.region == "济宁市"


def test_the_whole_city_of_a_municipality_is_that_municipality():
    ctx, ms = context_and_metrics("上海市2022年生态环境状况公报\n2022年，全市PM2.5年均浓度为25微克/立方米。\n")
    assert ctx.region == "上海市"
    assert (level(ms, "PM2.5浓度").region, level(ms, "PM2.5浓度").region_source) == ("上海市", "title")


def test_a_title_opening_with_its_place_then_the_month_gives_the_period_this_month_means():
    ctx, ms = context_and_metrics("某市2023年10月环境空气质量月报\n本月,全市优良天数比例为91.9%。1-10月,全市优良天数比例为88.0%。\n")
    assert ctx.lead_periods == ("10",)
    assert level(ms, "优良天数比例", value=91.9).months == "10"
    assert level(ms, "优良天数比例", value=88.0).months == "1-10"


def test_an_undated_page_whose_lead_opens_with_a_bare_year_reviews_that_year():
    ctx, ms = context_and_metrics(
        "【图片】\n某台消息:某部3月2日召开发布会介绍,2021年,全国空气质量持续改善,优良天数比例为87.5%。\n"
        "另外,全国地表水优良断面比例为84.9%,同比上升1.5个百分点。\n")
    assert (ctx.report_year, ctx.report_year_explicit) == (2021, True)
    assert level(ms, "地表水优良水质断面比例").year == 2021


def test_a_text_that_names_no_place_at_all_is_nobodys_not_the_countrys():
    ctx, ms = context_and_metrics(
        "2024年5月1日至31日,有效监测天数31天,优良天数29天,优良率为93.5%。\n"
        "细颗粒物(PM2.5)月均浓度为21微克/立方米。\n")
    assert ctx.region is None
    assert {m.region for m in ms if m.indicator in ("优良天数比例", "PM2.5浓度")} == {None}
    # one mention of the country is enough to make it national
    ctx, _ = context_and_metrics("2024年5月,全国优良天数比例为88.0%。\n")
    assert ctx.region == "全国"


def test_a_section_heading_or_a_byline_is_never_the_headline():
    # a work summary with no dateline: its first line, not its first numbered section
    summary, _ = context_and_metrics("2023年生态文明建设工作总结\n一、工作回顾\n(一)生态环境质量持续改善\n2023年,全省优良天数比例为88%。\n")
    assert summary.title == "2023年生态文明建设工作总结"
    # a speech: the speaker's line above the date is not the headline
    speech, _ = context_and_metrics("奋力推进美丽中国建设\n——在全省生态环境保护工作会议上的讲话\n省生态环境厅厅长 王某某\n"
                          "(2024年1月20日)\n同志们:\n2023年,全省PM2.5平均浓度为30微克/立方米。\n")
    assert speech.title == "奋力推进美丽中国建设"


# --- families found on real pages (session 4): foreign datelines, metadata tables, copyrights ---

def test_a_day_first_dateline_dates_the_release_and_its_relative_months():
    # a foreign page template prints '07.08.2019 09:30' under the headline; 今年5月 is 2019's May
    ctx, ms = context_and_metrics(
        "部里说:全国前五月空气优良天数比例过八成\n07.08.2019 09:30\n本文来源: 某某委员会\n"
        "本报北京6月19日电 某部日前发布今年5月和1—5月全国空气质量状况。\n"
        "5月,全国城市平均优良天数比例为83.4%,同比上升1.0个百分点。\n"
        "1—5月,平均优良天数比例为80.6%。\n")
    assert ctx.published == "2019-08-07"
    assert level(ms, "优良天数比例", value=83.4).year == 2019
    assert (level(ms, "优良天数比例", value=80.6).year, level(ms, "优良天数比例", value=80.6).months) == (2019, "1-5")


def test_a_brief_named_in_the_lead_gives_the_year_it_reviews():
    ctx, ms = context_and_metrics(
        "某部4月30日发布的2018年全国生态环境质量简况显示，全国生态环境质量总体改善，空气质量改善成果"
        "进一步巩固，水环境质量持续改善，海洋环境状况稳中向好，土壤环境风险得到基本管控，生态系统格局整体稳定。\n"
        "简况显示，全国地级及以上城市PM2.5浓度为39微克/立方米，平均优良天数比例为79.3%。\n")
    assert (ctx.report_year, ctx.report_year_explicit) == (2018, True)
    assert level(ms, "PM2.5浓度").year == 2018


def test_a_copyright_notice_naming_a_company_registered_in_a_city_is_not_the_documents_region():
    # an autonomous region's story that only says 自治区/全区, above the site's copyright lines
    ctx, ms = context_and_metrics(
        "2月3日，记者从自治区生态环境厅获悉，2020年我区生态环境质量稳中向好。\n"
        "据统计，2020年，全区14个设区市优良天数比例为97.7%，PM2.5平均浓度为26微克/立方米。(广西某报 记者/某某)\n"
        "1、某某在线由某电台主办，某某网络(北京)有限公司负责网站经营。\n"
        "2、凡本网注明“来源:某某在线”的所有信息内容，未经授权不得转载。\n"
        "3、使用时应注明“来源:某某在线”，某某网络(北京)有限公司保留追究责任的权利。\n")
    assert ctx.region == "广西壮族自治区"
    assert level(ms, "优良天数比例").region == "广西壮族自治区"


def test_a_page_that_opens_with_its_metadata_table_takes_its_title_and_publisher_below_it():
    rows = "".join(f"{k} | {v} |\n" for k, v in [
        ("索引号", "11500000000000000X/2021-00012"), ("主题分类", "环境监测、保护与治理"),
        ("发布机构", "万州区生态环境局"), ("成文日期", "2021-01-20"), ("发布日期", "2021-02-02")] * 2)
    ctx, ms = context_and_metrics(
        rows + "2020年万州区环境质量简报\n2020年，万州城区环境空气质量优良天数为330天，"
        "细颗粒物(PM2.5)平均浓度为33微克/立方米。\n")
    assert ctx.title == "2020年万州区环境质量简报"
    assert ctx.publisher == "万州区生态环境局"
    assert ctx.region == "万州区"
    assert level(ms, "PM2.5浓度").region == "万州区"


def test_a_districts_town_written_stem_and_chengqu_is_that_district_not_a_lookalike():
    # 梁平城区 is the town of 梁平区; its tail spells 平城区, a district of another province
    _, ms = context_and_metrics("2020年梁平区环境质量简报\n2020年，梁平城区空气质量优良天数为331天，优良天数比例为90.4%。\n")
    assert level(ms, "优良天数比例").region == "梁平区"


def test_a_dateline_in_the_sites_chrome_names_its_date_and_issuing_body():
    ctx, ms = context_and_metrics(
        SPAM + "    某网 | 某部 | 湖北省政府门户网站 无障碍浏览|\n    2022年第三季度全省城市功能区声环境质量\n"
        "    湖北省生态环境厅  时间:2022-10-18 10:05   【字体:    \n"
        "    2022年第三季度,全省城市各类功能区昼间达标率为92.4%,夜间达标率为80.2%。\n")
    assert ctx.published == "2022-10-18"
    assert ctx.region == "湖北省"
    assert (level(ms, "功能区声环境夜间达标率").region, level(ms, "功能区声环境夜间达标率").months) == ("湖北省", "7-9")


def test_a_branch_of_a_citys_bureau_on_the_dateline_is_the_countys_not_the_citys():
    ctx, _ = context_and_metrics(
        "扶风县2023年生态环境工作总结\n宝鸡市生态环境局扶风分局  时间:2024-01-10 09:00\n"
        "2023年,全县空气优良天数达到300天,全县PM2.5平均浓度为33微克/立方米。\n")
    assert ctx.region == "扶风县"


def test_a_dated_item_that_opens_on_a_bare_period_reviews_that_period_of_its_year():
    ctx, ms = context_and_metrics(
        "某县生态环境质量稳中向好\n时间:2019-10-28 09:30 来源:某县府办 责任编辑:某某\n"
        "1-9月,巴州区城区空气质量优良天数250天,优良率91.6%,高出市下达年度指标(88.0%)3.6个百分点。\n")
    assert (ctx.report_year, ctx.default_months) == (2019, "1-9")
    assert (level(ms, "优良天数比例").year, level(ms, "优良天数比例").months) == (2019, "1-9")
    goal = [m for m in ms if m.indicator == "优良天数比例" and m.kind == "target"]
    assert [(g.value, g.year) for g in goal] == [(88.0, 2019)]


def test_a_province_named_only_by_its_cities_and_one_quanshen_is_that_province():
    ctx, ms = context_and_metrics(
        "依据相关标准和技术规定,对2022年3月和1-3月全省县级以上城市空气质量进行评价。具体如下:\n"
        "3月,9个设区城市的环境空气质量达标天数比例平均为97.2%,同比上升1.1个百分点。空气质量从相对较好开始排名,"
        "依次为:南平、龙岩、三明、福州、宁德、厦门、莆田、泉州、漳州。\n")
    assert ctx.region == "福建省"
    assert (ctx.report_year, ctx.lead_periods) == (2022, ("3", "1-3"))
    assert (level(ms, "优良天数比例").region, level(ms, "优良天数比例").year) == ("福建省", 2022)


def test_a_byline_setting_the_agency_and_its_city_apart_names_no_region_and_china_is_national():
    ctx, ms = context_and_metrics(
        "财经 > 公用事业\n中国力争2030年湿地保护率达到60%\n新华社,北京\n2022-03-02 10:20\n"
        "新华社北京3月2日电(记者某某)有关部门近日印发规划,提出到2030年湿地保护率达到60%。\n"
        "规划显示,“十三五”期间中国生态状况明显改善。湿地保护率达到52%,森林覆盖率达到23.04%。\n")
    assert ctx.region == "全国"
    assert level(ms, "湿地保护率", value=52.0).region == "全国"
    # the country inside an organisation's name says nothing of whose figures they are
    ctx, _ = context_and_metrics("中国环境监测总站某某分析\n共监测30天,优良天数27天,优良率为90.0%。\n")
    assert ctx.region is None


def test_a_brand_glossed_with_china_where_a_reposted_city_page_had_its_name_is_no_country():
    # a mirror site put its own name, '某某娱乐(中国)官方网址', where the city's name stood
    ctx, ms = context_and_metrics(
        "一、大气环境\n2024年3月,某某娱乐(中国)官方网址 细颗粒物(PM2.5)平均浓度为28微克/立方米。"
        "全市优良天数比例为93.5%。\n")
    assert ctx.region is None
    assert all(m.region != "全国" for m in ms)


def test_a_story_filed_from_a_capital_that_says_only_quanqu_or_quansheng_is_that_provinces():
    ctx, ms = context_and_metrics(
        "中新网银川2月8日电(记者 某某)记者8日从新闻发布会获悉,2023年,全区5个地级市空气质量"
        "优良天数比例为84.0%。全区地表水国考断面水质优良比例为90.5%。\n")
    assert ctx.region == "宁夏回族自治区"
    assert level(ms, "地表水优良水质断面比例").region == "宁夏回族自治区"
    ctx, _ = context_and_metrics("新华社长沙4月2日电 记者从有关部门获悉,去年全省PM2.5平均浓度为"
                                 "33微克/立方米,全省森林覆盖率达到59.9%。\n")
    assert ctx.region == "湖南省"
    # 全区 filed from a municipality is a district's, 全省 filed there a story from another province
    ctx, _ = context_and_metrics("新华社上海5月6日电 全区PM2.5平均浓度为29微克/立方米,全区优良天数比例为"
                                 "88.0%。\n")
    assert ctx.region is None
    ctx, _ = context_and_metrics("新华社北京5月6日电 全省PM2.5平均浓度为29微克/立方米,全省优良天数比例为"
                                 "88.0%。\n")
    assert ctx.region is None


def test_the_body_signing_a_notice_at_its_foot_names_the_city_its_counties_do_not():
    ctx, ms = context_and_metrics(
        "6月份全市环境质量通报\n发布时间:2024-07-08 来源:市生态环境局\n"
        "6月,全市环境空气质量优良天数比例为90.0%,PM2.5平均浓度为24微克/立方米。\n"
        "各县(市、区)中,汨罗市优良天数比例最高,为100%;平江县PM2.5浓度最低,为15微克/立方米。\n"
        "全市国考断面水质优良比例为96.2%。\n岳阳市生态环境局\n2024年7月8日\n")
    assert ctx.region == "岳阳市"
    assert level(ms, "优良天数比例", value=90.0).region == "岳阳市"


def test_a_national_digest_quoting_one_provinces_report_stays_national():
    ctx, ms = context_and_metrics(
        "2021年5月8日,某部发布2020年全国生态环境质量简况。\n"
        "全国337个地级及以上城市平均优良天数比例为87.0%。全国地表水优良断面比例为83.4%。\n"
        "与此同时,也有不少省市公开了2020年环境质量状况。\n北京——\n"
        "空气质量达标天数为276天,中心城区绿色出行比例达到73.1%。\n"
        "全省13个市(区)空气质量平均优良天数为280.3天,同比增加")   # the page is cut off here
    assert ctx.region == "全国"
    assert level(ms, "地表水优良水质断面比例").region == "全国"


def test_a_title_naming_its_quarter_in_brackets_after_the_report_gives_the_months():
    ctx, ms = context_and_metrics(
        "某省环保重点城市功能区声环境质量状况(2016年第二季度)\n来源:某某网 发布时间: 2016-08-02 10:11\n"
        "    厦门功能区噪声夜间达标情况最好,达标率为75.0%,较上年同期提高了5.0个百分点。\n")
    assert (ctx.report_year, ctx.default_months) == (2016, "4-6")
    night = level(ms, "功能区声环境夜间达标率")
    assert (night.value, night.region, night.months) == (75.0, "厦门市", "4-6")


def test_a_metadata_row_in_brackets_is_no_headline_and_a_bare_source_cue_takes_nothing_below():
    ctx, _ = context_and_metrics(
        "2021年上半年全省声环境质量状况\n[ 索 引 号 ] 116100000000000000/2021-00100 [ 主题词 ]\n"
        "[ 发布机构 ] 省生态环境厅 [ 效力状态 ] 有效\n[ 成文日期 ] [ 发布日期 ] 2021-08-10\n"
        "2021年上半年全省声环境质量状况\n时间: 2021-08-10 09:15 |来源:\n"
        "上半年,全省11个城市各类功能区昼间点次达标率为95.0%,夜间点次达标率为82.0%。\n")
    assert ctx.title == "2021年上半年全省声环境质量状况"
    assert ctx.publisher is None


def test_a_later_paragraph_opening_on_a_month_is_no_lead_of_an_undated_page():
    ctx, _ = context_and_metrics(
        "空气质量较差的十个城市公布\n北京市:\n1-10月优良天数比例为58.0%,同比提高2.0个百分点。\n"
        "10月,北京市优良天数比例为60.1%,同比降低9.4个百分点。\n")
    assert ctx.default_months == "1-12" and ctx.lead_periods == ()


# --- anchors a page gives outside its dateline and lead ------------------------------------------

def test_a_metadata_table_row_is_no_headline_and_the_title_under_it_gives_the_half_year():
    # a provincial page opening on its metadata table: the row with the index number and the row
    # quoting the name beside other fields are not the headline; the bracketed half year of the
    # title below them is the period of the paragraphs that name none
    text = (SPAM + "索引號:000987654/2022-00041 組配分類:質量狀況通報\n發布機構:省環境監測站 發文日期:2022-08-03\n"
            "名 稱:某某省環境質量狀況通報(2022年上半年) 文件編號:\n\n浙江省環境質量狀況通報(2022年上半年)\n\n"
            "一、環境空氣\n\n2022上半年,全省空氣中PM2.5平均濃度為31.6微克/立方米,較上年同期下降2.4%。\n\n"
            "全省11個設區市中,PM10濃度平均為54微克/立方米。\n")
    ctx, metrics = context_and_metrics(text)
    assert "索引" not in ctx.title and "2022年上半年" in ctx.title
    assert ctx.default_months == "1-6"
    assert level(metrics, "PM10浓度", value=54.0).months == "1-6"
    assert level(metrics, "PM2.5浓度", value=31.6).region == "浙江省"


def test_a_year_glued_to_its_half_or_quarter_is_the_leads_year():
    ctx, metrics = context_and_metrics("某省环境质量\n2023-04-20 来源:某省生态环境厅\n"
                                       "2023一季度,全省PM2.5平均浓度为46微克/立方米。\n")
    assert (ctx.report_year, ctx.default_months) == (2023, "1-3")
    assert level(metrics, "PM2.5浓度").year == 2023
    # in a sentence of the body too ('2021上半年' is 2021 on a page about 2022)
    _, metrics = context_and_metrics("2022年某县环境质量公报\n2022年,全县PM2.5平均浓度为27微克/立方米。"
                                     "2021上半年PM2.5平均浓度为35微克/立方米。\n")
    assert level(metrics, "PM2.5浓度", value=35.0).year == 2021


def test_an_undated_page_takes_its_year_from_the_caption_of_its_table():
    # no title, no dateline: the prose names months only, the caption of the table under it the year
    text = ("????一、环境空气质量\n9月份,某县城区PM2.5月均浓度为24μg/m3,同比上升4.3%。\n"
            "二氧化硫月均浓度为6μg/m3,同比上升20%。\n二氧化氮月均浓度为22μg/m3,同比上升10%。\n"
            "一氧化碳月均浓度为0.9mg/m3,同比上升12.5%。\n主要污染物浓度见表1。\n"
            "表2 2025年9月全县环境空气主要污染物浓度表\n| 城市 | PM2.5 |\n| 某县 | 24 |\n")
    ctx, metrics = context_and_metrics(text)
    assert (ctx.report_year, ctx.report_year_explicit, ctx.report_year_source) == (2025, True, "heading")
    pm = level(metrics, "PM2.5浓度", value=24.0)
    assert (pm.year, pm.months) == (2025, "9")
    # a caption naming a base year is no anchor, and a dated page keeps its dateline's year
    ctx, _ = context_and_metrics(text.replace("表2 2025年9月", "表2 较2020年"))
    assert not ctx.report_year_explicit
    ctx, _ = context_and_metrics("某县环境质量\n发布时间:2024-12-05\n" + text)
    assert ctx.report_year == 2024


def test_an_undated_page_opening_on_its_month_in_words_takes_the_year_of_the_table_below():
    # an excerpt with no headline: the first sentence opens on '六月份' and the place; the year is
    # only in the line right above the table (no '表1'); the lines under the first sentence are
    # its body, not a headline
    text = ("四月份某某县共监测30天,空气质量总体为良。优良天数29天,优良率96.7%。\n"
            "各项污染物浓度列下:\n二氧化硫(SO2)的平均浓度为8微克/立方米,较去年同月下降20%;\n"
            "细颗粒物(PM2.5)的平均浓度为15微克/立方米,较去年同月上升7.1%;\n"
            "崇义县2022年4月环境空气质量对比数据\n时间 |\nSO2 |\nPM2.5 |\n2022年4月 |\n8 |\n15 |\n")
    ctx, metrics = context_and_metrics(text)
    assert "二氧化硫" not in (ctx.title or "")
    assert (ctx.report_year, ctx.report_year_explicit, ctx.default_months) == (2022, True, "4")
    pm = level(metrics, "PM2.5浓度", value=15.0)
    assert (pm.year, pm.months) == (2022, "4")
    # a line above a table that is a sentence of the body ('…如下,单位|…') gives no year
    ctx, _ = context_and_metrics(text.replace("崇义县2022年4月环境空气质量对比数据", "与2021年相比,数据如下"))
    assert not ctx.report_year_explicit


def test_a_short_city_name_inside_a_sections_name_is_no_mention_of_the_city():
    # a province's note on its sections: '镇江口断面' (a section in 长春) is no 镇江市 of another
    # province, so the cities named are one province's and 全省 is that province
    text = ("2018年3月份,我厅对全省45个国考断面的水质做了分析。监测显示,全省优良水体比例为66.7%。\n"
            "长春市国考断面7个,和2月份比,镇江口断面由五类水体好转为四类。\n吉林市国考断面11个。\n"
            "四平市国考断面5个。\n辽源市国考断面1个。\n通化市国考断面3个,镇江口断面水质保持稳定。\n")
    ctx, metrics = context_and_metrics(text)
    assert ctx.region == "吉林省"
    assert level(metrics, "地表水优良水质断面比例", value=66.7).region == "吉林省"
