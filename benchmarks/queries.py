"""The dashboard's query functions, timed on the synthetic warehouse."""
from __future__ import annotations

import ast
import json
import math
import random
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, SEARCH_QUERIES, TARGETS

# ==== the dashboard's queries ===========================================================================

CON_PARAMS = ("_con", "con", "cursor", "cur", "_cursor")


def undecorated(obj):
    return getattr(obj, "__wrapped__", obj)


def query_functions() -> dict[str, tuple[str, object]]:
    """{'queries.name' | 'search.name': (module, function)} for every public function of
    dashboard/queries.py and etl/warehouse/search/query.py whose first parameter is a connection."""
    import importlib
    import inspect
    out = {}
    for modname in ("dashboard.queries", "etl.warehouse.search.query"):
        try:
            mod = importlib.import_module(modname)
        except ImportError:
            continue
        short = "queries" if modname == "dashboard.queries" else "search"
        for name, obj in vars(mod).items():
            fn = undecorated(obj)
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != modname:
                continue
            params = list(inspect.signature(fn).parameters)
            if params and params[0] in CON_PARAMS:
                out[f"{short}.{name}"] = (modname, fn)
    return out


def pages_of_queries(names: set[str]) -> dict[str, list[str]]:
    """{page module: [query function, ...]}: the query functions a render of the page can call,
    directly or through other dashboard modules (dashboard/state's views included, through the
    package's re-exports), app.py's own included (static: every reference counts, whatever
    branch it sits in, so this is an upper bound)."""
    files = {}
    if (ROOT / "app.py").exists():
        files["app"] = ROOT / "app.py"
    for p in sorted((ROOT / "dashboard").glob("*.py")):
        files[f"dashboard.{p.stem}"] = p
    for p in sorted((ROOT / "dashboard").glob("*/*.py")):   # subpackages (dashboard/state: the views)
        if p.parent.name != "pages":
            files[f"dashboard.{p.parent.name}" + ("" if p.stem == "__init__" else f".{p.stem}")] = p
    for p in sorted((ROOT / "dashboard" / "pages").glob("*.py")):
        if p.stem != "__init__":
            files[f"dashboard.pages.{p.stem}"] = p
    refs: dict[tuple[str, str | None], set[tuple[str, str]]] = {}   # (module, function or None) -> refs
    imported: dict[tuple[str, str], tuple[str, str]] = {}   # (module, name) -> what `from X import name` names
    for mod, path in files.items():
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        aliases: dict[str, tuple[str, str | None]] = {}   # local name -> (module, attribute or None)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    target = f"{node.module}.{a.name}"
                    # `from dashboard import queries` names a module; `from dashboard.search import search` a function
                    aliases[a.asname or a.name] = (target, None) if target in files else (node.module, a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    aliases[a.asname or a.name.split(".")[0]] = (a.name, None)
        local_funcs = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        imported.update({(mod, name): target for name, target in aliases.items() if target[1] is not None})

        def collect(node) -> set[tuple[str, str]]:
            found = set()
            for sub in ast.walk(node):
                if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name):
                    target = aliases.get(sub.value.id)
                    if target and target[1] is None:
                        found.add((target[0], sub.attr))
                elif isinstance(sub, ast.Name):
                    if sub.id in aliases and aliases[sub.id][1] is not None:
                        found.add(aliases[sub.id])
                    elif sub.id in local_funcs:
                        found.add((mod, sub.id))
            return found

        refs[(mod, None)] = collect(tree)
        for n in tree.body:
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                refs[(mod, n.name)] = collect(n)

    def closure(start: set[tuple[str, str]], own: str | None = None) -> set[str]:
        seen, todo, hits = set(), list(start), set()
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            modname, attr = ref
            if modname == "etl.warehouse":   # the dashboard's search goes through the warehouse API
                modname, attr = "etl.warehouse.search.query", {"search_paragraphs": "search"}.get(attr, attr)
            if modname.startswith("dashboard.pages.") and modname != own:
                continue   # another page: not rendered with this one
            short = f"{'search' if modname == 'etl.warehouse.search.query' else modname.rsplit('.', 1)[-1]}.{attr}"
            if modname in ("dashboard.queries", "etl.warehouse.search.query") and short in names:
                hits.add(short)
                continue
            todo.extend(refs.get(ref, ()))
            if ref not in refs and ref in imported:   # a package re-exporting a function (dashboard.state)
                todo.append(imported[ref])
        return hits

    # app.py runs before every page; its references into the pages are the pages themselves
    every = closure({r for r in refs.get(("app", None), set()) if not r[0].startswith("dashboard.pages.")})
    out = {}
    for mod in files:
        if mod.startswith("dashboard.pages."):
            out[mod.rsplit(".", 1)[-1]] = sorted(every | closure(refs.get((mod, None), set()), mod))
    if not out:
        out["app"] = sorted(every)
    return out


