"""False values of the eighth session's development sets, as general mechanisms (sentences are
our own: other places, numbers and wording than any real page)."""
from __future__ import annotations

from etl.clean import clean
from etl.context import document_context
from etl.segment import segment
from tests.reading import levels, read


def _ctx(text: str):
    return document_context(segment(clean(text)), None)


# --- a release's period named after its announcement and a counted subject ---------------------

def test_a_period_after_an_announcement_and_a_counted_group_is_the_releases():
    for lead in ("市生态环境局今日发布了全市9个县区2031年3月空气质量状况。",
                 "省生态环境厅今天通报全省11个设区市2031年3月环境空气质量。",
                 "记者从省厅获悉,省厅公布了我省2031年3月份环境空气质量状况。"):
        ctx = _ctx("某省发布3月空气质量排名\n" + lead + "\n负责人介绍,平均优良天数比例为88.8%。")
        assert (ctx.report_year, ctx.default_months) == (2031, "3"), lead
    # (a plan's span or a book named after the verb is no period the page reports on)
    ctx = _ctx("某市环境新闻\n市政府发布了《某市生态环境保护规划(2031—2035年)》。\n全市优良天数比例为88.8%。")
    assert ctx.default_months == "1-12"


def test_a_base_years_figure_compared_over_the_same_months_is_of_those_months():
    text = ("省厅发布10个城市5月空气质量\n省生态环境厅今日发布了10个城市2031年5月空气质量状况。\n"
            "负责人介绍,10个城市平均优良天数比例为86.2%,与2030年(84.0%)同比上升2.2个百分点;"
            "PM2.5浓度均值为31微克/立方米,较2030年同期(33微克/立方米)有所下降。")
    got = levels(read(text))
    assert ("优良天数比例", None, 2030, "5", 84.0) in [(g[0], None, *g[2:]) for g in got]
    assert ("PM2.5浓度", None, 2030, "5", 33.0) in [(g[0], None, *g[2:]) for g in got]
    assert not [g for g in got if g[2] == 2030 and g[3] == "1-12"]


def test_a_base_year_in_a_whole_year_review_keeps_the_whole_year():
    got = levels(read("2031年某市环境状况公报\n2031年,全市优良天数比例为90.1%,与2030年(88.0%)同比上升2.1个百分点。"))
    assert [g[2:] for g in got if g[4] == 88.0] == [(2030, "1-12", 88.0)]


# --- a period's length in brackets --------------------------------------------------------------

def test_a_periods_length_in_brackets_is_no_count_of_days():
    text = ("某市2031年6月环境空气质量通报\n2031年6月(30天),全市平均优良天数为24天,占80%;"
            "2031年1—6月(共181天),优良天数为140天。一季度(90天)重污染天数为2天。")
    days = [g[4] for g in levels(read(text)) if g[0] in ("优良天数", "重污染天数")]
    assert 30.0 not in days and 181.0 not in days and 90.0 not in days
    assert 24.0 in days and 140.0 in days


def test_a_count_of_days_in_brackets_after_a_name_is_still_read():
    days = [g[4] for g in levels(read("2031年某市环境状况\n2031年,全市优良天数(320天)占87.7%,重污染天数为3天。"))
            if g[0] == "重污染天数"]
    assert days == [3.0]


# --- the start of a span counted from an event --------------------------------------------------

def test_the_year_an_event_started_a_span_is_not_the_year_reviewed():
    ctx = _ctx("6月8日,省厅发布的报告显示,5月份全省空气质量为2031年新标准实施以来同期最好。\n"
               "5月份全省PM2.5平均浓度为33微克/立方米。")
    assert ctx.report_year != 2031
    assert not [g for g in levels(read("6月8日,省厅发布的报告显示,5月份全省空气质量为2031年新标准实施以来同期最好。\n"
                                       "5月份全省PM2.5平均浓度为33微克/立方米。")) if g[2] == 2031]


def test_a_year_whose_result_is_the_best_since_monitoring_began_is_still_reviewed():
    ctx = _ctx("某市环境新闻\n2031年全市空气质量为开展监测以来最好,优良天数比例为91.2%。")
    assert ctx.report_year == 2031


