"""A goal written right after a measured value ('…为88.1%,高于85%的年度目标要求'): the goal's figure
is a target of the indicator named before it (cues.toml kind.target_after).

Sentences are written in our own words, read through the real clean -> segment -> context ->
extract stages."""
from __future__ import annotations

from tests.reading import read


def levels(metrics):
    return [(m.indicator, m.kind, m.value) for m in metrics if m.kind != "change" and m.indicator_id]


HEAD = "台州市2024年生态环境状况。\n"


def test_a_goal_after_a_comparison_is_the_target_of_the_indicator_before():
    ms = read(HEAD + "2024年，台州市空气质量优良天数比例为91.4%，高于87%的年度目标要求。")
    assert levels(ms) == [("优良天数比例", "actual", 91.4), ("优良天数比例", "target", 87.0)]


def test_a_goal_word_right_after_the_unit_makes_the_figure_a_target():
    ms = read(HEAD + "2024年，台州市地表水优良水质断面比例为96.3%，比省定的92%目标高4.3个百分点。")
    assert ("地表水优良水质断面比例", "target", 92.0) in levels(ms)
    assert ("地表水优良水质断面比例", "actual", 96.3) in levels(ms)


def test_a_goal_met_by_words_after_the_value_is_no_target():
    # '超额完成目标' says the measured value beat its goal: the value stays a measurement
    ms = read(HEAD + "2024年，台州市优良天数比例为90.2%超额完成目标。")
    assert levels(ms) == [("优良天数比例", "actual", 90.2)]
