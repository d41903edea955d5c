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
