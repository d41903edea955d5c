"""Table layouts of the seventh session's variation grid (tests/fixtures/variants_tables7): a unit
row under space-aligned columns, a page number between two rows of such a table, a row label
spanning two rows, a three-row header written one cell a line, station rows. Places, words and
numbers are our own."""
from __future__ import annotations

from etl.clean import clean
from etl.extract import three_row_headers, unit_rows
from etl.extract.cell_tables import Cell
from etl.model import Paragraph
from tests.reading import read


def values(metrics, indicator, **where) -> dict[str, float]:
    return {m.region: m.value for m in metrics
            if m.indicator == indicator and m.kind == "actual" and all(getattr(m, k) == v for k, v in where.items())}


def test_a_unit_row_under_space_aligned_columns_joins_the_header():
    text = ("南充市生态环境局 发布时间：2023-07-06\n2023年6月各区县空气质量\n"
            "区县      PM2.5     臭氧      优良天数比例\n"
            "单位      μg/m³     μg/m³     %\n"
            "高坪区    20        120       93.3\n"
            "嘉陵区    22        131       90.0\n"
            "全市      21        125       91.7\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2023, months="6") == {"高坪区": 20, "嘉陵区": 22, "南充市": 21}
    assert values(ms, "优良天数比例", year=2023, months="6") == {"高坪区": 93.3, "嘉陵区": 90.0, "南充市": 91.7}


def test_unit_rows_leave_a_row_of_figures_alone():
    p, q = Paragraph(0, 0, 5, "甲 乙 丙", "甲 乙 丙"), Paragraph(1, 6, 11, "1 2 3", "1 2 3")
    cells = [Cell("区县", p, 0, 1), Cell("PM2.5", p, 2, 3), Cell("PM10", p, 4, 5),
             Cell("30", q, 0, 1), Cell("40", q, 2, 3), Cell("50", q, 4, 5)]
    assert [c.text for c in unit_rows.join_unit_rows(cells)] == ["区县", "PM2.5", "PM10", "30", "40", "50"]


def test_no_join_across_a_page_number_between_two_table_rows():
    text = "表1 2022年各县水质\n县区      断面数    优良比例\n甲县      3         100\n\n— 7 —\n\n乙县      4         75.0\n"
    out = clean(text).simplified
    assert "100乙县" not in out and "100\n" in out


def test_a_label_spanning_two_rows_is_given_to_the_lower_row():
    text = ("某省生态环境厅\n发布时间：2024-08-20\n2024年1-7月部分城市空气质量对比\n"
            "城市 | 时段 | PM2.5（微克/立方米） | 优良天数比例（%）\n"
            "自贡 | 2024年1-7月 | 36 | 82.5\n"
            " | 2023年1-7月 | 39 | 80.1\n"
            "内江 | 2024年1-7月 | 33 | 86.0\n"
            " | 2023年1-7月 | 35 | 84.4\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2023, months="1-7") == {"自贡市": 39, "内江市": 35}
    assert values(ms, "PM2.5浓度", year=2024, months="1-7") == {"自贡市": 36, "内江市": 33}


def test_a_three_row_header_one_cell_a_line():
    cells = ["区县", "6月", "1-6月累计", "PM10", "NO2", "PM10", "NO2", "浓度", "同比", "浓度", "同比", "浓度", "同比",
             "浓度", "同比"]
    lines = [f"{c} |" for c in cells]
    for name, figures in [("顺庆区", (50, "-3.8%", 21, "5.0%", 61, "-1.6%", 25, "0.0%")),
                          ("嘉陵区", (47, "2.2%", 18, "-5.3%", 58, "-3.3%", 22, "4.8%"))]:
        lines += [f"{name} |"] + [f"{f} |" for f in figures]
    ms = read("某市生态环境局 2023-07-10\n6月及1-6月各区县空气质量\n表3 各区县空气质量\n" + "\n".join(lines) + "\n")
    assert values(ms, "PM10浓度", year=2023, months="6") == {"顺庆区": 50, "嘉陵区": 47}
    assert values(ms, "PM10浓度", year=2023, months="1-6") == {"顺庆区": 61, "嘉陵区": 58}
    assert values(ms, "二氧化氮浓度", year=2023, months="1-6") == {"顺庆区": 25, "嘉陵区": 22}


def test_three_row_headers_leave_two_row_headers_alone():
    p = Paragraph(0, 0, 1, "x", "x")
    cells = [Cell(t, p, 0, 1) for t in ["本月", "累计", "PM2.5", "PM10", "PM2.5", "PM10"]]
    kinds = ["own", "own", None, None, None, None]
    assert three_row_headers.flatten(cells, kinds, lambda t: t.startswith("PM")) == cells


def test_a_station_named_after_the_city_is_not_the_city():
    text = ("某市生态环境局 发布时间：2023-05-08\n2023年4月城区各监测站点浓度\n"
            "站点名称 | PM2.5 | PM10\n南充中学 | 25 | 44\n市监测站 | 22 | 40\n全市 | 23 | 42\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2023, months="4") == {"南充市": 23}


def test_a_total_row_merged_over_the_serial_column_keeps_its_columns():
    text = ("安徽省生态环境厅 发布日期：2023-09-12\n2023年8月各市空气质量\n"
            "| 序号 | 城市 | PM2.5（微克/立方米） | 优良天数比例（%） | 排名 |\n|---|---|---|---|---|\n"
            "| 1 | 黄山 | 12 | 100 | 1 |\n| 2 | 池州 | 18 | 96.8 | 2 |\n| 全省平均 | 20 | 93.1 | — |\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2023, months="8") == {"黄山市": 12, "池州市": 18, "安徽省": 20}
    assert values(ms, "优良天数比例", year=2023, months="8") == {"黄山市": 100, "池州市": 96.8, "安徽省": 93.1}


def test_rows_of_towns_are_no_figures_of_the_city():
    text = ("广安市生态环境局 发布时间：2023-10-09\n2023年9月各乡镇（街道）空气质量\n"
            "乡镇（街道） | PM2.5（μg/m³） | 排名\n北辰街道 | 14 | 1\n协兴镇 | 18 | 3\n全市 | 16 | /\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2023, months="9") == {"广安市": 16}


def test_year_columns_under_a_title_naming_the_indicator():
    text = ("温州市生态环境局 2025-02-12\n各区县PM2.5年均浓度对比（单位：微克/立方米）\n"
            "区县 | 2024年 | 2023年 | 变化幅度(%)\n鹿城区 | 25 | 27 | -7.4\n瓯海区 | 22 | 23 | -4.3\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2024, months="1-12") == {"鹿城区": 25, "瓯海区": 22}
    assert values(ms, "PM2.5浓度", year=2023, months="1-12") == {"鹿城区": 27, "瓯海区": 23}
    assert all(m.confidence >= 0.85 for m in ms if m.indicator == "PM2.5浓度")


def test_columns_apart_by_ideographic_spaces_under_a_区县市_header():
    text = ("2023年9月各区县市空气质量\n\n区县市　　PM2.5　　PM10\n鹿城区　　21　　　40\n瓯海区　　19　　　37\n"
            "龙湾区　　23　　　44\n")
    ms = read(text)
    assert values(ms, "PM10浓度", year=2023, months="9") == {"鹿城区": 40, "瓯海区": 37, "龙湾区": 44}


def test_goal_and_outcome_columns_of_the_indicator_the_title_names():
    text = ("浙江省生态环境厅 发布时间：2023-11-10\n2023年1-10月浙南城市PM2.5浓度与年度目标\n"
            "城市 | 2023年度目标（μg/m³） | 1-10月实际（μg/m³） | 距目标（μg/m³）\n"
            "温州 | 27 | 25 | -2\n丽水 | 24 | 25 | 1\n")
    ms = read(text)
    goals = {m.region: m.value for m in ms if m.indicator == "PM2.5浓度" and m.kind == "target"}
    assert goals == {"温州市": 27, "丽水市": 24}
    assert values(ms, "PM2.5浓度", year=2023, months="1-10") == {"温州市": 25, "丽水市": 25}


def test_two_rankings_side_by_side_under_a_row_of_group_cells():
    text = ("浙江省生态环境厅 发布时间：2023-09-08\n2023年8月城市优良天数比例前两名和后两名\n"
            "前两名 | | | 后两名 | |\n名次 | 城市 | 优良天数比例(%) | 名次 | 城市 | 优良天数比例(%)\n"
            "1 | 丽水 | 100 | 10 | 嘉兴 | 71.0 |\n2 | 衢州 | 96.8 | 11 | 湖州 | 67.7\n")
    ms = read(text)
    assert values(ms, "优良天数比例", year=2023, months="8") == {"丽水市": 100, "衢州市": 96.8, "嘉兴市": 71.0,
                                                               "湖州市": 67.7}


def test_a_row_of_indicators_over_space_aligned_measures():
    text = ("信阳市生态环境局 发布时间：2023-08-07\n2023年7月各县区空气质量\n"
            "           PM10               优良天数比例\n"
            "县区       浓度      同比      比例      同比\n"
            "罗山县     41        -6.8      93.5      +3.2\n"
            "光山县     44        2.3       90.3      -3.3\n"
            "商城县     37        -2.6      96.8      0.0\n")
    ms = read(text)
    assert values(ms, "PM10浓度", year=2023, months="7") == {"罗山县": 41, "光山县": 44, "商城县": 37}
    assert values(ms, "优良天数比例", year=2023, months="7") == {"罗山县": 93.5, "光山县": 90.3, "商城县": 96.8}


def test_rows_under_a_街道_乡镇_header_one_cell_a_line_are_no_city_figures():
    text = ("2023年7月份某市中心城区街道(乡镇)环境空气质量状况\n\n发布日期：2023-08-10\n\n"
            "7月份，宜春市中心城区PM2.5平均浓度为16微克每立方米。\n\n单位:微克每立方米\n\n"
            + "\n\n".join(["排名", "街道(乡镇)", "实际浓度", "1", "湖田镇", "12", "2", "南庙镇", "13", "3", "西村镇", "15",
                           "4", "秀江街道", "19"]) + "\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度") == {"宜春市": 16}
