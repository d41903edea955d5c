"""Every path and setting, in one table: name, default, help.

Settings are read from the environment (`EPW_*`); a relative path is taken from the project
root. This module imports nothing local, so every other module may import it. The README's
settings table is written from SETTINGS (tests/test_docs.py checks it).
"""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CATALOG_DIR = DATA_DIR / "catalog"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting("EPW_DB", "data/warehouse.duckdb", "the DuckDB warehouse the dashboard reads and `build` writes"),
    Setting("EPW_RAW", "data/raw", "the folder of documents the warehouse is built from (uploads go to its uploads/ "
                                "unless EPW_UPLOADS is set)"),
    # hosted deployments (README "Hosting"): a warehouse built elsewhere, installed once at start
    # (etl/warehouse/prebuilt.py), and a durable folder for the documents added from the dashboard
    Setting("EPW_PREBUILT", "", "a prebuilt warehouse to install at start when the local one is missing or older: a "
                                "path or an http(s) link to a .duckdb file made by `python -m etl publish` (empty: off)"),
    Setting("EPW_PREBUILT_SHA256", "", "the prebuilt warehouse's SHA-256 (as `publish` prints it); a download "
                                       "with another is refused (empty: not checked)"),
    Setting("EPW_PREBUILT_MAX_MB", "2048", "largest prebuilt warehouse accepted, in MB"),
    Setting("EPW_PREBUILT_TIMEOUT", "60", "seconds the dashboard waits for the prebuilt warehouse before it builds "
                                          "from the documents instead"),
    Setting("EPW_UPLOADS", "", "a durable folder (a mounted volume) for the documents added from the dashboard and "
                               "their origins, read by every build (empty: the raw folder's uploads/)"),
    # the dashboard's warm-up (etl/warehouse/warm.py): when a server opens the warehouse, the OS
    # is asked to read ahead what the pages' first queries read, in the background
    Setting("EPW_WARM_MB", "4096", "most MB of the warehouse and its search index the dashboard asks the OS to read "
                                   "ahead when it opens the file (page cache, given back under memory pressure; "
                                   "0: no warm-up)"),
    Setting("EPW_GEOJSON", "data/geo/china_provinces.geojson", "province outlines for the Regions map"),
    # limits on the work one document may cost (etl/warehouse/worker.py, etl/ingest/limits.py): a
    # document over one is named in ingest_errors with the limit it hit, and the build goes on. A
    # 300-page PDF bulletin (2,000 operators a page, 850 KB) takes 28 s of CPU and 320 MB, 78 s of
    # wall time on a 2-core machine at load 8: inside them with room. The wall time is a backstop
    # for a document that blocks; the CPU time is what stops a document that computes.
    Setting("EPW_DOC_SECONDS", "300", "wall-clock seconds one document may take to read and extract"),
    Setting("EPW_DOC_CPU_SECONDS", "90", "CPU seconds one document may take to read and extract"),
    Setting("EPW_DOC_MEMORY_MB", "768", "memory (MB of address space) one document may add to its worker process"),
    Setting("EPW_DOC_MAX_MB", "64", "largest PDF or DOCX file read, in MB (a bigger one is refused before it is "
                                    "read; a larger text or HTML file is read in segments)"),
    # a text or HTML file over EPW_STREAM_MB is decoded, cleaned, segmented and extracted a segment
    # at a time (etl/ingest/stream.py, etl/pipeline.py), its rows handed on a segment at a time: the
    # worker's memory does not grow with the file. The document's context (title, date, own region,
    # lead year) is read from its start and carried to every segment.
    Setting("EPW_STREAM_MB", "16", "text and HTML files over this many MB are read in segments with flat memory"),
    Setting("EPW_STREAM_MAX_MB", "2048", "largest text or HTML file read (in segments), in MB; a bigger one is "
                                         "refused before it is read"),
    Setting("EPW_DOC_MAX_CHARS", "50000000", "most characters of text one document read whole may hold "
                                                   "(a document read in segments is bounded by EPW_STREAM_MAX_MB)"),
    Setting("EPW_ZIP_MAX_MB", "512", "DOCX: most MB its ZIP entries may decompress to, checked before parsing"),
    Setting("EPW_ZIP_MAX_XML_MB", "96", "DOCX: most MB its XML parts may decompress to, checked before parsing"),
    Setting("EPW_ZIP_MAX_ENTRIES", "5000", "DOCX: most entries in its ZIP package"),
    Setting("EPW_PDF_MAX_PAGES", "5000", "PDF: most pages"),
    Setting("EPW_PDF_MAX_OPERATORS", "300000", "PDF: most content-stream operators on one page, counted before "
                                              "its text is extracted"),
    # scale-out (etl/warehouse/shards.py, cluster.py): each worker writes a document's rows as Parquet
    # shards, which DuckDB loads; the shards are also the cache of unchanged documents
    Setting("EPW_SHARDS", "", "folder (or fsspec URL) of the build's Parquet shards, one set per batch of documents and "
                              "ETL fingerprint; empty: `.NAME.shards` beside the warehouse (`--shards` overrides)"),
    Setting("EPW_DASK_BATCH_MB", "8", "`--engine dask`: most MB of documents per Dask task (smaller when the "
                                      "corpus would give fewer than 4 tasks a worker)"),
)
_BY_NAME = {s.name: s for s in SETTINGS}

