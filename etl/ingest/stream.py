"""Very large text and HTML files, read in pieces with flat memory.

A plain-text or HTML file over EPW_STREAM_MB is not read whole: ``open_stream`` hashes it and
chooses its decoding in one pass over the bytes (nothing kept), and ``TextStream.pieces`` then
decodes it incrementally, a block of bytes at a time, into text with line endings normalised to
``\\n`` (an HTML page becomes its text, one line per block element, table cells joined by
`` | ``). Concatenated, the pieces are the document's text, which every raw offset indexes,
exactly as ``read_document`` would give it for a plain-text file. A file over EPW_STREAM_MAX_MB
is refused before it is read. PDF and DOCX files are never streamed (their libraries read them
whole): they stay under EPW_DOC_MAX_MB.

An HTML page read this way keeps all of its body's text: the main-text extraction of
etl/ingest/html.py needs the whole tree, so the page's chrome is left to the clean stage.
"""
from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from etl import config
from etl.ingest.decode import choose_codec, declared_charset, looks_like_utf16
from etl.ingest.detect import detect_format, sniff_head
from etl.ingest.limits import MB, LimitError, mb
from etl.model import IngestError

BLOCK_BYTES = 1 << 20       # bytes read and decoded at a time
HEAD_BYTES = 1 << 20        # the start of the file the format and the encoding are chosen from

_SKIPPED = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "embed"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "option",
    "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul"}
_CELLS = {"td", "th"}


@dataclass
class TextStream:
    """A large text or HTML file, opened for reading in pieces."""

    path: str
    format: str                 # 'txt' or 'html'
    sha256: str
    size_bytes: int
    codec: str                  # the Python codec that decodes it
    bom: int                    # bytes of byte-order mark skipped
    encoding: str               # as RawDocument.encoding says it
    title: str | None = None
    warnings: list[str] = field(default_factory=list)   # damage found while reading (filled as it is read)

    def pieces(self) -> Iterator[str]:
        """The document's text, a piece at a time."""
        decoded = self._decoded()
        if self.format == "html":
            decoded = _html_text(decoded, self)
        yield from decoded

    def _decoded(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self.codec)("replace")
        genuine = "\ufffd".encode(self.codec, "ignore")   # U+FFFD the file itself holds: no damage
        replaced = 0
        carry = ""      # a '\r' at the end of a block: '\r\n' may straddle two blocks
        with open(self.path, "rb") as f:
            f.seek(self.bom)
            while True:
                block = f.read(BLOCK_BYTES)
                text = carry + decoder.decode(block, final=not block)
                replaced += text.count("\ufffd") - (block.count(genuine) if genuine else 0)
                carry = ""
                if block and text.endswith("\r"):
                    text, carry = text[:-1], "\r"
                if text:
                    yield text.replace("\r\n", "\n").replace("\r", "\n")
                if not block:
                    break
        if replaced > 0:
            self.warnings.append(f"{replaced} invalid byte sequence(s) of the file were replaced with U+FFFD")


def streams(path: str) -> bool:
    """Whether the file at path is large enough to be read in pieces (and not a PDF or DOCX)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return False
    if size <= config.setting_int("EPW_STREAM_MB") * MB:
        return False
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    try:
        return detect_format(head, path) in ("txt", "html")
    except IngestError:
        return False


def open_stream(path: str) -> TextStream:
    """Hash the file, choose its format and decoding; raises IngestError (LimitError over
    EPW_STREAM_MAX_MB). Call when `streams(path)`."""
    try:
        size = os.stat(path).st_size
        if size > config.setting_int("EPW_STREAM_MAX_MB") * MB:
            raise LimitError("EPW_STREAM_MAX_MB", f"the file is {mb(size)}")
        digest, utf8, head, size = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")("strict"), b"", 0
        is_utf8 = True
        with open(path, "rb") as f:
            while block := f.read(BLOCK_BYTES):
                if len(head) < HEAD_BYTES:
                    head += block[:HEAD_BYTES - len(head)]
                digest.update(block)
                size += len(block)
                if size > config.setting_int("EPW_STREAM_MAX_MB") * MB:   # it grew while read
                    raise LimitError("EPW_STREAM_MAX_MB", f"the file is over {mb(size)}")
                if is_utf8:
                    try:
                        utf8.decode(block)
                    except UnicodeDecodeError:
                        is_utf8 = False
    except OSError as exc:
        raise IngestError(f"cannot read the file: {exc.strerror or exc}") from None
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    fmt = detect_format(head, path)
    declared = declared_charset(sniff_head(head)) if fmt == "html" else None
    if looks_like_utf16(head[:65536]):
        is_utf8 = False
    codec, bom, label = choose_codec(head, is_utf8, declared)
    return TextStream(path, fmt, digest.hexdigest(), size, codec, bom, label)


class _HtmlText:
    """lxml parser target: the text of an HTML page, one line per block, cells joined by ' | '."""

    def __init__(self):
        self.out: list[str] = []
        self.skip = 0
        self.in_title = False
        self.title: list[str] = []
        self.cells = 0

    def start(self, tag, attrib):
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _SKIPPED:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag in _CELLS:
            if self.cells:
                self.out.append(" | ")
            self.cells += 1
        elif tag in _BLOCKS:
            self.out.append("\n")
            if tag == "tr":
                self.cells = 0

    def end(self, tag):
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCKS:
            self.out.append("\n")

    def data(self, text):
        if self.in_title:
            self.title.append(text)
        elif not self.skip:
            self.out.append(" ".join(text.split("\n")) if "\n" in text else text)

    def comment(self, text):
        pass

    def close(self):
        return None

    def take(self) -> str:
        text, self.out = "".join(self.out), []
        return text


def _html_text(decoded: Iterator[str], stream: TextStream) -> Iterator[str]:
    target = _HtmlText()
    parser = etree.HTMLParser(target=target, recover=True, no_network=True, huge_tree=True)
    last_newline = True
    for piece in decoded:
        parser.feed(piece)
        if stream.title is None and target.title and not target.in_title:
            stream.title = " ".join("".join(target.title).split()) or None
        text = target.take()
        if text:
            # runs of blank lines collapse, as in read_html's lines
            text = _squeeze(text, last_newline)
            if text:
                last_newline = text.endswith("\n")
                yield text
    parser.close()
    if text := _squeeze(target.take(), last_newline):
        yield text


def _squeeze(text: str, after_newline: bool) -> str:
    lines = [line.strip() for line in text.split("\n")]
    out = "\n".join(line for line in lines if line)
    if not out:
        return "\n" if text and not after_newline and "\n" in text else ""
    if text.endswith("\n") or not lines[-1]:
        out += "\n"
    if not after_newline and (text.startswith("\n") or not lines[0]):
        out = "\n" + out
    return out
