"""The format of a file, decided from its content: PDF, DOCX, HTML or plain text."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from etl.ingest.decode import SAMPLE_BYTES, looks_like_utf16, utf16_codec
from etl.ingest.docx import zip_kind
from etl.ingest.limits import LimitError, check_zip
from etl.model import IngestError

# Strong signatures of files we do not read, so the error can say what the file is.
_UNSUPPORTED_MAGIC = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls/.wps); save it as .docx"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "an executable"),
]
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".asp", ".aspx", ".jsp", ".php"}

# A whole HTML document, anywhere in the first few KB.
_HTML_DOC_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
# Common tags, to recognise HTML fragments and markup-heavy scraped text.
_HTML_TAG_RE = re.compile(
    r"</?(?:p|div|br|span|table|tr|td|th|li|ul|ol|a|h[1-6]|meta|title|font|b|strong|img|"
    r"section|article|center)(?:\s[^<>]*)?/?>", re.I)


def detect_format(data: bytes, name: str = "") -> str:
    """Return 'pdf', 'docx', 'html' or 'txt' for the bytes of a file.

    ``name`` is only a hint (for HTML fragments and damaged DOCX). Raises
    IngestError for an empty file, for files that are recognisably something
    else (images, archives, other Office formats) and for damaged DOCX
    packages.
    """
    if not data:
        raise IngestError("empty file")
    suffix = Path(name).suffix.lower()
    if _is_pdf(data):
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        _check_docx_package(data, suffix)
        return "docx"
    for magic, what in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise IngestError(f"unsupported file type (looks like {what})")
    return "html" if _looks_like_html(sniff_head(data), suffix) else "txt"


def _is_pdf(data: bytes) -> bool:
    # Readers accept up to 1 KB of junk before the header; a text that merely
    # mentions "%PDF-" is not a PDF, so junk must come with a PDF ending.
    at = data.find(b"%PDF-", 0, 1024)
    return at == 0 or (at > 0 and (not data[:at].strip() or b"%%EOF" in data[-2048:]))


def _check_docx_package(data: bytes, suffix: str) -> None:
    """Raise IngestError unless this ZIP is a readable WordprocessingML package."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        check_zip(package)
        content_types = (package.read("[Content_Types].xml")
                         if "[Content_Types].xml" in names else b"")
    except LimitError:
        raise
    except Exception as exc:   # zipfile raises many kinds (BadZipFile, zlib.error, NotImplementedError...)
        head = data[:SAMPLE_BYTES]
        if suffix == ".docx" or b"word/" in head:
            raise IngestError(f"corrupt DOCX: not a readable ZIP package, truncated? ({exc})") from None
        raise IngestError("unsupported file type (looks like a damaged ZIP archive)") from None
    if "word/document.xml" in names or b"wordprocessingml.document.main" in content_types:
        return
    other = zip_kind(names)
    if other:
        raise IngestError(f"unsupported file type (looks like {other})")
    if suffix == ".docx" or content_types or any(n.startswith("word/") for n in names):
        raise IngestError("corrupt DOCX: the package has no word/document.xml")
    raise IngestError("unsupported file type (looks like a ZIP archive)")


def sniff_head(data: bytes, size: int = 4096) -> str:
    """The start of the file as text, good enough to look for ASCII markup."""
    head = data[:size]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_like_utf16(head):
        codec = utf16_codec(head)
        return head.decode(codec, "ignore").lstrip("\ufeff")
    # latin-1 maps every byte to one character, so ASCII markup survives in any
    # ASCII-compatible encoding (UTF-8, GB18030, Big5).
    return head.decode("latin-1")


def _looks_like_html(head: str, suffix: str) -> bool:
    if _HTML_DOC_RE.search(head):
        return True
    n_tags = len(_HTML_TAG_RE.findall(head))
    if suffix in _HTML_SUFFIXES:
        return n_tags >= 1
    if _tags_are_debris(head):
        return False
    starts_with_tag = head.lstrip("\ufeff\xef\xbb\xbf \t\r\n").startswith("<")
    # A fragment opens with a tag; scraped text full of leftover tags is better
    # read as HTML than with the tags in it. A tag or two in prose is not HTML.
    return (starts_with_tag and n_tags >= 2) or n_tags >= 5


# A line of text with no markup on it: at least this many non-ASCII characters (in the latin-1
# view of the head, a CJK character is 2-3 of them) and no '<'.
_TEXT_LINE_RE = re.compile(r"^[^<\n]*?[\x80-\uffff][^<\n]*$", re.M)
_TEXT_LINE_MIN = 12


def _tags_are_debris(head: str) -> bool:
    """Text whose tags are a scraper's leftovers (`<td></td>`, `</p>` lines at its top), not
    markup: it goes on in plain lines with no tags among them. Read as HTML, its line breaks,
    the only structure it has, would collapse."""
    lines = [m for m in _TEXT_LINE_RE.finditer(head)
             if sum(c >= "\x80" for c in m.group(0)) >= _TEXT_LINE_MIN]
    if len(lines) < 2:
        return False
    return len(_HTML_TAG_RE.findall(head, lines[0].start())) <= 2
