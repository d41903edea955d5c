"""Regions: one indicator, year and period across regions, as ranked bars and a province map."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import charts, db, queries, state, ui
from dashboard.i18n import current_lang, indicator_label, indicator_name, kind_label, period_label, t

KEY = "regions"
TABLE_COLUMNS = ["region", "value", "unit", "n_reports", "disagree", "title", "published",
                 "passage", "source", "source_url"]
EXPORT_COLUMNS = ["indicator_id", "indicator", "region", "region_code", "level", "year", "months",
                  "kind", "value", "value_high", "qualifier", "unit", "value_text", "n_reports",
                  "disagree", "min_value", "max_value", "metric_id", "doc_id", "file", "title",
                  "published", "source_url", "paragraph_id", "passage", "permalink"]


def render() -> None:
    wh = db.connect()
    lang = current_lang()
    view = state.regions_view(wh)
    if view is None:
        st.info(t("warehouse_empty"))
        return
    ind = view.indicator
    name = indicator_name(ind["name_zh"], ind["name_en"], lang)
    _controls(wh, view, lang)

    ranked = queries.ranking(wh.con, wh.key, ind["indicator_id"], view.year, view.months, view.kind)
    basename = f"{ind['indicator_id']}_{view.year}_{view.months}_{view.kind}"
    names = ui.chart_names(name)
    fmt = ui.saved_image_format(f"{KEY}.imgfmt")
    tabs = ui.url_tabs(f"{KEY}.tab", ["chart", "map", "table"], view.tab, view.defaults["tab"])
    with tabs["chart"]:
        if ui.is_open(tabs["chart"]):
            _bars(ranked, name, lang, names, basename, fmt)
    with tabs["map"]:
        if ui.is_open(tabs["map"]):
            _map(ranked, ind, name, lang, names, basename, fmt)
    with tabs["table"]:
        ui.table_tab(tabs["table"], ranked, TABLE_COLUMNS, KEY)

    ui.export_row(ranked, EXPORT_COLUMNS, basename, KEY, chart_shown=view.tab in ("chart", "map"))

    if view.metric is not None:
        ui.drilldown(wh, view.metric)


def _bars(ranked, name: str, lang: str, names: dict, basename: str, fmt: str) -> None:
    if ranked.empty:
        st.info(t("no_data"))
        return
    fig = charts.ranking_figure(ranked, indicator=name, unit=ranked["unit"].iloc[0], lang=lang, names=names)
    st.plotly_chart(fig, key=f"{KEY}.chart", on_select=partial(state.on_select_metric, f"{KEY}.chart"),
                    selection_mode="points", config=charts.plotly_config(basename, fmt))
    st.caption(t("click_hint_bar"))


def _map(ranked, ind, name: str, lang: str, names: dict, basename: str, fmt: str) -> None:
    shapes = charts.load_province_shapes()
    if shapes is None:
        st.info(t("map_missing"))
        return
    provinces = ranked[(ranked["level"] == "province") & ranked["region_code"].notna()]
    if provinces.empty:
        st.info(t("map_no_provinces"))
    higher = ind["higher_is_better"]
    fig = charts.province_map_figure(provinces, shapes, indicator=name, unit=ind["unit"], lang=lang,
                                     higher_is_better=None if pd.isna(higher) else bool(higher), names=names)
    st.plotly_chart(fig, key=f"{KEY}.map", on_select=partial(state.on_select_metric, f"{KEY}.map"),
                    selection_mode="points", config=charts.plotly_config(basename + "_map", fmt))
    if not provinces.empty:
        st.caption(t("click_hint"))


def _controls(wh, view: state.RegionsView, lang: str) -> None:
    d = view.defaults
    catalog = queries.indicators(wh.con, wh.key)
    labels = {r.indicator_id: indicator_label(r.name_zh, r.name_en, r.category, lang)
              for r in catalog.itertuples()}
    cols = st.columns([4, 1, 1, 2], vertical_alignment="bottom")
    key = f"{KEY}.indicator"
    state.seed(key, view.indicator["indicator_id"])
    cols[0].selectbox(t("indicator"), list(labels), format_func=labels.get, key=key,
                      on_change=state.on_change,
                      args=(key, "indicator", str, d["indicator"], ("metric", "months", "year", "kind")))
    key = f"{KEY}.months"
    state.seed(key, view.months)
    cols[1].selectbox(t("period"), view.periods, format_func=lambda m: period_label(m, lang), key=key,
                      help=t("period_help"), on_change=state.on_change,
                      args=(key, "months", str, d["months"], ("metric", "year", "kind")))
    key = f"{KEY}.year"
    state.seed(key, view.year)
    cols[2].selectbox(t("year"), list(reversed(view.years_available)), key=key, on_change=state.on_change,
                      args=(key, "year", str, d["year"], ("metric", "kind")))
    key = f"{KEY}.kind"
    state.seed(key, view.kind)
    cols[3].segmented_control(t("kind"), view.kinds, format_func=lambda k: kind_label(k, lang), key=key,
                              on_change=state.on_change, args=(key, "kind", lambda v: v or d["kind"], d["kind"], ("metric",)))
