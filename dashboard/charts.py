"""Plotly figures, built from the DataFrames queries.py returns. No Streamlit in here.

Every clickable mark carries its metric_id as customdata[0], which is how a
click in Streamlit (selection.points[i]["customdata"]) finds its source passage.
Line charts use lines+markers because only markers can be selected
(streamlit #8824); each figure holds one chart (subplots make selection erratic).
"""
from __future__ import annotations

import html
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from etl import config
from dashboard.i18n import (date_label, display_title, format_number, kind_label, period_label, region_label,
                            series_label, unit_label, value_label)

FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]
CONFLICT_COLOR = "#d4380d"
NATIONAL_COLOR = "#595959"
PROVINCE_COLOR = "#1f77b4"
GROUPING_COLOR = "#91caff"

GEOJSON_PATH = config.GEOJSON_PATH

HOVER = ("<b>%{customdata[1]}</b><br>"
         "%{customdata[2]}: <b>%{customdata[3]}</b> %{customdata[4]}<br>"
         "%{customdata[5]}<br>"
         "%{customdata[6]}<extra></extra>")


def _plain(value) -> str:
    """Document text for hover labels: Plotly renders a little HTML there, so escape it."""
    return html.escape("" if value is None or value != value else str(value))


def _customdata(df: pd.DataFrame, lang: str, names: dict[str, str]) -> list[list[str]]:
    """[metric_id, title line, label, value, unit, period · kind, source] for every row."""
    rows = []
    for r in df.itertuples(index=False):
        source = _plain(display_title(r.title, r.file)) + f" ({date_label(getattr(r, 'published', None), lang)})"
        if _web(getattr(r, "source_url", None)):
            source += f"<br>{_plain(urlsplit(r.source_url).hostname)}"
        if getattr(r, "disagree", False):
            source += f"<br>⚠ {names['conflict']}: {format_number(r.min_value)}–{format_number(r.max_value)}"
            source += f" ({r.n_reports})"
        verb = getattr(r, "change_verb", "") or ""
        rows.append([
            r.metric_id,
            f"{_plain(series_label(r.region, getattr(r, 'scope', ''), lang))} · {r.year}",
            names["indicator"],
            value_label(r.value, r.qualifier, r.value_high, r.kind) + (f" ({_plain(verb)})" if verb else ""),
            _plain(unit_label(r.unit, lang)),
            f"{period_label(r.months, lang)} · {kind_label(r.kind, lang)}",
            f"{names['source']}: {source}",
        ])
    return rows


SOURCE_LINE_DOCS = 3    # documents named in a chart's source line; the rest are counted


def _web(url) -> bool:
    # the dashboard's rule (etl.warehouse.is_web_link) in the layer charts may use: http(s) with a host
    if not isinstance(url, str) or any(c.isspace() for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def source_line(df: pd.DataFrame, names: dict[str, str]) -> str:
    """'Sources: host/path, title … and N more documents' for the documents a figure draws from,
    the most used first: printed on the figure, so an exported image carries its citation.
    Links only for http(s) origins; all text escaped."""
    if df.empty or "doc_id" not in df:
        return ""
    cols = [c for c in ("doc_id", "title", "file", "source_url") if c in df]
    docs = df[cols].copy()
    docs["n"] = docs.groupby("doc_id")["doc_id"].transform("size")
    docs = docs.drop_duplicates("doc_id").sort_values(["n", "doc_id"], ascending=[False, True])
    shown = []
    for r in docs.head(SOURCE_LINE_DOCS).itertuples(index=False):
        url = getattr(r, "source_url", None)
        title = _plain(display_title(r.title, r.file))
        if _web(url):
            parts = urlsplit(url)
            label = _plain(((parts.hostname or "") + parts.path)[:60])
            shown.append(f'{title} (<a href="{html.escape(url)}">{label}</a>)')
        else:
            shown.append(title)
    more = len(docs) - len(shown)
    tail = f" {names.get('sources_more', '+{n}').format(n=more)}" if more > 0 else ""
    return f"{names.get('sources', 'Sources')}: " + "; ".join(shown) + tail


def _base_layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        font=dict(family=FONT_FAMILY, size=13),
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        hoverlabel=dict(font_family=FONT_FAMILY, align="left"),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
        clickmode="event+select",
    )
    return fig


