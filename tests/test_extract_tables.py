"""Text tables as real pages show them, read through the real clean -> segment -> context ->
extract stages. The layouts and their debris reproduce what scraped report pages look like
(dev set /work/realeval/dev_tables); the words and the numbers are our own."""
from __future__ import annotations

from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.segment import segment


def read(text: str, title: str | None = None):
    paragraphs = segment(clean(text))
    ctx = document_context(paragraphs, title)
    return extract(paragraphs, ctx), paragraphs


def values(metrics, indicator, **where) -> dict[str, float]:
    """{region: value} of the indicator's metrics matching `where`."""
    out = {}
    for m in metrics:
        if m.indicator == indicator and all(getattr(m, k) == v for k, v in where.items()):
            # the same value may be read twice (a table's total row and a sentence saying it again)
            assert out.get(m.region, m.value) == m.value, f"two values for {m.region}: {out[m.region]} and {m.value}"
            out[m.region] = m.value
    return out


def test_a_table_flattened_one_cell_per_line_with_a_total_row():
    # a traditional-script repost: the header cells, then each city's cells, one a line,
    # with blank lines between them; '-' for a total's empty rank; spam above the title
    cells = ["城市", "可吸入顆粒物(PM10)月均濃度(微克/立方米)", "細顆粒物(PM2.5)月均濃度(微克/立方米)",
             "綜合指數", "排名", "達標天數比例(%)",
             "韶關", "41", "27", "3.40", "2", "93.5%",
             "河源", "36", "20", "2.71", "1", "100.0%",
             "清遠", "48", "31", "3.92", "3", "87.1%",
             "全省", "40", "24", "-", "-", "92.0%"]
    text = ("免费看片-在线精品-高清无码\n\n廣東省城市環境空氣質量狀況\n\n(2019年6月)\n\n"
            "表1  2019年6月全省城市環境空氣質量狀況\n\n" + "\n\n".join(cells) + "\n\n二、簡要評述\n\n"
            "6月全省各城市空氣質量達標天數比例平均為92.0%。\n")
    ms, _ = read(text)
    assert values(ms, "PM10浓度", year=2019, months="6") == {"韶关市": 41, "河源市": 36, "清远市": 48, "广东省": 40}
    assert values(ms, "PM2.5浓度", year=2019, months="6") == {"韶关市": 27, "河源市": 20, "清远市": 31, "广东省": 24}
    share = values(ms, "优良天数比例", year=2019, months="6")
    assert share["韶关市"] == 93.5 and share["河源市"] == 100 and share["广东省"] == 92
    assert not [m for m in ms if m.value in (2, 3) and m.indicator_id]  # ranks and indices are not values


def test_bar_debris_after_each_cell_and_an_average_row():
    lines = ["县(市、区) |", "二氧化硫(μg/m3) |", "细颗粒物(μg/m3) |", "综合指数 |", "优良天(天) |",
             "任城区 |", "21 |", "52 |", "5.80 |", "22 |",
             "高新区 |", "23 |", "57 |", "6.10 |", "20 |",  # a name the gazetteer cannot place: skipped
             "曲阜市 |", "19 |", "61 |", "6.20 |", "19 |",
             "均值 |", "21 |", "56 |", "6.03 |", "20 |"]
    text = "2023年11月济宁市各县(市、区)环境空气质量情况\n全市大气污染物浓度一览表\n" + "\n".join(lines) + "\n"
    ms, paragraphs = read(text, title="济宁市2023年11月环境空气质量")
    assert values(ms, "PM2.5浓度", year=2023, months="11") == {"任城区": 52, "曲阜市": 61, "济宁市": 56}
    assert values(ms, "二氧化硫浓度", year=2023, months="11") == {"任城区": 21, "曲阜市": 19, "济宁市": 21}
    assert values(ms, "优良天数", year=2023, months="11") == {"任城区": 22, "曲阜市": 19, "济宁市": 20}
    assert not values(ms, "优良天数比例")
    for m in ms:  # every value points at its own cell
        assert paragraphs[m.paragraph_seq].text[m.para_start:m.para_end] == m.value_text


