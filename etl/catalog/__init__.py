"""The data files that steer the ETL: indicator catalog, units, regions, cues.

Everything an analyst may want to extend lives in `data/catalog/` as commented
CSV or TOML; this module only reads it (once per process) and shapes it for
the stages. Lines of a CSV starting with '#' are comments.
"""
from __future__ import annotations

import csv
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from etl.config import CATALOG_DIR



def read_commented_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.lstrip().startswith("#") and line.strip()]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    name_zh: str
    name_en: str
    unit: str
    category: str
    aliases: tuple[str, ...]
    higher_is_better: bool | None
    scope: str = ""            # 'cumulative' (a running total), 'annual' (one year's figure) or 'flow', else ''


@dataclass(frozen=True)
class Unit:
    unit: str
    spellings: tuple[str, ...]
    dimension: str
    factor: float


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short_names: tuple[str, ...]
    level: str
    parent_code: str | None
    name_en: str = ""          # official English name, else Hanyu Pinyin (scripts/region_names_en.py)


@functools.cache
def indicators() -> tuple[Indicator, ...]:
    out = []
    for r in read_commented_csv(CATALOG_DIR / "indicators.csv"):
        hib = r.get("higher_is_better", "").lower()
        aliases = [a for a in r["aliases"].split("|") if a]
        if r["name_zh"] not in aliases:
            aliases.insert(0, r["name_zh"])
        out.append(Indicator(r["indicator_id"], r["name_zh"], r["name_en"], r["unit"], r["category"],
                             tuple(aliases), True if hib == "true" else False if hib == "false" else None,
                             r.get("scope", "")))
    return tuple(out)


@functools.cache
def units() -> tuple[Unit, ...]:
    return tuple(Unit(r["unit"], tuple(s for s in r["spellings"].split("|") if s), r["dimension"],
                      float(r["factor"]))
                 for r in read_commented_csv(CATALOG_DIR / "units.csv"))


@functools.cache
def unit_by_name() -> dict[str, Unit]:
    return {u.unit: u for u in units()}


@functools.cache
def regions() -> tuple[Region, ...]:
    path = CATALOG_DIR / "regions.csv"
    return tuple(Region(r["code"], r["name"], tuple(s for s in r.get("short_names", "").split("|") if s),
                        r["level"], r.get("parent_code") or None, r.get("name_en", ""))
                 for r in read_commented_csv(path))


@functools.cache
def region_by_name() -> dict[str, Region]:
    return {r.name: r for r in regions()}


@functools.cache
def cues() -> dict:
    with (CATALOG_DIR / "cues.toml").open("rb") as f:
        return tomllib.load(f)


@functools.cache
def cue_pattern(*path: str) -> re.Pattern:
    """The compiled cue of cues.toml at `path` ('kind', 'year_on_year'): a pattern, or a list of
    them taken as alternatives. A missing key raises: a misspelt cue should fail, not never match."""
    cue = cues()
    for key in path:
        cue = cue[key]
    return re.compile(cue if isinstance(cue, str) else "|".join(f"(?:{c})" for c in cue) or "(?!)")


@functools.cache
def cleaning_rules() -> dict:
    with (CATALOG_DIR / "cleaning.toml").open("rb") as f:
        return tomllib.load(f)
