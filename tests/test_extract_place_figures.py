"""Places each given one bare figure under a label naming the indicator: a line a place
('甲县：28') under a label line ending on a colon, or the figures in parentheses after the
label's colon ('甲县(28)、乙县(30)'). The words, places and numbers are our own."""
from __future__ import annotations

from tests.reading import read


def values(metrics, indicator, **where) -> dict[str, float]:
    return {m.region: m.value for m in metrics
            if m.indicator == indicator and all(getattr(m, k) == v for k, v in where.items())}


def test_a_line_a_place_under_a_label_line():
    ms = read("岳阳市生态环境局 2024年4月8日\n3月各县市区细颗粒物浓度(微克/立方米):\n"
              "平江县：31\n华容县: 36;\n湘阴县：34\n")
    assert values(ms, "PM2.5浓度", year=2024, months="3") == {"平江县": 31, "华容县": 36, "湘阴县": 34}


def test_shares_in_parentheses_after_the_labels_colon():
    ms = read("岳阳市生态环境局 2024年4月8日\n3月各县市区优良天数比例:平江县(96.8%)、华容县(90.3%)、湘阴县(93.5%)。\n")
    assert values(ms, "优良天数比例", year=2024, months="3") == {"平江县": 96.8, "华容县": 90.3, "湘阴县": 93.5}


def test_ranks_changes_and_unknown_places_are_not_read():
    # 1, 2, 3 in parentheses after a ranking label are ranks
    ms = read("岳阳市生态环境局 2024年4月8日\n3月各县市区PM2.5浓度排名:华容县(1)、平江县(2)、湘阴县(3)。\n")
    assert not [m for m in ms if m.indicator == "PM2.5浓度"]
    # a label of changes
    ms = read("岳阳市生态环境局 2024年4月8日\n3月各县市区PM2.5浓度同比变化(%):\n平江县：5.2\n华容县：3.1\n")
    assert not [m for m in ms if m.indicator == "PM2.5浓度"]
    # a line that is no place refuses the list
    ms = read("岳阳市生态环境局 2024年4月8日\n3月各县市区PM2.5浓度(微克/立方米):\n平江县：31\n某某镇甲村：36\n")
    assert not [m for m in ms if m.indicator == "PM2.5浓度" and m.value == 36]


def test_a_cell_naming_a_pollutant_over_a_cell_of_places_with_their_figures():
    # a table one cell a line: the pollutant's cell, then its worst places with figure and unit;
    # a zone the gazetteer does not know (开发区) is left out, the others keep their own figures
    text = ("益阳市生态环境局 2024年4月8日\n3月各区县污染物浓度较高的区县\n污染物 |\n区县 |\n"
            "NO2 |\n开发区(30μg/m3)、赫山区(28μg/m3)、沅江市(25μg/m3) |\n"
            "CO |\n桃江县(1.1mg/m3)、安化县(0.9mg/m3)、 赫山区(0.8mg/m3) |\n")
    ms = read(text)
    assert values(ms, "二氧化氮浓度", year=2024, months="3") == {"赫山区": 28, "沅江市": 25}
    assert values(ms, "一氧化碳浓度", year=2024, months="3") == {"桃江县": 1.1, "安化县": 0.9, "赫山区": 0.8}
    assert not [m for m in ms if m.value == 30]


def test_a_line_a_place_with_the_unit_after_each_figure():
    ms = read("岳阳市生态环境局 2024年4月8日\n3月各县市区细颗粒物浓度:\n"
              "平江县：31微克/立方米\n华容县：36微克/立方米\n湘阴县：0.034毫克/立方米\n")
    assert values(ms, "PM2.5浓度", year=2024, months="3") == {"平江县": 31, "华容县": 36, "湘阴县": 34}
    ms = read("岳阳市生态环境局 2024年4月8日\n3月各县市区优良天数:\n平江县：29天\n华容县：27天\n")
    assert values(ms, "优良天数", year=2024, months="3") == {"平江县": 29, "华容县": 27}


def test_one_known_place_among_zones_the_gazetteer_does_not_know_keeps_its_figure():
    # two zones unknown to the gazetteer and one district: the parentheses pair the district with its own
    text = ("益阳市生态环境局 2024年4月8日\n3月各区县污染物浓度较高的区县\n污染物 |\n区县 |\n"
            "PM10 |\n开发区(71μg/m3)、高新区(66μg/m3)、赫山区(63μg/m3) |\n")
    ms = read(text)
    assert values(ms, "PM10浓度", year=2024, months="3") == {"赫山区": 63}
    assert not [m for m in ms if m.value in (71, 66)]
