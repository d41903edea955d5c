"""The document's own region from where a newswire filed the story.

A provincial story filed from its capital ('中新网南宁3月5日电…全区14个设区市…') often never
names its province: it speaks of 全区/全省 and the filing place says which one. The context
stage asks here only when the text speaks of itself and names no place at all.
"""
from __future__ import annotations

from collections import Counter

from etl.catalog import gazetteer

Region = tuple[str, str, str, str]   # name, code, level, how it was decided


def filed_own_region(texts: list[str], self_words: Counter) -> Region | None:
    """全省/我省 in a story filed from a city: that city's province; 全区/我区 only when that
    province is an autonomous region (a city's district says 全区 too); 全市 the city itself
    when it is a prefecture. None when the words point at no one region, or nothing was filed."""
    place = next((p for t in texts[:3] if (p := gazetteer.filed_from(t)) is not None), None)
    if place is None or place.level not in ("prefecture", "province"):
        return None
    province = gazetteer.ancestor(place.code, ("province",))
    city_words = sum(c for w, c in self_words.items() if "市" in w)
    county_words = sum(c for w, c in self_words.items() if "县" in w)
    province_words = sum(c for w, c in self_words.items() if "省" in w)
    region_words = sum(c for w, c in self_words.items() if "区" in w and "市" not in w)
    if province is None or county_words:
        return None
    if region_words and province.name.endswith("自治区") and not (city_words or province_words):
        return province.name, province.code, province.level, "dateline"
    # (Beijing's 全省 is no one's: a municipality never says it; the story was filed at a desk there)
    if province_words and not (city_words or region_words) and not province.name.endswith("市"):
        return province.name, province.code, province.level, "dateline"
    if city_words and place.level == "prefecture" and not (province_words or region_words):
        return place.name, place.code, place.level, "dateline"
    return None
