"""Running totals counted to a day part-way through a month (etl/extract/as_of_days.py): the total
reached on '12月14日' is read as January through December, the way '截至11月底' reads as January
through November; the page's date gives the year when the sentence names none. A mean to such a
day still has no period, and an indicator that is no running total is not read this way.

Sentences are our own, laid out like a traditional-script wire story reposted on a spam page
(a dateline line under the headline, the date in the body without a year)."""
from __future__ import annotations

from tests.reading import levels, read

PAGE = ("某某體育直播,免費在線觀看\n\n全國碳市場成交持續回暖\n\n2022-11-16 07:45:10 某某社   作者: 某某\n\n"
        "北京11月15日電 截至11月14日,全國碳市場碳排放配額累計成交量1.95億噸,累計成交額85.60億元。"
        "本月以來市場交投活躍。\n")


def test_a_running_total_to_a_day_is_january_through_its_month_in_the_pages_year():
    got = levels(read(PAGE))
    assert ("碳市场累计成交量", "全国", 2022, "1-11", 1.95) in got
    assert ("碳市场累计成交额", "全国", 2022, "1-11", 85.6) in got


def test_a_total_in_tonnes_and_yuan_to_a_day_converts_to_the_catalog_units():
    text = PAGE.replace("累計成交量1.95億噸,累計成交額85.60億元", "累計成交量195043218噸,累計成交額8560221305.17元")
    got = levels(read(text))
    assert ("碳市场累计成交量", "全国", 2022, "1-11", 1.95043218) in got
    assert any(g[:4] == ("碳市场累计成交额", "全国", 2022, "1-11") and abs(g[4] - 85.6022130517) < 1e-6 for g in got)


def test_a_day_in_december_on_a_january_page_is_of_the_year_before():
    text = PAGE.replace("2022-11-16", "2023-01-05").replace("北京11月15日電 截至11月14日", "北京1月4日電 截至12月20日")
    assert ("碳市场累计成交量", "全国", 2022, "1-12", 1.95) in levels(read(text))


def test_the_year_the_sentence_names_stands():
    text = PAGE.replace("截至11月14日", "截至2021年11月14日")
    assert ("碳市场累计成交量", "全国", 2021, "1-11", 1.95) in levels(read(text))


def test_a_mean_to_a_day_still_has_no_period():
    text = "某县空气质量通报\n2022-09-20 来源:某县生态环境局\n截至9月18日,全县PM2.5年均浓度为35微克/立方米。\n"
    assert not [g for g in levels(read(text)) if g[0] == "PM2.5浓度"]


def test_a_level_that_is_no_running_total_is_not_read_to_a_day():
    text = PAGE.replace("全國碳市場碳排放配額累計成交量1.95億噸,累計成交額85.60億元", "全省森林覆蓋率達到45.1%")
    assert not [g for g in levels(read(text)) if g[0] == "森林覆盖率"]


def test_an_undated_page_gives_no_year_to_the_day():
    text = PAGE.replace("2022-11-16 07:45:10 某某社   作者: 某某\n\n", "")
    assert [g[2] for g in levels(read(text)) if g[0].startswith("碳市场")] == [None, None]
