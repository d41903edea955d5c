"""Document: a whole document as paragraphs, every extracted value marked and labelled.

`doc=…&para=…` is a paragraph's permalink: the page scrolls to it and marks it;
`metric=…` additionally picks out one value. Each paragraph's ¶ is its own permalink.
"""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import db, passages, queries, state, ui
from dashboard.i18n import (current_lang, display_title, format_number, indicator_name, kind_label,
                            period_label, t, unit_label, value_label)

KEY = "document"


def render() -> None:
    wh = db.connect()
    lang = current_lang()
    view = state.document_view(wh)
    if view is None:
        st.info(t("no_documents"))
        return
    doc = view.doc
    _picker(view)
    _metadata(doc, lang, queries.document_sources(wh.con, wh.key, doc["doc_id"]))

    values = queries.document_values(wh.con, wh.key, doc["doc_id"])
    st.caption(t("values_marked", n=len(values)))
    marks_by_paragraph = {pid: [_mark(r, lang, view.metric_id) for r in rows.itertuples()]
                          for pid, rows in values.groupby("paragraph_id")}
    blocks = [
        passages.paragraph_block(
            int(p.seq), passages.highlight(p.text, marks_by_paragraph.get(p.paragraph_id, [])),
            ui.doc_href(doc["doc_id"], int(p.seq)), target=p.seq == view.para)
        for p in view.paragraphs.itertuples()
    ]
    st.html(f"<div lang='zh' style='max-width:60em'>{''.join(blocks)}</div>")
    if view.para is not None:
        _scroll_to(view.para)


def _mark(r, lang: str, selected_metric: str | None) -> passages.Mark:
    year = "" if pd.isna(r.year) else int(r.year)
    name_en = r.name_en if isinstance(r.name_en, str) else None
    title = (f"{indicator_name(r.indicator, name_en, lang)} · {r.region} · {year} "
             f"{period_label(r.months, lang)} · {kind_label(r.kind, lang)}: "
             f"{value_label(r.value, r.qualifier, r.value_high, r.kind)} {unit_label(r.unit, lang)}")
    return passages.Mark(int(r.para_start), int(r.para_end), title, r.metric_id == selected_metric)


def _picker(view: state.DocumentView) -> None:
    docs = view.documents
    labels = {}
    for r in docs.itertuples():
        date = "" if pd.isna(r.published) else f" · {pd.Timestamp(r.published).date().isoformat()}"
        labels[r.doc_id] = f"{display_title(r.title, r.file)}{date} · {r.file}"
    key = f"{KEY}.doc"
    state.seed(key, view.doc["doc_id"])
    st.selectbox(t("document"), list(labels), format_func=labels.get, key=key,
                 on_change=state.on_change, args=(key, "doc", str, None, ("para", "metric")))


def _metadata(doc: pd.Series, lang: str, origins: pd.DataFrame) -> None:
    """Title, date, origin and the rest of what the ETL knows about the document, escaped."""
    date = doc["source_published"] if not pd.isna(doc["source_published"]) else doc["published"]
    published = t("unknown_date") if pd.isna(date) else pd.Timestamp(date).date().isoformat()
    publisher = doc["source_publisher"] if isinstance(doc["source_publisher"], str) else doc["publisher"]
    rows = [
        (t("published"), published),
        (t("meta_publisher"), publisher),
        (t("meta_report_year"), None if pd.isna(doc["report_year"]) else int(doc["report_year"])),
        (t("meta_region"), doc["region"]),
        (t("meta_file"), doc["file"]),
        (t("meta_format"), " · ".join(str(v) for v in (doc["format"], doc["encoding"], doc["script"]) if v)),
        (t("meta_paragraphs"), format_number(doc["n_paragraphs"])),
        (t("meta_metrics"), format_number(doc["n_metrics"])),
        (t("meta_sha"), doc["sha256"]),
    ]
    cells = "".join(
        f"<tr><th style='text-align:left;padding:2px 12px 2px 0;color:#8c8c8c;font-weight:normal'>"
        f"{html.escape(label)}</th><td style='padding:2px 0'>{html.escape(str(value))}</td></tr>"
        for label, value in rows if value is not None and value == value and value != "")
    cells += "".join(   # every known origin: links only when http(s), all text escaped
        f"<tr><th style='text-align:left;padding:2px 12px 2px 0;color:#8c8c8c;font-weight:normal'>"
        f"{html.escape(t('origin'))}</th><td style='padding:2px 0'>"
        f"{ui.external_link_html(o.url) if isinstance(o.url, str) else html.escape(t('origin_unknown'))}"
        f"{' → ' + ui.external_link_html(o.final_url) if isinstance(o.final_url, str) else ''}"
        f"{' · ' + html.escape(o.notes) if isinstance(o.notes, str) else ''}</td></tr>"
        for o in origins.itertuples())
    summary = " · ".join(html.escape(str(v)) for v in (published, publisher, doc["file"])
                         if v is not None and v == v)
    origin = ui.origin_html(doc["source_url"], None, doc["retrieved_at"], origins["url"].tolist())
    st.html(f"<h3 style='margin:.2em 0'>{html.escape(display_title(doc['title'], doc['file']))}</h3>"
            f"<div style='color:#595959;margin-bottom:.3em'>{summary}</div>"
            f"<div style='color:#595959;margin-bottom:.3em'>{origin}</div>"
            f"<details><summary>{html.escape(t('doc_meta'))}</summary>"
            f"<table style='font-size:.9em;margin:.4em 0'>{cells}</table></details>")


def _scroll_to(seq: int) -> None:
    """Bring paragraph p-<seq> into view once it is drawn (the id is an int we made)."""
    st.html(f"""<script>
      (function () {{
        let tries = 0;
        const go = () => {{
          const el = document.getElementById("p-{int(seq)}");
          if (el) {{ el.scrollIntoView({{block: "start"}}); }}
          else if (tries++ < 40) {{ setTimeout(go, 100); }}
        }};
        go();
      }})();
    </script>""", unsafe_allow_javascript=True)
