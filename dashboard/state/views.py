"""Per-page views: each page's settings read from the URL, checked against the warehouse."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.db import Warehouse
from dashboard.state.url import (
    default_indicator, format_years, join_list, parse_int, PREFERRED_REGION, raw, read_choice, read_indicator,
    read_metric, read_months, read_page, read_regions, read_years, reject, TREND_KINDS, write)

# ---- per-page views ---------------------------------------------------------------------

@dataclass
class TrendsView:
    indicator: pd.Series
    periods: list[str]
    months: str
    year_bounds: tuple[int, int]
    years: tuple[int, int]
    region_options: list[str]
    regions: list[str]
    kind: str
    metric: pd.Series | None
    tab: str
    defaults: dict[str, str] = field(default_factory=dict)  # URL encodings of the defaults


def _indicator_with_years(wh: Warehouse):
    """The URL's indicator, its months setting and the years holding its values (None: no indicator)."""
    indicator = read_indicator(wh)
    if indicator is None:
        return None
    months, periods = read_months(wh, indicator["indicator_id"])
    years = queries.indicator_years(wh.con, wh.key, indicator["indicator_id"], months)
    return indicator, months, periods, years


def trends_view(wh: Warehouse) -> TrendsView | None:
    chosen = _indicator_with_years(wh)
    if chosen is None:
        return None
    indicator, months, periods, years_available = chosen
    ind = indicator["indicator_id"]
    bounds = (years_available[0], years_available[-1])
    years = read_years(bounds)
    with_data = list(queries.indicator_regions(wh.con, wh.key, ind)["region"])
    default_regions = [PREFERRED_REGION] if PREFERRED_REGION in with_data else with_data[:1]
    regions = read_regions(wh, default_regions)
    kind = read_choice("kind", list(TREND_KINDS), "all")
    metric = read_metric(wh)
    tab = read_choice("tab", ["chart", "table"], "chart")
    return TrendsView(
        indicator=indicator, periods=periods, months=months, year_bounds=bounds, years=years,
        region_options=with_data + [r for r in regions if r not in with_data], regions=regions,
        kind=kind, metric=metric, tab=tab,
        defaults={"indicator": default_indicator(wh), "months": periods[0],
                  "years": format_years(bounds), "regions": join_list(default_regions),
                  "kind": "all", "tab": "chart"})


@dataclass
class RegionsView:
    indicator: pd.Series
    periods: list[str]
    months: str
    years_available: list[int]
    year: int
    kinds: list[str]
    kind: str
    metric: pd.Series | None
    tab: str
    defaults: dict[str, str] = field(default_factory=dict)


def regions_view(wh: Warehouse) -> RegionsView | None:
    chosen = _indicator_with_years(wh)
    if chosen is None:
        return None
    indicator, months, periods, years_available = chosen
    ind = indicator["indicator_id"]
    # the default is the latest year with measured values (later years often hold only targets)
    actual_years = queries.indicator_years(wh.con, wh.key, ind, months, "actual")
    latest = (actual_years or years_available)[-1]
    year_raw = raw("year")
    year = latest
    if year_raw is not None:
        parsed = parse_int(year_raw, 1900, 2200)
        if parsed in years_available:
            year = parsed
        else:
            reject("year", year_raw)
    kinds = queries.indicator_kinds(wh.con, wh.key, ind, months, year)
    default_kind = "actual" if "actual" in kinds else kinds[0]
    kind = read_choice("kind", kinds, default_kind)
    return RegionsView(
        indicator=indicator, periods=periods, months=months, years_available=years_available,
        year=year, kinds=kinds, kind=kind, metric=read_metric(wh),
        tab=read_choice("tab", ["chart", "map", "table"], "chart"),
        defaults={"indicator": default_indicator(wh), "months": periods[0], "year": str(latest),
                  "kind": default_kind, "tab": "chart"})


@dataclass
class DocumentView:
    documents: pd.DataFrame
    doc: pd.Series
    paragraphs: pd.DataFrame
    para: int | None
    metric_id: str | None


def document_view(wh: Warehouse) -> DocumentView | None:
    docs = queries.documents(wh.con, wh.key)
    if docs.empty:
        return None
    by_id = docs.set_index("doc_id", drop=False)
    para_raw, doc_raw = raw("para"), raw("doc")
    # a paragraph_id (doc_id-seq) names its document too
    para_id = re.fullmatch(r"([0-9a-f]{16})-(\d{1,6})", para_raw or "")
    if doc_raw is None and para_id and para_id.group(1) in by_id.index:
        doc_raw = para_id.group(1)
        write("doc", doc_raw)
    metric_raw = raw("metric")
    if doc_raw is None and metric_raw and re.fullmatch(r"[\w.-]{1,120}", metric_raw):
        # a value's id names its document and paragraph too
        found = queries.metric(wh.con, wh.key, metric_raw)
        if not found.empty:
            doc_raw = found["doc_id"].iloc[0]
            write("doc", doc_raw)
            if para_raw is None:
                para_raw = str(int(found["para_seq"].iloc[0]))
                write("para", para_raw)
    doc_id = docs["doc_id"].iloc[0]
    if doc_raw is not None:
        if doc_raw in by_id.index:
            doc_id = doc_raw
        else:
            reject("doc", doc_raw)
            para_raw = None
            st.query_params.pop("para", None)
    paragraphs = queries.paragraphs(wh.con, wh.key, doc_id)
    para = None
    if para_raw is not None:
        if para_id and para_id.group(1) == doc_id:
            para = int(para_id.group(2))
        else:
            para = parse_int(para_raw, 0, 10**6)
        if para is None or para not in set(paragraphs["seq"]):
            reject("para", para_raw)
            para = None
    metric_id = metric_raw
    if metric_id is not None:
        values = queries.document_values(wh.con, wh.key, doc_id)
        if metric_id not in set(values["metric_id"]):
            reject("metric", metric_id)
            metric_id = None
    return DocumentView(documents=docs, doc=queries.document(wh.con, wh.key, doc_id).iloc[0],
                        paragraphs=paragraphs, para=para, metric_id=metric_id)


@dataclass
class SearchView:
    query: str
    year_bounds: tuple[int, int] | None
    years: tuple[int, int] | None        # None: no year filter
    region_options: list[str]
    regions: list[str]
    documents: pd.DataFrame
    doc: str | None
    page: int


def search_view(wh: Warehouse) -> SearchView:
    query = (raw("q") or "").strip()
    bounds = queries.year_range(wh.con, wh.key)
    years = None
    if bounds and raw("years") is not None:
        years = read_years(bounds)
        if years == bounds:  # the whole range is no filter
            years = None
            write("years", None)
    region_options = list(queries.known_regions(wh.con, wh.key)["region"])
    regions = read_regions(wh, [])
    docs = queries.documents(wh.con, wh.key)
    doc = raw("doc")
    if doc is not None and doc not in set(docs["doc_id"]):
        reject("doc", doc)
        doc = None
    return SearchView(query=query, year_bounds=bounds, years=years, region_options=region_options,
                      regions=regions, documents=docs, doc=doc, page=read_page())
