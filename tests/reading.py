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
