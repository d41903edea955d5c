"""The URL codec: parameters read, checked and written; the share link.

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

Why not Streamlit 1.67's widget `bind="query-params"`: it names the parameter after the widget's
key (ours are page-scoped, `search.q`, and old links use `q`), keeps one value per widget (the
`~` region lists, `years=2019..2024` and the period span two widgets), drops an invalid value
without the message an analyst needs, and cannot be written through st.query_params, which the
chart click uses for `metric`. Binding would need this codec anyway, beside it.
"""
from __future__ import annotations

import re
import unicodedata
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


# Widgets whose chosen values the browser shows by their labels (a multiselect's tags): dropped on a
# language switch and seeded again, so that the tags are redrawn in the new language.
LABELLED_WIDGETS = ("trends.regions", "search.regions")


def on_lang_change(widget_key: str) -> None:
    st.session_state["lang"] = st.session_state[widget_key]
    write("lang", st.session_state[widget_key], DEFAULT_LANG)
    for key in LABELLED_WIDGETS:
        st.session_state.pop(key, None)


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
