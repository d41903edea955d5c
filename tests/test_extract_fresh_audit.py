"""Rules found by auditing every value read from fresh pages (helpers audit7, audit8): a spread written with
a hyphen, a near name that holds a class or a word the label lacks, bathing beaches, forest land,
the national network counted as 338 cities, a share widget's caption, a plan's span counted
from the page's date, the whole after a sentence on one member, a sea's coastal waters, what a
named programme planted.

Sentences are written in our own words, read through the real clean -> segment -> context ->
extract stages."""
from __future__ import annotations

from tests.reading import read


def levels(metrics):
    return [(m.indicator, m.region, m.year, m.kind, m.value) for m in metrics
            if m.kind in ("actual", "target") and m.indicator_id]


def test_a_spread_written_with_a_hyphen_is_no_level():
    ms = read("浙江省2019年环境状况公报。\n2019年，浙江省11个设区市优良天数比例在62.4%-95.1%之间，平均为80.3%。")
    assert levels(ms) == [("优良天数比例", "浙江省", 2019, "actual", 80.3)]


def test_one_class_of_sea_water_is_no_share_of_the_worst_or_of_the_good():
    ms = read("浙江省2016年环境状况公报。\n2016年，浙江省近岸海域一类海水比例为21.4%，四类海水比例为7.7%，"
              "劣四类海水比例为40.2%。")
    assert levels(ms) == [("近岸海域劣四类水质比例", "浙江省", 2016, "actual", 40.2)]


def test_a_spun_worst_class_is_still_the_worst_class():
    ms = read("浙江省2018年3月地表水环境质量。\n2018年3月，浙江省差Ⅴ类断面比例为4.1%，同比下降0.3个百分点。")
    assert ("劣Ⅴ类断面比例", "浙江省", 2018, "actual", 4.1) in levels(ms)


def test_bathing_beaches_are_neither_coastal_waters_nor_river_sections():
    ms = read("浙江省2017年环境状况公报。\n2017年，浙江省海水浴场水质优良率为93.8%。泳滩水质监测显示，水质优良率为91.2%。")
    assert levels(ms) == []


def test_forest_land_is_no_afforestation():
    ms = read("浙江省2014年环境状况公报。\n2014年，浙江省林地面积66.2万公顷，森林覆盖率为59.1%。")
    assert levels(ms) == [("森林覆盖率", "浙江省", 2014, "actual", 59.1)]


def test_the_national_network_of_338_cities_is_the_country_after_a_run_in_heading():
    ms = read("2016年全国环境状况公报。\n2016年，京津冀空气质量仍然较差 公报指出，338个城市空气达标天数比例平均为78.5%。")
    assert levels(ms) == [("优良天数比例", "全国", 2016, "actual", 78.5)]


def test_a_share_widget_caption_does_not_open_a_goal_year():
    # (an undated page: '分享至' glued to the next line would read as '至2025年', a goal year)
    ms = read("部长谈空气质量\n0\n分享至\n\n2025年，全国重污染天数比例降到了1%以内。")
    assert levels(ms) == [("重污染天数比例", "全国", 2025, "actual", 1.0)]


def test_a_span_counted_from_the_page_date_sets_goals_for_its_last_year():
    ms = read("代表大会开幕\n2021-03-06 10:00 来源:某报\n"
              "今后五年，森林覆盖率达到25.5%，能源利用效率明显提高。尤其是空气治理取得进展，"
              "地级及以上城市空气质量优良天数比率超过88%。")
    assert levels(ms) == [("森林覆盖率", "全国", 2025, "target", 25.5), ("优良天数比例", "全国", 2025, "target", 88.0)]


def test_a_span_whose_end_the_sentence_names_keeps_that_year():
    ms = read("规划发布\n2021-03-06 10:00 来源:某报\n今后五年，到2030年全国森林覆盖率达到26.5%。")
    assert levels(ms) == [("森林覆盖率", "全国", 2030, "target", 26.5)]


def test_after_a_sentence_on_one_member_the_whole_named_before_goes_on():
    ms = read("2018年全国环境状况公报\n2018年，长三角地区41个城市优良天数比例平均为74.1%。41个城市中，舟山优良天数比例为95.0%。"
              "超标天数中以臭氧为首要污染物的最多；其中，PM2.5平均浓度为44微克/立方米。")
    assert ("PM2.5浓度", "长三角地区", 2018, "actual", 44.0) in levels(ms)
    assert ("优良天数比例", "舟山市", 2018, "actual", 95.0) in levels(ms)


def test_a_seas_coastal_waters_are_a_part_of_the_country_not_the_country():
    ms = read("2018年中国近岸海域环境质量公报\n2018年，全国近岸海域劣四类海水比例为14.1%。\n"
              "黄海近岸海域水质良好，主要污染指标为无机氮。一类海水比例为40.2%，劣四类海水比例为3.3%。")
    # (the sea's own share is left without a region, which the export leaves out)
    assert [m for m in levels(ms) if m[0] == "近岸海域劣四类水质比例" and m[1]] == [
        ("近岸海域劣四类水质比例", "全国", 2018, "actual", 14.1)]


def test_a_county_named_like_a_sea_is_still_the_county():
    ms = read("连云港市2019年环境状况公报。\n东海县2019年空气质量优良天数比例为80.1%。")
    assert ("优良天数比例", "东海县", 2019, "actual", 80.1) in levels(ms)


def test_an_undated_pages_span_has_no_year_one_can_tell():
    ms = read("代表大会开幕\n今后五年，全国森林覆盖率达到25.5%。")
    assert [m for m in levels(ms) if m[2] is not None] == []


def test_the_rivers_upstream_of_a_source_are_a_part_not_the_province():
    ms = read("山西省2023年生态环境状况。\n2023年，全省地表水国控断面优良比例为88.0%，水库上游河流省控断面优良率为96.0%。")
    assert [m for m in levels(ms) if m[1]] == [("地表水优良水质断面比例", "山西省", 2023, "actual", 88.0)]


def test_a_floor_kept_for_years_running_is_no_level():
    ms = read("山西省2023年生态环境状况。\n2023年，全省地表水国控断面优良比例连续四年超85%，优良天数比例为74.3%。")
    assert [m for m in levels(ms) if m[1]] == [("优良天数比例", "山西省", 2023, "actual", 74.3)]


def test_a_year_said_after_the_span_dates_what_follows_it():
    ms = read("代表大会开幕\n2021-03-06 10:00 来源:某报\n今后五年，森林覆盖率达到25.5%。去年，全国优良天数比例为87.0%。")
    assert ("优良天数比例", "全国", 2020, "actual", 87.0) in levels(ms)

def test_what_a_named_programme_planted_is_no_national_afforestation():
    ms = read("2030年全国国土绿化情况。\n2030年，全国完成造林300万公顷。"
              "沿海防护林等重点工程完成造林20.5万公顷，某某风沙源治理工程完成造林12.25万公顷。")
    # (a programme's own figure is left without a region, which the export leaves out)
    assert [m for m in levels(ms) if m[1]] == [("新增造林面积", "全国", 2030, "actual", 4500.0)]


def test_a_programme_named_for_afforestation_does_not_hide_the_national_total():
    ms = read("2030年全国国土绿化情况。\n2030年，全国造林工程建设扎实推进，全国完成造林300万公顷。")
    assert [m for m in levels(ms) if m[1]] == [("新增造林面积", "全国", 2030, "actual", 4500.0)]
