"""Whose value it is: the region rules learnt from real pages (written here in our own words,
keeping the layouts the pages have: a county named once, a line that goes on with the place of
the line before, a province's own zones, a digest of several provinces, a ranking remark)."""
from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.segment import segment


def read(text: str):
    paragraphs = segment(clean(text))
    ctx = document_context(paragraphs)
    return ctx, [m for m in extract(paragraphs, ctx) if m.kind in ("actual", "target")]


def regions(ms, value: float) -> set:
    return {m.region for m in ms if m.value == value}


def test_a_county_named_once_further_down_owns_the_county_town_figures():
    # a quarterly note with no title: the values say only 县城区; the county is named in section two
    ctx, ms = read("一、环境空气质量状况\n"
                   "2021年7月1日至9月30日，环境空气质量优良天数88天，优良率为95.7%，首要污染物为臭氧。\n"
                   "2021年三季度县城区细颗粒物(PM2.5)浓度为11.2微克/立方米，同比下降8.0%。\n"
                   "二、县城区集中式饮用水源地\n"
                   "2021年8月2日对青川县城区集中式饮用水水源地水质进行了监测，各项指标均达标。\n")
    assert (ctx.region, ctx.region_level) == ("青川县", "county")
    assert regions(ms, 95.7) == regions(ms, 11.2) == {"青川县"}


def test_an_abstract_ending_on_its_county_is_the_countys_not_the_countrys():
    # the country is named only in an honour; the province only to place the county
    ctx, ms = read("摘要\n"
                   "<正>曾被评为全国生态文明建设示范县，2021年空气质量优良天数比例为99.2%，"
                   "森林覆盖率达78.5%……这是浙江省安吉县近年来生态建设的成绩。\n")
    assert ctx.region == "安吉县"
    assert regions(ms, 99.2) == regions(ms, 78.5) == {"安吉县"}


def test_an_autonomous_county_and_its_province_give_the_county():
    ctx, ms = read("(图片)\n"
                   "2月20日，三都水族自治县第十七届人民代表大会第二次会议开幕，三都水族自治县人民政府"
                   "县长作政府工作报告。三都水族自治县代表团参会。\n"
                   "报告说，2022年，三都全年县城空气质量平均优良天数比率达98.1%，县城集中式饮用水源地"
                   "水质达标率为100%。\n"
                   "同时推进长江十年禁渔，获评贵州省生态修复典型案例。\n"
                   "贵州省某报记者 某某\n")
    assert ctx.region == "三都水族自治县"
    assert regions(ms, 98.1) == {"三都水族自治县"}


def test_a_single_province_named_once_does_not_make_a_text_the_provinces():
    ctx, _ = read("系统总结2024年生态环境保护工作。\n联合四川省政府举办环境日活动。全年受理群众信访举报3.1万件。\n")
    assert ctx.region != "四川省"


def test_a_line_opening_on_the_period_goes_on_with_the_place_of_the_line_before():
    # a national release whose lines were broken after each region's monthly figures
    _, ms = read("2019年11月全国空气质量状况\n"
                 "11月，全国337个地级及以上城市平均优良天数比例为84.1%。\n"
                 "长三角地区41个城市11月平均优良天数比例为80.1%；PM2.5浓度为45微克/立方米。\n"
                 "1-11月，平均优良天数比例为78.2%；PM2.5浓度为33微克/立方米。汾渭平原11个城市11月"
                 "平均优良天数比例为58.3%。\n"
                 "1-11月，平均优良天数比例为60.7%，同比上升1.1个百分点。\n")
    assert regions(ms, 78.2) == regions(ms, 33) == {"长三角地区"}
    assert regions(ms, 60.7) == {"汾渭平原"}
    assert regions(ms, 84.1) == {"全国"}