SCALES = ("linear", "log", "index")   # the Trends page's y scale: values, logarithmic, first year = 100


def _with_gaps(sub: pd.DataFrame, y: pd.Series, customdata: list) -> tuple[list, list, list]:
    """x, y and customdata with a break (None) wherever a year is missing, so that a line never
    bridges years without data."""
    xs, ys, cds = [], [], []
    previous = None
    for year, value, cd in zip(sub["year"], y, customdata):
        if previous is not None and int(year) - int(previous) > 1:
            xs.append(int(previous) + 1)
            ys.append(None)
            cds.append([""] * len(cd))
        xs.append(int(year))
        ys.append(value)
        cds.append(cd)
        previous = year
    return xs, ys, cds


def trend_figure(df: pd.DataFrame, *, indicator: str, unit: str, lang: str,
                 regions: list[str], names: dict[str, str], scale: str = "linear") -> go.Figure:
    """Lines over years, one colour per region (one series per region and scope: 县级城市 is not
    the province); targets dashed with open markers; missing years left as gaps.

    names: localized 'indicator', 'source', 'conflict', 'year', 'index' strings.
    scale: 'linear', 'log' (y axis) or 'index' (each series relative to its first year = 100).
    Points where documents disagree get a ring, drawn as its own legend entry.
    """
    fig = go.Figure()
    colors = {region: PALETTE[i % len(PALETTE)] for i, region in enumerate(regions)}
    scopes = sorted(set(df["scope"].fillna(""))) if "scope" in df and not df.empty else [""]
    dashes = {"actual": "solid", "target": "dash", "change": "solid"}
    for region in regions:
        for n_scope, scope in enumerate(scopes):
            for kind in ("actual", "target", "change"):
                sub = df[(df["region"] == region) & (df["kind"] == kind)
                         & (df["scope"].fillna("") == scope if "scope" in df else True)].sort_values("year")
                if sub.empty:
                    continue
                dashed = kind == "target"
                label = series_label(region, scope, lang)
                name = label if kind == "actual" else f"{label} · {kind_label(kind, lang)}"
                y = sub["value"]
                if scale == "index" and y.iloc[0]:
                    y = 100 * y / y.iloc[0]
                xs, ys, cds = _with_gaps(sub, y, _customdata(sub, lang, names))
                fig.add_trace(go.Scatter(
                    x=xs, y=ys, mode="lines+markers", name=name, legendgroup=region, connectgaps=False,
                    line=dict(color=colors[region], width=2,
                              dash="dot" if n_scope and not dashed else dashes[kind]),
                    marker=dict(color=colors[region], size=10 if dashed else 8,
                                symbol=("circle-open" if dashed else ["circle", "square", "diamond",
                                                                       "triangle-up"][n_scope % 4]),
                                line=dict(width=2) if dashed else None),
                    customdata=cds, hovertemplate=HOVER,
                ))
    disputed = df[df["disagree"].fillna(False).astype(bool)] if not df.empty else df
    if not disputed.empty and scale != "index":
        fig.add_trace(go.Scatter(
            x=disputed["year"], y=disputed["value"], mode="markers", name=f"⚠ {names['conflict']}",
            marker=dict(symbol="circle-open", size=18, color=CONFLICT_COLOR, line=dict(width=2)),
            customdata=_customdata(disputed, lang, names), hovertemplate=HOVER,
        ))
    fig.update_xaxes(title=names["year"], dtick=1, tickformat="d", showgrid=False)
    unit = unit_label(unit, lang)
    if scale == "index":
        fig.update_yaxes(title=names.get("index", "index"), zeroline=False)
    else:
        fig.update_yaxes(title=f"{indicator} ({unit})" if unit else indicator, zeroline=True,
                         type="log" if scale == "log" else "linear")
    return _base_layout(fig, 460)