# --- a pledge kept is a level -------------------------------------------------------------------

def test_a_level_held_to_in_the_perfect_is_no_target():
    for sentence in ("2031年,全市PM2.5年均浓度控制在了29微克/立方米。",
                     "2031年,全市PM2.5年均浓度已控制在29微克/立方米。"):
        got = read("某市2031年空气质量新闻\n" + sentence)
        assert [(m.kind, m.value) for m in got if m.indicator == "PM2.5浓度"] == [("actual", 29.0)], sentence
    got = read("某市2031年空气质量新闻\n2032年,全市PM2.5年均浓度控制在29微克/立方米以内。")
    assert [m.kind for m in got if m.indicator == "PM2.5浓度"] == ["target"]


# --- a whole year's figure before the year is over ----------------------------------------------

def test_a_whole_years_figure_on_a_page_dated_early_that_year_is_its_goal():
    text = ("某省土壤污染防治工作方案\n发布时间:2031-04-12\n"
            "2031年,全省受污染耕地安全利用率达到92%左右,污染地块安全利用率达到90%以上。"
            "到2035年,两项比例均达到95%以上。")
    kinds = {(m.indicator, m.year): m.kind for m in read(text) if m.indicator_id and m.kind != "change"}
    assert kinds[("受污染耕地安全利用率", 2031)] == "target"
    assert kinds[("污染地块安全利用率", 2031)] == "target"


def test_a_measured_or_part_year_figure_of_the_pages_year_stays_a_level():
    for body in ("2031年,全省受污染耕地安全利用率达到92%,同比提高1个百分点。",
                 "截至2031年3月底,全省受污染耕地安全利用率已达到92%。",
                 "2031年1-3月,全省优良天数比例达到92.1%。"):
        got = read("某省环境新闻\n发布时间:2031-04-12\n" + body)
        assert [m.kind for m in got if m.indicator_id and m.kind != "change"] == ["actual"], body
    # (dated in the year's last months: a summary may round off the year early)
    got = read("某省环境新闻\n发布时间:2031-12-20\n2031年,全省优良天数比例达到92.1%。")
    assert [m.kind for m in got if m.indicator_id] == ["actual"]


# --- figures under a goals heading --------------------------------------------------------------

def test_figures_under_a_goals_heading_are_targets():
    text = ("某市土壤污染防治实施方案\n发布时间:2036-02-01\n一、总体要求\n坚持预防为主。\n二、工作目标\n"
            "到2031年底,全市受污染耕地安全利用率达到93%,污染地块安全利用率达到91%。\n三、重点任务\n"
            "2035年,全市污染地块安全利用率为96%。")
    got = {(m.indicator, m.year, m.value): m.kind for m in read(text) if m.indicator_id and m.kind != "change"}
    assert got[("受污染耕地安全利用率", 2031, 93.0)] == "target"
    assert got[("污染地块安全利用率", 2031, 91.0)] == "target"
    assert got[("污染地块安全利用率", 2035, 96.0)] == "actual"


def test_a_heading_reporting_how_goals_were_met_sets_no_targets():
    text = ("某市2031年工作总结\n一、目标完成情况\n2031年,全市受污染耕地安全利用率达到93%。")
    assert [m.kind for m in read(text) if m.indicator_id and m.kind != "change"] == ["actual"]


# --- one kind of a whole beside the whole -------------------------------------------------------

def test_one_method_of_afforesting_beside_the_total_is_a_part():
    text = ("2031年浙江省国土绿化状况\n2031年,全省完成造林12万公顷,森林覆盖率达到41.2%。\n"
            "全年完成人工造林7万公顷,飞播造林2万公顷,封山育林3万公顷。")
    areas = [g for g in levels(read(text), "新增造林面积") if g[1] is not None]
    assert [g[4] for g in areas] == [180.0]


