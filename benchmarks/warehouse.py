"""The synthetic warehouse: schema.sql with millions of metrics, generated in DuckDB SQL."""
from __future__ import annotations

import json
import math
import os
import re
import time
from pathlib import Path

from benchmarks import common
from benchmarks.common import SAMPLE_DIR, WAREHOUSE_VERSION

# ==== the synthetic warehouse =========================================================================

PARAGRAPHS_PER_DOC = 50
HEADINGS = ["一、环境空气质量", "二、水环境质量", "三、土壤与农村环境", "四、自然生态", "五、应对气候变化"]
OUTSIDE_CATALOG = ["新增造林面积", "完成投资", "建设项目环评审批", "污水管网长度", "清洁取暖改造户数",
                   "淘汰老旧车辆", "生态环境执法检查", "新能源汽车保有量"]


def _sample_sentences() -> list[str]:
    out = []
    for path in sorted(SAMPLE_DIR.iterdir()):
        if path.name.startswith("."):
            continue
        from etl.ingest import read_document
        text = read_document(str(path)).text.replace("\n", "")
        out += [s for s in re.split(r"(?<=[。；！？])", text) if 8 <= len(s) <= 120]
    return out


def generate_warehouse(db_path: Path, n_metrics: int, n_paragraphs: int, seed: int = 1) -> dict:
    """A warehouse of schema.sql with n_metrics metrics over n_paragraphs paragraphs (50 per
    document), made in SQL from deterministic hashes; the real catalog and gazetteer."""
    import pyarrow as pa

    from etl import catalog
    from etl.warehouse import write as load
    from etl.warehouse.shards import PIECE_CHARS
    started = time.perf_counter()
    per = max(1, n_metrics // n_paragraphs)
    n_docs = math.ceil(n_paragraphs / PARAGRAPHS_PER_DOC)
    temp = db_path.with_name(f".{db_path.name}.generating-{os.getpid()}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = load.create(temp)
    # the build may cap DuckDB's memory for corpora; generating 10M rows in one statement needs more
    con.execute("SET memory_limit = '8GB'")
    inds = catalog.indicators()
    regs = [r for r in catalog.regions() if r.level == "country"] + \
           [r for r in catalog.regions() if r.level == "province"] + \
           [r for r in catalog.regions() if r.level == "prefecture"]
    regs = regs[:400]
    sents = _sample_sentences()
    g_ind = pa.table({"idx": list(range(len(inds))), "indicator_id": [i.indicator_id for i in inds],
                      "name_zh": [i.name_zh for i in inds], "unit": [i.unit for i in inds],
                      "alias": [i.aliases[0] if i.aliases else i.name_zh for i in inds]})
    g_reg = pa.table({"idx": list(range(len(regs))), "name": [r.name for r in regs], "code": [r.code for r in regs]})
    g_sent = pa.table({"idx": list(range(len(sents))), "s": sents})
    g_out = pa.table({"idx": list(range(len(OUTSIDE_CATALOG))), "phrase": OUTSIDE_CATALOG})
    g_head = pa.table({"idx": list(range(len(HEADINGS))), "heading": HEADINGS})
    for name, tbl in (("g_ind", g_ind), ("g_reg", g_reg), ("g_sent", g_sent), ("g_out", g_out), ("g_head", g_head)):
        con.register(f"{name}_arrow", tbl)
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")
    n_ind, n_reg, n_sent = len(inds), len(regs), len(sents)
    # u(i, c): a uniform number in [0, 1) from a hash, the same on every run
    con.execute(f"CREATE TEMP MACRO u(i, c) AS ((hash(i, c + {seed * 1000}) % 1000003)::DOUBLE / 1000003)")
    timings = {}

    def step(name, sql):
        t = time.perf_counter()
        con.execute(sql)
        timings[name] = round(time.perf_counter() - t, 2)

    step("docs", f"""
        CREATE TEMP TABLE g_docs AS
        SELECT i AS d, substr(md5('doc-{seed}-' || i), 1, 16) AS doc_id,
               least({n_reg - 1}, floor({n_reg} * pow(u(i, 1), 2.5)))::INT AS region_idx,
               2000 + least(25, floor(26 * sqrt(u(i, 2))))::INT AS report_year
        FROM range({n_docs}) t(i)""")
    step("paragraphs_tmp", f"""
        CREATE TEMP TABLE g_par AS
        WITH base AS (
            SELECT p, p // {PARAGRAPHS_PER_DOC} AS d, p % {PARAGRAPHS_PER_DOC} AS seq FROM range({n_paragraphs}) t(p)
        ), t AS (
            SELECT b.p, b.d, b.seq, g.doc_id, g.report_year,
                   left(r.name || (g.report_year - (b.p % 3))::VARCHAR || '年，' || s1.s || s2.s || s3.s || s4.s,
                        120 + (hash(b.p, 7) % 160)::INT) AS text
            FROM base b JOIN g_docs g USING (d) JOIN g_reg r ON r.idx = g.region_idx
            JOIN g_sent s1 ON s1.idx = hash(b.p, 11) % {n_sent}
            JOIN g_sent s2 ON s2.idx = hash(b.p, 12) % {n_sent}
            JOIN g_sent s3 ON s3.idx = hash(b.p, 13) % {n_sent}
            JOIN g_sent s4 ON s4.idx = hash(b.p, 14) % {n_sent}
        )
        SELECT *, length(text) AS len,
               (sum(length(text) + 1) OVER (PARTITION BY d ORDER BY seq) - length(text) - 1)::INT AS raw_start
        FROM t""")
    step("paragraphs", """
        INSERT INTO paragraphs
        SELECT doc_id || '-' || seq, doc_id, seq, NULL, h.heading, raw_start, raw_start + len, text, text
        FROM g_par JOIN g_head h ON h.idx = least(4, seq // 10)
        ORDER BY p""")
    step("documents", f"""
        INSERT INTO documents (doc_id, file, title, publisher, published, report_year, region, script, format,
                               encoding, sha256, size_bytes, n_chars, n_paragraphs, n_metrics, ingested_at)
        SELECT g.doc_id, 'synthetic/doc_' || lpad(g.d::VARCHAR, 7, '0') || '.txt',
               r.name || g.report_year || '年生态环境状况公报', r.name || '生态环境厅',
               make_date(g.report_year + 1, 1 + (hash(g.d, 3) % 6)::INT, 1 + (hash(g.d, 4) % 28)::INT),
               g.report_year, r.name, 'simplified', 'txt', 'utf-8',
               md5('a' || g.d) || md5('b' || g.d), strlen(t.raw_text), length(t.raw_text), t.n, t.n * {per},
               TIMESTAMP '2026-01-01 00:00:00'
        FROM g_docs g JOIN g_reg r ON r.idx = g.region_idx
        JOIN (SELECT d, string_agg(text, chr(10) ORDER BY seq) AS raw_text, count(*)::INT AS n
              FROM g_par GROUP BY d) t USING (d)
        ORDER BY g.d""")
    step("document_text", f"""
        INSERT INTO document_text
        WITH t AS (SELECT d, string_agg(text, chr(10) ORDER BY seq) AS raw_text FROM g_par GROUP BY d)
        SELECT g.doc_id, (s // {PIECE_CHARS})::INT, s, substr(t.raw_text, s + 1, {PIECE_CHARS})
        FROM g_docs g JOIN t USING (d), unnest(range(0, length(t.raw_text), {PIECE_CHARS})) AS r(s)
        ORDER BY g.d, s""")
    step("metrics", f"""
        INSERT INTO metrics
        WITH base AS (
            SELECT i, i // {per} AS p, i % {per} AS k FROM range({n_paragraphs * per}) t(i)
        ), x AS (
            SELECT b.i, b.k, gp.seq, gp.len, gp.raw_start AS p_raw, gd.doc_id, gd.region_idx AS doc_region,
                   gd.report_year,
                   CASE WHEN u(b.i, 1) < 0.05 THEN NULL
                        ELSE least({n_ind - 1}, floor({n_ind} * pow(u(b.i, 2), 2)))::INT END AS ind_idx,
                   CASE WHEN u(b.i, 3) < 0.5 THEN gd.region_idx
                        ELSE least({n_reg - 1}, floor({n_reg} * pow(u(b.i, 4), 2.5)))::INT END AS reg_idx,
                   CASE WHEN u(b.i, 5) < 0.05 THEN NULL WHEN u(b.i, 5) < 0.75 THEN gd.report_year
                        ELSE greatest(2000, gd.report_year - 1 - floor(u(b.i, 6) * 5)::INT) END AS year,
                   CASE WHEN u(b.i, 7) < 0.85 THEN '1-12' WHEN u(b.i, 7) < 0.90 THEN '1-6'
                        WHEN u(b.i, 7) < 0.94 THEN '1-9' ELSE (1 + floor(u(b.i, 8) * 12)::INT)::VARCHAR END AS months,
                   CASE WHEN u(b.i, 9) < 0.7 THEN 'actual' WHEN u(b.i, 9) < 0.9 THEN 'change' ELSE 'target' END AS kind,
                   u(b.i, 10) AS u_rev, u(b.i, 11) AS u_rev2, u(b.i, 12) AS u_range, u(b.i, 13) AS u_q,
                   u(b.i, 14) AS u_pos, u(b.i, 15) AS u_ev1, u(b.i, 16) AS u_ev2, u(b.i, 17) AS u_conf,
                   u(b.i, 18) AS u_out
            FROM base b JOIN g_par gp USING (p) JOIN g_docs gd ON gd.d = gp.d
        ), y AS (
            -- one value per (indicator, region, year, period, kind): documents agree, except 3 % revisions
            SELECT x.*, (hash(ind_idx, reg_idx, year, months, kind) % 1000003)::DOUBLE / 1000003
                        * CASE WHEN u_rev < 0.03 THEN 0.85 + 0.3 * u_rev2 ELSE 1 END AS pu
            FROM x
        ), v AS (
            SELECT y.*, gi.indicator_id, coalesce(gi.name_zh, go.phrase) AS indicator, coalesce(gi.alias, go.phrase) AS phrase,
                   gr.name AS region, gr.code AS region_code,
                   CASE WHEN gi.idx IS NULL THEN round(pow(10, 4 * pu))
                        WHEN kind = 'change' THEN round(-15 + 30 * pu, 1)
                        WHEN gi.unit = '%' THEN round(40 + 59.9 * pu, 1)
                        WHEN gi.unit LIKE '%克/立方米' THEN round(5 + 120 * pu)
                        ELSE round(pow(10, 1 + 4 * pu), 2) END AS value,
                   CASE WHEN gi.idx IS NULL THEN '万元' WHEN kind = 'change' AND gi.unit = '%' THEN '个百分点'
                        WHEN kind = 'change' THEN '%' ELSE gi.unit END AS unit
            FROM y LEFT JOIN g_ind gi ON gi.idx = y.ind_idx
            LEFT JOIN g_out go ON go.idx = floor(u_out * {len(OUTSIDE_CATALOG)})::INT
            JOIN g_reg gr ON gr.idx = y.reg_idx
        ), w AS (
            SELECT v.*, CAST(value AS VARCHAR) AS value_text,
                   floor(u_pos * greatest(len - 12, 1))::INT AS para_start
            FROM v
        )
        SELECT doc_id || '-' || seq || '-' || k, doc_id, doc_id || '-' || seq, indicator_id, indicator, phrase,
               region, region_code, year, months, kind, value,
               CASE WHEN u_range < 0.02 THEN round(value * 1.5, 2) END,
               unit,
               CASE WHEN u_q < 0.90 THEN '' WHEN u_q < 0.94 THEN '>=' WHEN u_q < 0.97 THEN '~' ELSE '<=' END,
               CASE WHEN kind <> 'change' THEN '' WHEN value < 0 THEN '下降' ELSE '上升' END,
               value_text, para_start, least(len, para_start + length(value_text)),
               p_raw + para_start, p_raw + least(len, para_start + length(value_text)),
               greatest(0, para_start - 20 - floor(u_ev1 * 40)::INT),
               least(len, para_start + length(value_text) + 20 + floor(u_ev2 * 60)::INT),
               [0.95, 0.9, 0.8, 0.7, 0.6, 0.4][1 + least(5, floor(u_conf * 6)::INT)],
               -- how year, period and region were decided (schema.sql's words)
               CASE WHEN year IS NULL THEN 'unresolved'
                    ELSE ['clause', 'sentence', 'paragraph', 'heading', 'lead', 'title'][1 + (i % 6)::INT] END,
               CASE WHEN months = '1-12' THEN 'default' ELSE 'clause' END,
               CASE WHEN u(i, 3) < 0.5 THEN 'default' ELSE 'sentence' END,
               ''
        FROM w
        ORDER BY i""")
    con.executemany("INSERT INTO ingest_errors VALUES (?, ?, ?, ?, TIMESTAMP '2026-01-01 00:00:00')",
                    [(f"synthetic/broken_{k:03d}.pdf", None, "ingest", "no text layer (scanned pages)")
                     for k in range(min(50, n_docs))])
    counts = con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM paragraphs), "
                         "(SELECT count(*) FROM metrics)").fetchone()
    from etl.warehouse.write import summarise  # the derived tables a real build makes
    summarise(con)
    search_index_s = None
    try:
        from etl.warehouse.search.index import build_search_index
    except ImportError:
        build_search_index = None
    if build_search_index is not None:
        t = time.perf_counter()
        build_search_index(con)
        search_index_s = round(time.perf_counter() - t, 2)
    info = {"fingerprint": "synthetic", "manifest": "synthetic", "raw_dir": "synthetic",
            "built_at": "2026-01-01T00:00:00+0000", "documents": str(counts[0]), "metrics": str(counts[2]),
            "seconds": f"{time.perf_counter() - started:.2f}",
            "bench_params": json.dumps({"version": WAREHOUSE_VERSION, "metrics": n_metrics,
                                        "paragraphs": n_paragraphs, "seed": seed,
                                        "layout": _layout_of_imported_code(),
                                        "search_index": build_search_index is not None})}
    con.executemany("INSERT INTO build_info VALUES (?, ?)", sorted(info.items()))
    con.execute("CHECKPOINT")
    con.close()
    os.replace(temp, db_path)
    return {"seconds": round(time.perf_counter() - started, 2), "documents": counts[0], "paragraphs": counts[1],
            "metrics": counts[2], "search_index_s": search_index_s, "step_seconds": timings,
            "size_mb": round(db_path.stat().st_size / 1e6, 1)}


