"""What a screen needs beyond the warehouse rows: English region names (data/catalog/regions.csv's
name_en) and what an upload would add (read in a child process). A change's sign is the
warehouse's own: the extractor stores a fall negative, with its verb in metrics.change_verb."""
from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

import duckdb

from etl import catalog
from etl.pipeline import WARNING_STAGE
from etl.warehouse.isolated import IsolatedBuildError, build_in_subprocess


@functools.cache
def region_names_en() -> dict[str, str]:
    """{canonical Chinese name: English name} for every region of the gazetteer."""
    return {r.name: r.name_en for r in catalog.regions() if r.name_en}


def preview_values(path: str, name: str) -> tuple[list[dict], list[str]]:
    """What the ETL reads from one document, without loading it: (values, errors). The document
    is built alone into a scratch warehouse by a child process under the limits of every build
    (never in the caller's process: an upload is untrusted). Each value is a dict with indicator,
    region (None: unresolved), year, months, kind, value (signed), unit, scope, confidence and
    the sentence it was read from; errors are the reasons it cannot be read."""
    with tempfile.TemporaryDirectory(prefix="epw-preview-") as tmp:
        raw = Path(tmp, "raw")
        raw.mkdir()
        shutil.copyfile(path, raw / name)
        db = Path(tmp, "preview.duckdb")
        try:
            build_in_subprocess(raw, db)
        except IsolatedBuildError as e:
            return [], [str(e)]
        with duckdb.connect(str(db), read_only=True) as con:
            errors = [e for (e,) in con.execute("SELECT error FROM ingest_errors WHERE stage <> ?", [WARNING_STAGE])
                      .fetchall()]
            cur = con.execute("""
                SELECT m.indicator, m.region, m.year, m.months, m.kind, m.value, m.unit, m.scope, m.confidence,
                       substring(p.text, m.evidence_start + 1, m.evidence_end - m.evidence_start) AS sentence
                FROM metrics m JOIN paragraphs p USING (paragraph_id) ORDER BY p.seq, m.para_start""")
            columns = [c[0] for c in cur.description]
            rows = [dict(zip(columns, r)) for r in cur.fetchall()]
    return ([], errors) if errors else (rows, [])


TEXT_SPAN_SQL = """
SELECT char_start, text FROM document_text
WHERE doc_id = ? AND char_start < ? AND char_start + length(text) > ?
ORDER BY piece
"""


def text_span(con: duckdb.DuckDBPyConnection, doc_id: str, start: int, end: int | None = None) -> str:
    """The characters [start, end) of a document's text as ingested (end None: to its end), read
    from the pieces of document_text that overlap the span, never the whole text: the span of a
    value (metrics.raw_start, raw_end) or a paragraph, as the offsets give it."""
    start = max(0, start)
    stop = (1 << 62) if end is None else end
    if stop <= start:
        return ""
    rows = con.execute(TEXT_SPAN_SQL, [doc_id, stop, start]).fetchall()
    return "".join(text[max(0, start - at):max(0, stop - at)] for at, text in rows)