def test_one_method_of_afforesting_alone_is_the_regions_afforestation():
    areas = levels(read("2031年某县林业工作\n2031年,全县完成人工造林1.2万亩。"), "新增造林面积")
    assert [g[4] for g in areas] == [1.2]
    # (beside a broader figure, one that counts forest tending too, it is still the afforestation)
    text = ("2031年浙江省林业工作\n2031年,全省完成营造林面积320.5万亩。\n全年完成人工造林88.6万亩、封山育林40.2万亩。")
    areas = [g[4] for g in levels(read(text), "新增造林面积") if g[1] == "浙江省"]
    assert 88.6 in areas


# --- what a share counts, named between its name and its value ----------------------------------

def test_sections_named_after_the_grade_keep_a_share_on_sections_amid_lakes():
    text = ("2031年某省生态环境状况\n2031年,全省对86条河流的190个监测断面、12个湖泊、9座水库开展监测,总体水质良好。"
            "其中,水质为Ⅰ至Ⅲ类的断面占比88.4%,劣Ⅴ类断面占比0.5%。")
    got = levels(read(text))
    assert [g[4] for g in got if g[0] == "地表水优良水质断面比例"] == [88.4]
    assert not [g for g in got if g[0] == "重点湖库水质优良比例"]


def test_a_lakes_share_stays_the_lakes():
    got = levels(read("2031年某省生态环境状况\n2031年,全省重点湖泊和水库中,水质优良比例为71.4%。"))
    assert [g[0] for g in got] == ["重点湖库水质优良比例"]
    got = levels(read("2031年某市生态环境状况\n2031年20个湖库监测断面中,Ⅰ~Ⅲ类水质断面15个,占75%。"))
    assert [g[0] for g in got] == ["重点湖库水质优良比例"]


# --- a figure written with fewer digits that the exact one rounds to ---------------------------

def test_a_headlines_figure_with_fewer_digits_gives_way_to_the_exact_one():
    text = ("2031年上半年全国环保举报4.3万件\n2031年上半年,全国各级生态环境部门共接到举报42870件。")
    got = [m for m in read(text) if m.indicator == "群众信访举报件数" and m.kind == "actual"]
    assert [m.value_text for m in got] == ["42870"]
    text = "某省1月优良天数比例为86%\n发布时间:2031-02-05\n今年1月份,全省优良天数比例为86.0%,同比上升2个百分点。"
    got = [m for m in read(text) if m.indicator == "优良天数比例" and m.kind == "actual"]
    assert [m.value_text for m in got] == ["86.0"]


def test_two_figures_that_differ_by_more_than_rounding_are_both_kept():
    text = ("2031年某市环境状况\n2031年,全市PM2.5平均浓度为35微克/立方米。\n"
            "剔除沙尘影响后,全市PM2.5平均浓度为34.2微克/立方米。")
    assert sorted(g[4] for g in levels(read(text), "PM2.5浓度")) == [34.2, 35.0]


# --- a range the figure moved within ------------------------------------------------------------

def test_a_range_a_price_moved_within_is_no_level():
    text = ("2031年全国碳市场运行情况\n2031年,全国碳市场综合价格收盘价在52元/吨至88元/吨,"
            "年底综合价格收盘价为81.25元/吨。")
    assert [g[4] for g in levels(read(text), "碳市场收盘价")] == [81.25]


# --- a named river with its grade written before its water --------------------------------------

def test_a_named_rivers_graded_share_is_the_rivers_not_the_provinces():
    text = ("2031年福建省环境状况公报\n2031年,全省主要河流Ⅰ类~Ⅲ类水质比例为95.1%。"
            "在主要河流方面,甲江、乙江Ⅰ类~Ⅲ类水质比例均为100%,丙溪为60%。")
    got = [g for g in levels(read(text), "地表水优良水质断面比例") if g[1] == "福建省"]
    assert [g[4] for g in got] == [95.1]
    got = levels(read("2031年福建省环境状况公报\n2031年,全省主要江河Ⅰ~Ⅲ类水质比例为95.1%。"))
    assert [(g[1], g[4]) for g in got] == [("福建省", 95.1)]


# --- a goal for what comes next -----------------------------------------------------------------

