"""Word lists as trie-shaped regular expressions.

Python's `re` tries the alternatives of `a|b|c…` one after another at every
position, so a pattern of 500 names costs 500 attempts per character. The
same names arranged as a trie (`P(?:M(?:2\\.5|10))`) cost about one attempt
per character of the match. A word that continues another (PM2.5 and
PM2.5浓度) is tried in its longer form first: the longest word wins.

The first level of a large trie still has hundreds of branches (the gazetteer's
names start with 900 different characters), which `re` walks one by one at
every position. So they are split into nested groups, each behind a lookahead
class of the first characters it holds: a binary search of class tests, about
ten per position instead of hundreds of branch tests.
"""
from __future__ import annotations

import re
from typing import Callable

_END = ""
GROUP_BRANCHES = 8   # first-level branches tried one by one; more are split into groups


def trie_pattern(words, char: Callable[[str], str] = re.escape, sep: str = "",
                 ascii_boundaries: bool = False) -> str:
    """A pattern matching any of `words`.

    char: the pattern for one character (to allow variants of it);
    sep: a pattern allowed between two characters (e.g. r'\\s*');
    ascii_boundaries: a word starting or ending with a Latin letter or digit
    must not be glued to another one (CO is not inside COP15)."""
    root: dict = {}
    for w in filter(None, words):
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[_END] = {}
    return _grouped(_branches(root, "", True, char, sep, ascii_boundaries), char)


def _grouped(branches: list[tuple[str, str]], char) -> str:
    """(first character, pattern) alternatives, in order, behind lookaheads of their first
    characters: a position none of them can start at is passed over after one class test.
    Order is kept, so the alternation means exactly what the flat one would."""
    firsts = "".join(sorted({re.escape(v) for c, _ in branches for v in _variants(char(c))}))
    if len(branches) <= GROUP_BRANCHES:
        inner = "|".join(p for _, p in branches)
    else:
        half = len(branches) // 2
        inner = _grouped(branches[:half], char) + "|" + _grouped(branches[half:], char)
    return f"(?=[{firsts}])(?:{inner})"


def _variants(pattern: str) -> list[str]:
    """The characters a one-character pattern can start with: 'x', '[Xx]', '(?:Ⅰ|I|1|一)', escapes."""
    if pattern.startswith("(?:"):
        return [alt[0] for alt in pattern[3:-1].split("|")]
    if pattern.startswith("[") and pattern.endswith("]"):
        return list(pattern[1:-1])
    return [pattern[-1]]


def _branches(node: dict, last: str, first: bool, char, sep: str, ascii_boundaries: bool) -> list[tuple[str, str]]:
    """The alternatives at a node: (character, pattern) for each child, then ('', end) if a word ends here."""
    out = []
    # reverse order puts Ⅲ (III) before Ⅰ (I): a longer spelling is tried before its prefix
    for c in sorted((k for k in node if k != _END), reverse=True):
        guard = r"(?<![A-Za-z0-9])" if first and ascii_boundaries and _ascii_alnum(c) else ""
        out.append((c, ("" if first else sep) + guard + char(c)
                    + _render(node[c], c, False, char, sep, ascii_boundaries)))
    if _END in node:  # the word may end here, once no longer word matched
        out.append(("", r"(?![A-Za-z0-9])" if ascii_boundaries and _ascii_alnum(last) else ""))
    return out


def _render(node: dict, last: str, first: bool, char, sep: str, ascii_boundaries: bool) -> str:
    out = [p for _, p in _branches(node, last, first, char, sep, ascii_boundaries)]
    if len(out) == 1:
        return out[0]
    return "(?:" + "|".join(out) + ")"


def _ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()
