"""Tables of one indicator a row whose columns are periods (etl/extract/period_tables.py), and the
county a self-speaking report names only in a table row (etl/catalog/tabled_place.py). The layouts
are those of scraped county bulletins; the words, places and numbers are our own."""
from __future__ import annotations

from tests.reading import read


def got(metrics, indicator):
    """{(year, months): value} of one indicator's actual levels."""
    return {(m.year, m.months): m.value for m in metrics if m.indicator == indicator and m.kind == "actual"}


def test_month_and_year_to_date_columns_over_a_repeated_lower_row_with_units_in_the_cells():
    text = ("2022年5月嘉鱼县环境质量简报\n"
            "表1 2022年5月空气主要指标\n"
            "指标 | 5月 | 1-5月 | ||\n"
            "监测值 | 增减(%) | 监测值 | 增减(%) | |\n"
            "PM2.5 | 27ug/m3 | -6.1 | 35ug/m3 | 4.2 |\n"
            "NO2 | 19ug/m3 | 12.0 | 22ug/m3 | -3.0 |\n"
            "CO | 0.9mg/m3 | 0 | 1.1mg/m3 | 10.0 |\n"
            "(二)简要分析\n")
    metrics = read(text)
    assert got(metrics, "PM2.5浓度") == {(2022, "5"): 27, (2022, "1-5"): 35}
    assert got(metrics, "二氧化氮浓度") == {(2022, "5"): 19, (2022, "1-5"): 22}
    assert got(metrics, "一氧化碳浓度") == {(2022, "5"): 0.9, (2022, "1-5"): 1.1}
    assert {m.region for m in metrics if m.indicator == "PM2.5浓度"} == {"嘉鱼县"}
    # the 增减 columns are changes, never levels
    assert not any(m.value in (6.1, 12.0, 4.2) for m in metrics if m.kind == "actual")


def test_cells_one_a_line_with_this_and_last_years_columns_and_a_comparison_spanning_two_cells():
    cells = ["主要指標", "2021年1-12月", "2020年1-12月", "同期對比", "國家二級年均標準", "",
             "綜合指數", "3.05", "3.30", "變好", "-7.6%", "----",
             "優良天數", "341", "329", "變好", "增加12天", "----",
             "二氧化硫(SO2)", "8", "9", "變好", "-11.1%", "60",
             "臭氧(O3)", "126", "121", "變差", "4.1%", "160"]
    text = ("略陽縣2021年1-12月環境質量通報\n一、環境空氣質量\n表1 2021年1-12月縣城區環境空氣狀況統計表\n"
            + "\n".join(c + " |" if c else "|" for c in cells)
            + "\n注:綜合指數無量綱,優良天數單位為天,其餘單位為微克/立方米。\n")
    metrics = read(text)
    assert got(metrics, "优良天数") == {(2021, "1-12"): 341, (2020, "1-12"): 329}
    assert got(metrics, "二氧化硫浓度") == {(2021, "1-12"): 8, (2020, "1-12"): 9}
    assert got(metrics, "臭氧浓度") == {(2021, "1-12"): 126, (2020, "1-12"): 121}
    assert not any(m.value in (60, 160, 4.1) for m in metrics)   # standards and changes


def test_this_month_to_date_and_last_years_same_period_columns():
    text = ("东川区2023年8月空气质量月报\n"
            "表2 2023年8月主要污染物浓度(单位:微克/立方米)\n"
            "项目 | 本月 | 累计 | 上年同期 | 同比(%)\n"
            "PM10 | 33 | 41 | 45 | -8.9\n"
            "PM2.5 | 18 | 24 | 26 | -7.7\n")
    metrics = read(text)
    assert got(metrics, "PM10浓度") == {(2023, "8"): 33, (2023, "1-8"): 41, (2022, "8"): 45}
    assert got(metrics, "PM2.5浓度") == {(2023, "8"): 18, (2023, "1-8"): 24, (2022, "8"): 26}


def test_this_month_is_not_read_when_the_table_gives_no_month():
    text = ("项目 | 本月 | 累计\n"
            "PM10 | 33 | 41\n"
            "PM2.5 | 18 | 24\n"
            "2023年,本县环境质量总体稳定。\n")
    metrics = read(text)
    assert not [m for m in metrics if m.value in (33, 41, 18, 24)]


