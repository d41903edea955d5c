"""Add reports by link: fetch each URL politely, store its bytes in the raw folder as received,
and record its origin in sources.csv (see sources.py). The build that follows reads them like
any other file (format and encoding are detected in ingest).

Politeness and limits (Policy): one request at a time, and at least `delay` seconds between two
requests to the same host; a clear User-Agent; a timeout; connection failures retried by httpx's
transport, and answers 429/502/503/504 retried with exponential backoff (Retry-After honoured,
capped); redirects followed (at most MAX_REDIRECTS) and the final address recorded; a size limit
checked against Content-Length and while reading; the content type checked (HTML, text, PDF,
DOCX, or a generic binary type whose bytes are one of those).

Same report twice: a URL fetched again keeps its file, rewritten only when the bytes changed;
bytes already in the raw folder under another name are not stored again: the URL is added to
that file's rows in sources.csv, so the one document lists both links.

A URL that fails is named with its reason (HTTP status, time-out, too large, not a report);
the others go on.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from etl.ingest import detect_format
from etl.model import IngestError
from etl.warehouse import sources

if TYPE_CHECKING:
    import httpx

USER_AGENT = ("epw-fetch/1.0 (environmental-report indicators ETL; reads public reports one request at a "
              "time; python-httpx)")
FETCH_DIR = "fetched"             # under the raw folder: fetched/<host>/<name>
MAX_REDIRECTS = 5
RETRY_STATUSES = (429, 502, 503, 504)
MAX_RETRY_AFTER = 30.0            # seconds: a longer Retry-After is a failure, not a wait
# content types a report may come with (parameters such as charset ignored); the bytes decide the
# format in the end, so generic binary types are accepted when the bytes are a report
REPORT_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt", "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/octet-stream": "", "binary/octet-stream": "", "application/download": "",
    "application/force-download": "", "": "",
}


@dataclass(frozen=True)
class Policy:
    timeout: float = 20.0             # seconds to connect, and between two reads of the body
    max_bytes: int = 50 * 1024 * 1024
    retries: int = 2                  # more attempts after the first, for connection failures and 429/5xx
    backoff: float = 1.0              # first wait before a retry, doubled each time
    delay: float = 1.0                # seconds between two requests to the same host


@dataclass
class Fetched:
    url: str
    file: str | None = None           # relative to the raw folder
    outcome: str = ""                 # 'added', 'updated', 'unchanged', 'same bytes as FILE', or the failure
    ok: bool = True
    final_url: str | None = None      # where redirects ended, when elsewhere
    redirects: list[str] = field(default_factory=list)   # every address on the way, first to last

    def line(self) -> str:
        if not self.ok:
            return f"failed: {self.url}: {self.outcome}"
        via = f" (redirected to {self.final_url})" if self.final_url else ""
        return f"{self.outcome}: {self.url}{via} -> {self.file}"


class FetchError(Exception):
    """A URL that gave no report; the message is the reason, for a person."""


def fetch_urls(urls: list[str], raw_dir: Path, policy: Policy = Policy(), *, log=None,
               transport: httpx.BaseTransport | None = None) -> list[Fetched]:
    """Fetch each URL in turn into raw_dir; one Fetched per URL, in order."""
    import httpx    # only when links are fetched: `build` and the dashboard do without it
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    known = _files_by_sha(raw_dir)
    results, last_request = [], {}
    transport = transport or httpx.HTTPTransport(retries=policy.retries)
    with httpx.Client(transport=transport, timeout=policy.timeout, follow_redirects=True,
                      max_redirects=MAX_REDIRECTS, headers={"User-Agent": USER_AGENT}) as client:
        for url in urls:
            url = url.strip()
            if not sources.is_web_link(url):
                result = Fetched(url, outcome="not an http(s) link", ok=False)
            else:
                try:
                    result = _fetch_one(client, url, raw_dir, policy, known, last_request)
                except FetchError as e:
                    result = Fetched(url, outcome=str(e), ok=False)
            results.append(result)
            if log:
                log(result.line())
    return results


def _files_by_sha(raw_dir: Path) -> dict[str, str]:
    out = {}
    for path in sorted(raw_dir.rglob("*")):
        rel = path.relative_to(raw_dir)
        if path.is_file() and not any(p.startswith(".") for p in rel.parts) and rel.as_posix() != sources.SOURCES_FILE:
            out.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), rel.as_posix())
    return out


def _wait_for_host(url: str, policy: Policy, last_request: dict[str, float]) -> None:
    """Sleep until `delay` seconds have passed since the last answer from the URL's host ended."""
    host = (urlsplit(url).hostname or "").lower()
    if host in last_request:
        pause = last_request[host] + policy.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)