def titled(fig: go.Figure, *, title: str, subtitle: str, source: str, date: str) -> go.Figure:
    """Title, subtitle (regions, period), source line (documents, as `source_line` writes it:
    escaped HTML with the origins' links) and date written into the figure, so that a PNG or SVG
    from the toolbar carries them."""
    fig.update_layout(
        title=dict(text=f"<b>{_plain(title)}</b><br><span style='font-size:12px;color:#595959'>"
                        f"{_plain(subtitle)}</span>", x=0, xanchor="left", y=0.98, yanchor="top"),
        margin=dict(t=70, b=130))
    fig.add_annotation(text=f"{source}<br>{_plain(date)}", xref="paper", yref="paper", x=0, y=0,
                       yshift=-88, xanchor="left", yanchor="top", showarrow=False, align="left",
                       font=dict(size=10, color="#595959"))
    return fig


def ranking_figure(df: pd.DataFrame, *, indicator: str, unit: str, lang: str,
                   names: dict[str, str]) -> go.Figure:
    """Horizontal bars, highest value on top; the country and groupings shaded apart."""
    ordered = df.sort_values("value", ascending=True)
    colors = [NATIONAL_COLOR if level == "country" else GROUPING_COLOR if level == "grouping"
              else PROVINCE_COLOR for level in ordered.get("level", pd.Series(dtype=str)).fillna("")]
    labels = [value_label(v, q, h) + (" ⚠" if d else "") for v, q, h, d in
              zip(ordered["value"], ordered["qualifier"], ordered["value_high"], ordered["disagree"])]
    fig = go.Figure(go.Bar(
        x=ordered["value"], y=[series_label(r, sc, lang) for r, sc in
                               zip(ordered["region"], ordered.get("scope", pd.Series([""] * len(ordered))))],
        orientation="h", marker_color=colors,
        text=labels, textposition="outside", cliponaxis=False,
        customdata=_customdata(ordered, lang, names), hovertemplate=HOVER,
    ))
    unit = unit_label(unit, lang)
    fig.update_xaxes(title=f"{indicator} ({unit})" if unit else indicator)
    fig.update_yaxes(title=None, type="category")
    fig.update_layout(showlegend=False)
    return _base_layout(fig, max(260, 34 * len(ordered) + 90))


@dataclass(frozen=True)
class Province:
    """One province outline, ready to draw: rings joined by None, and a label point."""
    code: str
    name: str
    xs: tuple
    ys: tuple
    center: tuple[float, float]


MAP_STEP = 0.03        # degrees; finer detail than this is below a pixel at dashboard size
MAP_MID_LATITUDE = 35  # x is squeezed by cos(35°) so China keeps its shape (equirectangular)


def _thin(ring: list, step: float = MAP_STEP) -> list:
    """Drop vertices closer than `step` to the last kept one; tiny rings (islands) stay whole."""
    kept = [ring[0]]
    for x, y in ring[1:-1]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= step:
            kept.append((x, y))
    kept.append(ring[-1])
    return kept if len(kept) >= 4 else ring