def test_a_provinces_own_zones_and_basin_cities_are_not_the_province_nor_the_basin():
    ctx, ms = read("陕西省生态环境厅发布5月全省空气质量状况。\n"
                   "2021年5月，全省13个市(区)平均优良天数26.0天，同比减少0.5天。\n"
                   "秦岭区域5月平均优良天数29.0天，同比增加1.0天。1~5月平均优良天数140.2天，同比减少2.0天。\n"
                   "黄河流域5月平均优良天数24.1天，同比减少0.4天。1~5月平均优良天数110.5天。\n")
    assert ctx.region == "陕西省"
    assert regions(ms, 26.0) == {"陕西省"}
    assert regions(ms, 29.0) == regions(ms, 140.2) == {None}
    assert regions(ms, 24.1) == regions(ms, 110.5) == {None}
    # in a national report the basin is the basin
    _, ms = read("2023年全国生态环境状况公报\n2023年，全国地表水优良水质断面比例为89.4%。"
                 "黄河流域水质优良断面比例为87.5%。\n")
    assert regions(ms, 87.5) == {"黄河流域"}


def test_the_whole_province_in_a_digest_is_the_province_its_section_names():
    _, ms = read("2022年各地生态环境状况公报陆续发布\n"
                 "近日，生态环境部公布2022年全国地级及以上城市PM2.5浓度为29微克/立方米。\n"
                 "北京市\n"
                 "2022年，北京市PM2.5年均浓度为30微克/立方米。\n"
                 "河北省\n"
                 "2022年，河北省空气质量综合指数为4.26。全省PM2.5年平均浓度为36.8微克/立方米。\n"
                 "陕西——\n"
                 "全省13个市(区)空气质量平均优良天数为265.3天。\n")
    assert regions(ms, 36.8) == {"河北省"}
    assert regions(ms, 265.3) == {"陕西省"}
    assert regions(ms, 30) == {"北京市"}


def test_a_province_a_city_is_ranked_in_does_not_take_the_citys_value():
    _, ms = read("2020年城市空气质量排名\n"
                 "2020年，南通市区环境空气质量达到二级标准，在全国168个重点城市中排行第五，江苏省排排行第二，"
                 "空气质量优良率为88.8%。\n")
    assert regions(ms, 88.8) == {"南通市"}


def test_a_traditional_variant_of_a_province_labels_its_section():
    _, ms = read("2019年全國生態環境質量簡況\n全國337個地級及以上城市平均優良天數比例為82.0%。\n"
                 "陜西——\n全省13個市(區)空氣質量平均優良天數為265.3天。\n")
    assert regions(ms, 265.3) == {"陕西省"}


def test_numbered_subsections_under_a_city_label_stay_that_citys():
    # a digest of several cities: the city's numbered sub-headings do not end its section, the
    # next city's label does, and 全市 means the city of the label, not the document's own
    _, ms = read("以下为部分地区水质监测结果:\n"
                 "泰州:2021年5月地表水水质情况:\n(1)国控断面水质\n"
                 "全市国控断面有12个。2021年5月,11个断面达到Ⅲ类或以上水质,优Ⅲ比例为91.7%。\n"
                 "(2)省控以上断面水质\n"
                 "全市省控以上断面有39个。2021年5月,优Ⅲ比例为92.3%。\n"
                 "赣州:集中式饮用水源水质状况报告\n"
                 "2021年6月,对赣州市中心城区3个集中式饮用水源地进行了监测,达标率为100%。\n")
    assert regions(ms, 91.7) == regions(ms, 92.3) == {"泰州市"}


def test_a_city_cluster_in_a_regions_report_does_not_carry_to_the_next_sentence():
    ctx, ms = read("自治区政府工作报告\n新疆维吾尔自治区十四届人大三次会议开幕,自治区主席作政府工作报告。"
                   "新疆维吾尔自治区各族人民…\n"
                   "报告说,2024年,天山北坡城市群空气质量优良天数比例达90%、提高3.4个百分点。"
                   "沙漠边缘阻击战扎实推进。完成造林130.6万亩,种草改良470万亩。\n")
    assert ctx.region == "新疆维吾尔自治区"
    assert regions(ms, 130.6) == {"新疆维吾尔自治区"}