def _get(client: httpx.Client, url: str, policy: Policy, last_request: dict[str, float]):
    """(bytes, content type, final URL, redirect chain) of one report, or FetchError."""
    import httpx    # imported by fetch_urls already
    for attempt in range(policy.retries + 1):
        _wait_for_host(url, policy, last_request)
        hosts = {(urlsplit(url).hostname or "").lower()}
        try:
            with client.stream("GET", url) as response:
                hosts |= {(h.url.host or "").lower() for h in response.history} | {(response.url.host or "").lower()}
                wait = None
                if response.status_code in RETRY_STATUSES and attempt < policy.retries:
                    wait = _retry_after(response.headers.get("Retry-After"), policy.backoff * 2 ** attempt)
                if wait is None:
                    return _read(response, policy)
        except httpx.TimeoutException:
            raise FetchError(f"time-out: no answer within {policy.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})") from None
        except httpx.HTTPError as e:
            raise FetchError(f"{type(e).__name__}: {e}") from None
        finally:   # the pause between two requests to a host counts from the end of the exchange
            for host in hosts:
                last_request[host] = time.monotonic()
        time.sleep(wait)
    raise FetchError("HTTP error after retries")   # not reached: the last attempt returns or raises


def _read(response: httpx.Response, policy: Policy):
    if response.status_code >= 400:
        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
    ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype not in REPORT_TYPES:
        raise FetchError(f"not a report: content type {ctype[:60]}")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"too large: {int(declared)} bytes (limit {policy.max_bytes})")
    body, size = [], 0
    for chunk in response.iter_bytes():  # transfer compression undone; the charset left to ingest
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(f"too large: more than {policy.max_bytes} bytes (limit)")
        body.append(chunk)
    chain = [str(h.url) for h in response.history] + [str(response.url)]
    return b"".join(body), ctype, str(response.url), chain


def _retry_after(header: str | None, default: float) -> float | None:
    """Seconds to wait before a retry: Retry-After (seconds) if given, else `default`; None when the
    server asks for more than MAX_RETRY_AFTER."""
    if header and header.strip().isdigit():
        wait = float(header.strip())
        return wait if wait <= MAX_RETRY_AFTER else None
    return default


def _fetch_one(client, url: str, raw_dir: Path, policy: Policy, known: dict[str, str],
               last_request: dict[str, float]) -> Fetched:
    data, ctype, final, chain = _get(client, url, policy, last_request)
    hint = {"html": ".html", "txt": ".txt", "pdf": ".pdf", "docx": ".docx"}.get(REPORT_TYPES[ctype], "")
    try:
        fmt = detect_format(data, "x" + hint)
    except IngestError as e:
        raise FetchError(f"not a report: {e}") from None
    if REPORT_TYPES[ctype] in ("pdf", "docx") and fmt != REPORT_TYPES[ctype]:
        raise FetchError(f"not a report: served as {ctype} but the bytes are not one")
    sha = hashlib.sha256(data).hexdigest()
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
    final_url = final if len(chain) > 1 and final != url else None   # redirected elsewhere
    result = Fetched(url, final_url=final_url, redirects=chain)
    mine = [f for f in sources.files_of_url(raw_dir, url) if (raw_dir / f).is_file()]
    if mine and hashlib.sha256((raw_dir / mine[0]).read_bytes()).hexdigest() == sha:
        result.file, result.outcome = mine[0], "unchanged"
        return result
    if sha in known:                    # the same bytes under another name (another URL, a file)
        result.file, result.outcome = known[sha], f"same bytes as {known[sha]}"
        sources.record_origin(raw_dir, known[sha], url, final_url=final_url, retrieved_at=now)
        return result
    rel = mine[0] if mine else _new_name(raw_dir, url, fmt)
    moved_from = None
    if mine and any(o.file == rel and o.url != url for o in sources.read_sources(raw_dir)[0]):
        # other links share the old bytes' file: they keep them, this link gets a file of its own
        moved_from, rel = rel, _new_name(raw_dir, url, fmt, sha[:8])
    path = raw_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.part")
    temp.write_bytes(data)
    temp.replace(path)
    known[sha] = rel
    sources.record_origin(raw_dir, rel, url, final_url=final_url, retrieved_at=now, moved_from=moved_from)
    result.file, result.outcome = rel, "updated" if mine else "added"
    return result


def _new_name(raw_dir: Path, url: str, fmt: str, version: str = "") -> str:
    """fetched/<host>/<last path segment, made safe>-<8 hex digits of the URL>[-<version>].<format>"""
    parts = urlsplit(url)
    host = re.sub(r"[^a-z0-9.-]", "_", (parts.hostname or "host").lower())[:80]
    segment = unquote(parts.path.rstrip("/").rpartition("/")[2]).rpartition(".")[0] or \
        unquote(parts.path.rstrip("/").rpartition("/")[2])
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", segment).strip("_")[:40] or "index"
    suffix = f"-{version}" if version else ""
    return f"{FETCH_DIR}/{host}/{stem}-{hashlib.sha256(url.encode()).hexdigest()[:8]}{suffix}.{fmt}"
