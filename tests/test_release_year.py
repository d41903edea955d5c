"""An undated story opening on the day of a release ('1月7日,…发布…2014年12月…') was written the
year after the month it reviews: its 去年 is the reviewed year (own-words fixtures)."""
from __future__ import annotations

from etl.extract.datelines import release_year
from tests.reading import levels, read


def test_a_january_day_before_a_december_review_is_the_next_year():
    assert release_year((2014, ["12"], "lead"), ["1月7日,某站发布《某省2014年12月水质状况》。"]) == 2015
    assert release_year((2014, ["6"], "lead"), ["7月3日,某站发布《某省2014年6月水质状况》。"]) == 2014
    assert release_year((2014, ["12"], "default"), ["1月7日,某站发布。"]) is None


def test_last_year_s_month_in_such_a_story_is_the_reviewed_month():
    ms = read("1月9日,某省监测站发布《某省2016年12月地表水水质状况》,全省水质总体良好。\n"
              "2016年12月,全省共监测断面120个。从水质看,去年12月Ⅰ~Ⅲ类水质断面占71.4%;劣Ⅴ类水质的断面占6.2%。")
    years = {y for i, r, y, mo, v in levels(ms) if v in (71.4, 6.2)}
    assert years == {2016}
