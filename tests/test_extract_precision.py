"""Extract stage, precision: values an analyst would NOT read out as written, or would read
under another region or indicator. Each case reproduces a layout seen on real report pages
(written here in our own words), read through clean -> segment -> context -> extract."""
from __future__ import annotations

from etl.catalog.gazetteer import find_regions
from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.segment import segment
from tests.reading import read


NATIONAL = "生态环境部发布全国生态环境质量状况。\n"


def actual(ms, indicator):
    return [(m.region, m.value) for m in ms if m.indicator == indicator and m.kind == "actual"]


def test_a_ranking_against_the_country_puts_neither_label_nor_value_under_the_country():
    # a headline 'keeps among the country's best' is no label line of 全国, and
    # '…95.1%,全国排名第8位;PM2.5…' ranks the province against the country
    text = ("云南省发布2022年生态环境状况公报\n环境质量稳居全国前列\n"
            "晴空更多。2022年城市空气优良天数比率为97.2%,全国排名第5位;细颗粒物平均浓度为22微克/立方米,"
            "全国排名第9位。\n")
    ms = read(text)
    assert actual(ms, "优良天数比例") == [("云南省", 97.2)]
    assert actual(ms, "PM2.5浓度") == [("云南省", 22)]


def test_rows_of_a_standards_limits_under_a_table_are_not_measurements():
    # a county's monthly table: one measured row, then the daily and annual limits of the
    # standard, all under a title unit in μg/m³ while CO is printed in mg/m³
    text = ("2021年4月某县环境空气质量月报\n表1 2021年4月某县环境空气质量\n单位:微克/立方米\n"
            "城市名称 | 二氧化硫 | 一氧化碳 | 可吸入颗粒物 | 二氧化氮 | 细颗粒物 |\n"
            "绥阳县 | 5 | 0.6 | 31 | 9 | 20 |\n"
            "日均值 二级标准限值 | 150 | 4 | 150 | 80 | 75 |\n"
            "年均值 二级标准限值 | 60 | — | 70 | 40 | 35 |\n")
    ms = read(text)
    assert actual(ms, "PM2.5浓度") == [("绥阳县", 20)]
    assert actual(ms, "二氧化硫浓度") == [("绥阳县", 5)]
    assert actual(ms, "一氧化碳浓度") == [("绥阳县", 0.6)]


def test_a_countys_urban_area_is_the_county_not_a_district_named_inside_it():
    # '<county stem>城区' (the county's urban area) holds the name of another province's
    # district that ends in 城区: 綦江城区 is 綦江区, not 江城区
    ms = read("某区2022年环境状况公报\n2022年,綦江城区环境空气质量优良天数为331天,占总天数的90.7%。")
    assert actual(ms, "优良天数比例") == [("綦江区", 90.7)]


def test_a_byline_place_and_a_companys_place_are_not_the_documents_region():
    # a provincial release whose copyright line names the website company's city, and a
    # wire story whose byline gives the agency and its city apart
    text = ("3月2日,记者从自治区生态环境厅获悉,2022年,全区环境空气质量优良天数比例为96.5%,"
            "全区地表水水质优良比例为97.8%。(宁夏日报)\n"
            "版权所有:某某信息网络(上海)有限公司 未经许可不得转载\n"
            "某某网络(上海)有限公司 备案号\n某某网络(上海)有限公司 联系我们\n")
    assert {m.region for m in read(text) if m.kind == "actual"} == {"宁夏回族自治区"}
    assert find_regions("版权所有:某某信息网络(上海)有限公司") == ()
    assert find_regions("上海某某科技有限公司 技术支持") == ()
    assert find_regions("新华社,成都\n2023-03-02 10:15") == ()
    assert [r.name for r in find_regions("成都市生态环境局发布")] == ["成都市"]
    assert [r.name for r in find_regions("成都市生态环境局与某某检测有限公司签约")] == ["成都市"]


def test_a_world_average_in_a_countrys_sentence_is_not_the_countrys():
    ms = read(NATIONAL + "截至2021年底,全国森林覆盖率达到24.02%,森林面积居前列(同期全球平均的森林覆盖率约为30.7%)。")
    # the world's figure stays unresolved (None: left out of the dataset), never 全国
    assert actual(ms, "森林覆盖率") == [("全国", 24.02), (None, 30.7)]


def test_after_qizhong_a_second_figure_of_the_same_indicator_is_a_subsets():
    # '…为1.1%;其中由沙尘导致的…比例为0.4%' and '…为33;其中,未达标城市…为38' describe subsets;
    # a place named after 其中 is another region and keeps its value
    text = (NATIONAL + "1-6月,全国地级及以上城市平均重度及以上污染天数比例为1.3%;其中由沙尘天气导致的"
            "重度及以上污染天数比例为0.5%。\n2021年,全国PM2.5浓度为30微克/立方米,同比下降9.1%,其中,"
            "未达标城市PM2.5浓度为37微克/立方米,同比下降10.2%。\n"
            "2021年,京津冀及周边地区PM2.5浓度为43微克/立方米,其中,北京市PM2.5浓度为33微克/立方米。")
    ms = read(text)
    assert actual(ms, "重污染天数比例") == [("全国", 1.3)]
    assert actual(ms, "PM2.5浓度") == [("全国", 30), ("京津冀及周边地区", 43), ("北京市", 33)]
    assert [m.value for m in ms if m.indicator == "PM2.5浓度" and m.kind == "change"] == [-9.1]


