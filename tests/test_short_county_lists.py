"""Counties named by their short names in lists (etl/extract/short_county_lists.py) and a known
county whose tail spells an unknown one (subjects._unknown_county_between). Sentences written
for these tests, read through clean -> segment -> context -> extract."""
from __future__ import annotations

from tests.reading import read


def values(ms, indicator):
    return {(m.region or "", m.value) for m in ms if m.indicator == indicator and m.kind == "actual"}


def test_a_counted_list_of_short_county_names_shares_its_value():
    ms = read("2023年，鹤峰、来凤两县环境空气优良天数比例均为99.2%。\n")
    assert values(ms, "优良天数比例") == {("来凤县", 99.2), ("鹤峰县", 99.2)}


def test_a_count_written_in_figures_after_the_list_works_too():
    ms = read("2023年1-9月，永顺、古丈和保靖3县饮用水水源地水质达标率全部为100%。\n")
    assert values(ms, "饮用水水源地水质达标比例") == {("古丈县", 100), ("保靖县", 100), ("永顺县", 100)}


def test_a_list_of_short_names_in_its_prefectures_page_pairs_values_member_by_member():
    ms = read("湘西州2023年环境质量公报\n2023年，泸溪、花垣PM2.5平均浓度分别为31、28微克/立方米。\n")
    assert values(ms, "PM2.5浓度") == {("泸溪县", 31), ("花垣县", 28)}


def test_short_names_that_are_no_counties_of_the_page_are_left_alone():
    # 和平, 长安 are districts elsewhere, not counties of this prefecture
    ms = read("湘西州2023年环境质量公报\n2023年，和平、长安PM2.5平均浓度分别为31、28微克/立方米。\n")
    assert not any(m.region in ("和平区", "长安区") for m in ms)


def test_a_count_that_does_not_match_the_list_leaves_it_alone():
    ms = read("2023年，鹤峰、来凤3县优良天数比例均为99.2%。\n")
    assert not any(m.region in ("鹤峰县", "来凤县") for m in ms)


def test_a_known_county_whose_tail_spells_a_short_county_is_still_listed():
    # 咸丰县 ends in 丰县, which alone reads like a county the gazetteer leaves out
    ms = read("2023年1-6月，利川市、咸丰县PM2.5平均浓度分别为33、26微克/立方米。\n")
    assert values(ms, "PM2.5浓度") == {("利川市", 33), ("咸丰县", 26)}


def test_short_names_each_before_its_value_in_the_prefectures_page_are_its_counties():
    ms = read("商洛市2023年1-6月环境空气质量\n1-6月，各县区优良天数比例：山阳93.2%，镇安96.0%，柞水97.1%。\n")
    assert values(ms, "优良天数比例") == {("山阳县", 93.2), ("镇安县", 96.0), ("柞水县", 97.1)}


def test_short_names_before_values_in_another_prefectures_page_are_left_alone():
    ms = read("湘西州2023年1-6月环境空气质量\n1-6月，各县区优良天数比例：山阳93.2%，镇安96.0%。\n")
    assert not any(m.region in ("山阳县", "镇安县") for m in ms)


def test_a_prefectures_short_form_kept_out_of_running_text_is_read_among_listed_cities():
    # 长治 is also a set phrase (长治久安), so the gazetteer keeps it out of running text
    ms = read("2023年，晋城、长治、临汾PM2.5平均浓度分别为41、44、50微克/立方米。\n")
    assert values(ms, "PM2.5浓度") == {("晋城市", 41), ("长治市", 44), ("临汾市", 50)}


def test_a_name_opening_on_he_after_a_list_mark_is_a_member_not_a_joiner():
    ms = read("延边州2023年环境质量\n2023年，和龙、图们2市优良天数比例均为99.5%。\n")
    assert values(ms, "优良天数比例") == {("和龙市", 99.5), ("图们市", 99.5)}


def test_a_prefectures_short_name_in_a_counted_list_of_counties_is_its_seat():
    # 恩施 alone names the prefecture; among counties counted as 县市 it is the seat, 恩施市
    ms = read("恩施州2023年3月空气质量\n3月，其中恩施、巴东、鹤峰3县市优良天数比例均为100%。\n")
    assert values(ms, "优良天数比例") == {("恩施市", 100), ("巴东县", 100), ("鹤峰县", 100)}
