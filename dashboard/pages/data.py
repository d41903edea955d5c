"""Data: the indicator catalog with coverage, conflicts, ingest errors, whole-warehouse downloads,
and adding documents (dashboard/upload.py does the work)."""
from __future__ import annotations

import html
import math

import pandas as pd
import streamlit as st

from dashboard import db, queries, state, ui, upload
from dashboard.i18n import (column_labels, current_lang, format_number, indicator_label, indicator_name, kind_label, markdown_escape,
                            period_label, region_label, scope_label, t)

KEY = "data"
TABS = ["catalog", "conflicts", "unresolved", "errors", "downloads", "upload"]


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
    with tabs["unresolved"]:
        if ui.is_open(tabs["unresolved"]):
            _unresolved(wh)
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
    ui.plain_table(catalog, key=f"{KEY}.catalog")
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
    by_region.index = [region_label(r, lang) for r in by_region.index]
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
    shown["region"] = shown["region"].map(lambda r: region_label(r, lang))
    shown["scope"] = shown["scope"].map(lambda v: scope_label(v, lang))
    shown["indicator"] = [indicator_name(z, e, lang) for z, e in zip(shown["indicator"], shown["name_en"])]
    shown = shown.drop(columns=["name_en"])
    st.caption(t("n_conflicts", n=total) + " · " + t("conflict_pick"))
    # one key per page, so that a row selected on one page is not carried to the next
    event = ui.plain_table(shown, key=f"{KEY}.conflicts.{page}", on_select="rerun", selection_mode="single-row")
    if pages > 1:
        key = f"{KEY}.conflicts.page"
        state.seed(key, page)
        st.pagination(pages, key=key, on_change=state.on_change, args=(key, "p", str, "1"))
    ui.download_buttons(lambda: _all_conflicts(total), "conflicts", f"{KEY}.conflicts")

    rows = event.selection.rows if event else []
    c = listing.iloc[rows[0] if rows else 0]
    point = " · ".join([indicator_name(c["indicator"], c["name_en"], lang), region_label(c["region"], lang),
                        str(c["year"]), period_label(c["months"], lang), kind_label(c["kind"], lang)]
                       + ([scope_label(c["scope"], lang)] if c["scope"] else []))
    st.markdown(f"**{markdown_escape(t('conflict_reports', point=point))}**")
    reports = ui.with_links(queries.conflict_reports(wh.con, wh.key, c["indicator_id"], c["region"],
                                                     int(c["year"]), c["months"], c["kind"], c["scope"],
                                                     None if pd.isna(c["unit"]) else c["unit"]))
    ui.source_table(reports, ["value", "unit", "title", "published", "passage", "source", "source_url"],
                    key=f"{KEY}.conflict_reports")
    ui.download_buttons(reports, "conflict_reports", f"{KEY}.conflict_reports")


def _all_conflicts(n: int) -> pd.DataFrame:
    """Runs on a download click, on its own cursor."""
    wh = db.connect()
    return queries.conflicts(wh.con, wh.key, 0, n)


def _unresolved(wh) -> None:
    """Values whose region could not be decided: counted and listed, in no series."""
    st.caption(t("unresolved_intro"))
    values = queries.unresolved(wh.con, wh.key)
    if values.empty:
        st.success(t("no_unresolved"))
        return
    st.markdown(f"**{markdown_escape(t('n_unresolved', n=len(values)))}**")
    shown = ui.with_links(values)
    ui.source_table(shown, ["indicator", "year", "months", "kind", "value", "unit", "title", "published",
                            "passage", "source"], key=f"{KEY}.unresolved")
    ui.download_buttons(shown, "unresolved", f"{KEY}.unresolved")


def _errors(wh) -> None:
    errors = queries.ingest_errors(wh.con, wh.key)
    if errors.empty:
        st.success(t("no_errors"))
        return
    ui.plain_table(errors, key=f"{KEY}.errors")
    ui.download_buttons(errors, "ingest_errors", f"{KEY}.errors")


def _export(fmt: str) -> bytes:
    """Runs on a download click, on its own cursor."""
    everything = bool(st.session_state.get(f"{KEY}.all.outside"))
    return queries.export_metrics_file(db.connect().con, fmt, catalog_only=not everything, base_url=ui.app_root())


