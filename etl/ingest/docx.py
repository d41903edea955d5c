"""DOCX: paragraphs and tables in document order (python-docx, imported lazily)."""
from __future__ import annotations

import io
from typing import Iterator

from lxml import etree

from etl.ingest.decode import normalise_newlines
from etl.model import IngestError


def read_docx(data: bytes) -> dict:
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

    text = normalise_newlines("\n".join(lines))
    if not text.strip():
        raise IngestError("the DOCX has no text (only images?)")
    return {"text": text, "title": title or None}


def zip_kind(names: set[str]) -> str | None:
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
