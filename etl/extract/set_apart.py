"""Places set apart by 除…外 ('除甲县缺测外,其余…均为100%') or left out in a bracket ('市区(不含甲区)…')
give the others' figure, so the excepted place is never the subject of the values after it
(cues.toml region.set_apart_*)."""
from __future__ import annotations

import re

from etl import catalog
from etl.catalog.gazetteer import RegionMention


def set_apart(text: str, r: RegionMention) -> bool:
    """The place stands between an opening 除 and its closing 外 in one clause, or in a bracket
    leaving it out of the area before ('市区(不含甲区)')."""
    if (catalog.cue_pattern("region", "set_apart_left_out_before").search(text, max(0, r.start - 20), r.start)
            and catalog.cue_pattern("region", "set_apart_left_out_after").match(text, r.end)):
        return True
    return bool(catalog.cue_pattern("region", "set_apart_before").search(text, max(0, r.start - 10), r.start)
                and catalog.cue_pattern("region", "set_apart_after").match(text, r.end))


def _media(text: str) -> set[int]:
    """Which of cues.toml region.gloss_media the text speaks of (their indexes)."""
    return {i for i, m in enumerate(catalog.cues()["region"]["gloss_media"]) if re.search(m, text)}


def gloss_left_behind(text: str, r: RegionMention, value_start: int) -> bool:
    """'中心城市(甲市)优良天数比率为99%,…;地表水…比例为100%': a place written in brackets to say
    which city a part is names that part's subject; after a semicolon the sentence speaks of
    another medium, and the bracketed place is no subject of the values there."""
    if not (text[r.start - 1:r.start] in ("(", "（") and text[r.end:r.end + 1] in (")", "）")):
        return False
    ends = [m.end() for m in catalog.cue_pattern("region", "gloss_ends").finditer(text, r.end, value_start)]
    if not ends:
        return False
    own, later = _media(text[r.end:ends[0]]), _media(text[ends[-1]:value_start])
    return bool(own and later) and not own & later


def agency_named(text: str, r: RegionMention) -> bool:
    """'某州生态环境局…提供的数据': the place is part of an office's name."""
    return bool(catalog.cue_pattern("region", "agency_after").match(text, r.end))


def medium_changed(earlier: str, later: str) -> bool:
    """'…某溪流域断面水质比例达100%。近岸海域水质优良比例为96%': the later text speaks only of
    another medium than the earlier one (cues.toml region.gloss_media), so a part the earlier text
    was about (a river's basin) does not go on into it."""
    before, after = _media(earlier), _media(later)
    return bool(before and after) and not before & after


def medium_cut(text: str, start: int, end: int) -> int:
    """Where the words a value is said of begin for telling a part: after the last semicolon in
    [start, end) when the text after it speaks only of another medium than the text before it
    ('…长江干流水质保持Ⅱ类;近岸海域水质优良比例达到85%': the river's part ends there), else after
    the last comma on the same terms ('…某湖水质由劣Ⅴ类好转为Ⅴ类,地级城市集中式饮用水水源地水质
    达标率为97.9%': the lake's part ends before the sources' clause)."""
    for marks in ((";", "；"), (",", "，")):
        cut = max(text.rfind(mark, start, end) for mark in marks)
        if cut >= 0 and medium_changed(text[start:cut], text[cut + 1:end]):
            return cut + 1
    return start
