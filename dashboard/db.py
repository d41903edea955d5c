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

Opening a version starts its warm-up (etl.warehouse.warm_up, in a thread; EPW_WARM_MB bounds
what it reads ahead), so that a page's first visit does not wait for the disk, jieba or the
search index.

`start` puts the warehouse in place on a server's first visit: a prebuilt one when $EPW_PREBUILT
names it (etl/warehouse/prebuilt.py: verified, atomic, within a time-out), else a build from the
documents; and the documents of a durable uploads folder ($EPW_UPLOADS) that a fresh warehouse
lacks are loaded in the background (dashboard/upload.py catch_up).
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

from dashboard import upload
from etl import config
from etl.warehouse import (WarmUp, build_in_subprocess, install_prebuilt, missing_uploads, prebuilt_source, uploads_dir,
                           warm_up)

ROOT = config.ROOT
DEFAULT_DB = config.DEFAULT_DB
RAW_DIR = config.RAW_DIR
raw_dir = config.raw_dir
warehouse_path = config.warehouse_path


ALIAS = "warehouse"


_warm_ups: dict[str, WarmUp] = {}   # "path@mtime_ns" -> the warm-up its opening started


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(path: str, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    # mtime_ns is only part of the cache key
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {ALIAS} (READ_ONLY)", [path])
    # once per server process and file version, in the background: what the pages' first queries
    # read is read ahead (at most EPW_WARM_MB), jieba and the search index loaded (etl/warehouse/warm.py)
    _warm_ups[f"{path}@{mtime_ns}"] = warm_up(_cursor(con), path)
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


# ---- the first start: a prebuilt warehouse, else a build; then the uploads a restart lost ------------

@dataclass(frozen=True)
class Note:
    """Something the start has to tell the visitor: a message key (dashboard/i18n.py) and values."""
    level: str                      # "info" | "warning"
    key: str
    values: dict


_start_lock = threading.Lock()          # two first visitors must not install or build twice
_started: dict[tuple, list[Note]] = {}  # per warehouse and settings: what this process's start said
_catching_up: dict[str, threading.Thread] = {}


def start(on_install: Callable[[], ContextManager], on_build: Callable[[], ContextManager]) -> list[Note]:
    """Once per server process (and again whenever the file has gone): install the prebuilt
    warehouse ($EPW_PREBUILT, within $EPW_PREBUILT_TIMEOUT) when the local one is missing or
    older; build it from the documents when it is still missing (in a child process, as every
    build of the server); then load, in the background, the durable uploads folder's documents
    that the warehouse lacks. on_install()/on_build() give the context shown while each runs.
    Raises what the build raises (the caller shows it)."""
    path, raw = warehouse_path(), raw_dir()
    source = prebuilt_source()
    key = (str(path), str(raw), str(uploads_dir(raw)), source)
    if key in _started and path.exists():
        return _started[key] + _loading(raw, path)
    with _start_lock:
        if key in _started and path.exists():
            return _started[key] + _loading(raw, path)
        notes: list[Note] = []
        if source is not None:
            with on_install():
                outcome = install_prebuilt(source, path)
            if not outcome.ok:
                notes.append(Note("warning", "prebuilt_kept" if path.exists() else "prebuilt_failed",
                                  {"reason": outcome.reason}))
        if not path.exists():
            with on_build():
                build_in_subprocess(raw, path)    # never the ETL in the server (nor a worker forked from its threads)
        _started[key] = notes
        _catch_up_in_background(raw, path)
        return notes + _loading(raw, path)


def _catch_up_in_background(raw: Path, path: Path) -> None:
    running = _catching_up.get(str(path))
    if running is not None and running.is_alive():
        return
    if not missing_uploads(raw, path):
        return
    thread = threading.Thread(target=upload.catch_up, args=(raw, path), name="epw-uploads", daemon=True)
    _catching_up[str(path)] = thread
    thread.start()


def _loading(raw: Path, path: Path) -> list[Note]:
    running = _catching_up.get(str(path))
    if running is None or not running.is_alive():
        return []
    return [Note("info", "uploads_loading", {"n": len(missing_uploads(raw, path))})]


def wait_for_uploads(timeout: float | None = None) -> bool:
    """Wait for the background load of the uploads (tests, benchmarks); whether it has ended."""
    for thread in list(_catching_up.values()):
        thread.join(timeout)
    return not any(t.is_alive() for t in _catching_up.values())