def test_township_sources_are_a_part_of_the_county_unless_listed_with_the_towns():
    _, ms = read("2020年丰都县生态环境质量\n2020年,全县县级饮用水水源地水质达标率为100%,"
                 "乡镇饮用水水源地水质达标率93.9%。\n")
    assert regions(ms, 93.9) == {None}
    _, ms = read("2021年梁平区生态环境质量\n2021年,城区集中式饮用水源地及乡镇集中式饮用水源地水质达标率均为100%。\n")
    assert regions(ms, 100) == {"梁平区"}


def test_unknown_names_listed_before_a_known_one_make_a_list_not_that_place():
    _, ms = read("2019年云南省生态环境状况公报\n2019年,全省平均优良天数比例为98.1%,"
                 "其中香格里拉、丽江、大理、芒市、楚雄优良天数比例为100%。\n")
    assert regions(ms, 98.1) == {"云南省"}
    assert "楚雄彝族自治州" not in regions(ms, 100)


def test_a_title_naming_the_country_and_one_province_is_national():
    ctx, _ = read("原标题:7月中国重点城市空气质量公布 山西包揽最差前三\n"
                  "生态环境部公布7月重点城市空气质量排名,山西省太原、阳泉、临汾市空气质量相对较差。\n"
                  "7月,全国339个地级及以上城市平均优良天数比例为92.4%。\n")
    assert ctx.region == "全国"


def test_a_ranked_list_of_unknown_places_gives_none_of_its_values_to_the_city():
    _, ms = read("2020年第一季度安康市环境质量\n今年1-3月,安康中心城市优良天数81天,优良率89%。"
                 "一季度,全市10县区优良天数由多到少依次为镇坪91天、平利90天、岚皋88天。"
                 "优良天数由多到少依次为汉滨区85天、汉阴县79天。\n")
    assert regions(ms, 89) == {"安康市"}
    assert regions(ms, 91) <= {None}
    assert regions(ms, 85) <= {"汉滨区"}


def test_a_province_ranked_among_the_countrys_provinces_keeps_its_figures():
    _, ms = read("2021年广西生态环境质量\n2021年广西14个设区市环境空气质量优良天数比例为95.8%,"
                 "在全国31个省中排名第7名PM10平均浓度为48微克/立方米\n")
    assert regions(ms, 48) == {"广西壮族自治区"}


def test_an_autonomous_county_written_as_an_ordinary_county_is_found():
    from etl.catalog.gazetteer import find_regions
    assert [r.name for r in find_regions("维西县总采样天数为339天,优良率100%")] == ["维西傈僳族自治县"]
    assert [r.name for r in find_regions("城步县(3.37)、绥宁县(3.83)")] == ["城步苗族自治县", "绥宁县"]
    # not when an ordinary phrase holds the form
    assert [r.name for r in find_regions("河南县域经济发展")] == ["河南省"]


def test_the_average_of_all_the_counties_is_the_regions_headline_unless_it_gave_one_before():
    _, ms = read("大理白族自治州2023年环境状况公报\n2023年,全州环境空气质量总体保持良好,全州12县(市)平均"
                 "优良天数比例为98.5%;全州国控、省控断面优良水体比例为91.67%。\n")
    assert regions(ms, 98.5) == {"大理白族自治州"}
    _, ms = read("2023年贵州省空气质量月报。\n2023年5月,全省9个中心城市平均优良天数比率为97.2%;"
                 "全省88个县(市、区)平均优良天数比率为98.0%。\n")
    assert regions(ms, 97.2) == {"贵州省"} and regions(ms, 98.0) == {None}


def test_a_stretch_of_a_river_or_canal_in_the_province_is_a_part():
    _, ms = read("2024年7月江苏省地表水环境质量\n2024年7月,国考断面水质优Ⅲ比例为38.1%;"
                 "南水北调东线江苏段评价断面水质优Ⅲ比例为22.7%。\n")
    assert regions(ms, 38.1) == {"江苏省"}
    assert regions(ms, 22.7) == {None}


