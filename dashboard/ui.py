"""Page parts shared by several pages: links, tabs kept in the URL, downloads, the drill-down.

Any text from the warehouse or the URL that goes into HTML is escaped here, and HTML
goes through st.html (sanitized by Streamlit as well, never read as Markdown).
"""
from __future__ import annotations

import html
import io
from typing import Callable
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

import etl.warehouse as etl_warehouse
from dashboard import charts, db, passages, queries, state
from dashboard.db import Warehouse
from dashboard.i18n import (column_labels, current_lang, date_label, display_title, format_number, indicator_name,
                            kind_label, period_label, region_label, scope_label, t, unit_label, value_label)
from etl.warehouse import spreadsheet_safe

DOCUMENT_PATH = "document"
PASSAGE_CONTEXT = 160   # characters of paragraph shown either side of the sentence


# ---- links --------------------------------------------------------------------------

def doc_href(doc_id: str, seq: int | None = None, metric_id: str | None = None) -> str:
    """Relative link to the Document page at a paragraph (pages sit side by side at the root)."""
    params = {"doc": doc_id}
    if seq is not None:
        params["para"] = str(int(seq))
    if metric_id:
        params["metric"] = metric_id
    if current_lang() != "zh":
        params["lang"] = current_lang()
    return f"{DOCUMENT_PATH}?{urlencode(params)}"


def app_root() -> str:
    """The app's base URL when the browser told us, else '' (links then stay relative)."""
    url = state.context_value("url") or ""
    page = st.session_state.get("_page_path", "")
    if page and url.rstrip("/").endswith("/" + page):
        url = url.rstrip("/")[: -len(page)]
    return url if url.endswith("/") or not url else url + "/"


def link_html(label: str, href: str) -> str:
    return f'<a href="{html.escape(href)}" target="_self">{html.escape(label)}</a>'


# ---- where a document came from --------------------------------------------------------------

def web_link(url) -> str | None:
    """The URL if it is an http(s) link (the only kind ever rendered as a link), else None."""
    return url if isinstance(url, str) and etl_warehouse.is_web_link(url) else None


