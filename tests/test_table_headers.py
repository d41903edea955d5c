"""Tables whose header takes several rows, read through the real clean -> segment -> context ->
extract stages. The layouts reproduce what scraped county and plan tables look like (dev sets
valid_e, heldout_c, /work/realeval/dev_tables3); the words and the numbers are our own."""
from __future__ import annotations

from etl.clean import clean
from etl.extract import broken_headers, headers
from etl.segment import segment
from tests.reading import read


def values(metrics, indicator, **where) -> dict[str, float]:
    out = {}
    for m in metrics:
        if m.indicator == indicator and all(getattr(m, k) == v for k, v in where.items()):
            assert out.get(m.region, m.value) == m.value, f"two values for {m.region}"
            out[m.region] = m.value
    return out


# a county table of a prefecture: 平均浓度 spans four pollutants in the second header row, CO and O3
# and the share of good days span both rows, the index and rank close each row; a total row and
# a limits row; the last line is cut by the page inside its index cell
COUNTY_TABLE = """韶关市生态环境局
2021年5月，全市各县(市、区)环境空气质量综合指数排名如下。
表1 2021年5月各县(市、区)环境空气质量状况
县(市、区) | 平均浓度(μg/m3) | CO第95百分位数(mg/m3) | O3_8H第90百分位数(μg/m3) | 空气质量达标天数比例 | 综合质量指数 | 综指排名 |
SO2 | NO2 | PM10 | PM2.5 |
乳源瑶族自治县 | 6 | 10 | 27 | 15 | 0.8 | 101 | 100.0% | 2.01 | 1 |
始兴县 | 9 | 12 | 30 | 17 | 0.9 | 118 | 96.8% | 2.35 | 2 |
翁源县 | 11 | 16 | 39 | 22 | 1.0 | 140 | 90.3% | 2.93 | 3 |
全市 | 9 | 13 | 32 | 18 | 0.9 | 120 | 95.7% | 2.43 | |
二级标准 | 60 | 40 | 70 | 35 | 4.0 | 160 | — | — | — |
表2 2021年1~5月各县(市、区)环境空气质量状况
地区 | 平均浓度(μg/m3) | CO第95百分位数(mg/m3) | O3_8H第90百分位数(μg/m3) | 达标率 | 综合质量指数 | 综指排名 |
SO2 | NO2 | PM10 | PM2.5 |
乳源瑶族自治县 | 7 | 12 | 33 | 20 | 1.0 | 112 | 99.3% | 2.40 | 1 |
新设示范区 | 8 | 14 | 35 | 21 | 1.0 | 120 | 98.0% | 2.60 | 2 |
翁源县 | 12 | 17 | 41 | 26 | 1.1 | 131 | 95.4% | 2.99 | 3 |
始兴县 | 10 | 15 | 38 | 24 | 1.0 | 126 | 97.4% | 2"""


def test_a_group_label_spanning_four_columns_of_a_second_header_row():
    ms = read(COUNTY_TABLE)
    may = dict(year=2021, months="5")
    assert values(ms, "二氧化硫浓度", **may) == {"乳源瑶族自治县": 6, "始兴县": 9, "翁源县": 11, "韶关市": 9}
    assert values(ms, "PM2.5浓度", **may) == {"乳源瑶族自治县": 15, "始兴县": 17, "翁源县": 22, "韶关市": 18}
    assert values(ms, "一氧化碳浓度", **may)["翁源县"] == 1.0
    assert values(ms, "臭氧浓度", **may)["始兴县"] == 118
    assert values(ms, "优良天数比例", **may) == {"乳源瑶族自治县": 100, "始兴县": 96.8, "翁源县": 90.3,
                                                 "韶关市": 95.7}
    # the limits row, the composite index and the rank are no values
    assert not [m for m in ms if m.value in (60, 160, 2.01, 2.43) and m.months == "5"]


def test_second_table_bare_compliance_header_unknown_place_and_a_row_cut_by_the_page():
    ms = read(COUNTY_TABLE)
    ytd = dict(year=2021, months="1-5")
    # 达标率 beside air pollutant columns is the share of good days
    share = values(ms, "优良天数比例", **ytd)
    assert share["乳源瑶族自治县"] == 99.3 and share["翁源县"] == 95.4
    # a row label the gazetteer does not know is not the document's region: not read
    assert "韶关市" not in values(ms, "PM10浓度", **ytd)
    assert 35 not in values(ms, "PM10浓度", **ytd).values()
    # the cut last row: read from the left, its cut cell left out
    assert values(ms, "PM10浓度", **ytd)["始兴县"] == 38
    assert values(ms, "优良天数比例", **ytd)["始兴县"] == 97.4
    assert not [m for m in ms if m.value == 2 and m.months == "1-5"]


