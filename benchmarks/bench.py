"""Benchmarks of the ETL build and the dashboard's queries, with targets marked met or missed.

    python -m benchmarks.bench --quick                      # smoke test: ~1+2 MB corpus, 200k-metric warehouse
    python -m benchmarks.bench --mb 20 100                  # build figures at two corpus sizes (MB of files)
    python -m benchmarks.bench --mb 20 --reuse-warehouse    # keep the 10M-metric warehouse of an earlier run
    python -m benchmarks.bench --profile --mb 20            # cProfile + py-spy of the worker's work (process_document)

What one run measures, each in a fresh subprocess whose peak memory is sampled
over its whole process tree (build workers included):

* corpus: a deterministic synthetic corpus per size (`--mb`, 1-200 MB) under
  benchmarks/corpus/, recombined from the sentences of data/raw with regions
  (data/catalog/regions.csv), years and numbers varied, in files of 5-80 KB
  (10 % GB18030, 10 % a whole report on one line, as scraped pages are);
* jieba baseline: `jieba.lcut` over the same texts, one process, default mode,
  after `jieba.initialize()`;
* a single-process build (`etl.build.build(workers=1)`, compared with jieba),
  the full build on all cores (compared with the single-process one), the
  incremental rebuild with nothing changed and, at the first size, a rebuild
  with one document changed;
* dashboard: a warehouse of `--metrics` metrics and `--paragraphs` paragraphs
  generated in DuckDB SQL (schema.sql, the real catalog), indexed with
  etl.warehouse.search.index.build_search_index when that module exists; every query
  function of dashboard/queries.py and etl/warehouse/search/query.py (undecorated: SQL,
  not st.cache_data) timed `--runs` times with realistic parameters, grouped
  by the pages that call them; EXPLAIN ANALYZE of the ones over 150 ms;
* first render: `AppTest.from_file('app.py').run()` with EPW_DB at that
  warehouse, each in a fresh process, median of `--render-runs`.

Results are printed as a table and written to benchmarks/results/latest.json.
Peak memory is the peak over samples (every 50 ms) of the summed PSS of the
process tree (forked workers share pages: PSS counts each page once); the summed
RSS and the largest single process's ru_maxrss are kept beside it.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import common
from benchmarks.common import (DEFAULT_CORPUS_DIR, DEFAULT_OUT, RESULT_PREFIX, ROOT, TARGETS, WAREHOUSE_VERSION,
                               MemoryCapExceeded, run_child)
from benchmarks.corpus import corpus_path, make_corpus
from benchmarks.profiling import profile
from benchmarks.first_visits import first_visits, summary_lines
from benchmarks.queries import time_queries, undecorated
from benchmarks.warehouse import generate_warehouse, refresh, refresh_if_older, warehouse_layout, warehouse_params

# ==== child tasks (each runs in a fresh process) ==================================================

def _child_build(a: dict) -> dict:
    import etl.warehouse.build as build_mod
    import etl.warehouse.write as load
    stage: dict[str, float] = {}

    def timed(name, fn):
        return common.timed(stage, name, fn)

    for name in ("copy_unchanged", "finish", "swap_in"):
        setattr(load, name, timed(name, getattr(load, name)))
    build_mod.shards.load = timed("load_shards", build_mod.shards.load)   # workers write shards, DuckDB reads them
    try:
        import etl.warehouse.search.index as si
        si.build_search_index = timed("search_index", si.build_search_index)
    except ImportError:
        pass
    started = time.perf_counter()
    s = build_mod.build(a["raw"], a["db"], workers=a["workers"], progress=False, log=lambda msg: None)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "documents": s.documents, "processed": s.processed, "reused": s.reused,
            "paragraphs": s.paragraphs, "metrics": s.metrics, "errors": len(s.errors), "warnings": len(s.warnings),
            "unchanged": s.unchanged, "workers": a["workers"],
            "stage_seconds": {k: round(v, 3) for k, v in sorted(stage.items())}}


def _child_jieba(a: dict) -> dict:
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    t = time.perf_counter()
    jieba.initialize()
    init = time.perf_counter() - t
    seconds, cpu, tokens, chars = 0.0, 0.0, 0, 0
    for name, enc, _ in json.loads(Path(a["manifest"]).read_text())["files"]:
        text = (Path(a["raw"]) / name).read_bytes().decode(enc)
        chars += len(text)
        t, c = time.perf_counter(), time.process_time()
        tokens += len(jieba.lcut(text))
        seconds += time.perf_counter() - t
        cpu += time.process_time() - c
    return {"seconds": round(seconds, 3), "lcut_cpu_s": round(cpu, 3), "initialize_s": round(init, 3),
            "tokens": tokens, "chars": chars}


def _child_render(a: dict) -> dict:
    os.environ["EPW_DB"] = a["db"]
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=a.get("timeout", 60))
    t = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - t
    exceptions = [str(getattr(e, "message", e))[:300] for e in at.exception]
    headers = [h.value for h in at.header][:1]
    pages = {}
    # then every other page, by its `page=` URL parameter, in the same process: imports are
    # warm and the queries shared with the first page cached, its own queries are cold
    for page in a.get("pages", []):
        try:
            other = AppTest.from_file(str(ROOT / "app.py"), default_timeout=a.get("timeout", 60))
            other.query_params["page"] = page
            t = time.perf_counter()
            other.run()
            pages[page] = {"seconds": round(time.perf_counter() - t, 3), "header": [h.value for h in other.header][:1],
                           "exceptions": [str(getattr(e, "message", e))[:300] for e in other.exception]}
        except Exception as e:  # a page that cannot be reached is reported, not fatal
            pages[page] = {"seconds": None, "exceptions": [f"{type(e).__name__}: {e}"[:300]]}
    return {"seconds": round(seconds, 3), "exceptions": exceptions, "header": headers, "pages": pages}


def app_pages() -> list[str]:
    """The url paths app.py registers (the second string of each PAGES entry), default page first."""
    try:
        tree = ast.parse((common.CODE_ROOT / "app.py").read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets):
            out = []
            for elt in getattr(node.value, "elts", []):
                strings = [e.value for e in getattr(elt, "elts", []) if isinstance(e, ast.Constant)
                           and isinstance(e.value, str)]
                if strings:
                    out.append(strings[0])
            return out
    return []


def _child_warehouse(a: dict) -> dict:
    db = Path(a["db"])
    for stale in db.parent.glob(f".{db.name}.generating-*"):   # left by a generation that died
        pid = stale.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            stale.unlink(missing_ok=True)
    return generate_warehouse(db, a["metrics"], a["paragraphs"], seed=a.get("seed", 1))


def _child_queries(a: dict) -> dict:
    out = time_queries(Path(a["db"]), runs=a["runs"], budget_s=a["budget_s"], seed=a.get("seed", 1),
                       explain_dir=a.get("explain_dir"), exclude=a.get("exclude"))
    return {**out, "first_visits": first_visits(Path(a["db"]), runs=a.get("first_visit_runs", 3))}   # cold, served


def _child_export(a: dict) -> dict:
    """One whole-warehouse export, as the data page's download button runs it."""
    import duckdb
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import dashboard.queries as q
    con = duckdb.connect(a["db"], read_only=True)
    fn = undecorated(getattr(q, a["function"]))
    t = time.perf_counter()
    out = fn(con.cursor(), *a.get("args", []))
    seconds = time.perf_counter() - t
    return {"seconds": round(seconds, 3), "result_mb": round(len(out) / 1e6, 1)}


