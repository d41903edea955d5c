"""One document through the stages: ingest -> clean -> segment -> extract.

`document_parts` is what a build worker runs: it yields a document's plain rows for the loader
in parts, or the reason the document could not be read. It touches no database, so documents
can be processed in parallel processes. A document is one part (`process_document`), except a
text or HTML file over EPW_STREAM_MB, which is read in segments with flat memory: decoded a
block at a time (etl/ingest/stream.py), cut into segments of about SEGMENT_CHARS characters at a
line end (else a sentence end), and each segment cleaned, segmented and extracted alone; its
rows are one part. Offsets stay offsets in the whole document's text. The document's context
(title, date, own region, the year and period its lead reviews) is read from its first segment
with text and carried to the rest, as are the headings in force.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from etl import catalog
from etl import clean as clean_stage
from etl.catalog import gazetteer
from etl.catalog.scope import kind_with_margin, scope_of
from etl.clean import clean, detect_script
from etl.extract import extract, matchers
from etl.ingest import read_document
from etl.ingest.stream import open_stream, streams
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
    # a later part of a document read in segments: the next stretch of documents.raw_text
    more_text: str = ""


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
                  "evidence_end", "confidence", "year_source", "period_source", "region_source", "scope")


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


# characters of a large document cleaned, segmented and extracted at a time (a few tens of MB of
# the worker's memory); a segment ends at a line end, else a sentence end, in its second half
SEGMENT_CHARS = 1_000_000
_SENTENCE_ENDS = "。！？!?"
_CLOSERS = "”」』\"）)"


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

    result.document = _document_row(result, rel, raw.sha256, ctx, ct, raw.format, raw.encoding, raw.size_bytes,
                                    raw.text)
    result.document.update(n_paragraphs=len(paragraphs), n_metrics=len(metrics))
    _add_rows(result, doc_id_of(raw.sha256), paragraphs, metrics, ct)
    return result


def _document_row(result: DocumentResult, rel: str, sha256: str, ctx, ct, fmt: str, encoding: str | None,
                  size_bytes: int, raw_text: str) -> dict:
    published = _valid_date(ctx.published)
    if ctx.published and published is None:   # '2023年2月31日': the warehouse column is a DATE
        result.warnings.append((WARNING_STAGE, f"publication date {ctx.published} is not a real date; left empty"))
    return dict(
        doc_id=doc_id_of(sha256), file=rel, title=ctx.title, publisher=ctx.publisher,
        published=published, report_year=ctx.report_year, region=ctx.region,
        script=detect_script(ct.text, ct.simplified), format=fmt, encoding=encoding,
        sha256=sha256, size_bytes=size_bytes, n_chars=len(raw_text), n_paragraphs=0,
        n_metrics=0, ingested_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
        raw_text=raw_text)


def _add_rows(result: DocumentResult, doc_id: str, paragraphs: list, metrics: list, ct, seq0: int = 0,
              raw0: int = 0) -> None:
    """The paragraph and metric rows of paragraphs (numbered from seq0, their raw offsets from raw0)."""
    result.paragraphs = [   # one string for both columns when the text is in simplified script: less to hold
        (f"{doc_id}-{p.seq + seq0}", doc_id, p.seq + seq0, p.page, p.heading, p.raw_start + raw0,
         p.raw_end + raw0, p.text, p.text if p.simplified == p.text else p.simplified)
        for p in paragraphs]
    per_paragraph: dict[int, int] = {}
    for m in metrics:
        p = paragraphs[m.paragraph_seq]
        k = per_paragraph[p.seq] = per_paragraph.get(p.seq, -1) + 1
        pid = f"{doc_id}-{p.seq + seq0}"
        result.metrics.append((
            f"{pid}-{k}", doc_id, pid, m.indicator_id, m.indicator, m.phrase,
            m.region, m.region_code, m.year, m.months,
            kind_with_margin(m.kind, p.simplified[m.evidence_start:m.para_start]), m.value, m.value_high, m.unit,
            m.qualifier, m.change_verb, m.value_text, m.para_start, m.para_end,
            ct.to_raw(p.clean_start + m.para_start) + raw0, ct.to_raw(p.clean_start + m.para_end) + raw0,
            m.evidence_start, m.evidence_end, m.confidence,
            m.year_source, m.period_source, m.region_source, scope_of(p.simplified[m.evidence_start:m.para_start])))


def document_parts(path: str, rel: str, sha256: str | None = None) -> Iterator[DocumentResult]:
    """A document's results in parts. The first part carries the document row; later parts carry
    rows of later segments and the rest of the text (`more_text`, appended to the row's raw_text);
    the last part's `document` holds the row's final counts (n_paragraphs, n_metrics, n_chars),
    to be updated into it. A part with errors means the whole document is not loaded (its earlier
    parts are dropped). `collect` makes the parts one result."""
    if streams(path):
        yield from streamed_parts(path, rel, sha256)
    else:
        yield process_document(path, rel, sha256)


def collect(parts: Iterable[DocumentResult]) -> DocumentResult:
    """A document's parts as one result: the rows of a document read whole are unchanged."""
    parts = iter(parts)
    result = next(parts)
    more: list[str] = []
    for part in parts:
        result.sha256 = result.sha256 or part.sha256
        result.paragraphs.extend(part.paragraphs)
        result.metrics.extend(part.metrics)
        result.errors.extend(part.errors)
        result.warnings.extend(part.warnings)
        if part.more_text:
            more.append(part.more_text)
        if part.document is not None and result.document is not None:
            result.document.update(part.document)
    if result.errors:
        result.document, result.paragraphs, result.metrics = None, [], []
    elif more and result.document is not None:
        result.document["raw_text"] += "".join(more)
    return result


def _segments(pieces: Iterable[str], size: int) -> Iterator[str]:
    """The text of pieces, cut into segments of at most about `size` characters: at the last line
    end of a segment's second half, else at its last sentence end, else at `size`."""
    buffer = ""
    for piece in pieces:
        buffer += piece
        while len(buffer) > size:
            cut = _cut(buffer, size)
            yield buffer[:cut]
            buffer = buffer[cut:]
    if buffer:
        yield buffer


def _cut(text: str, size: int) -> int:
    low = size // 2
    line_end = text.rfind("\n", low, size)
    if line_end >= 0:
        return line_end + 1
    end = max(text.rfind(c, low, size) for c in _SENTENCE_ENDS)
    if end < 0:
        return size
    end += 1
    while end < len(text) and text[end] in _CLOSERS:
        end += 1
    return end


def streamed_parts(path: str, rel: str, sha256: str | None) -> Iterator[DocumentResult]:
    """A large text or HTML document, a segment at a time (see the module's docstring)."""
    stage = "ingest"
    try:
        stream = open_stream(path)
        sha256 = stream.sha256
        doc_id = doc_id_of(sha256)
        headings: list[str | None] = [None, None]
        ctx = None
        waiting: list[str] = []     # the text of segments before the first with a paragraph
        n_chars = n_paragraphs = n_metrics = 0
        for text in _segments(stream.pieces(), SEGMENT_CHARS):
            stage = "clean"
            ct = clean(text)
            stage = "segment"
            paragraphs = segment(ct, None, headings)
            stage = "extract"
            part = DocumentResult(rel, sha256)
            if ctx is None:
                if not paragraphs:
                    waiting.append(text)
                    n_chars += len(text)
                    continue
                ctx = document_context(paragraphs, stream.title, None)
                whole = "".join(waiting) + text
                waiting = []
                part.document = _document_row(part, rel, sha256, ctx, ct, stream.format,
                                              stream.encoding, stream.size_bytes, whole)
            else:
                part.more_text = text
            metrics = extract(paragraphs, ctx) if paragraphs else []
            _add_rows(part, doc_id, paragraphs, metrics, ct, n_paragraphs, n_chars)
            n_chars += len(text)
            n_paragraphs += len(paragraphs)
            n_metrics += len(metrics)
            yield part
        if ctx is None:
            raise IngestError("no text left after cleaning")
        yield DocumentResult(rel, sha256, document=dict(n_chars=n_chars, n_paragraphs=n_paragraphs,
                                                        n_metrics=n_metrics),
                             warnings=[(WARNING_STAGE, w) for w in stream.warnings])
    except IngestError as e:
        yield DocumentResult(rel, sha256, errors=[(stage, str(e))])
    except MemoryError:
        raise
    except Exception as e:  # a bug or a hostile file must not stop the build: record it, go on
        yield DocumentResult(rel, sha256, errors=[(stage, f"{type(e).__name__}: {e}")])
