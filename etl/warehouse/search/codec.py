"""The search index's code of a character, in Python (queries) and SQL (the index build):
one definition, so the two sides agree.

    code(c) = c + 32             for ASCII A-Z (search is case-insensitive for ASCII)
            = c                  for other c <= U+FFFF
            = 0xD800 + c % 2048  beyond the BMP (surrogate code points never occur
                                 in text, so these buckets collide only with each other)
"""
from __future__ import annotations

INDEX_VERSION = "5"

SUPPLEMENTARY_BUCKET = 0xD800  # code() of a code point beyond U+FFFF: 0xD800 + c % 2048

# Separators not indexed as the first character of a posting (the commonest in reports;
# etl/clean.py has already turned full-width ，；：（）！？ into ASCII).
DROPPED_SEPARATORS: tuple[int, ...] = tuple(sorted({
    *map(ord, "\t\n\r ,;:()!?\"'"),
    0x3000,                                    # ideographic space
    *map(ord, "、。“”‘’《》【】「」『』—…·"),
}))


def code(ch: str) -> int:
    """The index's code of a character: ASCII A-Z folded to a-z, beyond the BMP one of 2048 buckets."""
    c = ord(ch)
    if 65 <= c <= 90:
        return c + 32
    return c if c < 0x10000 else SUPPLEMENTARY_BUCKET + c % 2048


def code_sql(col: str, null_is_zero: bool = False) -> str:
    """code() as a DuckDB expression of the code point in column `col` (0 for NULL if asked)."""
    null = f"WHEN {col} IS NULL THEN 0 " if null_is_zero else ""
    return (f"CASE {null}WHEN {col} BETWEEN 65 AND 90 THEN {col} + 32 WHEN {col} < 65536 THEN {col}\n"
            f"                ELSE {SUPPLEMENTARY_BUCKET} + {col} % 2048 END")
