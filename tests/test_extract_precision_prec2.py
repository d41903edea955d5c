"""Extract stage, precision on monthly, quarterly and year-to-date air and water releases (helper
prec2, round 9): each case reproduces, in our own words, a layout seen on fresh provincial and
city pages, read through clean -> segment -> context -> extract."""
from __future__ import annotations

from tests.reading import levels, read


def test_a_mean_over_several_years_compared_against_names_no_whole_year():
    # a province's year-to-date note compares each area with its three-year mean ('较三年均值…'):
    # the 年均 inside 三年均值 is no yearly mean, so the next area in the sentence keeps 1-4
    text = ("某省日报 2022年05月26日\n"
            "今年1至4月,某省甲地区优良天数率为86.1%,同比上升2.2个百分点,较三年均值上升1.9个百分点;"
            "乙地区优良天数率为80.4%,同比上升6.3个百分点,较三年均值上升5.0个百分点;"
            "丙地区优良天数率为92.7%,同比上升4.4个百分点,较三年平均上升3.1个百分点。\n")
    assert {(v, m) for _, _, _, m, v in levels(read(text), "优良天数比例")} == {
        (86.1, "1-4"), (80.4, "1-4"), (92.7, "1-4")}


def test_a_year_written_before_its_mean_still_names_the_whole_year():
    # '2021年均值' and '年均浓度' keep naming the year's mean: only a count of years is set apart
    text = "2021年,乐山市PM2.5年均浓度为31微克/立方米,较2020年均值下降3微克/立方米。\n"
    assert levels(read(text), "PM2.5浓度") == [("PM2.5浓度", "乐山市", 2021, "1-12", 31)]


def test_the_mean_of_places_listed_and_counted_is_no_place_of_its_own():
    # a provincial monthly note lists its smaller cities, counts them and gives their mean share:
    # the mean is the group's, not each city's ('均为' would give each its own)
    text = ("2015年3月,南宁、柳州两市空气质量达标天数比例分别为88.1%、70.2%。"
            "梧州、钦州、贺州和崇左4个非重点城市按旧标准评价的空气质量达标天数比例均值为98.6%,"
            "与2月相比上升10.3个百分点。\n"
            "2015年4月,贵港、玉林和百色3个城市平均优良天数比例为95.0%。\n"
            "2015年5月,河池、来宾2个城市优良天数比例均为100%。\n")
    got = {(r, m, v) for _, r, _, m, v in levels(read(text), "优良天数比例") if r}
    assert got == {("南宁市", "3", 88.1), ("柳州市", "3", 70.2),
                   ("河池市", "5", 100.0), ("来宾市", "5", 100.0)}


def test_a_month_compared_with_is_no_period_of_the_values_after_it():
    # a province's February note compares each figure with January ('与1月份相比…', '比1月份上升了
    # 29位'); the sentences after it still speak of February
    text = ("2016年3月28日电 某自治区环保厅发布2016年2月份全区城市空气质量状况。\n"
            "其中,南宁、柳州两市空气质量达标天数比例分别为91.4%、66.2%,与1月份相比分别上升20.5、31.0个百分点;"
            "柳州市重度污染天数比例为3.4%。南宁市在74个城市中排名第21位,比1月份上升了17位。"
            "钦州、来宾空气质量达标天数比例均为96.6%。\n")
    got = {(r, m, v) for _, r, _, m, v in levels(read(text)) if r}
    assert got == {("南宁市", "2", 91.4), ("柳州市", "2", 66.2), ("柳州市", "2", 3.4),
                   ("钦州市", "2", 96.6), ("来宾市", "2", 96.6)}


def test_a_quarter_compared_with_gives_its_period_to_no_level():
    # 'compared with the second quarter, the share rose from A to B': B is the third quarter's
    text = ("2013年第三季度,京津冀地区13个城市空气质量达标天数比例平均为37.5%。"
            "与第二季度相比,平均达标天数比例由33.8%提高到37.5%,提高了3.7个百分点。\n")
    assert {m for _, _, _, m, v in levels(read(text), "优良天数比例") if v == 37.5} == {"7-9"}


def test_a_plan_a_review_is_made_under_sets_no_goal_for_its_figures():
    # a provincial water bulletin opens on the plan it is issued under ('按照《…行动计划工作方案…》
    # (…号)要求'), then reports the shares measured: levels, not the plan's goals
    text = ("按照《某省人民政府关于印发某省水污染防治行动计划工作方案的通知》(某政发〔2016〕5号)要求,"
            "我省对考核断面进行了监测评估,现将2018年1至5月水质情况通报如下:"
            "全省108个地表水考核断面中,水质符合Ⅰ~Ⅲ类的断面90个,占83.3%;水质为劣Ⅴ类的断面4个,占3.7%。\n")
    ms = [m for m in read(text) if m.indicator_id]
    assert {(m.indicator, m.kind, m.value) for m in ms} == {
        ("地表水优良水质断面比例", "actual", 83.3), ("劣Ⅴ类断面比例", "actual", 3.7)}
    # a plan cited for its figures keeps them goals
    plan = "根据《某市空气质量达标规划》,全市PM2.5浓度降至30微克/立方米。\n"
    assert [m.kind for m in read(plan) if m.indicator_id] == ["target"]


def test_days_that_missed_the_standard_are_no_good_days():
    # a city's year-to-date note gives the good days, then the days that missed the standard
    text = ("2016年1月1日至9月30日,沈阳市空气质量达标天数为181天,与去年同期相比增加9天;"
            "未达标天数92天,其中轻度污染60天。全市不达标天数比例为33.7%。\n")
    assert {(i, v) for i, _, _, _, v in levels(read(text))} == {("优良天数", 181.0)}
