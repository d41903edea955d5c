"""The extractor as a document meets it: clean -> segment -> context -> extract, shared by the
extraction tests (each reads sentences of its own)."""
from __future__ import annotations

from etl.clean import clean
from etl.context import document_context
from etl.extract import extract
from etl.model import Metric
from etl.segment import segment


def read(text: str, title: str | None = None) -> list[Metric]:
    """Every metric the stages read from `text` (a document titled `title`, or untitled)."""
    paragraphs = segment(clean(text))
    return list(extract(paragraphs, document_context(paragraphs, title)))


def levels(metrics: list[Metric], indicator: str | None = None) -> list[tuple]:
    """(indicator, region, year, months, value) of the catalog levels and targets read, of one
    indicator or all: what the false-value tests compare."""
    return [(m.indicator, m.region, m.year, m.months, m.value) for m in metrics
            if m.indicator_id and m.kind in ("actual", "target") and indicator in (None, m.indicator)]
