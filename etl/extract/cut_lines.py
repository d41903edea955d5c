"""A table flattened onto one line, cut between cells by the segment stage.

    县(市、区) | PM2.5 | PM10 | … | 浓度(μg/m3) | 同比(%) | 排名 | … | 鹿城区 | 20 | -3.2 | 1 | …   <- passage 1
     -3.2 | 2 | 瓯海区 | 22 | …                                                                 <- passage 2

segment.py cuts a line longer than MAX_CHARS that holds many bars into passages between cells.
Each passage is a '|' line, but not a row: read as rows, the first passage is a header over
chunks of a stream of cells, and a table of a dozen districts under a two-row header gave
nothing. Passages that follow one another with nothing between them (each starting where the
one before ends) are one line, and are read as one stream of cells (cell_tables.py).
"""
from __future__ import annotations

from etl.model import Paragraph


def one_line(paragraphs: list[Paragraph]) -> bool:
    """Two or more passages of one line of the clean text, cut by the segment stage."""
    return len(paragraphs) >= 2 and all(p.clean_start is not None and q.clean_start == p.clean_start + len(p.text)
                                        for p, q in zip(paragraphs, paragraphs[1:]))
