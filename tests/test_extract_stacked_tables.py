"""Tables of a city's counties written one after another in one stream of '|' cells, each with a
two-row header whose upper cells are periods (本月 | 上年同期 | a change) over a repeated lower
pattern (a measure | its rank). The layout is that of a scraped monthly county bulletin; the
places, words and numbers are our own."""
from __future__ import annotations

from etl.extract import period_columns, stacked_tables
from tests.reading import read


def values(metrics, indicator, **where) -> dict[str, float]:
    return {m.region: m.value for m in metrics
            if m.indicator == indicator and all(getattr(m, k) == v for k, v in where.items())}


def _table(title: str, measure: str, change: str, rows) -> str:
    head = f"{title} 编号 | 县 (市、区) | 本月 | 上年同期 | {change} | {measure} | 排名 | {measure} | 排名 | "
    return head + " | ".join(" | ".join(map(str, r)) for r in rows) + " |"


STREAM = ("2025年3月湖州市空气质量简报 全市5个区县设有空气自动监测站9个。各区县本月优良率和PM10浓度"
          "与去年同月的对比见下表。 "
          + _table("各区县空气优良率", "空气优良率(%)", "与上年同期相比(百分点)",
                   [(1, "吴兴区", 93.5, 3, 90.3, 2, 3.2), (2, "南浔区", 96.8, 1, 87.1, 4, 9.7),
                    (3, "德清县", 90.3, 4, 93.5, 1, -3.2), (4, "全市平均", 93.5, "--", 90.3, "-", 3.2)])
          + "\n"
          + _table("各区县PM10浓度", "PM10均值(μg/m3)", "同比变化率(%)",
                   [(1, "吴兴区", 48, 2, 55, 3, -12.7), (2, "南浔区", 51, 3, 50, 1, 2.0),
                    (3, "德清县", 44, 1, 53, 2, -17.0), (4, "全市平均", 48, "--", 53, "-", -9.4)])
          + "\n注:数据为实时发布数据,未经审核。\n")


def test_period_cells_over_a_repeated_measure_give_this_year_and_last_year():
    ms = read(STREAM)
    assert values(ms, "优良天数比例", year=2025, months="3") == {"吴兴区": 93.5, "南浔区": 96.8, "德清县": 90.3,
                                                               "湖州市": 93.5}
    assert values(ms, "优良天数比例", year=2024, months="3") == {"吴兴区": 90.3, "南浔区": 87.1, "德清县": 93.5,
                                                               "湖州市": 90.3}


def test_a_table_stacked_after_another_is_read_under_its_own_header_and_the_period_above():
    ms = read(STREAM)
    assert values(ms, "PM10浓度", year=2025, months="3") == {"吴兴区": 48, "南浔区": 51, "德清县": 44, "湖州市": 48}
    assert values(ms, "PM10浓度", year=2024, months="3") == {"吴兴区": 55, "南浔区": 50, "德清县": 53, "湖州市": 53}
    # ranks, serials and changes are no values; nothing of the second table is read as the first's
    assert not [m for m in ms if m.indicator == "优良天数比例" and m.value < 80]
    assert not [m for m in ms if m.value in (12.7, 17.0, 9.4, 9.7)]


def test_period_spans_align_or_refuse():
    # 本月 | 上年同期 | 变化 over a | 排名 | a | 排名: five columns, the change its own
    plan = period_columns.period_spans(["own", "prior", "change"], ["a", "排名", "a", "排名"], 6)
    assert plan == [(0, 3), (0, 4), (1, 5), (1, 6), (2, None)]
    # the lower pattern must repeat under each period, and the rows must be as wide
    assert period_columns.period_spans(["own", "prior"], ["a", "排名", "b", "排名"], 4) is None
    assert period_columns.period_spans(["own", "prior", "change"], ["a", "排名", "a", "排名"], 8) is None
    assert [period_columns.period_kind(t) for t in ("本月", "上年同期", "与上年同期变化(百分点)", "均值")] == \
        ["own", "prior", "change", None]


class _Cell:
    def __init__(self, text):
        self.text = text


def test_a_header_written_again_after_figures_starts_a_table():
    cells = [_Cell(t) for t in ("城市", "PM10", "甲市", "40", "表二 乙", "城市", "PM10", "乙市", "41",
                                "丙指标情况", "城市", "PM10", "丙市", "42")]
    starts = stacked_tables.starts(cells, [4], lambda t: t == "城市", lambda t: t.isdigit(),
                                   lambda c: c.text.endswith("市") and c.text != "城市")
    # the numbered title opens the second table; the third opens on its own title cell
    assert starts == [0, 4, 9]


