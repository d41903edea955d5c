"""Benchmark for the paragraph search index (etl/warehouse/search/index.py, etl/warehouse/search/query.py).

    python benchmarks/bench_search.py [--sizes 100000 1000000] [--cache /tmp/search_bench]
    python benchmarks/bench_search.py --warehouse PATH      # queries only, on a built warehouse
                                                            # (e.g. the one benchmarks.bench generates)

Synthetic warehouse: schema.sql with N paragraphs of ~200 characters. 92 % of
each paragraph is word salad drawn from jieba's dictionary by word frequency
(so characters and bigrams follow real Chinese frequencies), 8 % are real
sentences from data/raw/*.txt (so report terms such as 优良天数比例, PM2.5,
黑臭水体 occur, and are common: each real sentence recurs in thousands of
paragraphs). 200 paragraphs per document, metrics on 10 % of paragraphs.

Measures build_search_index seconds (wall and CPU of this process, DuckDB's
threads included), peak RSS and the search_* table sizes, then query latency
(p50/p95 over repeated runs, after one warm-up) on the largest size, with the tantivy index
beside the file (built first when missing) and with the DuckDB tables. The CPU
column is worth reading on a shared machine: wall time there includes waiting
for other processes.
"""
from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import statistics
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import duckdb  # noqa: E402

from etl.warehouse import build_search_index  # noqa: E402
from etl.warehouse import prepare_query  # noqa: E402
from etl.warehouse import search_paragraphs as search  # noqa: E402

QUERIES = [
    "PM2.5",
    "细颗粒物",
    "優良天數比例",          # traditional input
    "黑臭水体",
    "生态环境保护",
    "空气质量 优良天数",
    "北京市2023年PM2.5平均浓度",
    "碳排放权交易",
    "水",                    # single character, very common
    "中国 发展",             # two very common words
    "核设施退役治理",
]


def make_texts(n: int, seed: int = 0) -> list[str]:
    import jieba

    rng = np.random.default_rng(seed)
    words, freqs = [], []
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            w, fr, *_ = line.split(" ")
            words.append(w)
            freqs.append(int(fr))
    words = np.array(words, dtype=object)
    p = np.array(freqs, float)
    p /= p.sum()
    sents: list[str] = []
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "raw", "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read().replace("\n", "")
        sents += [s for s in re.split(r"(?<=[。；！？])", text) if 8 <= len(s) <= 120]
    sents_a = np.array(sents, dtype=object)
    punct = np.array(["，", "，", "、", "。", "；"], dtype=object)
    pool = rng.choice(len(words), size=4_000_000, p=p)
    out = []
    k = 0
    target = rng.integers(120, 280, size=n)
    for i in range(n):
        parts = []
        length = 0
        while length < target[i]:
            if rng.random() < 0.075:
                s = sents_a[rng.integers(len(sents_a))]
            else:
                m = int(rng.integers(4, 12))
                if k + m > len(pool):
                    k = int(rng.integers(1000))
                s = "".join(words[pool[k:k + m]]) + punct[rng.integers(5)]
                k += m
            parts.append(s)
            length += len(s)
        out.append("".join(parts))
    return out


