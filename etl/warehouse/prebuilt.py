"""A prebuilt warehouse: published once (`python -m etl publish`), installed where it is served.

A hosted dashboard has no build step (Streamlit Community Cloud) or an ephemeral disk, so the
warehouse file (not in git) would be built on the first visit. `EPW_PREBUILT` names a warehouse
built elsewhere, a path or an http(s) link; `install` puts it in place of `EPW_DB`:

* only when it is wanted: the local warehouse is missing, cannot be read, was built by other
  code (another ETL fingerprint), or is older than the source (a path's mtime; for a link, a
  conditional GET with If-Modified-Since: the server answers 304 when it has nothing newer);
* verified before it is used: at most `EPW_PREBUILT_MAX_MB` (Content-Length, then every byte
  counted), its SHA-256 when `EPW_PREBUILT_SHA256` is given, a DuckDB file that opens with the
  warehouse's tables, and built by this code (build_info's fingerprint = etl.config.fingerprint(),
  which covers the schema, the ETL and the catalog: no other warehouse could be reused or read);
* atomic: the bytes go to a hidden file beside the warehouse, renamed over it once verified
  (write.swap_in); a failure, a time-out or a cancelled install leaves no partial file;
* searchable at once: the published file is the warehouse alone; its tantivy search index is
  built from its paragraphs beside the warehouse before the rename (search/tantivy_index.py);
* bounded: `install_within` waits at most `EPW_PREBUILT_TIMEOUT` seconds; after that the
  download is cancelled (its thread stops at the next block and removes its file) and the
  caller builds from the documents instead.

Nothing is fetched unless EPW_PREBUILT is set: no network at run time by default.
"""
from __future__ import annotations

import email.utils
import hashlib
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from etl import config
from etl.warehouse import write
from etl.warehouse.search import tantivy_index

USER_AGENT = "epw-prebuilt/1.0 (environmental-report indicators dashboard; installs its warehouse)"
BLOCK = 1 << 20
TABLES = ("documents", "paragraphs", "metrics", "build_info")


@dataclass(frozen=True)
class Source:
    location: str               # a path (relative to the project root) or an http(s) link
    sha256: str = ""            # expected digest (lower-case hex), or "" not to check
    max_bytes: int = 2048 * 2**20
    timeout: float = 60.0

    @property
    def is_link(self) -> bool:
        return urlsplit(self.location).scheme.lower() in ("http", "https")

    @property
    def path(self) -> Path:
        path = Path(self.location).expanduser()
        return path if path.is_absolute() else config.ROOT / path


def configured() -> Source | None:
    """The EPW_PREBUILT_* settings, or None when EPW_PREBUILT is empty (off)."""
    location = config.setting_text("EPW_PREBUILT")
    if not location:
        return None
    return Source(location, config.setting_text("EPW_PREBUILT_SHA256").lower(),
                  config.setting_int("EPW_PREBUILT_MAX_MB") * 2**20, float(config.setting_int("EPW_PREBUILT_TIMEOUT")))


@dataclass
class Outcome:
    installed: bool             # a new warehouse was put in place
    kept: bool = False          # the local warehouse is current: nothing fetched
    reason: str = ""            # why nothing was installed (or what was kept), for people
    seconds: float = 0.0
    bytes: int = 0

    @property
    def ok(self) -> bool:
        return self.installed or self.kept


class Refused(Exception):
    """The prebuilt warehouse cannot be used: the message says why."""


class _Cancelled(Exception):
    pass


def check_warehouse(path: str | Path, fingerprint: str | None = None) -> dict[str, str]:
    """The build_info of a warehouse built by this code, or Refused (not DuckDB, not a warehouse,
    built by other code)."""
    fingerprint = fingerprint or config.fingerprint()
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
            missing = [t for t in TABLES if t not in tables]
            if missing:
                raise Refused(f"not a warehouse: no table {', '.join(missing)}")
            info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
            con.execute("SELECT count(*) FROM metrics JOIN paragraphs USING (paragraph_id)").fetchone()
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Refused(f"not a DuckDB warehouse ({first[:160]})") from None
    if info.get("fingerprint") != fingerprint:
        raise Refused(f"built by other code (ETL fingerprint {info.get('fingerprint')}, this code {fingerprint}): "
                      "publish a warehouse built by this commit")
    return info


def wanted(source: Source, db_path: Path) -> tuple[bool, str]:
    """Whether the local warehouse should be replaced, and why (a link's freshness is asked by the
    conditional request itself)."""
    if not db_path.exists():
        return True, "no local warehouse"
    try:
        check_warehouse(db_path)
    except Refused as error:
        return True, f"the local warehouse cannot be used: {error}"
    if source.is_link:
        return True, "ask the server"
    try:
        newer = source.path.stat().st_mtime_ns > db_path.stat().st_mtime_ns
    except OSError:
        return False, "the local warehouse is current (the prebuilt file cannot be read)"
    return newer, "the prebuilt file is newer" if newer else "the local warehouse is current"


