"""Shared test plumbing: the repository on sys.path, and the gold score tables
printed at the end of a run (the extraction issue asks to see them)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

_GOLD_REPORTS: list = []


@pytest.fixture
def gold_reports() -> list:
    return _GOLD_REPORTS


def pytest_terminal_summary(terminalreporter):
    for score in _GOLD_REPORTS:
        terminalreporter.write_sep("=", f"extraction score: {score.name}")
        table = score.report.split("\nmissed gold lines:")[0]
        terminalreporter.write_line(table)
        terminalreporter.write_line(score.report.strip().splitlines()[-1])