def test_a_county_report_naming_itself_only_in_a_table_row():
    # no masthead: the text says 全县 and the county's bare name labels its own table row
    text = ("一、空气环境质量\n"
            "2023年9月,全县空气质量优良天数27天,优良率为90.0%。\n"
            "1-9月,全县空气质量优良率为85.2%。\n"
            "表2 2023年9月空气质量综合指数\n"
            "地区 | 综合指数 | 同比增幅(%)\n"
            "通山 | 3.21 | -4.5 |\n")
    metrics = read(text)
    assert {m.region for m in metrics if m.indicator == "优良天数比例"} == {"通山县"}


def test_a_bare_name_in_a_table_is_no_region_for_a_text_speaking_of_no_county():
    text = ("2023年9月,全市空气质量优良天数27天,优良率为90.0%。\n"
            "本市将继续加强大气污染防治。\n"
            "地区 | 综合指数 | 同比增幅(%)\n"
            "通山 | 3.21 | -4.5 |\n"
            "崇阳 | 3.40 | -2.5 |\n")
    metrics = read(text)
    assert {m.region for m in metrics if m.indicator == "优良天数比例"} == {None}


def test_place_rows_under_period_columns_of_the_indicator_the_title_names():
    text = ("黄石市生态环境局\n2023年7月空气质量通报\n表1 2023年6月各县市区细颗粒物浓度(单位:μg/m³)\n"
            "县市区 | 6月 | 同比(%) | 1-6月 | 同比(%)\n"
            "大冶市 | 21 | -8.7 | 34 | -5.6\n"
            "阳新县 | 18 | -10.0 | 30 | -3.2\n"
            "西塞山区 | 24 | 4.3 | 37 | 2.8\n")
    metrics = read(text)
    pm = {(m.region, m.months): m.value for m in metrics if m.indicator == "PM2.5浓度" and m.kind == "actual"}
    assert pm == {("大冶市", "6"): 21, ("大冶市", "1-6"): 34, ("阳新县", "6"): 18, ("阳新县", "1-6"): 30,
                  ("西塞山区", "6"): 24, ("西塞山区", "1-6"): 37}


def test_year_to_date_under_each_indicator_is_january_to_the_tables_month():
    rows = [["大冶市", "21", "34", "95.2", "80.1"], ["阳新县", "18", "30", "97.0", "84.3"],
            ["西塞山区", "24", "37", "90.5", "77.9"]]
    header = ["县市区 | PM2.5(μg/m³) | 优良天数比例(%)", "本月 | 累计 | 本月 | 累计"]
    title = "黄石市2023年6月空气质量通报\n表1 2023年6月各县市区空气质量\n"
    as_rows = title + "\n".join(header + [" | ".join(r) for r in rows]) + "\n"
    one_a_line = title + "\n".join(c.strip() + " |" for line in header + [" | ".join(r) for r in rows]
                                   for c in line.split("|")) + "\n"
    for text in (as_rows, one_a_line):
        metrics = read(text)
        pm = {(m.region, m.months): m.value for m in metrics if m.indicator == "PM2.5浓度" and m.kind == "actual"}
        assert pm == {("大冶市", "6"): 21, ("大冶市", "1-6"): 34, ("阳新县", "6"): 18, ("阳新县", "1-6"): 30,
                      ("西塞山区", "6"): 24, ("西塞山区", "1-6"): 37}


def test_period_cells_over_indicator_cells_one_a_line():
    cells = ["县市区", "6月", "1-6月", "PM2.5(μg/m³)", "优良天数比例(%)", "PM2.5(μg/m³)", "优良天数比例(%)",
             "大冶市", "21", "95.2", "34", "80.1", "阳新县", "18", "97.0", "30", "84.3",
             "西塞山区", "24", "90.5", "37", "77.9"]
    text = "黄石市2023年6月空气质量通报\n表1 2023年6月各县市区空气质量\n" + "\n".join(c + " |" for c in cells) + "\n"
    metrics = read(text)
    share = {(m.region, m.months): m.value for m in metrics if m.indicator == "优良天数比例" and m.kind == "actual"}
    assert share == {("大冶市", "6"): 95.2, ("大冶市", "1-6"): 80.1, ("阳新县", "6"): 97.0, ("阳新县", "1-6"): 84.3,
                     ("西塞山区", "6"): 90.5, ("西塞山区", "1-6"): 77.9}


