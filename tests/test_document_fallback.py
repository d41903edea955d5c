"""Values the reader finds but cannot place (no year, no region) take the page's own year or
region when the page names exactly one (etl/extract/document_fallback.py), at a confidence just
above the export cut, recording 'document' as how it was decided; several candidates that
disagree lend nothing. Every page here is written for the test."""
from __future__ import annotations

from etl.extract.document_fallback import FALLBACK_CONFIDENCE
from etl.warehouse.export import DEFAULT_MIN_CONFIDENCE
from tests.reading import read


def _one(metrics, indicator):
    found = [m for m in metrics if m.indicator == indicator and m.kind == "actual"]
    assert len(found) == 1, [(m.indicator, m.region, m.year) for m in metrics]
    return found[0]


def test_the_leads_year_of_a_half_year_dates_values_under_its_months():
    text = ("10.03 前6月全国环境执法情况,附排名\n"
            "日前,主管部门向社会通报各地2019年上半年环境行政处罚案件办理情况。\n"
            "1-6月,全国环境行政处罚案件共下达处罚决定书65000份,罚没款金额为480000.5万元。\n")
    m = _one(read(text), "行政处罚案件数")
    assert (m.year, m.months, m.year_source) == (2019, "1-6", "document")
    assert DEFAULT_MIN_CONFIDENCE <= m.confidence <= FALLBACK_CONFIDENCE


def test_a_bulletin_named_with_its_year_and_no_nian_dates_the_values():
    text = ("某网站 友情链接\n"
            "记者 张三\n"
            "2025年6月4日,主管部门在纪念活动上发布《2024中国环境形势公报》。公报显示,全国空气质量稳中向好。\n"
            "全国339个地级及以上城市细颗粒物(PM2.5)平均浓度为28微克/立方米。全国优良天数比例为87.1%。\n")
    m = _one(read(text), "PM2.5浓度")
    assert (m.region, m.year) == ("全国", 2024)   # (the lead or the document fallback)


def test_a_year_the_page_keeps_stating_against_one_named_once():
    text = ("关于加快推进绿色转型的若干说明。\n"
            "会议认为,2023年生态环境质量持续改善,2023年各项目标全面完成,2023年污染防治攻坚成效明显。"
            "2024年全国生态环境保护工作会议强调,要继续努力。\n"
            "一年来,全国地级及以上城市PM2.5平均浓度为每立方米30.1微克。\n")
    m = _one(read(text), "PM2.5浓度")
    assert (m.year, m.year_source) == (2023, "document")


def test_two_years_that_compete_lend_nothing():
    text = ("关于加快推进绿色转型的若干说明。\n"
            "会议认为,2022年各项目标全面完成,2023年污染防治攻坚成效明显。\n"
            "一年来,全国地级及以上城市PM2.5平均浓度为每立方米30.1微克。\n")
    assert all(m.year is None for m in read(text) if m.indicator == "PM2.5浓度")


def test_a_sentence_counting_from_last_year_takes_no_page_year():
    text = ("关于加快推进绿色转型的若干说明。\n"
            "会议认为,2023年生态环境质量持续改善,2023年各项目标全面完成,2023年污染防治攻坚成效明显。"
            "2024年全国生态环境保护工作会议强调,要继续努力。\n"
            "去年,全国地级及以上城市PM2.5平均浓度为每立方米31.6微克。\n")
    assert all(m.year != 2023 for m in read(text) if m.indicator == "PM2.5浓度")


def test_a_work_summary_names_its_place_in_its_first_result_only():
    # the title names no place, the text says 我局/市委市政府 and names its county-level city once, its
    # prefecture twice (ranked, and in the name of a rule book)
    text = ("关于2022年生态环境保护工作总结的汇报\n"
            "发布时间:2023-02-20\n"
            "2022年以来,在市委市政府的坚强领导下,我局扎实推进各项工作,取得新成效。"
            "1-12月,凯里市环境空气优良天数352天,平均优良天数比例为96.4%;综合指数2.61,黔东南州在全省排名靠前。\n"
            "一、2022年工作开展情况\n"
            "修订《黔东南州生态环境局凯里分局内部管理办法》,规范日常工作。\n"
            "集中式饮用水水源地水质达标率100%,受污染耕地安全利用率达到93%。\n")
    m = _one(read(text), "饮用水水源地水质达标比例")
    assert (m.region, m.year, m.region_source) == ("凯里市", 2022, "document")
    assert DEFAULT_MIN_CONFIDENCE <= m.confidence <= FALLBACK_CONFIDENCE


