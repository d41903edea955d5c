"""The warehouse: the DuckDB file the ETL writes and the dashboard reads.

The functions are exported under names of their own (build_warehouse, not build) so that
etl.warehouse.build, .export and .search stay the modules.

Its public API, the only part of the ETL the dashboard imports (with etl.config):

    build_warehouse(raw_dir, db_path, ...) -> BuildSummary    run the stages over a folder, swap the result in
    build_in_subprocess(raw_dir, db_path, ...) -> BuildSummary    the same, in a child process (for a server)
    shards_root(db_path) -> str                       the warehouse's shard folder (a scratch build passes it on)
    swap_in(temp, db_path), pid_alive(pid)            atomic replacement of a warehouse file
    remove_temp(temp)                                 a temporary warehouse and what it left beside it
    export_metrics(db_path, out, ...)                   the one export of metrics, to a file (CSV, JSON Lines, Parquet, XLSX)
    download_file(con, fmt)                           the same export as bytes, for the dashboard (CSV, Parquet, XLSX)
    spreadsheet_safe(value)                           a text cell that would start a formula, neutralised
    search_paragraphs(con, query, ...), count_hits(con, query, ...), prepare_query(query),
    highlight_spans(text, terms), snippet_html(text, terms)     full-text search
    detect_format(data, name), IngestError            what an upload is checked with
    fetch_urls(urls, raw_dir, policy), FetchPolicy     add reports by link (python -m etl fetch)
    record_origin/remove_origin(raw_dir, file, url), is_web_link(url), SOURCES_FILE    sources.csv: documents' origins
    SCHEMA_SQL, summarise(con), build_search_index(con)          schema and derived tables
    PREFERENCE_SQL                                    the order that picks a point's preferred report
    region_names_en()                                 English region names, as the gazetteer gives them
    text_span(con, doc_id, start, end)                a span of a document's text as ingested, read from the
                                                      pieces of document_text that overlap it
    preview_values(path, name)                        what a document would add (the upload review)
    PrebuiltSource, prebuilt_source(), install_prebuilt(source, db_path)   a prebuilt warehouse (EPW_PREBUILT),
                                                      installed at most once per start, verified, within a time-out
    uploads_dir(raw_dir), origin_root(raw_dir), missing_uploads(raw_dir, db_path), UPLOADS
                                                      where added documents live (EPW_UPLOADS) and which a warehouse lacks
    warm_up(con, path, budget_mb=None, background=True) -> WarmUp    what the pages' first queries read, read
                                                      ahead (at most EPW_WARM_MB) and loaded, in the background
"""
from __future__ import annotations

from etl.ingest import detect_format
from etl.model import IngestError
from etl.warehouse.build import BuildSummary
from etl.warehouse.display import preview_values, region_names_en, text_span
from etl.warehouse.build import build as build_warehouse
from etl.warehouse.build import shards_root
from etl.warehouse.export import (DEFAULT_MIN_CONFIDENCE, FORMATS, FROM_METRICS_SQL, PASSAGE_SQL, XLSX_MAX_ROWS,
                                  download_file, spreadsheet_safe)
from etl.warehouse.export import export as export_metrics
from etl.warehouse.fetch import Policy as FetchPolicy
from etl.warehouse.fetch import fetch_urls
from etl.warehouse.folders import UPLOADS, missing_uploads, origin_root, uploads_dir
from etl.warehouse.prebuilt import Outcome as PrebuiltOutcome
from etl.warehouse.prebuilt import Source as PrebuiltSource
from etl.warehouse.prebuilt import configured as prebuilt_source
from etl.warehouse.prebuilt import install_within as install_prebuilt
from etl.warehouse.isolated import IsolatedBuildError, build_in_subprocess
from etl.warehouse.search.index import build_search_index
from etl.warehouse.search.query import SNIPPET_CHARS, Query, count_hits, highlight_spans, prepare_query, snippet_html
from etl.warehouse.search.query import search as search_paragraphs
from etl.warehouse.sources import SOURCES_FILE, is_web_link, record_origin, remove_origin
from etl.warehouse.processes import pid_alive
from etl.warehouse.warm import WarmUp, warm_up
from etl.warehouse.write import PREFERENCE_SQL, SCHEMA_SQL, remove_temp, summarise, swap_in

__all__ = ["BuildSummary", "DEFAULT_MIN_CONFIDENCE", "FORMATS", "FROM_METRICS_SQL", "FetchPolicy", "IngestError",
           "IsolatedBuildError", "PASSAGE_SQL", "PREFERENCE_SQL", "PrebuiltOutcome", "PrebuiltSource", "Query", "SCHEMA_SQL", "SNIPPET_CHARS", "SOURCES_FILE", "UPLOADS", "WarmUp", "XLSX_MAX_ROWS",
           "build_in_subprocess", "build_search_index", "build_warehouse", "count_hits", "detect_format",
           "download_file", "export_metrics", "fetch_urls", "highlight_spans", "install_prebuilt", "is_web_link", "missing_uploads", "origin_root",
           "pid_alive", "prebuilt_source",
           "prepare_query", "preview_values", "record_origin", "region_names_en", "remove_origin", "search_paragraphs",
           "shards_root", "remove_temp", "snippet_html", "spreadsheet_safe", "summarise", "swap_in", "text_span", "uploads_dir", "warm_up"]
