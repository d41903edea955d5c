"""Extract stage: what a careful analyst reads out of sentences of real reports.

Each case is a sentence in the style of the samples, read through the real
clean -> segment -> context -> extract stages."""
from __future__ import annotations

import pytest

from etl.clean import clean
from etl.extract import extract, find_values
from etl.context import document_context
from etl.segment import segment
from tests.reading import read


def find(metrics, indicator, **where):
    hits = [m for m in metrics if m.indicator == indicator and all(getattr(m, k) == v for k, v in where.items())]
    assert hits, f"no {indicator} {where} in {[(m.indicator, m.region, m.year, m.kind, m.value) for m in metrics]}"
    return hits


NATIONAL_2024 = "系统总结2024年生态环境保护工作。\n"


def test_a_list_of_pollutants_pairs_values_in_order():
    ms = read(NATIONAL_2024 + "2024年全国SO2、NO2、PM10、PM2.5平均浓度分别为11、24、59、35微克/立方米。")
    assert [(m.indicator, m.value) for m in ms if m.kind == "actual"] == [
        ("二氧化硫浓度", 11), ("二氧化氮浓度", 24), ("PM10浓度", 59), ("PM2.5浓度", 35)]


def test_bound_beside_exact_value_keeps_the_exact_one_and_changes_are_changes():
    ms = read(NATIONAL_2024 + "2024年全国PM 2.5 浓度降到30微克/立方米以下,具体为29.3微克/立方米,同比下降2.7%。")
    levels = [m for m in ms if m.kind == "actual"]
    assert [(m.indicator, m.region, m.year, m.value) for m in levels] == [("PM2.5浓度", "全国", 2024, 29.3)]
    change = find(ms, "PM2.5浓度", kind="change")[0]
    assert change.value == -2.7 and change.unit == "%" and change.change_verb == "下降"  # a fall is negative


def test_points_are_not_percent():
    ms = read(NATIONAL_2024 + "优良天数比例为87.2%、同比上升1.7个百分点。")
    change = find(ms, "优良天数比例", kind="change")[0]
    assert change.value == 1.7 and change.unit == "个百分点"


def test_year_tied_to_a_value_and_year_of_the_statement():
    ms = read("2023年全国地级及以上城市细颗粒物(PM2.5)年均浓度从2013年的67.5微克/立方米下降至30微克/立方米。")
    assert {(m.year, m.value) for m in ms if m.indicator == "PM2.5浓度" and m.kind == "actual"} == {(2013, 67.5), (2023, 30)}


def test_a_figure_in_parentheses_for_an_earlier_year_belongs_to_that_year():
    ms = read("2024年，前三季度全省优良天数比例为73.9%，较2019年同期(69.5%)上升4.4个百分点。")
    assert find(ms, "优良天数比例", year=2019)[0].value == 69.5
    assert find(ms, "优良天数比例", year=2024)[0].months == "1-9"


def test_targets_with_their_goal_year_and_qualifiers():
    text = ("2023年生态文明建设工作总结\n到2025年,全市万元生产总值用水量完成省下达指标,用水总量控制在17.9亿立方米以内,"
            "城市和县城再生水利用率分别达到40%、30%以上。")
    ms = read(text)
    water = find(ms, "用水总量")[0]
    assert (water.kind, water.year, water.value, water.qualifier) == ("target", 2025, 17.9, "<=")
    assert find(ms, "再生水利用率")[0].value == 40
    assert find(ms, "县城再生水利用率")[0].value == 30


def test_multipliers_and_unit_conversion_to_the_catalog_unit():
    ms = read(NATIONAL_2024 + "全年共受理群众信访举报3.9万件，办理行政处罚案件2860件，罚没款数额总计46.12亿元。")
    assert find(ms, "群众信访举报件数")[0].value == 3.9
    assert find(ms, "行政处罚案件数")[0].value == pytest.approx(0.286)
    assert find(ms, "罚没款数额")[0].value == 46.12