def test_two_rankings_side_by_side_on_one_line_with_ties_and_the_title_in_front():
    text = ("各市(区)6月空气质量排名见表1。\n"
            "表1 2021年6月各市(区)环境空气质量排名 优良天数比例(%)排名 | PM2.5月均浓度(μg/m3)排名 | "
            "1 | 兴化市 | 93.3% | 1 | 靖江市 | 18 | 2 | 海陵区 | 90.0% | 2 | 兴化市 | 20 | "
            "泰兴市 | 90.0% | 姜堰区 | 20 | 4 | 靖江市 | 86.7% | 4 | 海陵区 | 23 |\n"
            "2021年1~6月各市(区)排名见表2。 表2 2021年1~6月各市(区)环境空气质量排名 优良天比例(%)排名 | "
            "PM2.5平均浓度(μg/m3)排名 | 1 | 靖江市 | 80.1% | 1 | 靖江市 | 33 | 2 | 兴化市 | 78.5% | 兴化市 | 33 |\n")
    ms, _ = read(text)
    assert values(ms, "优良天数比例", year=2021, months="6") == {"兴化市": 93.3, "海陵区": 90.0, "泰兴市": 90.0,
                                                             "靖江市": 86.7}
    assert values(ms, "PM2.5浓度", year=2021, months="6") == {"靖江市": 18, "兴化市": 20, "姜堰区": 20, "海陵区": 23}
    assert values(ms, "优良天数比例", year=2021, months="1-6") == {"靖江市": 80.1, "兴化市": 78.5}
    assert values(ms, "PM2.5浓度", year=2021, months="1-6") == {"靖江市": 33, "兴化市": 33}


def test_a_two_row_header_and_a_group_cell_spanning_rows():
    lines = ["区域 |", "市(州) |", "PM2.5 |", "优良天数率 |", "重污染天数 |", "|||||",
             "浓度 (μg/m3) |", "同比 2022年 |", "实测值(%) |", "同比 2022年 (百分点) |", "重污染天数 |",
             "同比2022年(天) |", "||",
             "川南地区 |", "自贡市 |", "41.2 |", "-6.1% |", "80.4 |", "2.2 |", "4 |", "-1 |", "|",
             "泸州市 |", "38 |", "-3.0% |", "84 |", "-1.5 |", "2 |", "0 |", "|",
             "宜宾市 |", "40.5 |", "2.1% |", "79.9 |", "0.4 |", "3 |", "1 |"]
    text = ("图1 2023年1-10月全省优良天数率及同比变化\n表2 2023年1-10月全省PM2.5、优良天数率变化情况\n"
            + "\n".join(lines) + "\n")
    ms, _ = read(text, title="四川省2023年1-10月环境空气质量状况")
    assert values(ms, "PM2.5浓度", year=2023, months="1-10") == {"自贡市": 41.2, "泸州市": 38, "宜宾市": 40.5}
    assert values(ms, "优良天数比例", year=2023, months="1-10") == {"自贡市": 80.4, "泸州市": 84, "宜宾市": 79.9}
    assert values(ms, "重污染天数", year=2023, months="1-10") == {"自贡市": 4, "泸州市": 2, "宜宾市": 3}
    assert all(m.kind == "actual" for m in ms if m.indicator_id)
    assert not [m for m in ms if m.value_text.lstrip("-") in ("6.1", "3.0", "2.2", "1.5", "0.4")]  # changes


def test_unit_from_the_title_days_column_serial_numbers_and_empty_cells():
    text = ("表3 2022年1-12月各县优良天数统计(单位:天)\n"
            "序号 | 县(区) | 优良天数 | 重污染天数\n"
            "1 | 隆德县 | 351 | 0\n2 | 泾源县 | 355 | —\n3 | 西吉县 | / | 1\n")
    ms, _ = read(text, title="固原市2022年环境质量")
    assert values(ms, "优良天数", year=2022) == {"隆德县": 351, "泾源县": 355}
    assert values(ms, "重污染天数", year=2022) == {"隆德县": 0, "西吉县": 1}
    assert not values(ms, "优良天数比例")
    assert not [m for m in ms if m.value in (2, 3) and m.indicator_id]  # serial numbers


