"""The build's engines compared on one corpus: local on one core, local on every core, and Dask.

    python -m benchmarks.engines --mb 200          # the figures of issue 14 (about 8 minutes on 2 cores)
    python -m benchmarks.engines --mb 5            # a quick look
    python -m benchmarks.engines --mb 20 --skip-serial --workers 2

Each build runs in a fresh process, from a snapshot of the code (as benchmarks.bench does), into
a new warehouse with an empty shard folder (nothing is reused), and its process tree's peak PSS
is sampled (for Dask: the build, the scheduler, its workers and their forked readers). Printed
and written to benchmarks/results/engines.json:

* the 2-core speed-up of the local engine: workers=1 time / workers=N time (target 1.8 at 200 MB);
  the workers=1 build runs on one core (its CPU affinity, inherited by its worker): its build process
  indexes the loaded rows while the worker reads on, so on every core it would not be one core's
  time (`--serial-on-every-core` lets it);
* Dask vs local with the same N workers (a LocalCluster started and stopped by the build), and the
  per-document overhead: (Dask time - local time) / documents, with the cluster's start-up given
  apart (time to the first task submitted);
* per-document and per-MB cost of one core (CPU seconds), the basis of README's 10 GB estimate;
* the load average before each build: other work on the machine makes every figure worse.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from benchmarks import common
from benchmarks.bench import snapshot_tree
from benchmarks.common import DEFAULT_CORPUS_DIR, RESULT_PREFIX, run_child
from benchmarks.corpus import corpus_path, make_corpus

OUT = common.BENCH_DIR / "results" / "engines.json"


def _child_build(a: dict) -> dict:
    """One build (in a fresh process): seconds, counts, and for Dask the time to its first task."""
    import etl.warehouse.build as build_mod
    import etl.warehouse.cluster as cluster
    marks: dict[str, float] = {}

    def timed(name, fn):
        return common.timed(marks, name, fn, cpu=name[:-2] + "_cpu_s")
    cluster.DaskRunner.__init__ = timed("dask_start_s", cluster.DaskRunner.__init__)
    build_mod.shards.load = timed("load_shards_s", build_mod.shards.load)
    build_mod.write.summarise = timed("summarise_s", build_mod.write.summarise)
    build_mod.write.build_search_index = timed("search_index_s", build_mod.write.build_search_index)
    build_mod.write.finish = timed("finish_s", build_mod.write.finish)
    build_mod.tantivy_index.build_beside = timed("tantivy_s", build_mod.tantivy_index.build_beside)
    feed = build_mod.tantivy_feed.Feed      # the index fed as shards load, and its last commit
    feed.add_loaded = timed("tantivy_feed_s", feed.add_loaded)
    feed.close = timed("tantivy_commit_s", feed.close)
    for runner in (build_mod.Runner, cluster.DaskRunner):
        # the serial tail: what the build does once its last batch is loaded (the runner closed)
        def closing(self, *args, _close=runner.close, **kwargs):
            marks.setdefault("_done_at", time.perf_counter())
            marks.setdefault("_done_cpu", time.process_time())
            return _close(self, *args, **kwargs)
        runner.close = closing
    import resource
    if a.get("cores"):      # the build and the workers it forks on that many of the machine's cores
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:a["cores"]])
    started, cpu = time.perf_counter(), time.process_time()
    s = build_mod.build(a["raw"], a["db"], workers=a["workers"], progress=False, log=lambda msg: None,
                        engine=a["engine"], shards_dir=a["shards"])
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    marks["build_process_cpu_s"] = time.process_time() - cpu
    if "_done_at" in marks:
        marks["after_workers_s"] = time.perf_counter() - marks.pop("_done_at")
        marks["after_workers_cpu_s"] = time.process_time() - marks.pop("_done_cpu")
    marks["workers_cpu_s"] = kids.ru_utime + kids.ru_stime
    return {"seconds": round(time.perf_counter() - started, 3), "documents": s.documents, "processed": s.processed,
            "reused": s.reused, "paragraphs": s.paragraphs, "metrics": s.metrics, "errors": len(s.errors),
            "engine": a["engine"], "workers": a["workers"], "cores": len(os.sched_getaffinity(0)), **{k: round(v, 3) for k, v in marks.items()}}


def _child_main(task: str, args_json: str) -> int:
    import resource
    result = {"build": _child_build}[task](json.loads(args_json))
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result["_maxrss_self_kb"], result["_maxrss_children_kb"] = me.ru_maxrss, kids.ru_maxrss
    result["cpu_s"] = round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2)
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


def _remove_build(work: Path, name: str) -> None:
    """A build's warehouse and what lies beside it (write-ahead log, search index folder)."""
    for p in work.glob(f"{name}.duckdb*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()


def one_build(raw: Path, work: Path, name: str, engine: str, workers: int, log, cores: int | None = None) -> dict:
    db, shards = work / f"{name}.duckdb", work / f"{name}.shards"
    _remove_build(work, name)
    shutil.rmtree(shards, ignore_errors=True)
    on = f" on {cores} core(s)" if cores else ""
    log(f"  {name}: engine {engine}, {workers} worker(s){on} (load average {os.getloadavg()[0]:.2f}) ...")
    r = run_child("build", {"raw": str(raw), "db": str(db), "workers": workers, "engine": engine,
                            "shards": str(shards), "cores": cores}, log_dir=work, module="benchmarks.engines")
    shard_bytes = sum(p.stat().st_size for p in shards.rglob("*") if p.is_file())
    r["shards_mb"] = round(shard_bytes / 1e6, 1)
    r["warehouse_mb"] = round(db.stat().st_size / 1e6, 1)
    log(f"    {r['seconds']:.1f} s, {r['documents']} documents, peak {r['peak_pss_mb']:.0f} MB PSS, "
        f"CPU {r['cpu_s']:.1f} s, shards {r['shards_mb']} MB")
    log("    CPU s: workers {workers_cpu_s}, build process {build_process_cpu_s} (loading shards {load_shards_cpu_s}, "
        "summaries {summarise_cpu_s}, search index {search_index_cpu_s}, finish {finish_cpu_s}, "
        "tantivy index fed while loading {tantivy_feed_cpu_s}, its last commit {tantivy_commit_cpu_s}, "
        "indexed after finishing {tantivy_cpu_s}; after the last load {after_workers_cpu_s} s of CPU, "
        "{after_workers_s} s)".format_map(
            {k: r.get(k) for k in ("workers_cpu_s", "build_process_cpu_s", "load_shards_cpu_s", "summarise_cpu_s",
                                   "search_index_cpu_s", "finish_cpu_s", "tantivy_feed_cpu_s",
                                   "tantivy_commit_cpu_s", "tantivy_cpu_s", "after_workers_cpu_s",
                                   "after_workers_s")}))
    _remove_build(work, name)
    shutil.rmtree(shards, ignore_errors=True)
    return r


def compare(raw: Path, work: Path, workers: int, serial: bool, dask: bool, log, serial_cores: int | None = 1) -> dict:
    runs = {}
    if serial:
        runs["local_1"] = one_build(raw, work, "local-1", "local", 1, log, cores=serial_cores)
    runs[f"local_{workers}"] = one_build(raw, work, f"local-{workers}", "local", workers, log)
    if dask:
        runs[f"dask_{workers}"] = one_build(raw, work, f"dask-{workers}", "dask", workers, log)
    return runs


def figures(runs: dict, workers: int, manifest: dict) -> dict:
    local = runs[f"local_{workers}"]
    docs, mb = local["documents"], manifest["bytes"] / 1e6
    out = {"documents": docs, "mb": round(mb, 1)}
    if "local_1" in runs:
        one = runs["local_1"]
        out["local_speedup"] = round(one["seconds"] / local["seconds"], 2)
        out["one_core_ms_per_document"] = round(1000 * one["seconds"] / docs, 1)
        out["one_core_s_per_mb"] = round(one["seconds"] / mb, 3)
        out["one_core_cpu_s_per_mb"] = round(one["cpu_s"] / mb, 3)
    if f"dask_{workers}" in runs:
        d = runs[f"dask_{workers}"]
        out["dask_vs_local"] = round(d["seconds"] / local["seconds"], 2)
        out["dask_start_s"] = d.get("dask_start_s")
        out["dask_overhead_ms_per_document"] = round(1000 * (d["seconds"] - local["seconds"]) / docs, 2)
        out["dask_overhead_ms_per_document_after_start"] = round(
            1000 * (d["seconds"] - (d.get("dask_start_s") or 0) - local["seconds"]) / docs, 2)
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        return _child_main(argv[1], argv[2])
    ap = argparse.ArgumentParser(prog="python -m benchmarks.engines", description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=200.0, help="corpus size in MB of files (default 200)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="workers of the parallel builds "
                                                                             "(default: one per core)")
    ap.add_argument("--skip-serial", action="store_true", help="no workers=1 build (no speed-up figure)")
    ap.add_argument("--skip-dask", action="store_true", help="no Dask build")
    ap.add_argument("--serial-on-every-core", action="store_true",
                    help="the one-worker build may use every core (its build process indexes beside the worker), "
                         "not one core as the speed-up's 'one core' means")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--live", action="store_true", help="run the work tree's code, not a snapshot of it")
    ap.add_argument("--corpus-dir", default=str(DEFAULT_CORPUS_DIR))
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    corpus_dir = Path(args.corpus_dir).resolve()
    work = corpus_dir / "_work"
    work.mkdir(parents=True, exist_ok=True)
    log = lambda msg="": print(msg, flush=True)  # noqa: E731
    manifest = make_corpus(corpus_dir, args.mb, args.seed, log=log)
    raw = corpus_path(corpus_dir, args.mb, args.seed)
    if not args.live:
        common.CODE_ROOT = snapshot_tree(work)
    load_start = [round(x, 2) for x in os.getloadavg()]
    log(f"{args.mb:g} MB corpus, {len(manifest['files'])} files; load average {load_start}")
    runs = compare(raw, work, args.workers, not args.skip_serial, not args.skip_dask, log,
                   serial_cores=None if args.serial_on_every_core else 1)
    result = {"meta": {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cores": os.cpu_count(),
                       "workers": args.workers, "mb": args.mb, "loadavg_start": load_start,
                       "loadavg_end": [round(x, 2) for x in os.getloadavg()]},
              "runs": runs, "figures": figures(runs, args.workers, manifest)}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    f = result["figures"]
    log("")
    for key, value in f.items():
        log(f"  {key:<45} {value}")
    if "local_speedup" in f:
        log(f"  2-core speed-up of the local engine: {f['local_speedup']}x (target 1.8x at 200 MB, idle machine)")
    log(f"  load average at the start {load_start}, at the end {result['meta']['loadavg_end']}")
    log(f"written: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