def test_chinese_numerals_ranges_and_qualifiers():
    values = find_values("新增造林八十万亩，入湖水量达到3000万至5000万立方米，受理举报11余万件，约200万户")
    assert [(v.value_text, v.number, v.number_high, v.qualifier) for v in values] == [
        ("八十", 800000, None, ""), ("3000", 3e7, 5e7, ""), ("11", 110000, None, ">="), ("200", 2e6, None, "")]


def test_numbers_inside_names_are_not_values():
    assert find_values("PM2.5和SO2、COP15以及“十四五”“1+N”政策体系") == []


def test_regions_full_short_grouping_and_the_documents_own():
    text = ("洛阳市人民政府工作报告\n一、2024年工作回顾\n全市PM2.5平均浓度降至43微克/立方米，我市优良天数达到239天。"
            "京津冀及周边地区、汾渭平原PM2.5浓度分别为44、45微克/立方米。")
    ms = read(text)
    assert find(ms, "PM2.5浓度", value=43)[0].region == "洛阳市"
    assert find(ms, "优良天数")[0].region == "洛阳市"
    assert find(ms, "PM2.5浓度", value=44)[0].region == "京津冀及周边地区"
    assert find(ms, "PM2.5浓度", value=45)[0].region == "汾渭平原"


def test_a_redacted_city_stays_as_written():
    ms = read("2023年工作总结\n口市在加大环境保护的同时推进治理。该市1至10月份优良天数215天,同比增加16天。口市生态口市")
    days = find(ms, "优良天数")[0]
    assert (days.region, days.year, days.months) == ("口市", 2023, "1-10")


def test_traditional_script_is_read_like_simplified():
    ms = read("截至2022年底,非化石能源消費比重達到17.5%,可再生能源總裝機容量12.13億千瓦。")
    assert find(ms, "非化石能源消费比重")[0].year == 2022
    assert find(ms, "可再生能源装机容量")[0].value == 12.13


def test_values_outside_the_catalog_are_kept_with_their_phrase():
    ms = read(NATIONAL_2024 + "累计排查出入河排污口33万余个。")
    other = [m for m in ms if m.indicator_id is None]
    assert other and other[0].value == 33 and other[0].unit == "万个" and "排污口" in other[0].indicator


def test_a_quoted_subset_is_not_the_total():
    ms = read(NATIONAL_2024 + "共办理“两打”行政处罚案件4144件，全年办理行政处罚案件5.59万件。")
    assert [m.value for m in ms if m.indicator == "行政处罚案件数"] == [5.59]


def test_a_value_without_a_year_stays_undated():
    ms = read("全國森林覆蓋率由新中國成立之初的約8%提高到24.02%。")
    assert all(m.year is None for m in ms)


def test_a_table_flattened_into_bars():
    text = ("2024年1—12月宁夏回族自治区地级城市环境空气质量状况统计表\n"
            "排名 | 城市 | PM2.5(微克/立方米) | PM2.5同比变化(%) | 优良天数比例(%)\n"
            "1 | 固原 | 22 | -4.3 | 91.0\n— | 全区 | 28 | -4.8 | 84.4\n")
    ms = read(text)
    assert find(ms, "PM2.5浓度", region="固原市", kind="actual")[0].value == 22
    assert find(ms, "优良天数比例", region="宁夏回族自治区")[0].value == 84.4
    assert find(ms, "PM2.5浓度", region="固原市", kind="change")[0].value == -4.3
    assert not [m for m in ms if m.value == 1]  # ranks are not values


def test_every_metric_span_is_its_value_text():
    text = NATIONAL_2024 + "其中,北京市PM 2.5 浓度为30.5微克/立方米、同比下降6.2%,优良天数比例达到79.2%。"
    paragraphs = segment(clean(text))
    ctx = document_context(paragraphs)
    for m in extract(paragraphs, ctx):
        p = paragraphs[m.paragraph_seq]
        assert p.text[m.para_start:m.para_end] == m.value_text
        assert m.value_text in p.text[m.evidence_start:m.evidence_end]


