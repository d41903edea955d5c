"""Document text as safe HTML with values marked by their offsets.

Offsets index the unescaped text, so the text is cut at every span boundary
first and each piece escaped on its own; nothing from a document reaches the
page unescaped. Overlapping spans keep the first (leftmost) one.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

MARK_STYLE = "background:#ffe58f;padding:0 1px;border-radius:2px"
MARK_SELECTED_STYLE = "background:#fa8c16;color:#fff;padding:0 2px;border-radius:2px;font-weight:600"
EVIDENCE_STYLE = "background:#e6f4ff;border-bottom:2px solid #91caff"
PARAGRAPH_STYLE = "margin:0 0 .8em 0;line-height:1.8;scroll-margin-top:5rem"
PARAGRAPH_TARGET_STYLE = PARAGRAPH_STYLE + ";background:#fffbe6;border-left:4px solid #fa8c16;padding:.4em .6em"
SEQ_STYLE = "color:#8c8c8c;font-size:.75em;margin-right:.5em;text-decoration:none"


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    title: str = ""        # shown on hover
    selected: bool = False


def highlight(text: str, marks: list[Mark] = (), evidence: tuple[int, int] | None = None) -> str:
    """`text` escaped, each mark wrapped in <mark title=…>, the evidence sentence underlaid."""
    n = len(text)
    kept: list[Mark] = []
    for m in sorted(marks, key=lambda m: (m.start, m.end)):
        start, end = max(0, m.start), min(n, m.end)
        if start >= end or (kept and start < kept[-1].end):
            continue
        kept.append(Mark(start, end, m.title, m.selected))
    ev = (max(0, evidence[0]), min(n, evidence[1])) if evidence else None
    if ev and ev[0] >= ev[1]:
        ev = None

    cuts = {0, n}
    for m in kept:
        cuts.update((m.start, m.end))
    if ev:
        cuts.update(ev)
    bounds = sorted(cuts)

    out = []
    for a, b in zip(bounds, bounds[1:]):
        piece = html.escape(text[a:b])
        mark = next((m for m in kept if m.start <= a and b <= m.end), None)
        if mark:
            style = MARK_SELECTED_STYLE if mark.selected else MARK_STYLE
            piece = f'<mark title="{html.escape(mark.title)}" style="{style}">{piece}</mark>'
        if ev and ev[0] <= a and b <= ev[1]:
            piece = f'<span style="{EVIDENCE_STYLE}">{piece}</span>'
        out.append(piece)
    return "".join(out)


def paragraph_block(seq: int, body_html: str, href: str, *, target: bool = False) -> str:
    """One paragraph with an anchor id (p-<seq>) and a ¶ permalink in front."""
    style = PARAGRAPH_TARGET_STYLE if target else PARAGRAPH_STYLE
    return (f'<p id="p-{seq}" style="{style}">'
            f'<a href="{html.escape(href)}" target="_self" style="{SEQ_STYLE}" '
            f'title="¶{seq}">¶{seq}</a>{body_html}</p>')
