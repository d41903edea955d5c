"""Rankings, lists and superlatives over many places: each place gets its value, with the
period of the table title or sentence it stands in. Layouts of county and city bulletins,
written for these tests (places real, figures invented), read through the real clean ->
segment -> context -> extract stages."""
from __future__ import annotations

from tests.reading import read


def rows(metrics, indicator):
    """The values of one indicator whose region was told, sorted."""
    return sorted((m.region, m.year, m.months, m.value) for m in metrics if m.indicator == indicator and m.region)


def test_a_table_title_naming_only_its_month_takes_the_year_of_the_heading_above():
    ms = read("2024年各乡镇空气质量通报\n表2 3月各县（市、区）PM2.5浓度排名\n"
              "排名 | 县（市、区） | PM2.5浓度（微克/立方米）\n1 | 宁国市 | 17\n2 | 广德市 | 22\n")
    assert rows(ms, "PM2.5浓度") == [("宁国市", 2024, "3", 17), ("广德市", 2024, "3", 22)]


def test_a_table_title_naming_only_its_month_takes_the_year_of_a_dateline_just_after_it():
    ms = read("全市空气质量排名情况\n发布日期：2024-04-08\n表1 3月各县（市、区）优良天数比例排名\n"
              "排名 | 县（市、区） | 优良天数比例（%）\n1 | 绩溪县 | 97.1\n2 | 旌德县 | 93.9\n")
    assert rows(ms, "优良天数比例") == [("旌德县", 2024, "3", 93.9), ("绩溪县", 2024, "3", 97.1)]


def test_a_month_in_a_table_title_on_a_page_dated_long_after_gives_no_year():
    ms = read("全市空气质量排名情况\n发布日期：2024-11-08\n表1 3月各县（市、区）优良天数比例排名\n"
              "排名 | 县（市、区） | 优良天数比例（%）\n1 | 绩溪县 | 97.1\n")
    assert all(m.year is None for m in ms if m.indicator == "优良天数比例")


