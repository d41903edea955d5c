"""Highlighting and snippets of search hits (etl/warehouse/search/query.py uses them; no database).

    highlight_spans(text, terms) -> [(start, end), ...]
    snippet_html(text, terms, width=120) -> str

Snippets are HTML-escaped piece by piece, <mark> inserted by offsets, so nothing from a
document or the query reaches the page as markup.
"""
from __future__ import annotations

import html

SNIPPET_CHARS = 120
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def highlight_spans(text: str, terms) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) offsets of every occurrence of every term in `text`
    (ASCII letters in either case). Offsets index `text`, and so also the display text
    when `text` is its simplified twin (same length)."""
    folded = text.translate(_ASCII_LOWER)
    found = []
    for term in terms:
        t = (term.text if hasattr(term, "text") else str(term)).translate(_ASCII_LOWER)
        if not t:
            continue
        i = folded.find(t)
        while i >= 0:
            found.append((i, i + len(t)))
            i = folded.find(t, i + 1)
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _window(n: int, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """[a, b) of `width` characters: the window that shows the most highlighted characters,
    the earliest of equals, with the hit a third of the way in."""
    if n <= width:
        return 0, n
    best, best_cov = 0, -1
    for s, _ in spans[:50] or [(0, 0)]:
        a = max(0, min(s - width // 3, n - width))
        cov = sum(max(0, min(e, a + width) - max(x, a)) for x, e in spans)
        if cov > best_cov:
            best, best_cov = a, cov
    return best, best + width


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[str, str]:
    """(html, plain) of about `width` characters around the first span."""
    a, b = _window(len(text), spans, width)
    out, cur = [], a
    for s, e in spans:
        s, e = max(s, a), min(e, b)
        if s >= e:
            continue
        out.append(html.escape(text[cur:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cur = e
    out.append(html.escape(text[cur:b]))
    pre, post = ("…" if a > 0 else ""), ("…" if b < len(text) else "")
    return pre + "".join(out) + post, pre + text[a:b] + post


def snippet_html(text: str, terms, width: int = SNIPPET_CHARS, simplified: str | None = None) -> str:
    """Escaped snippet of `text` around the first occurrence of a term, occurrences in <mark>.
    `simplified`: text's simplified twin to match in (same length), when text is traditional."""
    return snippet(text, highlight_spans(simplified if simplified is not None else text, terms), width)[0]