def test_a_goal_for_what_comes_next_in_a_whole_years_review_is_the_next_years():
    text = ("2031年广西空气质量状况\n2031年,广西空气质量优良天数比率为92.4%,同比上升0.3个百分点。\n"
            "下一步,广西将全力抓好秋冬季攻坚,确保完成优良天数比率不低于91.0%的目标。")
    got = [(m.year, m.kind, m.value) for m in read(text) if m.indicator == "优良天数比例" and m.kind != "change"]
    assert sorted(got) == [(2031, "actual", 92.4), (2032, "target", 91.0)]


def test_a_goal_for_what_comes_next_in_a_part_year_review_keeps_its_year():
    text = ("2031年1-9月广西空气质量状况\n2031年1-9月,广西空气质量优良天数比率为92.4%。\n"
            "下一步,广西将确保全年优良天数比率不低于91.0%。")
    got = [(m.year, m.kind) for m in read(text) if m.indicator == "优良天数比例" and m.kind == "target"]
    assert got == [(2031, "target")]


# --- a group's name whose opening quote was parted from it --------------------------------------

def test_a_groups_name_with_its_opening_quote_parted_is_still_the_group():
    from etl.catalog import gazetteer
    assert [r.name for r in gazetteer.find_regions("京津冀及周边“ 2+36”城市中PM2.5")][-1] == "京津冀及周边地区"
    assert [r.name for r in gazetteer.find_regions("“2+36”城市PM2.5平均浓度")] == ["京津冀及周边地区"]


# --- a period printed on its own line below chrome ---------------------------------------------

def test_a_period_line_below_the_pages_chrome_is_the_reports_period():
    text = ("某某文库\n合集下载\n相关主题\n- 1、下载前请自行甄别文档内容。\n- 2、仅部分预览。\n- 3、如有侵权请联系。\n"
            "丽水市集中式饮用水水源水质状况报告\n(2031年5月)\n一、评价结果\n"
            "开展监测的9个县级以上集中式饮用水水源中,有9个水源达标,占100%。")
    ctx = _ctx(text)
    assert (ctx.report_year, ctx.default_months) == (2031, "5")
    got = levels(read(text), "饮用水水源地水质达标比例")
    assert [(g[2], g[3]) for g in got] == [(2031, "5")]


# --- a counted group the page told from the region ----------------------------------------------

def test_a_counted_group_told_from_the_region_is_a_part_for_every_indicator():
    text = ("2031年8月陕西省环境空气质量状况\n2031年8月,全省平均优良天数26.4天。\n"
            "10个设区市8月优良天数平均27.2天,PM2.5平均浓度18微克/立方米。")
    got = levels(read(text))
    assert [g[4] for g in got if g[1] == "陕西省"] == [26.4]


def test_a_counted_group_alone_is_the_region():
    text = "2031年8月甘肃省环境空气质量状况\n2031年8月,14个城市平均优良天数比例为91.3%,PM2.5浓度均值为22微克/立方米。"
    got = levels(read(text))
    assert sorted(g[4] for g in got if g[1] == "甘肃省") == [22.0, 91.3]


# --- a headline's qualified place over a stray name spliced into it -----------------------------

def test_a_headlines_place_written_with_its_province_wins_over_a_stray_name():
    text = ("2036年01月13日\n四川省绵阳市打好净土保卫战实施方案昆明必去的五个景点\n昆明必去的五个景点:展览中的魅力\n"
            "二、工作目标\n到2030年底,全市受污染耕地安全利用率达到93%。")
    assert _ctx(text).region == "绵阳市"
    got = [(m.region, m.kind) for m in read(text) if m.indicator == "受污染耕地安全利用率"]
    assert got == [("绵阳市", "target")]


def test_a_region_wide_count_written_with_spaces_is_no_group():
    from etl.extract.counted_groups import _in_group
    assert not _in_group("全市 11 个区县排名第 2;PM10浓度为")
    assert not _in_group("全省13个市(区)平均优良天数比例为")
    assert _in_group("7个通道城市优良天数比例为")
