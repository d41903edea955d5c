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
from dashboard.i18n import display_title, format_number, kind_label, period_label, unit_label, value_label

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
        source = _plain(display_title(r.title, r.file))
        if getattr(r, "published", None) is not None and r.published == r.published:
            source += f" ({pd.Timestamp(r.published).date().isoformat()})"
        if _web(getattr(r, "source_url", None)):
            source += f"<br>{_plain(urlsplit(r.source_url).hostname)}"
        if getattr(r, "disagree", False):
            source += f"<br>⚠ {names['conflict']}: {format_number(r.min_value)}–{format_number(r.max_value)}"
            source += f" ({r.n_reports})"
        rows.append([
            r.metric_id,
            f"{_plain(r.region)} · {r.year}",
            names["indicator"],
            value_label(r.value, r.qualifier, r.value_high, r.kind),
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


def _with_source_line(fig: go.Figure, line: str) -> go.Figure:
    """The source line above the plot, left-aligned (below it sit the legend and axis title)."""
    if line:
        fig.add_annotation(text=line, xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom",
                           yshift=6, showarrow=False, align="left", font=dict(size=11, color="#595959"))
        fig.update_layout(margin=dict(t=44))
    return fig


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


def trend_figure(df: pd.DataFrame, *, indicator: str, unit: str, lang: str,
                 regions: list[str], names: dict[str, str]) -> go.Figure:
    """Lines over years, one colour per region; targets dashed with open markers.

    names: localized 'indicator', 'source', 'conflict', 'year', 'target' strings.
    Points where documents disagree get a ring, drawn as its own legend entry.
    """
    fig = go.Figure()
    colors = {region: PALETTE[i % len(PALETTE)] for i, region in enumerate(regions)}
    for region in regions:
        for kind in ("actual", "target", "change"):
            sub = df[(df["region"] == region) & (df["kind"] == kind)].sort_values("year")
            if sub.empty:
                continue
            dashed = kind == "target"
            name = region if kind == "actual" else f"{region} · {kind_label(kind, lang)}"
            fig.add_trace(go.Scatter(
                x=sub["year"], y=sub["value"], mode="lines+markers", name=name,
                legendgroup=region,
                line=dict(color=colors[region], width=2, dash="dash" if dashed else "solid"),
                marker=dict(color=colors[region], size=10 if dashed else 8,
                            symbol="circle-open" if dashed else "circle",
                            line=dict(width=2) if dashed else None),
                customdata=_customdata(sub, lang, names),
                hovertemplate=HOVER,
            ))
    disputed = df[df["disagree"].fillna(False).astype(bool)] if not df.empty else df
    if not disputed.empty:
        fig.add_trace(go.Scatter(
            x=disputed["year"], y=disputed["value"], mode="markers", name=f"⚠ {names['conflict']}",
            marker=dict(symbol="circle-open", size=18, color=CONFLICT_COLOR, line=dict(width=2)),
            customdata=_customdata(disputed, lang, names), hovertemplate=HOVER,
        ))
    fig.update_xaxes(title=names["year"], dtick=1, tickformat="d", showgrid=False)
    unit = unit_label(unit, lang)
    fig.update_yaxes(title=f"{indicator} ({unit})" if unit else indicator, zeroline=False)
    return _with_source_line(_base_layout(fig, 460), source_line(df, names))


def ranking_figure(df: pd.DataFrame, *, indicator: str, unit: str, lang: str,
                   names: dict[str, str]) -> go.Figure:
    """Horizontal bars, highest value on top; the country and groupings shaded apart."""
    ordered = df.sort_values("value", ascending=True)
    colors = [NATIONAL_COLOR if level == "country" else GROUPING_COLOR if level == "grouping"
              else PROVINCE_COLOR for level in ordered.get("level", pd.Series(dtype=str)).fillna("")]
    labels = [value_label(v, q, h) + (" ⚠" if d else "") for v, q, h, d in
              zip(ordered["value"], ordered["qualifier"], ordered["value_high"], ordered["disagree"])]
    fig = go.Figure(go.Bar(
        x=ordered["value"], y=ordered["region"], orientation="h", marker_color=colors,
        text=labels, textposition="outside", cliponaxis=False,
        customdata=_customdata(ordered, lang, names), hovertemplate=HOVER,
    ))
    unit = unit_label(unit, lang)
    fig.update_xaxes(title=f"{indicator} ({unit})" if unit else indicator)
    fig.update_yaxes(title=None, type="category")
    fig.update_layout(showlegend=False)
    return _with_source_line(_base_layout(fig, max(260, 34 * len(ordered) + 90)), source_line(df, names))


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


def province_map_figure(df: pd.DataFrame, provinces, *, indicator: str, unit: str, lang: str,
                        higher_is_better: bool | None, names: dict[str, str]) -> go.Figure:
    """Provinces filled by value (grey without one), drawn as plain polygons.

    Plain x/y polygons instead of a geo subplot: Plotly's geo fetches a base map
    from a CDN even when hidden, which fails offline and leaves the map blank.
    Each province with a value also gets a dot at its centre carrying the
    metric_id, so the map is clickable like the bars.
    """
    scale = {True: "Greens", False: "Reds"}.get(higher_is_better, "Blues")
    unit = unit_label(unit, lang)
    by_code = df.drop_duplicates("region_code").set_index("region_code") if not df.empty else df
    low, high = (df["value"].min(), df["value"].max()) if not df.empty else (0, 1)
    span = (high - low) or 1
    fig = go.Figure()
    for p in provinces:
        if p.code in by_code.index:
            r = by_code.loc[p.code]
            fill = sample_colorscale(scale, [0.15 + 0.85 * (r["value"] - low) / span])[0]
            label = f"{_plain(p.name)}: {value_label(r['value'], r['qualifier'], r['value_high'])} {_plain(unit)}"
        else:
            fill, label = "#f0f0f0", f"{_plain(p.name)}: {names['no_value']}"
        fig.add_trace(go.Scatter(
            x=p.xs, y=p.ys, mode="lines", fill="toself", fillcolor=fill, line=dict(color="#ffffff", width=0.7),
            hoveron="fills", hoverinfo="text", text=label, showlegend=False))
    centred = df[df["region_code"].isin({p.code for p in provinces})] if not df.empty else df
    if not centred.empty:
        centers = {p.code: p.center for p in provinces}
        fig.add_trace(go.Scatter(
            x=[centers[c][0] for c in centred["region_code"]], y=[centers[c][1] for c in centred["region_code"]],
            mode="markers", showlegend=False,
            marker=dict(size=10, color=centred["value"], colorscale=scale, cmin=low - 0.15 / 0.85 * span,
                        cmax=high, line=dict(color="#434343", width=1),
                        colorbar=dict(title=dict(text=_plain(unit)), thickness=12, len=0.6)),
            customdata=_customdata(centred, lang, names), hovertemplate=HOVER))
    fig.update_xaxes(visible=False, scaleanchor="y", scaleratio=math.cos(math.radians(MAP_MID_LATITUDE)))
    fig.update_yaxes(visible=False)
    fig = _base_layout(fig, 620)
    fig.update_layout(title=dict(text=_plain(indicator), x=0, font=dict(size=14),
                                 subtitle=dict(text=source_line(df, names), font=dict(size=11, color="#595959"))),
                      plot_bgcolor="rgba(0,0,0,0)", hovermode="closest", margin=dict(t=60))
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