def test_two_places_that_disagree_lend_no_region():
    text = ("关于2022年生态环境保护工作总结的汇报\n"
            "发布时间:2023-02-20\n"
            "2022年以来,我局扎实推进各项工作。1-12月,凯里市、都匀市环境空气优良天数均超过350天。\n"
            "全市集中式饮用水水源地水质达标率100%,全市工作成效明显。\n")
    m = _one(read(text), "饮用水水源地水质达标比例")
    assert m.region is None


def test_document_region_asks_for_one_place_or_one_line_of_descent():
    from etl.clean import clean
    from etl.extract.document_fallback import document_region
    from etl.segment import segment

    def region(title, body):
        return document_region(segment(clean(body)), title)
    assert region("工作汇报", "我局推进工作。1-12月,凯里市优良天数352天。\n")[::3] == ("凯里市", "document")
    # a province and a city in it name the city
    assert region("贵州省工作汇报", "我局推进工作。1-12月,凯里市优良天数352天。\n")[0] == "凯里市"
    assert region("工作汇报", "我局推进工作。1-12月,凯里市、遵义市优良天数均超过350天。\n") is None
    assert region("工作汇报", "我局推进工作。1-12月,全国优良天数比例为86%。\n") is None
    # a 全县 page is no prefecture's
    assert region("工作汇报", "全县推进工作。1-12月,遵义市优良天数352天。全县成效明显。\n") is None


def test_a_page_naming_no_place_but_the_countrys_network_is_national():
    text = ("2021年水质优良断面比例为84.9%:2021年11月,1940个国家地表水考核断面中,水质优良(Ⅰ~Ⅲ类)断面比例为86.2%;"
            "劣Ⅴ类断面比例为0.8%。\n"
            "主要江河水质状况:2021年11月,七大流域及西北诸河、西南诸河水质优良断面比例为89.1%。\n")
    m = next(m for m in read(text) if m.indicator.startswith("劣") and m.months == "11")
    assert (m.region, m.region_source) == ("全国", "document")
    assert m.confidence <= FALLBACK_CONFIDENCE


def test_a_city_page_naming_the_network_stays_its_own():
    text = ("2021年11月,全市8个国家地表水考核断面中,水质优良断面比例为87.5%。\n"
            "全市劣Ⅴ类断面比例为0。\n")
    assert all(m.region != "全国" for m in read(text))


def test_a_report_named_with_a_bare_year_dates_what_follows_not_the_day_it_came_out():
    text = ("某网站 友情链接\n"
            "2025年6月4日,主管部门在纪念活动上发布《2024中国环境形势公报》。公报显示,全国功能区声环境昼间、"
            "夜间达标率分别为95.8%、86.1%。\n")
    found = [m for m in read(text) if m.indicator.startswith("功能区声环境")]
    assert found and all(m.year == 2024 for m in found)


def test_a_lakes_district_is_not_the_city_that_shares_its_first_characters():
    from etl.catalog import gazetteer
    # (a city whose short name the gazetteer keeps, then 湖区: a development district named after a lake)
    assert [r.name for r in gazetteer.find_regions("发布机构:三亚湖区环境保护局") if r.level != "self"] == []
    assert [r.name for r in gazetteer.find_regions("三亚市区空气质量优良")][:1] == ["三亚市"]


def test_a_paragraph_opening_on_the_pages_one_year_dates_the_values_below():
    text = ("环境质量简报\n"
            "2022年,我市持续推进污染防治攻坚。\n"
            "一、空气\n"
            "1-9月,凯里市环境空气优良天数比例为94.1%,PM2.5平均浓度为27微克/立方米。\n")
    m = _one(read(text), "优良天数比例")
    assert (m.year, m.months, m.year_source) == (2022, "1-9", "document")


def test_an_undated_half_year_release_counting_from_its_one_year():
    text = ("2017年以来,甲市严格执法,对环境违法行为保持高压态势。\n"
            "甲市上半年环境执法处罚986起\n"
            "近日,记者从甲市生态环境局获悉,上半年,广州市生态环境部门共下达行政处罚决定书986件,"
            "处罚金额和案件数量较去年同期分别上升12%和20%。\n")
    m = _one(read(text), "行政处罚案件数")
    assert (m.year, m.months, m.year_source) == (2017, "1-6", "document")


def test_a_since_year_dates_no_whole_years_value():
    text = ("2017年以来,广州市持续推进大气污染防治。\n"
            "全市环境空气优良天数比例为88.2%。\n")
    assert all(m.year is None for m in read(text) if m.indicator == "优良天数比例")