def test_the_counties_average_in_a_later_section_is_a_part_when_the_headline_came_first():
    _, ms = read("2019年2月贵州省环境空气质量\n一、9个中心城市空气质量状况\n"
                 "2019年2月,全省9个中心城市空气质量平均优良天数比率为98.4%,同比上升3.6个百分点。\n"
                 "二、88个县(市、区)城市空气质量状况\n"
                 "2019年2月,全省88个县(市、区)城市空气质量平均优良天数比率为98.6%,同比上升4.0个百分点。\n")
    assert regions(ms, 98.4) == {"贵州省"}
    assert regions(ms, 98.6) == {None}
    assert all(m.region_source != "average" for m in ms)


def test_places_listed_and_then_counted_share_the_value_each():
    # a provincial water note ranking its cities: five cities named, then '5个市', then one rate
    _, ms = read("某省2022年1—9月地表水环境质量\n"
                 "2022年1—9月,全省16个地级市里,宣城、池州、安庆和黄山4个市国考断面水质优良比例"
                 "达到100%,并列第1。淮北和宿州两个市PM2.5平均浓度为38微克/立方米。\n")
    assert regions(ms, 100.0) == {"宣城市", "池州市", "安庆市", "黄山市"}
    assert regions(ms, 38.0) == {"淮北市", "宿州市"}
    assert not [m for m in ms if m.value in (4.0, 2.0) and m.indicator_id]   # the counts are no catalog value
    # a bound they fall under is no level of each ('…2个城市优良天数比例不足60%')
    _, ms = read("2020年8月,运城、晋中2个城市优良天数比例不足60%。\n")
    assert not [m for m in ms if m.value == 60.0 and m.region in ("运城市", "晋中市")]
    # a count that is not theirs ('3个市' after two names) leaves the list as written
    _, ms = read("2022年1—9月,淮北和宿州3个市PM2.5平均浓度为38微克/立方米。\n")
    assert "淮北市" not in regions(ms, 38.0)


def test_a_local_report_titled_on_a_part_gives_that_part_the_values_that_name_no_place():
    # a county-level city's quarterly note on its township sources only: the rate is theirs,
    # not the city's; the same note on the city's own sources gives the city the rate
    note = ("某某市{}饮用水水源地水质状况报告\n(2024年第三季度)\n一、监测概况\n"
            "2024年8月,全市共监测7个水源地。\n三、评价结论\n所测7个饮用水源地,达标率为100%。\n")
    ctx, ms = read(note.format("乡镇").replace("某某市", "德兴市"))
    assert ctx.region == "德兴市"
    assert [m.region for m in ms if m.value == 100.0 and m.indicator_id] == [None]
    _, ms = read(note.format("集中式").replace("某某市", "德兴市"))
    assert [m.region for m in ms if m.value == 100.0 and m.indicator_id] == ["德兴市"]


def test_a_countys_own_words_never_go_to_the_one_city_it_names_nor_to_the_country():
    # '全县' with one prefecture named (the field it is ranked in, a neighbour's figure): the county
    # is not that city, and a text that never names the country is not national either
    ctx, ms = read("空气质量通报\n2023年,全县PM2.5平均浓度为30微克/立方米。在渭南市11个区县中排名第3,邻县平均为35微克/立方米。\n")
    assert ctx.region is None
    assert regions(ms, 30.0) == {None}
    assert "全国" not in regions(ms, 35.0)
    # a province's '我省' naming its province once, in passing, among its cities: that province
    ctx, ms = read("全省空气质量持续改善\n2023年,我省PM2.5平均浓度为30微克/立方米。西安市、宝鸡市、咸阳市"
                   "PM2.5浓度同比下降。陕西省将继续推进蓝天保卫战。我省地表水优良水质断面比例为95.1%。\n")
    assert ctx.region == "陕西省"
    assert regions(ms, 30.0) == regions(ms, 95.1) == {"陕西省"}


