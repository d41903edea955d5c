"""The benchmark (`python -m benchmarks.bench`) at a tiny size: it runs end to end and its JSON has
every figure. Timings are not asserted: they depend on the machine and its load."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import corpus, queries

REPO = Path(__file__).resolve().parent.parent


def test_corpus_is_deterministic_and_realistic(tmp_path):
    a = corpus.make_corpus(tmp_path / "a", 0.2, seed=3, log=lambda m: None)
    b = corpus.make_corpus(tmp_path / "b", 0.2, seed=3, log=lambda m: None)
    assert a["files"] == b["files"] and a["bytes"] >= 0.2e6
    folder_a = corpus.corpus_path(tmp_path / "a", 0.2, 3)
    folder_b = corpus.corpus_path(tmp_path / "b", 0.2, 3)
    for name, enc, size in a["files"]:
        data = (folder_a / name).read_bytes()
        assert data == (folder_b / name).read_bytes() and len(data) == size
        assert size <= 90_000
        text = data.decode(enc)
        assert "年" in text and "。" in text
    # document i is the same whatever the corpus size, so small corpora are prefixes of large ones
    pools = corpus._pools()
    assert corpus.make_document(5, 3, pools) == corpus.make_document(5, 3, pools)
    assert corpus.make_document(5, 3, pools) != corpus.make_document(6, 3, pools)


def test_pages_of_queries_names_known_functions():
    functions = queries.query_functions()
    assert "queries.trend_points" in functions
    pages = queries.pages_of_queries(set(functions))
    assert pages and all(set(fs) <= set(functions) for fs in pages.values())


@pytest.mark.timeout(600)
def test_quick_pieces_write_every_figure(tmp_path):
    out = tmp_path / "results" / "latest.json"
    cmd = [sys.executable, "-m", "benchmarks.bench", "--quick", "--mb", "0.2", "0.4", "--metrics", "20000",
           "--paragraphs", "2000", "--runs", "2", "--render-runs", "1", "--corpus-dir", str(tmp_path / "corpus"),
           "--out", str(out)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))

    assert result["meta"]["cores"] >= 1 and result["meta"]["quick"] is True
    assert [c["mb"] for c in result["corpus"]] == [0.2, 0.4]
    for key in ("0.2", "0.4"):
        b = result["builds"][key]
        for kind in ("jieba", "full", "incremental"):
            for figure in ("seconds", "peak_pss_mb", "peak_rss_sum_mb", "max_single_rss_mb", "process_wall_s"):
                assert isinstance(b[kind][figure], (int, float)), (key, kind, figure)
        assert b["full"]["mb_per_s"] > 0 and b["jieba"]["mb_per_s"] > 0
        assert b["full"]["metrics"] > 0 and b["full"]["errors"] == 0
        assert b["incremental"]["unchanged"] is True
    first = result["builds"]["0.2"]
    assert first["serial"]["workers"] == 1 and first["serial"]["seconds"] > 0
    assert first["one_changed"]["processed"] == 1 and first["one_changed"]["reused"] > 0

    assert result["warehouse"]["metrics"] == 20000 and result["warehouse"]["paragraphs"] == 2000
    functions = result["queries"]["functions"]
    assert functions, "no query function found"
    timed = {k: v for k, v in functions.items() if "p95_ms" in v}
    assert "queries.trend_points" in timed and "queries.ranking" in timed
    assert not [k for k, v in functions.items() if "error" in v], functions
    for name, r in timed.items():
        assert r["runs"] == 2 and r["p50_ms"] >= 0 and r["p95_ms"] >= r["p50_ms"] - 1e-9, name
    assert result["queries"]["pages"]
    for page, r in result["queries"]["pages"].items():
        assert "p95_ms" in r and "functions" in r, page
    # the pages as the dashboard serves them (after its warm-up), and a first visit with and without it
    assert result["queries"]["warm_up"]["error"] is None and "points" in result["queries"]["warm_up"]["parts"]
    visits = result["queries"]["first_visits"]["modes"]
    for mode in ("cold", "served"):
        assert set(visits[mode]) == set(result["queries"]["pages"]), mode
        for page, r in visits[mode].items():
            assert r["errors"] == [] and r["wall_p50_ms"] > 0 and r["cpu_p50_ms"] > 0, (mode, page, r)
    assert all("warm_up" in v for r in visits["served"].values() for v in r["visits"])
    assert "first visits" in proc.stdout

    if (REPO / "app.py").exists():
        assert isinstance(result["render"]["first_render_s"], (int, float))
        assert result["render"]["exceptions"] == []

    names = {t["target"] for t in result["targets"]}
    expected = {"build_vs_jieba", "parallel_speedup", "build_peak_memory", "build_memory_growth",
                "incremental_vs_full", "query_p95", "page_queries_p95"}
    if (REPO / "app.py").exists():
        expected.add("first_render")
    assert expected <= names
    for t in result["targets"]:
        assert t["value"] is not None and t["met"] in (True, False), t
    assert "target" in proc.stdout and "written:" in proc.stdout
