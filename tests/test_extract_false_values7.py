"""Figures beside a true level that must not be read as one (prec7: the variation grid of false
values, tests/fixtures/variants_prec7). Sentences are our own."""
from __future__ import annotations

from etl.catalog import gazetteer
from etl.clean import clean
from etl.context import document_context
from etl.extract.class_names import names_another_class
from etl.extract.extremes import is_extreme
from etl.segment import segment
from tests.reading import levels, read


def test_a_margin_over_a_yardstick_with_its_figure_in_brackets_is_no_level():
    ms = read("2031年蚌埠市环境质量状况\n2031年,全市PM2.5年均浓度为36微克/立方米,比全国平均水平(31微克/立方米)高5微克/立方米。")
    assert ("PM2.5浓度", "蚌埠市", 2031, "1-12", 5.0) not in levels(ms)
    assert ("PM2.5浓度", "蚌埠市", 2031, "1-12", 36.0) in levels(ms)


def test_a_named_rivers_branch_and_a_station_are_parts_not_the_city():
    ms = read("2031年漳州市生态环境质量概况\n2031年,全市国控断面水质优良比例为96.1%,某龙江东溪水质优良比例为88.9%。\n"
              "省控站点方面,漳州某湖监测站PM2.5浓度为22微克/立方米。")
    assert [v[4] for v in levels(ms, "地表水优良水质断面比例") if v[1] == "漳州市"] == [96.1]
    assert not [v for v in levels(ms, "PM2.5浓度") if v[1] == "漳州市" and v[4] == 22.0]


def test_a_lone_class_is_not_the_worst_class_named_before_it():
    assert names_another_class("Ⅴ类为", "劣Ⅴ类比例")
    assert names_another_class("四类", "劣四类")
    assert not names_another_class("为", "劣Ⅴ类比例")
    ms = read("2031年某省水质状况\n2031年,全省地表水劣Ⅴ类比例为0.2%,Ⅴ类为1.4%。\n"
              "2031年,全省近岸海域各类海水比例分别为:一类31.0%,二类40.2%,三类9.9%,四类6.6%,劣四类12.3%。")
    worst = [v[4] for v in levels(ms) if v[0] in ("劣Ⅴ类断面比例", "近岸海域劣四类水质比例")]
    assert sorted(worst) == [0.2, 12.3]


def test_a_longer_name_ending_in_a_districts_stem_is_not_that_districts_town():
    names = [r.name for r in gazetteer.find_regions("长沙市城区环境空气优良率为79%")]
    assert names == ["长沙市"]
    assert [r.name for r in gazetteer.find_regions("梁平城区优良率为91%")] == ["梁平区"]


def test_the_country_as_a_local_pages_yardstick_does_not_make_it_national():
    text = ("某某市人民政府门户网站\n东阳市上半年空气质量情况\n时间:2031-07-09\n"
            "1—6月,城区环境空气优良天数比例为84.4%。\n"
            "全国339个地级及以上城市平均优良天数比例为79.0%,我市高出5.4个百分点。")
    ms = read(text)
    assert ("优良天数比例", "全国", 2031, "1-6", 84.4) not in levels(ms)


def test_a_page_naming_districts_of_one_city_and_never_the_country_is_not_national():
    text = ("2031年3月生态环境投诉举报受理情况\n本月共受理生态环境投诉举报事项2140件。\n"
            "反映问题较多的区依次是:浦东新区、闵行区、宝山区。")
    paragraphs = segment(clean(text))
    assert document_context(paragraphs, None).region != "全国"
    assert not [v for v in levels(read(text)) if v[1] == "全国"]


def test_changes_each_with_a_unit_holding_a_digit_stay_changes():
    ms = read("某市2031年2月空气质量月报\n2031年2月,全市PM10、PM2.5月均浓度分别为0.041mg/m3、0.024mg/m3。"
              "与去年同期相比,NO2、PM10、PM2.5浓度分别上升了0.002mg/m3、0.007mg/m3、0.005mg/m3。")
    assert sorted(v[4] for v in levels(ms)) == [24.0, 41.0]


def test_a_days_or_an_hours_extreme_is_no_level_of_the_month():
    assert is_extreme("日均浓度最高值为")
    assert is_extreme("小时浓度最大值为")
    assert is_extreme("最大日均值为")
    assert not is_extreme("日最大8小时平均浓度为")
    assert not is_extreme("平均浓度为")
    ms = read("某市2031年12月空气质量通报\n12月,全市PM2.5月均浓度为66微克/立方米,日均浓度最高值为211微克/立方米。")
    assert [v[4] for v in levels(ms, "PM2.5浓度")] == [66.0]


def test_the_provinces_own_count_of_cities_is_not_the_country():
    names = [r.name for r in gazetteer.find_regions("全省11个地级及以上城市优良天数比例为88.0%")]
    assert "全国" not in names
    assert "全国" in [r.name for r in gazetteer.find_regions("全国339个地级及以上城市优良天数比例为86.0%")]
    ms = read("2031年湖北省环境空气质量状况\n2031年,全省17个地级及以上城市优良天数比例为85.1%,各市在71.2%-96.0%之间。")
    assert levels(ms, "优良天数比例") == [("优良天数比例", "湖北省", 2031, "1-12", 85.1)]


def test_a_paragraph_opening_on_one_sea_goes_on_with_that_sea_not_the_country():
    ms = read("2031年某国海洋生态环境状况公报\n2031年,全国近岸海域劣四类水质海域面积比例为8.8%。\n"
              "渤海近岸海域水质一般。一类海水比例为40.1%,劣四类海水比例为12.0%。")
    assert [v for v in levels(ms, "近岸海域劣四类水质比例") if v[1] == "全国"] == [
        ("近岸海域劣四类水质比例", "全国", 2031, "1-12", 8.8)]


def test_a_nationwide_platform_a_local_office_works_through_does_not_make_its_page_national():
    text = ("通过“全国生态环境信访投诉举报管理平台”对信访数据进行分析,现将1-3月情况汇总如下:\n"
            "一、全市举报件办理情况\n2031年1-3月,举报受理平台共接举报件17件,其中已办结12件。")
    paragraphs = segment(clean(text))
    assert document_context(paragraphs, None).region != "全国"


def test_a_share_of_cities_meeting_the_standard_is_no_share_of_good_days():
    ms = read("2031年全国生态环境状况公报\n发布时间:2032-05-20\n全国339个城市平均优良天数比例为87.1%,"
              "环境空气质量达标城市比例为64.3%,同比上升2.1个百分点。")
    assert [v[4] for v in levels(ms, "优良天数比例")] == [87.1]


def test_the_338_cities_of_earlier_years_are_the_country_not_a_region_of_the_headline():
    ms = read("2026年某国生态环境状况公报发布\n某区域PM2.5年均浓度超标1.1倍 公报指出,338个城市空气达标天数比例在21.0%~100%之间,"
              "平均为78.2%。")
    assert [v[1] for v in levels(ms, "优良天数比例")] == ["全国"]
