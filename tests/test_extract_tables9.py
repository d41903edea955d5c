"""Table layouts of the ninth session's table pass (tables9): districts × indicators under a
two-row header whose lower row repeats 浓度 | 同比 | 排名 under each indicator, but words the
level and change cells for their indicator ('比例(%) | 同比(百分点) | 排名' under 优良天数比例),
scraped one cell a line with the empty upper cells gone. Places are real names so the gazetteer
knows them; words and numbers are our own."""
from __future__ import annotations

from etl.extract import table_rows
from tests.reading import read


def values(metrics, indicator, **where) -> dict[str, float]:
    return {m.region: m.value for m in metrics
            if m.indicator == indicator and m.kind == "actual" and all(getattr(m, k) == v for k, v in where.items())}


HEADS = ["区县", "PM2.5", "PM10", "优良天数比例",
         "浓度(μg/m3)", "同比(%)", "排名", "浓度(μg/m3)", "同比(%)", "排名", "比例(%)", "同比(百分点)", "排名"]
ROWS = [["鹿城区", "31", "-6.1", "2", "55", "-3.5", "1", "85.2", "2.1", "1"],
        ["永嘉县", "29", "-9.4", "1", "60", "1.7", "2", "82.4", "-1.1", "2"],
        ["瓯海区", "35", "2.9", "3", "66", "3.1", "3", "78.0", "-3.3", "3"],
        ["全市", "32", "-3.0", "--", "60", "0.0", "--", "81.9", "-0.8", "--"]]


def test_a_lower_row_repeating_level_change_rank_worded_per_indicator_one_cell_a_line():
    text = ("2024年1-6月各区县空气质量状况\n表1 2024年1-6月各区县主要污染物浓度及排名\n"
            + "\n".join(HEADS + [c for r in ROWS for c in r]) + "\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2024, months="1-6") == {"鹿城区": 31, "永嘉县": 29, "瓯海区": 35, "温州市": 32}
    assert values(ms, "PM10浓度", year=2024, months="1-6") == {"鹿城区": 55, "永嘉县": 60, "瓯海区": 66, "温州市": 60}
    assert values(ms, "优良天数比例", year=2024, months="1-6") == {"鹿城区": 85.2, "永嘉县": 82.4, "瓯海区": 78.0,
                                                                 "温州市": 81.9}


def test_the_same_table_with_pipes_after_each_cell():
    text = ("2024年1-6月各区县空气质量状况\n表1 2024年1-6月各区县主要污染物浓度及排名\n"
            + "\n".join(c + " |" for c in HEADS + [c for r in ROWS for c in r]) + "\n")
    ms = read(text)
    assert values(ms, "优良天数比例", year=2024, months="1-6") == {"鹿城区": 85.2, "永嘉县": 82.4, "瓯海区": 78.0,
                                                                 "温州市": 81.9}
    assert not [m for m in ms if m.value in (-6.1, 2.1, -1.1)]   # changes and ranks are not levels


def test_roles_match_a_pattern_worded_per_indicator_but_not_a_different_one():
    import re
    change, skip, level = re.compile("同比|变化"), re.compile("排名"), re.compile("浓度|均值")
    keys = table_rows.roles(HEADS[4:], change, skip, level)
    assert keys == ["level", "change", "rank"] * 3
    named = [False] * len(HEADS)
    named[1:4] = [True] * 3
    plan = table_rows.repeated_lower(HEADS[1:], named[1:], table_rows.roles(HEADS[1:], change, skip, level))
    assert plan is not None and len(plan) == 9
    # a lower row of unlike cells (浓度 | 达标 | 排名 under one, 比例 | 同比 under another) is no pattern
    odd = ["PM2.5", "优良天数比例", "浓度", "达标", "比例", "同比"]
    assert table_rows.repeated_lower(odd, [True, True, False, False, False, False],
                                     table_rows.roles(odd, change, skip, level)) is None


def test_a_label_header_of_place_kinds_run_together_before_mingcheng_one_cell_a_line():
    # '县市名称' heads the row labels; the table is scraped one cell a line with pipes
    cells = ["县市名称", "PM2.5浓度(μg/m3)", "优良率(%)", "优 (天)", "良 (天)", "有效 天数",
             "金华市区", "33.1", "90.3", "10", "18", "31",
             "婺城区", "31.9", "93.5", "11", "18", "31",
             "市开发区", "32.4", "90.3", "10", "18", "31",
             "兰溪市", "29.0", "100.0", "13", "18", "31"]
    text = "表3 2024年5月份各县市空气质量监测结果\n" + "\n".join(c + " |" for c in cells) + "\n"
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2024, months="5") == {"金华市": 33.1, "婺城区": 31.9, "兰溪市": 29.0}
    assert values(ms, "优良天数比例", year=2024, months="5") == {"金华市": 90.3, "婺城区": 93.5, "兰溪市": 100.0}


