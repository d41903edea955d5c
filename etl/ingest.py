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

import codecs
import datetime as _dt
import hashlib
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Iterator, NamedTuple

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData
from lxml import etree

from etl.model import IngestError, RawDocument

__all__ = ["read_document", "detect_format", "decode_text", "DecodedText"]


# ---------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------

def read_document(path: str | os.PathLike) -> RawDocument:
    """Read the file at ``path`` into a RawDocument, or raise IngestError."""
    name = os.fsdecode(path)
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file: {exc.strerror or exc}") from None

    fmt = detect_format(data, name)
    common = dict(path=name, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data))
    if fmt == "pdf":
        return RawDocument(format="pdf", **_read_pdf(data), **common)
    if fmt == "docx":
        return RawDocument(format="docx", **_read_docx(data), **common)

    head = _sniff_head(data)
    declared = _declared_charset(head) if fmt == "html" else None
    decoded = decode_text(data, declared=declared)
    if fmt == "html":
        fields = _read_html(decoded.text)
        return RawDocument(format="html", encoding=decoded.encoding,
                           warnings=list(decoded.warnings), **fields, **common)
    if not decoded.text.strip():
        raise IngestError("the file contains only whitespace")
    return RawDocument(format="txt", text=decoded.text, encoding=decoded.encoding,
                       warnings=list(decoded.warnings), **common)


# ---------------------------------------------------------------------------
# format detection
# ---------------------------------------------------------------------------

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
    return "html" if _looks_like_html(_sniff_head(data), suffix) else "txt"


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
        content_types = (package.read("[Content_Types].xml")
                         if "[Content_Types].xml" in names else b"")
    except Exception as exc:   # zipfile raises many kinds (BadZipFile, zlib.error, NotImplementedError...)
        head = data[:_SAMPLE_BYTES]
        if suffix == ".docx" or b"word/" in head:
            raise IngestError(f"corrupt DOCX: not a readable ZIP package, truncated? ({exc})") from None
        raise IngestError("unsupported file type (looks like a damaged ZIP archive)") from None
    if "word/document.xml" in names or b"wordprocessingml.document.main" in content_types:
        return
    other = _zip_kind(names)
    if other:
        raise IngestError(f"unsupported file type (looks like {other})")
    if suffix == ".docx" or content_types or any(n.startswith("word/") for n in names):
        raise IngestError("corrupt DOCX: the package has no word/document.xml")
    raise IngestError("unsupported file type (looks like a ZIP archive)")


def _sniff_head(data: bytes, size: int = 4096) -> str:
    """The start of the file as text, good enough to look for ASCII markup."""
    head = data[:size]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(head):
        codec = _utf16_codec(head)
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
    starts_with_tag = head.lstrip("\ufeff\xef\xbb\xbf \t\r\n").startswith("<")
    # A fragment opens with a tag; scraped text full of leftover tags is better
    # read as HTML than with the tags in it. A tag or two in prose is not HTML.
    return (starts_with_tag and n_tags >= 2) or n_tags >= 5


# ---------------------------------------------------------------------------
# text decoding
# ---------------------------------------------------------------------------

class DecodedText(NamedTuple):
    text: str                 # line endings normalised to \n
    encoding: str             # 'utf-8', 'utf-8-sig', 'gb18030', 'big5' or 'utf-16'
    warnings: tuple[str, ...]  # damage that was repaired, with byte offsets


