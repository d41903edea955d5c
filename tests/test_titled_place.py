"""The page's own region when its headline is not to be taken at its word
(etl/catalog/titled_place.py): a county named by its short name in the headline, a page titled
with another province. Pages written for these tests."""
from __future__ import annotations

from etl.clean import clean
from etl.context import document_context
from etl.segment import segment


def own_region(text: str) -> str | None:
    return document_context(segment(clean(text))).region


def test_a_headline_opening_on_a_county_short_name_names_the_county():
    page = ("芦山：去年空气质量优良率达98.1%\n2024-01-15 来源：某某新闻网\n"
            "记者从县生态环境局获悉，2023年，全县优良天数358天，优良率98.1%。\n")
    assert own_region(page) == "芦山县"


def test_a_short_name_headline_over_a_text_speaking_as_a_city_names_no_county():
    page = ("芦山：去年空气质量优良率达98.1%\n2024-01-15\n2023年，全市优良天数358天，优良率98.1%。\n")
    assert own_region(page) != "芦山县"


def test_a_page_titled_with_another_province_takes_the_province_its_body_names():
    page = ("江西省2023年上半年空气质量\n2023-07-20\n1-6月，全省14个市州优良天数比例为85.2%。"
            "岳阳、常德、益阳三市PM2.5浓度分别为39、41、36微克/立方米。\n")
    assert own_region(page) == "湖南省"


def test_a_titled_province_whose_cities_the_body_names_stays():
    page = ("江西省2023年上半年空气质量\n2023-07-20\n1-6月，全省优良天数比例为91.0%。"
            "九江、上饶、抚州三市PM2.5浓度分别为39、31、30微克/立方米。\n")
    assert own_region(page) == "江西省"


def test_values_under_a_headline_naming_another_province_are_the_bodys_province():
    from tests.reading import read
    page = ("|\n江西省晒2023年成绩单 |\n(时间:2024-1-5 9:00)\n"
            "昨日，省生态环境厅通报，2023年全省14个市州优良天数比例为88.1%。岳阳、常德、益阳空气质量较好。\n"
            "六项污染物中，全省细颗粒物年均浓度为35微克/立方米。\n")
    got = {(m.indicator, m.region) for m in read(page) if m.kind == "actual" and m.indicator_id}
    assert got == {("优良天数比例", "湖南省"), ("PM2.5浓度", "湖南省")}
