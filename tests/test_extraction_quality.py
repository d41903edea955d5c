"""The extraction bars of the extraction issue, measured with shared/gold/score.py.

On every gold set: precision >= 0.95 and recall >= 0.90 overall (1.00 on the seeds), and no
document with gold values below 0.80 F1. The sets are the analysts' seeds on
the bundled corpus, and two sets of documents written for this project by
people who had not seen the extractor (tests/fixtures/*/README.md); the blind and
real_layouts sets are monitored with regression floors (tests/fixtures/README.md). The
scorer's tables are printed at the end of the test run.
"""
from __future__ import annotations

import pytest

from tests.gold_scoring import REPO, SCORER, SHARED, build_export_score

GOLD_SETS = {
    "seeds (bundled corpus)": (REPO / "data" / "raw", SHARED / "gold" / "seeds.jsonl"),
    "unseen": (REPO / "tests" / "fixtures" / "unseen" / "docs", REPO / "tests" / "fixtures" / "unseen" / "gold.jsonl"),
    "holdout": (REPO / "tests" / "fixtures" / "holdout" / "docs", REPO / "tests" / "fixtures" / "holdout" / "gold.jsonl"),
}
MIN_PRECISION, MIN_RECALL, MIN_DOC_F1 = 0.95, 0.90, 0.80
# The analysts' seeds are read perfectly, and must stay so (issue 11: "Seeds stay at 1.00"):
# under the general bars a seed value turned into a target went unnoticed.
SEEDS_MIN = 1.0

# A third set, written blind and scored once before any change was made for it
# (P 0.655, R 0.727 then). It measures generalisation; its floor guards against
# regressions rather than restating the bars above.
BLIND = (REPO / "tests" / "fixtures" / "blind" / "docs", REPO / "tests" / "fixtures" / "blind" / "gold.jsonl")
BLIND_FLOOR = 0.85

# A fourth set, modelled on the layouts and artefacts of 100+ real report pages
# (tests/fixtures/real_layouts/README.md, tests/fixtures/README.md), written and
# scored on main's extractor before the rule changes it is meant to judge:
# P 0.783, R 0.527 then. That first figure is the honest one; the floors sit
# just below its present score (0.995 / 0.961), so the test fails only on a regression. Raise them when the
# extractor really improves on this set, never tune rules on its documents.
REAL_LAYOUTS = (REPO / "tests" / "fixtures" / "real_layouts" / "docs",
                REPO / "tests" / "fixtures" / "real_layouts" / "gold.jsonl")
REAL_LAYOUTS_MIN_PRECISION, REAL_LAYOUTS_MIN_RECALL = 0.97, 0.94   # first score 0.783 / 0.527

# Variation grids (seventh session): short documents in our own words giving one family of
# mechanisms in the many wordings real pages use, with near-misses, each scored on main before
# the rules written for it (tests/fixtures/README.md). Floors (precision, recall) sit just under
# the present score.
VARIANT_GRIDS = {
    "variants_time7": (0.97, 0.97),     # years, periods, dates: first 0.925 / 0.874 (0.905 / 0.823 on all 209 lines)
    "variants_places7": (0.91, 0.91),   # places and lists: first 0.873 / 0.710 on main, then 0.942 / 0.942
    "variants_tables7": (0.98, 0.97),   # table layouts (42 docs, 410 lines): first 0.953 / 0.798, then 1.00 / 1.00
    "variants_words7": (0.98, 0.97),    # indicator and unit wordings: first 0.951 / 0.903, then 1.00 / 0.995
    "variants_prec7": (0.97, 0.78),     # false values beside true ones: first 0.852 / 0.722 (v01-v16), then 1.00 / 0.822
}

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason=f"the analysts' scorer is not at {SCORER}")


@pytest.mark.parametrize("name", list(GOLD_SETS))
def test_extraction_meets_the_bars(name, tmp_path, gold_reports):
    raw_dir, gold = GOLD_SETS[name]
    if not gold.exists():
        pytest.skip(f"no gold file at {gold}")
    score = build_export_score(name.split()[0], raw_dir, gold, tmp_path)
    gold_reports.append(score)
    floor = SEEDS_MIN if name.startswith("seeds") else None
    assert score.precision >= (floor or MIN_PRECISION), score.report
    assert score.recall >= (floor or MIN_RECALL), score.report
    weak = {doc: row[5] for doc, row in score.per_doc.items() if row[0] and row[5] < MIN_DOC_F1}
    assert not weak, f"documents below F1 {MIN_DOC_F1}: {weak}\n{score.report}"


def test_blind_set_stays_above_its_floor(tmp_path, gold_reports):
    raw_dir, gold = BLIND
    score = build_export_score("blind", raw_dir, gold, tmp_path)
    gold_reports.append(score)
    assert score.precision >= BLIND_FLOOR and score.recall >= BLIND_FLOOR, score.report


def test_real_layouts_set_stays_above_its_floor(tmp_path, gold_reports):
    raw_dir, gold = REAL_LAYOUTS
    score = build_export_score("real_layouts", raw_dir, gold, tmp_path)
    gold_reports.append(score)
    assert score.precision >= REAL_LAYOUTS_MIN_PRECISION, score.report
    assert score.recall >= REAL_LAYOUTS_MIN_RECALL, score.report


@pytest.mark.parametrize("name", list(VARIANT_GRIDS))
def test_variant_grid_stays_above_its_floor(name, tmp_path, gold_reports):
    folder = REPO / "tests" / "fixtures" / name
    score = build_export_score(name, folder / "docs", folder / "gold.jsonl", tmp_path)
    gold_reports.append(score)
    min_precision, min_recall = VARIANT_GRIDS[name]
    assert score.precision >= min_precision, score.report
    assert score.recall >= min_recall, score.report
