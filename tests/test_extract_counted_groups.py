"""Extract stage: a group of the region's places named by its count (counted_groups.py). After the
region's own figure for the same indicator and period it is a part, not the region; alone it is the
region's. Layouts of provincial monthly releases, written here in our own words."""
from __future__ import annotations

from tests.reading import read


def actual(ms, indicator):
    return sorted((m.region or "", m.value) for m in ms if m.indicator == indicator and m.kind == "actual")


def test_a_counted_group_after_the_province_figure_is_a_part():
    text = ("2023年9月甘肃省环境空气质量状况\n"
            "2023年9月,全省优良天数比例平均为88.5%,同比增加2.1个百分点;细颗粒物(PM2.5)平均浓度为19μg/m3。"
            "5个沿黄城市优良天数比例平均为84.2%;PM2.5平均浓度为23μg/m3。\n")
    ms = read(text)
    assert ("甘肃省", 88.5) in actual(ms, "优良天数比例")
    assert ("甘肃省", 84.2) not in actual(ms, "优良天数比例")
    assert ("甘肃省", 23) not in actual(ms, "PM2.5浓度")
    assert ("甘肃省", 19) in actual(ms, "PM2.5浓度")


def test_a_group_in_the_next_paragraph_keeps_its_reach_over_later_sentences():
    text = ("2022年7月贵州省空气质量通报\n"
            "2022年7月,全省9个市(州)平均优良天数29.1天;PM2.5平均浓度17微克/立方米。\n"
            "6个设区市7月平均优良天数28.3天。1~7月平均优良天数187.6天;PM2.5平均21微克/立方米。\n"
            "2022年1~7月,全省9个市(州)平均优良天数190.2天;PM2.5平均浓度20微克/立方米。\n")
    ms = read(text)
    days = actual(ms, "优良天数")
    assert ("贵州省", 29.1) in days and ("贵州省", 190.2) in days
    assert ("贵州省", 28.3) not in days and ("贵州省", 187.6) not in days
    assert ("贵州省", 21) not in actual(ms, "PM2.5浓度")


def test_a_counted_group_alone_is_the_region():
    text = ("2021年福建省生态环境状况公报\n"
            "2021年,全省9个设区市优良天数比例平均为99.2%。\n")
    ms = read(text)
    assert ("福建省", 99.2) in actual(ms, "优良天数比例")
