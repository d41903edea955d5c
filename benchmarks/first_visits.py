"""A page's first visit, the way a visitor of a just-started server meets it.

    first_visits(db_path, runs=3) -> {"cold": {page: ...}, "served": {page: ...}, ...}
    python -m benchmarks.first_visits DB [RUNS [MODES]]  prints the same as JSON (MODES: cold,served)

time_queries measures a page's queries again and again in one process (p95 of the sums, after
one warm-up call of each function): blocks read once are cached. Here each page is visited
once, in a fresh process whose warehouse file and search index the OS has just dropped from its
cache (posix_fadvise DONTNEED: no root needed), with the page's functions called once each
(parameters drawn as time_queries draws them, another draw each run):

- cold: no warm-up (a server without it, or a visitor faster than it);
- served: after etl.warehouse.warm_up has run to its end, as the dashboard starts it when it
  opens the warehouse (dashboard/db.py), with EPW_WARM_MB as set (the default unless given).

Per page and mode: the summed wall and CPU time of each run (CPU of the visiting process,
DuckDB's and the warm-up's threads included, the warm-up's own time apart), p50 and max over
the runs, the MB read from the disk (/proc/self/io read_bytes), and each function's times.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import ROOT


def _read_bytes() -> int:
    try:
        with open("/proc/self/io") as f:
            return int(dict(line.split(": ") for line in f.read().splitlines())["read_bytes"])
    except OSError:
        return 0


def drop_cached(db_path: Path) -> None:
    """Ask the OS to drop the warehouse file and its search index folder from its cache."""
    folder = Path(str(db_path) + ".search")
    for f in [db_path, *(p for p in folder.rglob("*") if p.is_file())] if folder.is_dir() else [db_path]:
        fd = os.open(f, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def visit(db_path: Path, page: str, mode: str, seed: int) -> dict:
    """One page's first visit in this (fresh) process: see the module's docstring."""
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import duckdb

    from benchmarks import queries as bq
    functions = bq.query_functions()
    names = [n for n in bq.pages_of_queries(set(functions))[page] if not n.split(".", 1)[1].startswith("export_")]
    with duckdb.connect(str(db_path), read_only=True) as con:   # the parameters, before the cache is dropped
        pools = bq.param_pools(con, random.Random(1))
    drop_cached(db_path)
    con = duckdb.connect(":memory:")                  # as dashboard/db.py opens it
    con.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(db_path)])
    cur = con.cursor()
    cur.execute("USE warehouse")
    out: dict = {"page": page, "mode": mode, "seed": seed, "loadavg_1m": round(os.getloadavg()[0], 2)}
    import etl.warehouse as wh
    if mode == "served" and not hasattr(wh, "warm_up"):
        out["warm_up"] = {"error": "this tree has no warm-up"}
    elif mode == "served":
        own = con.cursor()
        own.execute("USE warehouse")
        t, c, r = time.perf_counter(), time.process_time(), _read_bytes()
        warmed = wh.warm_up(own, db_path, background=False)
        out["warm_up"] = {"seconds": round(time.perf_counter() - t, 2), "cpu_s": round(time.process_time() - c, 2),
                          "advised_mb": round(warmed.advised_bytes / 2**20), "read_mb": round((_read_bytes() - r) / 1e6),
                          "parts": warmed.parts, "error": warmed.error}
    rng = random.Random(seed)
    wall = cpu = disk = 0.0
    per = {}
    for name in names:
        fn = functions[name][1]
        kwargs, _ = bq.arguments(fn, cur, pools, rng)
        if kwargs is None:
            continue
        t, c, r = time.perf_counter(), time.process_time(), _read_bytes()
        fn(**kwargs)
        one = {"wall_ms": round((time.perf_counter() - t) * 1000, 1), "cpu_ms": round((time.process_time() - c) * 1000, 1),
               "disk_mb": round((_read_bytes() - r) / 1e6, 1)}
        per[name] = one
        wall, cpu, disk = wall + one["wall_ms"], cpu + one["cpu_ms"], disk + one["disk_mb"]
    out.update(wall_ms=round(wall, 1), cpu_ms=round(cpu, 1), disk_mb=round(disk, 1), functions=per)
    return out


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def first_visits(db_path: Path, runs: int = 3, modes: tuple[str, ...] = ("cold", "served"),
                 pages: list[str] | None = None, log=None) -> dict:
    """Every page's first visit, `runs` times per mode, each in a fresh process (modes alternate)."""
    from benchmarks import queries as bq
    pages = pages or sorted(bq.pages_of_queries(set(bq.query_functions())))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    visits: dict[str, dict[str, list[dict]]] = {m: {p: [] for p in pages} for m in modes}
    for run in range(runs):
        for page in pages:
            for mode in modes:
                proc = subprocess.run([sys.executable, "-m", "benchmarks.first_visits", "_visit", str(db_path), page,
                                       mode, str(run + 1)], cwd=ROOT, env=env, capture_output=True, text=True)
                if proc.returncode != 0:
                    visits[mode][page].append({"error": proc.stderr[-800:]})
                    continue
                one = json.loads(proc.stdout.strip().splitlines()[-1])
                visits[mode][page].append(one)
                if log:
                    log(f"first visit {page} {mode} run {run + 1}: {one['wall_ms']} ms wall, {one['cpu_ms']} ms CPU, "
                        f"{one['disk_mb']} MB read (load {one['loadavg_1m']})")
    out: dict = {"runs": runs, "modes": {}}
    for mode, by_page in visits.items():
        out["modes"][mode] = {}
        for page, vs in by_page.items():
            ok = [v for v in vs if "error" not in v]
            if not ok:
                out["modes"][mode][page] = {"errors": [v.get("error") for v in vs]}
                continue
            out["modes"][mode][page] = {
                "wall_p50_ms": round(_median([v["wall_ms"] for v in ok]), 1),
                "wall_max_ms": max(v["wall_ms"] for v in ok),
                "cpu_p50_ms": round(_median([v["cpu_ms"] for v in ok]), 1),
                "cpu_max_ms": max(v["cpu_ms"] for v in ok),
                "disk_mb_max": max(v["disk_mb"] for v in ok),
                "visits": ok, "errors": [v["error"] for v in vs if "error" in v]}
    return out


def summary_lines(result: dict | None) -> list[str]:
    """The first visits as bench.py prints them: per page and mode, wall and CPU (p50 / max)."""
    if not result:
        return []
    lines = [f"first visits ({result['runs']} a page and mode, fresh process, OS cache dropped): "
             "wall p50/max, CPU p50/max ms, MB read"]
    for mode, by_page in result["modes"].items():
        for page, r in sorted(by_page.items()):
            lines.append(f"  {mode:<7} {page:<12} " + (f"{r['wall_p50_ms']:>7.0f} /{r['wall_max_ms']:>6.0f}  "
                         f"{r['cpu_p50_ms']:>6.0f} /{r['cpu_max_ms']:>5.0f}  {r['disk_mb_max']:>6.1f}"
                         if "wall_p50_ms" in r else f"failed: {str(r['errors'])[:120]}"))
    return lines


def main(argv: list[str]) -> int:
    if argv and argv[0] == "_visit":
        db, page, mode, seed = argv[1:5]
        print(json.dumps(visit(Path(db), page, mode, int(seed)), default=str))
        return 0
    result = first_visits(Path(argv[0]), runs=int(argv[1]) if len(argv) > 1 else 3,
                          modes=tuple(argv[2].split(",")) if len(argv) > 2 else ("cold", "served"),
                          log=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
