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
import math
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "benchmarks"
DEFAULT_CORPUS_DIR = BENCH_DIR / "corpus"
DEFAULT_OUT = BENCH_DIR / "results" / "latest.json"
SAMPLE_DIR = ROOT / "data" / "raw"
GENERATOR_VERSION = 1
WAREHOUSE_VERSION = 1
RESULT_PREFIX = "BENCH-RESULT "
CODE_ROOT = ROOT   # where the measured code is run from: a snapshot of the tree (see snapshot_tree)

TARGETS = {
    "build_vs_jieba": ("<=", 0.7, "x", "single-process build time / jieba.lcut time, same text"),
    "parallel_speedup": (">=", 1.7, "x", "workers=1 time / all-cores time (2 cores)"),
    "build_peak_memory": ("<=", 600.0, "MB", "peak PSS of the build's process tree (target for 200 MB of text)"),
    "build_memory_growth": ("<=", 1.25, "x", "peak memory at the largest size / at the smallest (flat)"),
    "incremental_vs_full": ("<=", 0.05, "x", "rebuild with nothing changed / full build"),
    "query_p95": ("<=", 150.0, "ms", "p95 of one query function"),
    "page_queries_p95": ("<=", 150.0, "ms", "p95 of all query functions a page calls, run in sequence"),
    "first_render": ("<=", 3.0, "s", "AppTest first render of app.py, median"),
}

SEARCH_QUERIES = ["PM2.5", "细颗粒物", "優良天數比例", "黑臭水体", "生态环境保护", "空气质量 优良天数",
                  "北京市2023年PM2.5平均浓度", "碳排放权交易", "水", "中国 发展", "核设施退役治理"]


# ==== synthetic corpus ==========================================================================

YEAR_IN_TEXT = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?=\s*年)")
HEADING_PREFIX = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[章节部分篇])\s*")
CHINESE_ORDINALS = "一二三四五六七八九十"
TITLES = ["{r}{y}年生态环境状况公报", "{r}{y}年环境质量状况", "{r}生态环境局{y}年工作总结",
          "关于{r}{y}年度生态环境保护工作情况的报告", "{r}{y}年大气污染防治工作进展"]