def test_a_sentence_opening_on_the_counties_goes_on_with_the_indicator_of_the_sentence_before():
    ms = read("2024年3月，宣城市PM2.5平均浓度为31微克/立方米。各县（市、区）中，宁国市为17微克/立方米，"
              "郎溪县为35微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == [("宁国市", 2024, "3", 17), ("宣城市", 2024, "3", 31), ("郎溪县", 2024, "3", 35)]


def test_a_sentence_turning_to_the_regions_by_area_goes_on_with_the_share_before():
    ms = read("2024年1-3月，全国地表水水质优良断面比例为90.1%。分区域看，长江流域为96.2%，黄河流域为85.7%。\n")
    got = {r: v for r, y, mo, v in rows(ms, "地表水优良水质断面比例")}
    assert got == {"全国": 90.1, "长江流域": 96.2, "黄河流域": 85.7}


def test_a_count_of_places_after_a_partitive_opening_is_no_value_of_the_indicator():
    ms = read("2024年3月，全市优良天数比例为93.5%。各县区中，有5个县区优良天数比例达到100%。\n")
    assert [v for r, y, mo, v in rows(ms, "优良天数比例")].count(5) == 0


def test_a_news_story_on_a_province_departments_release_listing_its_cities_is_that_provinces():
    ms = read("哪个设区市空气最好？\n近日，省生态环境厅发布的2023年城市空气质量通报显示，2023年，设区市PM2.5年均浓度"
              "为24微克/立方米。设区市空气质量排名依次为：丽水、舟山、台州、温州和衢州。\n")
    assert rows(ms, "PM2.5浓度") == [("浙江省", 2023, "1-12", 24)]


def test_a_national_digest_quoting_one_provinces_department_stays_national():
    ms = read("2023年全国生态环境质量简况\n2023年，全国地级及以上城市PM2.5平均浓度为30微克/立方米。全国各地持续"
              "改善空气质量，某地省生态环境厅介绍了做法，丽水、舟山、台州等城市空气质量较好。\n")
    assert rows(ms, "PM2.5浓度") == [("全国", 2023, "1-12", 30)]


def test_a_spread_whose_ends_name_their_places_gives_each_end_to_its_place():
    ms = read("2024年3月，宣城市各县（市、区）优良天数比例在80.6%（郎溪县）～100%（绩溪县）之间。\n")
    assert rows(ms, "优良天数比例") == [("绩溪县", 2024, "3", 100), ("郎溪县", 2024, "3", 80.6)]


def test_a_spread_over_places_that_names_none_of_them_gives_no_value():
    ms = read("2024年3月，宣城市各县（市、区）PM2.5浓度范围为17～35微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == []


def test_a_superlative_with_its_place_after_the_value_is_that_places():
    ms = read("2024年3月，宣城市PM2.5平均浓度为31微克/立方米，最高为35微克/立方米（郎溪县）。\n")
    assert rows(ms, "PM2.5浓度") == [("宣城市", 2024, "3", 31), ("郎溪县", 2024, "3", 35)]


def test_a_bare_concentration_after_a_superlative_naming_its_place_is_of_the_pollutant_ranked():
    ms = read("2024年3月，宣城市各县区中，PM2.5浓度最高的是郎溪县，浓度为35微克/立方米；最低的是绩溪县，浓度为16微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == [("绩溪县", 2024, "3", 16), ("郎溪县", 2024, "3", 35)]


def test_a_column_headed_by_a_bare_measure_is_of_the_one_indicator_the_title_names():
    ms = read("表1 2024年3月各县（市、区）PM2.5浓度排名\n排名 | 县（市、区） | 浓度（微克/立方米）\n"
              "1 | 绩溪县 | 16\n2 | 旌德县 | 18\n")
    assert rows(ms, "PM2.5浓度") == [("旌德县", 2024, "3", 18), ("绩溪县", 2024, "3", 16)]


def test_a_bare_measure_column_of_one_cell_a_line_takes_the_titles_indicator():
    ms = read("表2 2024年3月各县（市、区）优良天数比例排名\n排名\n县（市、区）\n数值（%）\n1\n绩溪县\n100\n2\n旌德县\n96.8\n")
    assert rows(ms, "优良天数比例") == [("旌德县", 2024, "3", 96.8), ("绩溪县", 2024, "3", 100)]


def test_a_bare_measure_under_a_title_naming_two_indicators_names_neither():
    ms = read("表1 2024年3月各县（市、区）PM2.5和PM10浓度\n排名 | 县（市、区） | 浓度（微克/立方米）\n1 | 绩溪县 | 16\n")
    assert [m for m in ms if m.indicator_id] == []


def test_a_ranking_whose_header_line_is_lost_takes_indicator_and_unit_from_its_title():
    ms = read("表1 2024年3月各县（市、区）PM2.5浓度排名（单位：μg/m³）\n1 绩溪县 16\n2 旌德县 18\n3 郎溪县 29\n")
    assert rows(ms, "PM2.5浓度") == [("旌德县", 2024, "3", 18), ("绩溪县", 2024, "3", 16), ("郎溪县", 2024, "3", 29)]


def test_a_headerless_ranking_of_changes_gives_no_levels():
    ms = read("表1 2024年3月各县（市、区）PM2.5浓度改善幅度排名\n1 绩溪县 16\n2 旌德县 12\n")
    assert [m for m in ms if m.indicator_id] == []


def test_a_headerless_ranking_with_a_row_of_two_figures_is_refused_whole():
    ms = read("表1 2024年3月各县（市、区）PM2.5浓度排名（单位：μg/m³）\n1 绩溪县 16\n2 旌德县 18 22\n")
    assert [m for m in ms if m.indicator_id] == []


def test_values_listed_in_ranking_order_pair_with_the_places_ranked():
    ms = read("2024年3月，绩溪县、旌德县和宁国市PM2.5浓度位列全市前三，依次为16微克/立方米、18微克/立方米和20微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == [("宁国市", 2024, "3", 20), ("旌德县", 2024, "3", 18), ("绩溪县", 2024, "3", 16)]


def test_a_city_cluster_of_a_province_is_a_part_not_the_province():
    ms = read("2023年湖南省生态环境状况\n2023年，全省14个市州城市空气平均优良天数比例为86.1%。"
              "长株潭地区平均优良天数比例为78.2%。\n")
    assert rows(ms, "优良天数比例") == [("湖南省", 2023, "1-12", 86.1)]


def test_the_sections_of_a_lake_body_are_not_the_provinces_sections():
    ms = read("2023年湖南省生态环境状况\n2023年，全省地表水Ⅰ~Ⅲ类水质断面比例为97.2%；其中11个某湖湖体断面Ⅰ~Ⅲ类水质断面比例为81.8%。\n")
    assert rows(ms, "地表水优良水质断面比例") == [("湖南省", 2023, "1-12", 97.2)]


def test_a_ranking_table_flattened_into_one_spaced_line_after_its_title_is_read_row_by_row():
    ms = read("2024年3月各县（市、区）空气质量排名如下：排名 县（市、区） 优良天数比例 PM2.5浓度（μg/m³） "
              "1 绩溪县 100% 16 2 旌德县 96.8% 18 3 郎溪县 80.6% 29\n")
    assert rows(ms, "PM2.5浓度") == [("旌德县", 2024, "3", 18), ("绩溪县", 2024, "3", 16), ("郎溪县", 2024, "3", 29)]
    assert rows(ms, "优良天数比例") == [("旌德县", 2024, "3", 96.8), ("绩溪县", 2024, "3", 100), ("郎溪县", 2024, "3", 80.6)]


def test_spaced_prose_that_opens_on_a_place_word_is_no_flattened_table():
    ms = read("2024年3月 城市 空气质量 持续 改善，全市 PM2.5 浓度为 24 微克/立方米，同比 下降 4.0%，优良天数 比例为 93.5%。\n")
    assert all(m.region != "城市" for m in ms)


def test_a_superlatives_figure_in_parentheses_after_its_place_is_of_the_indicator_before():
    ms = read("2024年3月，宣城市PM2.5平均浓度为24微克/立方米，其中绩溪县最低（16微克/立方米），郎溪县最高（35微克/立方米）。\n")
    assert rows(ms, "PM2.5浓度") == [("宣城市", 2024, "3", 24), ("绩溪县", 2024, "3", 16), ("郎溪县", 2024, "3", 35)]


def test_places_each_with_a_bare_number_share_the_unit_written_after_the_last():
    ms = read("2024年3月，各县区PM2.5浓度：绩溪县16、旌德县18、郎溪县35微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == [("旌德县", 2024, "3", 18), ("绩溪县", 2024, "3", 16), ("郎溪县", 2024, "3", 35)]


def test_numbers_listed_without_places_still_share_the_unit_as_before():
    ms = read("2024年3月，宣城市二氧化硫、二氧化氮、PM10、PM2.5平均浓度分别为6、21、45、24微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == [("宣城市", 2024, "3", 24)]
    assert rows(ms, "PM10浓度") == [("宣城市", 2024, "3", 45)]


def test_a_county_with_a_two_character_name_is_a_ranking_tables_row_label():
    ms = read("表1 2024年3月宣城市各县（市、区）空气质量排名\n排名 | 县（市、区） | PM2.5浓度（μg/m³）\n"
              "1 | 绩溪县 | 16\n2 | 泾县 | 18\n3 | 郎溪县 | 29\n")
    assert rows(ms, "PM2.5浓度") == [("泾县", 2024, "3", 18), ("绩溪县", 2024, "3", 16), ("郎溪县", 2024, "3", 29)]


def test_a_two_character_county_listed_among_other_places_gets_its_value():
    ms = read("2024年3月，优良天数比例排名前三的县区依次是绩溪县、旌德县和泾县，分别为100%、96.8%和93.5%。\n")
    assert rows(ms, "优良天数比例") == [("旌德县", 2024, "3", 96.8), ("泾县", 2024, "3", 93.5), ("绩溪县", 2024, "3", 100)]


def test_a_two_character_county_name_inside_a_word_is_no_place():
    ms = read("2024年3月，宣城市城市和县城的PM2.5浓度为30微克/立方米。\n")
    assert all(m.region != "和县" for m in ms)


def test_a_sentence_naming_no_place_after_one_about_a_part_goes_on_with_the_part():
    ms = read("2023年湖南省生态环境状况\n2023年，全省PM2.5平均浓度为33微克/立方米。\n"
              "长株潭地区平均优良天数比例为78.2%。PM2.5浓度为41微克/立方米。\n")
    assert rows(ms, "PM2.5浓度") == [("湖南省", 2023, "1-12", 33)]
