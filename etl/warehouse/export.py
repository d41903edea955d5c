"""Export: the one dataset of metrics with their citations.

One query (`EXPORT_SQL`), one filter and one writer serve both callers:
`export(db_path, out)` is the command line's dataset (format from the file's suffix, replaced
atomically) and `download_file(con, fmt)` is the dashboard's download of the whole warehouse
(bytes; CSV with a BOM so that Excel reads it as UTF-8).

The columns include what shared/gold/README.md names (doc, indicator, region, year, months,
kind, value, evidence) and the provenance an analyst needs to check a number: the passage
(`evidence`, the sentence as shown in the drill-down), the document's title, publisher and date
(sources.csv's when it gives them, else as read in the text), its origin (`source_url`, the
first link of sources.csv; `source_urls`, every link, space-separated; `retrieved_at`), the
paragraph id, offsets, confidence, and how the year, period and region were decided
(`year_source`, `period_source`, `region_source`: schema.sql lists the words).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import openpyxl

# suffix -> COPY options (None: written by openpyxl)
FORMATS = {".csv": "FORMAT csv, HEADER true", ".jsonl": "FORMAT json", ".ndjson": "FORMAT json",
           ".parquet": "FORMAT parquet", ".xlsx": None}
DOWNLOAD_FORMATS = ("csv", "parquet", "xlsx")

MAX_EVIDENCE = 600     # characters; the export contract (shared/gold/README.md)
# Below this the extractor is guessing (a union of regions, no year or region of its own):
# such values stay in the warehouse for discovery, but the dataset leaves them out by default.
DEFAULT_MIN_CONFIDENCE = 0.5

# The sentence a value was read from, as the drill-down shows it.
PASSAGE_SQL = "substring(p.text, m.evidence_start + 1, m.evidence_end - m.evidence_start)"
FROM_METRICS_SQL = """
    FROM metrics m
    JOIN documents d ON d.doc_id = m.doc_id
    JOIN paragraphs p ON p.paragraph_id = m.paragraph_id
