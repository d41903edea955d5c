"""Documents added from the dashboard: checked, stored in the uploads folder, loaded by the ETL.

The uploads folder is <raw dir>/uploads/, or $EPW_UPLOADS: a durable folder (a mounted volume)
outside the raw folder, with its own sources.csv, that every build reads too (etl/warehouse/
folders.py). Either way an added document is recorded as uploads/<name>.

No Streamlit in here: the Data page calls `add_document` and shows its `UploadResult`.

    sanitize_filename(name) -> str              a safe file name (no folders, not hidden, no controls)
    check_upload(name, data) -> format          size, extension and content, or raises Rejected
    unique_path(folder, name) -> Path           name, name-2, name-3 … whichever is free
    add_document(name, data, raw_dir, db_path, source_url=…) -> UploadResult   (the link: its origin)
    add_links(urls, raw_dir, db_path) -> (list of etl fetch results, UploadResult)   reports by link
    preview(name, data) -> Preview               the values the ETL would read, before anything is added
    remove_document(stored, raw_dir, db_path) -> UploadResult   an uploaded document out again
    catch_up(raw_dir, db_path) -> UploadResult | None   after a restart: load the durable folder's documents

`add_document` is all or nothing. The file is written under uploads/ and the ETL
(`etl.warehouse.build_in_subprocess`: a child process at a lower priority, never the server's
own, whose worker reads the document under the limits of every build; incremental: only the new
document is read) builds the next warehouse from a hard link of the serving one, beside it. Only when the new
document was read is that warehouse renamed over the serving one (atomic, like
every build); otherwise the file is deleted and the serving warehouse is not
touched: same bytes, same mtime, so the dashboard's cached connection stays.
A document the ETL cannot read is reported with the message the build recorded
for it (the row it would have written to ingest_errors).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import tempfile

from etl.warehouse import (UPLOADS, FetchPolicy, IngestError, build_in_subprocess, detect_format, fetch_urls,
                           is_web_link, missing_uploads, origin_root, pid_alive, preview_values, record_origin,
                           remove_origin, remove_temp, shards_root, swap_in, uploads_dir)

MAX_UPLOAD_MB = 20                      # also server.maxUploadSize in .streamlit/config.toml
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOAD_FOLDER = UPLOADS                 # the added documents' names start with uploads/ (wherever the folder is)
# extension -> formats (etl.warehouse.detect_format) its content may have; text and HTML are both
# text (a scraped .txt full of tags is read as HTML, a tagless .html as text)
EXTENSIONS = {".txt": ("txt", "html"), ".html": ("html", "txt"), ".htm": ("html", "txt"),
              ".docx": ("docx",), ".pdf": ("pdf",)}
MAX_NAME_BYTES = 180                    # UTF-8 bytes; file systems allow 255, suffixes need room
DEFAULT_STEM = "document"
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_KEEP = set("-_.()（）")                 # besides letters and digits of any script
_SCRATCH = re.compile(r"^\.(?P<name>.+)\.upload-(?P<pid>\d+)-[0-9a-f]+$")

_lock = threading.Lock()                # one upload at a time in this process (and a file lock across them)


class Rejected(Exception):
    """An upload that is refused before anything is stored: a message key and its values."""

    def __init__(self, key: str, **values):
        super().__init__(key, values)
        self.key, self.values = key, values


@dataclass
class UploadResult:
    ok: bool
    name: str                           # as uploaded
    key: str                            # message key (dashboard/i18n.py)
    values: dict = field(default_factory=dict)
    stored: str | None = None           # path relative to the raw folder, when added
    doc_id: str | None = None
    paragraphs: int = 0
    metrics: int = 0
    processed: int = 0                  # documents the build read (1: only the new one)
    warnings: list[str] = field(default_factory=list)


# ---- names ----------------------------------------------------------------------------

def sanitize_filename(name: str) -> str:
    """A file name safe to create in the uploads folder, readable like the original.

    Folders are dropped (either slash); control, format (bidi overrides, zero-width),
    private-use and unassigned characters are removed; spaces become '_'; anything but
    letters and digits of any script (Chinese included) and - _ . ( ) （ ） becomes '_';
    runs of dots collapse (no '..'), and the name never starts with '.', '-' or '_'
    (so it is not hidden, not an option); the extension is lower-cased; the name is
    cut to MAX_NAME_BYTES of UTF-8 at a character boundary; an empty or reserved name
    gets a default."""
    text = unicodedata.normalize("NFKC", str(name))
    text = re.split(r"[/\\]", text)[-1]
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        out.append(ch if ch.isalnum() or ch in _KEEP else "_")
    text = re.sub(r"_{2,}", "_", re.sub(r"\.{2,}", ".", "".join(out))).strip("._-")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    ext = ext.lower().strip("_-()（）")[:10].rstrip("_-()（）")  # the cut may end on one: stay idempotent
    stem = stem.strip("._-")
    if not stem or stem.lower() in _RESERVED:
        stem = f"{DEFAULT_STEM}_{stem}" if stem else DEFAULT_STEM
    suffix = f".{ext}" if ext else ""
    budget = MAX_NAME_BYTES - len(suffix.encode())
    while len(stem.encode()) > budget:
        stem = stem[:-1]
    stem = stem.rstrip("._-") or DEFAULT_STEM
    return stem + suffix


def unique_path(folder: Path, name: str) -> Path:
    """folder/name, or folder/stem-2.ext, stem-3.ext … if taken."""
    path = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


def file_size(n: int) -> str:
    """20 MB, 1.5 MB, 700 KB, 500 B."""
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} B"


# ---- checks ---------------------------------------------------------------------------

def check_upload(name: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The document's format ('txt', 'html', 'docx', 'pdf'), or Rejected: empty, too big,
    an extension not taken, content that is not a document of that kind."""

    if not data:
        raise Rejected("upload_empty")
    if len(data) > max_bytes:
        raise Rejected("upload_too_big", size=file_size(len(data)), limit=file_size(max_bytes))
    ext = Path(sanitize_filename(name)).suffix.lower()
    if ext not in EXTENSIONS:
        raise Rejected("upload_bad_type", ext=ext or "–", allowed=", ".join(EXTENSIONS))
    try:
        fmt = detect_format(data, f"upload{ext}")
    except IngestError as error:
        raise Rejected("upload_unreadable", error=str(error)) from None
    if fmt not in EXTENSIONS[ext]:
        raise Rejected("upload_mismatch", ext=ext, found=fmt.upper())
    return fmt