def test_the_governments_of_several_leagues_and_cities_are_no_self_mention():
    # '全区12个盟市政府驻地城市…平均' is the region's headline average; '盟市政府' is not '市政府' (全市)
    ctx, ms = read("内蒙古自治区2019年环境空气质量状况\n"
                   "2019年,全区12个盟市政府驻地城市的空气质量平均达标天数比例为88.4%。\n"
                   "市政府表示,全市PM2.5平均浓度为27微克/立方米。\n")
    assert ctx.region == "内蒙古自治区"
    assert regions(ms, 88.4) == {"内蒙古自治区"}
    assert regions(ms, 27.0) == {None}   # a city's own words in a region's report: whose, unsaid


def test_the_sentences_after_a_part_named_as_subject_go_on_with_that_part():
    # a region's monthly note (own words): the prefecture cities' averages first, then the county
    # towns', whose pollutant sentences name neither the region nor the towns again
    _, ms = read("2022年8月广西壮族自治区环境空气质量状况\n一、设区城市空气质量\n"
                 "2022年8月,全区14个设区市空气质量优良天数比例为96.3%,比上年同期上升1.5个百分点。PM2.5浓度为14.6微克/立方米,"
                 "比上年同期下降3.0%;O3浓度为124微克/立方米,比上年同期上升6.0%。\n"
                 "二、县级城市空气质量\n"
                 "2022年8月,全区70个县级城市空气质量优良天数比例为97.9%,比上年同期下降0.3个百分点。PM2.5浓度为17微克/立方米,"
                 "比上年同期下降5.9%;O3浓度为108微克/立方米,比上年同期上升2.8%。\n")
    assert regions(ms, 96.3) == regions(ms, 14.6) == regions(ms, 124) == {"广西壮族自治区"}
    # the county towns' figures are theirs (a part), not the region's
    assert regions(ms, 97.9) <= {None} and regions(ms, 17) == regions(ms, 108) == {None}


def test_the_area_word_points_back_at_the_area_named_before_it():
    # a national digest (own words): an area, a city inside it, then '该区域' for the area
    _, ms = read("2017年全国重点区域空气质量\n2017年,长三角区域PM2.5浓度为46微克/立方米,比上年下降4.3%,"
                 "其中上海市PM2.5浓度为41微克/立方米。该区域平均优良天数比例为74.8%,其中上海市为75.3%。\n"
                 "2017年,全国地级以上的338个城市优良天数比例平均为77.6%。\n")
    assert regions(ms, 74.8) == {"长三角地区"} and regions(ms, 77.6) == {"全国"}
    # with no area named before it, '该区域' is nobody's (never the document's own region)
    _, ms = read("2017年全国空气质量\n2017年,全国地级以上的338个城市优良天数比例平均为77.6%。"
                 "该区域平均优良天数比例为80.3%。\n")
    assert regions(ms, 80.3) <= {None}



def test_a_part_named_in_one_sentence_keeps_the_next_sentences_that_name_no_place():
    # a province's monthly note turning to its sub-areas: the later sentences of a sub-area's
    # paragraph are the sub-area's, not the province's
    ctx, ms = read("江苏省生态环境厅发布2023年5月全省城市空气质量状况。\n"
                   "全省13个设区市平均优良天数比例为81.0%。PM2.5浓度为33微克/立方米。\n"
                   "苏中区域3个城市平均优良天数比例为77.5%,同比上升1.0个百分点。PM2.5浓度为38微克/立方米;"
                   "PM10浓度为61微克/立方米。\n"
                   "南京市优良天数比例为90.3%。PM2.5浓度为27微克/立方米。\n")
    assert ctx.region == "江苏省"
    assert regions(ms, 33.0) == {"江苏省"}
    assert regions(ms, 77.5) == regions(ms, 38.0) == regions(ms, 61.0) == {None}
    assert regions(ms, 27.0) == {"南京市"}


def test_the_county_seat_and_the_townships_are_parts_of_the_county():
    ctx, ms = read("2024年3月份环境空气质量通报\n发布时间:2024-04-08 来源:休宁县生态环境分局\n"
                   "3月份,全县空气质量优良率为96.8%,PM2.5月平均浓度为27微克/立方米。"
                   "其中县城空气质量优良率为93.5%,乡镇PM2.5平均浓度为22微克/立方米。\n"
                   "全县城乡环境空气质量总体稳定,优良天数30天。\n")
    assert ctx.region == "休宁县"
    assert regions(ms, 96.8) == regions(ms, 27.0) == {"休宁县"}
    assert regions(ms, 93.5) == regions(ms, 22.0) == {None}
    assert regions(ms, 30.0) == {"休宁县"}   # '全县城乡' is the whole county, no county seat


