"""Figures under a heading that names the goals of a plan are targets.

A plan or a work programme lists what it is to reach under a heading of its own ('二、工作目标',
'(一)主要目标'). A page reposting such a plan years later makes '到2030年底,…达到94%' look like a
state reached by that date; the heading says it is a goal (cues.toml [kind] goal_heading). A figure
the section gives as the starting level (现状, 基期, a year tied to the value) stays a level, and so
does the heading line itself.
"""
from __future__ import annotations

from etl import catalog
from etl.extract.matchers import catalog_simplify


def under_goal_heading(heading: str | None, text: str) -> bool:
    """The paragraph `text` stands under a heading that names goals (and is not that heading)."""
    heading = catalog_simplify(heading or "").strip()
    if not heading or text.strip() == heading:
        return False
    label = catalog.cue_pattern("section_label", "heading").sub("", heading, count=1)
    return bool(catalog.cue_pattern("kind", "goal_heading").search(label.strip()))


def goal_section_kind(kind: str, year_source: str, said_before: str, heading: str | None, text: str) -> str:
    """'target' for a level read under a goals heading, else `kind`. `said_before` is the value's
    sentence up to the value."""
    if kind != "actual" or year_source == "tied" or not under_goal_heading(heading, text):
        return kind
    return kind if catalog.cue_pattern("kind", "goal_heading_base").search(said_before) else "target"
