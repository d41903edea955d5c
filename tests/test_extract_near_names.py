"""Linking a value whose label is no catalog alias to the indicator its words name
(etl/extract/near_names.py, cues.toml [link.near_names]).

Sentences are written in our own words in the layouts real reposts and reports use, read
through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from etl import catalog
from etl.extract import near_names
from tests.reading import read


def levels(metrics):
    """The catalog levels read (a value left unlinked keeps its phrase and no indicator id)."""
    return [(m.indicator, m.kind, m.value) for m in metrics if m.kind != "change" and m.indicator_id]


def in_unit(unit: str):
    dimension = catalog.unit_by_name()[unit].dimension
    return lambda ind: catalog.unit_by_name()[ind.unit].dimension == dimension


def nearest(label: str, unit: str) -> str | None:
    ind = near_names.nearest(label, in_unit(unit))
    return ind.name_zh if ind else None


def test_a_label_one_word_off_an_alias_names_that_indicator():
    # a typo in the grade range, a spun word, a qualifier inside the name
    assert nearest("全省地表水Ⅰ~Ⅱ类水质断面比例", "%") == "地表水优良水质断面比例"
    assert nearest("中央财政拨付生态环境资金", "亿元") == "中央生态环境资金"


def test_the_values_unit_decides_which_indicators_compete():
    # a concentration's words with a share is no concentration, and no share either
    assert nearest("细颗粒物年均值", "微克/立方米") == "PM2.5浓度"
    assert nearest("细颗粒物年均值", "%") is None


def test_a_lower_grade_or_an_opposite_is_another_quantity():
    assert nearest("轻度污染天数比例", "%") is None
    assert nearest("中度污染天数比例", "%") is None
    assert nearest("劣Ⅴ类水质湖库个数占比", "%") is None


def test_a_label_as_near_to_two_indicators_names_neither():
    assert nearest("达标率", "%") is None
    assert nearest("水质比例", "%") is None


def test_a_label_of_other_words_names_nothing():
    assert nearest("一类水质海域面积占管辖海域面积的", "%") is None
    assert nearest("县域生态质量指数", "%") is None


def test_the_reader_links_a_near_label_with_less_confidence_than_an_alias():
    ms = read("湖州市2023年生态环境状况公报。\n2023年，湖州市地表水Ⅰ~Ⅱ类水质断面比例为91.3%，"
              "同比上升1.2个百分点；地表水优良水质断面比例为93.0%。")
    assert ("地表水优良水质断面比例", "actual", 91.3) in levels(ms)
    near = next(m for m in ms if m.value == 91.3)
    exact = next(m for m in ms if m.value == 93.0)
    assert near.confidence < exact.confidence


def test_the_reader_leaves_a_lower_grades_share_unlinked():
    ms = read("衢州市2023年环境空气质量。\n2023年，衢州市重度及以上污染天数比例为0.8%，轻度污染天数比例为12.4%。")
    assert levels(ms) == [("重污染天数比例", "actual", 0.8)]


def test_reports_own_wordings_of_catalog_names_are_linked():
    ms = read("温州市2024年生态环境状况。\n2024年，温州市近岸海域一、二类水质占比为76.4%，"
              "农村生活污水处理率达到51.0%，林木绿化率为63.1%。")
    assert levels(ms) == [("近岸海域水质优良比例", "actual", 76.4), ("农村生活污水治理率", "actual", 51.0)]
