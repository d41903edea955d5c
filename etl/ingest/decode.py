"""Text encodings: BOM, strict UTF-8, else the best-scoring decoding of a sample (see decode_text)."""
from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from etl.model import IngestError


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

SAMPLE_BYTES = 64 * 1024
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


def looks_like_utf16(sample: bytes) -> bool:
    """NUL bytes in one parity only: ASCII characters written as UTF-16."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    return max(even, odd) >= 0.05 * half and min(even, odd) <= 0.25 * max(even, odd)


def utf16_codec(sample: bytes) -> str:
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
        return _decode_whole(data, utf16_codec(data), bom=2, label="utf-16")

    head = data[:SAMPLE_BYTES]
    if _control_share(head) <= _MAX_CONTROL_SHARE:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return DecodedText(normalise_newlines(text), "utf-8", ())

    if declared:
        declared = CHARSET_CODECS.get(declared.lower(), declared.lower())
    codec = _detect_codec(data, declared)
    return _decode_whole(data, codec, bom=0, label=_LABELS[codec])


def choose_codec(head: bytes, is_utf8: bool, declared: str | None = None) -> tuple[str, int, str]:
    """The decoding of a file read in pieces (etl/ingest/stream.py), as decode_text would choose it:
    (codec, BOM length, label). ``head`` is the file's first bytes (a megabyte or so), ``is_utf8``
    whether all of it is strict UTF-8. Raises IngestError as decode_text does."""
    if not head:
        raise IngestError("empty file")
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise IngestError("unsupported text encoding: UTF-32 (save it as UTF-8)")
    if head.startswith(b"\xef\xbb\xbf"):
        codec, bom, label = "utf-8", 3, "utf-8-sig"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec, bom, label = utf16_codec(head), 2, "utf-16"
    elif is_utf8 and _control_share(head[:SAMPLE_BYTES]) <= _MAX_CONTROL_SHARE:
        return "utf-8", 0, "utf-8"
    else:
        if declared:
            declared = CHARSET_CODECS.get(declared.lower(), declared.lower())
        codec = _detect_codec(head, declared)
        bom, label = 0, _LABELS[codec]
    _decode_whole(head, codec, bom, label)   # damage on the scale of another kind of file raises here
    return codec, bom, label


def _detect_codec(data: bytes, declared: str | None) -> str:
    """Pick the candidate codec whose decoding of a sample reads best."""
    head = data[:SAMPLE_BYTES]
    looks_utf16 = looks_like_utf16(head)
    if not looks_utf16 and _control_share(head) > _MAX_CONTROL_SHARE:
        raise IngestError(f"not a text document: {_control_share(head):.0%} of bytes are control characters")

    first_high = re.search(rb"[\x80-\xff]", data)
    # Everything before the first non-ASCII byte is ASCII, so starting there
    # (rounded down to an even offset, for UTF-16) starts on a character.
    start = (first_high.start() & ~1) if first_high else 0
    sample = data[start:start + SAMPLE_BYTES]

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
    sample = text[:SAMPLE_BYTES]
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
    return DecodedText(normalise_newlines(text), label, tuple(warnings))


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


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_META_CHARSET_RE = re.compile(
    r"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I)
CHARSET_CODECS = {
    "utf-8": "utf-8", "utf8": "utf-8",
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
    "cp936": "gb18030", "windows-936": "gb18030", "euc-cn": "gb18030", "csgb2312": "gb18030",
    "big5": "cp950", "big5-hkscs": "cp950", "big5hkscs": "cp950", "cp950": "cp950",
    "x-x-big5": "cp950", "windows-950": "cp950",
}


def declared_charset(head: str) -> str | None:
    """The supported codec a page declares in <meta charset> / <?xml encoding>, if any."""
    match = _META_CHARSET_RE.search(head)
    if not match:
        return None
    return CHARSET_CODECS.get((match.group(1) or match.group(2)).lower())


# Never text: removed before anything else.
