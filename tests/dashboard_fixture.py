"""The dashboard tests' warehouse: what the real ETL builds from the bundled corpus plus a few
made-up documents (tests/fixtures/dashboard/docs, written for the tests like the bulletins they
imitate, filed under 'fixture/' so nobody mistakes them for sources).

The made-up documents give indicators several years, provinces for the map, targets, a
January–September period, a conflict (Beijing 2023 PM2.5: 32 in the national bulletin, 32.2 in
Beijing's) and two files that cannot be read (an empty text, a PDF with no pages). The hostile
variant adds a page whose title and text show markup and script tags, for the escaping tests.

There is no hand-written warehouse: tests read what they expect out of the warehouse with
their own SQL, so a schema or extractor change shows up as a real difference.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from etl.warehouse import build_warehouse

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DOCS = ROOT / "tests" / "fixtures" / "dashboard"


def copy_corpus(raw: Path, *, made_up: bool = True, hostile: bool = False) -> Path:
    """data/raw copied to `raw` (writable), with the made-up documents under raw/fixture/."""
    shutil.copytree(ROOT / "data" / "raw", raw)
    if made_up:
        shutil.copytree(FIXTURE_DOCS / "docs", raw / "fixture")
    if hostile:
        shutil.copytree(FIXTURE_DOCS / "hostile", raw / "fixture", dirs_exist_ok=True)
    for p in raw.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    return raw


def build_fixture_warehouse(db_path: Path, *, hostile: bool = False) -> Path:
    """Build the test warehouse at db_path (replacing it) with the real ETL; returns the path."""
    db_path = Path(db_path)
    raw = copy_corpus(db_path.with_name(db_path.stem + "-raw"), hostile=hostile)
    build_warehouse(raw, db_path, workers=1, log=lambda line: None)
    return db_path


if __name__ == "__main__":  # python -m tests.dashboard_fixture /tmp/epw_fixture.duckdb
    import sys

    print(build_fixture_warehouse(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/epw_fixture.duckdb")))