# ---- review before adding ----------------------------------------------------------------

@dataclass
class Preview:
    name: str
    ok: bool
    key: str = ""                       # message key when not ok
    values: dict = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)   # indicator, region, year, value, unit, sentence …


def preview(name: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Preview:
    """The values the ETL reads from an upload, read in a scratch folder: nothing is stored."""
    try:
        check_upload(name, data, max_bytes)
    except Rejected as r:
        return Preview(name, False, r.key, r.values)
    with tempfile.TemporaryDirectory(prefix="epw-preview-") as tmp:
        path = Path(tmp) / sanitize_filename(name)
        path.write_bytes(data)
        rows, errors = preview_values(str(path), path.name)
    if errors:
        return Preview(name, False, "upload_unreadable", {"error": "; ".join(errors)})
    return Preview(name, True, rows=rows)


# ---- adding ---------------------------------------------------------------------------

def add_document(name: str, data: bytes, raw_dir: str | Path, db_path: str | Path, *,
                 max_bytes: int = MAX_UPLOAD_BYTES, source_url: str | None = None, on_progress=None) -> UploadResult:
    """Check, store and load one uploaded document; see the module docstring. `source_url`:
    where it was published (an http(s) link, recorded in sources.csv), or None.
    on_progress(done, total) is called from the build as documents are read."""
    raw_dir, db_path = Path(raw_dir), Path(db_path)
    source_url = (source_url or "").strip() or None
    try:
        check_upload(name, data, max_bytes)
        if source_url and not is_web_link(source_url):
            raise Rejected("upload_bad_link", url=source_url[:100])
    except Rejected as r:
        return UploadResult(False, name, r.key, r.values)
    try:
        folder = uploads_dir(raw_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with _lock, _file_lock(db_path):
            existing = _document_with_sha(db_path, hashlib.sha256(data).hexdigest())
            if existing:
                return UploadResult(False, name, "upload_duplicate", {"existing": existing})
            target = unique_path(folder, sanitize_filename(name))
            _write(target, data)
            rel = f"{UPLOAD_FOLDER}/{target.relative_to(folder).as_posix()}"   # as the warehouse records it
            origins, prefix = origin_root(raw_dir)     # the sources.csv beside the uploads folder
            in_origins = prefix + target.relative_to(folder).as_posix()
            if source_url:
                record_origin(origins, in_origins, source_url, notes="uploaded from the dashboard")
            try:
                result = _build_with(name, target, rel, raw_dir, db_path, on_progress)
            except BaseException:
                _undo(origins, target, in_origins, source_url)
                raise
            if not result.ok:
                _undo(origins, target, in_origins, source_url)
            return result
    except OSError as error:  # a folder that cannot be written, a full disk: said, not a crash
        return UploadResult(False, name, "upload_failed", {"error": f"{type(error).__name__}: {error}"})


def _undo(origins: Path, target: Path, rel: str, source_url: str | None) -> None:
    target.unlink(missing_ok=True)
    if source_url:
        remove_origin(origins, rel, source_url)


def add_links(urls: list[str], raw_dir: str | Path, db_path: str | Path,
              policy: FetchPolicy = FetchPolicy()) -> tuple[list, UploadResult | None]:
    """Fetch reports by link into the raw folder (etl.warehouse.fetch_urls: polite, checked, origin
    recorded) and load them like `python -m etl fetch`; the fetch results, and the build's outcome
    (None when nothing new was stored). The serving warehouse is replaced only by a complete build."""
    raw_dir, db_path = Path(raw_dir), Path(db_path)
    with _lock, _file_lock(db_path):
        # into the durable uploads folder when there is one (its fetched/<host>/, its sources.csv)
        results = fetch_urls(urls, origin_root(raw_dir)[0], policy)
        if not any(r.ok and r.outcome != "unchanged" for r in results):
            return results, None
        _remove_stale_scratch(db_path)
        scratch = db_path.with_name(f".{db_path.name}.upload-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            if db_path.exists():
                try:
                    os.link(db_path, scratch)
                except OSError:
                    import shutil
                    shutil.copy2(db_path, scratch)
            summary = build_in_subprocess(raw_dir, scratch, shards_dir=shards_root(db_path))   # not in the server
            swap_in(scratch, db_path)
        except Exception as error:
            return results, UploadResult(False, "", "upload_failed", {"error": f"{type(error).__name__}: {error}"})
        finally:
            remove_temp(scratch)
        return results, UploadResult(True, "", "links_built", {"documents": summary.documents,
                                                              "metrics": summary.metrics})


def remove_document(stored: str, raw_dir: str | Path, db_path: str | Path) -> UploadResult:
    """Take an uploaded document (`stored`: its path relative to the raw folder, under uploads/)
    out of the folder and the warehouse: an incremental build without it, swapped in."""
    raw_dir, db_path = Path(raw_dir), Path(db_path)
    folder = uploads_dir(raw_dir).resolve()
    prefix = f"{UPLOAD_FOLDER}/"
    target = (folder / stored[len(prefix):]).resolve()
    if not stored.startswith(prefix) or target.parent != folder or not target.is_file():
        return UploadResult(False, stored, "upload_not_removable", {"file": stored})
    with _lock, _file_lock(db_path):
        data = target.read_bytes()
        target.unlink()
        scratch = db_path.with_name(f".{db_path.name}.remove-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            os.link(db_path, scratch)
            build_in_subprocess(raw_dir, scratch, allow_shrink=True, shards_dir=shards_root(db_path))   # not here
            swap_in(scratch, db_path)
        except BaseException as error:
            _write(target, data)             # all or nothing: the file comes back
            if isinstance(error, Exception):
                return UploadResult(False, stored, "upload_failed", {"error": f"{type(error).__name__}: {error}"})
            raise
        finally:
            remove_temp(scratch)
    return UploadResult(True, stored, "upload_removed", {"stored": stored}, stored=stored)


def catch_up(raw_dir: str | Path, db_path: str | Path) -> UploadResult | None:
    """Load the documents of a durable uploads folder (EPW_UPLOADS) that the warehouse lacks (after
    a restart on a fresh or prebuilt warehouse): an incremental build in a child process, only
    they are read. None when nothing is missing."""
    raw_dir, db_path = Path(raw_dir), Path(db_path)
    with _lock, _file_lock(db_path):
        missing = missing_uploads(raw_dir, db_path)
        if not missing:
            return None
        try:
            summary = build_in_subprocess(raw_dir, db_path)   # writes beside it, swaps in when complete
        except Exception as error:
            return UploadResult(False, "", "upload_failed", {"error": f"{type(error).__name__}: {error}"})
    return UploadResult(True, "", "links_built", {"documents": summary.documents, "metrics": summary.metrics},
                        processed=summary.processed)


def _build_with(name: str, target: Path, rel: str, raw_dir: Path, db_path: Path, on_progress=None) -> UploadResult:

    _remove_stale_scratch(db_path)
    scratch = db_path.with_name(f".{db_path.name}.upload-{os.getpid()}-{secrets.token_hex(4)}")
    before = 0
    if db_path.exists():
        before = _count_documents(db_path)
        try:  # the build only reads the old warehouse, and replaces the name: a link is a free copy
            os.link(db_path, scratch)
        except OSError:
            import shutil
            shutil.copy2(db_path, scratch)
    try:
        try:
            # the check below says when documents would drop out: the build need not refuse it
            summary = build_in_subprocess(raw_dir, scratch, allow_shrink=True, on_progress=on_progress,
                                          shards_dir=shards_root(db_path))   # the warehouse's shards, not scratch's
        except Exception as error:
            return UploadResult(False, name, "upload_failed", {"error": f"{type(error).__name__}: {error}"})
        errors = [msg for file, _, msg in summary.errors if file == rel]
        if errors:
            return UploadResult(False, name, "upload_unreadable", {"error": "; ".join(errors)},
                                processed=summary.processed)
        duplicate = next((orig for file, orig in summary.duplicates if file == rel), None)
        if duplicate:
            return UploadResult(False, name, "upload_duplicate", {"existing": duplicate})
        if summary.documents < before + 1:
            return UploadResult(False, name, "upload_would_drop",
                                {"folder": str(raw_dir), "before": before, "after": summary.documents})
        import duckdb
        with duckdb.connect(str(scratch), read_only=True) as con:
            row = con.execute("SELECT doc_id, n_paragraphs, n_metrics FROM documents WHERE file = ?",
                              [rel]).fetchone()
        if row is None:  # read without error but not loaded: should not happen, refuse rather than guess
            return UploadResult(False, name, "upload_failed", {"error": "the document was not loaded"})
        swap_in(scratch, db_path)
        return UploadResult(True, name, "upload_ok", {"stored": rel, "paragraphs": row[1], "metrics": row[2]},
                            stored=rel, doc_id=row[0], paragraphs=row[1], metrics=row[2],
                            processed=summary.processed,
                            warnings=[msg for file, _, msg in summary.warnings if file == rel])
    finally:
        remove_temp(scratch)


def _write(target: Path, data: bytes) -> None:
    """Write under a hidden name (the ETL skips hidden files), then rename into place."""
    temp = target.with_name(f".{target.name}.part-{secrets.token_hex(4)}")
    try:
        with open(temp, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)




def _remove_stale_scratch(db_path: Path) -> None:
    """Scratch warehouses of uploads whose process died."""
    for p in db_path.parent.glob(f".{db_path.name}.upload-*"):
        m = _SCRATCH.match(p.name)
        if m and not pid_alive(int(m.group("pid"))):
            remove_temp(p)


def _count_documents(db_path: Path) -> int:
    import duckdb
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except duckdb.Error:
        return 0


def _document_with_sha(db_path: Path, sha: str) -> str | None:
    """The file of a loaded document with these bytes, if any."""
    if not db_path.exists():
        return None
    import duckdb
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            row = con.execute("SELECT file FROM documents WHERE sha256 = ?", [sha]).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


@contextlib.contextmanager
def _file_lock(db_path: Path):
    """Uploads from several server processes take turns (advisory lock beside the warehouse)."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: the in-process lock is all there is
        yield
        return
    lock = db_path.with_name(f".{db_path.name}.upload.lock")
    with open(lock, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
