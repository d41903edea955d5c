"""Tables whose rows are periods, flattened one cell a line with '|' lines between the cells
(etl/extract/period_rows.py): a 时间 corner cell, statistic notes under two headers, a unit row, and
row labels whose 年/月 the scrape dropped. Layouts of scraped city bulletins; our own words,
places and numbers."""
from __future__ import annotations

import dataclasses

from etl.extract.period_rows import fold_period_rows, is_header_note
from tests.reading import read

HEAD = ["时间", "SO2", "NO2", "PM10", "CO", "(第95百分位数)", "O3_8h", "(第90百分位数)", "PM2.5",
        "达标天数", "有效天数", "达标率"]
UNITS = ["μg/m3", "μg/m3", "μg/m3", "mg/m3", "μg/m3", "μg/m3"]
ROWS = ["2021年", "9", "31", "66", "1.1", "139", "35", "310", "363", "85.4%",
        "2020年", "12", "33", "71", "1.3", "144", "40", "296", "364", "81.3%"]


def _bulletin(cells, sep="\n|\n"):
    return ("衡阳市2021年环境质量状况\n发布时间:2022-04-20\n一、空气环境\n2021年城区空气质量主要指标见下表。\n"
            + sep.join(cells) + sep + "二、水环境\n全市地表水水质总体为优。\n")


def got(metrics, indicator):
    return {m.year: m.value for m in metrics if m.indicator == indicator and m.kind == "actual" and m.region == "衡阳市"}


def test_year_rows_under_a_time_corner_with_notes_and_a_short_unit_row():
    ms = read(_bulletin(HEAD + UNITS + ROWS))
    assert got(ms, "一氧化碳浓度") == {2021: 1.1, 2020: 1.3}
    assert got(ms, "臭氧浓度") == {2021: 139, 2020: 144}
    assert got(ms, "PM2.5浓度") == {2021: 35, 2020: 40}
    assert got(ms, "优良天数") == {2021: 310, 2020: 296}
    assert got(ms, "优良天数比例") == {2021: 85.4, 2020: 81.3}   # 达标率 beside the pollutants
    assert all(m.months == "1-12" for m in ms if m.region == "衡阳市")
    # the effective-days column names no indicator: 363 and 364 are read as nothing
    assert not any(m.value in (363, 364) for m in ms)


def test_run_together_month_labels_under_a_time_corner():
    cells = ["项目及单位", "时间", "PM10", "SO2", "NO2", "PM2.5", "O3", "CO", "μg/m3", "mg/m3",
             "20224", "44", "7", "19", "27", "70", "0.6",
             "20234", "39", "6", "17", "25", "73", "0.7",
             "20231-4", "51", "8", "22", "31", "61", "0.8"]
    text = ("武隆区2023年4月环境质量月报\n发布日期:2023-05-12\n表1 武隆区城区空气主要污染物浓度\n\n"
            + "\n\n".join(cells) + "\n\n二、水环境\n全区水质良好。\n")
    ms = read(text)
    pm10 = {(m.year, m.months): m.value for m in ms if m.indicator == "PM10浓度"}
    assert pm10 == {(2022, "4"): 44, (2023, "4"): 39, (2023, "1-4"): 51}
    assert {(m.year, m.months): m.value for m in ms if m.indicator == "一氧化碳浓度"} == \
        {(2022, "4"): 0.6, (2023, "4"): 0.7, (2023, "1-4"): 0.8}


@dataclasses.dataclass
class _Cell:   # a cell of the stream: only its text matters here
    text: str


def _folded(texts):
    return [c.text for c in fold_period_rows([_Cell(t) for t in texts])]


def test_digits_are_a_period_only_at_the_rows_stride():
    labels = _folded(["时间", "PM10", "NO2", "20235", "41", "20", "20245", "38", "18"])
    assert labels[3] == "2023年5月" and labels[6] == "2024年5月"
    # five-digit figures out of step with the rows are left as they are
    labels = _folded(["时间", "件数", "20235", "20241", "3", "20245"])
    assert labels[2:] == ["20235", "20241", "3", "20245"]


def test_a_statistic_note_is_not_a_unit_or_a_column():
    assert is_header_note("(第95百分位数)") and is_header_note("（日最大8小时平均）")
    assert not is_header_note("(μg/m3)") and not is_header_note("(同比)")
