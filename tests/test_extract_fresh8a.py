"""Shapes found on fresh real pages (eighth session, helper fresh8a), each written for the test in
our own words: a page's metadata printed as bullets under its title, one of them its bare date;
…"""
from __future__ import annotations

import pytest

from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.segment import segment


def read(text: str):
    paragraphs = segment(clean(text))
    ctx = document_context(paragraphs)
    return ctx, extract(paragraphs, ctx)


def rows(metrics):
    return {(m.indicator, m.region, m.year, m.months, m.kind, m.value) for m in metrics
            if m.kind in ("actual", "target")}


# --- a bare date as one bullet of the page's metadata ---------------------------------------------

@pytest.mark.parametrize("bullet", ["•", "·", "▪", "●"])
def test_a_bulleted_bare_date_under_the_title_dates_the_page(bullet):
    ctx, ms = read(f"首页  某省新闻  民生\n\n省厅通报今年前五个月空气质量\n\n  {bullet} 来源:某某网\n"
                   f"  {bullet} |\n  {bullet} 2019-05-06\n  {bullet} |\n  {bullet} 3 条评论\n\n"
                   "  今年1-4月，宁波市PM2.5均值为41微克/立方米。\n")
    assert ctx.published == "2019-05-06"
    assert ("PM2.5浓度", "宁波市", 2019, "1-4", "actual", 41.0) in rows(ms)


def test_a_bulleted_link_with_a_headline_and_a_date_is_still_another_articles_link():
    ctx, _ = read("某省空气质量通报\n\n  • 某市召开大气污染防治推进会 2018-03-02\n\n"
                  "  今年一季度，全省空气质量总体平稳。\n")
    assert ctx.published is None
