"""Forms of annual bulletins and their reposts that the reader used to miss (ninth session, helper
goal): a graded area's share is no named zone ('近岸海域水质优良区域比例'), …

Sentences are our own, read through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from tests.reading import levels, read


def test_a_good_areas_share_is_the_countrys_not_a_zones():
    text = ("生态环境部:2022年全国生态环境质量继续向好\n\n某某 2023-05-30\n\n"
            "公报显示,339个地级及以上城市细颗粒物浓度为29微克/立方米。辖海域海水水质总体稳定,"
            "近岸海域水质优良区域比例为81.9%,比2021年提高0.6个百分点。\n")
    assert ("近岸海域水质优良比例", "全国", 2022, "1-12", 81.9) in levels(read(text))


def test_a_named_zone_still_keeps_its_own_figure():
    text = "陕西省2022年生态环境状况公报\n2022年,秦岭区域优良天数比例为90.1%。\n"
    assert not [g for g in levels(read(text)) if g[0] == "优良天数比例" and g[1] == "陕西省"]
