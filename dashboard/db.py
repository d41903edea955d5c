"""The warehouse connection: read-only, one per version of the file.

The ETL writes a new file and os.replace()s it over the old one, so the file's
mtime names a version: a new mtime opens a new connection, and every cached
query is keyed on `Warehouse.key` so old results are not served for a new file.
DuckDB connections are not for sharing across threads (duckdb #3517): each
script run takes its own cursor of the cached connection. Nothing here writes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"
RAW_DIR = ROOT / "data" / "raw"


def warehouse_path() -> Path:
    """data/warehouse.duckdb, or $EPW_DB (relative paths are taken from the project root)."""
    configured = os.environ.get("EPW_DB")
    path = Path(configured) if configured else DEFAULT_DB
    return path if path.is_absolute() else ROOT / path


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(path: str, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    # mtime_ns is only part of the cache key
    return duckdb.connect(path, read_only=True)


@dataclass(frozen=True)
class Warehouse:
    con: duckdb.DuckDBPyConnection  # a cursor for this script run (or this download)
    key: str                        # path and mtime: passed to every cached query
    path: Path


def connect() -> Warehouse:
    path = warehouse_path()
    mtime_ns = path.stat().st_mtime_ns
    return Warehouse(_open(str(path), mtime_ns).cursor(), f"{path}@{mtime_ns}", path)