def test_a_header_that_does_not_fit_its_rows_is_not_read_shifted():
    # three upper cells and three lower ones cannot make the rows' seven columns under one group
    text = """表3 2022年8月各区空气质量
区县 | 浓度(μg/m3) | 优良天数比例(%) | 排名 |
PM10 | PM2.5 | O3 |
浈江区 | 30 | 18 | 120 | 96.8 | 2 | 9 |
武江区 | 28 | 16 | 110 | 100.0 | 1 | 8 |
曲江区 | 35 | 21 | 133 | 93.5 | 3 | 7 |
"""
    ms = read(text)
    assert not [m for m in ms if m.indicator_id]


def test_header_rows_kept_at_full_width_inherit_a_label_across_empty_cells():
    text = """表2 2023年各市水质与空气质量
城市 | 空气质量 | | 地表水 |
 | PM2.5(μg/m3) | 优良天数比例(%) | 优良水质断面比例(%) |
南雄市 | 24 | 95.1 | 100.0 |
仁化县 | 22 | 96.4 | 100.0 |
"""
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2023) == {"南雄市": 24, "仁化县": 22}
    assert values(ms, "优良天数比例", year=2023) == {"南雄市": 95.1, "仁化县": 96.4}


def test_combine_periods_over_indicators_and_footnote_marks():
    labels = headers.combine([["城市", "2023年1-6月", "2024年1-6月"], ["PM2.5", "优良率", "PM2.5", "优良率"]], 5,
                             lambda t: "PM" in t or "优良" in t, lambda t: t == "城市", lambda t: "排名" in t)
    assert labels == [("", "城市"), ("2023年1-6月", "PM2.5"), ("2023年1-6月", "优良率"),
                      ("2024年1-6月", "PM2.5"), ("2024年1-6月", "优良率")]
    # a group that does not divide the lower cells evenly: no reading
    assert headers.combine([["城市", "2023年", "2024年"], ["PM2.5", "优良率", "PM2.5"]], 4,
                           lambda t: "PM" in t or "优良" in t, lambda t: t == "城市", lambda t: False) is None
    assert headers.plain("地级及以上城市2空气质量优良天数比率(%)") == "地级及以上城市空气质量优良天数比率(%)"
    assert headers.plain("第3名") == "第3名" and headers.plain("Ⅲ类3类") == "Ⅲ类3类"


# a forum repost of a plan's indicator table: bars at odd places, anti-copy jammer scraps at the
# ends of lines and glued to cells, a full stop for the decimal point, footnote digits in names
FORUM_PLAN = """专栏2 “十四五”某某省生态环境主要指标z1 K; q& 7m P( w0 e! ]
|
指标L3 h. r9 {% x1 U* 8c
| 2020年
2 k. W% j5 ]' t0 y8 | 2025年
s( 4v B! e9 x, ]0 | 〔累计〕1
| 属性
d7 '6 h$ k0 ^. r1 |
环境质量
|
1。大气
h3 W, k! 5t d( q2 | 设区市2空气质量优良天数比率(%)6 v. ]$ x: k7 W
| 88。4
| >90; n5 ]2 U) c& 1k q
| -
| 约束性
|
细颗粒物浓度下降(%)
| -
| -
| 〔10〕
| 约束性
|
2。水
| 地表水质量3达到或好于Ⅲ类水体比例(%)
| 84。6
| 87左右
| -
| 约束性
|
地表水质量劣Ⅴ类水体比例(%)
| 1。2
| <1
| -
| 约束性
"""


def test_a_plan_table_reposted_with_forum_noise():
    ms = read(FORUM_PLAN)
    assert {(m.indicator, m.year, m.kind, m.value, m.qualifier) for m in ms if m.indicator_id} == {
        ("优良天数比例", 2020, "actual", 88.4, ""), ("优良天数比例", 2025, "target", 90, ">="),
        ("地表水优良水质断面比例", 2020, "actual", 84.6, ""), ("地表水优良水质断面比例", 2025, "target", 87, "~"),
        ("劣Ⅴ类断面比例", 2020, "actual", 1.2, ""), ("劣Ⅴ类断面比例", 2025, "target", 1, "<=")}