def test_two_rankings_side_by_side_one_row_a_line():
    text = ("2020年1-12月168个重点城市空气质量排名(前3位与后3位)\n"
            "排名 | 城市 | PM2.5浓度(微克/立方米) | 排名 | 城市 | PM2.5浓度(微克/立方米)\n"
            "1 | 海口 | 12 | 168 | 安阳 | 60\n2 | 拉萨 | 11 | 167 | 石家庄 | 58\n3 | 舟山 | 15 | 166 | 太原 | 48\n")
    ms, _ = read(text)
    assert values(ms, "PM2.5浓度", year=2020) == {"海口市": 12, "拉萨市": 11, "舟山市": 15, "安阳市": 60,
                                                 "石家庄市": 58, "太原市": 48}


def test_tab_separated_rows():
    text = ("表1 2024年3月各区空气质量\n区县\tPM10(μg/m3)\t优良天数比例(%)\n"
            "和平区\t61\t90.3\n南开区\t66\t87.1\n")
    ms, _ = read(text, title="天津市2024年3月空气质量")
    assert values(ms, "PM10浓度", year=2024, months="3") == {"和平区": 61, "南开区": 66}
    assert values(ms, "优良天数比例", year=2024, months="3") == {"和平区": 90.3, "南开区": 87.1}


def test_a_water_table_of_grades_gives_no_values():
    cells = ["责任城市 |", "序号 |", "交接断面 |", "水质目标 |", "水质类别 |", "达标 |",
             "广州 |", "1 |", "白沙(涨) |", "Ⅱ |", "Ⅲ |", "未达标 |",
             "|", "2 |", "江村 |", "Ⅲ |", "Ⅲ |", "达标 |",
             "深圳 |", "1 |", "河口 |", "Ⅲ |", "劣Ⅴ |", "未达标 |"]
    text = "表1 2018年5月广东省跨市河流交接断面水质状况 |\n|||||||\n" + "\n".join(cells) + "\n"
    ms, _ = read(text)
    assert not [m for m in ms if m.indicator_id]


def test_best_and_worst_lists_side_by_side_under_a_spanning_header():
    text = ("表2 2022年1-12月168个重点城市空气质量排名\n前3位 | 后3位\n"
            "排名 | 城市 | PM2.5浓度(微克/立方米) | 排名 | 城市 | PM2.5浓度(微克/立方米)\n"
            "1 | 拉萨 | 10 | 166 | 临汾 | 52\n2 | 海口 | 13 | 167 | 安阳 | 55\n3 | 黄山 | 19 | 168 | 邯郸 | 50\n")
    ms, _ = read(text)
    assert values(ms, "PM2.5浓度", year=2022) == {"拉萨市": 10, "海口市": 13, "黄山市": 19, "临汾市": 52,
                                                 "安阳市": 55, "邯郸市": 50}


def test_rows_separated_by_spaces_as_a_pdf_gives_them():
    text = ("三、2023年各城市空气质量状况\n表4 2023年1-12月各城市主要指标\n"
            "序号 城市 PM2.5(μg/m3) PM10(μg/m3) 优良天数比例(%)\n"
            "1 银川市 31 62 82.5\n2 石嘴山市 33 70 79.2\n3 吴忠市 29 58 85.8\n"
            "全区平均 全区 31 63 83.0\n"
            "全区各城市空气质量均有改善,其中吴忠市改善最为明显。\n")
    ms, _ = read(text, title="宁夏回族自治区2023年环境质量状况")
    assert values(ms, "PM10浓度", year=2023, months="1-12") == {"银川市": 62, "石嘴山市": 70, "吴忠市": 58,
                                                                 "宁夏回族自治区": 63}
    assert values(ms, "优良天数比例", year=2023)["吴忠市"] == 85.8