def test_an_empty_corner_and_last_years_year_to_date():
    text = ("阳新县2023年6月环境质量月报\n表1 2023年6月主要指标\n"
            "| 2023年6月 | 2022年6月 | 变化幅度\n"
            "PM10(μg/m³) | 41 | 44 | -6.8%\n"
            "优良率(%) | 96.7 | 93.3 | 3.4个百分点\n"
            "项目 | 当月 | 去年同期 | 同比变化 | 今年累计 | 去年同期累计 | 同比变化\n"
            "优良天数(天) | 29 | 28 | 增加1天 | 160 | 151 | 增加9天\n")
    metrics = read(text)
    assert got(metrics, "PM10浓度") == {(2023, "6"): 41, (2022, "6"): 44}
    assert got(metrics, "优良天数比例") == {(2023, "6"): 96.7, (2022, "6"): 93.3}
    assert got(metrics, "优良天数") == {(2023, "6"): 29, (2022, "6"): 28, (2023, "1-6"): 160, (2022, "1-6"): 151}


def test_a_unit_split_off_onto_a_line_of_its_own_stays_with_its_header_cell():
    cells = ["县市区", "PM2.5浓度", "(μg/m³)", "优良天数比例", "(%)", "大冶市", "21", "95.2", "阳新县", "18", "97.0",
             "西塞山区", "24", "90.5"]
    text = "黄石市生态环境局\n表1 2023年6月各县市区空气质量\n" + "\n".join(c + " |" for c in cells) + "\n"
    metrics = read(text)
    assert {m.region: m.value for m in metrics if m.indicator == "优良天数比例"} == {"大冶市": 95.2, "阳新县": 97.0,
                                                                                 "西塞山区": 90.5}
    assert {m.region: m.value for m in metrics if m.indicator == "PM2.5浓度"} == {"大冶市": 21, "阳新县": 18,
                                                                             "西塞山区": 24}
    # indicator rows whose unit cell follows the label
    cells = ["指标", "6月", "1-6月", "PM10", "(μg/m³)", "41", "52", "CO", "(mg/m³)", "0.8", "1.1"]
    text = "阳新县2023年6月环境质量月报\n表1 2023年6月主要指标\n" + "\n".join(c + " |" for c in cells) + "\n"
    metrics = read(text)
    assert got(metrics, "PM10浓度") == {(2023, "6"): 41, (2023, "1-6"): 52}
    assert got(metrics, "一氧化碳浓度") == {(2023, "6"): 0.8, (2023, "1-6"): 1.1}


def test_a_table_of_indicator_rows_with_one_level_column_is_of_the_titles_period():
    text = ("阳新县生态环境分局\n表1 2023年6月主要污染物浓度\n"
            "污染物 | 浓度(μg/m³) | 同比变化(%) | 二级标准\n"
            "PM2.5 | 19 | -5.0 | 35\n"
            "NO2 | 14 | 7.7 | 40\n"
            "指标/时间 | 6月 | 1-6月\n"
            "优良天数比例(%) | 96.7 | 88.4\n")
    metrics = read(text)
    assert got(metrics, "PM2.5浓度") == {(2023, "6"): 19}
    assert got(metrics, "二氧化氮浓度") == {(2023, "6"): 14}
    assert got(metrics, "优良天数比例") == {(2023, "6"): 96.7, (2023, "1-6"): 88.4}
    assert not [m for m in metrics if m.value in (35, 40)]


def test_indicator_rows_under_place_columns():
    text = ("黄石市生态环境局\n表1 2023年6月各县市区空气质量\n"
            "指标 | 全市 | 大冶市 | 阳新县\n"
            "PM2.5(μg/m³) | 20 | 21 | 18\n"
            "优良天数比例(%) | 95.0 | 95.2 | 97.0\n")
    metrics = read(text)
    assert {m.region: m.value for m in metrics if m.indicator == "PM2.5浓度" and m.months == "6"} == {
        "黄石市": 20, "大冶市": 21, "阳新县": 18}
    assert {m.region: m.value for m in metrics if m.indicator == "优良天数比例" and m.year == 2023} == {
        "黄石市": 95.0, "大冶市": 95.2, "阳新县": 97.0}


def test_rows_opening_on_a_serial_number():
    for sep in (" | ", " |\n"):
        rows = [["序号", "指标", "6月", "1-6月"], ["1", "PM10(μg/m³)", "41", "52"], ["2", "优良天数比例(%)", "96.7", "88.4"]]
        text = "阳新县2023年6月环境质量月报\n表1 2023年6月主要指标\n" + "\n".join(sep.join(r) + " |" for r in rows) + "\n"
        metrics = read(text)
        assert got(metrics, "PM10浓度") == {(2023, "6"): 41, (2023, "1-6"): 52}
        assert got(metrics, "优良天数比例") == {(2023, "6"): 96.7, (2023, "1-6"): 88.4}