def test_period_rows_one_cell_a_line_under_a_lower_row_of_units():
    # a county's table one cell a line: the title's last words and a corner cell before the
    # pollutants, two day counts that name no indicator, then a lower row of bare units spanning
    # the concentrations; one row a period
    cells = ["表3", "某某县城区主要污染物浓度及优良天数", "指标 时段", "PM10", "NO2", "PM2.5", "CO", "优", "良",
             "μg/m3", "mg/m3", "2022年1-9月", "41", "18", "25", "0.9", "150", "101",
             "2023年1-9月", "38", "17", "23", "0.8", "161", "95"]
    ms = read("宁陕县2023年9月空气质量\n" + "\n".join(c + " |" for c in cells) + "\n")
    assert values(ms, "PM10浓度", year=2023, months="1-9") == {"宁陕县": 38}
    assert values(ms, "一氧化碳浓度", year=2023, months="1-9") == {"宁陕县": 0.8}
    assert values(ms, "PM2.5浓度", year=2022, months="1-9") == {"宁陕县": 25}
    # the day counts under 优 and 良 are no indicator's
    assert not [m for m in ms if m.value in (150, 101, 161, 95)]


def test_a_unit_row_that_does_not_fit_the_columns_is_kept():
    # mg/m3 written where every column is kept in μg/m3: the header is not cut, the table not read
    cells = ["时段", "PM10", "NO2", "mg/m3", "2022年", "41", "18", "2023年", "38", "17"]
    ms = read("宁陕县空气质量\n" + "\n".join(c + " |" for c in cells) + "\n")
    assert not [m for m in ms if m.indicator in ("PM10浓度", "二氧化氮浓度")]


def test_space_separated_rows_under_a_header_whose_units_are_spaced_off():
    text = ("2024年2月安康市各县区空气质量排名\n序号 县区 PM10浓度 (μg/m³) 优良天数比例 (%)\n"
            "1 岚皋县 40 96.6\n2 平利县 44 93.1\n3 旬阳市 47 89.7\n")
    ms = read(text)
    assert values(ms, "PM10浓度", year=2024, months="2") == {"岚皋县": 40, "平利县": 44, "旬阳市": 47}
    assert values(ms, "优良天数比例", year=2024, months="2") == {"岚皋县": 96.6, "平利县": 93.1, "旬阳市": 89.7}


def test_rows_run_together_on_lines_under_a_header_line():
    # the header on its own line, the rows flattened onto one line (or two) after it
    text = ("2024年2月安康市各县区空气质量排名\n序号 县区 PM10浓度(μg/m³) 优良天数比例(%)\n"
            "1 岚皋县 40 96.6 2 平利县 44 93.1\n3 旬阳市 47 89.7 4 全市 45 92.0\n")
    ms = read(text)
    assert values(ms, "PM10浓度", year=2024, months="2") == {"岚皋县": 40, "平利县": 44, "旬阳市": 47, "安康市": 45}
    # serials are no values
    assert not [m for m in ms if m.value in (1, 2, 3, 4)]


def test_upper_cells_naming_their_years():
    # '2025年3月 | 2024年3月' over the repeated measure: each column in its own year; a cell of
    # other months than the table's ('2025年1-3月') is not read as the month's
    head = "2025年3月衢州市各区县空气优良率 编号 | 县 (市、区) | {} | {} | 变化(百分点) | 空气优良率(%) | 排名 | 空气优良率(%) | 排名 | "
    rows = "1 | 柯城区 | 93.5 | 3 | 90.3 | 2 | 3.2 | 2 | 衢江区 | 96.8 | 1 | 87.1 | 4 | 9.7 | 3 | 常山县 | 90.3 | 4 | 93.5 | 1 | -3.2 |\n"
    ms = read(head.format("2025年3月", "2024年3月") + rows)
    assert values(ms, "优良天数比例", year=2025, months="3") == {"柯城区": 93.5, "衢江区": 96.8, "常山县": 90.3}
    assert values(ms, "优良天数比例", year=2024, months="3") == {"柯城区": 90.3, "衢江区": 87.1, "常山县": 93.5}
    ms = read(head.format("2025年3月", "2025年1-3月") + rows)
    assert values(ms, "优良天数比例", year=2025, months="3") == {"柯城区": 93.5, "衢江区": 96.8, "常山县": 90.3}
    assert not [m for m in ms if m.value in (90.3, 87.1) and m.region != "常山县"]


def test_period_cells_spanning_unequal_groups_opening_on_the_same_cell():
    # '1-2月' over a | 排名 | b | 排名, '2月' over a | b: each group starts at a copy of 'a'
    plan = period_columns.period_spans(["own", "own"], ["a", "排名", "b", "排名", "a", "b"], 6)
    assert plan == [(0, 2), (0, 3), (0, 4), (0, 5), (1, 6), (1, 7)]
    # a second copy of the first cell missing: not so built
    assert period_columns.period_spans(["own", "own"], ["a", "排名", "b", "排名", "c", "b"], 6) is None