def test_prose_with_spaces_is_not_a_table():
    text = ("2023 年 全市 PM2.5 平均浓度 为 31 微克/立方米\n2023 年 全市 PM10 平均浓度 为 62 微克/立方米\n"
            "2023 年 全市 优良天数比例 为 82.5 %\n")
    ms, _ = read(text, title="银川市2023年环境质量状况")
    assert values(ms, "PM2.5浓度", year=2023) == {"银川市": 31}


def test_a_long_table_on_one_line_is_cut_between_cells():
    cities = ["海口", "拉萨", "舟山", "厦门", "黄山", "福州", "丽水", "贵阳", "深圳", "台州", "雅安", "惠州",
              "遂宁", "珠海", "昆明", "南宁", "温州", "内江", "广安", "衢州", "宁德", "莆田", "泉州", "漳州",
              "三明", "南平", "龙岩", "江门", "中山", "肇庆"]
    cells = " | ".join(f"{i + 1} | {c} | {10 + i}" for i, c in enumerate(cities))
    text = f"表1 2023年1-12月重点城市PM2.5浓度排名 排名 | 城市 | PM2.5浓度(μg/m3) | {cells} |\n"
    ms, paragraphs = read(text)
    assert len(paragraphs) > 1  # longer than a passage: cut, but only between cells
    assert all(p.text.rstrip().endswith("|") for p in paragraphs)
    got = values(ms, "PM2.5浓度", year=2023)
    assert len(got) == len(cities) and got["海口市"] == 10 and got["肇庆市"] == 39


def test_percent_cells_and_last_years_figure_in_parentheses():
    text = ("2024年5月及同期各区县空气质量(括号内为上年同期)\n"
            "区县 | 优良天数比例 | PM2.5(μg/m3)\n"
            "沂源县 | 93.5% | 28(31)\n博山区 | 90.3% | 30(33)\n")
    ms, paragraphs = read(text, title="淄博市2024年5月空气质量")
    assert values(ms, "优良天数比例", year=2024, months="5") == {"沂源县": 93.5, "博山区": 90.3}
    assert values(ms, "PM2.5浓度", year=2024, months="5") == {"沂源县": 28, "博山区": 30}
    for m in ms:
        assert paragraphs[m.paragraph_seq].text[m.para_start:m.para_end] == m.value_text


def test_cells_with_their_own_unit_and_a_spaced_header():
    lines = ["表2 2022年12月各市主要污染物浓度", "城 市 |", "PM2.5 |", "一氧化碳 |",
             "开封 |", "61μg/m3 |", "1.2mg/m3 |", "洛阳 |", "58μg/m3 |", "1.4mg/m3 |",
             "平顶山 |", "66μg/m3 |", "—— |"]
    ms, _ = read("\n".join(lines) + "\n", title="河南省2022年12月环境空气质量")
    assert values(ms, "PM2.5浓度", year=2022, months="12") == {"开封市": 61, "洛阳市": 58, "平顶山市": 66}
    assert values(ms, "一氧化碳浓度", year=2022, months="12") == {"开封市": 1.2, "洛阳市": 1.4}


def test_one_row_a_year_flattened_one_cell_per_line():
    lines = ["表5 银川市主要污染物年均浓度变化", "年份 |", "PM2.5(μg/m3) |", "PM10(μg/m3) |", "优良天数比例(%) |",
             "2021年 |", "32 |", "70 |", "81.6 |", "2022年 |", "30 |", "66 |", "83.0 |",
             "2023年 |", "29 |", "64 |", "84.4 |"]
    ms, _ = read("\n".join(lines) + "\n", title="银川市环境质量变化")
    assert {(m.year, m.value) for m in ms if m.indicator == "PM10浓度" and m.region == "银川市"} == \
        {(2021, 70), (2022, 66), (2023, 64)}
    assert {(m.year, m.value) for m in ms if m.indicator == "优良天数比例"} == {(2021, 81.6), (2022, 83), (2023, 84.4)}