def test_a_river_length_share_is_not_a_section_or_drinking_water_share():
    # the body named nearest the value decides: drinking water first, then river length
    text = ("2020年某省生态环境状况公报\n2020年,全省城市集中式饮用水水源地水质全部达标;地下水水质保持稳定;"
            "河流Ⅰ-Ⅲ类水质河长占比提高到61.3%。\n")
    ms = read(text)
    assert [m for m in ms if m.value == 61.3 and m.indicator_id is not None] == []


def test_the_sections_on_rivers_entering_the_sea_are_a_part_of_the_province():
    text = ("广东省2021年3月水环境质量\n2021年1-3月,全省71个国考断面水质优良率为86.0%,劣Ⅴ类断面比例为0%;"
            "26个入海河流国考断面中劣Ⅴ类断面比例为3.8%。\n")
    ms = read(text)
    assert [x for x in actual(ms, "劣Ⅴ类断面比例") if x[0]] == [("广东省", 0)]


def test_a_share_after_a_count_of_another_grade_is_that_grades():
    # a quarterly report lists each grade's days, each followed by its share
    text = ("某市环境质量季报2019年3季度\n2019年3季度市区环境空气共监测92天,其中优良天数为80天,占监测天数的87.0%,"
            "轻度污染的天数为10天,占监测天数的10.9%,中度污染天数为2天,占监测天数的2.2%。\n"
            "全市共有自然保护地45处,总面积120.5万公顷,占全市国土面积的15.2%。\n")
    ms = read(text, title="六盘水市环境质量季报")
    assert actual(ms, "优良天数比例") == [("六盘水市", 87.0)]
    assert actual(ms, "自然保护地面积占比") == [("六盘水市", 15.2)]


def test_a_spread_across_places_written_with_zhijian_is_not_a_level():
    ms = read(NATIONAL + "2015年,全国338个地级及以上城市优良天数比例在8.2%~100%之间,平均为76.7%。")
    assert set(actual(ms, "优良天数比例")) == {("全国", 76.7)}


def test_a_number_garbled_by_scraping_or_ocr_is_not_read():
    # a scraper moved the unit into the number ('81天.4%'); an OCR run glued a unit to the next
    # figure ('μg/m31.0%'): no value is read from either, the clean ones around them are
    text = ("2022年某市生态环境状况公报\n2022年,中心城区空气质量优良天数共301天,优良天数占82天.5%。\n"
            "2022年,PM10浓度为62μg/m3,同比下降3.1%;O3浓度为9096μg/m31.0%。\n")
    ms = read(text, title="2022年宜昌市生态环境状况公报")
    assert actual(ms, "优良天数") == [("宜昌市", 301)]
    assert actual(ms, "PM10浓度") == [("宜昌市", 62)]
    assert actual(ms, "臭氧浓度") == []


def test_a_fall_since_a_base_year_is_a_change_wherever_the_clause_stands():
    # the change verb is found in the clause; whether 至/为 follows it is read right after the
    # verb, not at the same offset from the paragraph's start
    text = ("2019年全国生态环境质量简况\n北京——\n首都功能核心区生态环境状况指数比上年提高13.3%。\n"
            "空气质量达标天数为240天,达标天数比例为65.8%;空气重污染天数为4天,比2013年减少54天。\n")
    ms = read(text)
    assert sorted(m.value for m in ms if m.indicator == "重污染天数" and m.kind == "actual") == [4]
    assert [m.value for m in ms if m.indicator == "重污染天数" and m.kind == "change"] == [-54]


def test_the_province_above_a_countys_report_does_not_carry_to_the_next_sentence():
    text = ("苍溪县生态环境质量持续向好\n2019年,苍溪县城区空气质量优良率为95.1%。各断面水质均达标,"
            "今年共获得四川省水环境生态补偿48万元。上半年县级集中式饮用水水源地水质达标率为100%。\n")
    ms = read(text)
    assert actual(ms, "饮用水水源地水质达标比例") == [("苍溪县", 100)]


def test_a_figure_said_of_now_in_a_plans_story_is_the_current_level():
    # the page is dated 2022; the title names the plan's goal year; '目前…达到了' is today's level,
    # while '到2025年…将从目前的…提高到…' stays the goal
    paragraphs = segment(clean("“十四五”湿地保护规划发布:到2025年湿地保护率达到55%\n"
                               "据介绍,目前,全国湿地保护率达到了52.65%,湿地面积稳定。\n"
                               "规划提出,到2025年,湿地保护率将从目前的52.65%提高到55%。\n"))
    ctx = document_context(paragraphs, None, "2022-10-12")
    ms = extract(paragraphs, ctx)
    assert [(m.kind, m.year) for m in ms if m.value == 52.65 and m.paragraph_seq == 1] == [("actual", 2022)]
    assert ("target", 2025) in [(m.kind, m.year) for m in ms if m.value == 55 and m.paragraph_seq == 2]
