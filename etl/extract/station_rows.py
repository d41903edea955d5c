"""Rows of monitoring stations or river sections, in a table whose label column says so.

    站点名称 | PM2.5 | PM10
    市监测站 | 21    | 38      <- a station: no place's figure
    甲市中学 | 23    | 41      <- a station named after the city: not the city's figure either
    全市     | 20    | 36      <- the whole area's: read

Under a station or section header (cues.toml [tables] station_header) a row is a place's only when
its label is the place's name and nothing else (or a total word); a station named after the
place is the station's.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from etl import catalog



def is_station_table(header_texts) -> bool:
    """The table's label column heads stations or sections ('站点名称', '监测断面')."""
    return any(catalog.cue_pattern("tables", "station_header").fullmatch(re.sub(r"\s", "", t)) for t in header_texts)


def places(read: list, places: list, header_texts: list[str], names_place: Callable[[str], bool],
           is_total: Callable[[str], bool]) -> list:
    """`places` (region, code, year of each row in `read`) with the rows of stations named after
    a place left without one, in a station table."""
    if not is_station_table(header_texts):
        return places
    out = []
    for (_, cells), place in zip(read, places):
        whole = any(names_place(t) or is_total(t) for t, _, _ in cells)
        out.append(place if whole else (None, None, None))
    return out