def test_a_rank_column_named_after_an_indicator_is_not_that_indicator():
    lines = ["表1 2022年9月各县环境空气质量", "县(区) |", "PM2.5(μg/m3) |", "PM2.5排名 |", "优良天数比例(%) |",
             "优良天数比例排名 |", "隆德县 |", "12 |", "2 |", "96.7 |", "1 |", "泾源县 |", "9 |", "1 |", "93.3 |", "2 |"]
    ms, _ = read("\n".join(lines) + "\n", title="固原市2022年9月环境空气质量")
    assert values(ms, "PM2.5浓度", year=2022, months="9") == {"隆德县": 12, "泾源县": 9}
    assert values(ms, "优良天数比例", year=2022, months="9") == {"隆德县": 96.7, "泾源县": 93.3}


def _period_table(rows, lower=("甲级", "乙级"), blank="|"):
    """A county's half-year table scraped one cell per line: an upper header row whose second
    '达标天数' spans a lower row (甲级 | 乙级) after an empty line, then one row a period."""
    upper = ["项目 |", "达标天数 |", "达标天数 |", "优良天数占全部监测天数百分比 |", "PM2.5 均值ug/m3 |",
             "NO2 均值ug/m3 |", "CO第95百分位mg/m3 |", "综合指数 |"]
    lines = upper + [blank] + [f"{w} |" for w in lower] + ["|||||||"]
    for label, cells in rows:
        lines += [f"{label} |"] + [f"{c} |" for c in cells]
    return ("一、空气\n青川县城区空气自动站全天监测六项指标。上半年共计监测了181天,结果见下表:\n"
            + "\n".join(lines) + "\n二、水\n河流断面水质保持稳定。\n")


def test_a_table_whose_rows_are_periods_under_a_two_level_header():
    text = _period_table([("2022上半年监测数据", ["168", "70", "98", "92.8", "31", "17", "1.2", "3.10"]),
                          ("2023上半年监测数据", ["175", "81", "94", "96.7", "27", "16", "1.1", "2.95"]),
                          ("同期相比", ["增加7天", "增加11天", "减少4天", "增加3.9%", "下降12.9%",
                                        "下降5.9%", "下降8.3%", "下降4.8%"])])
    ms, _ = read(text)
    assert values(ms, "优良天数", year=2023, months="1-6") == {"青川县": 175}
    assert values(ms, "优良天数比例", year=2023, months="1-6") == {"青川县": 96.7}  # a share word: %
    assert values(ms, "PM2.5浓度", year=2023, months="1-6") == {"青川县": 27}
    assert values(ms, "二氧化氮浓度", year=2022, months="1-6") == {"青川县": 17}
    assert values(ms, "一氧化碳浓度", year=2022, months="1-6") == {"青川县": 1.2}
    # the lower row's parts (甲级, 乙级 days) are not the whole; the comparison row is no level
    assert not [m for m in ms if m.indicator_id and m.value in (70, 98, 81, 94)]
    assert not [m for m in ms if m.indicator_id and m.kind == "change"]
    assert not [m for m in ms if m.value in (12.9, 5.9, 8.3)]


def test_a_period_table_whose_header_cannot_be_aligned_is_refused():
    # the lower header row has three cells under a label written twice: one column too many
    text = _period_table([("2022上半年监测数据", ["168", "70", "98", "92.8", "31", "17", "1.2", "3.10"]),
                          ("2023上半年监测数据", ["175", "81", "94", "96.7", "27", "16", "1.1", "2.95"])],
                         lower=("甲级", "乙级", "丙级"))
    ms, _ = read(text)
    assert not [m for m in ms if m.value in (96.7, 27, 16, 1.1)]


