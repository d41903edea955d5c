"""False positives seen on real pages of the scored sets T and U (fixtures in own words)."""
from __future__ import annotations

from tests.reading import levels, read


def test_a_standard_quoted_in_brackets_names_no_whole_year():
    # a provincial half-year bulletin gives each pollutant's mean and, in brackets, the yearly
    # standard it is held against ('(年均值二级标准为…)'): the 年均值 of the note is the
    # standard's averaging time, so the pollutants after it keep the half year
    text = ("2016年上半年,某省各市二氧化硫平均浓度在6~21微克/立方米之间,平均为13微克/立方米"
            "(年均值二级标准为60微克/立方米),较去年同期下降7.1%;二氧化氮平均浓度在15~47微克/立方米之间,"
            "平均为27微克/立方米(年均值二级标准为40微克/立方米),较去年同期下降3.6%;细颗粒物平均浓度"
            "在25~44微克/立方米之间,平均为33微克/立方米(年均值二级标准为35微克/立方米)。\n")
    got = {(i, m, v) for i, _, _, m, v in levels(read(text))}
    assert ("二氧化氮浓度", "1-6", 27) in got and ("PM2.5浓度", "1-6", 33) in got
    assert not any(m == "1-12" for _, m, _ in got)


def test_a_yearly_mean_outside_a_standard_note_still_names_the_year():
    # a plain yearly mean before such a note stays the year's
    text = "2021年上半年,乐山市空气质量总体稳定。2021年,乐山市PM2.5年均浓度为29微克/立方米(国家二级标准为35微克/立方米)。\n"
    assert levels(read(text), "PM2.5浓度") == [("PM2.5浓度", "乐山市", 2021, "1-12", 29)]


def test_a_comma_put_before_every_mark_cuts_no_list():
    # a glossed repost writes a comma before each of the source's marks ('4微克/立方米,、37…',
    # '新低,;', '标准,。'): the list of three pollutants keeps its three figures
    text = ("2020年,某市細顆粒物(PM2.5)年平均濃度值為38微克/立方米,創歷史新低,;二氧化硫(SO2)、二氧化氮(NO2)"
            "和可吸入顆粒物(PM10)年平均濃度值分別為3微克/立方米,、29微克/立方米和56微克/立方米,均達到國家二級標準,。\n")
    got = {(i, v) for i, _, _, _, v in levels(read(text))}
    assert got == {("PM2.5浓度", 38), ("二氧化硫浓度", 3), ("二氧化氮浓度", 29), ("PM10浓度", 56)}


def test_the_transmission_channel_cities_are_a_group_not_the_province():
    # a provincial monthly gives the province's mean, then the mean of its cities on the
    # transmission channel: the second is the group's, not the province's
    text = ("2020年5月,全省细颗粒物(PM2.5)平均浓度为31μg/m3,同比下降6.1%;优良率平均为70.2%。\n"
            "传输通道城市细颗粒物(PM2.5)平均浓度为36μg/m3,同比下降5.3%;优良率平均为64.5%。\n")
    got = {(i, r, v) for i, r, _, _, v in levels(read(text, "河南省2020年5月环境空气质量"))}
    assert ("PM2.5浓度", "河南省", 36) not in got and ("优良天数比例", "河南省", 64.5) not in got
    assert not any(v in (36, 64.5) and r for _, r, v in got)


def test_a_change_told_again_in_the_unit_in_brackets_is_no_level():
    # a provincial year-to-date release gives each fall in percent and then, in brackets, in
    # micrograms: the bracketed figure is the same fall, not the province's concentration
    text = ("2021年1-6月,全省细颗粒物(PM2.5)平均浓度为23微克/立方米,同比下降8.0%(2微克/立方米);"
            "可吸入颗粒物(PM10)平均浓度为38微克/立方米,同比下降9.5%(4微克/立方米)。\n")
    got = {(i, v) for i, _, _, _, v in levels(read(text))}
    assert got == {("PM2.5浓度", 23), ("PM10浓度", 38)}


def test_the_weights_of_a_ranking_are_no_levels():
    # a city's monthly note ranks its districts on three criteria weighted 30%, 30% and 40%:
    # the last weight is not the good-air share
    text = ("2022年5月,全市优良天数比率为71.0%。按照PM2.5浓度、PM2.5改善率和优良天数比率排名位次数值"
            "分别占30%、30%和40%的权重进行排名,5月排名较好的区为甲区、乙区和丙区。"
            "各区综合指数和综合指数改善率各占50%权重。\n")
    assert {v for *_, v in levels(read(text))} == {71.0}


