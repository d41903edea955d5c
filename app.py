"""Environmental indicators warehouse: the dashboard's entry point (`streamlit run app.py`).

Reads the DuckDB warehouse (data/warehouse.duckdb, or $EPW_DB); on first start installs a
prebuilt one ($EPW_PREBUILT) or builds it from data/raw. The pages live in dashboard/pages;
every view's settings live in the URL (see dashboard/state.py for the parameters).
"""
from __future__ import annotations

import streamlit as st

from dashboard import db, state
from dashboard.i18n import t
from dashboard.pages import data, document, regions, search_page, trends

PAGES = [  # (render, url_path, title key, icon); the first is the default page at "/"
    (trends.render, "trends", "page_trends", ":material/show_chart:"),
    (regions.render, "regions", "page_regions", ":material/bar_chart:"),
    (document.render, "document", "page_document", ":material/article:"),
    (search_page.render, "search", "page_search", ":material/search:"),
    (data.render, "data", "page_data", ":material/table_view:"),
]


def ensure_warehouse() -> None:
    """The warehouse in place before any page runs (dashboard/db.py start): on a server's first
    visit a prebuilt one ($EPW_PREBUILT) or a build from data/raw (or $EPW_RAW); what the start
    has to say (a prebuilt warehouse refused, uploads being loaded) is shown above the page."""
    try:
        notes = db.start(lambda: st.spinner(t("prebuilt_installing")), lambda: st.spinner(t("building")))
    except Exception as error:  # shown to the person who started the app
        st.error(t("build_failed", error=f"{type(error).__name__}: {error}"))
        st.stop()
    seen = st.session_state.setdefault("_start_notes_seen", set())
    for note in notes:
        if note.level == "warning":     # what went wrong at the start: once per visitor, not on every click
            if (note.key, repr(note.values)) not in seen:
                seen.add((note.key, repr(note.values)))
                st.warning(t(note.key, **note.values))
        else:                           # uploads being loaded: while it lasts
            st.info(t(note.key, **note.values))


def language_switch() -> None:
    key = "app.lang"
    state.seed(key, st.session_state["lang"])
    st.sidebar.segmented_control(t("language"), ["zh", "en"], key=key,
                                 format_func={"zh": "中文", "en": "English"}.get,
                                 on_change=state.on_lang_change, args=(key,))


def share_box(url_path: str) -> None:
    """The visible copy-link control: st.code has a copy button."""
    with st.sidebar:
        st.markdown(f"**{t('share')}**")
        st.code(state.share_url(url_path), language=None, wrap_lines=True)
        st.caption(t("share_help"))


def follow_page_param(pages: dict, current) -> None:
    """`page=document` is honoured like the path, for links that cannot carry a path."""
    wanted = state.raw("page")
    if wanted is None:
        return
    rest = {k: v for k, v in st.query_params.to_dict().items() if k != "page"}
    if wanted not in pages:
        st.query_params.pop("page", None)
        st.warning(t("unknown_page", value=state.shown_safely(wanted[:40])), icon="⚠️")
        return
    if pages[wanted] is current:
        st.query_params.pop("page", None)
        return
    st.switch_page(pages[wanted], query_params=rest)


def main() -> None:
    state.read_lang()  # first: every label depends on it
    st.set_page_config(page_title=t("app_title"), page_icon="🌿", layout="wide")
    ensure_warehouse()
    pages = {url_path: st.Page(render, title=t(title), icon=icon, url_path=url_path, default=i == 0)
             for i, (render, url_path, title, icon) in enumerate(PAGES)}
    current = st.navigation(list(pages.values()))
    follow_page_param(pages, current)
    page = next(name for name, p in pages.items() if p is current)
    state.drop_foreign_params(page)
    st.session_state["_page_path"] = "" if page == "trends" else page
    language_switch()
    st.header(current.title, anchor=False)
    current.run()
    share_box(st.session_state["_page_path"])


# Streamlit runs this file as __main__; a process spawned from one that ran it (a Dask worker of
# an in-process build) re-runs it as __mp_main__, which must not draw a page.
if __name__ == "__main__":
    main()
