"""The document's own region when its headline is not to be taken at its word.

A headline may name a county by its short name alone ('甲乙：全年优良天数达351天', over a body
that says 全县): the gazetteer leaves short county names out of running text, so the headline's
short name is read as a county when the text speaks of itself as a county and the name is one
county's, in a place the page names or anywhere (cues.toml [titled_place] short_county).
A page may be titled with another province's name (a repost's template, a wrong heading):
when the body says 全省 and every city or county it names lies in one other province, and the
body never names the headline's province, the body's province is the page's."""
from __future__ import annotations

from collections import Counter

from etl import catalog
from etl.catalog import gazetteer
from etl.catalog.lineage import county_words_only
from etl.catalog.short_counties import county_named, within

Region = tuple[str, str, str, str]   # name, code, level, how it was decided
# the body must name this many distinct cities or counties of one other province
MIN_BODY_PLACES = 3
TITLE_COPIES = 2



def titled_short_county(title: str, self_words: Counter, named: list[gazetteer.RegionMention]) -> Region | None:
    """The county a headline names by its short name, for a text speaking of itself as a county."""
    m = catalog.cue_pattern("titled_place", "short_county").match(title or "")
    if m is None or not county_words_only(self_words):
        return None
    scopes = [r.code for r in named if r.level in ("province", "prefecture") and r.code] or [None]
    found = {c.code: c for scope in scopes if (c := county_named(m.group(1), scope)) is not None}
    if len(found) != 1:
        return None
    county = next(iter(found.values()))
    return county.name, county.code, county.level, "title"


def body_province(titled: gazetteer.RegionMention, body: list[gazetteer.RegionMention], counts: Counter,
                  self_refs: Counter) -> Region | None:
    """The province of the places a 全省 body names, when it is not the headline's province."""
    # (the headline is counted twice when the page repeats it as its first line)
    if titled.level != "province" or not self_refs["province"] or counts[titled.name] > TITLE_COPIES:
        return None
    places = {r.code: r for r in body if r.level in ("prefecture", "county") and r.code}
    if len(places) < MIN_BODY_PLACES or any(within(c, titled.code) for c in places):
        return None
    provinces = {a.code: a for c in places if (a := gazetteer.ancestor(c, ("province",)))}
    if len(provinces) != 1:
        return None
    p = next(iter(provinces.values()))
    return p.name, p.code, p.level, "default"


def overruled_headline(head: list[str], region: Region) -> str | None:
    """The one province the page's head names when the page's own region is another province
    (body_province overruled it): label lines naming it lend the body nothing."""
    if region[2] != "province":
        return None
    named = {r.name for t in head for r in gazetteer.find_regions(t) if r.level == "province"}
    return named.pop() if len(named) == 1 and region[0] not in named else None