def test_a_county_row_under_a_lower_header_repeating_level_status_change():
    # a county monthly note: the year only in the table's caption below the prose; the county
    # is written without 县 in its row; a month cell after it; under each pollutant of the upper
    # row the lower row repeats 均值 | 达标状况 | 同比; a remark column last
    upper = ["|", "县区 名称 |", "细颗粒物(PM2.5) |", "二氧化氮(NO2) |", "一氧化碳(CO)(第95百分位) |", "备注 |",
             "||||||||"]
    lower = ["|", "均值μg/ m3 |", "达标 状况 |", "同比 |", "均值μg/ m3 |", "达标 状况 |", "同比 |",
             "均值mg/ m3 |", "达标 状况 |", "同比 |", "||||"]
    row = ["|", "佛坪 |", "10月 |", "31 |", "达标 |", "改善 |", "17 |", "达标 |", "持平 |", "0.8 |", "达标 |",
           "变差 |", "自动站 |", "||"]
    text = ("一、空气\n10月份,佛坪县城区自动监测六项指标。\n细颗粒物:10月份月均浓度较去年同期下降2μg/m3。\n"
            "表1 2024年10月全县环境空气主要污染物浓度表\n" + "\n".join(upper + lower + row) + "\n")
    ms, _ = read(text)
    assert values(ms, "PM2.5浓度", year=2024, months="10", kind="actual") == {"佛坪县": 31}
    assert values(ms, "二氧化氮浓度", year=2024, months="10", kind="actual") == {"佛坪县": 17}
    assert values(ms, "一氧化碳浓度", year=2024, months="10", kind="actual") == {"佛坪县": 0.8}
    assert not [m for m in ms if m.indicator_id and m.value == 10]  # the month cell is no value


def _group_header_table(rows):
    """A county table scraped one cell per line with blank lines between cells: the upper header
    row first ('平均浓度(μg/m3)' spans SO2 | NO2 | PM2.5, the other upper cells span both rows),
    then the lower row, written last."""
    header = ["县(市、区)", "平均浓度(μg/m3)", "CO第95百分位数(mg/m3)", "空气质量达标天数比例", "综合质量指数",
              "综指排名", "SO2", "NO2", "PM2.5"]
    cells = header + [c for row in rows for c in row] + ["二级标准", "60", "40", "35", "4.0"]
    return ("某市各县(市、区)空气质量\n\n表1  2022年3月各县(市、区)环境空气质量状况\n\n" + "\n\n".join(cells)
            + "\n\n备注:数据为实况数据。\n")


def test_a_group_header_cell_whose_lower_cells_come_after_the_upper_row():
    ms, _ = read(_group_header_table([
        ["连南瑶族自治县", "6", "11", "15", "0.7", "100.0%", "1.88", "1"],
        ["英德市", "9", "20", "21", "1.1", "95.2%", "2.71", "3"],
        ["连州市", "8", "13", "17", "0.9", "96.8%", "2.20", "2"]]))
    assert values(ms, "二氧化硫浓度", year=2022, months="3") == {"连南瑶族自治县": 6, "英德市": 9, "连州市": 8}
    assert values(ms, "PM2.5浓度", year=2022, months="3") == {"连南瑶族自治县": 15, "英德市": 21, "连州市": 17}
    assert values(ms, "一氧化碳浓度", year=2022, months="3") == {"连南瑶族自治县": 0.7, "英德市": 1.1, "连州市": 0.9}
    assert values(ms, "优良天数比例", year=2022, months="3") == {"连南瑶族自治县": 100, "英德市": 95.2, "连州市": 96.8}
    assert not [m for m in ms if m.value in (60, 40)]  # the standard's row is no place


def test_two_rows_one_cell_short_of_the_header_are_refused_not_read_shifted():
    # a lower row of four cells (PM10 added) but rows of seven values: three rows (two gaps
    # between labels), all one cell short of the header's eight columns
    ms, _ = read(_group_header_table([
        ["连南瑶族自治县", "6", "11", "0.7", "100.0%", "1.88", "1", "3"],
        ["英德市", "9", "20", "1.1", "95.2%", "2.71", "3", "2"],
        ["连州市", "8", "13", "0.9", "96.8%", "2.20", "2", "1"]]).replace("\n\nPM2.5", "\n\nPM2.5\n\nPM10"))
    assert not [m for m in ms if m.indicator_id and m.region in ("连南瑶族自治县", "英德市", "连州市")]