def refresh_derived(db_path: Path) -> dict:
    """Bring a generated warehouse to the current layout without generating its rows again:
    tables schema.sql has gained are created, then summarise (derived tables) and
    build_search_index run on the file in place, and bench_params gets the new layout
    (written last: a refresh that dies is done again by the next run)."""
    import duckdb

    from etl.warehouse.search.index import build_search_index
    from etl.warehouse.write import SCHEMA_SQL, summarise
    started = time.perf_counter()
    spec = duckdb.connect()
    spec.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    wanted = dict(spec.execute("SELECT table_name, sql FROM duckdb_tables()").fetchall())
    spec.close()
    con = duckdb.connect(str(db_path))
    con.execute("SET memory_limit = '8GB'")
    have = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    added = sorted(set(wanted) - have)
    for name in added:
        con.execute(wanted[name])
    summarise(con)
    t = time.perf_counter()
    build_search_index(con)
    search_index_s = round(time.perf_counter() - t, 2)
    params = json.loads(con.execute("SELECT value FROM build_info WHERE key = 'bench_params'").fetchone()[0])
    params["layout"] = _layout_of_imported_code()
    con.execute("UPDATE build_info SET value = ? WHERE key = 'bench_params'", [json.dumps(params)])
    con.execute("CHECKPOINT")
    con.close()
    return {"seconds": round(time.perf_counter() - started, 2), "added_tables": added,
            "search_index_s": search_index_s, "size_mb": round(db_path.stat().st_size / 1e6, 1)}


