"""Paths, targets and the measurement of a child process (wall time, peak PSS of its tree)."""
from __future__ import annotations

import json
import os
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
WAREHOUSE_VERSION = 2
RESULT_PREFIX = "BENCH-RESULT "
CODE_ROOT = ROOT   # where the measured code is run from: a snapshot of the tree (see snapshot_tree)

TARGETS = {
    "build_vs_jieba": ("<=", 0.7, "x", "single-process build time / jieba.lcut time, same text"),
    "parallel_speedup": (">=", 1.8, "x", "workers=1 time / all-cores time (2 cores)"),
    "build_peak_memory": ("<=", 600.0, "MB", "peak PSS of the build's process tree (target for 200 MB of text)"),
    "build_memory_growth": ("<=", 1.25, "x", "peak memory at the largest size / at the smallest (flat)"),
    "incremental_vs_full": ("<=", 0.05, "x", "rebuild with nothing changed / full build"),
    "query_p95": ("<=", 150.0, "ms", "p95 of one query function"),
    "page_queries_p95": ("<=", 150.0, "ms", "p95 of all query functions a page calls, run in sequence"),
    "first_render": ("<=", 3.0, "s", "AppTest first render of app.py, median"),
}

SEARCH_QUERIES = ["PM2.5", "细颗粒物", "優良天數比例", "黑臭水体", "生态环境保护", "空气质量 优良天数",
                  "北京市2023年PM2.5平均浓度", "碳排放权交易", "水", "中国 发展", "核设施退役治理"]




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
              timeout: float | None = None, mem_cap_gb: float | None = None, module: str = "benchmarks.bench") -> dict:
    """Run `python -m MODULE _child TASK ARGS` and return its result with wall time and peak memory."""
    cmd = [sys.executable, "-m", module, "_child", task, json.dumps(args)]
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


def timed(marks: dict[str, float], name: str, fn, cpu: str | None = None):
    """fn, adding the seconds each call takes to marks[name] (a build's stages, timed in a child),
    and with `cpu`, the CPU time of this process (its threads included: DuckDB's) to marks[cpu]:
    the figure to compare on a busy machine."""
    def wrapper(*args, **kwargs):
        t, c = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            marks[name] = marks.get(name, 0.0) + time.perf_counter() - t
            if cpu:
                marks[cpu] = marks.get(cpu, 0.0) + time.process_time() - c
    return wrapper
