"""Parts taken as the whole (helper r2p, from heldout_p's false values): a bay named after a city,
the county-level towns' drinking-water sources beside the cities', the cities that miss a standard.

Sentences are written in our own words, read through the real clean -> segment -> context ->
extract stages."""
from __future__ import annotations

from tests.reading import read


def levels(metrics):
    return [(m.indicator, m.region, m.year, m.kind, m.value) for m in metrics
            if m.kind in ("actual", "target") and m.indicator_id and m.region]


def test_a_bay_named_after_a_city_is_no_mention_of_the_city():
    ms = read("2021年中国海洋生态环境状况公报\n2021年，全国近岸海域优良水质比例为81.3%。"
              "胶州湾、泉州湾重点海域年均优良水质比例为58.2%。")
    assert [m for m in levels(ms) if m[1] in ("胶州市", "泉州市")] == []


def test_the_county_towns_sources_are_a_part_beside_the_cities_sources():
    ms = read("贵州省2018年环境状况公报。\n2018年，全省地级城市集中式饮用水水源地水质达标率为99.1%，"
              "县级城镇集中式饮用水源地水质达标率为97.4%。")
    assert [m for m in levels(ms) if m[0] == "饮用水水源地水质达标比例"] == [
        ("饮用水水源地水质达标比例", "贵州省", 2018, "actual", 99.1)]


def test_the_cities_missing_the_standard_are_a_group_not_the_country():
    ms = read("2019年全国生态环境状况\n2019年，全国地级及以上城市PM2.5平均浓度为36微克/立方米，"
              "PM2.5未达标地级及以上城市年均浓度为40微克/立方米。")
    assert [m for m in levels(ms) if m[0] == "PM2.5浓度"] == [("PM2.5浓度", "全国", 2019, "actual", 36.0)]


def test_the_group_missing_the_standard_ends_with_its_clause():
    ms = read("2019年全国生态环境状况\n2019年，全国PM2.5未达标城市平均浓度为41微克/立方米；劣Ⅴ类水体比例为3.4%。")
    assert levels(ms) == [("劣Ⅴ类断面比例", "全国", 2019, "actual", 3.4)]


def test_the_sources_quantity_rate_is_no_quality_rate():
    ms = read("湖北省2020年环境质量\n2020年，全省30个地级城市集中式饮用水水源地，27个达到Ⅲ类水质，水源达标率为90.0%，水量达标率为97.5%。")
    assert [m[4] for m in levels(ms) if m[0] == "饮用水水源地水质达标比例"] == [90.0]


def test_a_month_named_below_a_whole_years_opening_is_no_period_of_the_release():
    ms = read("日前，某省厅召开例行发布会，通报2020年全省环境质量\n2020年，全省优良天数比例为93.1%。\n"
              "全省地表水水质优良比例为95.2%。\n今天，邻省发布了2020年8月全省环境质量状况。")
    assert ("地表水优良水质断面比例", "1-12", 95.2) in [(m.indicator, m.months, m.value) for m in ms]


def test_the_national_network_counted_without_a_measure_word_is_the_country():
    ms = read("2019年全国空气质量状况\n2019年，江苏省PM2.5浓度已经达标；337城市平均优良天数比例为82.0%。")
    assert ("优良天数比例", "全国", 2019, "actual", 82.0) in levels(ms)


def test_an_events_days_are_no_figure_of_the_year():
    ms = read("宁波市2022年工作总结\n2022年，全市空气优良率92.6%，排名全省第3，运动会期间空气优良率达到100%。")
    assert [m for m in levels(ms) if m[0] == "优良天数比例"] == [("优良天数比例", "宁波市", 2022, "actual", 92.6)]


def test_a_bare_compliance_rate_of_the_county_towns_sources_is_a_part():
    ms = read("湖北省2020年环境质量\n2020年，全省30个地级城市集中式饮用水水源地，27个达到Ⅲ类水质，水源达标率为90.0%，"
              "全省100个县级城镇集中式饮用水水源地，95个达到Ⅲ类水质，水源达标率为95.0%。")
    assert [m[4] for m in levels(ms) if m[0] == "饮用水水源地水质达标比例"] == [90.0]


def test_a_full_name_after_a_part_in_another_sentence_keeps_the_whole():
    ms = read("某某县2021年环境质量\n2021年，全县乡镇集中式饮用水水源地共12个。全县县城饮用水水源地水质达标率为100%。")
    assert [m.value for m in ms if m.indicator_id == "drinking_water_ok"] == [100.0]


def test_a_basin_of_an_earlier_numbered_point_does_not_carry_into_the_next():
    ms = read("漳州市2023年工作总结\n一年来，漳州市工作取得新进展。一是九龙江治理见效。实施某江流域行动，流域断面优良比例达98%。"
              "二是海洋保护有新进展。近岸海域水质优良比例为93.5%。")
    assert ("近岸海域水质优良比例", "漳州市", 2023, "actual", 93.5) in levels(ms)


def test_the_share_of_days_whose_daily_mean_meets_the_standard_is_the_good_days_share():
    ms = read("绵阳市2018年环境状况公报\n2018年全市空气质量日均值达标率为87.2%，较上年提高1.5个百分点。")
    assert levels(ms) == [("优良天数比例", "绵阳市", 2018, "actual", 87.2)]


def test_the_county_towns_listed_with_the_cities_keep_the_whole():
    ms = read("湖北省2020年环境质量\n2020年，全省地级城市和县级城镇集中式饮用水水源地水质均达到Ⅲ类标准，达标率为100%。")
    assert [m[4] for m in levels(ms) if m[0] == "饮用水水源地水质达标比例"] == [100.0]
