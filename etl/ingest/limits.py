"""Limits on what one file may cost to read, checked before the costly part (settings in
etl/config.py: EPW_DOC_MAX_MB, EPW_DOC_MAX_CHARS, EPW_ZIP_*, EPW_PDF_*).

A file over a limit raises LimitError (an IngestError) naming the setting it hit, so that the
build records the file in ingest_errors and goes on. Time, CPU and memory per document are
bounded around the whole document by the build's worker (etl/warehouse/worker.py).
"""
from __future__ import annotations

import re
import zipfile

from etl import config
from etl.model import IngestError

MB = 1024 * 1024


class LimitError(IngestError):
    """A document over one of the limits: the message names the setting and its value."""

    def __init__(self, setting: str, what: str):
        super().__init__(f"over the limit {setting}={config.setting_int(setting)}: {what}")
        self.setting = setting


def mb(n: int) -> str:
    return f"{n / MB:,.1f} MB"


def check_file_size(size: int) -> None:
    limit = config.setting_int("EPW_DOC_MAX_MB") * MB
    if size > limit:
        raise LimitError("EPW_DOC_MAX_MB", f"the file is {mb(size)}")


def check_chars(n: int) -> None:
    if n > config.setting_int("EPW_DOC_MAX_CHARS"):
        raise LimitError("EPW_DOC_MAX_CHARS", f"its text has {n:,} characters")


def check_zip(package: zipfile.ZipFile) -> None:
    """Entries, and the sizes they decompress to, from the ZIP directory, before anything is
    decompressed. (zipfile never returns more than an entry's declared size, so the declared
    sizes bound what parsing can decompress.)"""
    infos = package.infolist()
    if len(infos) > config.setting_int("EPW_ZIP_MAX_ENTRIES"):
        raise LimitError("EPW_ZIP_MAX_ENTRIES", f"the package has {len(infos):,} entries")
    total = sum(i.file_size for i in infos)
    if total > config.setting_int("EPW_ZIP_MAX_MB") * MB:
        raise LimitError("EPW_ZIP_MAX_MB", f"its entries decompress to {mb(total)}")
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
    if xml > config.setting_int("EPW_ZIP_MAX_XML_MB") * MB:
        raise LimitError("EPW_ZIP_MAX_XML_MB", f"its XML parts decompress to {mb(xml)}")


def check_pdf_pages(n: int) -> None:
    if n > config.setting_int("EPW_PDF_MAX_PAGES"):
        raise LimitError("EPW_PDF_MAX_PAGES", f"the PDF has {n:,} pages")


# an operator of a content stream: a run of letters (or ' " *) standing alone between
# delimiters; operands are numbers, names (/F1), strings and arrays. A slight overcount (letters
# inside strings) errs on the safe side, and the count is one pass of `re` in C.
_OPERATOR = re.compile(rb"(?<![A-Za-z0-9/\\#.*'\"])[A-Za-z'\"][A-Za-z*0-9]{0,2}(?![A-Za-z0-9*])")


def count_operators(content: bytes) -> int:
    return sum(1 for _ in _OPERATOR.finditer(content))


def check_pdf_page_operators(number: int, content: bytes) -> None:
    """The decoded content stream of a page, before its text is extracted."""
    limit = config.setting_int("EPW_PDF_MAX_OPERATORS")
    # a cheap bound first: an operator takes at least two bytes with its delimiter
    if len(content) > 2 * limit and (n := count_operators(content)) > limit:
        raise LimitError("EPW_PDF_MAX_OPERATORS", f"page {number} has {n:,} content-stream operators")