# --- subjects carried from sentence to sentence and from label lines (real layouts, own words)

CITY_2023 = "某省2023年环境质量通报\n"


def test_a_region_named_in_an_earlier_sentence_carries_to_the_next():
    ms = read(CITY_2023 + "2023年,东城区优良天数比例为70.4%。重污染天数比例为2.1%,同比持平。")
    assert find(ms, "重污染天数比例", kind="actual")[0].region == "东城区"


def test_a_ranking_yardstick_is_not_the_subject():
    ms = read("2023年苏州市优良天数比例为80.1%,全国同比前进5位。重污染天数比例为0.3%。", title="苏州市2023年环境状况")
    assert find(ms, "重污染天数比例", kind="actual")[0].region == "苏州市"


def test_values_listed_with_their_places_are_one_each_not_a_union():
    ms = read(CITY_2023 + "2023年,优良天数比例德阳市95.2%、绵阳市82.4%。")
    assert {(m.region, m.value) for m in ms if m.kind == "actual"} == {("德阳市", 95.2), ("绵阳市", 82.4)}


def test_places_listed_before_all_reaching_a_value_each_get_it():
    ms = read(CITY_2023 + "2023年,德阳市、绵阳市地表水优良水质断面比例全部达到100%。")
    assert {m.region for m in ms if m.kind == "actual" and m.value == 100} == {"德阳市", "绵阳市"}


def test_a_label_line_puts_the_paragraphs_after_it_under_its_region():
    text = ("2023年全国空气质量状况\n全国PM2.5平均浓度为30微克/立方米。\n"
            "2023年长三角地区空气质量情况\n1—12月,长三角地区平均优良天数比例为83.7%。\n"
            "PM2.5平均浓度为31微克/立方米,同比上升0.9%。\n"
            "(二)汾渭平原\nPM2.5平均浓度为46微克/立方米。\n来源:四川日报\nO3平均浓度为150微克/立方米。\n")
    ms = [m for m in read(text) if m.kind == "actual" and m.indicator == "PM2.5浓度"]
    assert [(m.region, m.value) for m in ms] == [("全国", 30), ("长三角地区", 31), ("汾渭平原", 46)]
    o3 = find(read(text), "臭氧浓度", kind="actual")[0]
    assert o3.region == "汾渭平原"  # a source line naming a province is no label


def test_a_place_named_in_a_sentence_without_values_does_not_carry():
    ms = read(NATIONAL_2024 + "联合四川省政府举办环境日活动。全年受理群众信访举报3.1万件。")
    assert find(ms, "群众信访举报件数")[0].region == "全国"


def test_changes_are_signed_falls_negative_and_improvement_follows_the_indicator():
    ms = read(NATIONAL_2024 + "2024年全国优良天数比例为87.2%,同比上升1.7个百分点;PM2.5浓度为29.3微克/立方米,"
              "同比改善2.7%;O3浓度为144微克/立方米,较2019年同期下降2.7%;重污染天数比例同比减少0.3个百分点。")
    changes = {(m.indicator, m.value, m.change_verb) for m in ms if m.kind == "change"}
    assert ("优良天数比例", 1.7, "上升") in changes
    assert ("PM2.5浓度", -2.7, "改善") in changes      # a cleaner air: the concentration fell
    assert ("臭氧浓度", -2.7, "下降") in changes
    assert ("重污染天数比例", -0.3, "减少") in changes
    assert all(m.value > 0 for m in ms if m.kind == "actual")


# --- catalog phrasing, inheritance and kind (real layouts, own words)

def test_short_forms_and_aliases_of_reports_name_catalog_indicators():
    ms = read(CITY_2023 + "2023年,某市空气达标天数301天,达标天数比例82.5%;国考断面优Ⅲ比例为100%,"
              "丧失使用功能(劣于Ⅴ类)水体比例为0%;昼间点次达标率为95.1%;完成营造林12.3万亩。")
    got = {(m.indicator, m.value) for m in ms if m.kind == "actual"}
    assert {("优良天数", 301), ("优良天数比例", 82.5), ("地表水优良水质断面比例", 100), ("劣Ⅴ类断面比例", 0),
            ("功能区声环境昼间达标率", 95.1), ("新增造林面积", 12.3)} <= got