def test_rows_of_periods_under_a_group_cell_giving_every_columns_unit():
    # one cell a line: a corner cell, a group cell naming only the unit (mg/m3), the pollutants,
    # then a row per period; the values are read in each indicator's own unit
    cells = ["项目 监测结果", "月均值*(mg/m3)", "", "SO2", "NO2", "PM2.5", "CO", "",
             "2022年3月", "0.004", "0.018", "0.021", "0.7", "2023年3月", "0.005", "0.020", "0.025", "0.8"]
    text = "长乐区2023年3月空气环境质量月报\n表1 3月份空气环境监测统计结果\n" + "\n".join(c + " |" if c else "|" for c in cells) + "\n"
    metrics = read(text)
    assert got(metrics, "二氧化氮浓度") == {(2022, "3"): 18, (2023, "3"): 20}
    assert got(metrics, "一氧化碳浓度") == {(2022, "3"): 0.7, (2023, "3"): 0.8}


def test_a_time_corner_over_month_columns_and_the_half_years_column_one_cell_a_line():
    # '时间' alone heads the indicator column; the columns are months without a year, then the
    # quarter; the year is the title's. A first row counting days names no catalog indicator.
    cells = ["时间", "1月", "2月", "3月", "一季度",
             "统计天数", "31", "28", "31", "90",
             "PM2.5均值(ug/m3)", "49", "37", "30", "39",
             "NO2均值(ug/m3)", "31", "20", "24", "25",
             "CO-95per(mg/m3)", "1.3", "1.1", "0.9", "1.1"]
    text = ("2023年一季度宣城市环境质量简报\n"
            "表2 2023年一季度环境空气质量状况统计表\n"
            + "\n".join(c + " |" for c in cells) + "\n"
            "二、地表水\n")
    metrics = read(text)
    assert got(metrics, "PM2.5浓度") == {(2023, "1"): 49, (2023, "2"): 37, (2023, "3"): 30, (2023, "1-3"): 39}
    assert got(metrics, "二氧化氮浓度")[(2023, "2")] == 20
    assert got(metrics, "一氧化碳浓度")[(2023, "3")] == 0.9
    assert {m.region for m in metrics if m.indicator == "PM2.5浓度"} == {"宣城市"}


def test_a_time_corner_over_indicator_columns_is_no_period_header():
    # '时间' over indicator names: the rows are periods, read as before (the corner opens no
    # table of period columns).
    text = ("2023年宣城市空气质量\n"
            "时间 | PM2.5(μg/m3) | NO2(μg/m3) |\n"
            "2023年1月 | 49 | 31 |\n"
            "2023年2月 | 37 | 20 |\n")
    metrics = read(text)
    assert got(metrics, "PM2.5浓度").get((2023, "1")) == 49
    assert got(metrics, "二氧化氮浓度").get((2023, "2")) == 20


def test_a_share_row_named_only_among_air_rows_after_the_good_days_row():
    # '达标比例' names the share of good days only in a table whose other rows are air indicators;
    # read there, and not swallowed as a cell of the 达标天数 row above it
    cells = ["时间", "1月", "2月", "一季度",
             "PM2.5均值(ug/m3)", "49", "37", "43",
             "达标天数", "22", "25", "47",
             "达标比例(%)", "71.0", "89.3", "79.7",
             "超标天数", "9", "3", "12"]
    text = ("2023年一季度宣城市环境质量简报\n"
            "表2 2023年一季度环境空气质量状况统计表\n"
            + "\n".join(c + " |" for c in cells) + "\n")
    metrics = read(text)
    assert got(metrics, "优良天数比例") == {(2023, "1"): 71.0, (2023, "2"): 89.3, (2023, "1-3"): 79.7}
    assert got(metrics, "优良天数") == {(2023, "1"): 22, (2023, "2"): 25, (2023, "1-3"): 47}


def test_a_share_row_among_water_rows_is_not_the_good_days_share():
    cells = ["时间", "1月", "2月", "一季度",
             "化学需氧量(mg/L)", "14", "15", "14",
             "达标比例(%)", "90.0", "95.0", "92.5"]
    text = ("2023年一季度宣城市水环境质量简报\n"
            "表3 2023年一季度水质统计表\n"
            + "\n".join(c + " |" for c in cells) + "\n")
    assert got(read(text), "优良天数比例") == {}