def test_a_division_left_out_of_the_gazetteer_is_a_place_as_a_whole_row_label():
    # 清新区 is not matched in prose (空气清新区域); as a table's whole row label it is the district
    text = ("2020年8月清远市各县(市、区)空气质量\n县(市、区) | PM2.5(μg/m3) | 优良天数比例(%)\n"
            "清城区 | 21 | 90.3\n清新區 | 19 | 93.5\n英德市 | 24 | 88.1\n")
    ms, _ = read(text)
    assert values(ms, "PM2.5浓度", year=2020, months="8") == {"清城区": 21, "清新区": 19, "英德市": 24}
    prose, _ = read("2020年8月,清远市空气清新区域扩大,PM2.5浓度为22μg/m3。\n")
    assert prose and "清新区" not in {m.region for m in prose}


def test_columns_of_last_years_levels_and_of_last_month():
    # a pipe table whose columns pair this year's level with last year's ('去年同期…'), and the
    # same table one cell a line with a 上月 column: last year's levels take the year before, last
    # month's are not read
    rows = "县区 | PM2.5(μg/m3) | 去年同期PM2.5(μg/m3) | 优良天数比例(%) | 上年同期优良天数比例(%)\n" \
           "宁陕县 | 30 | 35 | 90.3 | 87.1\n石泉县 | 28 | 31 | 93.5 | 90.3\n"
    ms, _ = read("表1 2023年5月各县区空气质量\n" + rows)
    assert values(ms, "PM2.5浓度", year=2023, months="5") == {"宁陕县": 30, "石泉县": 28}
    assert values(ms, "PM2.5浓度", year=2022, months="5") == {"宁陕县": 35, "石泉县": 31}
    assert values(ms, "优良天数比例", year=2022, months="5") == {"宁陕县": 87.1, "石泉县": 90.3}
    cells = ["县区", "PM2.5本月(μg/m3)", "PM2.5上月(μg/m3)", "PM2.5上年同期(μg/m3)",
             "宁陕县", "30", "41", "35", "石泉县", "28", "39", "31", "汉阴县", "33", "44", "36"]
    ms, _ = read("表2 2023年5月各县区PM2.5浓度\n" + "\n".join(c + " |" for c in cells) + "\n")
    assert values(ms, "PM2.5浓度", year=2023, months="5") == {"宁陕县": 30, "石泉县": 28, "汉阴县": 33}
    assert values(ms, "PM2.5浓度", year=2022, months="5") == {"宁陕县": 35, "石泉县": 31, "汉阴县": 36}
    assert not [m for m in ms if m.value in (41, 39, 44)]


def test_rows_of_periods_one_row_a_line_and_a_row_of_changes():
    # a '|' table one row a line whose rows are periods with months, then a row of changes
    text = ("宁陕县环境质量对比\n时段 | 优良天数 | PM2.5(μg/m3)\n2022年1-6月 | 176 | 26\n"
            "2021年1-6月 | 171 | 28\n变化 | +5 | -2\n")
    ms, _ = read(text)
    assert values(ms, "优良天数", year=2022, months="1-6") == {"宁陕县": 176}
    assert values(ms, "PM2.5浓度", year=2021, months="1-6") == {"宁陕县": 28}
    assert not [m for m in ms if m.indicator_id and m.value in (5, 2)]


def test_a_bare_city_name_too_common_for_prose_labels_a_pipe_row():
    # '| 2 | 安康 | …': a name the gazetteer matches in prose only as 安康市 is that city as a
    # row label of a table of places
    text = ("2024年1-6月各设区市空气质量\n| 序号 | 城市 | PM2.5(μg/m³) | 优良天数比例(%) |\n"
            "| 1 | 汉中 | 31 | 86.2 |\n| 2 | 安康 | 26 | 91.7 |\n| 3 | 商洛市 | 28 | 90.1 |\n")
    ms, _ = read(text)
    assert values(ms, "PM2.5浓度", year=2024, months="1-6") == {"汉中市": 31, "安康市": 26, "商洛市": 28}
