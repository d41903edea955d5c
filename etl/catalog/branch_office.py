"""The district a city bureau's branch office reports on: a page titled '某市生态环境局甲乙分局…' whose
body speaks of 我区/全区 is the district 甲乙区 of that city (or its county 甲乙县, with 我县/全县), not
the province those self words would otherwise point to (cues.toml region.branch_office)."""
from __future__ import annotations


from etl import catalog
from etl.catalog import gazetteer

SELF_WORDS = {"区": ("我区", "全区", "本区"), "县": ("我县", "全县", "本县")}



def branch_district(title: str | None, body: str) -> tuple[str, str, str, str] | None:
    """(name, code, level, 'title') of the district a branch office's page speaks of, else None
    (`title` and `body` in simplified script)."""
    m = catalog.cue_pattern("region", "branch_office").search((title or "").strip())
    if not m:
        return None
    cities = [r for r in gazetteer.find_regions(m.group(1)) if r.level == "prefecture"]
    if len({r.code for r in cities}) != 1:
        return None
    for suffix, words in SELF_WORDS.items():
        found = [r for r in gazetteer.find_regions(m.group(2) + suffix)
                 if r.level == "county" and r.name == m.group(2) + suffix]
        district = next((r for r in found if (gazetteer.ancestor(r.code, ("prefecture",)) or None)
                         and gazetteer.ancestor(r.code, ("prefecture",)).code == cities[0].code), None)
        if district and any(w in body for w in words):
            return district.name, district.code, district.level, "title"
    return None