def _ordinal(n: int) -> str:
    if n <= 10:
        return CHINESE_ORDINALS[n - 1]
    return ("" if n < 20 else CHINESE_ORDINALS[n // 10 - 1]) + "十" + (CHINESE_ORDINALS[n % 10 - 1] if n % 10 else "")


def _template(sentence: str, ref_year: int) -> list:
    """A sentence as literal pieces and slots: ('R',) region, ('Y', delta) year, ('N', text, pct) number."""
    from etl.text.numbers import ARABIC
    from etl.catalog.gazetteer import find_regions
    spans = []
    for r in find_regions(sentence):
        if r.level in ("province", "prefecture"):
            spans.append((r.start, r.end, ("R",)))
    for m in YEAR_IN_TEXT.finditer(sentence):
        spans.append((m.start(1), m.end(1), ("Y", int(m.group(1)) - ref_year)))
    for m in re.finditer(ARABIC, sentence):
        if re.search(r"[A-Za-z]\s*$", sentence[max(0, m.start() - 4):m.start()]):
            continue  # PM 2.5, SO 2: part of a name
        spans.append((m.start(), m.end(), ("N", m.group(0), sentence[m.end():m.end() + 1] in "%％")))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    parts, pos = [], 0
    for start, end, slot in spans:
        if start < pos:
            continue  # overlaps a slot already taken (a year is also a number)
        if start > pos:
            parts.append(sentence[pos:start])
        parts.append(slot)
        pos = end
    if pos < len(sentence):
        parts.append(sentence[pos:])
    return parts


def _pools() -> dict:
    """Sentence and heading templates from data/raw, region names from the gazetteer."""
    from collections import Counter

    from etl import catalog
    from etl.ingest import read_document
    heads, sents = [], []
    for path in sorted(SAMPLE_DIR.iterdir()):
        if path.name.startswith("."):
            continue
        text = read_document(str(path)).text
        years = Counter(int(y) for y in YEAR_IN_TEXT.findall(text))
        ref = years.most_common(1)[0][0] if years else 2023
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            if len(line) <= 60 and HEADING_PREFIX.match(line):
                body = HEADING_PREFIX.sub("", line)
                if len(body) >= 4:
                    heads.append(_template(body, ref))
                continue
            for s in re.split(r"(?<=[。！？；])", line):
                if 6 <= len(s) <= 400:
                    sents.append(_template(s, ref))
    regions = [(r.name, [s for s in r.short_names if s != r.name]) for r in catalog.regions()
               if r.level in ("province", "prefecture")]
    return {"heads": heads, "sents": sents, "regions": regions}


def _fill(parts: list, rng: random.Random, region: str, year: int, regions: list) -> str:
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif p[0] == "R":
            if rng.random() < 0.5:
                out.append(region)
            else:
                name, shorts = regions[rng.randrange(len(regions))]
                out.append(rng.choice(shorts) if shorts and rng.random() < 0.3 else name)
        elif p[0] == "Y":
            out.append(str(min(2030, max(1995, year + p[1]))))
        else:
            text, pct = p[1], p[2]
            try:
                v = float(text.replace(",", ""))
            except ValueError:
                out.append(text)
                continue
            decimals = len(text.split(".", 1)[1]) if "." in text else 0
            v *= rng.uniform(0.6, 1.4)
            if pct:
                v = min(v, 99.9 if decimals else 99)
            if decimals == 0:
                v = max(1, round(v))
                out.append(f"{v:,}" if "," in text else str(v))
            else:
                out.append(f"{v:,.{decimals}f}" if "," in text else f"{v:.{decimals}f}")
    return "".join(out)


def make_document(i: int, seed: int, pools: dict) -> tuple[str, str]:
    """Document i of the corpus (the same whatever the corpus size): (text, encoding)."""
    rng = random.Random(f"{seed}:{i}")
    target = int(math.exp(rng.uniform(math.log(5_000), math.log(80_000))))   # bytes, log-uniform
    encoding = "gb18030" if rng.random() < 0.10 else "utf-8"
    one_line = rng.random() < 0.10
    name, shorts = pools["regions"][rng.randrange(len(pools["regions"]))]
    year = 2000 + min(25, int(26 * math.sqrt(rng.random())))
    title = rng.choice(TITLES).format(r=name, y=year)
    head = [title, f"发布时间：{year + 1}-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}",
            f"信息来源：{name}生态环境局"]
    body: list[str] = []
    size = sum(len(s.encode(encoding)) + 1 for s in head)
    top = sub = 0
    while size < target:
        r = rng.random()
        if r < 0.06 or not body:
            top, sub = top + 1, 0
            line = _ordinal(top) + "、" + _fill(rng.choice(pools["heads"]), rng, name, year, pools["regions"])
        elif r < 0.14:
            sub += 1
            line = f"（{_ordinal(sub)}）" + _fill(rng.choice(pools["heads"]), rng, name, year, pools["regions"])
        else:
            n = rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 8))
            line = "".join(_fill(rng.choice(pools["sents"]), rng, name, year, pools["regions"]) for _ in range(n))
            if rng.random() < 0.3:
                line = f"{year}年，{rng.choice(shorts) if shorts else name}" + line
        body.append(line)
        size += len(line.encode(encoding)) + 1
    text = "\n".join(head) + "\n" + ("".join(body) if one_line else "\n".join(body)) + "\n"
    return text, encoding


def corpus_path(corpus_dir: Path, mb: float, seed: int) -> Path:
    return corpus_dir / f"{mb:g}mb-s{seed}"