def test_a_figure_after_a_deduction_or_in_parentheses_after_a_base_inherits_the_indicator():
    ms = read("2023年,全省优良天数比例为85.0%,扣除沙尘影响后,实际为87.1%,较疫情前的2019年同期(80.2%)上升4.8个百分点;"
              "PM2.5平均浓度为31微克/立方米,优于年度目标(33.5微克/立方米)2.5微克/立方米。", title="某省2023年环境状况")
    share = {(m.year, m.value) for m in ms if m.indicator == "优良天数比例" and m.kind == "actual"}
    assert share == {(2023, 85.0), (2023, 87.1), (2019, 80.2)}
    assert find(ms, "PM2.5浓度", kind="target")[0].value == 33.5   # a target, not a change
    assert find(ms, "PM2.5浓度", kind="change")[0].value == -2.5


def test_parts_named_after_qizhong_and_shares_after_a_semicolon_do_not_inherit():
    ms = read("2023年,某市空气达标天数300天(其中:优81天,良219天),优良率为82.2%;劣Ⅴ类断面比例为1.5%;"
              "全市18个水源监测断面中,17个全年达标,占94.4%。", title="某市2023年环境状况")
    assert [m.value for m in ms if m.indicator == "优良天数"] == [300]
    assert [m.value for m in ms if m.indicator == "劣Ⅴ类断面比例"] == [1.5]


def test_a_generic_share_in_a_sentence_about_coastal_waters_is_the_coastal_share():
    ms = read("2018年,全省近岸海域海水水质较好,优良水质比例为85.1%。主要河流优良水质比例为95.8%。", title="某省2018年环境状况公报")
    assert find(ms, "近岸海域水质优良比例")[0].value == 85.1
    assert find(ms, "地表水优良水质断面比例")[0].value == 95.8


def test_a_target_for_the_year_in_a_half_year_sentence_covers_the_year():
    ms = read("2017年上半年,全国地表水水质优良(Ⅰ—Ⅲ类)水体比例为70.0%(2017年目标为68.3%),同比上升1.2个百分点。")
    assert find(ms, "地表水优良水质断面比例", kind="actual")[0].months == "1-6"
    target = find(ms, "地表水优良水质断面比例", kind="target")[0]
    assert (target.value, target.months) == (68.3, "1-12")


def test_a_nought_in_words_is_a_value():
    ms = read("2023年,全省重污染天数为零,劣Ⅴ类断面比例为0;零排放企业3家。", title="某省2023年环境状况")
    assert {(m.indicator, m.value, m.unit) for m in ms if m.indicator_id} == {
        ("重污染天数", 0, "天"), ("劣Ⅴ类断面比例", 0, "%")}


def test_a_base_year_inside_a_reduction_makes_a_change_since_then_not_a_level_of_that_year():
    ms = read("2023年,全省万元GDP二氧化碳排放比2020年降低3.8%,单位地区生产总值能耗下降2.1%。", title="某省2023年环境状况")
    cut = find(ms, "碳排放强度下降率")[0]
    assert (cut.kind, cut.year, cut.value) == ("change", 2023, -3.8)
    energy = find(ms, "能耗强度下降率")[0]
    assert (energy.kind, energy.year, energy.value) == ("actual", 2023, 2.1)


def test_named_areas_of_a_province_are_their_own_subjects():
    ms = read("2023年,成都平原经济区优良天数比例为80.1%,川南经济区为79.0%,川东北经济区为90.5%。", title="四川省2023年环境状况")
    assert [(m.region, m.value) for m in ms if m.kind == "actual"] == [
        ("成都平原经济区", 80.1), ("川南经济区", 79.0), ("川东北经济区", 90.5)]