def test_a_long_title_line_ending_in_the_first_header_cell_opens_the_cells_below():
    # the sentence, the table's number and its first header cell share one line, which ends in a
    # cell separator; the other cells follow one a line (two rankings side by side, ties unranked)
    cells = ["PM2.5平均浓度(μg/m3)排名",
             "1", "姜堰区", "80.2%", "1", "兴化市", "30",
             "2", "兴化市", "78.5%", "姜堰区", "30",
             "3", "靖江市", "76.0%", "3", "靖江市", "33",
             "泰兴市", "76.0%", "4", "泰兴市", "35"]
    text = ("2023年1~5月,各市(区)环境空气优良天比例及PM2.5平均浓度排名情况见表2。 "
            "表2 2023年1~5月各市(区)环境空气质量排名 优良天比例(%)排名 |\n"
            + "\n".join(c + " |" for c in cells) + "\n")
    ms = read(text)
    assert values(ms, "优良天数比例", year=2023, months="1-5") == {"姜堰区": 80.2, "兴化市": 78.5, "靖江市": 76.0,
                                                                 "泰兴市": 76.0}
    assert values(ms, "PM2.5浓度", year=2023, months="1-5") == {"兴化市": 30, "姜堰区": 30, "靖江市": 33, "泰兴市": 35}


def test_a_districts_table_on_one_line_cut_between_cells_by_the_segmenter_is_one_stream_of_cells():
    # twelve districts and the city under PM2.5 | PM10 | 臭氧 | 优良天数比例, each over 浓度 | 同比 | 排名,
    # the whole table on one line (well past segment.MAX_CHARS): its passages are not rows
    places = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "平阳县", "苍南县", "文成县",
              "泰顺县", "龙港市", "全市"]
    head = ["县(市、区)", "PM2.5", "PM10", "臭氧", "优良天数比例", "浓度(μg/m3)", "同比(%)", "排名", "浓度(μg/m3)",
            "同比(%)", "排名", "浓度(μg/m3)", "同比(%)", "排名", "比例(%)", "同比(百分点)", "排名"]
    cells = list(head)
    for k, p in enumerate(places):
        cells += [p, str(18 + k), "-5.0", str(k + 1), str(40 + k), "-2.5", str(k + 1), str(120 + k), "3.1", str(k + 1),
                  f"{90 + k / 2:.1f}", "1.2", str(k + 1)]
    line = " | ".join(cells) + " |"
    assert len(line) > 420
    ms = read("2024年1-9月各县(市、区)环境空气质量\n表1 2024年1-9月各县(市、区)空气质量状况\n" + line + "\n")
    pm25 = values(ms, "PM2.5浓度", year=2024, months="1-9")
    assert len(pm25) == 13 and pm25["鹿城区"] == 18 and pm25["龙港市"] == 29 and pm25["温州市"] == 30
    good = values(ms, "优良天数比例", year=2024, months="1-9")
    assert len(good) == 13 and good["泰顺县"] == 95.0
    assert len(values(ms, "PM10浓度", year=2024, months="1-9")) == 13
    assert len(values(ms, "臭氧浓度", year=2024, months="1-9")) == 13


def test_two_lines_of_a_table_are_no_one_line():
    from etl.clean import clean
    from etl.extract import cut_lines
    from etl.segment import segment
    row = " | ".join(["鹿城区", "18", "-5.0", "1"] * 40) + " |"
    ps = segment(clean(row + "\n" + row + "\n"))
    assert len(ps) > 2
    first = [p for p in ps if p.clean_start < len(row)]
    assert cut_lines.one_line(first) and not cut_lines.one_line(ps)


def test_a_county_naming_itself_only_in_a_table_row_written_one_cell_a_line():
    # no masthead: the text says 全县, and the county's bare name labels its own row of a table
    # scraped one cell a line
    cells = ["3月", "1-3月", "地区", "综合指数", "同比增幅(%)", "地区", "综合指数", "同比增幅(%)",
             "崇阳", "3.42", "-2.0", "崇阳", "4.10", "5.5"]
    text = ("一、空气环境质量\n2024年3月,全县空气质量优良天数28天,优良率为90.3%。\n"
            "1-3月,全县空气质量优良率为84.6%。\n表2 2024年3月空气质量综合指数\n"
            + "\n".join(c + " |" for c in cells) + "\n")
    ms = read(text)
    assert {m.region for m in ms if m.indicator == "优良天数比例"} == {"崇阳县"}


