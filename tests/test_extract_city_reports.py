"""Extract stage: forms of prefecture-city and county monthly air reports (session 9, helper city).
Layouts of real pages, written here in our own words and figures."""
from __future__ import annotations

from etl.clean import clean
from tests.reading import levels, read


def test_a_year_run_into_its_month_is_that_years_month():
    # a county's monthly report whose page lost the 年 between year and month ('20236月')
    text = ("某县7月份环境质量月报\n发布时间:2023-07-14 10:02\n"
            "20236月,城区两个自动站监测有效天数30天,AQI为优的有18天,为良的有9天,优良天数比例为90.0%,"
            "PM2.5月均值浓度为15μg/m3。\n")
    got = levels(read(text))
    assert ("优良天数比例", None, 2023, "6", 90.0) in [(i, None, y, m, v) for i, _, y, m, v in got]
    assert ("PM2.5浓度", 2023, "6", 15.0) in [(i, y, m, v) for i, _, y, m, v in got]


def test_the_lost_year_mark_is_put_back_only_before_a_month():
    assert clean("表2 20215月各县区空气质量").simplified == "表2 2021年5月各县区空气质量"
    assert clean("20221-6月累计").simplified == "2022年1-6月累计"
    # a longer run of digits, a decimal or a day are no year and month
    assert clean("共120246月").simplified == "共120246月"
    assert clean("指数3.20246月").simplified == "指数3.20246月"
    assert clean("2023年6月").simplified == "2023年6月"
    ct = clean("20236月,优良")
    assert ct.text == "2023年6月,优良"
    assert [ct.to_raw(i) for i in (0, 3, 5)] == [0, 3, 4]


def test_places_sharing_a_superlatives_figure_in_parentheses_each_take_it():
    # a city's half-year ranking: the indicator is named once, then best and worst places; two
    # worst places share one figure ('均为…' in the parentheses)
    text = ("2019年上半年济南市各区县大气环境质量状况\n"
            "二氧化硫(SO2,标准60μg/m3)最好的是平阴县(9μg/m3),最差的是章丘区、商河县(均为21μg/m3)。"
            "优良天数上,最少的是莱芜区、钢城区(均为88天)。\n")
    got = {(i, r, v) for i, r, _, _, v in levels(read(text))}
    assert {("二氧化硫浓度", "平阴县", 9.0), ("二氧化硫浓度", "章丘区", 21.0),
            ("二氧化硫浓度", "商河县", 21.0), ("优良天数", "莱芜区", 88.0), ("优良天数", "钢城区", 88.0)} <= got


def test_a_superlatives_figure_for_a_name_that_is_no_place_is_not_given_to_another():
    # '高新区' here is a zone of the city, not a county: its figure must not land on a place
    # named earlier in the paragraph
    text = ("2019年上半年济南市各区县大气环境质量状况\n"
            "综合指数最差的是历城区。二氧化氮(NO2,标准40μg/m3)最好的是高新区(24μg/m3),"
            "最差的是天桥区(45μg/m3)。\n")
    got = [(i, r, v) for i, r, _, _, v in levels(read(text)) if i == "二氧化氮浓度"]
    assert got == [("二氧化氮浓度", "天桥区", 45.0)]


def test_figures_of_the_places_a_change_is_largest_for_are_changes():
    # a city's monthly report: how much each district's concentration fell or rose, place by place
    text = ("2018年3月某市环境空气质量状况\n"
            "2018年3月,全市PM2.5浓度为48微克/立方米。从PM10浓度变化情况看,全市12个区(市)县中有9个较去年同期下降,"
            "浓度下降范围为6~31微克/立方米,其中降幅相对较大的是锦江区(31微克/立方米)、青羊区(24微克/立方米);"
            "3个区(市)县较去年同期上升,上升幅度分别为金堂县8微克/立方米、大邑县5微克/立方米。"
            "PM10浓度最低的是蒲江县(52微克/立方米)。\n")
    ms = read(text)
    kinds = {(m.region, abs(m.value)): m.kind for m in ms}
    assert kinds[("锦江区", 31.0)] == "change" and kinds[("青羊区", 24.0)] == "change"
    assert kinds[("金堂县", 8.0)] == "change" and kinds[("大邑县", 5.0)] == "change"
    assert [(r, v) for i, r, _, _, v in levels(ms, "PM10浓度")] == [("蒲江县", 52.0)]


def _cells(*cells: str) -> str:
    """A table flattened one cell a line, a blank line between cells, as some city sites print it."""
    return "\n\n".join(cells) + "\n"