# Python codec used to decode -> the label stored in RawDocument.encoding.
# cp950 is Big5 as Windows (and so most Big5 files) actually writes it.
_LABELS = {"utf-8": "utf-8", "gb18030": "gb18030", "cp950": "big5",
           "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
_CODEC_NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030", "cp950": "Big5",
                "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}
# Candidates in order of preference when two decodings score the same:
# mainland reports are GB18030 far more often than Big5.
_CANDIDATES = ("utf-8", "gb18030", "cp950", "utf-16-le", "utf-16-be")

_SAMPLE_BYTES = 64 * 1024
_MAX_CONTROL_SHARE = 0.02   # real text has (almost) no control characters
_MIN_READABLE = 0.5         # below this share of plausible characters it is not text
_DECLARED_BONUS = 0.1       # a <meta charset> breaks near-ties in its favour
_MAX_LISTED_OFFSETS = 5

# Control bytes that never occur in text (tab, LF, VT, FF, CR are allowed).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_CHAR_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Characters that are never part of a correct decoding of Chinese text.
_BAD_CHAR_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
# Non-Han characters a Chinese report is made of: ASCII, CJK and full-width
# punctuation, and the usual symbols (°, ×, ‰, ℃, Ⅰ, ①, ㈠ ...).
_GOOD_NON_HAN_RE = re.compile(
    "[\t\n\x0b\x0c\r\x20-\x7e\u00a0\u00b0\u00b1\u00b7\u00d7\u00f7\u2010-\u2027\u2030-\u2033"
    "\u2103\u2160-\u216b\u2460-\u249b\u3000-\u303f\u3220-\u3229\uff01-\uff5e]")


def _common_han() -> frozenset[str]:
    """The Han characters common in either script, derived from the codecs.

    GB2312 level 1 (B0A1-D7F9) holds the 3,755 most used simplified
    characters and Big5 A440-C67E the 5,401 common traditional ones. A wrong
    decoding of Chinese bytes lands mostly outside these sets (in rare
    characters, private-use code points or errors).
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (lead << 8 | trail) <= 0xC67E:
                try:
                    chars.add(bytes((lead, trail)).decode("big5"))
                except UnicodeDecodeError:
                    pass
    return frozenset(chars)


_COMMON_HAN = _common_han()


def _readability(text: str) -> tuple[float, float]:
    """(share of plausible characters, share of impossible ones) in text."""
    if not text:
        return 0.0, 0.0
    good = sum(map(_COMMON_HAN.__contains__, text)) + len(_GOOD_NON_HAN_RE.findall(text))
    bad = len(_BAD_CHAR_RE.findall(text))
    return good / len(text), bad / len(text)


def _score(text: str) -> float:
    good, bad = _readability(text)
    return good - 3 * bad


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _looks_like_utf16(sample: bytes) -> bool:
    """NUL bytes in one parity only: ASCII characters written as UTF-16."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    return max(even, odd) >= 0.05 * half and min(even, odd) <= 0.25 * max(even, odd)


def _utf16_codec(sample: bytes) -> str:
    if sample.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if sample.startswith(b"\xfe\xff"):
        return "utf-16-be"
    # 'A' is 41 00 in little endian: the NULs sit at odd offsets.
    return "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"


def _decode_prefix(sample: bytes, codec: str) -> str:
    """Decode a sample, ignoring a character cut off at the sample's end."""
    return codecs.getincrementaldecoder(codec)("replace").decode(sample, final=False)


def decode_text(data: bytes, declared: str | None = None) -> DecodedText:
    """Decode the bytes of a text (or HTML) file.

    ``declared`` is the charset an HTML page declares ('gbk', 'big5',
    'utf-8'...); it wins near-ties but never over what the bytes say.

    Order: a BOM decides; then strict UTF-8 (legacy Chinese text is
    practically never valid UTF-8, so this is safe and fast for big files);
    then every candidate decoding of a 64 KB sample taken where the non-ASCII
    text starts is scored by the share of plausible characters (common Han
    characters of either script, ASCII, CJK punctuation) minus a penalty for
    impossible ones (replacement characters, private-use code points,
    controls). GBK and Big5 bytes usually both decode, but the wrong one
    yields rare characters, private-use code points or errors, so it scores
    lower. Raises IngestError when the bytes are not text.
    """
    if not data:
        raise IngestError("empty file")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise IngestError("unsupported text encoding: UTF-32 (save it as UTF-8)")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_whole(data, "utf-8", bom=3, label="utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_whole(data, _utf16_codec(data), bom=2, label="utf-16")

    head = data[:_SAMPLE_BYTES]
    if _control_share(head) <= _MAX_CONTROL_SHARE:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return DecodedText(_normalise_newlines(text), "utf-8", ())

    if declared:
        declared = _CHARSET_CODECS.get(declared.lower(), declared.lower())
    codec = _detect_codec(data, declared)
    return _decode_whole(data, codec, bom=0, label=_LABELS[codec])


def _detect_codec(data: bytes, declared: str | None) -> str:
    """Pick the candidate codec whose decoding of a sample reads best."""
    head = data[:_SAMPLE_BYTES]
    looks_utf16 = _looks_like_utf16(head)
    if not looks_utf16 and _control_share(head) > _MAX_CONTROL_SHARE:
        raise IngestError(f"not a text document: {_control_share(head):.0%} of bytes are control characters")

    first_high = re.search(rb"[\x80-\xff]", data)
    # Everything before the first non-ASCII byte is ASCII, so starting there
    # (rounded down to an even offset, for UTF-16) starts on a character.
    start = (first_high.start() & ~1) if first_high else 0
    sample = data[start:start + _SAMPLE_BYTES]

    candidates = list(_CANDIDATES)
    if not (looks_utf16 or (first_high and len(data) % 2 == 0)):
        # Without NULs, only an even length with non-ASCII bytes may be UTF-16
        # (an odd length would be a cut file, but we need the NULs to tell).
        candidates = [c for c in candidates if not c.startswith("utf-16")]

    best, best_score, best_text = None, float("-inf"), ""
    for codec in candidates:
        text = _decode_prefix(sample, codec)
        score = _score(text) + (_DECLARED_BONUS if codec == declared else 0.0)
        if score > best_score:
            best, best_score, best_text = codec, score, text

    assert best is not None
    if best_text and len(_CONTROL_CHAR_RE.findall(best_text)) / len(best_text) > _MAX_CONTROL_SHARE:
        share = _control_share(head)
        raise IngestError(f"not a text document: {share:.0%} of bytes are control characters")
    readable, _ = _readability(best_text)
    if readable < _MIN_READABLE:
        raise IngestError(
            "not a text document: it does not read as UTF-8, GB18030, Big5 or UTF-16 text "
            f"(best guess {_CODEC_NAMES[best]}, {readable:.0%} of characters plausible)")
    return best


def _decode_whole(data: bytes, codec: str, bom: int, label: str) -> DecodedText:
    """Decode all of data[bom:], repairing damage and saying where it was."""
    body = data[bom:]
    decoder = codecs.getincrementaldecoder(codec)("replace")
    text = decoder.decode(body, final=False)
    pending = len(decoder.getstate()[0])   # an incomplete character at the end
    warnings: list[str] = []
    name = _CODEC_NAMES[codec]

    n_replaced = text.count("\ufffd") - _genuine_replacement_chars(body, codec)
    if n_replaced > max(8, 0.2 * len(text)):
        # Damage on this scale is not a damaged text but another kind of file
        # (a BOM is no proof: some tools prepend one to anything).
        raise IngestError(f"not a text document: {n_replaced / max(1, len(text)):.0%} "
                          f"of it is not valid {name}")
    sample = text[:_SAMPLE_BYTES]
    if sample and len(_CONTROL_CHAR_RE.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE:
        raise IngestError(f"not a text document: decoded as {name} it is full of control characters")
    if n_replaced > 0:
        offsets = _error_offsets(body[:len(body) - pending], codec, _MAX_LISTED_OFFSETS)
        if offsets:   # n_replaced is an estimate; the offsets are exact
            n = max(n_replaced, len(offsets))
            where = ", ".join(str(bom + o) for o in offsets)
            more = f" (and {n - len(offsets)} more)" if n > len(offsets) else ""
            plural = "s" if n > 1 else ""
            warnings.append(f"{n} invalid {name} byte sequence{plural} replaced with U+FFFD, "
                            f"at byte offset{'s' if len(offsets) > 1 else ''} {where}{more}")
    if pending:
        at = len(data) - pending
        warnings.append(f"file ends mid-character (truncated?): the last {pending} byte(s), "
                        f"from byte offset {at}, are an incomplete {name} character and were dropped")
    return DecodedText(_normalise_newlines(text), label, tuple(warnings))


def _genuine_replacement_chars(body: bytes, codec: str) -> int:
    """U+FFFD characters the file itself contains (not decoding errors)."""
    try:
        encoded = "\ufffd".encode(codec)
    except UnicodeEncodeError:
        return 0
    return body.count(encoded)


def _error_offsets(body: bytes, codec: str, limit: int) -> list[int]:
    """Byte offsets of the first ``limit`` decoding errors (strict re-decodes)."""
    offsets: list[int] = []
    pos = 0
    while pos < len(body) and len(offsets) < limit:
        try:
            codecs.decode(body[pos:], codec)
            break
        except UnicodeDecodeError as exc:
            offsets.append(pos + exc.start)
            pos += max(exc.end, exc.start + 1)
    return offsets


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

_META_CHARSET_RE = re.compile(
    r"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I)
_CHARSET_CODECS = {
    "utf-8": "utf-8", "utf8": "utf-8",
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
    "cp936": "gb18030", "windows-936": "gb18030", "euc-cn": "gb18030", "csgb2312": "gb18030",
    "big5": "cp950", "big5-hkscs": "cp950", "big5hkscs": "cp950", "cp950": "cp950",
    "x-x-big5": "cp950", "windows-950": "cp950",
}


def _declared_charset(head: str) -> str | None:
    """The supported codec a page declares in <meta charset> / <?xml encoding>, if any."""
    match = _META_CHARSET_RE.search(head)
    if not match:
        return None
    return _CHARSET_CODECS.get((match.group(1) or match.group(2)).lower())


# Never text: removed before anything else.
_JUNK_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "object", "embed",
              "canvas", "select", "button", "input", "textarea", "map", "audio", "video",
              "head", "title", "meta", "link"]
# Page structure that is chrome unless it holds most of the page (see _drop_chrome).
_CHROME_TAGS = ["nav", "aside", "footer", "form", "header"]
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
# id/class words (split on _, -, camelCase) that name chrome. Pinyin ones are
# what Chinese government CMSes use: 导航, 当前位置, 分享, 评论, 版权, 底部.
_CHROME_WORDS = {
    "nav", "navbar", "navigation", "subnav", "topnav", "menu", "menus", "submenu", "footer",
    "foot", "sidebar", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "share", "sharing",
    "bdshare", "social", "comment", "comments", "copyright", "advert", "advertisement", "ads",
    "banner", "toolbar", "pager", "pagination", "login", "gotop", "backtop", "related",
    "recommend", "skip", "daohang", "dqwz", "weizhi", "fenxiang", "pinglun", "banquan", "dibu",
    "tools", "xgxx", "xgwz", "xglj",   # 打印/关闭 tools; 相关信息/文章/链接
}
# Page header words: only chrome when no content container was found, since
# "article-header" inside the content is the title block.
_HEADER_WORDS = {"header", "topbar", "masthead", "top"}
# id/class words of the element that holds the article (TRS_Editor, zoom and
# pages_content are common in Chinese government sites).
_CONTENT_WORDS = {"content", "contents", "article", "detail", "details", "zoom", "trs",
                  "neirong", "zhengwen", "wenzhang", "post", "entry", "story", "text", "txt",
                  "main", "body"}
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
    "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}
_WHITESPACE_RE = re.compile(r"[ \t\n\r\f]+")
# Meta names/properties of the publication date, normalised to lowercase
# letters, best first. PubDate / firstpublishedtime are the Chinese CMS ones.
_DATE_META = ["articlepublishedtime", "pubdate", "publishdate", "publishtime", "publishedtime",
              "firstpublishedtime", "publicationdate", "datepublished", "dctermsissued",
              "dcdateissued", "dcdate", "dctermsdate", "dctermscreated", "date"]
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|(?<!\d)(\d{4})(\d{2})(\d{2})")


def _read_html(markup: str) -> dict:
    """Main text, title and publication date of an HTML page."""
    soup = BeautifulSoup(markup, "lxml")
    title = _clean_inline(soup.title.get_text()) if soup.title else ""
    published = _html_published(soup)

    body = soup.body or soup
    for tag in body.find_all(_JUNK_TAGS):
        tag.decompose()
    for node in body.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()

    lengths = _TextLengths()
    _drop_chrome(body, lengths, words=_CHROME_WORDS)
    root = _main_container(body, lengths)
    if root is body:
        _drop_chrome(body, lengths, words=_HEADER_WORDS, semantic=False)
    if not title:
        h1 = root.find("h1") or body.find("h1")
        title = _clean_inline(h1.get_text()) if h1 else ""

    text = "\n".join(_render_lines(root))
    if not text.strip():
        raise IngestError("the HTML page has no text (content loaded by JavaScript?)")
    return {"text": text, "title": title or None, "published": published}


class _TextLengths:
    """Non-whitespace text length of elements, memoised (the tree only shrinks
    between uses, and only outside the elements measured again)."""

    def __init__(self) -> None:
        self._cache: dict[int, int] = {}

    def __call__(self, el: Tag) -> int:
        key = id(el)
        if key not in self._cache:
            self._cache[key] = len(_WHITESPACE_RE.sub("", el.get_text()).replace("\u3000", ""))
        return self._cache[key]

    def forget(self) -> None:
        self._cache.clear()


def _attr_words(el: Tag) -> set[str]:
    values = [el.get("id") or ""]
    classes = el.get("class") or []
    values.extend(classes if isinstance(classes, list) else [classes])
    return {w.lower() for v in values for w in _WORD_RE.findall(str(v))}


def _is_contentish(el: Tag) -> bool:
    if el.name in ("article", "main") or el.get("role") == "main":
        return True
    names = " ".join(el.get("class") or []) + " " + (el.get("id") or "")
    return bool(_attr_words(el) & _CONTENT_WORDS) or "trs_editor" in names.lower()


def _inside_content(el: Tag) -> bool:
    return any(_is_contentish(p) for p in el.parents if isinstance(p, Tag))


def _drop_chrome(body: Tag, lengths: _TextLengths, words: set[str], semantic: bool = True) -> None:
    """Remove navigation, footers, share bars... but never most of the page.

    An element that holds more than half the page's text is not chrome
    whatever it is called (ASP.NET sites wrap the whole page in a <form>),
    and <article>/<main> and their ancestors are always kept.
    """
    total = lengths(body)
    protected = set()
    for kept in body.find_all(["article", "main"]):
        protected.add(id(kept))
        protected.update(id(parent) for parent in kept.parents)
    doomed = []
    for el in body.find_all(True):
        if id(el) in protected:
            continue
        chrome = bool(_attr_words(el) & words)
        if semantic:
            chrome = (chrome
                      or (el.name in _CHROME_TAGS and not (el.name == "header" and _inside_content(el)))
                      or el.get("role") in _CHROME_ROLES
                      or el.has_attr("hidden")
                      or bool(_HIDDEN_STYLE_RE.search(el.get("style") or "")))
        if chrome and lengths(el) <= 0.5 * total:
            doomed.append(el)
    for el in doomed:
        if not el.decomposed:
            el.decompose()
    lengths.forget()


def _main_container(body: Tag, lengths: _TextLengths) -> Tag:
    """The element holding the article, or body when none stands out.

    The innermost content-like element with at least half the page's text is
    the article body; it is widened to ancestors that add little text (the
    title, date and source lines that sit just above a TRS_Editor div).
    """
    total = lengths(body)
    if total == 0:
        return body
    holding = [el for el in body.find_all(True)
               if _is_contentish(el) and lengths(el) >= 0.5 * total]
    if not holding:
        return body
    best = min(holding, key=lengths)   # they nest, so the smallest is innermost
    limit = lengths(best) * 1.25 + 100
    root = best
    for parent in best.parents:
        if parent is body or not isinstance(parent, Tag) or lengths(parent) > limit:
            break
        root = parent
    return root


class _LineBuilder:
    """Collects inline text into lines, collapsing HTML whitespace."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._parts: list[str] = []

    def add(self, text: str) -> None:
        self._parts.append(text)

    def add_line(self, line: str) -> None:
        self.end_line()
        self.lines.append(line)

    def end_line(self) -> None:
        if self._parts:
            line = re.sub(r" {2,}", " ", "".join(self._parts)).strip(" ")
            self._parts = []
            if line.strip():    # drop lines of only &nbsp; / full-width spaces
                self.lines.append(line)


def _render_lines(root: Tag) -> list[str]:
    """The text of root as lines: blocks and <br> break lines, table rows
    become 'cell | cell'. Iterative, so deeply nested pages are fine."""
    out = _LineBuilder()
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            out.end_line()
            continue
        if isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):
                if any(p.name == "pre" for p in node.parents if isinstance(p, Tag)):
                    for i, piece in enumerate(str(node).split("\n")):
                        if i:
                            out.end_line()
                        out.add(piece.replace("\r", ""))
                else:
                    out.add(_WHITESPACE_RE.sub(" ", str(node)))
            continue
        if not isinstance(node, Tag):
            continue
        if node.name == "br":
            out.end_line()
            continue
        if node.name == "tr":
            row = _render_row(node)
            if row is not None:
                if row:
                    out.add_line(row)
                continue
        block = node.name in _BLOCK_TAGS
        if block:
            out.end_line()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    out.end_line()
    return out.lines


def _render_row(tr: Tag) -> str | None:
    """A data row as 'a | b | c' ('' when empty), or None for a layout row
    (one cell, or cells holding tables or long text) to render as blocks."""
    # Plain loops: bs4's find_all is slow when called once per row.
    cells = [c for c in tr.children if isinstance(c, Tag) and c.name in ("td", "th")]
    if len(cells) < 2 or any(isinstance(d, Tag) and d.name == "table"
                             for cell in cells for d in cell.descendants):
        return None
    texts = [" ".join(_render_lines(cell)) for cell in cells]
    if any(len(t) > 300 for t in texts):
        return None
    return " | ".join(texts) if any(texts) else ""


def _clean_inline(text: str) -> str:
    return " ".join(text.split())


def _html_published(soup: BeautifulSoup) -> str | None:
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        content = meta.get("content")
        if not content:
            continue
        for attr in ("name", "property", "itemprop", "http-equiv"):
            key = re.sub(r"[^a-z]", "", str(meta.get(attr) or "").lower())
            if key and key not in found:
                found[key] = str(content)
    for key in _DATE_META:
        if key in found and (date := _parse_date(found[key])):
            return date
    return None


def _parse_date(value: str) -> str | None:
    """'2024-01-24 10:00', '2024年1月24日', 'D:20240124…' -> '2024-01-24'."""
    match = _DATE_RE.search(value)
    if not match:
        return None
    y, m, d = (g for g in match.groups() if g is not None)
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------

def _read_docx(data: bytes) -> dict:
    """Body paragraphs and tables of a DOCX in document order, and its title.
    (detect_format has already checked that this is a DOCX package.)"""
    import docx  # python-docx; imported here so text-only use does not need it

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_lines(document.element.body, document))
        title = (document.core_properties.title or "").strip()
    except Exception as exc:   # python-docx/lxml/zipfile raise many kinds on damage
        message = str(exc).strip() or type(exc).__name__
        if "is not a Word file" in message:
            raise IngestError(f"unsupported DOCX variant: {message}") from None
        raise IngestError(f"corrupt DOCX: {message}") from None

    text = _normalise_newlines("\n".join(lines))
    if not text.strip():
        raise IngestError("the DOCX has no text (only images?)")
    return {"text": text, "title": title or None}


def _zip_kind(names: set[str]) -> str | None:
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook (.xlsx)"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint presentation (.pptx)"
    if "OFD.xml" in names:
        return "an OFD document"
    if "mimetype" in names and "content.xml" in names:
        return "an OpenDocument file"
    return None


def _docx_blocks(container, parent) -> Iterator[object]:
    """Paragraph elements (w:p) and Tables directly in container, in order,
    looking through content controls (w:sdt) that python-docx skips."""
    from docx.oxml.ns import qn
    from docx.table import Table

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield child
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_blocks(content, parent)


def _docx_lines(container, parent) -> Iterator[str]:
    from docx.table import Table

    for block in _docx_blocks(container, parent):
        if isinstance(block, Table):
            yield from _docx_table_lines(block)
        else:
            yield _docx_paragraph_text(block)


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

# All run content of the paragraph, also inside tracked insertions, inline
# content controls, smart tags and fields, which Paragraph.text skips; not
# text boxes (their own paragraphs) nor mc:Fallback (a copy of mc:Choice).
# Deleted text is w:delText, so it is left out by construction.
_RUN_CONTENT = etree.XPath(
    ".//*[self::w:t or self::w:tab or self::w:ptab or self::w:br or self::w:cr"
    " or self::w:noBreakHyphen][not(ancestor::w:txbxContent) and not(ancestor::mc:Fallback)]",
    namespaces={"w": _W_NS, "mc": _MC_NS})


def _docx_paragraph_text(p) -> str:
    # python-docx's element classes render w:tab as \t, a line break as \n, etc.
    return "".join(str(el) for el in _RUN_CONTENT(p))


def _docx_table_lines(table) -> Iterator[str]:
    for row in table.rows:
        try:
            cells = row.cells
        except Exception:   # malformed grid spans: fall back to the raw cells
            from docx.table import _Cell
            cells = [_Cell(tc, table) for tc in row._tr.tc_lst]
        distinct = []
        for cell in cells:
            # A horizontally merged cell is returned once per grid column.
            if not distinct or cell._tc is not distinct[-1]._tc:
                distinct.append(cell)
        if len(distinct) == 1:
            # A one-cell row is a frame around text, not data: keep its lines.
            yield from _docx_lines(distinct[0]._tc, distinct[0])
            continue
        texts = [" ".join(t for t in _docx_lines(c._tc, c) if t.strip()) for c in distinct]
        if any(t.strip() for t in texts):
            yield " | ".join(t.replace("\n", " ") for t in texts)


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------

def _read_pdf(data: bytes) -> dict:
    """The text layer of a PDF, page by page, with metadata title and date."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    # A complete PDF ends with %%EOF (give or take trailing junk).
    truncated = b"%%EOF" not in data[-2048:]
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")   # owner-password-only PDFs open with ''
            except DependencyError as exc:
                raise IngestError(f"encrypted PDF that needs an extra package to decrypt: {exc}") from None
            if not opened:
                raise IngestError("encrypted PDF: it needs a password to open")
        pages = list(reader.pages)
    except IngestError:
        raise
    except FileNotDecryptedError:
        raise IngestError("encrypted PDF: it needs a password to open") from None
    except Exception as exc:   # pypdf raises many kinds on damaged files
        reason = str(exc).strip() or type(exc).__name__
        if truncated:
            reason = f"the file is truncated (no %%EOF at its end): {reason}"
        raise IngestError(f"corrupt PDF: {reason}") from None
    if not pages:
        raise IngestError("corrupt PDF: it has no pages")

    texts: list[str] = []
    warnings: list[str] = []
    failed: list[int] = []
    for number, page in enumerate(pages, start=1):
        try:
            raw = page.extract_text() or ""
        except Exception:
            failed.append(number)
            raw = ""
        # NUL comes from fonts whose encoding pypdf misreads; it is never text.
        texts.append(_normalise_newlines(raw).replace("\x00", ""))

    if not any(t.strip() for t in texts):
        if failed and len(failed) == len(pages):
            raise IngestError("corrupt PDF: no page's text could be read")
        raise IngestError("PDF has no text layer (a scanned image?); OCR is not supported")
    if truncated:
        warnings.append("the file looks truncated (no %%EOF at its end); text may be incomplete")
    if failed:
        warnings.append(f"text of page(s) {_list_numbers(failed)} could not be extracted")
    blank = [n for n, t in enumerate(texts, start=1) if not t.strip() and n not in failed]
    if blank:
        warnings.append(f"page(s) {_list_numbers(blank)} have no text layer (scanned?)")

    page_starts, offset = [], 0
    for t in texts:
        page_starts.append(offset)
        offset += len(t) + 1   # the "\n" that joins pages
    title, published = _pdf_metadata(reader)
    return {"text": "\n".join(texts), "page_starts": page_starts, "title": title,
            "published": published, "warnings": warnings}


def _pdf_metadata(reader) -> tuple[str | None, str | None]:
    try:
        meta = reader.metadata
        if not meta:
            return None, None
        title = str(meta.get("/Title") or "").strip() or None
        created = str(meta.get("/CreationDate") or "")
    except Exception:   # damaged info dictionary: the text is what matters
        return None, None
    return title, _parse_date(created) if created else None


def _list_numbers(numbers: list[int], limit: int = 10) -> str:
    shown = ", ".join(map(str, numbers[:limit]))
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")