def make_corpus(corpus_dir: Path, mb: float, seed: int = 1, log=print) -> dict:
    """Write (or reuse) the corpus of `mb` MB (10^6 bytes of files); returns its manifest."""
    folder = corpus_path(corpus_dir, mb, seed)
    manifest_path = folder / ".manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("version") == GENERATOR_VERSION and manifest.get("mb") == mb and manifest.get("seed") == seed:
            return manifest
    started = time.perf_counter()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    pools = _pools()
    files, total, chars, i = [], 0, 0, 0
    while total < mb * 1e6:
        text, enc = make_document(i, seed, pools)
        data = text.encode(enc)
        name = f"doc_{i:06d}.txt"
        (folder / name).write_bytes(data)
        files.append([name, enc, len(data)])
        total += len(data)
        chars += len(text)
        i += 1
    manifest = {"version": GENERATOR_VERSION, "mb": mb, "seed": seed, "files": files, "bytes": total,
                "chars": chars, "seconds": round(time.perf_counter() - started, 2)}
    manifest_path.write_text(json.dumps(manifest))
    log(f"corpus {folder}: {len(files)} files, {total / 1e6:.1f} MB, {chars / 1e6:.1f} M chars "
        f"({manifest['seconds']} s)")
    return manifest


# ==== measuring a subprocess ======================================================================

def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Peak summed RSS and PSS of a process and all its descendants, sampled."""

    def __init__(self, pid: int, interval: float = 0.05, cap_bytes: float | None = None):
        super().__init__(daemon=True)
        self.pid, self.interval, self.cap_bytes = pid, interval, cap_bytes
        self.capped = False
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self._halt = threading.Event()

    def run(self):
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            rss = pss = 0
            for p in procs:
                try:
                    rss += p.memory_info().rss
                except psutil.Error:
                    continue
                pss += _pss_kb(p.pid) * 1024
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(procs))
            if self.cap_bytes and rss > self.cap_bytes:
                # the machine is shared: a runaway measurement is stopped, and reported as such
                self.capped = True
                for p in reversed(procs):
                    try:
                        p.kill()
                    except psutil.Error:
                        pass
                break
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join()


class MemoryCapExceeded(RuntimeError):
    pass


def run_child(task: str, args: dict, *, env: dict | None = None, log_dir: Path | None = None,
              timeout: float | None = None, mem_cap_gb: float | None = None) -> dict:
    """Run `python -m benchmarks.bench _child TASK ARGS` and return its result with wall time and peak memory."""
    cmd = [sys.executable, "-m", "benchmarks.bench", "_child", task, json.dumps(args)]
    log_dir = log_dir or Path(tempfile.gettempdir())
    log_dir.mkdir(parents=True, exist_ok=True)
    err_path = log_dir / f"{task}-{os.getpid()}-{time.monotonic_ns()}.stderr"
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = str(CODE_ROOT) + (os.pathsep + full_env["PYTHONPATH"] if full_env.get("PYTHONPATH") else "")
    load_before = round(os.getloadavg()[0], 2)
    with open(err_path, "w") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=CODE_ROOT, stdout=subprocess.PIPE, stderr=err, env=full_env, text=True)
        sampler = TreeSampler(proc.pid, cap_bytes=mem_cap_gb * 1e9 if mem_cap_gb else None)
        sampler.start()
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            sampler.stop()
            raise RuntimeError(f"{task} timed out after {timeout} s; stderr in {err_path}")
        wall = time.perf_counter() - started
        sampler.stop()
    lines = [ln for ln in out.splitlines() if ln.startswith(RESULT_PREFIX)]
    if sampler.capped:
        tail = "\n".join(ln for ln in err_path.read_text(errors="replace").splitlines()
                         if "No runtime found" not in ln)[-1500:]
        raise MemoryCapExceeded(f"{task} stopped: its processes used more than {mem_cap_gb} GB "
                                f"(RSS, peak PSS seen {sampler.peak_pss / 1e9:.1f} GB); last output:\n{tail}")
    if proc.returncode != 0 or not lines:
        tail = "\n".join(ln for ln in err_path.read_text(errors="replace").splitlines()
                         if "No runtime found" not in ln)[-3000:]
        raise RuntimeError(f"{task} failed (exit {proc.returncode}):\n{tail}")
    result = json.loads(lines[-1][len(RESULT_PREFIX):])
    result["process_wall_s"] = round(wall, 3)
    result["loadavg_1m_before"] = load_before
    result["peak_pss_mb"] = round(sampler.peak_pss / 1e6, 1)
    result["peak_rss_sum_mb"] = round(sampler.peak_rss / 1e6, 1)
    result["peak_processes"] = sampler.peak_procs
    result["max_single_rss_mb"] = round(max(result.pop("_maxrss_self_kb", 0), result.pop("_maxrss_children_kb", 0))
                                        * 1024 / 1e6, 1)
    err_path.unlink(missing_ok=True)
    return result


# ==== child tasks (each runs in a fresh process) ==================================================

def _child_build(a: dict) -> dict:
    import etl.warehouse.build as build_mod
    import etl.warehouse.write as load
    stage: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                stage[name] = stage.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    for name in ("insert_documents", "insert_paragraphs", "insert_metrics", "copy_unchanged", "finish", "swap_in"):
        setattr(load, name, timed(name, getattr(load, name)))
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
        tree = ast.parse((CODE_ROOT / "app.py").read_text(encoding="utf-8"))
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
    return time_queries(Path(a["db"]), runs=a["runs"], budget_s=a["budget_s"], seed=a.get("seed", 1),
                        explain_dir=a.get("explain_dir"), exclude=a.get("exclude"))


def _child_export(a: dict) -> dict:
    """One whole-warehouse export, as the data page's download button runs it."""
    import duckdb
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import dashboard.queries as q
    con = duckdb.connect(a["db"], read_only=True)
    fn = _undecorated(getattr(q, a["function"]))
    t = time.perf_counter()
    out = fn(con.cursor(), *a.get("args", []))
    seconds = time.perf_counter() - t
    return {"seconds": round(seconds, 3), "result_mb": round(len(out) / 1e6, 1)}


