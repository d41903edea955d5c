"""Where each document came from: `sources.csv` in the raw folder, and the warehouse's
`document_sources` table built from it.

`sources.csv` (UTF-8, one header line) lists origins, one row per document and link:

    file,url,publisher,published,retrieved_at,final_url,notes

* `file` (required): the document's path relative to the raw folder, as the build lists it.
* `url`: where it was published, an http(s) link; empty when the origin is unknown.
* `publisher`, `published` (YYYY-MM-DD): who published it and when, as the page says;
  they take precedence over what the extractor reads in the text.
* `retrieved_at` (ISO date-time, UTC), `final_url` (where redirects ended): written by
  `python -m etl fetch`.
* `notes`: free text for people (e.g. why the origin is unknown).

Only `file` and `url` are required in the header. A file may have several rows: the same
bytes published under two links keep one document with both links. A row that cannot be
used (no such file, a link that is not http(s), a date that is not a date, a repeated row)
is skipped and named with its line number in the build's messages and in ingest_errors
(file 'sources.csv', stage 'sources'); the others still apply.

`python -m etl fetch` and the dashboard's upload form add rows with `record_origin`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pyarrow as pa

SOURCES_FILE = "sources.csv"          # at the top of the raw folder; never read as a document
SOURCES_STAGE = "sources"             # ingest_errors.stage of a bad row
COLUMNS = ("file", "url", "publisher", "published", "retrieved_at", "final_url", "notes")
REQUIRED = ("file", "url")
TABLE_COLUMNS = ("doc_id", "file", "url", "final_url", "publisher", "published", "retrieved_at", "notes", "line")


@dataclass(frozen=True)
class Origin:
    file: str
    url: str | None
    publisher: str | None = None
    published: str | None = None      # ISO date
    retrieved_at: str | None = None   # ISO date-time
    final_url: str | None = None
    notes: str | None = None
    line: int = 0                     # line in sources.csv (2 = the first row)


def is_web_link(url: str | None) -> bool:
    """An absolute http(s) link with a host: the only links the warehouse keeps and the
    dashboard renders."""
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _date(text: str) -> str:
    return dt.date.fromisoformat(text).isoformat()


def _datetime(text: str) -> str:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="seconds")


def read_sources(raw_dir: Path, known_files: set[str] | None = None) -> tuple[list[Origin], list[str]]:
    """The usable rows of raw_dir/sources.csv and a message per problem ('line 3: …').
    No file: no rows, no problems. `known_files`: the documents the build lists (a row naming
    another file is a problem); None skips that check."""
    path = Path(raw_dir) / SOURCES_FILE
    if not path.is_file():
        return [], []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return [], [f"cannot be read as UTF-8 text: {e}"]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [f"line 1: the header needs the columns {', '.join(REQUIRED)} (missing: {', '.join(missing)})"]
    problems = [f"line 1: unknown column {h!r} ignored" for h in header if h not in COLUMNS]
    reader.fieldnames = header
    rows, seen = [], set()
    for row in reader:
        line = reader.line_num
        if None in row:   # more cells than header columns
            problems.append(f"line {line}: more cells than columns; row skipped")
            continue
        cell = {c: (row.get(c) or "").strip() for c in COLUMNS}
        if not any(cell.values()):
            continue
        problem = _check(cell, known_files)
        if problem:
            problems.append(f"line {line}: {problem}; row skipped")
            continue
        key = (cell["file"], cell["url"])
        if key in seen:
            problems.append(f"line {line}: repeats file {cell['file']!r} with the same url; row skipped")
            continue
        seen.add(key)
        rows.append(Origin(file=cell["file"], url=cell["url"] or None, publisher=cell["publisher"] or None,
                           published=_date(cell["published"]) if cell["published"] else None,
                           retrieved_at=_datetime(cell["retrieved_at"]) if cell["retrieved_at"] else None,
                           final_url=cell["final_url"] or None, notes=cell["notes"] or None, line=line))
    return rows, problems


def _check(cell: dict[str, str], known_files: set[str] | None) -> str | None:
    if not cell["file"]:
        return "no file"
    if cell["file"] == SOURCES_FILE:
        return "sources.csv is not a document"
    if known_files is not None and cell["file"] not in known_files:
        return f"no document {cell['file']!r} in the raw folder"
    for column in ("url", "final_url"):
        if cell[column] and not is_web_link(cell[column]):
            return f"{column} {cell[column][:80]!r} is not an http(s) link"
    if cell["final_url"] and not cell["url"]:
        return "final_url without url"
    try:
        if cell["published"]:
            _date(cell["published"])
    except ValueError:
        return f"published {cell['published'][:40]!r} is not a date (YYYY-MM-DD)"
    try:
        if cell["retrieved_at"]:
            _datetime(cell["retrieved_at"])
    except ValueError:
        return f"retrieved_at {cell['retrieved_at'][:40]!r} is not a date-time (ISO 8601)"
    return None


def apply_origins(con: duckdb.DuckDBPyConnection, origins: list[Origin], sha_of_file: dict[str, str]) -> None:
    """Fill document_sources from the rows of sources.csv whose file is in the warehouse (any of
    the names of its bytes), then each document's source_* columns and retrieved_at from its first
    row with a link (its first row at all for publisher and date). Documents copied from the
    previous build are reset first, so a row removed from sources.csv leaves no trace."""
    rows = [(sha_of_file[o.file][:16], o.file, o.url, o.final_url, o.publisher, o.published, o.retrieved_at,
             o.notes, o.line) for o in origins if o.file in sha_of_file]
    con.execute("DELETE FROM document_sources")
    if rows:
        origin_rows = pa.table({c: [r[i] for r in rows] for i, c in enumerate(TABLE_COLUMNS)})  # noqa: F841
        con.execute("""INSERT INTO document_sources BY NAME
                       SELECT t.* REPLACE (CAST(t.published AS DATE) AS published,
                                           CAST(t.retrieved_at AS TIMESTAMP) AS retrieved_at)
                       FROM origin_rows t SEMI JOIN documents d USING (doc_id)""")
    con.execute("""
        UPDATE documents SET source_url = o.source_url, source_publisher = o.source_publisher,
                             source_published = o.source_published, retrieved_at = o.retrieved_at
        FROM (SELECT d.doc_id,
                     arg_min(s.url, s.line) FILTER (WHERE s.url IS NOT NULL) AS source_url,
                     arg_min(s.publisher, s.line) FILTER (WHERE s.publisher IS NOT NULL) AS source_publisher,
                     arg_min(s.published, s.line) FILTER (WHERE s.published IS NOT NULL) AS source_published,
                     arg_min(s.retrieved_at, s.line) FILTER (WHERE s.url IS NOT NULL) AS retrieved_at
              FROM documents d LEFT JOIN document_sources s USING (doc_id)
              GROUP BY d.doc_id) o
        WHERE documents.doc_id = o.doc_id""")


def record_origin(raw_dir: Path, file: str, url: str | None, *, final_url: str | None = None,
                  retrieved_at: str | None = None, publisher: str | None = None, published: str | None = None,
                  notes: str | None = None, moved_from: str | None = None) -> None:
    """Add the row (file, url) to raw_dir/sources.csv, or update that row; the other rows and
    columns are kept (`moved_from`: the file the link was listed under until now, whose row goes).
    Written to a temporary file and renamed, so a reader never sees half a file."""
    path = Path(raw_dir) / SOURCES_FILE
    header, rows = list(COLUMNS), []
    if path.is_file():
        reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""))
        header += [h for h in (reader.fieldnames or []) if h and h not in header]
        rows = [dict(r) for r in reader]
    if moved_from is not None:
        rows = [r for r in rows if ((r.get("file") or "").strip(), (r.get("url") or "").strip()) != (moved_from, url)]
    new = {"file": file, "url": url or "", "final_url": final_url or "", "retrieved_at": retrieved_at or "",
           "publisher": publisher or "", "published": published or "", "notes": notes or ""}
    for row in rows:
        if (row.get("file") or "").strip() == file and (row.get("url") or "").strip() == (url or ""):
            row.update({k: v for k, v in new.items() if v or k in ("final_url", "retrieved_at")})
            break
    else:
        rows.append(new)
    _write_rows(path, header, rows)


def remove_origin(raw_dir: Path, file: str, url: str | None) -> None:
    """Take the row (file, url) out of raw_dir/sources.csv again (an upload that was refused)."""
    path = Path(raw_dir) / SOURCES_FILE
    if not path.is_file():
        return
    reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""))
    header = list(reader.fieldnames or COLUMNS)
    rows = [r for r in reader if ((r.get("file") or "").strip(), (r.get("url") or "").strip()) != (file, url or "")]
    _write_rows(path, header, rows)


def _write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    """sources.csv rewritten whole, beside it then renamed over it (a reader never sees half)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: (v or "") for k, v in r.items() if k is not None} for r in rows)
    temp = path.with_name(f".{SOURCES_FILE}.{os.getpid()}.tmp")
    temp.write_text(out.getvalue(), encoding="utf-8")
    os.replace(temp, path)


def files_of_url(raw_dir: Path, url: str) -> list[str]:
    """The files sources.csv lists under this link (as url or final_url), in order."""
    origins, _ = read_sources(raw_dir)
    return [o.file for o in origins if url in (o.url, o.final_url)]
