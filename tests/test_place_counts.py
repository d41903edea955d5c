"""A count of places passing a mark gives no place's level (etl/extract/place_counts.py).
Sentences written for these tests."""
from __future__ import annotations

from tests.reading import read


def test_a_bound_that_counted_places_pass_is_no_level():
    ms = read("某州2023年环境质量\n2023年，全州9个县市中，有7个县市森林覆盖率超过65%。\n")
    assert not [m for m in ms if m.indicator == "森林覆盖率"]


def test_the_regions_own_bound_stays():
    ms = read("湘西州2023年环境质量\n2023年，全州森林覆盖率超过65%。\n")
    assert [(m.region, m.value) for m in ms if m.indicator == "森林覆盖率"] == [("湘西土家族苗族自治州", 65)]


def test_a_target_for_the_counted_whole_stays():
    ms = read("某省“十四五”规划\n到2025年，全省有13个设区市优良天数比例达到90%以上。\n")
    assert [m.value for m in ms if m.indicator == "优良天数比例" and m.kind == "target"] == [90]
