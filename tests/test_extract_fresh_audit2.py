"""Rules found by a second audit of every value read from fresh pages (helper audit8): what a
named programme planted is that programme's, not the country's.

Sentences are written in our own words, read through the real clean -> segment -> context ->
extract stages."""
from __future__ import annotations

from tests.reading import read


def levels(metrics):
    return [(m.indicator, m.region, m.year, m.kind, m.value) for m in metrics
            if m.kind in ("actual", "target") and m.indicator_id]


def test_what_a_named_programme_planted_is_no_national_afforestation():
    ms = read("2030年全国国土绿化情况。\n2030年，全国完成造林300万公顷。"
              "沿海防护林等重点工程完成造林20.5万公顷，某某风沙源治理工程完成造林12.25万公顷。")
    # (a programme's own figure is left without a region, which the export leaves out)
    assert [m for m in levels(ms) if m[1]] == [("新增造林面积", "全国", 2030, "actual", 4500.0)]


def test_a_programme_named_for_afforestation_does_not_hide_the_national_total():
    ms = read("2030年全国国土绿化情况。\n2030年，全国造林工程建设扎实推进，全国完成造林300万公顷。")
    assert [m for m in levels(ms) if m[1]] == [("新增造林面积", "全国", 2030, "actual", 4500.0)]
