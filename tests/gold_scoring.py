"""Scoring an export against a gold file with the analysts' own scorer.

shared/gold/score.py is the yardstick (see shared/gold/README.md); these
helpers run the real CLI to build and export, run the scorer, and parse its
per-document table so that tests can hold the extractor to the issue's bars.
"""
from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SCORER = SHARED / "gold" / "score.py"

ROW = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$")
OVERALL = re.compile(r"OVERALL gold=(\d+) pred=(\d+) tp=(\d+) precision=([\d.]+) recall=([\d.]+) f1=([\d.]+)")


@dataclass
class Score:
    name: str
    report: str                       # the scorer's full output
    per_doc: dict[str, tuple[int, int, int, float, float, float]]  # doc -> gold, pred, tp, P, R, F1
    precision: float
    recall: float
    f1: float


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def build_export_score(name: str, raw_dir: Path, gold: Path, tmp: Path) -> Score:
    db, out = tmp / f"{name}.duckdb", tmp / f"{name}.csv"
    for step in (("-m", "etl", "build", "--raw", str(raw_dir), "--db", str(db), "--quiet"),
                 ("-m", "etl", "export", "--db", str(db), "--out", str(out))):
        done = run(*step)
        assert done.returncode == 0, f"{' '.join(step)} failed:\n{done.stdout}\n{done.stderr}"
    done = run(str(SCORER), "--gold", str(gold), "--pred", str(out))
    assert done.returncode == 0, done.stderr
    per_doc = {m.group(1): (int(m.group(2)), int(m.group(3)), int(m.group(4)), float(m.group(5)),
                            float(m.group(6)), float(m.group(7)))
               for line in done.stdout.splitlines() if (m := ROW.match(line.strip()))}
    overall = OVERALL.search(done.stdout)
    assert overall, done.stdout
    return Score(name, done.stdout, per_doc, float(overall.group(4)), float(overall.group(5)),
                 float(overall.group(6)))