def test_units_written_in_latin_letters_right_after_the_number():
    ms = read("2021年7月,全国CO日均值第95百分位浓度平均为0.7mg/m3,SO2平均浓度为7ug/m3。")
    assert find(ms, "一氧化碳浓度", kind="actual")[0].value == 0.7
    assert find(ms, "二氧化硫浓度", kind="actual")[0].value == 7


def test_a_place_compared_with_is_a_yardstick_not_the_subject():
    ms = read("2022年,福州市优良天数比例为98.1%,高于全国均值11.6个百分点;PM2.5浓度均值为21微克/立方米,"
              "居福建全省第二,比全国平均水平低8微克/立方米。", title="福州市2022年环境质量")
    assert {m.region for m in ms if m.kind == "actual"} == {"福州市"}


def test_days_in_chinese_numerals_new_afforestation_and_a_total_area_share():
    ms = read("2024年,全县空气质量优良天数达到三百五十二天,连续三天无污染;完成新造林3800亩。"
              "全县已建立自然保护地12处,总面积占全县国土面积的18.5%。", title="婺源县2024年工作总结")
    got = {(m.indicator, m.value) for m in ms if m.indicator_id}
    assert {("优良天数", 352), ("新增造林面积", 0.38), ("自然保护地面积占比", 18.5)} <= got
    assert not any(m.value == 3 for m in ms)


def test_per_place_figures_in_parentheses_and_after_qizhong():
    ms = read("2023年,全省优良天数比例为89.1%。其中,成都市为78.1%,自贡市为80.2%。PM2.5浓度为30微克/立方米。"
              "优良天数比例低于85%的城市为攀枝花市(81.9%)、雅安市(79.2%)。", title="四川省2023年生态环境状况公报")
    share = {(m.region, m.value) for m in ms if m.indicator == "优良天数比例" and m.kind == "actual"}
    assert share == {("四川省", 89.1), ("成都市", 78.1), ("自贡市", 80.2), ("攀枝花市", 81.9), ("雅安市", 79.2)}
    assert find(ms, "PM2.5浓度")[0].region == "四川省"   # a sentence listing places hands none on
    assert not any(m.value == 85 for m in ms)             # a threshold, not a value


def test_bare_shares_after_a_semicolon_and_drinking_water_sources():
    ms = read("2024年,全区Ⅰ~Ⅲ类优良水质断面65个,比例为98.5%;劣Ⅴ类重度污染水质点位1个,比例为1.5%。"
              "Ⅰ~Ⅲ类达标水质水源地34个,比例为97.1%;不达标水质水源地1个,比例为2.9%。", title="新疆维吾尔自治区2024年水质月报")
    assert [m.value for m in ms if m.indicator == "地表水优良水质断面比例"] == [98.5]
    assert [m.value for m in ms if m.indicator == "饮用水水源地水质达标比例"] == [97.1]


def test_places_paired_with_values_must_be_written_as_a_list():
    ms = read("2024年,“2+26”城市PM2.5平均浓度最低的3个城市依次是北京、廊坊和保定,分别为41、49和50微克/立方米。")
    assert {(m.region, m.value) for m in ms if m.indicator == "PM2.5浓度"} == {("北京市", 41), ("廊坊市", 49), ("保定市", 50)}


def test_older_and_looser_wordings_of_catalog_indicators():
    # wordings of county and city bulletins: 优、良 with a pause mark, the API grades
    # (一、二级标准), 优良水体, a 水源 rate, and the grade-Ⅴ (重度污染) day count
    ms = read(CITY_2023 + "2023年,某市空气质量优、良天数为318天,达到一、二级标准的天数占比为87.1%;"
              "优良水体比例为93.3%;集中式饮用水水源达标率为100%;Ⅴ级(重度污染)天数为2天。")
    got = {(m.indicator, m.value) for m in ms if m.kind == "actual"}
    assert {("优良天数", 318), ("优良天数比例", 87.1), ("地表水优良水质断面比例", 93.3),
            ("饮用水水源地水质达标比例", 100), ("重污染天数", 2)} <= got


