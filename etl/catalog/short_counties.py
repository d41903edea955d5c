"""Counties by their short names (凤凰县 -> 凤凰): the gazetteer leaves them out of running text,
where too many of them are ordinary words; the readers that have a list, a count or a headline
vouching for a name look them up here (cues.toml [short_county_list] suffixes)."""
from __future__ import annotations

import functools

from etl import catalog

SHORT = 2   # the short names read: two characters ('吉首', '凤凰'), the common case


@functools.cache
def counties_by_short() -> dict[str, tuple[catalog.Region, ...]]:
    """Every county-level division by its name without the suffix (an autonomous county by its
    ordinary form's: 玉屏县 -> 玉屏); names several divisions share (D- rows) are left out."""
    suffixes = tuple(catalog.cues().get("short_county_list", {}).get("suffixes", ()))
    out: dict[str, list[catalog.Region]] = {}
    for r in catalog.regions():
        if r.level != "county" or r.code.startswith("D-"):
            continue
        for name in (r.name, *r.short_names):
            if suffixes and len(name) == SHORT + 1 and name.endswith(suffixes):
                found = out.setdefault(name[:SHORT], [])
                if r not in found:
                    found.append(r)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _by_code() -> dict[str, catalog.Region]:
    return {r.code: r for r in catalog.regions()}


def within(code: str | None, scope: str | None) -> bool:
    """Whether the division `code` lies in the region `scope` (None: anywhere)."""
    if scope is None:
        return True
    table = _by_code()
    for _ in range(4):
        if not code:
            return False
        if code == scope:
            return True
        code = table[code].parent_code if code in table else None
    return False


def county_named(short: str, scope: str | None) -> catalog.Region | None:
    """The one county of `scope` (anywhere: None) bearing this short name, else None."""
    found = [r for r in counties_by_short().get(short, ()) if within(r.code, scope)]
    return found[0] if len(found) == 1 else None


@functools.cache
def _dropped_prefecture_names() -> dict[str, catalog.Region]:
    """The short forms the gazetteer keeps out of running text for a prefecture (河源, 长治, 安康:
    ordinary words too), by that form: the name without 市/地区/盟, or an autonomous prefecture's
    kept 州 form without 州 (红河州 -> 红河)."""
    out: dict[str, catalog.Region] = {}
    for r in catalog.regions():
        if r.level != "prefecture":
            continue
        forms = {r.name[:-len(s)] for s in ("市", "地区", "盟") if r.name.endswith(s)}
        forms |= {s[:-1] for s in r.short_names if s.endswith("州") and len(s) > 2}
        for form in forms:
            if len(form) >= SHORT and form not in r.short_names:
                out[form] = r
    return out


def prefecture_named(short: str) -> catalog.Region | None:
    """The prefecture whose short form, kept out of running text, this is."""
    return _dropped_prefecture_names().get(short)