def test_a_year_run_into_a_span_of_months_that_lost_its_dash():
    # a regional water monthly lost 年 and the range's dash of '2019年1-10月' ('2019110月'): the
    # year to date, not October; '202012月' stays December
    text = ("2019年10月水环境质量月报\n"
            "2019110月,97个监测断面中,90个断面达到或优于Ⅲ类水质,断面水质优良比例为92.8%。\n")
    assert {(y, m, v) for *_, y, m, v in levels(read(text), "地表水优良水质断面比例")} == {(2019, "1-10", 92.8)}
    text = "202012月,全国地表水优良水质断面比例为87.1%。\n"
    assert {(y, m) for *_, y, m, _ in levels(read(text), "地表水优良水质断面比例")} == {(2020, "12")}


def test_work_pledged_in_the_future_tense_is_a_target():
    # a news item on a provincial congress: the province will complete so much afforestation this
    # year (a pledge), while a report on what was completed stays a level
    text = "记者从某省人代会获悉:2025年河北将完成营造林450万亩,森林覆盖率提高0.3个百分点。\n"
    got = [(m.indicator, m.kind, m.year, m.value) for m in read(text) if m.indicator_id]
    assert ("新增造林面积", "target", 2025, 450.0) in got
    text = "2023年5月9日\n现将完成情况通报如下:2022年河北完成营造林420万亩。\n"
    got = [(m.indicator, m.kind, m.year, m.value) for m in read(text) if m.indicator_id]
    assert got == [("新增造林面积", "actual", 2022, 420.0)]


def test_a_fine_imposed_in_one_case_is_no_total_of_fines():
    # a province's list of typical enforcement cases: the fine one company was given is that
    # case's, not the province's fines; a sum over the cases stays the total
    text = "2023年3月,某省生态环境厅依据有关法律规定,对该企业处以罚款38.2万元,并责令限期改正。\n"
    assert levels(read(text), "罚没款数额") == []
    text = "2023年,青海省共对违法企业处以罚款1.5亿元。\n"
    assert [v for *_, v in levels(read(text), "罚没款数额")] == [1.5]


def test_an_estuary_s_waters_are_a_part_of_the_province_s():
    # a province's marine report gives its coastal share, then an estuary's: the second is the
    # estuary's, not the province's
    text = ("2022年,广东全省近岸海域水质优良比例为90.6%,珠江口邻近海域水质优良比例为71.7%。"
            "浙江省近岸海域水质优良比例为45.1%;杭州湾海域水质优良比例为8.3%。\n")
    got = {(r, v) for _, r, _, _, v in levels(read(text), "近岸海域水质优良比例")}
    assert ("广东省", 90.6) in got and ("浙江省", 45.1) in got
    assert not any(r for r, v in got if v in (71.7, 8.3))


def test_a_change_told_in_plain_words_is_no_level():
    # an expert quoted on the year: the good days rose, '多了24天' — a change, not a count
    text = "2021年,某市空气质量优良天数总计281天,较上年显著增加,多了17天;重污染天数较上年少了4天。\n"
    assert [v for *_, v in levels(read(text), "优良天数")] == [281.0]
    assert levels(read(text), "重污染天数") == []


def test_a_sentence_opening_on_qizhong_goes_on_with_the_one_before():
    # a provincial water note: all sections' share, then '其中:' the rivers' sections and the lakes'
    # in a sentence of their own; the rivers' share is a subset's, the lakes' is their own indicator
    text = ("2021年1-6月,全省地表水水质总体为优。147个监测断面中,Ⅰ~Ⅲ类水质断面合计139个,占94.6%;"
            "劣Ⅴ类水质断面1个,占0.7%。其中:132个江河评价断面中,Ⅰ~Ⅲ类水质比例为97.0%;"
            "15个湖库评价断面中,Ⅰ~Ⅲ类水质比例为73.3%。\n")
    got = {(i, v) for i, _, _, _, v in levels(read(text, "湖南省2021年上半年水环境质量"))}
    assert ("地表水优良水质断面比例", 94.6) in got and ("地表水优良水质断面比例", 97.0) not in got
    assert ("重点湖库水质优良比例", 73.3) in got
