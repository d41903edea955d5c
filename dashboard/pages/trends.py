"""Trends: one indicator over the years for a few regions, each point linked to its passage.

Periods: whole-year values and month or year-to-date values (1–9月) are different
quantities, so the chart shows one period at a time, whole year by default
(`months` in the URL); the period picker lists only periods the indicator has.
"""
from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import charts, db, queries, state, ui
from dashboard.i18n import current_lang, indicator_label, indicator_name, markdown_escape, period_label, t

KEY = "trends"
SERIES_LABELS = {"all": "series_all", "actual": "series_actual", "target": "series_target",
                 "change": "series_change"}
TABLE_COLUMNS = ["region", "year", "months", "kind", "value", "unit", "n_reports", "disagree",
                 "title", "published", "passage", "source", "source_url"]
EXPORT_COLUMNS = ["indicator_id", "indicator", "region", "region_code", "year", "months", "kind",
                  "value", "value_high", "qualifier", "unit", "value_text", "n_reports", "disagree",
                  "min_value", "max_value", "metric_id", "doc_id", "file", "title", "published",
                  "source_url", "paragraph_id", "passage", "permalink"]


def render() -> None:
    wh = db.connect()
    lang = current_lang()
    view = state.trends_view(wh)
    if view is None:
        st.info(t("warehouse_empty"))
        return
    ind = view.indicator
    name = indicator_name(ind["name_zh"], ind["name_en"], lang)
    d = view.defaults

    _controls(wh, view, lang)
    points = queries.trend_points(wh.con, wh.key, ind["indicator_id"], tuple(view.regions),
                                  view.years[0], view.years[1], view.months,
                                  state.TREND_KINDS[view.kind])
    if not view.regions:
        st.info(t("pick_region"))
    missing = [r for r in view.regions if r not in set(points["region"])]
    if missing and view.regions:
        st.caption(t("no_data_regions", value="、".join(markdown_escape(r) for r in missing)))

    tabs = ui.url_tabs(f"{KEY}.tab", ["chart", "table"], view.tab, d["tab"])
    with tabs["chart"]:
        if ui.is_open(tabs["chart"]):
            _chart(points, view, name, lang)
    with tabs["table"]:
        ui.table_tab(tabs["table"], points, TABLE_COLUMNS, KEY)

    ui.export_row(points, EXPORT_COLUMNS, f"{ind['indicator_id']}_{state.format_years(view.years)}", KEY,
                  chart_shown=view.tab == "chart")

    if view.metric is not None:
        ui.drilldown(wh, view.metric)


def _chart(points, view: state.TrendsView, name: str, lang: str) -> None:
    if points.empty:
        st.info(t("no_data"))
        return
    ind = view.indicator
    unit = ind["unit"] if view.kind != "change" else " / ".join(sorted(set(points["unit"].dropna())))
    fig = charts.trend_figure(points, indicator=name, unit=unit, lang=lang, regions=view.regions,
                              names=ui.chart_names(name))
    fmt = ui.saved_image_format(f"{KEY}.imgfmt")
    filename = f"{ind['indicator_id']}_{state.format_years(view.years)}"
    st.plotly_chart(fig, key=f"{KEY}.chart", on_select=partial(state.on_select_metric, f"{KEY}.chart"),
                    selection_mode="points", config=charts.plotly_config(filename, fmt))
    st.caption(t("click_hint"))


def _controls(wh, view: state.TrendsView, lang: str) -> None:
    """Indicator, regions, years, period and series; each writes its URL parameter."""
    d = view.defaults
    catalog = queries.indicators(wh.con, wh.key)
    labels = {r.indicator_id: indicator_label(r.name_zh, r.name_en, r.category, lang)
              for r in catalog.itertuples()}
    top = st.columns([2, 3])
    key = f"{KEY}.indicator"
    state.seed(key, view.indicator["indicator_id"])
    top[0].selectbox(t("indicator"), list(labels), format_func=labels.get, key=key,
                     on_change=state.on_change, args=(key, "indicator", str, d["indicator"], ("metric", "months")))
    key = f"{KEY}.regions"
    state.seed(key, view.regions)
    top[1].multiselect(t("regions"), view.region_options, key=key, placeholder=t("choose"), on_change=state.on_change,
                       args=(key, "regions", state.join_list, d["regions"]))

    row = st.columns([3, 1, 3], vertical_alignment="bottom")
    first, last = view.year_bounds
    if first < last:
        key = f"{KEY}.years"
        state.seed(key, tuple(view.years))
        row[0].slider(t("years"), min_value=first, max_value=last, key=key, on_change=state.on_change,
                      args=(key, "years", state.format_years, d["years"]))
    else:
        row[0].caption(f"{t('years')}: {first}")
    key = f"{KEY}.months"
    state.seed(key, view.months)
    row[1].selectbox(t("period"), view.periods, format_func=lambda m: period_label(m, lang), key=key,
                     help=t("period_help"), on_change=state.on_change,
                     args=(key, "months", str, d["months"], ("metric",)))
    key = f"{KEY}.kind"
    state.seed(key, view.kind)
    row[2].segmented_control(t("series"), list(SERIES_LABELS), format_func=lambda k: t(SERIES_LABELS[k]),
                             key=key, on_change=state.on_change,
                             args=(key, "kind", lambda v: v or "all", d["kind"]))