def install(source: Source, db_path: str | Path, cancel: threading.Event | None = None,
            swap_lock: threading.Lock | None = None) -> Outcome:
    """Fetch, verify and swap in the prebuilt warehouse when it is wanted (see the module docstring).
    Never raises for a bad source: the Outcome says what happened."""
    started = time.monotonic()
    db_path = Path(db_path)
    cancel = cancel or threading.Event()
    want, why = wanted(source, db_path)
    if not want:
        return Outcome(False, kept=True, reason=why, seconds=time.monotonic() - started)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temp = db_path.with_name(f".{db_path.name}.prebuilt-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        size = _fetch(source, db_path, temp, cancel, conditional=why == "ask the server")
        if size is None:
            return Outcome(False, kept=True, reason="the server has nothing newer (304)",
                           seconds=time.monotonic() - started)
        check_warehouse(temp)
        _search_index(temp, db_path)
        with swap_lock or threading.Lock():
            if cancel.is_set():
                raise _Cancelled
            write.swap_in(temp, db_path)
        return Outcome(True, reason=why, seconds=time.monotonic() - started, bytes=size)
    except _Cancelled:
        return Outcome(False, reason="cancelled", seconds=time.monotonic() - started)
    except Refused as error:
        return Outcome(False, reason=str(error), seconds=time.monotonic() - started)
    except OSError as error:
        return Outcome(False, reason=f"{type(error).__name__}: {error}", seconds=time.monotonic() - started)
    finally:
        write.remove_temp(temp)


def install_within(source: Source, db_path: str | Path) -> Outcome:
    """install(), waiting at most source.timeout seconds; past it the install is cancelled (it
    cannot swap in any more, and removes its file when its thread next looks) and said so."""
    cancel, swap_lock, box = threading.Event(), threading.Lock(), []

    def run() -> None:
        try:
            box.append(install(source, db_path, cancel, swap_lock))
        except Exception as error:      # unexpected: said like any other failure
            box.append(Outcome(False, reason=f"{type(error).__name__}: {error}"))

    worker = threading.Thread(target=run, name="epw-prebuilt", daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(source.timeout)
    with swap_lock:
        if not box:
            cancel.set()
            return Outcome(False, reason=f"no answer within EPW_PREBUILT_TIMEOUT={source.timeout:g} s",
                           seconds=time.monotonic() - started)
    return box[0]


def _fetch(source: Source, db_path: Path, temp: Path, cancel: threading.Event, conditional: bool) -> int | None:
    """The source's bytes into temp (size and digest checked); None when a link answers 304."""
    digest, size = hashlib.sha256(), 0
    with open(temp, "xb") as out:
        def take(block: bytes) -> None:
            nonlocal size
            if cancel.is_set():
                raise _Cancelled
            size += len(block)
            if size > source.max_bytes:
                raise Refused(f"too large: over EPW_PREBUILT_MAX_MB={source.max_bytes // 2**20}")
            digest.update(block)
            out.write(block)

        if source.is_link:
            if _download(source, db_path, take, conditional) is None:
                return None
        else:
            try:
                with open(source.path, "rb") as f:
                    for block in iter(lambda: f.read(BLOCK), b""):
                        take(block)
            except FileNotFoundError:
                raise Refused(f"no such file: {source.path}") from None
        out.flush()
        os.fsync(out.fileno())
    if source.sha256 and digest.hexdigest() != source.sha256:
        raise Refused(f"SHA-256 {digest.hexdigest()} is not EPW_PREBUILT_SHA256={source.sha256}")
    if size == 0:
        raise Refused("empty")
    return size


def _download(source: Source, db_path: Path, take, conditional: bool) -> bool | None:
    import httpx

    headers = {"User-Agent": USER_AGENT}
    if conditional:
        headers["If-Modified-Since"] = email.utils.formatdate(db_path.stat().st_mtime, usegmt=True)
    try:
        with httpx.Client(follow_redirects=True, timeout=httpx.Timeout(source.timeout), headers=headers) as client:
            with client.stream("GET", source.location) as response:
                if response.status_code == 304:
                    return None
                if response.status_code != 200:
                    raise Refused(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > source.max_bytes:
                    raise Refused(f"too large: {int(length) / 2**20:.0f} MB, over EPW_PREBUILT_MAX_MB="
                                  f"{source.max_bytes // 2**20}")
                for block in response.iter_bytes(BLOCK):
                    take(block)
    except httpx.TimeoutException:
        raise Refused(f"time-out (EPW_PREBUILT_TIMEOUT={source.timeout:g} s)") from None
    except httpx.HTTPError as error:
        raise Refused(f"download failed: {type(error).__name__}: {error}") from None
    return True


def _search_index(temp: Path, db_path: Path) -> None:
    """The downloaded file's tantivy index, built from its paragraphs into the folder beside
    db_path before the file is swapped in (the published file is one file; see
    etl/warehouse/search/tantivy_index.py). Without it the first search builds it (query.py): a
    failure here costs that search's time, not the install."""
    try:
        tantivy_index.build_beside(temp, db_path)
    except Exception:
        pass


def publish(db_path: str | Path, out: str | Path) -> tuple[str, int]:
    """Copy a warehouse built by this code to `out` (atomically) for EPW_PREBUILT, and write its
    SHA-256 beside it (`out.sha256`, in sha256sum's format); returns (digest, size). Refused when
    db_path is not a warehouse of this code."""
    db_path, out = Path(db_path), Path(out)
    check_warehouse(db_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.publish-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with open(db_path, "rb") as src, open(temp, "wb") as dst:
            for block in iter(lambda: src.read(BLOCK), b""):
                digest.update(block)
                dst.write(block)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    out.with_name(out.name + ".sha256").write_text(f"{digest.hexdigest()}  {out.name}\n", encoding="utf-8")
    return digest.hexdigest(), out.stat().st_size
