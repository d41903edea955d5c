"""Extract stage, precision (ninth session): forms seen on fresh real pages where a figure was
read as a level, a total or a whole when the page says otherwise. Each fixture is written in our
own words in the real layout, read through clean -> segment -> context -> extract."""
from __future__ import annotations

from tests.reading import read


def rows(ms, indicator):
    return [(m.region, m.kind, m.value) for m in ms if m.indicator == indicator]


ENFORCEMENT = "全国生态环境执法情况通报。\n"


def test_a_fine_after_a_count_of_one_kind_of_case_and_its_change_is_that_kinds():
    # a news report on nine months of enforcement: the day-by-day penalties' fine follows their
    # count and that count's change; it is no part of the total of fines
    ms = read(ENFORCEMENT + "2018年1-9月,全国共下达处罚决定书128000份,罚没款金额105.20亿元。"
                            "五类案件总数为29500件,比去年同期增长4.2%。其中,按日连续处罚案件570件,"
                            "比去年同期减少28.0%,罚款金额9.05亿元,比去年同期减少6%;查封、扣押案件16000件。")
    assert [v for r, k, v in rows(ms, "罚没款数额") if k == "actual"] == [105.2]
    # the total's own change between its count and its fine leaves the fine the total's
    ms = read(ENFORCEMENT + "2018年,全省共下达处罚决定书3500份,同比增长5.1%,罚款金额为2.7亿元。")
    assert [v for r, k, v in rows(ms, "罚没款数额") if k == "actual"] == [2.7]


CITY_MONTH = "某市2017年8月环境空气质量状况。\n"


def test_figures_in_brackets_after_places_whose_change_was_largest_are_changes():
    # a city's monthly release: the range of falls, then the places that fell most with their fall
    ms = read(CITY_MONTH + "从PM10浓度变化情况看,全市22个区(市)县中有19个较去年同期下降,浓度下降范围为8~54微克/立方米,"
                           "其中下降幅度相对较大的是新都区(54微克/立方米)、双流区(49微克/立方米)。")
    assert [k for r, k, v in rows(ms, "PM10浓度")] == ["change", "change"]
    ms = read(CITY_MONTH + "8月,PM2.5浓度降幅较大的是双流区(47微克/立方米)、温江区(25微克/立方米)。")
    assert {k for r, k, v in rows(ms, "PM2.5浓度")} == {"change"}
    # places listed by their level keep their levels
    ms = read(CITY_MONTH + "8月,PM2.5浓度较高的是双流区(47微克/立方米)、温江区(25微克/立方米)。")
    assert rows(ms, "PM2.5浓度") == [("双流区", "actual", 47), ("温江区", "actual", 25)]
    # a change given place by place after 分别为, with no brackets
    ms = read(CITY_MONTH + "3个区(市)较去年同期上升,浓度上升范围为3~11微克/立方米,上升幅度分别为龙泉驿区11微克/立方米、"
                           "都江堰市8微克/立方米、彭州市3微克/立方米。")
    assert {k for r, k, v in rows(ms, "PM10浓度")} <= {"change"}


def test_a_place_a_bracket_leaves_out_is_not_the_subject_of_the_figure():
    # a city's half-year release: the urban area's mean, one district left out in brackets
    ms = read("连云港市2016年上半年环境空气质量。\n截止6月30日,全市空气质量优良天数为127天,优良率为70.1%。"
              "市区(不含赣榆区)PM2.5平均浓度为55.1微克/立方米,与2013年同期相比下降11.5%。")
    assert [r for r, k, v in rows(ms, "PM2.5浓度") if k == "actual"] == ["连云港市"]
    ms = read("某市2016年上半年环境空气质量。\n上半年,全市(不包括赣榆区、东海县)PM2.5平均浓度为45微克/立方米。")
    assert all(r not in ("赣榆区", "东海县") for r, k, v in rows(ms, "PM2.5浓度"))


DISTRICT_MONTH = "包头市2017年9月各区环境空气质量。\n"


def test_days_of_one_grade_written_with_ji_are_not_good_days():
    # a district's monthly note: good days, then the days of each grade ('优级天数')
    ms = read(DISTRICT_MONTH + "2017年9月,东河区达标天数为27天,达标天数比例为90.0%。空气质量优级天数为6天、良好天数为21天。")
    assert [v for r, k, v in rows(ms, "优良天数") if k == "actual"] == [27]
    ms = read(DISTRICT_MONTH + "2017年9月,东河区达标天数为27天。一级天数6天,二级天数21天。")
    assert [v for r, k, v in rows(ms, "优良天数") if k == "actual"] == [27]