def make_warehouse(path: str, n: int) -> None:
    import pyarrow as pa

    texts = make_texts(n)
    per_doc = 200
    n_docs = (n + per_doc - 1) // per_doc
    rng = np.random.default_rng(1)
    doc_ids = [f"{i:016x}" for i in range(n_docs)]
    con = duckdb.connect(path)
    with open(os.path.join(ROOT, "etl", "warehouse", "schema.sql"), encoding="utf-8") as f:
        con.execute(f.read())
    docs = pa.table({
        "doc_id": doc_ids,
        "file": [f"synthetic/{d}.txt" for d in doc_ids],
        "title": [f"合成文档 {i}" for i in range(n_docs)],
        "report_year": rng.integers(2015, 2025, size=n_docs).tolist(),
        "region": ["全国"] * n_docs,
    })
    con.register("docs_arrow", docs)
    con.execute("""INSERT INTO documents (doc_id, file, title, report_year, region, sha256)
                   SELECT doc_id, file, title, report_year, region, doc_id FROM docs_arrow""")
    pdoc = [doc_ids[i // per_doc] for i in range(n)]
    seq = [i % per_doc for i in range(n)]
    paras = pa.table({
        "paragraph_id": [f"{d}-{s}" for d, s in zip(pdoc, seq)],
        "doc_id": pdoc,
        "seq": seq,
        "text": texts,
    })
    con.register("paras_arrow", paras)
    con.execute("""INSERT INTO paragraphs (paragraph_id, doc_id, seq, raw_start, raw_end, text, text_simplified)
                   SELECT paragraph_id, doc_id, seq, 0, length(text), text, text FROM paras_arrow""")
    regions = ["北京市", "上海市", "河北省", "广东省", "全国"]
    con.execute("""INSERT INTO metrics (metric_id, doc_id, paragraph_id, indicator, region, year, months,
                                        kind, value, qualifier, value_text, para_start, para_end,
                                        raw_start, raw_end, evidence_start, evidence_end, confidence,
                                        year_source, period_source, region_source)
                   SELECT paragraph_id || '-0', doc_id, paragraph_id, 'PM2.5浓度',
                          (?::VARCHAR[])[1 + (hash(paragraph_id) % 5)::INT], 2015 + (hash(doc_id) % 10)::INT,
                          '1-12', 'actual', 30, '', '30', 0, 2, 0, 2, 0, 10, 0.9, 'clause', 'default', 'clause'
                   FROM paragraphs WHERE hash(paragraph_id) % 10 = 0""", [regions])
    con.close()


def table_sizes(con) -> dict:
    """{table: (rows, MiB on disk)} of the search_* tables."""
    out = {}
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'search_%' "
                               "ORDER BY 1").fetchall():
        rows = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        blocks = con.execute("SELECT count(DISTINCT block_id) FROM pragma_storage_info(?) WHERE persistent",
                             [name]).fetchone()[0]
        out[name] = (rows, round(blocks * 256 / 1024, 1))   # 256 KiB blocks
    return out


def time_queries(path: str, runs: int) -> None:
    from etl.warehouse.search import tantivy_index
    con = duckdb.connect(path, read_only=True)
    if tantivy_index.index_for(con) is None:
        t = time.perf_counter()
        tantivy_index.build_beside(path, path, threads=2)
        print(f"tantivy index built beside {path} in {time.perf_counter() - t:.1f}s")
    for engine in ("tantivy", "duckdb"):
        _time_engine(con, path, runs, engine)
    con.close()


def _time_engine(con, path: str, runs: int, engine: str) -> None:
    prepare_query("预热")  # jieba + OpenCC start-up, once per process
    n = con.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    print(f"\n{engine}: queries on {n} paragraphs ({path}), {runs} runs each after a warm-up; ms:")
    all_times = []
    for q in QUERIES:
        search(con, q, engine=engine)  # warm-up
        times, cpus = [], []
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            df = search(con, q, engine=engine)
            times.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - c) * 1000)
        all_times += times
        total = int(df.attrs.get("total", 0))
        print(f"  {q!r:34} hits={total:>8} p50={statistics.median(times):7.1f} p95={p95(times):7.1f}"
              f"  cpu p50={statistics.median(cpus):7.1f}")
    print(f"  all queries: p50={statistics.median(all_times):.1f} p95={p95(all_times):.1f}")
    for kw in ({"years": [2020]}, {"regions": ["北京市"]}, {"doc_ids": [
            con.execute("SELECT min(doc_id) FROM documents").fetchone()[0]]}):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            search(con, "生态环境", engine=engine, **kw)
            times.append((time.perf_counter() - t) * 1000)
        print(f"  '生态环境' {kw}: p50={statistics.median(times):.1f} p95={p95(times):.1f}")


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    k = 0.95 * (len(xs) - 1)
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--cache", default="/tmp/search_bench")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warehouse", help="only time the queries on this (indexed) warehouse")
    args = ap.parse_args()
    if args.warehouse:
        time_queries(args.warehouse, args.runs)
        return
    os.makedirs(args.cache, exist_ok=True)
    last = None
    for n in args.sizes:
        base = os.path.join(args.cache, f"base_{n}.duckdb")
        if not os.path.exists(base):
            t = time.perf_counter()
            make_warehouse(base + ".tmp", n)
            os.replace(base + ".tmp", base)
            print(f"generated {n} paragraphs in {time.perf_counter() - t:.1f}s")
        work = os.path.join(args.cache, f"work_{n}.duckdb")
        shutil.copyfile(base, work)
        size0 = os.path.getsize(work)
        con = duckdb.connect(work)
        con.execute("SET enable_progress_bar = false")
        chars = con.execute("SELECT sum(length(text_simplified)) FROM paragraphs").fetchone()[0]
        t, c = time.perf_counter(), time.process_time()
        build_search_index(con)
        secs, cpu = time.perf_counter() - t, time.process_time() - c
        con.execute("CHECKPOINT")
        sizes = table_sizes(con)
        con.close()
        grew = (os.path.getsize(work) - size0) / 2**20
        import resource
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"n={n} ({chars / 1e6:.0f}M chars): build_search_index {secs:.1f}s wall, {cpu:.1f}s CPU; "
              f"file +{grew:.0f} MiB; peak RSS so far {rss:.0f} MiB; (rows, MiB) {sizes}")
        last = work
    if last is not None:
        time_queries(last, args.runs)


if __name__ == "__main__":
    main()
