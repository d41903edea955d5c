"""The warehouse connection: read-only, one per version of the file.

The ETL writes a new file and os.replace()s it over the old one, so the file's
mtime names a version: a new mtime opens a new connection, and every cached
query is keyed on `Warehouse.key` so old results are not served for a new file.
DuckDB connections are not for sharing across threads (duckdb #3517): each
script run takes its own cursor of the cached connection. Nothing here writes.

Each version is ATTACHed to its own in-memory database rather than opened with
duckdb.connect(path): DuckDB caches database instances by path, and while any
connection to the old file is open (the cached one, a script run in progress),
connect(path) would hand back the old database although the file was replaced.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

from etl import config

ROOT = config.ROOT
DEFAULT_DB = config.DEFAULT_DB
RAW_DIR = config.RAW_DIR
raw_dir = config.raw_dir
warehouse_path = config.warehouse_path


ALIAS = "warehouse"


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(path: str, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    # mtime_ns is only part of the cache key
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {ALIAS} (READ_ONLY)", [path])
    return con


def _cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    cur = con.cursor()
    cur.execute(f"USE {ALIAS}")  # a cursor starts in the in-memory database
    return cur


@dataclass(frozen=True)
class Warehouse:
    con: duckdb.DuckDBPyConnection  # a cursor for this script run (or this download)
    key: str                        # path and mtime: passed to every cached query
    path: Path


def connect() -> Warehouse:
    path = warehouse_path()
    mtime_ns = path.stat().st_mtime_ns
    return Warehouse(_cursor(_open(str(path), mtime_ns)), f"{path}@{mtime_ns}", path)