def test_a_five_year_plan_period_dates_its_values_at_its_last_year():
    ms = read("“十三五”期间,全国细颗粒物平均浓度降至33微克/立方米。")
    assert find(ms, "PM2.5浓度", kind="actual")[0].year == 2020


def test_a_concentration_with_its_volume_written_before_the_number():
    ms = read(NATIONAL_2024 + "2024年全国PM2.5浓度每立方米30微克,一氧化碳浓度每立方米1.1毫克。")
    assert find(ms, "PM2.5浓度", kind="actual")[0].value == 30
    assert find(ms, "一氧化碳浓度", kind="actual")[0].unit == "毫克/立方米"


def test_section_and_air_compliance_wordings_and_grade_six_days_are_not_heavy_days():
    ms = read(CITY_2023 + "2023年,某市环境空气质量达标率为86.2%;国考断面优良率为95%;"
              "水质优良(Ⅰ～Ⅲ类)断面22个,占91.7%;严重污染天数2天。")
    got = {(m.indicator, m.value) for m in ms if m.kind == "actual"}
    assert {("优良天数比例", 86.2), ("地表水优良水质断面比例", 95), ("地表水优良水质断面比例", 91.7)} <= got
    assert not [m for m in ms if m.indicator == "重污染天数"]   # 严重污染 (grade Ⅵ) is not 重污染 (Ⅴ-Ⅵ)


def test_a_goal_in_brackets_after_the_figure_is_a_target_of_the_same_indicator():
    ms = read(CITY_2023 + "2023年,某市优良天数比例为92.6%,完成省定目标(≥88%);"
              "集中式饮用水水源地水质总体达标率为100%。")
    assert find(ms, "优良天数比例", kind="target")[0].value == 88
    assert find(ms, "优良天数比例", kind="actual")[0].value == 92.6
    assert find(ms, "饮用水水源地水质达标比例")[0].value == 100


def test_a_group_or_a_part_of_the_region_is_not_the_region():
    # a national report: the 168-city average, the main rivers and a noise class are parts
    ms = read(NATIONAL_2024 + "2024年全国地级及以上城市优良天数比例为86.0%。"
              "2024年3月168个城市(名单见附件)平均优良天数比例为80.1%。"
              "2024年全国地表水优良水质断面比例为90.4%,其中,淮河、海河等主要江河优良断面比例为91.3%。")
    national = {m.value for m in ms if m.kind == "actual" and m.region == "全国" and m.unit == "%"}
    assert national == {86.0, 90.4}
    assert {m.region for m in ms if m.value in (80.1, 91.3)} == {None}
    # a province's report: the average of its counties is not the province's figure
    ms = read("2023年贵州省空气质量月报。\n2023年5月,全省9个中心城市平均优良天数比率为97.2%;"
              "全省88个县(市、区)平均优良天数比率为98.0%。")
    assert {(m.region, m.value) for m in ms if m.kind == "actual" and m.unit == "%"} >= {("贵州省", 97.2)}
    assert [m.region for m in ms if m.value == 98.0] == [None]
    ms = read("2023年德阳市环境质量通报\n2023年,德阳市优良天数比例为88.0%;县(市)平均优良天数比例为90.2%;"
              "6个区县平均PM2.5浓度为31微克/立方米。")
    assert {(m.region, m.value) for m in ms if m.kind == "actual" and m.indicator} == {
        ("德阳市", 88.0), (None, 90.2), (None, 31.0)}
    ms = read(CITY_2023 + "2023年德阳市功能区昼间达标率为90.0%。1类区昼间达标率75.0%,夜间50.0%。")
    assert {m.region for m in ms if m.value in (75.0, 50.0)} == {None}


