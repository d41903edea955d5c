"""Figures that read like a catalog level but are not one, and whose place a figureless
sentence or a breadcrumb decides (prec6: false values on fresh pages). Sentences are our own."""
from __future__ import annotations

from etl.clean import clean
from etl.context import document_context
from etl.segment import segment
from tests.reading import levels, read


def test_a_qizhong_part_of_a_dust_caused_share_is_no_heavy_pollution_share():
    ms = read("生态环境部通报2031年5月全国环境空气质量。\n5月,全国地级及以上城市平均重度及以上污染天数比例为0.7%。"
              "5月,由沙尘天气造成的平均超标天数比例为2.4%,其中重度及以上污染天数比例为0.3%。")
    # (the dust's days are a part: their figure goes to no region, so it is never exported)
    assert [v for v in levels(ms, "重污染天数比例") if v[1]] == [("重污染天数比例", "全国", 2031, "5", 0.7)]


def test_an_intensity_cut_since_a_base_year_long_before_is_no_years_rate():
    ms = read("某国2030年应对气候变化进展。\n2030年,全国单位国内生产总值二氧化碳排放比2010年下降超过40%,"
              "比2029年下降2.6%。")
    assert levels(ms, "碳排放强度下降率") == [("碳排放强度下降率", "全国", 2030, "1-12", 2.6)]


def test_a_goal_since_a_plans_base_year_stays_a_goal():
    ms = read("某国2031年规划。\n到2035年,单位国内生产总值二氧化碳排放比2030年下降16%。")
    assert [(m.kind, m.year, m.value) for m in ms if m.indicator == "碳排放强度下降率"] == [("target", 2035, 16.0)]


def test_a_breadcrumb_naming_a_city_is_no_title_and_no_region():
    text = ("您现在的位置:某某生活网 西宁\n分享\n\n2031年,我国地表水环境质量持续向好。"
            "全国地表水优良水质断面比例为93.2%。\n\n发布时间:2032-01-20 09:10\n")
    paragraphs = segment(clean(text))
    ctx = document_context(paragraphs, None)
    assert ctx.region == "全国" and "位置" not in (ctx.title or "")
    assert levels(read(text)) == [("地表水优良水质断面比例", "全国", 2031, "1-12", 93.2)]


def test_cities_grouped_by_their_economy_are_no_region():
    ms = read("2031年全国空气质量。\n2031年,全国PM2.5平均浓度为26微克/立方米。24个万亿GDP城市PM2.5平均浓度为25.1微克/立方米。")
    assert [x for x in levels(ms, "PM2.5浓度") if x[1]] == [("PM2.5浓度", "全国", 2031, "1-12", 26.0)]


def test_the_rest_of_a_set_is_a_part_not_the_whole():
    ms = read("江西省2031年10月水环境质量。\n10月,全省重点湖库水质优良比例为81.0%。监测的其他40个湖库中,水质优良湖库占比70.0%。",
              title="江西省2031年10月水环境质量")
    assert [m.value for m in ms if m.indicator == "重点湖库水质优良比例" and m.region] == [81.0]


def test_the_place_of_a_figureless_sentence_goes_on_in_the_period_led_sentence_after_it():
    ms = read("2031年上半年全国空气质量。\n今年1月至6月,全国平均优良天数比例为82.0%。\n\n"
              "从重点区域看,长三角地区空气质量有所改善。1月至6月,平均优良天数比例为84.5%。")
    assert ("优良天数比例", "长三角地区", 2031, "1-6", 84.5) in levels(ms)
    assert ("优良天数比例", "全国", 2031, "1-6", 84.5) not in levels(ms)


def test_a_half_years_mean_is_the_half_year_not_the_whole_year():
    ms = read("2032年上半年全国空气质量。\n珠三角地区上半年平均优良天数比例为88.8%。")
    assert levels(ms) == [("优良天数比例", "珠三角地区", 2032, "1-6", 88.8)]


def test_a_date_beside_a_view_count_is_the_dateline_even_under_a_reported_figure():
    text = ("生态环境部通报,今年1月至3月全国平均优良天数比例为81.1%。\n\n"
            "2033-04-12 00:00:00 · 某某能源 阅读:316\n"
            "今年1月至3月,全国平均优良天数比例为81.1%,同比上升1.0个百分点。")
    ctx = document_context(segment(clean(text)), None)
    assert ctx.published == "2033-04-12"
    assert ("优良天数比例", "全国", 2033, "1-3", 81.1) in levels(read(text))


def test_the_end_of_a_month_is_a_point_not_a_period_for_later_sentences():
    ms = read("某国2030年统计公报。\n2030年11月末,全国某项债务余额为20.1万亿元。"
              "全国地级及以上城市平均优良天数比例为84.2%,PM2.5浓度为27微克/立方米。", title="某国2030年统计公报")
    assert ("优良天数比例", "全国", 2030, "1-12", 84.2) in levels(ms)
    assert not [m for m in ms if m.indicator_id and m.months == "11"]


def test_a_formula_that_lost_its_digit_names_its_own_pollutant_and_inherits_none():
    ms = read("2031年6月全国空气质量。\n6月,全国PM10平均浓度为41μg/m3,同比下降2.0%;SO平均浓度为7μg/m3,同比持平。")
    assert [(m.indicator, m.value) for m in ms if m.indicator_id and m.kind == "actual"] == [("PM10浓度", 41.0), ("二氧化硫浓度", 7.0)]   # (SO restored to SO2 by cleaning)


def test_a_pledge_word_before_the_name_in_the_values_clause_makes_a_goal():
    ms = read("某国林业发展规划解读。\n发布时间:2031-10-18\n总体而言,到2030年,我国将实现森林覆盖率达到25.5%。")
    assert [(m.kind, m.year) for m in ms if m.indicator == "森林覆盖率"] == [("target", 2030)]


def test_a_zone_named_after_a_lake_is_no_city_of_that_short_name():
    from etl.catalog.gazetteer import find_regions
    assert not [r for r in find_regions("发布机构:三亚湖区环境保护局") if r.name == "三亚市"]
    assert [r.name for r in find_regions("三亚市区空气质量")][:1] == ["三亚市"]


def test_a_release_days_date_is_no_year_for_the_bulletins_figures():
    ms = read("某某新闻\n2031年6月5日,某部在主场活动上发布《2030中国生态环境状况公报》。"
              "公报显示,全国功能区声环境昼间达标率为96.5%。全国地表水优良水质断面比例为91.0%。")
    assert {(m.indicator, m.year) for m in ms if m.indicator_id and m.kind == "actual"} == {
        ("功能区声环境昼间达标率", 2030), ("地表水优良水质断面比例", 2030)}


def test_where_an_event_was_held_is_no_subject_for_the_sentence_after():
    ms = read("2031年上半年全国空气质量。\n某部在北京召开例行新闻发布会。1月至6月,全国平均优良天数比例为82.0%。\n\n"
              "某部在上海召开专题会议。1月至6月,平均优良天数比例为84.5%。")
    assert not [m for m in ms if m.region in ("北京市", "上海市")]