def test_a_plan_table_one_cell_a_line_and_a_comparison_table_without_goals():
    cells = ["指标", "2020年", "2025年", "属性", "空气质量优良天数比率(%)", "90.2", "≥91", "约束性",
             "PM2.5浓度(微克/立方米)", "31", "28", "约束性", "近岸海域水质优良(一、二类)比例(%)", "96.0", "96左右", "预期性"]
    ms = read("某市生态环境保护规划主要指标\n" + "\n".join(c + " |" for c in cells) + "\n")
    got = {(m.indicator, m.year, m.kind, m.value) for m in ms if m.indicator_id}
    assert got == {("优良天数比例", 2020, "actual", 90.2), ("优良天数比例", 2025, "target", 91),
                   ("PM2.5浓度", 2020, "actual", 31), ("PM2.5浓度", 2025, "target", 28),
                   ("近岸海域水质优良比例", 2020, "actual", 96), ("近岸海域水质优良比例", 2025, "target", 96)}
    # two years compared in a review, no 属性 column and no plan in the title: both are levels
    review = ["指标", "2022年", "2023年", "空气质量优良天数比率(%)", "86.1", "88.0", "PM2.5浓度(微克/立方米)", "33", "30"]
    ms = read("某市两年环境质量对比\n" + "\n".join(c + " |" for c in review) + "\n")
    assert {(m.year, m.kind, m.value) for m in ms if m.indicator == "PM2.5浓度"} == {(2022, "actual", 33),
                                                                                    (2023, "actual", 30)}


def test_jammer_scraps_are_cleaned_and_ordinary_text_is_not():
    assert clean("| 76。7' t. {( b; u0 S5 ?: ^\n").text.strip() == "| 76。7'"
    for text in ["1 2 3 4 5 6 7", "SO2 NO2 PM10 PM2.5 CO O3", "- | - | - | - | - | - |", "A B C D E F G",
                 "1. 2. 3. 4. 5."]:
        line = f"表中依次为 {text} 等项"  # (a line without Chinese is dropped as chrome anyway)
        assert clean(line + "\n").text.strip() == line


def test_a_two_row_header_flattened_one_cell_a_line_is_not_read_shifted():
    # the county table's first part with every cell on a line of its own: the rows hold nine
    # cells after their label, the header ten names; the one upper cell naming a group, not an
    # indicator ('平均浓度(μg/m3)'), spans the lower cells (SO2 | NO2 | PM10 | PM2.5): 10 - 1 + 4
    # upper and lower cells make the rows' nine columns, read in their real order
    table = COUNTY_TABLE.split("表2")[0].split("\n")[3:9]
    cells = [c.strip() for line in table for c in line.split("|") if c.strip()]
    text = "表1 2021年5月各县(市、区)环境空气质量状况\n" + "\n".join(cells) + "\n"
    ms = read(text)
    got = {(m.indicator, m.region): m.value for m in ms if m.indicator_id and m.region == "始兴县"}
    assert got == {("二氧化硫浓度", "始兴县"): 9, ("二氧化氮浓度", "始兴县"): 12, ("PM10浓度", "始兴县"): 30,
                   ("PM2.5浓度", "始兴县"): 17, ("一氧化碳浓度", "始兴县"): 0.9, ("臭氧浓度", "始兴县"): 118,
                   ("优良天数比例", "始兴县"): 96.8}
    assert not [m for m in ms if m.value in (60, 40, 70, 160)]  # the standard's row


def test_rows_ending_in_an_empty_cell_or_a_bar_too_many_fit_their_header():
    text = """表4 2022年各区县空气质量
区县 | PM2.5(μg/m3) | 优良天数比例(%) |
浈江区 | 26 | 94.2 | |
武江区 | 24 | 95.6 | |
曲江区 | 29 | 91.0 | |
"""
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2022) == {"浈江区": 26, "武江区": 24, "曲江区": 29}


def test_a_plan_table_with_serial_numbers_and_a_unit_column():
    text = """表1 某市“十四五”生态环境保护规划指标
序号 | 指标 | 单位 | 2020年 | 2025年 | 指标属性
1 | 细颗粒物(PM2.5)浓度 | 微克/立方米 | 33 | 30 | 约束性
2 | 空气质量优良天数比率 | % | 87.2 | 88.5 | 约束性
3 | 地表水达到或好于Ⅲ类水体比例 | % | 80 | 85 | 约束性
"""
    ms = read(text)
    got = {(m.indicator, m.year, m.kind, m.value) for m in ms if m.indicator_id}
    assert got == {("PM2.5浓度", 2020, "actual", 33), ("PM2.5浓度", 2025, "target", 30),
                   ("优良天数比例", 2020, "actual", 87.2), ("优良天数比例", 2025, "target", 88.5),
                   ("地表水优良水质断面比例", 2020, "actual", 80), ("地表水优良水质断面比例", 2025, "target", 85)}