def test_the_starting_point_of_a_planned_rise_is_todays_level_not_the_target():
    ms = read("2023年全国生态环境状况。\n2023年,全国草原综合植被盖度稳定。根据规划,到2027年,"
              "全国森林覆盖率将从目前的24.02%提高到25.0%。")
    forest = {(m.kind, m.year, m.value) for m in ms if m.indicator == "森林覆盖率"}
    assert forest == {("actual", 2023, 24.02), ("target", 2027, 25.0)}


def test_a_group_a_city_is_ranked_in_does_not_take_its_value():
    ms = read("2023年德阳市环境质量通报\n2023年,德阳市在全国168个重点城市中排名第50位,PM2.5浓度为30微克/立方米。")
    assert [m.region for m in ms if m.indicator == "PM2.5浓度" and m.kind == "actual"] == ["德阳市"]


def test_the_figure_in_parentheses_after_a_yardstick_is_the_yardsticks_own():
    ms = read("2023年德阳市环境质量通报\n2023年德阳市优良天数比例为91.0%,比全国平均水平(86.5%)高4.5个百分点;"
              "PM2.5浓度为29微克/立方米,高于全省均值(27微克/立方米)。")
    levels = {(m.indicator, m.region, m.value) for m in ms if m.kind == "actual" and m.indicator}
    assert levels == {("优良天数比例", "德阳市", 91.0), ("优良天数比例", "全国", 86.5),
                      ("PM2.5浓度", "德阳市", 29.0), ("PM2.5浓度", "四川省", 27.0)}


def test_a_named_sub_region_of_a_province_is_not_the_province():
    ms = read("2024年上半年陕西省环境空气质量状况\n上半年,全省PM2.5平均浓度为41微克/立方米。"
              "陕南地区PM2.5平均浓度为33微克/立方米;东部地区PM2.5平均浓度为45微克/立方米。")
    assert {(m.region, m.value) for m in ms if m.indicator == "PM2.5浓度" and m.kind == "actual"} == {
        ("陕西省", 41.0), (None, 33.0), (None, 45.0)}


def test_a_limit_that_counts_days_or_names_a_standard_is_not_a_measurement():
    ms = read("2023年德阳市环境质量通报\n按PM2.5年均浓度35微克/立方米的二级标准评价,2023年德阳市PM2.5浓度为31微克/立方米;"
              "PM2.5日均浓度超过75微克/立方米及以上的天数为9天。")
    assert [m.value for m in ms if m.indicator == "PM2.5浓度"] == [31.0]


def test_a_newswire_filing_place_is_not_the_subject():
    ms = read("中新社南京3月2日电 生态环境部2日通报,1至2月,全国地表水优良水质断面比例为89.5%,"
              "劣Ⅴ类断面比例为0.6%。\n新华社成都3月2日电 记者从生态环境部获悉,前2月地表水优良水质断面比例为89.5%。")
    assert {m.region for m in ms if m.indicator == "地表水优良水质断面比例" and m.kind == "actual"} == {"全国"}
    assert {m.region for m in ms if m.indicator == "劣Ⅴ类断面比例"} == {"全国"}


def test_a_breadcrumb_naming_the_sites_city_is_no_section_label():
    ms = read("首页 > 绵阳要闻 > 国内\n生态环境部:全国339个地级及以上城市平均优良天数比例为86.8%\n"
              "2024年5月,优良天数比例为86.8%,同比上升1.2个百分点。\n")
    assert {m.region for m in ms if m.indicator == "优良天数比例" and m.kind == "actual"} == {"全国"}


def test_a_provinces_own_main_rivers_share_stays_the_provinces():
    ms = read("2023年四川省生态环境状况公报\n2023年,全省主要江河水质优良断面比例为98.5%。")
    assert [m.region for m in ms if m.indicator == "地表水优良水质断面比例" and m.kind == "actual"] == ["四川省"]


