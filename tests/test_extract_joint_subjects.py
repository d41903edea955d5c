"""Extract stage: places that share one value (joint_subjects.py). Layout of a province's monthly
ranking of its cities' best and worst, written here in our own words."""
from __future__ import annotations

from tests.reading import read

HEAD = "2019年5月四川省环境空气质量状况\n"


def values(text):
    return sorted((m.region, m.value) for m in read(HEAD + text) if m.kind == "actual")


def test_two_places_joined_by_and_each_take_the_value():
    assert values("2019年5月,二氧化氮浓度最好的城市是巴中市,为12μg/m3,最差的城市是绵阳市和德阳市,为38μg/m3。\n") == [
        ("巴中市", 12), ("德阳市", 38), ("绵阳市", 38)]


def test_a_short_name_takes_the_suffix_of_the_last_one():
    assert values("2019年5月,二氧化硫浓度最好的城市是巴中、雅安市,为6μg/m3,最差的城市是成都市,为14μg/m3。\n") == [
        ("巴中市", 6), ("成都市", 14), ("雅安市", 6)]


def test_the_parts_are_read_at_one_level():
    # 恩施 alone is the prefecture's short name; beside 利川市 it is the county-level city 恩施市
    ms = read("2018年4月湖北省空气质量状况\n2018年4月,PM2.5浓度最低的是恩施、利川市,为21μg/m3,最高的是武汉市,为35μg/m3。\n")
    assert sorted((m.region, m.value) for m in ms if m.kind == "actual") == [
        ("利川市", 21), ("恩施市", 21), ("武汉市", 35)]


def test_a_bound_shared_by_a_group_gives_no_place_a_value():
    ms = read(HEAD + "2019年5月,巴中、雅安市优良天数比例不足60%,成都市优良天数比例为72.5%。\n")
    assert [(m.region, m.value) for m in ms if m.kind == "actual" and m.confidence >= 0.5
            and m.indicator == "优良天数比例"] == [("成都市", 72.5)]


def test_a_name_opening_on_he_inside_a_joined_subject_is_one_of_the_places():
    # 和龙市: its 和 after the list mark is part of the name, not a join
    from tests.reading import read
    ms = read("2022年1至6月，敦化市、和龙市、汪清县优良天数为176天。\n")
    assert {(m.region, m.value) for m in ms if m.indicator == "优良天数"} == {
        ("敦化市", 176), ("和龙市", 176), ("汪清县", 176)}