CHILD_TASKS = {"build": _child_build, "jieba": _child_jieba, "render": _child_render,
               "warehouse": _child_warehouse, "queries": _child_queries, "export": _child_export, "refresh": refresh}


def _child_main(task: str, args_json: str) -> int:
    result = CHILD_TASKS[task](json.loads(args_json))
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result["_maxrss_self_kb"], result["_maxrss_children_kb"] = me.ru_maxrss, kids.ru_maxrss
    result["cpu_s"] = round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2)
    sys.stdout.write(RESULT_PREFIX + json.dumps(result, default=str) + "\n")
    sys.stdout.flush()
    return 0


# ==== one benchmark run ========================================================================

def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip() + (" (dirty)" if subprocess.run(
                                  ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                  capture_output=True, text=True).stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def snapshot_tree(work: Path) -> Path:
    """A copy of the code and data files the run measures, so that edits made to the work tree
    while it runs change neither the figures nor etl.config.fingerprint() between two builds."""
    dest = work / "snapshot"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.duckdb", "*.duckdb.wal", ".*.building-*", ".*.shards")
    for name in ("etl", "dashboard", "data", ".streamlit"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=skip)
    if (ROOT / "app.py").exists():
        shutil.copy2(ROOT / "app.py", dest / "app.py")
    (dest / "benchmarks").mkdir()
    for path in (ROOT / "benchmarks").glob("*.py"):   # the harness itself, not its corpora and results
        shutil.copy2(path, dest / "benchmarks" / path.name)
    return dest


def _etl_fingerprint(root: Path = ROOT) -> str:
    """The ETL fingerprint as a fresh process would compute it now (ETL code, schema and catalog)."""
    from etl.config import code_fingerprint
    return code_fingerprint(root)


def _mark(name: str, value, scope: str, note: str = "") -> dict:
    op, limit, unit, what = TARGETS[name]
    met = None if value is None else (value <= limit if op == "<=" else value >= limit)
    return {"target": name, "scope": scope, "value": value, "unit": unit, "limit": f"{op} {limit:g}",
            "met": met, "what": what, "note": note}


def _one_changed_dir(raw: Path, manifest: dict, dest: Path) -> Path:
    """A folder of hard links to the corpus (no symlinks out of it: not read), one document edited."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    names = [f[0] for f in manifest["files"]]
    changed = names[len(names) // 2]
    for name in names:
        if name == changed:
            enc = next(f[1] for f in manifest["files"] if f[0] == name)
            text = (raw / name).read_bytes().decode(enc) + "\n本年度新增监测点位12个。\n"
            (dest / name).write_bytes(text.encode(enc))
        else:
            try:
                os.link(raw / name, dest / name)
            except OSError:     # another file system: a copy
                shutil.copy2(raw / name, dest / name)
    return dest


def bench_builds(args, log) -> tuple[list[dict], dict]:
    work = Path(args.work)
    cores = os.cpu_count() or 1
    corpora, builds = [], {}
    for k, mb in enumerate(args.mb):
        manifest = make_corpus(Path(args.corpus_dir), mb, args.seed, log=log)
        raw = corpus_path(Path(args.corpus_dir), mb, args.seed)
        corpora.append({"mb": mb, "path": str(raw), "files": len(manifest["files"]), "bytes": manifest["bytes"],
                        "chars": manifest["chars"], "generated_s": manifest["seconds"]})
        key = f"{mb:g}"
        b = builds[key] = {}
        mbytes = manifest["bytes"] / 1e6
        log(f"[{key} MB] jieba baseline ...")
        b["jieba"] = run_child("jieba", {"raw": str(raw), "manifest": str(raw / ".manifest.json")}, log_dir=work)
        b["jieba"]["mb_per_s"] = round(mbytes / b["jieba"]["seconds"], 3)
        db = work / f"build-{key}mb.duckdb"
        for p in [*work.glob(f"build-{key}mb*.duckdb*"), *work.glob(f".build-{key}mb*.shards")]:
            shutil.rmtree(p) if p.is_dir() else p.unlink()   # shards too: every full build reads every document
        log(f"[{key} MB] full build, {cores} workers ...")
        b["full"] = run_child("build", {"raw": str(raw), "db": str(db), "workers": cores}, log_dir=work)
        b["full"]["mb_per_s"] = round(mbytes / b["full"]["seconds"], 3)
        log(f"[{key} MB] incremental rebuild, nothing changed ...")
        b["incremental"] = run_child("build", {"raw": str(raw), "db": str(db), "workers": cores}, log_dir=work)
        if not b["incremental"]["unchanged"]:
            # the ETL code or catalog changed between the two builds (etl.config.fingerprint() hashes
            # etl/*.py): that rebuild was a full one with the new code; the next one is incremental
            log(f"[{key} MB] the rebuild was not incremental (ETL code changed meanwhile?): once more ...")
            first_try = b["incremental"]
            b["incremental"] = run_child("build", {"raw": str(raw), "db": str(db), "workers": cores}, log_dir=work)
            b["incremental"]["retried_after"] = {k: first_try[k] for k in ("seconds", "processed", "reused")}
        db1 = work / f"build-{key}mb-serial.duckdb"
        log(f"[{key} MB] full build, workers=1 ...")
        b["serial"] = run_child("build", {"raw": str(raw), "db": str(db1), "workers": 1}, log_dir=work)
        b["serial"]["mb_per_s"] = round(mbytes / b["serial"]["seconds"], 3)
        db1.unlink(missing_ok=True), shutil.rmtree(work / f".{db1.name}.shards", ignore_errors=True)
        if k == 0:
            log(f"[{key} MB] rebuild with one document changed ...")
            changed = _one_changed_dir(raw, manifest, work / f"corpus-{key}mb-one-changed")
            b["one_changed"] = run_child("build", {"raw": str(changed), "db": str(db), "workers": cores},
                                         log_dir=work)
            shutil.rmtree(changed)
        if not args.keep_builds:
            db.unlink(missing_ok=True), shutil.rmtree(work / f".{db.name}.shards", ignore_errors=True)
        log(f"[{key} MB] jieba {b['jieba']['seconds']:.1f} s, build {b['full']['seconds']:.1f} s "
            f"({b['full']['mb_per_s']:.2f} MB/s, {b['full']['peak_pss_mb']:.0f} MB), incremental "
            f"{b['incremental']['seconds']:.2f} s, serial {b['serial']['seconds']:.1f} s")
    return corpora, builds


def bench_dashboard(args, log) -> tuple[dict, dict, dict]:
    work = Path(args.work)
    db = Path(args.warehouse) if args.warehouse else work / f"warehouse-{args.metrics}m-{args.paragraphs}p.duckdb"
    wanted = {"version": WAREHOUSE_VERSION, "metrics": args.metrics, "paragraphs": args.paragraphs, "seed": args.seed,
              "layout": warehouse_layout()}
    have = refresh_if_older(db, wanted, run_child, log) if args.reuse_warehouse else warehouse_params(db)
    if args.reuse_warehouse and have and all(have.get(k) == v for k, v in wanted.items()):
        log(f"warehouse: reusing {db}")
        warehouse = {"reused": True, "path": str(db), "size_mb": round(db.stat().st_size / 1e6, 1), **have}
    else:
        log(f"warehouse: generating {args.metrics} metrics, {args.paragraphs} paragraphs -> {db} ...")
        warehouse = run_child("warehouse", {"db": str(db), "metrics": args.metrics, "paragraphs": args.paragraphs,
                                            "seed": args.seed}, log_dir=work)
        warehouse.update({"reused": False, "path": str(db)})
        log(f"warehouse: {warehouse['seconds']} s, {warehouse['size_mb']} MB, search index "
            f"{warehouse['search_index_s']} s")
    log(f"queries: {args.runs} runs each ...")
    explain_dir = Path(args.out).parent / "explain"
    if explain_dir.exists():
        shutil.rmtree(explain_dir)
    exclude: dict[str, str] = {}
    while True:
        try:
            queries = run_child("queries", {"db": str(db), "runs": args.runs, "budget_s": args.query_budget,
                                            "seed": args.seed, "explain_dir": str(explain_dir), "exclude": exclude,
                                            "first_visit_runs": 1 if args.quick else 3},
                                log_dir=work, mem_cap_gb=args.mem_cap_gb)
            break
        except RuntimeError as e:
            # the function running when the child died is marked and left out; the rest is measured again
            started = re.findall(r"^start (\S+)$", str(e), re.M)
            if not started or started[-1] in exclude or len(exclude) >= 5:
                log(f"queries: FAILED: {e}")
                queries = {"error": str(e)[-3000:], "functions": {}, "pages": {}}
                break
            why = ("stopped above the memory cap of %g GB" % args.mem_cap_gb if isinstance(e, MemoryCapExceeded)
                   else "its process died: " + str(e).splitlines()[0][:200])
            log(f"queries: {started[-1]} {why}; measuring the others again without it")
            exclude[started[-1]] = why
    if args.exports:
        exports = queries.setdefault("exports", {})
        for function, fargs in (("export_metrics_file", ["parquet"]), ("export_metrics_file", ["csv"]),
                                ("export_metrics_file", ["xlsx"])):   # refused past Excel's row limit
            label = f"{function}({', '.join(fargs)})"
            log(f"export {label} ...")
            try:
                exports[label] = run_child("export", {"db": str(db), "function": function, "args": fargs},
                                           log_dir=work, mem_cap_gb=args.mem_cap_gb)
            except RuntimeError as e:
                exports[label] = {"error": str(e)[:1500]}
    render: dict = {"runs": []}
    if not (ROOT / "app.py").exists():
        render["skipped"] = "app.py does not exist"
    else:
        pages = app_pages()[1:]   # the default page is the first render
        for i in range(args.render_runs):
            log(f"first render {i + 1}/{args.render_runs} ...")
            try:
                r = run_child("render", {"db": str(db), "timeout": 120}, log_dir=work, mem_cap_gb=args.mem_cap_gb)
            except RuntimeError as e:
                render.setdefault("errors", []).append(str(e)[-1500:])
                continue
            render["runs"].append(r)
        secs = [r["seconds"] for r in render["runs"]]
        render["first_render_s"] = round(statistics.median(secs), 3) if secs else None
        render["exceptions"] = sorted({e for r in render["runs"] for e in r["exceptions"]})
        render["pages"] = {}
        for page in pages:   # each other page in its own process, after the default page
            log(f"render of page {page} ...")
            try:
                r = run_child("render", {"db": str(db), "timeout": 120, "pages": [page]}, log_dir=work,
                              mem_cap_gb=args.mem_cap_gb)
                render["pages"][page] = {**r["pages"][page], "peak_pss_mb": r["peak_pss_mb"]}
            except RuntimeError as e:
                render["pages"][page] = {"seconds": None, "exceptions": [str(e)[:600]]}
    return warehouse, queries, render


def targets_of(builds: dict, queries: dict | None, render: dict | None, sizes: list[float]) -> list[dict]:
    out = []
    for key, b in builds.items():
        scope = f"{key} MB"
        single = b.get("serial", b["full"])   # results of an older run may lack the single-process build
        cpu = (f"; CPU time: build {single['cpu_s']} s / jieba {b['jieba']['lcut_cpu_s']} s = "
               f"{single['cpu_s'] / b['jieba']['lcut_cpu_s']:.2f}" if b["jieba"].get("lcut_cpu_s") else "")
        out.append(_mark("build_vs_jieba", round(single["seconds"] / b["jieba"]["seconds"], 3), scope,
                         f"{single['workers']} worker(s){cpu}"))
        if "serial" in b:
            out.append(_mark("parallel_speedup", round(b["serial"]["seconds"] / b["full"]["seconds"], 3), scope,
                             f"{b['full']['workers']} workers vs 1"))
        out.append(_mark("build_peak_memory", b["full"]["peak_pss_mb"], scope,
                         f"RSS sum {b['full']['peak_rss_sum_mb']} MB, largest process {b['full']['max_single_rss_mb']} MB"))
        out.append(_mark("incremental_vs_full", round(b["incremental"]["seconds"] / b["full"]["seconds"], 4), scope,
                         f"{b['incremental']['seconds']} s vs {b['full']['seconds']} s"))
    if len(builds) >= 2:
        keys = sorted(builds, key=float)
        lo, hi = builds[keys[0]]["full"]["peak_pss_mb"], builds[keys[-1]]["full"]["peak_pss_mb"]
        out.append(_mark("build_memory_growth", round(hi / lo, 3) if lo else None, f"{keys[0]} -> {keys[-1]} MB",
                         f"{lo} MB -> {hi} MB"))
    if queries:
        for name, r in sorted(queries["functions"].items()):
            if "p95_ms" in r:
                out.append(_mark("query_p95", r["p95_ms"], name, f"p50 {r['p50_ms']} ms, {r['runs']} runs"))
            elif "error" in r:
                out.append({**_mark("query_p95", None, name, r["error"][:200]), "met": False})
        for page, r in sorted(queries["pages"].items()):
            if r["functions"] or r.get("failed"):
                row = _mark("page_queries_p95", r["p95_ms"], f"page {page}", f"{len(r['functions'])} functions"
                            + (f"; without {', '.join(r['failed'])}, which failed" if r.get("failed") else ""))
                if r.get("failed"):
                    row["met"] = False
                out.append(row)
    if render is not None:
        out.append(_mark("first_render", render.get("first_render_s"), "app.py",
                         render.get("skipped", f"median of {len(render.get('runs', []))}")))
    return out


def print_table(result: dict, log) -> None:
    log("")
    log(f"{'target':<22} {'scope':<34} {'value':>12} {'limit':>10}  status")
    log("-" * 92)
    for t in result["targets"]:
        v = "n/a" if t["value"] is None else f"{t['value']:g} {t['unit']}"
        status = "n/a" if t["met"] is None else ("met" if t["met"] else "MISSED")
        log(f"{t['target']:<22} {t['scope'][:34]:<34} {v:>12} {t['limit'] + ' ' + t['unit']:>10}  {status}"
            + (f"   ({t['note']})" if t["note"] else ""))
    for key, b in result.get("builds", {}).items():
        log("")
        log(f"corpus {key} MB:")
        for kind in ("jieba", "full", "incremental", "one_changed", "serial"):
            if kind in b:
                r = b[kind]
                extra = f"{r.get('mb_per_s', '')} MB/s" if "mb_per_s" in r else ""
                stages = r.get("stage_seconds")
                log(f"  {kind:<12} {r['seconds']:>9.2f} s  {extra:<14} peak PSS {r['peak_pss_mb']:>7.1f} MB  "
                    f"RSS sum {r['peak_rss_sum_mb']:>7.1f} MB  process {r['process_wall_s']:.1f} s"
                    + (f"  stages {stages}" if stages else ""))
    q = result.get("queries")
    if q:
        log("")
        log(f"{'query function':<34} {'first':>9} {'p50':>9} {'p95':>9} {'runs':>5}  pages")
        pages_of = {}
        for page, r in q["pages"].items():
            for f in r["functions"]:
                pages_of.setdefault(f, []).append(page)
        for name, r in sorted(q["functions"].items()):
            if "p95_ms" in r:
                log(f"{name:<34} {r['first_ms']:>8.1f}ms {r['p50_ms']:>7.1f}ms {r['p95_ms']:>7.1f}ms {r['runs']:>5}  "
                    + ",".join(pages_of.get(name, [])))
            else:
                log(f"{name:<34} {r.get('skipped') or r.get('error')}")
        for line in summary_lines(q.get("first_visits")):
            log(line)
        for label, r in q.get("exports", {}).items():
            log(f"{label:<34} " + (f"{r['seconds']:.1f} s, result {r['result_mb']} MB, peak PSS {r['peak_pss_mb']} MB"
                                   if "seconds" in r else f"FAILED {r.get('error', '')[:300]}"))
        if q.get("error"):
            log(f"queries FAILED: {q['error'][:500]}")
    render = result.get("render")
    if render:
        log("")
        if render.get("skipped"):
            log(f"first render: skipped ({render['skipped']})")
        else:
            log(f"first render: {render.get('first_render_s')} s (runs {[r['seconds'] for r in render['runs']]}),"
                f" exceptions {render.get('exceptions')}")
            for page, r in render.get("pages", {}).items():
                log(f"  then {page}: {r['seconds']} s" + (f"  exceptions {r['exceptions']}" if r["exceptions"] else ""))


def parse_args(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: corpora of 1 and 2 MB, a 200k-metric warehouse (about 2 minutes)")
    ap.add_argument("--mb", type=float, nargs="+", default=None,
                    help="corpus sizes in MB of files, 1-200 (default 20; --quick: 1 2); the first also gets the "
                         "workers=1 build and the one-document-changed rebuild")
    ap.add_argument("--metrics", type=int, default=None, help="metrics in the dashboard warehouse (default 10,000,000)")
    ap.add_argument("--paragraphs", type=int, default=None, help="paragraphs in it (default 1,000,000)")
    ap.add_argument("--runs", type=int, default=20, help="timed runs per query function (default 20)")
    ap.add_argument("--query-budget", type=float, default=60.0,
                    help="seconds per query function after its first 3 runs (default 60)")
    ap.add_argument("--render-runs", type=int, default=3, help="first renders to take the median of (default 3)")
    ap.add_argument("--reuse-warehouse", action="store_true", help="reuse the warehouse of an earlier run if it fits")
    ap.add_argument("--warehouse", default=None, help="path of the dashboard warehouse (default under --work)")
    ap.add_argument("--exports", action="store_true", help="also time the whole-warehouse exports once")
    ap.add_argument("--mem-cap-gb", type=float, default=10.0,
                    help="stop a query or export measurement whose processes pass this RSS (default 10 GB)")
    ap.add_argument("--builds-from", default=None,
                    help="take the corpus and build figures from an earlier results JSON instead of measuring them")
    ap.add_argument("--skip-build", action="store_true", help="no corpus and build figures")
    ap.add_argument("--skip-dashboard", action="store_true", help="no warehouse, query and render figures")
    ap.add_argument("--keep-builds", action="store_true", help="keep the warehouses built from the corpora")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--live", action="store_true",
                    help="run the work tree's code, not a snapshot of it taken at the start")
    ap.add_argument("--corpus-dir", default=str(DEFAULT_CORPUS_DIR), help="where corpora are generated (reused)")
    ap.add_argument("--work", default=None, help="scratch folder for warehouses (default CORPUS_DIR/_work)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="JSON results (default benchmarks/results/latest.json)")
    ap.add_argument("--profile", action="store_true",
                    help="profile process_document over --profile-mb MB of the first corpus instead")
    ap.add_argument("--profile-mb", type=float, default=5.0)
    args = ap.parse_args(argv)
    if args.mb is None:
        args.mb = [1.0, 2.0] if args.quick else [20.0]
    if args.metrics is None:
        args.metrics = 200_000 if args.quick else 10_000_000
    if args.paragraphs is None:
        args.paragraphs = max(1, args.metrics // 10)
    if any(not 0 < m <= 200 for m in args.mb):
        ap.error("--mb sizes must be in (0, 200]")
    if args.work is None:
        args.work = str(Path(args.corpus_dir) / "_work")
    # the measured code runs from a snapshot folder: every path it is given is absolute
    for name in ("corpus_dir", "work", "out", "warehouse", "builds_from"):
        if getattr(args, name):
            setattr(args, name, os.path.abspath(getattr(args, name)))
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        return _child_main(argv[1], argv[2])
    args = parse_args(argv)

    def log(msg=""):
        print(msg, flush=True)

    Path(args.work).mkdir(parents=True, exist_ok=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.profile:
        mb = args.mb[0]
        manifest = make_corpus(Path(args.corpus_dir), mb, args.seed, log=log)
        res = profile(corpus_path(Path(args.corpus_dir), mb, args.seed), manifest, min(args.profile_mb, mb),
                      out.parent, log=log)
        for row in res["by_tottime"][:20]:
            log(f"  {row['tottime_s']:>8.2f}s {row['tottime_share']:>6.1%}  cum {row['cumtime_s']:>8.2f}s  "
                f"{row['calls']:>9}  {row['function']}")
        log(f"written: {out.parent / 'profile.json'}, profile.txt, profile.pstats")
        return 0
    started = time.perf_counter()
    result = {"meta": {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "commit": _git_commit(),
                       "python": platform.python_version(), "machine": platform.machine(),
                       "cores": os.cpu_count(), "argv": argv, "quick": args.quick,
                       "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}}
    try:
        import duckdb
        import jieba
        import streamlit
        result["meta"]["versions"] = {"duckdb": duckdb.__version__, "jieba": jieba.__version__,
                                      "streamlit": streamlit.__version__}
    except ImportError:
        pass
    if not args.live:
        common.CODE_ROOT = snapshot_tree(Path(args.work))
    result["meta"]["code_root"] = str(common.CODE_ROOT)
    result["meta"]["etl_fingerprint_start"] = _etl_fingerprint()
    result["meta"]["loadavg_start"] = [round(x, 2) for x in os.getloadavg()]
    builds, queries, render = {}, None, None

    def save():
        result["targets"] = targets_of(builds, queries, render, args.mb)
        result["meta"]["seconds"] = round(time.perf_counter() - started, 1)
        result["meta"]["etl_fingerprint_end"] = _etl_fingerprint()
        result["meta"]["etl_fingerprint_measured"] = _etl_fingerprint(common.CODE_ROOT)
        result["meta"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        result["meta"]["code_changed_during_run"] = (result["meta"]["etl_fingerprint_start"]
                                                     != result["meta"]["etl_fingerprint_end"])
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")

    if args.builds_from:
        earlier = json.loads(Path(args.builds_from).read_text(encoding="utf-8"))
        result["corpus"], builds = earlier["corpus"], earlier["builds"]
        result["builds"] = builds
        result["meta"]["builds_from"] = {"file": args.builds_from, **{k: earlier["meta"].get(k) for k in (
            "started", "commit", "etl_fingerprint_measured", "loadavg_start", "loadavg_end")}}
    elif not args.skip_build:
        result["corpus"], builds = bench_builds(args, log)
        result["builds"] = builds
        save()   # a partial result survives a failure later on
    if not args.skip_dashboard:
        result["warehouse"], queries, render = bench_dashboard(args, log)
        result["queries"], result["render"] = queries, render
    save()
    print_table(result, log)
    log(f"\nwritten: {out} ({result['meta']['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