CHILD_TASKS = {"build": _child_build, "jieba": _child_jieba, "render": _child_render,
               "warehouse": _child_warehouse, "queries": _child_queries, "export": _child_export}


def _child_main(task: str, args_json: str) -> int:
    result = CHILD_TASKS[task](json.loads(args_json))
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result["_maxrss_self_kb"], result["_maxrss_children_kb"] = me.ru_maxrss, kids.ru_maxrss
    result["cpu_s"] = round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2)
    sys.stdout.write(RESULT_PREFIX + json.dumps(result, default=str) + "\n")
    sys.stdout.flush()
    return 0


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
        INSERT INTO documents
        SELECT g.doc_id, 'synthetic/doc_' || lpad(g.d::VARCHAR, 7, '0') || '.txt',
               r.name || g.report_year || '年生态环境状况公报', r.name || '生态环境厅',
               make_date(g.report_year + 1, 1 + (hash(g.d, 3) % 6)::INT, 1 + (hash(g.d, 4) % 28)::INT),
               g.report_year, r.name, 'simplified', 'txt', 'utf-8',
               md5('a' || g.d) || md5('b' || g.d), strlen(t.raw_text), length(t.raw_text), t.n, t.n * {per},
               TIMESTAMP '2026-01-01 00:00:00', t.raw_text
        FROM g_docs g JOIN g_reg r ON r.idx = g.region_idx
        JOIN (SELECT d, string_agg(text, chr(10) ORDER BY seq) AS raw_text, count(*)::INT AS n
              FROM g_par GROUP BY d) t USING (d)
        ORDER BY g.d""")
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
               value_text, para_start, least(len, para_start + length(value_text)),
               p_raw + para_start, p_raw + least(len, para_start + length(value_text)),
               greatest(0, para_start - 20 - floor(u_ev1 * 40)::INT),
               least(len, para_start + length(value_text) + 20 + floor(u_ev2 * 60)::INT),
               [0.95, 0.9, 0.8, 0.7, 0.6, 0.4][1 + least(5, floor(u_conf * 6)::INT)]
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
                                        "layout": warehouse_layout(),
                                        "search_index": build_search_index is not None})}
    con.executemany("INSERT INTO build_info VALUES (?, ?)", sorted(info.items()))
    con.execute("CHECKPOINT")
    con.close()
    os.replace(temp, db_path)
    return {"seconds": round(time.perf_counter() - started, 2), "documents": counts[0], "paragraphs": counts[1],
            "metrics": counts[2], "search_index_s": search_index_s, "step_seconds": timings,
            "size_mb": round(db_path.stat().st_size / 1e6, 1)}


def warehouse_layout(root: Path | None = None) -> str:
    """Hash of what shapes a warehouse besides its rows (schema, derived tables, search index):
    a warehouse generated with another one is not reused."""
    import hashlib
    root = root or CODE_ROOT
    h = hashlib.sha256()
    for rel in ("etl/warehouse/schema.sql", "etl/warehouse/write.py", "etl/warehouse/search/index.py"):
        path = root / rel
        if path.exists():
            h.update(rel.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


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


# ==== the dashboard's queries ===========================================================================

CON_PARAMS = ("_con", "con", "cursor", "cur", "_cursor")


def _undecorated(obj):
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
            fn = _undecorated(obj)
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != modname:
                continue
            params = list(inspect.signature(fn).parameters)
            if params and params[0] in CON_PARAMS:
                out[f"{short}.{name}"] = (modname, fn)
    return out


def pages_of_queries(names: set[str]) -> dict[str, list[str]]:
    """{page module: [query function, ...]}: the query functions a render of the page can call,
    directly or through other dashboard modules, app.py's own included (static: every reference
    counts, whatever branch it sits in, so this is an upper bound)."""
    files = {}
    if (ROOT / "app.py").exists():
        files["app"] = ROOT / "app.py"
    for p in sorted((ROOT / "dashboard").glob("*.py")):
        files[f"dashboard.{p.stem}"] = p
    for p in sorted((ROOT / "dashboard" / "pages").glob("*.py")):
        if p.stem != "__init__":
            files[f"dashboard.pages.{p.stem}"] = p
    refs: dict[tuple[str, str | None], set[tuple[str, str]]] = {}   # (module, function or None) -> refs
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


def _param_pools(con, rng: random.Random) -> dict:
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


def _arguments(fn, con, pools: dict, rng: random.Random) -> tuple[dict | None, str | None]:
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
        "fmt": "parquet", "lang": "zh",
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


def time_queries(db_path: Path, runs: int = 20, budget_s: float = 60.0, seed: int = 1,
                 explain_dir: str | None = None, exclude: dict | None = None) -> dict:
    """p50/p95 of every query function over `runs` runs (after one warm-up), page totals, and the
    hot operators of each function whose p95 misses the target."""
    import duckdb
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    con = duckdb.connect(str(db_path), read_only=True)
    cur = con.cursor()
    rng = random.Random(seed)
    pools = _param_pools(cur, rng)
    functions = query_functions()
    pages = pages_of_queries(set(functions))
    results: dict[str, dict] = {}
    timings: dict[str, list[float]] = {}
    statements: dict[str, list] = {}
    runnable = []
    for name, (_, fn) in functions.items():
        if name.split(".", 1)[1].startswith("export_"):
            results[name] = {"skipped": "export on a download click, not a render: see 'exports' (--exports)"}
            continue
        if exclude and name in exclude:
            results[name] = {"error": exclude[name]}
            continue
        kwargs, why = _arguments(fn, cur, pools, rng)
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
        timings[name] = []
        runnable.append((name, fn))
    spent = {name: 0.0 for name, _ in runnable}
    for r in range(runs):
        for name, fn in runnable:
            if r >= 3 and spent[name] > budget_s:
                continue   # a very slow function: at least 3 runs, then its time budget
            kwargs, _ = _arguments(fn, cur, pools, rng)
            print(f"start {name}", file=sys.stderr, flush=True)
            t = time.perf_counter()
            fn(**kwargs)
            dt = time.perf_counter() - t
            spent[name] += dt
            timings[name].append(dt * 1000)
    target = TARGETS["query_p95"][1]
    for name, ts in timings.items():
        if not ts:
            continue
        results[name].update({"runs": len(ts), "p50_ms": round(_percentile(ts, 0.5), 2),
                              "p95_ms": round(_percentile(ts, 0.95), 2), "max_ms": round(max(ts), 2)})
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
        page_results[page] = {"functions": names, "failed": failed, "runs": n,
                              "p50_ms": round(_percentile(totals, 0.5), 2),
                              "p95_ms": round(_percentile(totals, 0.95), 2)}
    con.close()
    return {"functions": results, "pages": page_results, "params": {k: v for k, v in pools.items()
                                                                  if k in ("indicators", "year_min", "year_max")}}


# ==== profile ===================================================================================

PROFILE_SNIPPET = """
import sys, json, time
from etl.pipeline import process_document
files = json.load(open(sys.argv[1]))
process_document(files[0][0], files[0][1])   # warm-up: catalog, matchers, OpenCC
t = time.perf_counter()
for path, rel in files:
    process_document(path, rel)