def test_a_group_cell_of_pollutants_is_not_named_by_a_lead_that_names_a_share():
    # the lead above the table names 优良天数比例; the table's upper row has '平均浓度(μg/m3)' spanning
    # SO2 | NO2 | PM10 | PM2.5, written before the other upper cells, the lower row last
    text = ("一、环境空气质量状况\n\n2022年9月,韶关市各县(市、区)环境空气优良天数比例排名前两位的为始兴县、南雄市。\n\n"
            + _cells("表1 2022年9月各县(市、区)环境空气质量状况", "县(市、区)", "平均浓度(μg/m3)",
                     "CO第95百分位数(mg/m3)", "O3_8H第90百分位数", "(μg/m3)", "空气质量达标天数比例(%)", "排名",
                     "SO2", "NO2", "PM10", "PM2.5",
                     "始兴县", "7", "10", "30", "17", "0.7", "118", "100.0", "1",
                     "南雄市", "5", "11", "33", "19", "0.8", "121", "96.7", "2",
                     "乐昌市", "6", "14", "36", "22", "0.9", "135", "93.3", "3"))
    got = {(i, r, y, m, v) for i, r, y, m, v in levels(read(text))}
    assert {("PM2.5浓度", "南雄市", 2022, "9", 19.0), ("二氧化硫浓度", "始兴县", 2022, "9", 7.0),
            ("臭氧浓度", "乐昌市", 2022, "9", 135.0), ("优良天数比例", "乐昌市", 2022, "9", 93.3)} <= got
    assert not any(i == "优良天数比例" and v < 50 for i, _, _, _, v in got)


def test_a_label_column_headed_by_a_bare_city_and_district_mark_is_read():
    # '本月 | 上年同期' over 'AQI优良率(%) | 排名' twice, one cell a line; the label header lost its 县
    text = ("2024年3月台州市环境空气质量月报\n\n"
            + _cells("全市AQI优良率情况", "序号", "(市、区)", "本月", "上年同期", "与上年同期变化(百分点)",
                     "AQI优良率(%)", "排名", "AQI优良率(%)", "排名",
                     "1", "椒江区", "96.8", "2", "93.5", "3", "3.3",
                     "2", "黄岩区", "100", "1", "90.3", "4", "9.7",
                     "3", "临海市", "93.5", "3", "96.8", "1", "-3.3",
                     "4", "全市均值", "96.8", "--", "93.5", "-", "3.3"))
    got = {(r, y, m, v) for i, r, y, m, v in levels(read(text), "优良天数比例")}
    assert {("椒江区", 2024, "3", 96.8), ("椒江区", 2023, "3", 93.5), ("黄岩区", 2024, "3", 100.0),
            ("临海市", 2023, "3", 96.8), ("台州市", 2024, "3", 96.8), ("台州市", 2023, "3", 93.5)} <= got


def test_a_citys_districts_named_bare_in_its_table_are_its_districts():
    # two rankings side by side under '排名 | 区 | …': a district's bare name (朝阳, 通州) is the
    # city's district, not another province's prefecture of that name, nor the city itself
    text = ("2022年5月北京市环境空气质量状况\n二、各区空气质量状况\n2022年5月份各区PM2.5浓度统计表\n单位:微克/立方米\n"
            "排名 | 区 | 月均浓度 | 排名 | 区 | 同比变化 |\n"
            "1 | 密云 | 21 | 1 | 朝阳 | -20.0% |\n"
            "2 | 延庆 | 22 | 2 | 密云 | -12.5% |\n"
            "3 | 通州 | 25 | 3 | 延庆 | -8.3% |\n"
            "4 | 朝阳 | 28 | 4 | 通州 | 4.2% |\n")
    got = [(r, v) for i, r, y, m, v in levels(read(text), "PM2.5浓度")]
    assert sorted(got) == sorted([("密云区", 21.0), ("延庆区", 22.0), ("通州区", 25.0), ("朝阳区", 28.0)])


def test_a_headline_opening_on_its_city_then_the_month_dates_the_values():
    # a news repost of a city's monthly ranking: the headline names the month after the city, the
    # dateline gives the year, the sentences name neither
    text = ("潍坊市8月份空气质量排名出炉\n来源:某网 发布时间:2019-09-12 10:20\n"
            "优良天数上,最多的是临朐县26天,最少的是寿光市、昌邑市(均为15天)。\n")
    got = {(r, y, m, v) for i, r, y, m, v in levels(read(text), "优良天数")}
    assert {("寿光市", 2019, "8", 15.0), ("昌邑市", 2019, "8", 15.0)} <= got


