"""Search: full text over every paragraph, filtered by year, region and document.

The search itself is dashboard/search.py (another module, optional until it lands):
search(con, query, *, years, regions, doc_ids, limit, offset) -> DataFrame with
paragraph_id, doc_id, score, snippet_html, file, title and a `total` column.
"""
from __future__ import annotations

import html
import math
import re

import pandas as pd
import streamlit as st

from dashboard import db, state, ui
from dashboard.i18n import current_lang, display_title, region_label, t

from etl.warehouse import search_paragraphs as run_search

KEY = "search"
PER_PAGE = state.RESULTS_PER_PAGE
MARK_TAG = re.compile(r"&lt;(/?)mark(?:\s(?:(?!&gt;).)*)?&gt;")


def safe_snippet(snippet: str) -> str:
    """Escape a snippet, keeping only bare <mark>/</mark>: whatever the search module
    returns (escaped or not), no document text reaches the page as markup."""
    return MARK_TAG.sub(r"<\1mark>", html.escape(html.unescape(snippet or "")))


def _total(hits: pd.DataFrame, offset: int) -> int:
    if "total" in hits and len(hits):
        return int(hits["total"].iloc[0])
    if "total" in hits.attrs:
        return int(hits.attrs["total"])
    return offset + len(hits)


def render() -> None:
    wh = db.connect()
    view = state.search_view(wh)
    _controls(view)
    if run_search is None:
        st.info(t("search_unavailable"))
        return
    if not view.query:
        st.caption(t("search_intro"))
        return
    years = list(range(view.years[0], view.years[1] + 1)) if view.years else None
    offset = (view.page - 1) * PER_PAGE
    try:
        hits = run_search(wh.con, view.query, years=years, regions=view.regions or None,
                          doc_ids=[view.doc] if view.doc else None, limit=PER_PAGE, offset=offset)
    except Exception as error:  # a broken index must not take the page down
        st.error(t("search_failed", error=type(error).__name__))
        return
    total = _total(hits, offset)
    if hits.empty:
        st.info(t("no_hits"))
    else:
        st.caption(t("hits", n=total))
        st.html("".join(_hit_html(hit) for hit in hits.itertuples()))
    pages = max(1, math.ceil(total / PER_PAGE))
    if pages > 1:  # shown even on an empty page past the end, to get back
        key = f"{KEY}.page"
        state.seed(key, min(view.page, pages))
        st.pagination(pages, key=key, on_change=state.on_change, args=(key, "p", str, "1"))


def _hit_html(hit) -> str:
    """One result: title linking to the paragraph's permalink, file and ¶, escaped snippet."""
    seq = getattr(hit, "seq", None)
    if seq is None or seq != seq:
        tail = str(hit.paragraph_id).rsplit("-", 1)[-1]
        seq = int(tail) if tail.isdigit() else None
    href = ui.doc_href(hit.doc_id, seq)
    return ("<div style='margin:0 0 1.1em 0'>"
            f"<div>{ui.link_html(display_title(hit.title, hit.file), href)} "
            f"<span style='color:#8c8c8c;font-size:.85em'>{html.escape(str(hit.file))}"
            f"{'' if seq is None else f' · ¶{int(seq)}'}</span></div>"
            f"<div style='line-height:1.8'>{safe_snippet(hit.snippet_html)}</div></div>")


def _controls(view: state.SearchView) -> None:
    key = f"{KEY}.q"
    state.seed(key, view.query)
    st.text_input(t("search_box"), key=key, placeholder=t("search_placeholder"), max_chars=state.MAX_PARAM_LENGTH,
                  on_change=state.on_change, args=(key, "q", str.strip, "", ("p",)))
    cols = st.columns([2, 2, 3])
    if view.year_bounds and view.year_bounds[0] < view.year_bounds[1]:
        key = f"{KEY}.years"
        state.seed(key, tuple(view.years or view.year_bounds))
        cols[0].slider(t("years"), min_value=view.year_bounds[0], max_value=view.year_bounds[1], key=key,
                       on_change=state.on_change, args=(key, "years", state.format_years,
                                                        state.format_years(view.year_bounds), ("p",)))
    key = f"{KEY}.regions"
    state.seed(key, view.regions)
    cols[1].multiselect(t("regions"), view.region_options, key=key, placeholder=t("choose"),
                        format_func=lambda r: region_label(r, current_lang()), on_change=state.on_change,
                        args=(key, "regions", state.join_list, "", ("p",)))
    labels = {"": t("all_documents")}
    labels.update({r.doc_id: display_title(r.title, r.file) for r in view.documents.itertuples()})
    key = f"{KEY}.doc"
    state.seed(key, view.doc or "")
    cols[2].selectbox(t("document"), list(labels), format_func=labels.get, key=key,
                      on_change=state.on_change, args=(key, "doc", str, "", ("p",)))
