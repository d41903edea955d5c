"""README.md documents every setting (etl.config.SETTINGS), every URL parameter
(dashboard.state) and every command-line flag (etl.cli)."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from dashboard import state
from etl import cli, config

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default():
    for s in config.SETTINGS:
        assert f"`{s.name}`" in README, s.name
        assert s.default in README, (s.name, s.default)


def test_every_url_parameter_is_documented():
    params = set(state.APP_PARAMS).union(*state.PAGE_PARAMS.values())
    missing = [p for p in sorted(params) if f"`{p}`" not in README]
    assert not missing, missing


def test_every_cli_flag_is_documented():
    parser = cli.parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, command in sub.choices.items():
        assert re.search(rf"python -m etl {name}\b", README), name
        for action in command._actions:
            missing += [f"{name} {o}" for o in action.option_strings if o.startswith("--") and o != "--help"
                        and o not in README]
    assert not missing, missing
    assert "epw" in README


def test_the_settings_table_is_written_from_the_one_table():
    assert config.settings_markdown() in README, "paste `python -m etl.config` into README.md"
