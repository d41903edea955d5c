"""Places read where a longer phrase holds them: a city's name before 城区, the country's phrase
after a province's own word, and the two ends of a spread. Sentences written for these tests."""
from __future__ import annotations

from etl.catalog.gazetteer import find_regions
from tests.reading import read


def test_a_citys_name_before_chengqu_is_the_city_not_a_district_its_tail_spells():
    # the tail of 长沙市 and 区 spell 沙市区, a district of another city
    assert [r.name for r in find_regions("长沙市城区空气质量优良率为80.2%")] == ["长沙市"]
    assert [r.name for r in find_regions("万州城区空气质量优良率为80.2%")] == ["万州区"]


def test_the_countrys_phrase_after_a_provinces_own_word_is_the_provinces_cities():
    assert [r.level for r in find_regions("全省12个地级及以上城市平均优良天数比例")] == ["self"]
    assert find_regions("339个地级及以上城市平均优良天数比例")[0].level == "country"


def test_both_ends_of_a_spread_are_no_values():
    ms = read("某省2023年生态环境状况公报\n2023年，全省11个地级及以上城市优良天数比例在82.5%-96.0%之间，全省平均为90.1%。\n")
    assert sorted(m.value for m in ms if m.indicator == "优良天数比例") == [90.1]


def test_a_label_line_counting_an_areas_cities_puts_the_paragraph_under_that_area():
    ms = read("2021年6月重点区域空气质量\n2021-07-15\n汾渭平原11个城市：\n"
              "1-6月平均优良天数比例为61.3%。PM2.5浓度为47微克/立方米。\n")
    assert {(m.indicator, m.region) for m in ms if m.indicator_id} == {
        ("优良天数比例", "汾渭平原"), ("PM2.5浓度", "汾渭平原")}
