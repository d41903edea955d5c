"""Export: one row per metric with its citation, as CSV, JSON Lines or Parquet.

The columns include what shared/gold/README.md names (doc, indicator, region,
year, months, kind, value, evidence) and the provenance an analyst needs to
check a number: the passage (`evidence`, the sentence as shown in the
drill-down), paragraph id, offsets and confidence.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

FORMATS = {".csv": "(FORMAT csv, HEADER true)", ".jsonl": "(FORMAT json)", ".ndjson": "(FORMAT json)",
           ".parquet": "(FORMAT parquet)"}

MAX_EVIDENCE = 600     # characters; the export contract (shared/gold/README.md)
# Below this the extractor is guessing (a union of regions, no year or region of its own):
# such values stay in the warehouse for discovery, but the dataset leaves them out by default.
DEFAULT_MIN_CONFIDENCE = 0.5

# `evidence` is the sentence that holds the value, cut from the cleaned paragraph. The extractor
# keeps it short; should a span be longer than the contract allows, or not hold the value, a
# window of the paragraph around the value is shown instead.
EXPORT_SQL = f"""
SELECT m.metric_id, d.file AS doc, m.indicator, m.indicator_id, m.region, m.region_code, m.year, m.months,
       m.kind, m.value, m.value_high, m.unit, m.qualifier, m.value_text, m.phrase,
       CASE WHEN m.evidence_start <= m.para_start AND m.para_end <= m.evidence_end
                 AND m.evidence_end - m.evidence_start <= {MAX_EVIDENCE}
            THEN substr(p.text, m.evidence_start + 1, m.evidence_end - m.evidence_start)
            ELSE substr(p.text, greatest(0, least(m.para_start - {MAX_EVIDENCE // 2}, m.para_end - {MAX_EVIDENCE})) + 1,
                        {MAX_EVIDENCE})
       END AS evidence,
       m.paragraph_id, m.para_start, m.para_end, m.raw_start, m.raw_end, m.confidence,
       d.title AS doc_title, d.published AS doc_published
FROM metrics m JOIN paragraphs p USING (paragraph_id) JOIN documents d ON d.doc_id = m.doc_id
WHERE ($include_undated OR m.year IS NOT NULL) AND m.confidence >= $min_confidence
ORDER BY d.file, p.seq, m.para_start
"""


def export(db_path: str | Path, out: str | Path, *, include_undated: bool = False,
           min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> int:
    """Write the metrics to `out` (format from its suffix); returns the number of rows."""
    out = Path(out)
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise ValueError(f"unsupported export format {out.suffix!r}: use .csv, .jsonl or .parquet")
    params = {"include_undated": include_undated, "min_confidence": min_confidence}
    out.parent.mkdir(parents=True, exist_ok=True)
    # written beside the target and renamed over it: a failed export leaves no half-written file
    temp = out.with_name(f".{out.stem}.writing-{os.getpid()}{out.suffix}")
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            con.execute(f"COPY ({EXPORT_SQL}) TO '{_sql_string(temp)}' {fmt}", params)
            n = con.execute(f"SELECT count(*) FROM ({EXPORT_SQL})", params).fetchone()[0]
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return n


def _sql_string(path: Path) -> str:
    """COPY takes its target as a literal, not a parameter: quote it."""
    return str(path).replace("'", "''")
