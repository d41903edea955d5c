"""Data: the indicator catalog with coverage, conflicts, ingest errors, whole-warehouse downloads,
and adding documents (dashboard/upload.py does the work)."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard import db, queries, state, ui, upload
from dashboard.i18n import (current_lang, indicator_label, indicator_name, kind_label, markdown_escape,
                            period_label, t)

KEY = "data"
TABS = ["catalog", "conflicts", "errors", "downloads", "upload"]


def render() -> None:
    wh = db.connect()
    lang = current_lang()
    tab = state.read_choice("tab", TABS, "catalog")
    n = queries.counts(wh.con, wh.key)
    built = queries.build_info(wh.con, wh.key).get("built_at", "")
    st.caption(t("counts", docs=n["documents"], paras=n["paragraphs"], metrics=n["metrics"])
               + (" · " + t("built_at", when=built) if built else ""))
    tabs = ui.url_tabs(f"{KEY}.tab", TABS, tab, "catalog")
    with tabs["catalog"]:
        if ui.is_open(tabs["catalog"]):
            _catalog(wh, lang)
    with tabs["conflicts"]:
        if ui.is_open(tabs["conflicts"]):
            _conflicts(wh, lang)
    with tabs["errors"]:
        if ui.is_open(tabs["errors"]):
            _errors(wh)
    with tabs["downloads"]:
        if ui.is_open(tabs["downloads"]):
            _downloads(wh)
    with tabs["upload"]:
        if ui.is_open(tabs["upload"]):
            _upload()


def _catalog(wh, lang: str) -> None:
    catalog = queries.catalog(wh.con, wh.key)
    st.dataframe(catalog, hide_index=True, key=f"{KEY}.catalog")
    ui.download_buttons(catalog, "catalog", f"{KEY}.catalog")

    coverage = queries.coverage(wh.con, wh.key)
    if coverage.empty:
        st.info(t("no_data"))
        return
    st.markdown(f"**{t('coverage_matrix')}**")
    coverage["label"] = [indicator_label(z, e, c, lang) for z, e, c in
                         zip(coverage["name_zh"], coverage["name_en"], coverage["category"])]
    matrix = coverage.pivot_table(index="label", columns="year", values="n_regions", aggfunc="sum",
                                  fill_value=0)
    matrix.columns = [str(c) for c in matrix.columns]
    st.dataframe(matrix, key=f"{KEY}.coverage")
    ui.download_buttons(coverage.drop(columns=["label"]), "coverage", f"{KEY}.coverage")

    # one indicator in detail: regions × years
    indicators = queries.indicators(wh.con, wh.key)
    labels = {r.indicator_id: indicator_label(r.name_zh, r.name_en, r.category, lang)
              for r in indicators.itertuples()}
    chosen = state.read_choice("indicator", list(labels), state.default_indicator(wh))
    key = f"{KEY}.indicator"
    state.seed(key, chosen)
    st.selectbox(t("indicator"), list(labels), format_func=labels.get, key=key,
                 on_change=state.on_change, args=(key, "indicator", str, state.default_indicator(wh)))
    row = indicators.set_index("indicator_id").loc[chosen]
    detail = queries.coverage_regions(wh.con, wh.key, chosen)
    st.markdown(f"**{t('coverage_regions', indicator=indicator_name(row['name_zh'], row['name_en'], lang))}**")
    by_region = detail.pivot_table(index="region", columns="year", values="n_values", aggfunc="sum", fill_value=0)
    by_region.columns = [str(c) for c in by_region.columns]
    st.dataframe(by_region, key=f"{KEY}.coverage_regions")


def _conflicts(wh, lang: str) -> None:
    """A page of conflicts; the selected one (the first by default) with every report and its source."""
    st.caption(t("conflicts_intro"))
    total = queries.counts(wh.con, wh.key)["conflicts"]
    if not total:
        st.success(t("no_conflicts"))
        return
    pages = math.ceil(total / queries.CONFLICTS_PER_PAGE)
    page = min(state.read_page(), pages)
    listing = queries.conflicts(wh.con, wh.key, (page - 1) * queries.CONFLICTS_PER_PAGE)
    shown = listing.drop(columns=["indicator_id"])
    shown["months"] = shown["months"].map(lambda m: period_label(m, lang))
    shown["kind"] = shown["kind"].map(lambda k: kind_label(k, lang))
    st.caption(t("n_conflicts", n=total) + " · " + t("conflict_pick"))
    # one key per page, so that a row selected on one page is not carried to the next
    event = st.dataframe(shown, hide_index=True, key=f"{KEY}.conflicts.{page}", on_select="rerun",
                         selection_mode="single-row")
    if pages > 1:
        key = f"{KEY}.conflicts.page"
        state.seed(key, page)
        st.pagination(pages, key=key, on_change=state.on_change, args=(key, "p", str, "1"))
    ui.download_buttons(lambda: _all_conflicts(total), "conflicts", f"{KEY}.conflicts")

    rows = event.selection.rows if event else []
    c = listing.iloc[rows[0] if rows else 0]
    point = " · ".join([indicator_name(c["indicator"], c["name_en"], lang), c["region"], str(c["year"]),
                        period_label(c["months"], lang), kind_label(c["kind"], lang)])
    st.markdown(f"**{markdown_escape(t('conflict_reports', point=point))}**")
    reports = ui.with_links(queries.conflict_reports(wh.con, wh.key, c["indicator_id"], c["region"],
                                                     int(c["year"]), c["months"], c["kind"]))
    ui.source_table(reports, ["value", "unit", "title", "published", "passage", "source", "source_url"],
                    key=f"{KEY}.conflict_reports")
    ui.download_buttons(reports, "conflict_reports", f"{KEY}.conflict_reports")


def _all_conflicts(n: int) -> pd.DataFrame:
    """Runs on a download click, on its own cursor."""
    wh = db.connect()
    return queries.conflicts(wh.con, wh.key, 0, n)


def _errors(wh) -> None:
    errors = queries.ingest_errors(wh.con, wh.key)
    if errors.empty:
        st.success(t("no_errors"))
        return
    st.dataframe(errors, hide_index=True, key=f"{KEY}.errors")
    ui.download_buttons(errors, "ingest_errors", f"{KEY}.errors")


def _export(fmt: str) -> bytes:
    """Runs on a download click, on its own cursor."""
    return queries.export_metrics_file(db.connect().con, fmt)


def _downloads(wh) -> None:
    st.caption(t("downloads_intro"))
    row = st.container(horizontal=True)
    row.download_button(t("download_csv"), data=lambda: _export("csv"), file_name="metrics.csv",
                        mime="text/csv", key=f"{KEY}.all.csv", on_click="ignore",
                        icon=":material/download:")
    too_long = queries.counts(wh.con, wh.key)["metrics"] > queries.XLSX_MAX_ROWS
    row.download_button(t("download_xlsx"), data=lambda: _export("xlsx"), file_name="metrics.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        key=f"{KEY}.all.xlsx", on_click="ignore", icon=":material/download:",
                        disabled=too_long, help=t("xlsx_too_long", n=queries.XLSX_MAX_ROWS) if too_long else None)
    row.download_button(t("download_parquet"), data=lambda: _export("parquet"), file_name="metrics.parquet",
                        mime="application/vnd.apache.parquet", key=f"{KEY}.all.parquet",
                        on_click="ignore", icon=":material/download:")
    path = wh.path
    row.download_button(t("download_duckdb"), data=lambda: path.read_bytes(), file_name=path.name,
                        mime="application/octet-stream", key=f"{KEY}.all.duckdb", on_click="ignore",
                        icon=":material/database:")
    st.caption(t("download_note"))
    info = queries.build_info(wh.con, wh.key)
    if info:
        st.dataframe(pd.DataFrame(sorted(info.items()), columns=["key", "value"]), hide_index=True,
                     key=f"{KEY}.build_info")


def _md(value) -> str:
    """A file name or an ETL message inside a Markdown message: one line, no Markdown of its own."""
    return markdown_escape(" ".join(str(value).split()))


def upload_messages(result: upload.UploadResult) -> list[tuple[str, str]]:
    """(kind, Markdown text) to show for one upload: success, warning or error."""
    values = {k: _md(v) for k, v in result.values.items()}
    text = t(result.key, file=_md(result.name), **values)
    if not result.ok:
        return [("error", text + " " + t("upload_unchanged"))]
    out = [("success", text)]
    out += [("warning", t("upload_warned", file=_md(result.name), error=_md(w))) for w in result.warnings]
    return out


def _upload() -> None:
    """File picker and button; results are shown once, after the rerun that shows the new data."""
    st.caption(t("upload_intro", mb=upload.MAX_UPLOAD_MB))
    done = st.session_state.pop(f"{KEY}.upload.done", [])
    for kind, text, doc_id in done:
        getattr(st, kind)(text, icon={"success": ":material/check_circle:", "warning": ":material/warning:",
                                      "error": ":material/block:"}[kind])
        if doc_id:
            st.html(ui.link_html("→ " + t("upload_open"), ui.doc_href(doc_id)))
    n = st.session_state.get(f"{KEY}.upload.n", 0)  # a new key empties the picker after an upload
    files = st.file_uploader(t("upload_label"), type=[ext.lstrip(".") for ext in upload.EXTENSIONS],
                             accept_multiple_files=True, key=f"{KEY}.upload.files.{n}",
                             max_upload_size=upload.MAX_UPLOAD_MB)
    link = st.text_input(t("upload_link"), key=f"{KEY}.upload.link.{n}", placeholder="https://…",
                         help=t("upload_link_help"))
    if st.button(t("upload_button"), key=f"{KEY}.upload.go", type="primary", icon=":material/upload:",
                 disabled=not files):
        _add_files(files, link, n)
    _add_links(n)


def _add_links(n: int) -> None:
    """Reports by link: fetched politely into the raw folder, origin recorded, then loaded."""
    st.markdown(f"**{t('links_title')}**")
    text = st.text_area(t("links_label"), key=f"{KEY}.links.{n}", placeholder="https://…\nhttps://…",
                        help=t("links_help"))
    urls = [u.strip() for u in (text or "").splitlines() if u.strip()]
    if not st.button(t("links_button"), key=f"{KEY}.links.go", icon=":material/link:", disabled=not urls):
        return
    with st.spinner(t("links_fetching", n=len(urls))):
        fetched, built = upload.add_links(urls, db.raw_dir(), db.warehouse_path())
    results = []
    for r in fetched:
        if r.ok:
            results.append(("success", t("link_ok", url=_md(r.url), outcome=_md(r.outcome), file=_md(r.file)), None))
        else:
            results.append(("error", t("link_failed", url=_md(r.url), error=_md(r.outcome)), None))
    if built is not None:
        kind = "success" if built.ok else "error"
        results.append((kind, t(built.key, file="", **{k: _md(v) for k, v in built.values.items()}), None))
    st.session_state[f"{KEY}.upload.done"] = results
    st.session_state[f"{KEY}.upload.n"] = n + 1
    st.rerun()


def _add_files(files, link: str, n: int) -> None:
    results = []
    for file in files:
        with st.spinner(t("upload_processing", file=_md(file.name)), show_time=True):
            bar = st.progress(0.0)
            result = upload.add_document(
                file.name, file.getvalue(), db.raw_dir(), db.warehouse_path(),
                source_url=link if len(files) == 1 else None,
                on_progress=lambda done, total: bar.progress(min(1.0, done / max(total, 1))))
            bar.empty()
        messages = upload_messages(result)
        results += [(kind, text, result.doc_id if i == 0 else None) for i, (kind, text) in enumerate(messages)]
    st.session_state[f"{KEY}.upload.done"] = results
    st.session_state[f"{KEY}.upload.n"] = n + 1
    st.rerun()  # no URL write precedes it (streamlit #7961); the counts above now show the new warehouse
