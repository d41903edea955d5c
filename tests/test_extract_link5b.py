"""Linking and subjects: a grade's own days, grade-II-and-better days, the short share name
优良比例, TeX subscripts, 我州, and a group named again after the text made it the whole.

Sentences are written in our own words in the layouts real reports use, read through the
real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from tests.reading import read


def found(metrics):
    return [(m.indicator, m.region, m.value) for m in metrics if m.kind == "actual" and m.indicator]


def test_the_days_of_one_grade_are_not_the_good_days():
    # '良的天数' joined with the '优的' opening the clause before would spell 优良天数
    ms = read("荆门市2023年5月空气质量。\n2023年5月，荆门市优良天数为29天(优的天数11天,良的天数18天)，优良天数比例为93.5%。")
    assert [v for i, r, v in found(ms) if i == "优良天数"] == [29]
    # a count with the grade written after it ('12天优'), which a near name would give the good days
    ms = read("宁陵县2023年6月空气质量。\n2023年6月，宁陵县空气质量12天优,16天良,2天轻度污染,优良率为93.3%。")
    assert not [v for i, r, v in found(ms) if i == "优良天数"]
    assert [v for i, r, v in found(ms) if i == "优良天数比例"] == [93.3]


def test_days_of_grade_two_or_better_are_the_good_days():
    ms = read("沙依巴克区2023年环境空气质量。\n2023年1至9月，沙依巴克区累计监测天数为273天，"
              "达到Ⅱ级(良)以上天数共计240天，占总监测天数的87.9%。")
    assert ("优良天数", "沙依巴克区", 240) in found(ms) and ("优良天数比例", "沙依巴克区", 87.9) in found(ms)
    ms = read("柘城县2023年8月空气质量。\n2023年8月，柘城县环境空气质量二级以上的天数29天。")
    assert ("优良天数", "柘城县", 29) in found(ms)


def test_the_short_share_name_is_the_air_share_unless_the_sentence_is_about_water():
    ms = read("鹰潭市2023年4月空气质量。\n2023年4月，鹰潭市城区空气质量全部优良，优良比例达100%。")
    assert ("优良天数比例", "鹰潭市", 100) in found(ms)
    ms = read("鹰潭市2023年水环境质量。\n2023年，鹰潭市湖库优良比例为75%。")
    assert not [i for i, r, v in found(ms) if i == "优良天数比例"]


def test_a_tex_subscript_in_a_pollutant_name_is_read_through():
    ms = read("焦作市2023年第一季度空气质量。\n2023年1-3月，焦作市PM_2.5平均浓度为41μg/m^3，PM_10平均浓度为66μg/m^3。")
    assert ("PM2.5浓度", "焦作市", 41) in found(ms) and ("PM10浓度", "焦作市", 66) in found(ms)


def test_our_prefecture_is_the_documents_own_not_the_country():
    ms = read("2023年6月12日\n近日，州生态环境局发布5月环境空气质量信息。我州5月空气质量优良率达98.4%。\n"
              "数据显示：我州主要城市都匀市优良天数为30天，福泉市优良天数为29天，瓮安县优良天数为28天，"
              "龙里县优良天数为31天。")
    assert ("优良天数比例", "黔南布依族苗族自治州", 98.4) in found(ms)
    assert not [r for i, r, v in found(ms) if r == "全国"]


def test_a_group_the_text_made_the_whole_stays_the_whole_when_named_again():
    ms = read("河南省2023年第一季度空气质量。\n2023年1-3月，全省13个重点城市PM2.5平均浓度为39微克/立方米。"
              "13个重点城市平均优良天数比例为86.2%。")
    assert ("优良天数比例", "河南省", 86.2) in found(ms)
    # named without the whole first, the group is a part, its value unresolved
    ms = read("河南省2023年第一季度空气质量。\n2023年1-3月，河南省PM2.5平均浓度为39微克/立方米。"
              "13个重点城市平均优良天数比例为86.2%。")
    assert ("优良天数比例", "河南省", 86.2) not in found(ms)


def test_a_scoped_figure_beside_the_wholes_own_is_a_part():
    # the state-assessed sections are a part of the province's: once the whole is given, theirs is
    # no second figure of the province
    ms = read("安徽省2022年8月环境质量。\n2022年8月，全省地表水水质总体良好，断面水质优良比例为88.6%。\n"
              "全省主要湖泊中，巢湖水质轻度污染。国家考核断面水质优良比例为87.9%。")
    shares = [(r, v) for i, r, v in found(ms) if i == "地表水优良水质断面比例"]
    assert ("安徽省", 88.6) in shares and ("安徽省", 87.9) not in shares
    # alone, the state-assessed sections' share is the province's
    ms = read("安徽省2022年8月环境质量。\n2022年8月，全省国家考核断面水质优良比例为87.9%。")
    assert ("地表水优良水质断面比例", "安徽省", 87.9) in found(ms)


def test_a_paragraph_opening_on_the_sea_reads_a_generic_share_as_the_coastal_one():
    ms = read("广西壮族自治区2021年生态环境状况。\n"
              "海洋环境质量方面，全区近岸海域水质总体保持优良。国家考核点位优良水质比例为91.3%，好于年度目标。")
    assert ("近岸海域水质优良比例", "广西壮族自治区", 91.3) in found(ms)
    assert not [v for i, r, v in found(ms) if i == "地表水优良水质断面比例"]


def test_a_river_basin_the_gazetteer_does_not_hold_is_a_part_of_the_city():
    ms = read("三明市2024年5月主要流域水质状况\n2024年5月沙溪上游流域水质优，Ⅰ~Ⅲ类水质比例100%。\n"
              "全市主要流域Ⅰ~Ⅲ类水质比例为96.4%。")
    shares = [(r, v) for i, r, v in found(ms) if i == "地表水优良水质断面比例"]
    assert ("三明市", 96.4) in shares and ("三明市", 100) not in shares


def test_a_numbered_sections_first_sentence_gives_the_paragraph_its_topic():
    ms = read("青海省2024年10月水环境质量\n(四)全省监测的湖库点位共12个，水质总体良好。"
              "Ⅰ~Ⅲ类优良水质点位10个，比例为83.3%；劣Ⅴ类水质点位1个，比例为8.3%。")
    said = [(i, v) for i, r, v in found(ms) if r == "青海省"]
    assert ("重点湖库水质优良比例", 83.3) in said
    # the lakes' share worse than grade Ⅴ is no share of the province's sections
    assert not [v for i, v in said if i in ("劣Ⅴ类断面比例", "地表水优良水质断面比例")]


def test_good_written_alone_names_the_good_days_only_before_their_count():
    ms = read("开封市2023年7月空气质量。\n2023年7月，开封市空气质量优良28天，优良率90.3%，其中优9天，良19天。")
    assert [v for i, r, v in found(ms) if i == "优良天数"] == [28]
    # 良好 before a count of days is the grade 良, not 优良
    ms = read("开封市2023年1-7月空气质量。\n2023年1月至7月，开封市空气质量优40天，良好118天，优良率74.5%。")
    assert not [v for i, r, v in found(ms) if i == "优良天数"]
    # a word of praise is no name
    ms = read("开封市2023年水环境质量。\n2023年，开封市水质总体优良，断面水质优良比例为80%。")
    assert not [v for i, r, v in found(ms) if i == "优良天数"]


def test_the_good_seawater_share_glossed_with_its_grades_is_the_coastal_share():
    ms = read("福建省2022年海洋环境。\n2022年，全省优良(一、二类)海水比例为88.1%(2021年为84.6%)。")
    assert ("近岸海域水质优良比例", "福建省", 88.1) in found(ms)
    assert ("近岸海域水质优良比例", 2021, 84.6) in [(m.indicator, m.year, m.value) for m in ms]


def test_a_list_of_grades_gives_each_grade_its_value_however_few_are_named():
    ms = read("山东省2022年海洋环境。\n2022年，山东省近岸海域一、二、三、四类及劣四类海水比例分别为"
              "71.2%、20.4%、4.1%、2.5%、1.8%。")
    assert [(m.indicator, m.value) for m in ms if m.indicator_id] == [("近岸海域劣四类水质比例", 1.8)]