def test_a_clause_that_names_its_rate_by_half_takes_the_other_half_from_the_sentence():
    # '昼间达标率…, 夜间为…': the night share, by the tail of the day's name
    ms = read("2022年某市声环境质量通报\n2022年第二季度,某市各类功能区昼间达标率为81.3%,夜间为64.0%,均较上季度有所上升。\n")
    assert find(ms, "功能区声环境夜间达标率", kind="actual")[0].value == 64.0
    # '昼间达标N点次, 达标率为…': the rate of the count named just before
    ms = read("2022年第二季度某省城市功能区噪声监测报告\n全省各类功能区共监测240点次,其中昼间、夜间各监测120点次。"
              "各类功能区昼间达标108点次,达标率为90.0%;夜间达标85点次,达标率为70.8%。\n")
    assert [(m.indicator, m.value, m.months) for m in ms if m.kind == "actual" and m.indicator_id] == [
        ("功能区声环境昼间达标率", 90.0, "4-6"), ("功能区声环境夜间达标率", 70.8, "4-6")]
    # a half that makes no catalog name stays a phrase
    ms = read("2022年某市环境质量通报\n全市污水处理厂处理达标12座,达标率为85.7%。\n")
    assert not [m for m in ms if m.indicator_id]


def test_a_share_right_after_a_count_of_something_else_is_that_counts_share():
    ms = read("2019年某市环境质量季报\n2019年3季度,某市中心城区共监测92天,优良率为88.0%,其中轻度污染的天数为9天,"
              "占监测天数的9.8%,中度污染天数为2天,占监测天数的2.2%。\n")
    assert [m.value for m in ms if m.indicator == "优良天数比例" and m.kind == "actual"] == [88.0]
    # a share after the indicator's own count is still the indicator's
    ms = read("2021年某市环境质量公报\n2021年,某市符合一级标准(优)的天数为80天,符合二级标准(良)的天数为220天,"
              "一、二级标准的天数总计为300天,占比82.2%。\n")
    assert find(ms, "优良天数", kind="actual")[0].value == 300
    assert find(ms, "优良天数比例", kind="actual")[0].value == 82.2


def test_a_requirement_that_ends_its_clause_is_met_not_set():
    ms = read("2021年某县环境质量简报\n2021年,全年优良天数330天。出境断面水质均达到或优于水域功能要求;"
              "县城集中式饮用水源地水质达标率均为100%。\n")
    assert find(ms, "饮用水水源地水质达标比例")[0].kind == "actual"
    ms = read("2021年某县工作要点\n要求县城集中式饮用水源地水质达标率保持100%。\n")
    assert find(ms, "饮用水水源地水质达标比例")[0].kind == "target"


def test_a_grade_named_alone_after_a_section_share_is_that_grades_section_share():
    ms = read(NATIONAL_2024 + "根据简况,2024年1900个国家地表水考核断面中,Ⅰ~Ⅲ类水质断面比例为85.2%,"
              "同比上升1.5个百分点;劣Ⅴ类为1.2%,同比下降0.4个百分点。\n")
    assert find(ms, "劣Ⅴ类断面比例", kind="actual")[0].value == 1.2


def test_a_standard_named_inside_the_share_and_a_sea_area_share_are_catalog_phrasings():
    ms = read("2020年某省生态环境状况公报\n2020年,全省国考断面水质达到或优于《地表水环境质量标准》Ⅲ类的比例为86.1%。\n")
    assert find(ms, "地表水优良水质断面比例", kind="actual")[0].value == 86.1
    ms = read("2023年全国海洋生态环境状况\n2023年,全国近海海域海水优良水质面积达到了85%的历史新高。\n")
    assert find(ms, "近岸海域水质优良比例", kind="actual")[0].value == 85.0


def test_a_part_of_a_breakdown_after_qizhong_is_not_completed_into_a_catalog_name():
    # 重度污染 alone next to 严重污染 is not the share of heavy-or-worse days
    ms = read(NATIONAL_2024 + "2024年,全国城市平均超标天数比例为13.5%,其中轻度污染天数比例为10.1%,"
              "中度污染为2.2%,重度污染为0.9%,严重污染为0.3%。\n")
    assert not [m for m in ms if m.indicator == "重污染天数比例"]
