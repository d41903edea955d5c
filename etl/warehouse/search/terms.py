"""A search query -> the terms it is searched by (no database access), shared by both search paths
(etl/warehouse/search/query.py: the DuckDB tables; tantivy_search.py: the tantivy index).
How a query becomes terms, and the ranking constants: see query.py's docstring."""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field

from etl.text.normalise import normalise_width, to_simplified
from etl.warehouse.search.codec import code

K1 = 1.2
B = 0.75
MAX_QUERY_CHARS = 200
MAX_TERMS = 16
KEEP_PUNCTUATION = frozenset(".-/_#&@%")
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
QUOTES = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')


# ---- query -> terms ---------------------------------------------------------------------

def is_separator(ch: str) -> bool:
    """Spaces, controls and punctuation, except the marks that live inside terms (PM2.5, 3.5%)."""
    cat = unicodedata.category(ch)
    return cat[0] in "ZC" or (cat[0] == "P" and ch not in KEEP_PUNCTUATION)


@dataclass(frozen=True)
class Term:
    text: str                   # normalised (simplified, width-folded); matched case-insensitively for ASCII
    required: bool = True
    weight: float = 1.0         # multiplies its BM25: a chunk phrase of n words weighs n

    def parts(self) -> list[tuple[int, list[tuple[int, int]]]]:
        """[(offset, [(key_lo, key_hi)])]: the bigram keys (lo == hi) at offsets 0, 2, ..., n-2
        that cover the term, or the key range of a one-character term."""
        t = self.text
        if len(t) == 1:
            return [(0, [(code(t) << 16, (code(t) << 16) | 0xFFFF)])]
        offsets = list(range(0, len(t) - 1, 2))
        if offsets[-1] != len(t) - 2:
            offsets.append(len(t) - 2)
        return [(o, [((code(t[o]) << 16) | code(t[o + 1]),) * 2]) for o in offsets]


@dataclass
class Query:
    text: str                                   # as given
    terms: list[Term] = field(default_factory=list)                          # required, then phrases
    phrases: list[tuple[int, list[tuple[int, int]]]] = field(default_factory=list)
    # phrases[i] = (index of its Term in terms, [(index of a required term, its offset in the phrase)])

    @property
    def required(self) -> list[Term]:
        return [t for t in self.terms if t.required]

    def __bool__(self) -> bool:
        return bool(self.required)


_init_lock = threading.Lock()
_ready = False


def _jieba():
    global _ready
    import jieba
    if not _ready:
        with _init_lock:
            if not _ready:
                import logging
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def normalise(text: str) -> str:
    """The query as etl/clean.py normalises document text: width, then simplified script
    (the same functions, so both sides agree character for character)."""
    return to_simplified(normalise_width(text))


def _chunks(text: str) -> list[tuple[str, bool]]:
    """(chunk, quoted) runs of non-separator characters; quoted ones are not segmented."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in QUOTES.finditer(text):
        out += [(c, False) for c in _split(text[pos:m.start()])]
        out += [(c, True) for c in _split(next(g for g in m.groups() if g is not None))]
        pos = m.end()
    out += [(c, False) for c in _split(text[pos:])]
    return out


def _split(text: str) -> list[str]:
    chunks, cur = [], []
    for ch in text:
        if is_separator(ch):
            if cur:
                chunks.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        chunks.append("".join(cur))
    return chunks


def _is_number(s: str) -> bool:
    return bool(re.fullmatch(r"[0-9.]+|[零〇一二三四五六七八九十百千万亿两]+", s))


def _words(chunk: str) -> list[tuple[int, str]]:
    """(offset, word) of the chunk's words: jieba precise mode, one-character words glued on."""
    words, off = [], 0
    for w in _jieba().lcut(chunk, HMM=True):
        words.append([off, w])
        off += len(w)
    merged: list[list] = []
    i = 0
    while i < len(words):
        off, w = words[i]
        if len(w) == 1 and len(words) > 1 and w.isalnum():
            if merged and _is_number(merged[-1][1]):      # 2023|年 -> 2023年
                merged[-1][1] += w
            elif i + 1 < len(words):                       # 细|颗粒物 -> 细颗粒物
                words[i + 1] = [off, w + words[i + 1][1]]
            elif merged:                                   # last: onto the previous word
                merged[-1][1] += w
            else:
                merged.append([off, w])
        else:
            merged.append([off, w])
        i += 1
    return [(o, w) for o, w in merged if any(c.isalnum() for c in w)]


def prepare_query(query: str | None) -> Query:
    """The terms `query` is searched by (no database access)."""
    q = Query(text=query or "")
    text = normalise((query or "")[:MAX_QUERY_CHARS])
    required: dict[str, int] = {}
    phrase_specs: list[tuple[str, list[tuple[str, int]]]] = []
    for chunk, quoted in _chunks(text):
        if not any(c.isalnum() for c in chunk):
            continue
        words = [(0, chunk)] if quoted else _words(chunk)
        for _, w in words:
            w = w.translate(ASCII_LOWER)
            if w not in required and len(required) < MAX_TERMS:
                required[w] = len(required)
        if len(words) > 1:
            phrase_specs.append((chunk, [(w, o) for o, w in words]))
    q.terms = [Term(w) for w in required]
    seen = set()
    for chunk, members in phrase_specs:
        key = chunk.translate(ASCII_LOWER)
        members = [(w.translate(ASCII_LOWER), o) for w, o in members]
        if key in seen or key in required or any(w not in required for w, _ in members):
            continue
        seen.add(key)
        q.phrases.append((len(q.terms), [(required[w], o) for w, o in members]))
        q.terms.append(Term(key, required=False, weight=float(len(members))))
    return q