def _downloads(wh) -> None:
    st.caption(t("downloads_intro"))
    st.checkbox(t("download_outside"), key=f"{KEY}.all.outside", help=t("download_outside_help"))
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
        ui.plain_table(pd.DataFrame(sorted(info.items()), columns=["key", "value"]), key=f"{KEY}.build_info")


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
    """Pick files, review the values the ETL reads from them, then add them (or not); uploaded
    documents can be removed again. Results are shown once, after the rerun that shows the new data."""
    st.caption(t("upload_intro", mb=upload.MAX_UPLOAD_MB))
    done = st.session_state.pop(f"{KEY}.upload.done", [])
    for kind, text, doc_id in done:
        getattr(st, kind)(text, icon={"success": ":material/check_circle:", "warning": ":material/warning:",
                                      "error": ":material/block:"}[kind])
        if doc_id:
            st.html(ui.link_html("→ " + t("upload_open"), ui.doc_href(doc_id)))
    pending = st.session_state.get(f"{KEY}.upload.pending")
    if pending:
        _review(pending)
    else:
        n = st.session_state.get(f"{KEY}.upload.n", 0)  # a new key empties the picker after an upload
        files = st.file_uploader(t("upload_label"), type=[ext.lstrip(".") for ext in upload.EXTENSIONS],
                                 accept_multiple_files=True, key=f"{KEY}.upload.files.{n}",
                                 max_upload_size=upload.MAX_UPLOAD_MB)
        link = st.text_input(t("upload_link"), key=f"{KEY}.upload.link.{n}", placeholder="https://…",
                             help=t("upload_link_help"))
        if st.button(t("upload_review_button"), key=f"{KEY}.upload.go", type="primary",
                     icon=":material/fact_check:", disabled=not files):
            reviewed = []
            for file in files:  # read by a child process under the build's limits, nothing stored yet
                with st.spinner(t("upload_processing", file=_md(file.name)), show_time=True):
                    reviewed.append((file.name, file.getvalue(), upload.preview(file.name, file.getvalue())))
            st.session_state[f"{KEY}.upload.pending"] = reviewed
            st.session_state[f"{KEY}.upload.link"] = link if len(files) == 1 else None
            st.session_state[f"{KEY}.upload.n"] = n + 1
            st.rerun()
        _add_links(n)
    _uploaded_documents()


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


REVIEW_COLUMNS = ["indicator", "region", "scope", "year", "months", "kind", "value", "unit", "sentence"]


def _review(pending) -> None:
    """The values read from each picked file, before anything is added."""
    lang = current_lang()
    st.markdown(f"**{t('upload_review_title')}**")
    for name, _, p in pending:
        if not p.ok:
            st.error(t(p.key, file=_md(name), **{k: _md(v) for k, v in p.values.items()}), icon=":material/block:")
            continue
        with st.container(key=f"{KEY}.upload.review.{len(name)}.{abs(hash(name)) % 10**8}"):
            st.markdown(markdown_escape(t("upload_review_file", file=name, n=len(p.rows))))
            if p.rows:
                st.html(_review_table(p.rows, lang))
    row = st.container(horizontal=True)
    confirm = row.button(t("upload_button"), key=f"{KEY}.upload.confirm", type="primary", icon=":material/upload:",
                         disabled=not any(p.ok for _, _, p in pending))
    cancel = row.button(t("upload_cancel"), key=f"{KEY}.upload.cancel", icon=":material/close:")
    if cancel:
        st.session_state.pop(f"{KEY}.upload.pending", None)
        st.rerun()
    if not confirm:
        return
    link = st.session_state.get(f"{KEY}.upload.link")
    results = []
    for name, data, p in pending:
        if not p.ok:
            continue
        with st.spinner(t("upload_processing", file=_md(name)), show_time=True):
            bar = st.progress(0.0)
            result = upload.add_document(
                name, data, db.raw_dir(), db.warehouse_path(), source_url=link,
                on_progress=lambda done, total: bar.progress(min(1.0, done / max(total, 1))))
            bar.empty()
        messages = upload_messages(result)
        results += [(kind, text, result.doc_id if i == 0 else None) for i, (kind, text) in enumerate(messages)]
    st.session_state[f"{KEY}.upload.done"] = results
    st.session_state.pop(f"{KEY}.upload.pending", None)
    st.rerun()  # no URL write precedes it (streamlit #7961); the counts above now show the new warehouse


def _review_table(rows: list[dict], lang: str) -> str:
    """The values read, as an escaped HTML table (readable as text, like the passages)."""
    cells = {
        "indicator": lambda r: r["indicator"], "region": lambda r: region_label(r["region"], lang),
        "scope": lambda r: scope_label(r["scope"], lang), "year": lambda r: "" if r["year"] is None else r["year"],
        "months": lambda r: period_label(r["months"], lang), "kind": lambda r: kind_label(r["kind"], lang),
        "value": lambda r: format_number(r["value"]), "unit": lambda r: r["unit"] or "",
        "sentence": lambda r: r["sentence"]}
    labels = column_labels(REVIEW_COLUMNS, lang)
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{html.escape(labels.get(c, c))}</th>"
                   for c in REVIEW_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td style='padding:2px 8px;vertical-align:top'>{html.escape(str(cells[c](r)))}</td>"
                                    for c in REVIEW_COLUMNS) + "</tr>" for r in rows)
    return (f"<table style='font-size:.85em;border-collapse:collapse'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _uploaded_documents() -> None:
    """Documents added from here, each with a remove button."""
    wh = db.connect()
    mine = queries.documents_under(wh.con, wh.key, upload.UPLOAD_FOLDER)
    if mine.empty:
        return
    st.markdown(f"**{t('uploaded_documents')}**")
    for r in mine.itertuples():
        left, right = st.columns([6, 1], vertical_alignment="center")
        left.html(ui.link_html(f"{r.file}", ui.doc_href(r.doc_id)))
        if right.button(t("upload_remove"), key=f"{KEY}.upload.remove.{r.doc_id}", icon=":material/delete:"):
            with st.spinner(t("upload_removing", file=_md(r.file))):
                result = upload.remove_document(r.file, db.raw_dir(), db.warehouse_path())
            kind = "success" if result.ok else "error"
            st.session_state[f"{KEY}.upload.done"] = [(kind, t(result.key, file=_md(r.file), **{
                k: _md(v) for k, v in result.values.items()}), None)]
            st.rerun()
