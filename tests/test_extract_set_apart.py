"""Places that are not the subject of the figures after them (r2o): one excepted by 除…外, one
glossing a part in brackets once the sentence moves to another medium, and a named lake's own
points. Sentences are our own."""
from __future__ import annotations

from etl.catalog.gazetteer import find_regions
from etl.extract.set_apart import gloss_left_behind, set_apart
from tests.reading import read


def levels(ms, indicator=None):
    return [(m.indicator, m.region, m.year, m.months, m.value) for m in ms
            if m.indicator_id and m.kind in ("actual", "target") and indicator in (None, m.indicator)]


def _named(text, name):
    return next(r for r in find_regions(text) if r.name == name)


def test_a_place_excepted_by_chu_wai_is_set_apart():
    text = "全州8个县市中,除玉门市因仪器故障缺测外,其余功能区昼间达标率为98%"
    assert set_apart(text, _named(text, "玉门市"))
    plain = "玉门市功能区昼间达标率为98%"
    assert not set_apart(plain, _named(plain, "玉门市"))
    removed = "扣除敦煌市沙尘影响后,优良天数比例为90%"   # 扣除 is no exception
    assert not set_apart(removed, _named(removed, "敦煌市"))


def test_the_excepted_place_is_neither_the_values_nor_the_pages_place():
    ms = read("2032年3月酒泉市声环境质量\n2032年3月,全市监测的7个县市中,除玉门市因网络中断数据缺失以外,"
              "各类功能区昼间平均达标率为96.5%,夜间平均达标率为91.0%。")
    got = levels(ms)
    assert not [v for v in got if v[1] == "玉门市"]
    assert ("功能区声环境昼间达标率", "酒泉市", 2032, "3", 96.5) in got


def test_a_bracketed_city_glossing_a_part_stays_behind_when_the_medium_changes():
    text = "中心城区(德阳市)优良天数比率为97.0%,县城平均为98.0%;地表水国控断面优良比例为95%"
    city = _named(text, "德阳市")
    assert gloss_left_behind(text, city, text.index("95%"))
    same = "中心城区(德阳市)综合指数为3.1,同比下降2%;优良天数比率为97.0%"
    assert not gloss_left_behind(same, _named(same, "德阳市"), same.index("97.0"))
    ms = read("凉山州生态环境质量月报(2032年5月)\n2032年5月,凉山州中心城市(西昌市)环境空气优良天数比率为97.0%;"
              "主要河流考核断面优良断面比例为95.5%。")
    assert ("优良天数比例", "西昌市", 2032, "5", 97.0) in levels(ms)
    assert [v[1] for v in levels(ms, "地表水优良水质断面比例")] == ["凉山彝族自治州"]


def test_a_named_lakes_own_points_are_a_part_not_the_province():
    ms = read("2032年4月湖南省水环境质量\n2032年4月,全省地表水考核断面水质优良比例为93.1%。"
              "洞庭湖点位水质优良比例为71.4%。")
    water = [v for v in levels(ms, "地表水优良水质断面比例") if v[1] == "湖南省"]
    assert [v[4] for v in water] == [93.1]


def test_a_grade_one_to_three_pass_rate_is_the_good_share():
    ms = read("2032年1-6月南平市环境质量\n2032年1-6月,全市12个国(省)控断面Ⅰ-Ⅲ水质达标率为91.7%。")
    assert ("地表水优良水质断面比例", "南平市", 2032, "1-6", 91.7) in levels(ms)


def test_the_office_of_the_city_above_a_county_is_no_subject_of_its_figures():
    ms = read("2032年第三季度富宁县集中式饮用水水源水质状况\n全县共9个集中式饮用水水源地。根据文山州生态环境局富宁分局"
              "监测站提供的2032年第三季度监测数据:9个水源地各项指标均达到Ⅲ类标准,水质达标率为100%。")
    assert [v[1] for v in levels(ms, "饮用水水源地水质达标比例")] == ["富宁县"]


def test_a_rivers_basin_does_not_go_on_into_the_seas_figures():
    ms = read("2032年泉州市生态环境工作总结\n一是治水成效明显。实施晋江流域综合整治,流域国控断面Ⅰ~Ⅲ类水质比例达98%。"
              "二是海洋保护有突破。近岸海域水质优良面积比例为91.5%。")
    assert ("近岸海域水质优良比例", "泉州市", 2032, "1-12", 91.5) in levels(ms)
    assert not [v for v in levels(ms, "地表水优良水质断面比例") if v[1] == "泉州市"]


def test_figures_of_the_same_medium_still_go_on_with_the_part():
    ms = read("2032年泉州市水环境\n2032年,晋江流域国控断面Ⅰ~Ⅲ类水质比例为98%。断面水质优良比例同比持平,劣Ⅴ类断面比例为0.5%。")
    assert not [v for v in levels(ms) if v[1] == "泉州市"]