def test_a_margin_over_a_yardstick_named_after_bi_is_a_change():
    ms = read(DISTRICT_MONTH + "2017年9月,东河区达标天数为28天。东河区达标天数比全市达标天数少1天,综合指数排名第五。")
    assert rows(ms, "优良天数") == [("东河区", "actual", 28), ("东河区", "change", -1)]


def test_figures_in_brackets_after_a_comparison_with_last_year_are_last_years():
    # a county's monthly bulletin gives last year's figures in brackets after 与上年同期相比
    ms = read("新昌县2024年6月环境空气质量。\n2024年1-6月,累计监测有效天数182天,AQI优良天数比例为93.2%,"
              "PM2.5均值浓度为25μg/m3。与上年同期相比(94.3%,20μg/m3),优良天数比例下降1.1个百分点。")
    assert [(m.year, m.months, m.value) for m in ms if m.indicator == "优良天数比例" and m.kind == "actual"] == \
        [(2024, "1-6", 93.2), (2023, "1-6", 94.3)]


def test_a_sentence_opening_on_a_year_alone_after_one_on_its_last_month_is_the_whole_year():
    # a city's January news item: last December's figures, then last year's as a whole
    ms = read("某市发布最新环境空气质量状况\n发布时间:2021-01-20 08:39\n"
              "最新监测显示,去年12月本市达标天数21天,达标比例为68%。去年,本市达标天数246天,达标比例为67.2%;重污染天数10天。")
    assert [(m.indicator, m.months, m.value) for m in ms if m.kind == "actual" and m.indicator_id] == [
        ("优良天数", "12", 21), ("优良天数比例", "12", 68), ("优良天数", "1-12", 246),
        ("优良天数比例", "1-12", 67.2), ("重污染天数", "1-12", 10)]
    ms = read("某市发布最新环境空气质量状况\n发布时间:2021-01-20 08:39\n"
              "2020年12月本市达标天数21天。2020年,本市达标天数246天。")
    assert [(m.months, m.value) for m in ms if m.indicator == "优良天数"] == [("12", 21), ("1-12", 246)]


def test_a_month_range_whose_dash_a_converter_lost_is_still_a_range():
    # a spun repost of a national release: '1?12月' where the page had '1—12月'
    ms = read("生态环境部通报2018年12月和1-12月空气质量状况。\n2018年12月,全国338个地级及以上城市平均优良天数比例为76.5%。"
              "1?12月,全国338个地级及以上城市平均优良天数比例为79.0%;PM2.5浓度为38微克/立方米。")
    assert [(m.indicator, m.months, m.value) for m in ms if m.kind == "actual" and m.indicator_id] == [
        ("优良天数比例", "12", 76.5), ("优良天数比例", "1-12", 79.0), ("PM2.5浓度", "1-12", 38)]


def test_a_place_cut_off_by_a_list_mark_before_the_statement_is_not_its_subject():
    # a spam-shuffled repost: city names left dangling before the statements of other places
    ms = read("环保部发布2017年12月空气质量状况。\n12月,西安、PM2.5浓度为42微克/立方米,12月,深圳、长三角、昆明市。"
              "衡水、厦门、同比下降51.0%;PM10浓度为118微克/立方米,同比下降5.5%。")
    assert not {m.region for m in ms if m.indicator_id} & {"西安市", "衡水市", "厦门市"}
    # a list that reaches its statement keeps its places
    ms = read("某省2017年12月空气质量状况。\n12月,西安、宝鸡PM2.5浓度分别为42、38微克/立方米。")
    assert [(m.region, m.value) for m in ms if m.indicator == "PM2.5浓度"] == [("西安市", 42), ("宝鸡市", 38)]


def test_a_date_a_practice_started_at_is_not_the_period_a_release_reviews():
    # a reposted city release: background on when the street network was built and the monthly
    # ranking began, then the month's figures under a '如下' line
    ms = read("4月深圳74街道PM2.5浓度排名出炉！\n2021-05-19 15:59:25\n"
              "5月10日，深圳市生态环境局发布今年4月全市74街道PM2.5浓度排名通报。\n"
              "深圳于2018年5月底在全国率先建成了街道空气监测体系。市生态环境局从2018年11月起每月初通报上月排名情况。\n"
              "2021年4月74街道PM2.5浓度排名情况如下：\n全市74个街道PM2.5浓度在13.1-26.5微克/立方米之间，均值为20.3微克/立方米。")
    assert all(m.year != 2018 for m in ms if m.indicator_id)