def refresh(a: dict) -> dict:
    """The bench's child task 'refresh': refresh_derived of a["db"]."""
    return refresh_derived(Path(a["db"]))


def refresh_if_older(db: Path, wanted: dict, run_child, log) -> dict | None:
    """The params of the warehouse at db, first refreshed (in a child process) when it has the
    wanted rows but an older layout."""
    have = warehouse_params(db)
    if have and {**have, "layout": wanted["layout"]} == {**have, **wanted} != have:
        log(f"warehouse: same rows, older layout: refreshing derived tables and search index of {db} ...")
        have = {**warehouse_params(db), "refreshed": run_child("refresh", {"db": str(db)}, log_dir=db.parent)}
    return have


def warehouse_layout(root: Path | None = None) -> str:
    """Hash of what shapes a warehouse besides its rows (schema, derived tables, search index):
    a warehouse generated with another one is not reused."""
    import hashlib
    root = root or common.CODE_ROOT
    h = hashlib.sha256()
    for rel in ("etl/warehouse/schema.sql", "etl/warehouse/write.py", "etl/warehouse/search/index.py"):
        path = root / rel
        if path.exists():
            h.update(rel.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _layout_of_imported_code() -> str:
    """The layout of the etl code this process runs (a child runs the run's snapshot): the tree's
    files may have been edited since the run began, and a warehouse stamped with them would not
    be reused by the run that made it (it would be generated again)."""
    import etl
    return warehouse_layout(Path(etl.__file__).resolve().parent.parent)


def warehouse_params(db_path: Path) -> dict | None:
    import duckdb
    if not db_path.exists():
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            row = con.execute("SELECT value FROM build_info WHERE key = 'bench_params'").fetchone()
    except duckdb.Error:
        return None
    return json.loads(row[0]) if row else None
