"""One document through the stages: ingest -> clean -> segment -> extract.

`process_document` is what a build worker runs; it returns plain rows for the
loader, or the reason the document could not be read. It touches no database,
so documents can be processed in parallel processes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from etl import catalog
from etl import clean as clean_stage
from etl.catalog import gazetteer
from etl.clean import clean, detect_script
from etl.extract import extract, matchers
from etl.ingest import read_document
from etl.context import document_context
from etl.model import IngestError
from etl.segment import segment


@dataclass
class DocumentResult:
    file: str                                   # relative to the raw folder
    sha256: str | None = None
    document: dict | None = None
    paragraphs: list[tuple] = field(default_factory=list)
    metrics: list[tuple] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (stage, message); a document with errors is not loaded
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (stage, message); readable but damaged: loaded


# ingest_errors.stage of rows that do not mean a document failed: it was loaded with a warning,
# or it is a second copy of a loaded document. --strict ignores them.
WARNING_STAGE, DUPLICATE_STAGE = "warning", "duplicate"
NON_FATAL_STAGES = (WARNING_STAGE, DUPLICATE_STAGE)
# a worker died while reading the document (killed, out of memory): worth retrying next build
WORKER_DIED_STAGE = "process"


PARAGRAPH_COLUMNS = ("paragraph_id", "doc_id", "seq", "page", "heading", "raw_start", "raw_end", "text",
                     "text_simplified")
METRIC_COLUMNS = ("metric_id", "doc_id", "paragraph_id", "indicator_id", "indicator", "phrase", "region",
                  "region_code", "year", "months", "kind", "value", "value_high", "unit", "qualifier",
                  "change_verb", "value_text", "para_start", "para_end", "raw_start", "raw_end", "evidence_start",
                  "evidence_end", "confidence", "year_source", "period_source", "region_source")


def warm_up() -> None:
    """One-time initialisation of the stages (compiled catalog regexes, the region gazetteer,
    OpenCC's dictionaries, the PDF/DOCX libraries), done in the build process before it forks its
    workers, so that each worker inherits it instead of paying for it again."""
    import docx  # noqa: F401  (ingest imports them lazily, per document)
    import pypdf  # noqa: F401

    catalog.indicators(), catalog.units(), catalog.regions(), catalog.cues()
    clean_stage.warm_up()
    matchers()
    gazetteer.warm_up()
    # one small document through every stage catches whatever else is initialised on first use
    ct = clean("2024年全國PM2.5平均濃度為29.3微克/立方米，同比下降2.7%。\n")
    paragraphs = segment(ct)
    extract(paragraphs, document_context(paragraphs))


def _valid_date(iso: str | None) -> str | None:
    try:
        return dt.date.fromisoformat(iso).isoformat() if iso else None
    except ValueError:
        return None


def doc_id_of(sha256: str) -> str:
    return sha256[:16]


def process_document(path: str, rel: str, sha256: str | None = None) -> DocumentResult:
    result = DocumentResult(rel, sha256)
    stage = "ingest"
    try:
        raw = read_document(path)
        result.sha256 = raw.sha256
        result.warnings = [(WARNING_STAGE, w) for w in raw.warnings]
        stage = "clean"
        ct = clean(raw.text)
        stage = "segment"
        paragraphs = segment(ct, raw.page_starts)
        if not paragraphs:
            raise IngestError("no text left after cleaning")
        stage = "extract"
        ctx = document_context(paragraphs, raw.title, raw.published)
        metrics = extract(paragraphs, ctx)
    except IngestError as e:
        result.errors.append((stage, str(e)))
        return result
    except MemoryError:     # the worker's memory limit: etl.warehouse.worker names it
        raise
    except Exception as e:  # a bug or a hostile file must not stop the build: record it, go on
        result.errors.append((stage, f"{type(e).__name__}: {e}"))
        return result

    published = _valid_date(ctx.published)
    if ctx.published and published is None:   # '2023年2月31日': the warehouse column is a DATE
        result.warnings.append((WARNING_STAGE, f"publication date {ctx.published} is not a real date; left empty"))
    doc_id = doc_id_of(raw.sha256)
    result.document = dict(
        doc_id=doc_id, file=rel, title=ctx.title, publisher=ctx.publisher,
        published=published, report_year=ctx.report_year, region=ctx.region,
        script=detect_script(ct.text, ct.simplified), format=raw.format, encoding=raw.encoding,
        sha256=raw.sha256, size_bytes=raw.size_bytes, n_chars=len(raw.text), n_paragraphs=len(paragraphs),
        n_metrics=len(metrics), ingested_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
        raw_text=raw.text)
    result.paragraphs = [
        (f"{doc_id}-{p.seq}", doc_id, p.seq, p.page, p.heading, p.raw_start, p.raw_end, p.text, p.simplified)
        for p in paragraphs]
    per_paragraph: dict[int, int] = {}
    for m in metrics:
        p = paragraphs[m.paragraph_seq]
        k = per_paragraph[p.seq] = per_paragraph.get(p.seq, -1) + 1
        result.metrics.append((
            f"{doc_id}-{p.seq}-{k}", doc_id, f"{doc_id}-{p.seq}", m.indicator_id, m.indicator, m.phrase,
            m.region, m.region_code, m.year, m.months, m.kind, m.value, m.value_high, m.unit, m.qualifier,
            m.change_verb, m.value_text, m.para_start, m.para_end, ct.to_raw(p.clean_start + m.para_start),
            ct.to_raw(p.clean_start + m.para_end), m.evidence_start, m.evidence_end, m.confidence,
            m.year_source, m.period_source, m.region_source))
    return result
