"""Ingest: read one file of any supported kind into a RawDocument.

This is the first ETL stage. It turns the bytes of a scraped report into the
text every later stage works on, and records where that text came from:

* The format is decided from the content (magic bytes, markup), never from the
  file name: ``%PDF`` is a PDF, a ZIP package holding ``word/document.xml`` is
  a DOCX, text that is HTML markup is HTML, any other text is plain text. The
  extension is only a hint for HTML fragments and for naming a damaged DOCX.
* Text encodings are detected: a BOM wins, then strict UTF-8; otherwise each
  supported decoding (UTF-8 with damage, GB18030, Big5, UTF-16 LE/BE) of a
  sample is scored by how much of it is plausible Chinese text, and the best
  one decodes the whole file (see ``decode_text``).
* Damage that still leaves a readable document (a file cut mid-character, a
  few bad bytes) is repaired and described in ``RawDocument.warnings``;
  anything that is not a readable document raises ``IngestError`` with a
  message for a person.

The text is kept as it was except for line endings (always ``\\n``), the HTML
page chrome that is removed, and the markup of HTML/DOCX/PDF, which becomes
lines (table rows become ``cell | cell``). Every later offset indexes into
``RawDocument.text``, so nothing here may move text around after the fact.
``read_document`` is a pure function of the file: no globals, no database.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from etl.ingest.decode import DecodedText, declared_charset, decode_text
from etl.ingest.detect import detect_format, sniff_head
from etl.ingest.docx import read_docx
from etl.ingest.html import read_html
from etl.ingest.limits import check_chars, check_file_size
from etl.ingest.pdf import read_pdf
from etl.model import IngestError, RawDocument

__all__ = ["read_document", "detect_format", "decode_text", "DecodedText"]


# ---------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------

def read_document(path: str | os.PathLike) -> RawDocument:
    """Read the file at ``path`` into a RawDocument, or raise IngestError."""
    name = os.fsdecode(path)
    try:
        check_file_size(os.stat(name).st_size)
        data = Path(name).read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file: {exc.strerror or exc}") from None
    check_file_size(len(data))   # it may have grown since
    document = _read(name, data)
    check_chars(len(document.text))
    return document


def _read(name: str, data: bytes) -> RawDocument:
    fmt = detect_format(data, name)
    common = dict(path=name, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data))
    if fmt == "pdf":
        return RawDocument(format="pdf", **read_pdf(data), **common)
    if fmt == "docx":
        return RawDocument(format="docx", **read_docx(data), **common)

    head = sniff_head(data)
    declared = declared_charset(head) if fmt == "html" else None
    decoded = decode_text(data, declared=declared)
    if fmt == "html":
        fields = read_html(decoded.text)
        return RawDocument(format="html", encoding=decoded.encoding,
                           warnings=list(decoded.warnings), **fields, **common)
    if not decoded.text.strip():
        raise IngestError("the file contains only whitespace")
    return RawDocument(format="txt", text=decoded.text, encoding=decoded.encoding,
                       warnings=list(decoded.warnings), **common)