DB_DEFAULT = _BY_NAME["EPW_DB"].default        # as the command line and build() take them
RAW_DEFAULT = _BY_NAME["EPW_RAW"].default
DEFAULT_DB = ROOT / _BY_NAME["EPW_DB"].default
RAW_DIR = ROOT / _BY_NAME["EPW_RAW"].default
GEOJSON_PATH = ROOT / _BY_NAME["EPW_GEOJSON"].default


def setting_path(name: str) -> Path:
    """The setting's path from the environment, else its default; relative paths from the project root."""
    configured = os.environ.get(name)
    path = Path(configured) if configured else Path(_BY_NAME[name].default)
    return path if path.is_absolute() else ROOT / path


def setting_int(name: str, minimum: int = 1) -> int:
    """A whole-number setting from the environment, else its default (a value that is not a
    whole number of at least `minimum` is an error, said with the setting's name)."""
    text = os.environ.get(name) or _BY_NAME[name].default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {text!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def setting_text(name: str) -> str:
    """A text setting from the environment, else its default (spaces around it dropped; may be empty)."""
    return (os.environ.get(name) or _BY_NAME[name].default).strip()


def raw_dir() -> Path:
    """data/raw, or $EPW_RAW: the documents the warehouse is built from (uploads go to its uploads/)."""
    return setting_path("EPW_RAW")


def warehouse_path() -> Path:
    """data/warehouse.duckdb, or $EPW_DB (relative paths are taken from the project root)."""
    return setting_path("EPW_DB")


def uploads_dir(raw: Path | None = None) -> Path:
    """$EPW_UPLOADS (a durable folder), else the raw folder's uploads/: where added documents go."""
    return setting_path("EPW_UPLOADS") if setting_text("EPW_UPLOADS") else (raw or raw_dir()) / "uploads"


def code_fingerprint(root: Path = ROOT) -> str:
    """Hash of the ETL code, schema and catalog under `root`, read now: a warehouse built with
    another one is rebuilt in full. The one fingerprint (the build and the benchmarks use it)."""
    h = hashlib.sha256()
    etl_dir, catalog_dir = root / "etl", root / "data" / "catalog"
    for path in sorted([*etl_dir.rglob("*.py"), *etl_dir.rglob("*.sql"), *catalog_dir.glob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


@functools.cache
def fingerprint() -> str:
    """code_fingerprint() of this tree, once per process."""
    return code_fingerprint()


def settings_markdown() -> str:
    """The settings table of README.md, written from SETTINGS (`python -m etl.config` prints it)."""
    rows = ["| setting | default | what it is |", "| --- | --- | --- |"]
    rows += [f"| `{s.name}` | {f'`{s.default}`' if s.default else '(empty)'} | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)


if __name__ == "__main__":
    print(settings_markdown())
