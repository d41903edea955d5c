"""Where a build worker spends its time: cProfile, py-spy and a full scan per regex."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import ROOT

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
