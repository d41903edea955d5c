"""Load stage: rows -> a DuckDB warehouse file (schema in schema.sql).

A build never writes into the warehouse the dashboard reads. It writes a new
file beside it and, once the file is complete and closed, swaps it in with an
atomic rename; a build that dies leaves the old warehouse untouched and a
stale temporary file that the next build removes.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa

from etl import catalog
from etl.warehouse.export import PASSAGE_SQL
from etl.warehouse.search.index import build_search_index
from etl.warehouse.processes import pid_alive
from etl.warehouse.search.tantivy_index import folder_of, remove_unused

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
DOCUMENT_COLUMNS = ("doc_id", "file", "title", "publisher", "published", "report_year", "region", "script", "format",
                    "encoding", "sha256", "size_bytes", "n_chars", "n_paragraphs", "n_metrics", "ingested_at")
TEXT_COLUMNS = ("doc_id", "piece", "char_start", "text")
INDICATOR_COLUMNS = ("indicator_id", "name_zh", "name_en", "unit", "category", "aliases", "higher_is_better")
REGION_COLUMNS = ("code", "name", "short_names", "level", "parent_code", "name_en")
# DuckDB's memory during a build (it would otherwise take most of the machine's memory and
# keep it). While shards are loaded, the worker processes run beside it; the final sort
# and search index get more once they have exited. Past the limit, DuckDB spills to disk.
# 64 MB while loading (96 before): the build's peak is there, the index writer's heap and two
# workers beside it; at 50 MB of documents it fell by about 37 MB (summed anonymous PSS), the
# loads costing about a tenth more CPU (a little spilled).
LOAD_MEMORY_LIMIT = "64MB"
FINISH_MEMORY_LIMIT = "192MB"
# Keys made once the rows are in: created without them for the load (an index kept up row by row
# costs the load several times its work, and DuckDB writes it out again at every checkpoint),
# added by summarise() in one pass. A document's rows are unique when its documents row is (ids
# are made from doc_id), and documents keeps its key during the load, so nothing is let through.
DEFERRED_KEYS = {"paragraphs": "paragraph_id", "metrics": "metric_id"}
# While shards are loaded, DuckDB writes the file every 64 MB of log (not every 16 MB: fewer
# rewrites of the last row groups), beside the workers: written once at the end (on closing the
# load's connection), the whole log was replayed there, the longest serial step after the last load
LOAD_CHECKPOINT = "64MB"
TEMP_PATTERN = re.compile(r"^(?P<base>\.(?P<name>.+)\.building-(?P<pid>\d+))(?:\.wal|\.tmp)?$")


def temp_path_for(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.building-{os.getpid()}")


def remove_stale_temp_files(db_path: Path) -> list[Path]:
    """Remove the temporary files of builds that died (their process is gone); returns them."""
    removed = []
    for p in sorted(db_path.parent.glob(f".{db_path.name}.building-*")):
        m = TEMP_PATTERN.match(p.name)   # the file itself, or a log or spill folder it left alone
        base = p.with_name(m.group("base")) if m else None
        if base is not None and base not in removed and not pid_alive(int(m.group("pid"))):
            remove_temp(base)
            removed.append(base)
    return removed


def remove_temp(temp: Path) -> None:
    """A temporary warehouse and what is kept beside it (DuckDB's write-ahead log and spill
    folder, the search index folder of a scratch copy's build)."""
    temp.unlink(missing_ok=True)
    temp.with_name(temp.name + ".wal").unlink(missing_ok=True)
    for folder in (temp.with_name(temp.name + ".tmp"), folder_of(temp)):
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def create(path: Path) -> duckdb.DuckDBPyConnection:
    """A new warehouse to load, its tables of DEFERRED_KEYS without their key."""
    path.unlink(missing_ok=True)
    con = connect(path, LOAD_MEMORY_LIMIT)
    con.execute(f"SET checkpoint_threshold = '{LOAD_CHECKPOINT}'")
    sql = SCHEMA_SQL.read_text(encoding="utf-8")
    for table, key in DEFERRED_KEYS.items():
        ddl = table_sql(table)
        sql = sql.replace(ddl, re.sub(rf"\b({key}\s+VARCHAR)\s+PRIMARY KEY", r"\1", ddl, count=1))
    con.execute(sql)
    load_catalog(con)
    return con


def table_sql(table: str) -> str:
    """schema.sql's CREATE TABLE statement of a table."""
    return re.search(rf"^CREATE TABLE {table} \(.*?^\);", SCHEMA_SQL.read_text(encoding="utf-8"), re.S | re.M).group(0)


def _has_key(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute("""SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database()
                          AND table_name = ? AND constraint_type = 'PRIMARY KEY'""", [table]).fetchone()[0] > 0


def connect(path: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute(f"SET memory_limit = '{memory_limit}'")
    return con


def load_catalog(con: duckdb.DuckDBPyConnection) -> None:
    # through Arrow, like every bulk insert here: executemany costs seconds for the gazetteer's rows
    insert_rows(con, "indicators", INDICATOR_COLUMNS, [
        (i.indicator_id, i.name_zh, i.name_en, i.unit, i.category, "|".join(i.aliases), i.higher_is_better)
        for i in catalog.indicators()])
    insert_rows(con, "regions", REGION_COLUMNS, [
        (r.code, r.name, "|".join(r.short_names), r.level, r.parent_code, r.name_en or None)
        for r in catalog.regions()])


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list) -> None:
    if not rows:
        return
    if isinstance(rows[0], dict):
        data = {c: [r[c] for r in rows] for c in columns}
    else:
        data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    batch = pa.table(data)  # noqa: F841 — scanned by name below
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch")


def insert_errors(con, rows: list[tuple[str, str | None, str, str]]) -> None:
    if rows:
        con.executemany("INSERT INTO ingest_errors VALUES (?, ?, ?, ?, now())", rows)


def previous_build(db_path: Path) -> dict | None:
    """What the warehouse in place was built from: code fingerprint, manifest of files, its documents
    ({sha256: file}) and its ingest_errors rows (file, sha256, stage, error); None when there is none
    or it cannot be read (then everything is processed again)."""
    if not db_path.exists():
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
            docs = dict(con.execute("SELECT sha256, file FROM documents").fetchall())
            errors = con.execute("SELECT file, sha256, stage, error FROM ingest_errors ORDER BY file").fetchall()
    except duckdb.Error:
        return None
    return {"fingerprint": info.get("fingerprint"), "manifest": info.get("manifest"), "documents": docs,
            "errors": errors}


def copy_unchanged(con: duckdb.DuckDBPyConnection, old_path: Path, keep: dict[str, str]) -> None:
    """Copy the rows of unchanged documents ({sha256: current file name}) from the old warehouse."""
    if not keep:
        return
    con.execute("ATTACH ? AS old (READ_ONLY)", [str(old_path)])
    try:
        keep_table = pa.table({"sha256": list(keep), "file": list(keep.values())})  # noqa: F841
        con.execute("""
            CREATE TEMP TABLE kept AS
            SELECT d.doc_id, k.file FROM old.documents d JOIN keep_table k USING (sha256)""")
        # a renamed file keeps its rows under its new name
        con.execute("""
            INSERT INTO documents BY NAME
            SELECT d.* REPLACE (k.file AS file) FROM old.documents d JOIN kept k USING (doc_id)""")
        con.execute("INSERT INTO paragraphs BY NAME SELECT p.* FROM old.paragraphs p SEMI JOIN kept k USING (doc_id)")
        con.execute("INSERT INTO metrics BY NAME SELECT m.* FROM old.metrics m SEMI JOIN kept k USING (doc_id)")
        con.execute("""INSERT INTO document_text BY NAME SELECT t.* FROM old.document_text t
                       SEMI JOIN kept k USING (doc_id)""")
        con.execute("DROP TABLE kept")
    finally:
        con.execute("DETACH old")


CONFLICTS_SQL = """
INSERT INTO conflicts
SELECT indicator_id, indicator, region, year, months, kind, scope, unit,
       count(DISTINCT value), count(DISTINCT doc_id), count(*), min(value), max(value)
FROM metrics
WHERE indicator_id IS NOT NULL AND kind IN ('actual', 'target') AND year IS NOT NULL AND region IS NOT NULL
GROUP BY ALL
HAVING count(DISTINCT value) > 1
ORDER BY ALL
"""

INDICATOR_STATS_SQL = """
INSERT INTO indicator_stats
SELECT i.indicator_id, count(m.metric_id), count(m.year), count(DISTINCT m.region),
       count(DISTINCT m.doc_id), min(m.year), max(m.year)
FROM indicators i LEFT JOIN metrics m ON m.indicator_id = i.indicator_id
GROUP BY i.indicator_id
ORDER BY i.indicator_id
"""

COVERAGE_SQL = """
INSERT INTO coverage
SELECT indicator_id, year, count(DISTINCT region), count(*)
FROM metrics
WHERE indicator_id IN (SELECT indicator_id FROM indicators) AND year IS NOT NULL AND region IS NOT NULL
GROUP BY ALL
ORDER BY ALL
"""

# The preferred report of a point: the newest document's, then the most confident, then the lowest
# metric_id (over metrics m JOIN documents d; the dashboard orders a point's reports the same way).
# Points are stored sorted by indicator, period, kind and year (then region): a ranking (one of
# each) is a few consecutive rows, which DuckDB reads alone; sorted by region first, every
# vector of the indicator held a row of the year and was read whole. Each point carries its
# citation (the paragraph's seq and the passage, export.py PASSAGE_SQL over that paragraph).
PREFERENCE_SQL = "d.published DESC NULLS LAST, m.confidence DESC, m.metric_id"

# Two statements: the picks first (a temporary table), then their citations joined and the rows
# sorted; in one statement the ordered aggregate, the join with the paragraphs' text and the sort
# ran out of the finish's memory limit (192 MB) at 1 M metrics, where each alone fits.
PICKS_SQL = f"""
CREATE OR REPLACE TEMP TABLE point_picks AS
WITH pt AS (
    SELECT m.indicator_id, m.region, m.year, m.months, m.kind, m.scope,
           count(*) AS n_reports, min(m.value) AS min_value, max(m.value) AS max_value,
           first({{'metric_id': m.metric_id, 'indicator': m.indicator, 'region_code': m.region_code,
                   'value': m.value, 'value_high': m.value_high, 'unit': m.unit, 'qualifier': m.qualifier,
                   'value_text': m.value_text, 'change_verb': m.change_verb, 'doc_id': m.doc_id,
                   'paragraph_id': m.paragraph_id, 'evidence_start': m.evidence_start,
                   'evidence_end': m.evidence_end, 'para_start': m.para_start}}
                 ORDER BY {PREFERENCE_SQL}) AS pick
    FROM metrics m JOIN documents d ON d.doc_id = m.doc_id
    WHERE m.indicator_id IS NOT NULL AND m.year IS NOT NULL
    GROUP BY ALL
)
SELECT indicator_id, region, year, months, kind, scope, n_reports, min_value, max_value, pick.* FROM pt
"""

POINTS_SQL = f"""
INSERT INTO points
SELECT m.*, p.seq, {PASSAGE_SQL}
FROM point_picks m LEFT JOIN paragraphs p ON p.paragraph_id = m.paragraph_id
ORDER BY indicator_id, months, kind, year, region, scope
"""

# A document's values in the order the Document page marks them (schema.sql document_metrics)
DOCUMENT_METRICS_SQL = """
INSERT INTO document_metrics
SELECT doc_id, metric_id, paragraph_id, para_start, para_end, indicator_id, indicator, region, year, months,
       kind, scope, value, value_high, qualifier, unit, change_verb
FROM metrics
ORDER BY doc_id, paragraph_id, para_start, metric_id
"""

REGION_STATS_SQL = """
INSERT INTO region_stats
SELECT region, count(*), min(year), max(year) FROM metrics WHERE region IS NOT NULL GROUP BY region ORDER BY region
"""


def summarise(con: duckdb.DuckDBPyConnection) -> None:
    """Physical order and derived tables (schema.sql), once per build.

    Metrics are stored sorted by indicator, region and year: DuckDB keeps min/max per
    row group, so the dashboard's `WHERE indicator_id = ?` skips the rest of the table.
    The sorted copy goes into a new, empty table of the same definition: deleting and
    re-inserting every row under the primary key's index costs twice as long. A document's
    values, spread over the table by that order, are found through an index on doc_id; the
    Document page reads them from document_metrics, sorted by document."""
    if not _has_key(con, "paragraphs"):     # loaded without it (DEFERRED_KEYS): one pass now
        con.execute(f"ALTER TABLE paragraphs ADD PRIMARY KEY ({DEFERRED_KEYS['paragraphs']})")
    ddl = table_sql("metrics") if not _has_key(con, "metrics") else con.execute(
        """SELECT sql FROM duckdb_tables() WHERE database_name = current_database()
           AND schema_name = 'main' AND table_name = 'metrics'""").fetchone()[0]
    con.execute("DROP INDEX IF EXISTS metrics_doc_id")  # a table with an index cannot be renamed
    con.execute("ALTER TABLE metrics RENAME TO metrics_unsorted")
    con.execute(ddl)
    con.execute("INSERT INTO metrics SELECT * FROM metrics_unsorted ORDER BY indicator_id, region, year, months")
    con.execute("DROP TABLE metrics_unsorted")
    con.execute("CREATE INDEX metrics_doc_id ON metrics (doc_id)")
    for table, sqls in (("conflicts", [CONFLICTS_SQL]), ("indicator_stats", [INDICATOR_STATS_SQL]),
                        ("coverage", [COVERAGE_SQL]), ("region_stats", [REGION_STATS_SQL]),
                        ("document_metrics", [DOCUMENT_METRICS_SQL]),
                        ("points", [PICKS_SQL, POINTS_SQL, "DROP TABLE point_picks"])):
        con.execute(f"DELETE FROM {table}")
        for sql in sqls:
            con.execute(sql)


def finish(con: duckdb.DuckDBPyConnection, info: dict[str, str]) -> None:
    """Derived tables, the search tables the tantivy index reads (not the DuckDB bigram index:
    search/index.py) and build information; closes the connection.
    Open it with FINISH_MEMORY_LIMIT (see build.py)."""
    summarise(con)
    build_search_index(con, postings=False)
    con.executemany("INSERT INTO build_info VALUES (?, ?)", sorted(info.items()))
    con.execute("CHECKPOINT")
    con.close()


def swap_in(temp: Path, db_path: Path) -> None:
    """Make the finished file the warehouse in one atomic step. A search index built beside
    `temp` (the build of a scratch copy) first moves beside db_path under its build id, so the
    rename still switches file and index together; folders no warehouse names go after it."""
    scratch_indexes = folder_of(temp)
    if scratch_indexes.is_dir():
        folder_of(db_path).mkdir(exist_ok=True)
        for index in scratch_indexes.iterdir():
            if ".tmp-" not in index.name and not (folder_of(db_path) / index.name).exists():
                os.replace(index, folder_of(db_path) / index.name)
        shutil.rmtree(scratch_indexes, ignore_errors=True)
    with open(temp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(temp, db_path)
    dir_fd = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    remove_unused(db_path)