def test_a_dated_page_stating_no_year_dates_values_counted_to_a_day_before_it():
    text = ("发布机构 | 苍溪县政府 |\n"
            "发布日期 | 2021-11-26 |\n"
            "苍溪县狠抓扬尘、燃煤治理。截至11月20日,县城区空气质量优良天数达310天,优良天数占全年天数比例"
            "达到95.1%,提前完成目标。同时PM10、PM2.5平均浓度分别为42.1微克/立方米、26.3微克/立方米。\n")
    m = _one(read(text), "优良天数比例")
    assert (m.region, m.year, m.year_source) == ("苍溪县", 2021, "document")


def test_a_dated_page_stating_no_year_dates_no_uncounted_value():
    text = ("发布机构 | 甲县政府 |\n"
            "发布日期 | 2021-03-02 |\n"
            "苍溪县狠抓扬尘、燃煤治理。县城区空气质量优良天数比例达到95.1%,"
            "同时PM10、PM2.5平均浓度分别为42.1微克/立方米、26.3微克/立方米。\n")
    assert all(m.year_source != "document" for m in read(text))


def test_a_line_under_the_title_that_is_only_the_year_dates_the_page():
    text = ("环境状况公报\n"
            "(2020年度)\n"
            "全市环境空气优良天数比例为94.2%,PM2.5平均浓度为29微克/立方米。\n"
            "凯里市生态环境局\n")
    m = _one(read(text), "PM2.5浓度")
    assert (m.region, m.year, m.year_source) == ("凯里市", 2020, "document")


def test_a_headline_opening_on_a_place_the_gazetteer_leaves_out():
    # (a county-level city the gazetteer drops because ordinary phrases hold its name: 各项城市)
    text = ("项城市2023年第二季度环境空气质量状况\n"
            "2023年第二季度,我市环境空气自动监测站有效天数91天,PM2.5浓度为31μg/m3,PM10浓度为58μg/m3。\n")
    m = _one(read(text), "PM2.5浓度")
    assert (m.region, m.year, m.months, m.region_source) == ("项城市", 2023, "4-6", "document")
    assert m.confidence <= FALLBACK_CONFIDENCE


def test_a_headline_opening_on_a_kind_of_place_names_no_place():
    for title in ("重点城市2023年第二季度环境空气质量状况", "中心城区2023年第二季度环境空气质量状况"):
        text = title + "\n2023年第二季度,我市环境空气PM2.5浓度为31μg/m3,PM10浓度为58μg/m3。\n"
        assert all(m.region is None for m in read(text) if m.indicator == "PM2.5浓度"), title


def test_an_issuer_signing_with_its_day_on_one_line_dates_the_part_year_values():
    text = ("上半年环境空气质量通报\n"
            "上半年,全县环境空气优良天数比例为93.9%,PM2.5平均浓度为28微克/立方米。全县水质稳定。\n"
            "施秉县生态环境局 2022年7月8日\n")
    m = _one(read(text), "PM2.5浓度")
    assert (m.region, m.year, m.months, m.year_source) == ("施秉县", 2022, "1-6", "document")


def test_an_issue_number_under_the_title_dates_the_monthly_report():
    text = ("凯里市环境质量月报\n"
            "2021年第5期\n"
            "5月,全市环境空气优良天数比例为97.2%。1-5月,全市优良天数比例为95.8%。\n")
    found = [m for m in read(text) if m.indicator == "优良天数比例"]
    assert {(m.year, m.months) for m in found} == {(2021, "5"), (2021, "1-5")}


def test_a_page_with_no_year_and_no_date_stays_undated():
    text = "凯里市环境质量月报\n一、空气质量\n8月,全市环境空气优良天数比例为96.8%。\n"
    assert all(m.year is None for m in read(text))


def test_a_dateline_with_a_view_counter_dates_a_page_whose_title_is_its_first_sentence():
    lead = "主管部门9日发布的全国空气质量状况显示,今年1月至6月,全国339个地级及以上城市平均优良天数比例为82.3%。"
    text = f"{lead}\n2021-07-10 08:00:00 · 某能源网 阅读:1203\n{lead}\n今年上半年,全国PM2.5浓度为34微克/立方米。\n"
    m = _one(read(text), "PM2.5浓度")
    assert (m.region, m.year, m.months) == ("全国", 2021, "1-6")


def test_a_headlines_rounded_figure_takes_no_page_year():
    text = ("全国湿地保护率超过55% 生态屏障持续巩固\n"
            "2025-03-12 10:26:18 来源:某报\n"
            "主管部门日前公布的数据显示,2024年全国湿地保护率达到55.2%。2024年全国完成造林400万公顷,"
            "2024年新增国家公园2处,2022年底完成红线划定。\n")
    assert all(m.value != 55 or m.year is None for m in read(text) if m.indicator == "湿地保护率")