def _ring_centroid(ring: list) -> tuple[float, float, float]:
    """(area, x, y) of a ring by the shoelace formula."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def province_shapes(geojson: dict) -> list[Province]:
    out = []
    for feature in geojson.get("features", []):
        props, geom = feature.get("properties", {}), feature.get("geometry") or {}
        polygons = ([geom["coordinates"]] if geom.get("type") == "Polygon"
                    else geom.get("coordinates", []) if geom.get("type") == "MultiPolygon" else [])
        xs, ys, best = [], [], (0.0, 0.0, 0.0)
        for polygon in polygons:
            for i, ring in enumerate(polygon):
                ring = [tuple(pt[:2]) for pt in ring]
                if len(ring) < 3:
                    continue
                thin = _thin(ring)
                xs += [x for x, _ in thin] + [None]
                ys += [y for _, y in thin] + [None]
                if i == 0:  # outer ring: the largest one carries the label
                    best = max(best, _ring_centroid(ring))
        out.append(Province(str(props.get("code")), str(props.get("name", "")), tuple(xs), tuple(ys),
                            (best[1], best[2])))
    return out


@lru_cache(maxsize=2)
def _read_shapes(path: str, mtime_ns: int) -> tuple[Province, ...]:
    with open(path, encoding="utf-8") as f:
        return tuple(province_shapes(json.load(f)))


def load_province_shapes(path: Path | None = None) -> tuple[Province, ...] | None:
    """Province outlines from data/geo/china_provinces.geojson (or $EPW_GEOJSON); None if missing."""
    path = Path(path or os.environ.get("EPW_GEOJSON") or GEOJSON_PATH)
    if not path.exists():
        return None
    return _read_shapes(str(path), path.stat().st_mtime_ns)


MAP_RANGE = dict(x=(73.0, 135.5), y=(17.6, 54.0))   # the mainland and Hainan; the islands go in the inset
INSET_RANGE = dict(x=(105.5, 123.5), y=(3.0, 24.5))  # 南海诸岛, drawn in a small box at the bottom right
INSET_DOMAIN = dict(x=(0.83, 1.0), y=(0.0, 0.3))
INSET_PROVINCES = ("440000", "450000", "460000", "350000", "710000", "530000", "810000", "820000")
MIN_REGIONS_TO_COMPARE = 3
NO_DATA_FILL = "#f0f0f0"


def province_map_figure(df: pd.DataFrame, provinces, *, indicator: str, unit: str, lang: str,
                        higher_is_better: bool | None, names: dict[str, str]) -> go.Figure:
    """Provinces filled by value (grey without one, with a 'no data' legend entry), drawn as plain
    polygons, and the South China Sea islands (南海诸岛) in an inset box.

    Plain x/y polygons instead of a geo subplot: Plotly's geo fetches a base map
    from a CDN even when hidden, which fails offline and leaves the map blank.
    Each province with a value also gets a dot at its centre carrying the
    metric_id, so the map is clickable like the bars. With fewer than
    MIN_REGIONS_TO_COMPARE provinces the colours would compare nothing: they are
    drawn in one colour, without a colour bar, and the map says so.
    """
    scale = {True: "Greens", False: "Reds"}.get(higher_is_better, "Blues")
    unit = unit_label(unit, lang)
    by_code = df.drop_duplicates("region_code").set_index("region_code") if not df.empty else df
    comparable = len(by_code) >= MIN_REGIONS_TO_COMPARE
    low, high = (df["value"].min(), df["value"].max()) if not df.empty else (0, 1)
    span = (high - low) or 1
    fig = go.Figure()
    for inset in (False, True):
        for p in provinces:
            if inset and p.code not in INSET_PROVINCES:
                continue
            if p.code in by_code.index:
                r = by_code.loc[p.code]
                fill = (sample_colorscale(scale, [0.15 + 0.85 * (r["value"] - low) / span])[0] if comparable
                        else sample_colorscale(scale, [0.6])[0])
                label = (f"{_plain(region_label(p.name, lang))}: "
                         f"{value_label(r['value'], r['qualifier'], r['value_high'])} {_plain(unit)}")
            else:
                fill, label = NO_DATA_FILL, f"{_plain(region_label(p.name, lang))}: {names['no_value']}"
            fig.add_trace(go.Scatter(
                x=p.xs, y=p.ys, mode="lines", fill="toself", fillcolor=fill, line=dict(color="#ffffff", width=0.7)
                if not inset else dict(color="#bfbfbf", width=0.4),
                hoveron="fills", hoverinfo="skip" if inset else "text", text=label, showlegend=False,
                xaxis="x2" if inset else "x", yaxis="y2" if inset else "y"))
    centred = df[df["region_code"].isin({p.code for p in provinces})] if not df.empty else df
    if not centred.empty:
        centers = {p.code: p.center for p in provinces}
        marker = dict(size=10, line=dict(color="#434343", width=1))
        if comparable:
            marker.update(color=centred["value"], colorscale=scale, cmin=low - 0.15 / 0.85 * span, cmax=high,
                          colorbar=dict(title=dict(text=_plain(unit)), thickness=12, len=0.6))
        else:
            marker.update(color=sample_colorscale(scale, [0.6])[0])
        fig.add_trace(go.Scatter(
            x=[centers[c][0] for c in centred["region_code"]], y=[centers[c][1] for c in centred["region_code"]],
            mode="markers", showlegend=False, marker=marker,
            customdata=_customdata(centred, lang, names), hovertemplate=HOVER))
    # the legend: what grey means
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=names["no_value"], showlegend=True,
                             marker=dict(symbol="square", size=14, color=NO_DATA_FILL,
                                         line=dict(color="#bfbfbf", width=1))))
    ratio = math.cos(math.radians(MAP_MID_LATITUDE))
    fig.update_layout(
        xaxis=dict(visible=False, range=MAP_RANGE["x"], scaleanchor="y", scaleratio=ratio, domain=(0, 1)),
        yaxis=dict(visible=False, range=MAP_RANGE["y"]),
        xaxis2=dict(visible=False, range=INSET_RANGE["x"], domain=INSET_DOMAIN["x"], anchor="y2",
                    scaleanchor="y2", scaleratio=ratio),
        yaxis2=dict(visible=False, range=INSET_RANGE["y"], domain=INSET_DOMAIN["y"], anchor="x2"))
    fig.add_shape(type="rect", xref="x2 domain", yref="y2 domain", x0=0, x1=1, y0=0, y1=1,
                  line=dict(color="#8c8c8c", width=1), fillcolor="rgba(255,255,255,0.9)", layer="below")
    fig.add_annotation(text=names.get("inset", "南海诸岛"), xref="x2 domain", yref="y2 domain", x=0.97, y=0.03,
                       xanchor="right", yanchor="bottom", showarrow=False, font=dict(size=10, color="#595959"))
    if not comparable and not df.empty:
        fig.add_annotation(text=_plain(names["too_few"].format(n=len(by_code), min=MIN_REGIONS_TO_COMPARE)),
                           xref="paper", yref="paper", x=0, y=1.0, xanchor="left", yanchor="bottom",
                           showarrow=False, font=dict(size=12, color="#ad4e00"))
    fig = _base_layout(fig, 620)
    fig.update_layout(title=dict(text=_plain(indicator), x=0, font=dict(size=14)),
                      plot_bgcolor="rgba(0,0,0,0)", hovermode="closest", showlegend=True,
                      legend=dict(orientation="h", yanchor="top", y=0.02, xanchor="left", x=0))
    return fig


def plotly_config(filename: str, image_format: str = "png") -> dict:
    """Toolbar settings: the camera button downloads PNG (at 2×) or SVG, drawn in the browser."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {
            "format": image_format,
            "filename": filename,
            "width": 1200,
            "height": 700,
            "scale": 2 if image_format == "png" else 1,
        },
    }


def selected_metric_ids(selection) -> list[str]:
    """metric_ids of the points in a st.plotly_chart selection (event or session-state dict)."""
    points = []
    if selection:
        sel = selection.get("selection", selection) if isinstance(selection, dict) else selection.selection
        points = sel.get("points", []) if isinstance(sel, dict) else getattr(sel, "points", [])
    ids = []
    for point in points or []:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)) and data:
            data = data[0]
        if isinstance(data, str) and data not in ids:
            ids.append(data)
    return ids