print('seconds', time.perf_counter() - t, file=sys.stderr)
"""


def profile(corpus: Path, manifest: dict, mb: float, out_dir: Path, log=print) -> dict:
    """cProfile, per-stage timing, per-regex full-scan cost and py-spy line samples of
    process_document over the first `mb` MB of the corpus, in one process."""
    import cProfile
    import io
    import pstats

    from etl.clean import clean
    from etl.extract import extract, matchers
    from etl.ingest import read_document
    from etl.context import document_context
    from etl.pipeline import process_document
    from etl.segment import segment
    out_dir.mkdir(parents=True, exist_ok=True)
    files, total = [], 0
    for name, _, size in manifest["files"]:
        files.append((str(corpus / name), name))
        total += size
        if total >= mb * 1e6:
            break
    process_document(*files[0])   # warm-up
    result: dict = {"files": len(files), "bytes": total}

    # 1. process_document as a worker runs it, then the same split by stage (no profiler overhead)
    t_pd = time.perf_counter()
    for path, rel in files:
        process_document(path, rel)
    whole = time.perf_counter() - t_pd
    stages = dict.fromkeys(("ingest", "clean", "segment", "context", "extract"), 0.0)
    paragraphs_all = []
    for path, rel in files:
        t = time.perf_counter()
        raw = read_document(path)
        t1 = time.perf_counter()
        ct = clean(raw.text)
        t2 = time.perf_counter()
        paras = segment(ct, raw.page_starts)
        t3 = time.perf_counter()
        ctx = document_context(paras, raw.title, raw.published)
        t4 = time.perf_counter()
        extract(paras, ctx)
        t5 = time.perf_counter()
        stages["ingest"] += t1 - t
        stages["clean"] += t2 - t1
        stages["segment"] += t3 - t2
        stages["context"] += t4 - t3
        stages["extract"] += t5 - t4
        paragraphs_all.extend(p.simplified for p in paras)
    stages["rows and rest"] = whole - sum(stages.values())   # building the row tuples, offsets
    result["process_document_s"] = round(whole, 3)
    result["mb_per_s"] = round(total / 1e6 / whole, 3)
    result["stages"] = {k: {"s": round(v, 3), "share": round(v / whole, 3)} for k, v in stages.items()}
    log(f"profile: {len(files)} files, {total / 1e6:.1f} MB, process_document {whole:.1f} s "
        f"= {total / 1e6 / whole:.2f} MB/s; stages " + ", ".join(f"{k} {v:.1f}s" for k, v in stages.items()))

    # 2. cProfile
    prof = cProfile.Profile()
    prof.enable()
    for path, rel in files:
        process_document(path, rel)
    prof.disable()
    prof.dump_stats(out_dir / "profile.pstats")
    st = pstats.Stats(prof)
    total_tt = sum(v[2] for v in st.stats.values())
    rows = []
    for (file, line, func), (cc, nc, tt, ct, callers) in st.stats.items():
        rows.append({"function": f"{Path(file).name}:{line}({func})" if file != "~" else func,
                     "calls": nc, "tottime_s": round(tt, 3), "cumtime_s": round(ct, 3),
                     "tottime_share": round(tt / total_tt, 3), "cumtime_share": round(ct / total_tt, 3)})
    result["cprofile_total_s"] = round(total_tt, 3)
    result["by_tottime"] = sorted(rows, key=lambda r: -r["tottime_s"])[:30]
    result["by_cumtime"] = sorted(rows, key=lambda r: -r["cumtime_s"])[:40]
    buf = io.StringIO()
    st2 = pstats.Stats(str(out_dir / "profile.pstats"), stream=buf)
    st2.sort_stats("tottime").print_stats(40)
    st2.sort_stats("cumulative").print_stats(50)
    st2.print_callers(r"re\.Pattern|method 'sub'|method 'search'|method 'match'|method 'finditer'|method 'fullmatch'")
    (out_dir / "profile.txt").write_text(buf.getvalue())

    # 3. each regex, one full scan of every paragraph (what a finditer over the paragraph costs)
    import etl.extract.indicators
    import etl.extract.matchers
    import etl.extract.periods
    import etl.extract.reader
    import etl.extract.subjects
    import etl.extract.values
    from etl.catalog import gazetteer as rg
    import etl.segment as sg
    mx = matchers()
    patterns = {f"Matchers.{k}": v for k, v in vars(mx).items() if isinstance(v, re.Pattern)}
    for ex in (etl.extract.values, etl.extract.matchers, etl.extract.indicators, etl.extract.periods,
               etl.extract.subjects, etl.extract.reader):
        patterns.update({f"extract.{k}": v for k, v in vars(ex).items() if isinstance(v, re.Pattern)})
    patterns["regions._table()[0]"] = rg.pattern()
    patterns.update({f"segment.{k}": v for k, v in vars(sg).items() if isinstance(v, re.Pattern)})
    scan = []
    chars = sum(len(p) for p in paragraphs_all)
    for name, pat in patterns.items():
        t = time.perf_counter()
        n = 0
        for text in paragraphs_all:
            for _ in pat.finditer(text):
                n += 1
        dt = time.perf_counter() - t
        scan.append({"pattern": name, "full_scan_s": round(dt, 3), "matches": n,
                     "us_per_1k_chars": round(dt / max(chars, 1) * 1e9, 1), "length": len(pat.pattern)})
    scan.sort(key=lambda r: -r["full_scan_s"])
    result["regex_full_scan"] = {"paragraphs": len(paragraphs_all), "chars": chars, "patterns": scan}

    # 4. py-spy: which line (and so which regex) the time is spent on
    pyspy = shutil.which("py-spy")
    if pyspy:
        listing = out_dir / "profile_files.json"
        listing.write_text(json.dumps(files))
        raw_out = out_dir / "pyspy.txt"
        try:
            subprocess.run([pyspy, "record", "-r", "200", "--format", "raw", "-o", str(raw_out), "--",
                            sys.executable, "-c", PROFILE_SNIPPET, str(listing)],
                           cwd=ROOT, check=True, capture_output=True, timeout=3600,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
            result["pyspy"] = _pyspy_lines(raw_out)
        except (subprocess.SubprocessError, OSError) as e:
            result["pyspy"] = {"error": str(e)[:300]}
    else:
        result["pyspy"] = {"error": "py-spy not installed (pip install py-spy)"}
    (out_dir / "profile.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return result


def _pyspy_lines(raw_path: Path, top: int = 40) -> dict:
    """Self samples by the innermost frame inside etl/ (a regex call is charged to the line calling it)."""
    import linecache
    from collections import Counter
    by_line, by_func = Counter(), Counter()
    total = 0
    frame_re = re.compile(r"^(.*) \((.*):(\d+)\)$")
    for line in raw_path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        if "process_document" not in stack:
            continue   # interpreter start-up, imports
        total += n
        inner = None
        for f in frames:
            m = frame_re.match(f)
            if m and re.search(r"(^|/)etl/[^/]+\.py$", m.group(2)):
                file = m.group(2) if os.path.isabs(m.group(2)) else str(ROOT / m.group(2))
                inner = (m.group(1), file, int(m.group(3)))
        if inner:
            by_line[inner] += n
            by_func[(inner[0], Path(inner[1]).name)] += n
    lines = []
    for (func, file, lineno), n in by_line.most_common(top):
        lines.append({"share": round(n / max(total, 1), 3), "samples": n,
                      "where": f"{Path(file).name}:{lineno} {func}",
                      "code": linecache.getline(file, lineno).strip()[:160]})
    funcs = [{"share": round(n / max(total, 1), 3), "function": f"{file} {func}"} for (func, file), n in
             by_func.most_common(25)]
    return {"samples": total, "lines": lines, "functions": funcs}


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
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.duckdb", "*.duckdb.wal", ".*.building-*")
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
    """A folder of symlinks to the corpus, one document edited (its last number changed)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    names = [f[0] for f in manifest["files"]]
    changed = names[len(names) // 2]
    for name in names:
        if name == changed:
            enc = next(f[1] for f in manifest["files"] if f[0] == name)
            text = (raw / name).read_bytes().decode(enc) + "\n本年度新增监测点位12个。\n"
            (dest / name).write_bytes(text.encode(enc))
        else:
            os.symlink(raw / name, dest / name)
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
        for p in work.glob(f"build-{key}mb*.duckdb*"):
            p.unlink()
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
        db1.unlink(missing_ok=True)
        if k == 0:
            log(f"[{key} MB] rebuild with one document changed ...")
            changed = _one_changed_dir(raw, manifest, work / f"corpus-{key}mb-one-changed")
            b["one_changed"] = run_child("build", {"raw": str(changed), "db": str(db), "workers": cores},
                                         log_dir=work)
            shutil.rmtree(changed)
        if not args.keep_builds:
            db.unlink(missing_ok=True)
        log(f"[{key} MB] jieba {b['jieba']['seconds']:.1f} s, build {b['full']['seconds']:.1f} s "
            f"({b['full']['mb_per_s']:.2f} MB/s, {b['full']['peak_pss_mb']:.0f} MB), incremental "
            f"{b['incremental']['seconds']:.2f} s, serial {b['serial']['seconds']:.1f} s")
    return corpora, builds


def bench_dashboard(args, log) -> tuple[dict, dict, dict]:
    work = Path(args.work)
    db = Path(args.warehouse) if args.warehouse else work / f"warehouse-{args.metrics}m-{args.paragraphs}p.duckdb"
    wanted = {"version": WAREHOUSE_VERSION, "metrics": args.metrics, "paragraphs": args.paragraphs, "seed": args.seed,
              "layout": warehouse_layout()}
    have = warehouse_params(db)
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
                                            "seed": args.seed, "explain_dir": str(explain_dir), "exclude": exclude},
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
    global CODE_ROOT
    if not args.live:
        CODE_ROOT = snapshot_tree(Path(args.work))
    result["meta"]["code_root"] = str(CODE_ROOT)
    result["meta"]["etl_fingerprint_start"] = _etl_fingerprint()
    result["meta"]["loadavg_start"] = [round(x, 2) for x in os.getloadavg()]
    builds, queries, render = {}, None, None

    def save():
        result["targets"] = targets_of(builds, queries, render, args.mb)
        result["meta"]["seconds"] = round(time.perf_counter() - started, 1)
        result["meta"]["etl_fingerprint_end"] = _etl_fingerprint()
        result["meta"]["etl_fingerprint_measured"] = _etl_fingerprint(CODE_ROOT)
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
