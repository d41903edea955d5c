"""What a screen or a file needs to show a value as the text means it, beyond the warehouse rows:
English region names (data/catalog/regions.csv's name_en) and the sign of a change.

A change is stored as the text writes its number ('同比下降2.7%': 2.7 and the verb before it);
`signed` gives it the sign of its verb (the [sign] table of data/catalog/cues.toml), and leaves
a value that is already negative, or not a change, as it is.
"""
from __future__ import annotations

import functools
import re

from etl import catalog
from etl.pipeline import METRIC_COLUMNS, process_document


@functools.cache
def region_names_en() -> dict[str, str]:
    """{canonical Chinese name: English name} for every region of the gazetteer."""
    return {r.name: r.name_en for r in catalog.regions() if r.name_en}


@functools.cache
def _verbs() -> tuple[re.Pattern, frozenset[str]]:
    sign = catalog.cues().get("sign", {})
    falls, rises = sign.get("fall_verbs", []), sign.get("rise_verbs", [])
    words = sorted({*falls, *rises}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), frozenset(falls)


def change_verb(before: str | None) -> str:
    """The change verb nearest before a value ('' when there is none): `before` is its sentence up to it."""
    if not isinstance(before, str) or not before:
        return ""
    pattern, _ = _verbs()
    found = pattern.findall(before[-40:])
    return found[-1] if found else ""


def sign_sql(value: str, kind: str, before: str) -> tuple[str, str]:
    """SQL expressions (value signed, change verb) doing what `signed` and `change_verb` do, over
    the SQL expressions of a value, its kind and its sentence up to it."""
    pattern, falls = _verbs()
    verb = (f"coalesce(list_last(regexp_extract_all(right({before}, 40), '{pattern.pattern}')), '')")
    fall_list = "[" + ", ".join("'" + f + "'" for f in sorted(falls)) + "]"
    signed_value = (f"CASE WHEN {kind} = 'change' AND {value} > 0 AND list_contains({fall_list}, {verb}) "
                    f"THEN -{value} ELSE {value} END")
    return signed_value, f"CASE WHEN {kind} = 'change' THEN {verb} ELSE '' END"


def signed(value, kind: str, before: str | None):
    """The value with its sign: a change read after a fall verb is negative."""
    if kind != "change" or value is None or value != value or value < 0:
        return value
    return -value if change_verb(before) in _verbs()[1] else value


def preview_values(path: str, name: str) -> tuple[list[dict], list[str]]:
    """What the ETL reads from one document, without loading it: (values, errors). Each value
    is a dict with indicator, region (None: unresolved), year, months, kind, value (signed),
    unit, scope and the sentence it was read from; errors are the reasons it cannot be read."""
    result = process_document(path, name)
    if result.errors:
        return [], [message for _, message in result.errors]
    texts = {row[0]: row[7] for row in result.paragraphs}
    out = []
    for row in result.metrics:
        m = dict(zip(METRIC_COLUMNS, row))
        text = texts.get(m["paragraph_id"], "")
        before = text[m["evidence_start"]:m["para_start"]]
        out.append({"indicator": m["indicator"], "region": m["region"], "year": m["year"], "months": m["months"],
                    "kind": m["kind"], "value": signed(m["value"], m["kind"], before), "unit": m["unit"],
                    "scope": m.get("scope", ""), "confidence": m["confidence"],
                    "sentence": text[m["evidence_start"]:m["evidence_end"]]})
    return out, []