def test_three_header_rows_written_as_bar_lines_without_filler_cells():
    # periods over indicators over measures, each header row a line of only its own cells
    text = ("2024年9月温州市各县(市、区)空气质量\n表3 2024年9月及1-9月各县(市、区)空气质量\n"
            "县(市、区) | 9月 | 1-9月 |\n"
            "PM2.5 | 优良天数比例 | PM2.5 | 优良天数比例 |\n"
            "浓度(μg/m3) | 同比(%) | 比例(%) | 同比(百分点) | 浓度(μg/m3) | 同比(%) | 比例(%) | 同比(百分点) |\n"
            "鹿城区 | 17 | -5.6 | 96.7 | 3.3 | 24 | -4.0 | 92.3 | 1.1 |\n"
            "永嘉县 | 15 | -6.3 | 100 | 0.0 | 21 | -8.7 | 95.6 | 2.2 |\n"
            "全市 | 16 | -5.9 | 98.3 | 1.6 | 23 | -4.2 | 93.8 | 1.5 |\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2024, months="9") == {"鹿城区": 17, "永嘉县": 15, "温州市": 16}
    assert values(ms, "PM2.5浓度", year=2024, months="1-9") == {"鹿城区": 24, "永嘉县": 21, "温州市": 23}
    assert values(ms, "优良天数比例", year=2024, months="1-9") == {"鹿城区": 92.3, "永嘉县": 95.6, "温州市": 93.8}


def test_three_header_rows_that_do_not_fit_their_rows_are_not_read_shifted():
    text = ("表3 2022年8月各区空气质量\n区县 | 浓度(μg/m3) | 优良天数比例(%) | 排名 |\nPM10 | PM2.5 | O3 |\n"
            "月均值 | 月均值 | 月均值 |\n浈江区 | 30 | 18 | 120 | 96.8 | 2 | 9 |\n武江区 | 28 | 16 | 110 | 100.0 | 1 | 8 |\n"
            "曲江区 | 35 | 21 | 133 | 93.5 | 3 | 7 |\n")
    assert not [m for m in read(text) if m.indicator_id]


def test_a_unit_row_under_the_indicator_cells_one_cell_a_line():
    # the empty cell over the unit row's corner is lost by the scrape: the units follow the names
    cells = ["县(市、区)", "细颗粒物", "可吸入颗粒物", "臭氧", "优良天数比例", "μg/m3", "μg/m3", "μg/m3", "%",
             "鹿城区", "21", "43", "131", "88.4", "瓯海区", "23", "47", "128", "86.2", "全市平均", "22", "45", "130", "87.0"]
    text = ("2024年上半年温州市各县(市、区)空气质量\n表1 2024年1-6月各县(市、区)环境空气质量状况\n"
            + "\n".join(c + " |" for c in cells) + "\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2024, months="1-6") == {"鹿城区": 21, "瓯海区": 23, "温州市": 22}
    assert values(ms, "臭氧浓度", year=2024, months="1-6") == {"鹿城区": 131, "瓯海区": 128, "温州市": 130}
    assert values(ms, "优良天数比例", year=2024, months="1-6") == {"鹿城区": 88.4, "瓯海区": 86.2, "温州市": 87.0}


def test_a_tied_places_row_whose_rank_cell_spans_the_row_above():
    # one row a line; a tie's rank is written once, its cell spanning both rows
    text = ("2024年上半年温州市各县(市、区)空气质量\n表1 2024年1-6月各县(市、区)环境空气质量排名\n"
            "排名 | 县(市、区) | PM2.5(μg/m3) | PM10(μg/m3) | 优良天数比例(%) |\n"
            "1 | 泰顺县 | 16 | 33 | 97.8 |\n"
            "2 | 文成县 | 18 | 35 | 96.7 |\n"
            "| 永嘉县 | 18 | 38 | 95.6 |\n"
            "4 | 鹿城区 | 23 | 47 | 88.4 |\n")
    ms = read(text)
    assert values(ms, "PM2.5浓度", year=2024, months="1-6") == {"泰顺县": 16, "文成县": 18, "永嘉县": 18, "鹿城区": 23}
    assert values(ms, "PM10浓度", year=2024, months="1-6") == {"泰顺县": 33, "文成县": 35, "永嘉县": 38, "鹿城区": 47}
    assert values(ms, "优良天数比例", year=2024, months="1-6") == {"泰顺县": 97.8, "文成县": 96.7, "永嘉县": 95.6,
                                                                 "鹿城区": 88.4}
