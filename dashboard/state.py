"""The state of every view lives in the URL; this module reads it back and writes it.

URL parameters (only values that differ from the view's default are written):

    lang       en                        interface language (default zh)
    page       trends|regions|document|search|data   alternative to the path, for old links
    indicator  pm25                      indicators.indicator_id
    regions    全国~北京市                 '~'-separated, like OWID; empty = none picked
    years      2019..2024                first..last year (a single year is 2024)
    months     1-12 | 1-9 | …            the period; one period at a time, whole year by default
    kind       all|actual|target|change  Trends: which series; Regions: actual|target|change
    year       2024                      Regions: the year compared
    metric     <metric_id>               the value whose source passage is open
    tab        chart|table|map|…         the visible tab of a page
    doc        <doc_id>                  Document: the document; Search: restrict to it
    para       12                        Document: paragraph seq (or a paragraph_id) to mark
    q          PM2.5                     Search: the query
    p          2                         Search: results page; Data: page of conflicts

Reading: everything in the URL is untrusted. Each reader parses a parameter, checks
it against the warehouse, drops what does not fit (with a short message and the
default instead) and returns a plain view object. Writing happens in widget
callbacks (`on_change`), never followed by st.rerun() (streamlit #7961). Before a
widget is drawn, `seed` puts the URL's value into its session-state key, so a link,
the back button and AppTest's query_params all drive the widgets.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.charts import selected_metric_ids
from dashboard.db import Warehouse
from dashboard.i18n import DEFAULT_LANG, LANGS, t, text

SEP = "~"
MAX_PARAM_LENGTH = 200
PREFERRED_INDICATOR = "pm25"      # the headline series, when the warehouse has it
PREFERRED_REGION = "全国"
TREND_KINDS = {"all": ("actual", "target"), "actual": ("actual",), "target": ("target",),
               "change": ("change",)}
RESULTS_PER_PAGE = 20


# the parameters each page reads; anything else is dropped from its URL
PAGE_PARAMS = {
    "trends": {"indicator", "regions", "years", "months", "kind", "metric", "tab"},
    "regions": {"indicator", "months", "year", "kind", "metric", "tab"},
    "document": {"doc", "para", "metric"},
    "search": {"q", "years", "regions", "doc", "p"},
    "data": {"tab", "indicator", "p"},
}
APP_PARAMS = {"lang", "page"}


# ---- primitives -----------------------------------------------------------------------

def raw(name: str) -> str | None:
    value = st.query_params.get(name)
    return None if value is None else str(value)[:MAX_PARAM_LENGTH]


def write(name: str, value: str | None, default: str | None = None) -> None:
    """Put a setting into the URL, or take it out when it is the default."""
    if value is None or value == default:
        st.query_params.pop(name, None)
    elif st.query_params.get(name) != value:  # each write is a message to the browser
        st.query_params[name] = value


def shown_safely(value: str) -> str:
    """A URL value safe to show inside a Markdown message: one code span, short, with no
    backtick and no line break (a blank line or a heading line would end the span early and
    let the rest render as Markdown: an image from any host, a link) or other control or
    format character (bidi overrides)."""
    flat = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in value)
    return "`" + flat.replace("`", "'")[:60] + "`"


def drop_foreign_params(page: str) -> None:
    """Keep the URL canonical: parameters the page does not read are dropped silently."""
    wanted = APP_PARAMS | PAGE_PARAMS.get(page, set())
    for name in [n for n in st.query_params if n not in wanted]:
        st.query_params.pop(name, None)


def reject(name: str, value: str) -> None:
    """Drop a parameter that does not fit and say so."""
    st.query_params.pop(name, None)
    st.warning(t("bad_param", name=name, value=shown_safely(value)), icon="⚠️")


def seed(widget_key: str, value) -> None:
    """Show the URL's value in a widget (only when it differs, to keep Streamlit's state)."""
    if widget_key not in st.session_state or st.session_state[widget_key] != value:
        st.session_state[widget_key] = value


def on_change(widget_key: str, name: str, encode: Callable, default: str | None,
              clears: tuple[str, ...] = ()) -> None:
    """Widget callback: the widget's new value into the URL; `clears` are settings it invalidates."""
    write(name, encode(st.session_state[widget_key]), default)
    for other in clears:
        st.query_params.pop(other, None)


def on_select_metric(chart_key: str) -> None:
    """Chart callback: a clicked point's metric_id into the URL (cleared with the selection)."""
    ids = selected_metric_ids(st.session_state.get(chart_key))
    write("metric", ids[0] if ids else None)


def join_list(values) -> str:
    return SEP.join(values)


def split_list(value: str) -> list[str]:
    return [v for v in value.split(SEP) if v] if value else []


def format_years(years) -> str:
    first, last = years
    return str(first) if first == last else f"{first}..{last}"


def parse_years(value: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{4})(?:\.\.(\d{4}))?", value.strip())
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    return (first, last) if first <= last else None


def parse_int(value: str, low: int, high: int) -> int | None:
    return int(value) if re.fullmatch(r"\d{1,6}", value) and low <= int(value) <= high else None


# ---- shared readers ---------------------------------------------------------------------