def test_period_groups_over_indicator_columns_and_a_change_group():
    text = """表5 各市上半年空气质量对比
城市 | 2023年1-6月 | 2024年1-6月 | 变化 |
PM2.5(μg/m3) | 优良天数比例(%) | PM2.5(μg/m3) | 优良天数比例(%) | PM2.5(%) | 优良天数比例(百分点) |
南雄市 | 27 | 93.1 | 25 | 95.0 | -7.4 | 1.9 |
仁化县 | 25 | 94.5 | 24 | 96.1 | -4.0 | 1.6 |
乐昌市 | 30 | 90.2 | 28 | 92.8 | -6.7 | 2.6 |
"""
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2023, months="1-6", kind="actual") == {"南雄市": 27, "仁化县": 25, "乐昌市": 30}
    assert values(ms, "PM2.5浓度", year=2024, months="1-6", kind="actual") == {"南雄市": 25, "仁化县": 24, "乐昌市": 28}
    assert values(ms, "优良天数比例", year=2024, months="1-6", kind="actual")["乐昌市"] == 92.8
    assert not [m for m in ms if m.kind == "actual" and m.value in (7.4, 1.9, 4.0, 1.6)]


def test_a_first_row_without_figures_is_no_header_row():
    text = """表6 2022年各区县空气质量
区县 | PM2.5(μg/m3) | 优良天数比例(%) |
浈江区 | - | - |
武江区 | 24 | 95.6 |
曲江区 | 29 | 91.0 |
"""
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2022) == {"武江区": 24, "曲江区": 29}


def test_periods_over_a_measure_and_its_rank_one_row_a_line():
    # '|' rows one a line; the upper row's 本月 and 上年同期 each span a measure and its rank, the
    # change spans rows; the lower row starts under the label columns with empty cells, or not
    upper = "序号 | 区县 | 本月 | 上年同期 | 与上年同期变化(百分点)\n"
    rows = ("1 | 岚皋县 | 96.6 | 2 | 93.1 | 1 | 3.5\n2 | 平利县 | 100 | 1 | 89.7 | 2 | 10.3\n"
            "3 | 镇坪县 | 93.1 | 3 | 86.2 | 3 | 6.9\n")
    for lower in (" |  | 优良天数比例(%) | 排名 | 优良天数比例(%) | 排名 |\n", "优良天数比例(%) | 排名 | 优良天数比例(%) | 排名\n"):
        ms = read("2024年2月安康市空气质量月报\n各区县优良天数比例\n" + upper + lower + rows)
        assert values(ms, "优良天数比例", year=2024, months="2") == {"岚皋县": 96.6, "平利县": 100, "镇坪县": 93.1}
        assert values(ms, "优良天数比例", year=2023, months="2") == {"岚皋县": 93.1, "平利县": 89.7, "镇坪县": 86.2}
        assert not [m for m in ms if m.value in (3.5, 10.3, 6.9)]


def test_header_rows_whose_bars_stand_for_empty_cells_under_spanning_cells():
    # the flattener wrote a spanning cell once and an empty cell beside it; the lower row opens on
    # an empty cell under the row labels' column, or leaves it out
    for lower in (" | 2022年1-9月 | 2021年1-9月 | 2022年1-9月 | 2021年1-9月", "2022年1-9月 | 2021年1-9月 | 2022年1-9月 | 2021年1-9月"):
        text = ("表3 2022年1-9月各县空气质量\n县(市、区) | PM2.5(μg/m3) | | 优良天数比例(%) |\n" + lower + "\n"
                "南雄市 | 24 | 27 | 95.1 | 92.0\n仁化县 | 22 | 25 | 96.4 | 93.3\n")
        ms = read(text)
        assert values(ms, "PM2.5浓度", year=2022, months="1-9") == {"南雄市": 24, "仁化县": 22}
        assert values(ms, "PM2.5浓度", year=2021, months="1-9") == {"南雄市": 27, "仁化县": 25}
        assert values(ms, "优良天数比例", year=2021, months="1-9") == {"南雄市": 92.0, "仁化县": 93.3}
    assert headers.padded(["城市 | 空气质量 | | 地表水 |", " | PM2.5 | 优良率 | 断面 |"], 4) == [
        ["城市", "空气质量", "", "地表水"], ["", "PM2.5", "优良率", "断面"]]


def test_a_header_line_broken_in_two_by_the_page():
    rows = "南雄市 | 24 | 95.1 | 3.10\n仁化县 | 22 | 96.4 | 2.95\n"
    for head in ("县(市、区) | PM2.5浓度(μg/m3) | 优良天数\n比例(%) | 综合指数\n",    # inside a cell
                 "县(市、区) | PM2.5浓度\n(μg/m3) | 优良天数比例(%) | 综合指数\n"):   # before its unit
        ms = read("表2 2023年5月各县空气质量\n" + head + rows)
        assert values(ms, "PM2.5浓度", year=2023, months="5") == {"南雄市": 24, "仁化县": 22}
        assert values(ms, "优良天数比例", year=2023, months="5") == {"南雄市": 95.1, "仁化县": 96.4}
    # a lower header row naming indicators is no broken line
    assert len(broken_headers.rejoin(segment(clean("县 | 空气质量 | 水质\nPM2.5 | 优良率\n甲县 | 24 | 95.1 | 100\n")))[1]) == 0