"""

# `evidence` is the sentence that holds the value. The extractor keeps it short; should a span
# be longer than the contract allows, or not hold the value, a window of the paragraph around
# the value is given instead.
EXPORT_SQL = f"""
SELECT m.metric_id, d.file AS doc, m.indicator, m.indicator_id, i.name_en AS indicator_en, i.category,
       m.region, m.region_code, m.year, m.months, m.kind, m.value, m.value_high, m.unit, m.qualifier,
       m.change_verb, m.value_text, m.phrase,
       CASE WHEN m.evidence_start <= m.para_start AND m.para_end <= m.evidence_end
                 AND m.evidence_end - m.evidence_start <= {MAX_EVIDENCE}
            THEN {PASSAGE_SQL}
            ELSE substr(p.text, greatest(0, least(m.para_start - {MAX_EVIDENCE // 2}, m.para_end - {MAX_EVIDENCE})) + 1,
                        {MAX_EVIDENCE})
       END AS evidence,
       m.confidence, m.year_source, m.period_source, m.region_source, m.doc_id, d.title AS doc_title,
       coalesce(d.source_publisher, d.publisher) AS doc_publisher,
       coalesce(d.source_published, d.published) AS doc_published,
       d.source_url, o.source_urls, d.retrieved_at,
       m.paragraph_id, p.seq AS paragraph_seq, m.para_start, m.para_end, m.raw_start, m.raw_end
{FROM_METRICS_SQL}
LEFT JOIN indicators i ON i.indicator_id = m.indicator_id
LEFT JOIN (SELECT doc_id, string_agg(url, ' ' ORDER BY line) AS source_urls FROM document_sources
           WHERE url IS NOT NULL GROUP BY doc_id) o ON o.doc_id = m.doc_id
WHERE ($include_undated OR m.year IS NOT NULL) AND m.confidence >= $min_confidence
ORDER BY d.file, p.seq, m.para_start, m.metric_id
"""

# A text cell that starts with one of these is a formula to a spreadsheet (`=HYPERLINK(...)` in a
# scraped title, `@SUM(...)`, `-2+3`): in CSV and XLSX such cells get a leading apostrophe, which
# spreadsheets show as text (OWASP's advice on CSV injection). JSON Lines and Parquet keep the text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SPREADSHEET_SUFFIXES = (".csv", ".xlsx")

XLSX_MAX_ROWS = 1_048_575        # a worksheet's rows below its header (Excel's limit)
EXPORT_MEMORY_LIMIT = "2GB"      # sorting 10M values with their passages takes 12 GB uncapped
BOM = b"\xef\xbb\xbf"            # so that Excel reads a CSV as UTF-8


def export(db_path: str | Path, out: str | Path, *, include_undated: bool = False,
           min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> int:
    """Write the metrics to `out` (format from its suffix); returns the number of rows."""
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise ValueError(f"unsupported export format {out.suffix!r}: use {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    # written beside the target and renamed over it: a failed export leaves no half-written file
    temp = out.with_name(f".{out.stem}.writing-{os.getpid()}{out.suffix}")
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            n = _write(con, temp, include_undated=include_undated, min_confidence=min_confidence)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return n


def download_file(con, fmt: str, *, include_undated: bool = True, min_confidence: float = 0.0) -> bytes:
    """The export as 'csv' (UTF-8 with BOM, for Excel), 'parquet' or 'xlsx' bytes (at most
    XLSX_MAX_ROWS values: ValueError beyond). By default every value the warehouse holds, as the
    dashboard shows them all.

    The export runs in a DuckDB instance of its own on the same file, capped at
    EXPORT_MEMORY_LIMIT (the sort and the join spill to a temporary folder), and is written
    to a file there: memory holds at most the finished file, never the rows as objects."""
    if fmt not in DOWNLOAD_FORMATS:
        raise ValueError(f"unsupported download format {fmt!r}")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp, f"metrics.{fmt}")
        own = _export_connection(con, tmp)
        try:
            _write(own, target, include_undated=include_undated, min_confidence=min_confidence, excel=True)
        finally:
            if own is not con:
                own.close()   # gives back DuckDB's memory before the file is read
        return target.read_bytes()


def spreadsheet_safe(value):
    """A cell as a spreadsheet must get it: text that would start a formula with a leading
    apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _neutralised_sql(con, params: dict) -> str:
    """EXPORT_SQL with every text column passed through spreadsheet_safe, in SQL."""
    columns = con.execute(f"SELECT * FROM ({EXPORT_SQL}) LIMIT 0", params).description
    starts = "[" + ", ".join(_sql_literal(c) for c in FORMULA_STARTS) + "]"
    apostrophe = _sql_literal("'")
    select = []
    for name, kind, *_ in columns:
        col = f'"{name}"'
        select.append(f"CASE WHEN list_contains({starts}, left({col}, 1)) THEN {apostrophe} || {col} "
                      f"ELSE {col} END AS {col}" if str(kind) == "VARCHAR" else col)
    return f"SELECT {', '.join(select)} FROM ({EXPORT_SQL})"


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _write(con, target: Path, *, include_undated: bool, min_confidence: float, excel: bool = False) -> int:
    """EXPORT_SQL's rows written to `target` in the format of its suffix; the number of rows.
    In CSV and XLSX, text cells that would start a formula are neutralised (spreadsheet_safe)."""
    params = {"include_undated": include_undated, "min_confidence": min_confidence}
    n = con.execute(f"SELECT count(*) FROM ({EXPORT_SQL})", params).fetchone()[0]
    options = FORMATS[target.suffix.lower()]
    query = _neutralised_sql(con, params) if target.suffix.lower() in SPREADSHEET_SUFFIXES else EXPORT_SQL
    if options is None:
        _write_xlsx(con, target, n, params, query)
    elif excel and target.suffix.lower() == ".csv":   # the BOM, then the rows: put together on disk
        rows = target.with_name("rows.csv")
        con.execute(f"COPY ({query}) TO '{_sql_string(rows)}' ({options})", params)
        with open(target, "wb") as out, open(rows, "rb") as f:
            out.write(BOM)
            shutil.copyfileobj(f, out)
        rows.unlink()
    else:
        con.execute(f"COPY ({query}) TO '{_sql_string(target)}' ({options})", params)
    return n


def _sql_string(path: Path) -> str:
    """COPY takes its target as a literal, not a parameter (the path is ours, never a URL's): quote it."""
    return str(path).replace("'", "''")


def _export_connection(con, tmp: str):
    """A connection of a capped DuckDB instance to con's warehouse file; `con` itself when this
    process holds the file open for writing (a build, a test), which allows no second handle."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    own = duckdb.connect(":memory:", config={"memory_limit": EXPORT_MEMORY_LIMIT, "temp_directory": tmp})
    try:
        own.execute("ATTACH ? AS warehouse (READ_ONLY)", [path])
    except duckdb.Error:
        own.close()
        return con
    own.execute("USE warehouse")
    return own


def _write_xlsx(con, target: Path, n: int, params: dict, query: str = EXPORT_SQL) -> None:
    """The export as one worksheet, row by row (openpyxl's write-only mode keeps no cells)."""
    if n > XLSX_MAX_ROWS:
        raise ValueError(f"{n} values do not fit an XLSX worksheet ({XLSX_MAX_ROWS} rows): use CSV or Parquet")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("metrics")
    cur = con.execute(query, params)
    sheet.append([c[0] for c in cur.description])
    while rows := cur.fetchmany(10_000):
        for row in rows:
            sheet.append(row)
    book.save(target)
