"""Values the reader used to miss on real pages (ninth session, recall on sets T and U): a named
water body's part that ended before a clause on another medium.

Sentences are our own, read through the real clean -> segment -> context -> extract stages."""
from __future__ import annotations

from tests.reading import levels, read


def test_a_named_lakes_part_ends_at_a_comma_before_a_clause_on_another_medium():
    text = ("某省2019年环境状况公报\n2019年,全省湖泊水质总体稳定,甲湖水质由劣Ⅴ类好转为Ⅴ类,"
            "地级城市集中式饮用水水源地水质达标率为96.5%。")
    got = levels(read(text.replace("某省", "云南省")))
    assert ("饮用水水源地水质达标比例", "云南省", 2019, "1-12", 96.5) in got


def test_a_named_lakes_part_still_reaches_its_own_waters_share_after_a_comma():
    text = "云南省2019年环境状况公报\n2019年,全省湖泊水质总体稳定,甲湖水质为优,Ⅰ~Ⅲ类水质比例为100%。"
    assert not [g for g in levels(read(text)) if g[1] == "云南省" and g[4] == 100.0]
