"""Values the reader used to miss on real pages (ninth session, recall on sets T and U): a named
water body's part that ended before a clause on another medium.

Sentences are our own, read through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from tests.reading import levels, read


def test_a_named_lakes_part_ends_at_a_comma_before_a_clause_on_another_medium():
    text = ("某省2019年环境状况公报\n2019年,全省湖泊水质总体稳定,甲湖水质由劣Ⅴ类好转为Ⅴ类,"
            "地级城市集中式饮用水水源地水质达标率为96.5%。")
    got = levels(read(text.replace("某省", "云南省")))
    assert ("饮用水水源地水质达标比例", "云南省", 2019, "1-12", 96.5) in got


def test_a_named_lakes_part_still_reaches_its_own_waters_share_after_a_comma():
    text = "云南省2019年环境状况公报\n2019年,全省湖泊水质总体稳定,甲湖水质为优,Ⅰ~Ⅲ类水质比例为100%。"
    assert not [g for g in levels(read(text)) if g[1] == "云南省" and g[4] == 100.0]


def test_a_provinces_cities_by_the_short_forms_kept_out_of_running_text_each_before_its_value():
    # a province's release giving each city's figure after its bare name: 白银 and 定西 are short
    # forms the gazetteer keeps out of running text (ordinary words, or a district's stem as well)
    text = ("甘肃省通报各市州2031年5月空气质量\n"
            "5月份,全省14个城市PM2.5月均浓度值为25微克/立方米,兰州31微克/立方米,白银27微克/立方米,"
            "天水24微克/立方米,定西22微克/立方米,甘南15微克/立方米。")
    got = levels(read(text))
    assert ("PM2.5浓度", "白银市", 2031, "5", 27.0) in got
    assert ("PM2.5浓度", "定西市", 2031, "5", 22.0) in got
    assert not [g for g in got if g[1] in ("白银区", "兰州市") and g[4] in (27.0, 22.0)]


def test_heavily_polluted_days_written_as_zhongwuranri_are_the_days_count():
    got = levels(read("北京市2031年空气质量\n2031年,全市重污染日只有4天,比上年少了2天。"))
    assert ("重污染天数", "北京市", 2031, "1-12", 4.0) in got


def test_a_count_of_emergency_responses_on_such_days_is_no_days_count():
    got = levels(read("北京市2031年空气质量\n2031年,全市共启动重污染日应急响应4次。"))
    assert not [g for g in got if g[0] == "重污染天数"]


def test_a_share_named_by_the_head_of_the_days_counted_before_it_is_the_good_day_share():
    # '达标天数…;达标比例为…': the count's head (达标) with 比例, as with 率 ('达标率')
    text = "天津市2031年4月空气质量\n2031年4月,我市达标天数20天,同比增加3天;达标比例为66.7%,同比上升10.0个百分点。"
    assert ("优良天数比例", "天津市", 2031, "4", 66.7) in levels(read(text))


def test_a_share_whose_head_is_only_part_of_the_count_is_not_its_share():
    text = "天津市2031年4月空气质量\n2031年4月,我市重污染天数2天,污染比例为6.7%。"
    assert not [g for g in levels(read(text)) if g[0] in ("优良天数比例", "重污染天数比例")]


def test_places_in_brackets_after_a_count_of_sections_say_where_they_lie_not_whose_share_follows():
    text = ("湖南省2031年1-3月地表水水质状况\n1-3月,全省地表水水质总体为优。300个监测评价断面中,Ⅰ~Ⅲ类水质断面"
            "合计290个,占96.7%;Ⅳ类水质断面7个,占2.3%;劣Ⅴ类水质断面3个(郴州某电站坝下、湘西州某桥),占1.0%。")
    got = levels(read(text))
    assert [g for g in got if g[0].startswith("劣") and g[1:] == ("湖南省", 2031, "1-3", 1.0)]
    assert not [g for g in got if g[1] and "郴州" in g[1]]


def test_a_bracket_naming_the_member_cities_of_a_group_still_names_them():
    # a group glossed by its members names no whole: its members are all the text says
    text = "某省2031年空气质量\n2031年,传输通道城市(太原市、阳泉市等8市)平均优良天数比例为60.0%。"
    got = levels(read(text.replace("某省", "山西省")))
    assert not [g for g in got if g[1] == "山西省" and g[4] == 60.0]


def test_two_places_joined_by_he_before_the_tail_of_a_name_take_the_name_said_before():
    text = ("福建省2031年一季度环境质量\n2031年一季度,泉州功能区噪声昼间达标率为95.0%,"
            "厦门和福州达标率分别为85.0%和70.0%。")
    got = levels(read(text))
    assert ("功能区声环境昼间达标率", "厦门市", 2031, "1-3", 85.0) in got
    assert ("功能区声环境昼间达标率", "福州市", 2031, "1-3", 70.0) in got


def test_a_headline_restated_at_the_foot_of_a_page_without_one_announces_its_periods():
    # the excerpt opens on its first sentence; the repost's credit line at the foot gives the
    # headline, which announces the month and the quarter: the paragraph after the quarter's
    # opening goes on with the quarter
    text = ("2031年3月,我市环境空气质量综合指数5.10,同比下降3.0%;达标天数20天,同比增加2天;达标比例为64.5%,"
            "同比上升6.5个百分点;重污染天数1天,同比减少1天。\n"
            "2031年第一季度,我市环境空气质量综合指数6.00;达标天数50天,达标比例为55.6%。\n"
            "PM2.5、PM10平均浓度超过国家标准值。其中,PM2.5平均浓度为60μg/m3,超标0.71倍。\n"
            "原标题:2031年3月及第一季度天津市环境空气质量状况通报")
    got = levels(read(text))
    assert ("PM2.5浓度", "天津市", 2031, "1-3", 60.0) in got
    assert ("优良天数比例", "天津市", 2031, "3", 64.5) in got