def read_lang() -> str:
    """lang=en switches to English. Kept in session state too, because switching pages
    through the navigation can drop the query string."""
    value = raw("lang")
    if value is not None and value not in LANGS:
        st.query_params.pop("lang", None)
        st.warning(text("bad_param", DEFAULT_LANG, name="lang", value=shown_safely(value)) + " / "
                   + text("bad_param", "en", name="lang", value=shown_safely(value)), icon="⚠️")
        value = None
    lang = value or st.session_state.get("lang", DEFAULT_LANG)
    st.session_state["lang"] = lang
    write("lang", lang, DEFAULT_LANG)
    return lang


def on_lang_change(widget_key: str) -> None:
    st.session_state["lang"] = st.session_state[widget_key]
    write("lang", st.session_state[widget_key], DEFAULT_LANG)


def read_choice(name: str, choices, default: str) -> str:
    value = raw(name)
    if value is None:
        return default
    if value not in choices:
        reject(name, value)
        return default
    return value


def read_indicator(wh: Warehouse) -> pd.Series | None:
    """The indicator row (indicator_id, name_zh, name_en, unit, category, …), or None if empty."""
    catalog = queries.indicators(wh.con, wh.key)
    if catalog.empty:
        return None
    chosen = read_choice("indicator", list(catalog["indicator_id"]), default_indicator(wh))
    return catalog.set_index("indicator_id", drop=False).loc[chosen]


def default_indicator(wh: Warehouse) -> str | None:
    """PM2.5 when there is any, else the indicator with the most values."""
    catalog = queries.indicators(wh.con, wh.key)
    if catalog.empty:
        return None
    ids = list(catalog["indicator_id"])
    return PREFERRED_INDICATOR if PREFERRED_INDICATOR in ids else \
        catalog.sort_values("n_values", ascending=False)["indicator_id"].iloc[0]


def read_months(wh: Warehouse, indicator_id: str) -> tuple[str, list[str]]:
    """(period, periods on offer): whole year by default, else the most reported period."""
    periods = list(queries.indicator_periods(wh.con, wh.key, indicator_id)["months"])
    return read_choice("months", periods, periods[0]), periods


def read_years(bounds: tuple[int, int], name: str = "years") -> tuple[int, int]:
    """A year range within bounds; partly outside is narrowed, wholly outside is dropped."""
    value = raw(name)
    if value is None:
        return bounds
    years = parse_years(value)
    if years is None or years[1] < bounds[0] or years[0] > bounds[1]:
        reject(name, value)
        return bounds
    clipped = (max(years[0], bounds[0]), min(years[1], bounds[1]))
    if clipped != years:
        write(name, format_years(clipped), format_years(bounds))
    return clipped


def read_regions(wh: Warehouse, default: list[str]) -> list[str]:
    """Regions known to the warehouse; unknown names are dropped with a message."""
    value = raw("regions")
    if value is None:
        return default
    known = set(queries.known_regions(wh.con, wh.key)["region"])
    wanted = split_list(value)
    kept = [r for r in dict.fromkeys(wanted) if r in known]
    if len(kept) != len(wanted):
        dropped = [r for r in wanted if r not in known]
        st.warning(t("dropped_regions", value=", ".join(shown_safely(r) for r in dropped)), icon="⚠️")
        if not kept:  # nothing usable was asked for: the default, not an empty chart
            kept = default
        write("regions", join_list(kept), join_list(default))
    return kept


def read_page() -> int:
    """The results page (`p`, from 1); the caller keeps it within its number of pages."""
    value = raw("p")
    if value is None:
        return 1
    page = parse_int(value, 1, 10**6) or 1
    if str(page) != value:
        reject("p", value)
    return page


def read_metric(wh: Warehouse) -> pd.Series | None:
    """The value whose passage is open: it must exist (ids are looked up as parameters)."""
    value = raw("metric")
    if value is None:
        return None
    found = queries.metric(wh.con, wh.key, value) if re.fullmatch(r"[\w.-]{1,120}", value) else None
    if found is None or found.empty:
        reject("metric", value)
        return None
    return found.iloc[0]


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


def trends_view(wh: Warehouse) -> TrendsView | None:
    indicator = read_indicator(wh)
    if indicator is None:
        return None
    ind = indicator["indicator_id"]
    months, periods = read_months(wh, ind)
    years_available = queries.indicator_years(wh.con, wh.key, ind, months)
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
    indicator = read_indicator(wh)
    if indicator is None:
        return None
    ind = indicator["indicator_id"]
    months, periods = read_months(wh, ind)
    years_available = queries.indicator_years(wh.con, wh.key, ind, months)
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


# ---- the share link ---------------------------------------------------------------------

def _readable(text: str) -> str:
    """Percent-encode what a URL needs encoded, but leave Chinese readable
    (regions=全国~北京市, as browsers show it); browsers encode it on the way out."""
    return "".join(ch if ord(ch) > 127 else quote(ch, safe=SEP + ".-_") for ch in text)


def context_value(name: str):
    """st.context.<name>, or None outside a browser session (tests, bare mode)."""
    try:
        return getattr(st.context, name)
    except Exception:
        return None


def share_url(url_path: str = "") -> str:
    """The full URL of this view: the browser's URL (or the Host header) plus the settings."""
    query = "&".join(f"{_readable(k)}={_readable(str(v))}" for k, v in st.query_params.to_dict().items())
    base = context_value("url")
    if not base:
        host = (context_value("headers") or {}).get("Host")
        base = f"http://{host}/{url_path}" if host else f"/{url_path}"
    return base + ("?" + query if query else "")
