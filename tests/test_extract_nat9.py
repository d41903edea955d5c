"""Values the reader used to miss or misplace on real national and provincial releases (ninth
session, helper nat): places named inside a bracketed aside between a whole's name and its figure.

Sentences are our own, read through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

import pytest

from tests.reading import levels, read

# The 2019 monthly releases counted the country's cities with a note on a city merged into
# another; reposts carry it in either script.
ASIDE_LEADS = [
    ("2019年3月,全国337个地级及以上城市(甲省原乙县划归丙州市管辖,原乙县的监测站点并入丙州市评价)"
     "平均优良天数比例为80.1%,同比下降1.0个百分点;PM2.5浓度为45微克/立方米,同比上升2.3%。"),
    ("2019年3月,全国337个地级及以上城市(山东省的原莱芜市已并入济南市,其国控站点改由济南市一并评价,"
     "重点城市由169个变为168个)平均优良天数比例为80.1%,同比下降1.0个百分点;"
     "PM2.5浓度为45微克/立方米,同比上升2.3%。"),
    ("2019年3月,全國337個地級及以上城市(山東省的原萊蕪市已並入濟南市,其國控站點改由濟南市一併評價,"
     "重點城市由169個變為168個)平均優良天數比例為80.1%,同比下降1.0個百分點;"
     "PM2.5濃度為45微克/立方米,同比上升2.3%。"),
]


@pytest.mark.parametrize("sentence", ASIDE_LEADS)
def test_places_in_an_aside_before_the_figure_are_not_whose_figure_it_is(sentence):
    got = levels(read("生态环境部通报2019年3月全国空气质量状况\n" + sentence))
    assert ("优良天数比例", "全国", 2019, "3", 80.1) in got
    assert ("PM2.5浓度", "全国", 2019, "3", 45.0) in got
    assert not [g for g in got if g[1] in ("济南市", "山东省")]


def test_a_member_list_in_brackets_leaves_the_group_as_the_subject():
    text = ("2020年5月全省空气质量\n2020年5月,河北省11个设区市(石家庄、唐山、保定等)"
            "平均PM2.5浓度为38微克/立方米,同比下降9.5%。")
    assert ("PM2.5浓度", "河北省", 2020, "5", 38.0) in levels(read(text))


def test_a_place_named_with_its_figure_inside_brackets_keeps_it():
    # the figure stands inside the bracket: the bracket's place is its subject
    text = ("2020年5月全省空气质量\n2020年5月,全省PM2.5平均浓度为38微克/立方米(其中石家庄市PM2.5浓度为52微克/立方米)。")
    got = levels(read(text))
    assert ("PM2.5浓度", "石家庄市", 2020, "5", 52.0) in got


def test_a_key_area_glossed_with_its_member_provinces_keeps_its_own_figure():
    # a national summary that names each key area's provinces in brackets before its figure:
    # the figure is the area's, not each (or the last) province's
    text = ("2031年全国环境空气质量状况\n2031年,汾渭平原(山西、陕西、河南三省11个城市)平均优良天数比例为71.5%。"
            "长三角地区(上海、江苏、浙江、安徽)41个城市平均优良天数比例为85.9%,PM2.5平均浓度为29微克/立方米。")
    got = levels(read(text))
    assert ("优良天数比例", "汾渭平原", 2031, "1-12", 71.5) in got
    assert ("优良天数比例", "长三角地区", 2031, "1-12", 85.9) in got
    assert ("PM2.5浓度", "长三角地区", 2031, "1-12", 29.0) in got
    assert not [g for g in got if g[1] in ("山西省", "陕西省", "河南省", "上海市", "江苏省", "浙江省", "安徽省")]


def test_a_place_left_out_in_brackets_is_not_the_subject():
    # '(不含甲县)': the county the figure leaves out is the last place named before it, not its place
    text = "2030年上半年空气质量\n2030年1-6月,连云港市全市(不含东海县)PM2.5平均浓度为40微克/立方米,同比下降5.0%。"
    got = levels(read(text))
    assert not [g for g in got if g[1] == "东海县"]
    assert ("PM2.5浓度", "连云港市", 2030, "1-6", 40.0) in got


def test_members_in_brackets_after_a_group_no_place_names_stay_no_whole():
    # '传输通道城市(甲、乙、丙等8市)': no place stands before the bracket; the members are all the
    # text says of whose figure it is (a union of them, which the export leaves out), not the province
    text = ("2030年河北省环境质量\n2030年,河北省PM2.5平均浓度为38微克/立方米。"
            "传输通道城市(石家庄、唐山、邯郸等8市)PM2.5平均浓度为45微克/立方米。")
    got = levels(read(text))
    assert ("PM2.5浓度", "河北省", 2030, "1-12", 38.0) in got
    assert not [g for g in got if g[4] == 45.0 and g[1] == "河北省"]


def test_a_bare_gloss_naming_a_part_still_makes_the_figure_the_parts():
    # '(168个重点城市)' without clauses of its own says whose average it is: a part, no region
    got = levels(read("2030年全国空气质量\n2030年1月,全国(168个重点城市)平均优良天数比例为80.1%。"))
    assert not [g for g in got if g[1] == "全国"]