def test_a_two_character_county_opening_a_clause_does_not_take_the_place_before():
    # the gazetteer leaves out two-character county names; such a county listed after a known one
    # has its own value, neither the known county's nor the city's
    ctx, ms = read("发布时间:2024-01-20 来源:黄山市生态环境局\n"
                   "2023年,全市环境空气质量优良天数比例为97.5%。休宁县优良天数比例为98.6%;歙县优良天数比例为"
                   "96.4%,PM2.5平均浓度为21微克/立方米。\n")
    assert ctx.region == "黄山市"
    assert regions(ms, 97.5) == {"黄山市"}
    assert regions(ms, 98.6) == {"休宁县"}
    assert regions(ms, 96.4) == {None}


def test_a_county_page_that_also_names_its_city_is_the_countys():
    ctx, ms = read("绩溪县人民政府\n信息公开\n2024年5月全县空气质量状况\n发布时间:2024-06-06\n"
                   "5月,全县空气质量优良天数比例为96.8%,PM2.5平均浓度为19微克/立方米,在宣城市各县市区中排名"
                   "第3。宣城市平均优良天数比例为93.5%。\n全县地表水考核断面水质优良比例为100%。\n")
    assert ctx.region == "绩溪县"
    assert regions(ms, 96.8) == regions(ms, 19.0) == {"绩溪县"}
    assert regions(ms, 93.5) == {"宣城市"}


def test_a_provincial_story_naming_one_of_its_cities_is_the_provinces():
    # no headline line: the opening sentence is taken for the title, and it names a city too
    ctx, ms = read("某某在线6月2日讯 记者从省生态环境厅获悉,1-5月,全省设区城市PM2.5平均浓度为27微克/立方米,"
                   "优良天数比例为88.1%。11个设区市中,丽水PM2.5浓度最低,为19微克/立方米。"
                   "县级以上城市优良天数比例为91.4%。浙江省将继续推进臭氧治理。\n")
    assert ctx.region == "浙江省"
    assert regions(ms, 27.0) == regions(ms, 88.1) == {"浙江省"}
    assert regions(ms, 19.0) == {"丽水市"}
    assert regions(ms, 91.4) == {None}   # the county-level cities' average is a group's


def test_the_filing_place_of_a_newswire_and_a_list_of_kinds_of_place():
    from etl.catalog import gazetteer
    assert gazetteer.filed_from("新华社昆明4月1日电(记者 某某)全省…").name == "昆明市"
    assert gazetteer.filed_from("本报讯 全省空气质量…") is None
    # '各县市区' lists kinds of place: no 市区 (the city's urban area) in it
    assert [r.name for r in gazetteer.find_regions("在某某市各县市区中排名第2")] == []
    assert [r.name for r in gazetteer.find_regions("市区优良天数比例为90%")] == ["市区"]


def test_the_urban_area_set_apart_from_the_whole_city_is_a_part():
    ctx, ms = read("我市1-4月空气质量排名全省第三\n发布日期:2024-05-10 来源:常州市生态环境局\n"
                   "1-4月,我市空气质量优良天数比例为83.3%,PM2.5平均浓度为36微克/立方米。其中,市区优良天数比例为"
                   "81.7%。\n")
    assert ctx.region == "常州市"
    assert regions(ms, 83.3) == regions(ms, 36.0) == {"常州市"}
    assert regions(ms, 81.7) == {None}
    # alone, the urban area stands for the city (its stations are there)
    _, ms = read("发布日期:2024-05-10 来源:常州市生态环境局\n1-4月,市区优良天数比例为81.7%。\n")
    assert regions(ms, 81.7) == {"常州市"}