class _Recorder:
    """A connection stand-in that records the SQL a query function runs."""

    def __init__(self, con):
        self._con, self.statements = con, []

    def execute(self, sql, params=None):
        self.statements.append((sql, params))
        return self._con.execute(sql, params) if params is not None else self._con.execute(sql)

    def sql(self, sql, *args, **kwargs):
        self.statements.append((sql, None))
        return self._con.sql(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def param_pools(con, rng: random.Random) -> dict:
    top = con.execute("""SELECT indicator_id FROM metrics WHERE indicator_id IS NOT NULL AND year IS NOT NULL
                         GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 10""").fetchall()
    indicators = [r[0] for r in top] or ["pm25"]
    regions_of = {}
    for ind in indicators:
        rows = con.execute("""SELECT region FROM metrics WHERE indicator_id = ? GROUP BY 1
                              ORDER BY count(*) DESC, 1 LIMIT 8""", [ind]).fetchall()
        regions_of[ind] = [r[0] for r in rows] or ["全国"]
    years = con.execute("SELECT min(year), max(year) FROM metrics WHERE year IS NOT NULL").fetchone()
    metric_ids = [r[0] for r in con.execute(
        "SELECT metric_id FROM metrics USING SAMPLE reservoir(200 ROWS) REPEATABLE (7)").fetchall()]
    doc_ids = [r[0] for r in con.execute(
        "SELECT doc_id FROM documents USING SAMPLE reservoir(100 ROWS) REPEATABLE (7)").fetchall()]
    return {"indicators": indicators, "regions_of": regions_of,
            "year_min": int(years[0] or 2000), "year_max": int(years[1] or 2025),
            "metric_ids": metric_ids or ["none"], "doc_ids": doc_ids or ["none"]}


def arguments(fn, con, pools: dict, rng: random.Random) -> tuple[dict | None, str | None]:
    """Realistic keyword arguments for a query function, by parameter name; (None, reason) if unknown."""
    import inspect
    ind = rng.choice(pools["indicators"])
    year_max = min(pools["year_max"], 2024)
    values = {
        "db_key": "bench@1", "key": "bench@1",
        "indicator_id": ind, "indicator": ind,
        "regions": tuple(rng.sample(pools["regions_of"][ind], min(5, len(pools["regions_of"][ind])))),
        "region": rng.choice(pools["regions_of"][ind]),
        "year_from": max(pools["year_min"], year_max - 10), "year_to": year_max,
        "year": year_max - rng.randrange(3), "months": "1-12", "period": "1-12",
        "kinds": ("actual", "target"), "kind": "actual",
        "metric_id": rng.choice(pools["metric_ids"]), "doc_id": rng.choice(pools["doc_ids"]),
        "fmt": "parquet", "lang": "zh", "folder": "uploads",
        "query": rng.choice(SEARCH_QUERIES), "q": rng.choice(SEARCH_QUERIES), "text": rng.choice(SEARCH_QUERIES),
        "terms": rng.choice(SEARCH_QUERIES),
    }
    kwargs = {}
    for i, (name, p) in enumerate(inspect.signature(fn).parameters.items()):
        if i == 0:
            kwargs[name] = con
        elif name in values:
            kwargs[name] = values[name]
        elif p.default is not inspect.Parameter.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        else:
            return None, f"no benchmark value for parameter {name!r}"
    return kwargs, None


def _percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0]
    k = (len(xs) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def _hot_operators(con, sql: str, params, top: int = 6) -> list[dict]:
    """The slowest operators of one statement, from DuckDB's JSON profile."""
    path = Path(tempfile.mkstemp(suffix=".json")[1])
    try:
        con.execute("PRAGMA enable_profiling = 'json'")
        con.execute(f"PRAGMA profiling_output = '{path}'")
        con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
        con.execute("PRAGMA disable_profiling")
        tree = json.loads(path.read_text() or "{}")
    except Exception as e:  # profiling is a nicety: report why it failed
        try:
            con.execute("PRAGMA disable_profiling")
        except Exception:
            pass
        return [{"error": f"{type(e).__name__}: {e}"[:200]}]
    finally:
        path.unlink(missing_ok=True)
    ops = []

    def walk(node):
        if isinstance(node, list):
            for n in node:
                walk(n)
            return
        if not isinstance(node, dict):
            return
        # DuckDB 1.x: operator_name/operator_timing/operator_cardinality; 2.x: type/timing/intermediate_rows
        name = node.get("operator_name") or node.get("operator_type") or node.get("type")
        timing = node.get("operator_timing", node.get("timing"))
        if name and timing is not None:
            extra = node.get("extra_info") or {}
            ops.append({"operator": str(name).strip(), "seconds": round(float(timing), 4),
                        "rows": node.get("operator_cardinality", node.get("intermediate_rows")),
                        "info": json.dumps(extra, ensure_ascii=False)[:240] if extra else ""})
        walk(node.get("children", []))

    walk(tree.get("operator", tree.get("children", [])))
    query = tree.get("query") if isinstance(tree.get("query"), dict) else {}
    total = float(query.get("total_time") or tree.get("latency") or 0)
    ops.sort(key=lambda o: -o["seconds"])
    return [{"latency_s": round(total, 4)}] + ops[:top]


def ensure_search_index(db_path: Path) -> float | None:
    """The tantivy index beside the warehouse (etl/warehouse/search/tantivy_index.py), built when
    it is missing (a warehouse generated or refreshed in place by code before it, or
    benchmarks/warehouse.py, which builds only the DuckDB tables): the seconds it took, or None."""
    try:
        from etl.warehouse.search import tantivy_index
    except ImportError:
        return None
    import duckdb
    with duckdb.connect(str(db_path), read_only=True) as con:
        if tantivy_index.index_for(con) is not None:
            return None
    print(f"building the tantivy index beside {db_path} ...", file=sys.stderr, flush=True)
    t = time.perf_counter()
    tantivy_index.build_beside(db_path, db_path, threads=2)
    return round(time.perf_counter() - t, 2)


def _warm_up(con, db_path: Path) -> dict | None:
    """The dashboard's warm-up (etl.warehouse.warm_up, EPW_WARM_MB as set), run to its end before
    anything is timed: the pages are timed as a server that has opened the file serves them
    (benchmarks/first_visits.py times a first visit with and without it)."""
    try:
        from etl.warehouse import warm_up
    except ImportError:
        return None
    t, c = time.perf_counter(), time.process_time()
    done = warm_up(con.cursor(), db_path, background=False)
    return {"seconds": round(time.perf_counter() - t, 2), "cpu_s": round(time.process_time() - c, 2),
            "advised_mb": round(done.advised_bytes / 2**20), "parts": done.parts, "error": done.error}


def time_queries(db_path: Path, runs: int = 20, budget_s: float = 60.0, seed: int = 1,
                 explain_dir: str | None = None, exclude: dict | None = None) -> dict:
    """p50/p95 of every query function over `runs` runs (after one warm-up), page totals, and the
    hot operators of each function whose p95 misses the target."""
    import duckdb
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    index_s = ensure_search_index(db_path)
    con = duckdb.connect(str(db_path), read_only=True)
    cur = con.cursor()
    warmed = _warm_up(con, db_path)
    rng = random.Random(seed)
    pools = param_pools(cur, rng)
    functions = query_functions()
    pages = pages_of_queries(set(functions))
    results: dict[str, dict] = {}
    timings: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    statements: dict[str, list] = {}
    runnable = []
    for name, (_, fn) in functions.items():
        if name.split(".", 1)[1].startswith("export_"):
            results[name] = {"skipped": "export on a download click, not a render: see 'exports' (--exports)"}
            continue
        if exclude and name in exclude:
            results[name] = {"error": exclude[name]}
            continue
        kwargs, why = arguments(fn, cur, pools, rng)
        if kwargs is None:
            results[name] = {"skipped": why}
            continue
        # warm-up: records the SQL, measures the cold first call
        rec = _Recorder(cur)
        kwargs[next(iter(kwargs))] = rec
        print(f"start {name}", file=sys.stderr, flush=True)
        t = time.perf_counter()
        try:
            fn(**kwargs)
        except Exception as e:
            results[name] = {"error": f"{type(e).__name__}: {e}"[:300]}
            continue
        first = time.perf_counter() - t
        print(f"warm-up {name}: {first * 1000:.1f} ms", file=sys.stderr, flush=True)
        results[name] = {"first_ms": round(first * 1000, 2)}
        statements[name] = rec.statements
        timings[name], cpu[name] = [], []
        runnable.append((name, fn))
    spent = {name: 0.0 for name, _ in runnable}
    for r in range(runs):
        for name, fn in runnable:
            if r >= 3 and spent[name] > budget_s:
                continue   # a very slow function: at least 3 runs, then its time budget
            kwargs, _ = arguments(fn, cur, pools, rng)
            print(f"start {name}", file=sys.stderr, flush=True)
            t, c = time.perf_counter(), time.process_time()
            fn(**kwargs)
            dt = time.perf_counter() - t
            spent[name] += dt
            timings[name].append(dt * 1000)
            cpu[name].append((time.process_time() - c) * 1000)   # this process, DuckDB's threads included
    target = TARGETS["query_p95"][1]
    for name, ts in timings.items():
        if not ts:
            continue
        results[name].update({"runs": len(ts), "p50_ms": round(_percentile(ts, 0.5), 2),
                              "p95_ms": round(_percentile(ts, 0.95), 2), "max_ms": round(max(ts), 2),
                              "cpu_p50_ms": round(_percentile(cpu[name], 0.5), 2),
                              "cpu_p95_ms": round(_percentile(cpu[name], 0.95), 2)})
        if results[name]["p95_ms"] > target:
            hot = []
            for k, (sql, params) in enumerate(statements.get(name, [])):
                hot.append({"statement": k, "sql": " ".join(sql.split())[:400],
                            "operators": _hot_operators(cur, sql, params)})
                if explain_dir:
                    Path(explain_dir).mkdir(parents=True, exist_ok=True)
                    try:
                        rows = (cur.execute("EXPLAIN ANALYZE " + sql, params) if params is not None
                                else cur.execute("EXPLAIN ANALYZE " + sql)).fetchall()
                        Path(explain_dir, f"{name}.{k}.txt").write_text(
                            f"-- params: {params!r}\n{sql}\n\n" + "\n".join(str(row[-1]) for row in rows),
                            encoding="utf-8")
                    except Exception as e:
                        Path(explain_dir, f"{name}.{k}.txt").write_text(f"EXPLAIN ANALYZE failed: {e}")
            results[name]["hot"] = hot
    page_results = {}
    for page, all_names in pages.items():
        names = [n for n in all_names if n in timings and timings[n]]
        failed = [n for n in all_names if "error" in results.get(n, {})]
        if not names:
            page_results[page] = {"functions": [], "failed": failed, "p50_ms": 0.0, "p95_ms": 0.0, "runs": 0}
            continue
        n = min(len(timings[x]) for x in names)
        totals = [sum(timings[x][i] for x in names) for i in range(n)]
        cpu_totals = [sum(cpu[x][i] for x in names) for i in range(n)]
        page_results[page] = {"functions": names, "failed": failed, "runs": n,
                              "p50_ms": round(_percentile(totals, 0.5), 2),
                              "p95_ms": round(_percentile(totals, 0.95), 2),
                              "cpu_p95_ms": round(_percentile(cpu_totals, 0.95), 2)}
    con.close()
    return {"functions": results, "pages": page_results, "search_index_built_s": index_s, "warm_up": warmed, "params": {k: v for k, v in pools.items()
                                                                  if k in ("indicators", "year_min", "year_max")}}
