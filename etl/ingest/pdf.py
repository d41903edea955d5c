"""PDF: the text layer, page by page (pypdf, imported lazily)."""
from __future__ import annotations

import io

from etl.ingest.decode import normalise_newlines
from etl.ingest.html import parse_date
from etl.ingest.limits import LimitError, check_pdf_page_operators, check_pdf_pages
from etl.model import IngestError


def read_pdf(data: bytes) -> dict:
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
        check_pdf_pages(len(reader.pages))
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
            check_pdf_page_operators(number, _content(page))
            raw = page.extract_text() or ""
        except LimitError:
            raise
        except Exception:
            failed.append(number)
            raw = ""
        # NUL comes from fonts whose encoding pypdf misreads; it is never text.
        texts.append(normalise_newlines(raw).replace("\x00", ""))

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


def _content(page) -> bytes:
    """The page's content stream, decoded (pypdf caps what a compressed stream may expand to)."""
    contents = page.get_contents()
    return contents.get_data() if contents is not None else b""


def _pdf_metadata(reader) -> tuple[str | None, str | None]:
    try:
        meta = reader.metadata
        if not meta:
            return None, None
        title = str(meta.get("/Title") or "").strip() or None
        created = str(meta.get("/CreationDate") or "")
    except Exception:   # damaged info dictionary: the text is what matters
        return None, None
    return title, parse_date(created) if created else None


def _list_numbers(numbers: list[int], limit: int = 10) -> str:
    shown = ", ".join(map(str, numbers[:limit]))
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")