def short_url(url: str, limit: int = 70) -> str:
    """host/path for display, cut with … past `limit` characters."""
    parts = urlsplit(url)
    text = (parts.hostname or "") + parts.path + (f"?{parts.query}" if parts.query else "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def external_link_html(url: str) -> str:
    """An escaped link to an http(s) page, opened in a new tab; anything else as escaped text."""
    if not web_link(url):
        return html.escape(str(url)) if isinstance(url, str) else ""
    return (f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer nofollow" '
            f'title="{html.escape(url)}">{html.escape(short_url(url))}</a>')


def origin_html(url, publisher=None, retrieved_at=None, more_urls=()) -> str:
    """'Source: <link> · publisher · retrieved …', or that the origin is not recorded."""
    parts = []
    if web_link(url):
        parts.append(external_link_html(url))
    else:
        parts.append(html.escape(t("origin_unknown")))
    if isinstance(publisher, str) and publisher:
        parts.append(html.escape(publisher))
    if retrieved_at is not None and not pd.isna(retrieved_at):
        parts.append(html.escape(t("retrieved", when=pd.Timestamp(retrieved_at).date().isoformat())))
    try:
        others = [u for u in more_urls if web_link(u) and u != url]
    except TypeError:   # no list (None, NaN)
        others = []
    if others:
        parts.append(html.escape(t("also_at")) + " " + ", ".join(external_link_html(u) for u in others))
    return f"<span class='origin'>{html.escape(t('origin'))}: {' · '.join(parts)}</span>"


# ---- tabs whose choice is in the URL ------------------------------------------------------

def url_tabs(key: str, tab_ids: list[str], current: str, default: str) -> dict:
    """st.tabs whose selected tab is the `tab` parameter; returns {tab_id: container}."""
    labels = {tab_id: t(f"tab_{tab_id}") for tab_id in tab_ids}
    by_label = {label: tab_id for tab_id, label in labels.items()}
    state.seed(key, labels[current])
    containers = st.tabs(list(labels.values()), key=key, on_change=state.on_change,
                         args=(key, "tab", by_label.get, default))
    return dict(zip(tab_ids, containers))


def is_open(tab) -> bool:
    """Only the open tab's content is computed and sent (the others are empty until picked)."""
    return tab.open is not False


# ---- tables and downloads --------------------------------------------------------------------

def with_links(df: pd.DataFrame) -> pd.DataFrame:
    """Adds `source` (a link to the paragraph, for tables) and `permalink` (for files)."""
    out = df.copy()
    if "region" in out:
        names = wh_names()
        out["region_en"] = [names.get(r, r) if isinstance(r, str) else None for r in out["region"]]
    if "doc_id" in out and "para_seq" in out:
        out["source"] = [doc_href(d, s, m) for d, s, m in
                         zip(out["doc_id"], out["para_seq"], out.get("metric_id", [None] * len(out)))]
        root = app_root()
        out["permalink"] = [root + href if root else href for href in out["source"]]
    return out


def spreadsheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that would start a formula (`=HYPERLINK(...)` in a scraped title) neutralised."""
    frame = df.copy()
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(spreadsheet_safe)
    return frame


def to_csv(df: pd.DataFrame) -> bytes:
    # UTF-8 with BOM, so Excel opens Chinese text correctly
    return spreadsheet_frame(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, sheet: str = "data") -> bytes:
    buf = io.BytesIO()
    frame = df.copy()
    for col in frame.columns:  # Excel has no time zones and no lists
        if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
            frame[col] = frame[col].dt.tz_localize(None)
        elif frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    frame = spreadsheet_frame(frame)
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


def download_buttons(df: pd.DataFrame | Callable[[], pd.DataFrame], basename: str, key: str) -> None:
    """CSV and XLSX of exactly this table, or of the one `df()` returns (a long table the page
    shows a part of); files are made only when a button is clicked."""
    def export() -> pd.DataFrame:
        return (df() if callable(df) else df).drop(columns=["source"], errors="ignore")

    row = st.container(horizontal=True)
    row.download_button(t("download_csv"), data=lambda: to_csv(export()), file_name=f"{basename}.csv",
                       mime="text/csv", key=f"{key}.csv", on_click="ignore", icon=":material/download:")
    row.download_button(t("download_xlsx"), data=lambda: to_xlsx(export()), file_name=f"{basename}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{key}.xlsx", on_click="ignore", icon=":material/download:")


def image_format(key: str) -> str:
    """PNG or SVG for the chart toolbar's camera button: a session setting, not a view
    setting, kept under key + '.saved' so it survives runs where the picker is not drawn."""
    saved = f"{key}.saved"
    choice = st.segmented_control(t("image_format"), ["png", "svg"], default=saved_image_format(key),
                                  key=key, format_func=str.upper, help=t("image_format_help"))
    st.session_state[saved] = choice or "png"
    return st.session_state[saved]


def saved_image_format(key: str) -> str:
    """The picker's value, readable before the picker is drawn (charts come first)."""
    return st.session_state.get(key) or st.session_state.get(f"{key}.saved", "png")


def source_table(df: pd.DataFrame, columns: list[str], key: str) -> None:
    """A table of values whose `source` column links to each paragraph."""
    lang = current_lang()
    shown = df.copy()
    if "source_url" in shown:   # only http(s) links are links
        shown["source_url"] = shown["source_url"].map(web_link)
    if "region" in shown:
        shown["region"] = shown["region"].map(lambda r: region_label(r, lang))
    if "scope" in shown:
        shown["scope"] = shown["scope"].map(lambda s: scope_label(s, lang))
    if "published" in shown:
        shown["published"] = shown["published"].map(lambda d: date_label(d, lang))
    if "months" in shown:
        shown["months"] = shown["months"].map(lambda m: period_label(m, lang))
    if "kind" in shown:
        shown["kind"] = shown["kind"].map(lambda k: kind_label(k, lang))
    st.dataframe(
        shown[[c for c in columns if c in shown]], hide_index=True, key=key,
        column_config={
            "source": st.column_config.LinkColumn(t("open_document"), display_text="¶"),
            "region": t("region"), "year": st.column_config.NumberColumn(t("year"), format="%d"),
            "months": t("period"), "kind": t("kind"), "value": t("value"), "unit": t("unit"),
            "indicator": t("indicator_col"), "title": t("document"), "n_reports": t("n_reports"),
            "disagree": st.column_config.CheckboxColumn(t("conflict_marker")),
            "published": t("published"), "scope": t("scope"), "change_verb": t("change_verb"),
            "passage": st.column_config.TextColumn(t("passage"), width="large"),
            "source_url": st.column_config.LinkColumn(t("origin"), validate=r"^https?://"),
        })


def plain_table(df: pd.DataFrame, key: str, **kwargs):
    """st.dataframe with headers in the current language (i18n column_labels)."""
    return st.dataframe(df, hide_index=True, key=key, column_config=column_labels(df.columns, current_lang()),
                        **kwargs)


def table_tab(tab, frame: pd.DataFrame, columns: list[str], key: str) -> None:
    """A table tab: the rows with their source links, or a notice when there are none."""
    if not is_open(tab):
        return
    if frame.empty:
        st.info(t("no_data"))
    else:
        source_table(with_links(frame), columns, key=f"{key}.table")


def export_row(frame: pd.DataFrame, columns: list[str], basename: str, key: str, chart_shown: bool) -> None:
    """CSV/XLSX of a view's data with its citations, and under a chart the toolbar's image format."""
    if frame.empty:
        return
    export = with_links(frame)
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        download_buttons(export[[c for c in columns if c in export]], basename, key)
    if chart_shown:  # the toolbar belongs to the charts
        with right:
            image_format(f"{key}.imgfmt")
    st.caption(t("download_note"))


def chart_names(indicator: str) -> dict[str, str]:
    """Localized words the figures print."""
    return {"indicator": indicator, "source": t("source"), "sources": t("chart_sources"),
            "sources_more": t("chart_sources_more"), "index": t("index_axis"),
            "conflict": t("conflict_marker"), "year": t("year"), "no_value": t("no_value"),
            "too_few": t("map_too_few"), "inset": t("map_inset")}


def chart_titles(fig, points: pd.DataFrame, title: str, regions: str, period: str):
    """Title, subtitle (regions, period), the documents drawn from (with their origins' links)
    and the date, in the figure itself so that exported images carry them (charts.titled)."""
    source = charts.source_line(points, chart_names(title)) or t("chart_source", docs="–")
    con = db.connect()
    built = str(queries.build_info(con.con, con.key).get("built_at", ""))[:10]
    today = pd.Timestamp.now().date().isoformat()
    return charts.titled(fig, title=title, subtitle=f"{regions} · {period}" if regions else period,
                         source=source, date=t("chart_date", built=built or "–", today=today))


# ---- the drill-down: a value's source passage ---------------------------------------------------

def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence with some context either side, cut at whole characters."""
    return max(0, start - PASSAGE_CONTEXT), min(len(text), end + PASSAGE_CONTEXT)


def passage_html(m: pd.Series) -> str:
    """The paragraph around the value: sentence underlaid, value marked, all escaped."""
    text = m["para_text"]
    lo, hi = _window(text, int(m["evidence_start"]), int(m["evidence_end"]))
    body = passages.highlight(
        text[lo:hi],
        [passages.Mark(int(m["para_start"]) - lo, int(m["para_end"]) - lo, m["value_text"], True)],
        evidence=(int(m["evidence_start"]) - lo, int(m["evidence_end"]) - lo))
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def provenance_label(m: pd.Series) -> str:
    """'年份：来自标题 · 时段：来自导语 · 地区：来自段落': how the extractor decided each."""
    def word(column: str) -> str:
        source = m.get(column)
        return t(f"src_{source}") if isinstance(source, str) and f"src_{source}" in SOURCE_KEYS else t("src_default")
    return t("provenance", year=word("year_source"), period=word("period_source"), region=word("region_source"))


SOURCE_KEYS = {f"src_{w}" for w in ("clause", "sentence", "paragraph", "heading", "lead", "dateline", "title",
                                    "document", "default", "unresolved")}


def _date(value) -> str:
    return t("unknown_date") if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def wh_names() -> dict[str, str]:
    """{Chinese region name: English name} (the gazetteer's name_en)."""
    return etl_warehouse.region_names_en()


CHART_GENERATION = "_chart_generation"


def chart_key(base: str) -> str:
    """A chart's widget key; closing the drill-down starts a new generation, so the chart forgets
    its selection and one click on the same point opens it again."""
    return f"{base}.{st.session_state.get(CHART_GENERATION, 0)}"


def close_drilldown() -> None:
    state.write("metric", None)
    st.session_state[CHART_GENERATION] = st.session_state.get(CHART_GENERATION, 0) + 1


# Brings the drill-down into view once it is drawn (it opens below the chart). A constant: no
# value from the URL or the warehouse is ever in a script (tests/test_hostile_links.py).
SCROLL_TO_DRILLDOWN = """<script>
  (function () {
    let tries = 0;
    const go = () => {
      const el = document.querySelector(".st-key-drilldown");
      if (el) { el.scrollIntoView({block: "start", behavior: "instant"}); }
      else if (tries++ < 40) { setTimeout(go, 100); }
    };
    go();
  })();
</script>"""


def drilldown(wh: Warehouse, m: pd.Series) -> None:
    """Where a value was read: passage, document, and every document reporting the same point."""
    lang = current_lang()
    with st.container(border=True, key="drilldown"):
        head, close = st.columns([6, 1])
        name = indicator_name(m["name_zh"] if isinstance(m["name_zh"], str) else m["indicator"],
                              m["name_en"] if isinstance(m["name_en"], str) else None, lang)
        period = period_label(m["months"], lang)
        year = "" if pd.isna(m["year"]) else int(m["year"])
        head.markdown(f"**{t('drill_title')}**")
        close.button(t("close"), key="drilldown.close", on_click=close_drilldown, icon=":material/close:")
        st.html(
            f"<div style='font-size:1.05em;margin-bottom:.4em'><b>{html.escape(name)}</b> · "
            f"{html.escape(region_label(m['region'], lang))}"
            f"{html.escape(' · ' + scope_label(m.get('scope', ''), lang)) if scope_label(m.get('scope', ''), lang) else ''}"
            f" · {year} · {html.escape(period)} · "
            f"{html.escape(kind_label(m['kind'], lang))}: "
            f"<b>{html.escape(value_label(m['value'], m['qualifier'], m['value_high'], m['kind']))}</b> "
            f"{html.escape(unit_label(m['unit'], lang))}"
            f"{html.escape(' (' + m['change_verb'] + ')') if m.get('change_verb') else ''}</div>"
            f"<blockquote style='margin:0;padding:.6em .9em;border-left:4px solid #91caff;"
            f"background:#fafafa;line-height:1.8'>{passage_html(m)}</blockquote>"
            f"<div class='provenance' style='margin-top:.4em;color:#595959;font-size:.9em'>"
            f"{html.escape(provenance_label(m))}</div>"
            f"<div style='margin-top:.5em;color:#595959'>{html.escape(display_title(m['title'], m['file']))} · "
            f"{t('published')}: {_date(m['published'])} · <code>{html.escape(m['file'])}</code></div>"
            f"<div style='margin-top:.3em;color:#595959'>"
            f"{origin_html(m.get('source_url'), m.get('publisher'), m.get('retrieved_at'), m.get('source_urls'))}</div>"
            f"<div style='margin-top:.3em'>"
            f"{link_html('→ ' + t('open_document'), doc_href(m['doc_id'], m['para_seq'], m['metric_id']))}</div>")
        st.html(SCROLL_TO_DRILLDOWN, unsafe_allow_javascript=True)
        reports = queries.same_point(wh.con, wh.key, m["metric_id"])
        if len(reports) > 1:
            values = sorted(set(reports["value"]))
            if len(values) > 1:
                st.warning(t("disagree", values=" / ".join(format_number(v) for v in values)), icon="⚠️")
            else:
                st.caption(t("agree", n=len(reports)))
            st.markdown(f"**{t('reports')}**")
            shown = with_links(reports)
            shown["value"] = [value_label(v, q, h) for v, q, h in
                              zip(shown["value"], shown["qualifier"], shown["value_high"])]
            source_table(shown, ["value", "unit", "title", "published", "passage", "source", "source_url"],
                         key="drilldown.reports")