def test_a_sides_row_for_a_name_that_is_no_place_keeps_the_rankings_side_by_side_in_step():
    # one cell a line: '排名 | 区 | 月均浓度 | 排名 | 区 | 同比变化'; the right side's first row is a
    # development zone the gazetteer does not know, and the rows after it must stay on their side
    text = ("2021年6月北京市环境空气质量状况\n\n2021年6月份各区PM2.5浓度统计表\n\n单位:微克/立方米\n\n"
            + _cells("排名", "区", "月均浓度", "排名", "区", "同比变化",
                     "1", "密云", "20", "1", "开发区", "-9.1%",
                     "2", "延庆", "21", "2", "顺义", "-4.0%",
                     "3", "怀柔", "22", "3", "东城", "0.0%",
                     "4", "顺义", "24", "4", "密云", "4.5%"))
    got = sorted((r, v) for i, r, y, m, v in levels(read(text), "PM2.5浓度"))
    assert got == sorted([("密云区", 20.0), ("怀柔区", 22.0), ("延庆区", 21.0), ("顺义区", 24.0)])


def test_a_county_named_as_it_was_before_it_became_a_district_is_that_district():
    # a 2016 county table: 临安市 became 临安区 in 2017, the gazetteer keeps today's names; the row
    # is read as the district of the same stem (a name still a division of its own stays itself)
    text = ("2016年5月杭州市各区、县(市)环境空气质量\n"
            "县(市、区) | PM2.5浓度(μg/m3) | 优良天数比例(%) |\n"
            "临安市 | 31 | 93.5 |\n"
            "桐庐县 | 33 | 90.3 |\n"
            "建德市 | 29 | 96.8 |\n")
    got = {(r, v) for i, r, y, m, v in levels(read(text), "PM2.5浓度")}
    assert got == {("临安区", 31.0), ("桐庐县", 33.0), ("建德市", 29.0)}


def test_two_period_groups_spanning_unequal_runs_of_lower_cells_under_a_district_and_county_corner():
    # '区、县(市)' heads the places; '1-3月' spans six lower cells (rate, rank, change, PM2.5, rank,
    # change), '3月' three (rate, PM2.5, rank): each group opens on the same first cell
    text = ("宁波市环境空气质量状况信息公开(2022年3月)\n\n"
            + _cells("宁波市2022年3月各区、县(市)环境空气质量状况表",
                     "区、县(市)", "1-3月", "3月",
                     "优良率(%)", "排名", "与2021年同期变化(百分点)", "PM2.5均值(µg/m3)", "排名",
                     "与2021年同期变化率(%)", "优良率(%)", "PM2.5均值(µg/m3)", "排名",
                     "海曙区", "95.6", "1", "2.2", "27.4", "2", "-6.1", "96.8", "24.9", "1",
                     "鄞州区", "93.3", "2", "-1.1", "29.8", "3", "4.5", "90.3", "26.2", "3",
                     "象山县", "91.1", "3", "0", "25.0", "1", "-3.0", "93.5", "25.5", "2"))
    got = {(i, r, y, m, v) for i, r, y, m, v in levels(read(text))}
    assert {("优良天数比例", "海曙区", 2022, "1-3", 95.6), ("PM2.5浓度", "海曙区", 2022, "1-3", 27.4),
            ("优良天数比例", "海曙区", 2022, "3", 96.8), ("PM2.5浓度", "海曙区", 2022, "3", 24.9),
            ("PM2.5浓度", "象山县", 2022, "1-3", 25.0), ("优良天数比例", "鄞州区", 2022, "3", 90.3)} <= got
    # ranks and changes are no levels
    assert not any(v in (2.2, -1.1, 6.1, 4.5) for _, _, _, _, v in got)


def test_districts_merged_away_and_a_note_cell_under_the_city_row():
    # a table of 2020 lists districts merged into others in 2021 (下城区, 江干区); the city's row
    # label is followed by a note in parentheses on a line of its own, which is no value cell
    text = ("杭州市环境空气质量状况信息公开(2020年6月)\n\n"
            + _cells("杭州市2020年6月各区、县(市)环境空气质量状况表",
                     "区、县(市)", "优良率(%)", "PM2.5均值(µg/m3)",
                     "下城区", "90.0", "25.3",
                     "江干区", "93.3", "23.8",
                     "萧山区", "86.7", "27.1",
                     "杭州市区", "(国控点位)", "91.1", "24.6"))
    got = {(i, r, y, m, v) for i, r, y, m, v in levels(read(text))}
    assert {("优良天数比例", "下城区", 2020, "6", 90.0), ("PM2.5浓度", "江干区", 2020, "6", 23.8),
            ("优良天数比例", "杭州市", 2020, "6", 91.1), ("PM2.5浓度", "杭州市", 2020, "6", 24.6)} <= got
    assert not any(r == "杭州市" and v == 91.1 and i == "PM2.5浓度" for i, r, _, _, v in got)
