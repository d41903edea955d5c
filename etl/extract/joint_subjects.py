"""Two or more places sharing one value ('最差的城市是甲市和乙市,为41', '最好的城市是丙、丁市,为9'): the
reader takes the joined names for one unknown place; each named place gets the value of its own.
The joiners are cues.toml [region] joint_subject; every part must be a province, city or county of the gazetteer (a short
name takes the suffix the last part is written with: '丙、丁市' is 丙市 and 丁市)."""
from __future__ import annotations

import dataclasses

from etl import catalog
from etl.catalog import gazetteer
from etl.model import Metric, Paragraph

ADMINISTRATIVE = ("county", "prefecture", "province")
SUFFIXES = ("市", "县", "区")




def _places(name: str, suffix: str) -> list[gazetteer.RegionMention]:
    """The places a part of a joined subject may name: itself, or itself with a place suffix
    (a county's short name, '甲、乙、丙3县市', which the gazetteer leaves out alone)."""
    out = []
    for candidate in dict.fromkeys((name, *(name + s for s in (suffix, *SUFFIXES) if s and not name.endswith(s)))):
        found = gazetteer.find_regions(candidate)
        # (administrative places only: '…七大流域及甲诸河、乙诸河' sums basins, it shares no value)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(candidate) \
                and found[0].level in ADMINISTRATIVE and found[0].code not in {r.code for r in out}:
            out.append(found[0])
    return out


def _one_level(options: list[list[gazetteer.RegionMention]]) -> list[gazetteer.RegionMention] | None:
    """One place per part, all of one level where the parts allow it ('恩施、利川…' are counties)."""
    if not options or not all(options):
        return None
    for level in ADMINISTRATIVE:
        same = [next((r for r in o if r.level == level), None) for o in options]
        if all(same):
            return same
    return [o[0] for o in options]


def _after_names(m: Metric, paragraphs: list[Paragraph]) -> tuple[str, int] | None:
    """The words of the value's sentence up to it, and where the joined names end in them (None
    when they are not found there)."""
    if not 0 <= m.paragraph_seq < len(paragraphs):
        return None
    text = paragraphs[m.paragraph_seq].simplified[m.evidence_start:m.para_start]
    at = text.rfind(m.region or "")
    return (text, at + len(m.region or "")) if at >= 0 else None


def _counted(m: Metric, paragraphs: list[Paragraph]) -> bool:
    """Whether a count follows the joined names ('甲和乙3个市'): the list reader's case, which
    weighs the count against the names (a count that is not theirs leaves the list as written)."""
    found = _after_names(m, paragraphs)
    return found is None or bool(catalog.cue_pattern("region", "joint_subject_count").match(*found))


def _group_mean(m: Metric, paragraphs: list[Paragraph]) -> bool:
    """Whether the figure is said to be the joined places' mean ('甲、乙…10个非重点城市…均值为99.3%',
    '甲、乙和丙3个城市平均…为…'): the group's, no place's own (cues.toml [region] counted_mean)."""
    found = _after_names(m, paragraphs)
    return found is not None and bool(catalog.cue_pattern("region", "counted_mean").search(*found))


def split_joint_subjects(metrics: list[Metric], paragraphs: list[Paragraph]) -> list[Metric]:
    """Each metric whose unknown region joins known places, one metric per place."""
    out: list[Metric] = []
    for m in metrics:
        # (an exact figure of a catalog indicator: '甲、乙2个城市…不足50%' bounds a group, shares no value)
        exact = m.region and not m.region_code and m.indicator_id and not m.qualifier
        names = catalog.cue_pattern("region", "joint_subject").split(m.region) if exact else []
        if len(names) >= 2 and _group_mean(m, paragraphs):
            out.append(dataclasses.replace(m, region=None))   # the group's mean: no place of its own
            continue
        parts = names if exact and not _counted(m, paragraphs) else []
        suffix = parts[-1][-1] if parts and parts[-1][-1:] in ("市", "县", "区") else ""
        places = _one_level([_places(p.strip(), suffix) for p in parts]) if len(parts) >= 2 else None
        if places and len({p.code for p in places}) == len(places):
            out.extend(dataclasses.replace(m, region=p.name, region_code=p.code,
                                           confidence=max(m.confidence, 0.8)) for p in places)
        else:
            out.append(m)
    return out
