"""Warming a warehouse for its first visitors: what every page's first query reads, made ready
in the background when a server opens the file (dashboard/db.py, once per file version).

    warm_up(con, path, budget_mb=None, background=True) -> WarmUp

A page's first read of a block costs far more than its later ones: on a file the OS has not
cached, DuckDB and the tantivy index wait for the disk (a Document page's first visit read
425 MB on the 10 M-metric warehouse, a search's first query 500 MB of the index), and in a
fresh process jieba's dictionary (0.7 s of CPU) and the index's searcher are loaded by the
first search. The warm-up, in one daemon thread:

1. asks the OS to read ahead (posix_fadvise WILLNEED: page cache, which the kernel gives back
   under memory pressure, not the server's memory) the blocks of the tables the pages read, in
   the order of PRIORITY (the small tables and `points` first, which the default page reads, then
   what a document, a search and a drill-down read, the key indexes last), never more than `budget_mb`
   (EPW_WARM_MB; 0 turns the warm-up off) and at most half the memory still free, in all;
2. loads jieba and opens the tantivy searcher, as the first search would;
3. runs one cheap query per page (a key lookup in metrics, paragraphs and documents, the small
   summaries): DuckDB loads the table's metadata and the top of each key's index once.

Nothing here writes or holds results; a failure is recorded in WarmUp.error, never raised (a
warm-up is an optimisation).
"""
from __future__ import annotations

import atexit
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from etl import config
from etl.warehouse.search import tantivy_search
from etl.warehouse.search.tantivy_index import build_id, folder_of
from etl.warehouse.search.terms import prepare_query

HEADER_BYTES = 3 * 4096     # DuckDB's file header and its two database headers precede block 0

# What pages read first, most shared first: a table of DuckDB (its blocks, from
# pragma_storage_info) or a kind of tantivy index file ("index:.ext"). Tables not named here
# (the DuckDB search tables the tantivy index replaced, document_text) are left alone.
PRIORITY = (
    "build_info", "indicators", "indicator_stats", "region_stats", "regions", "coverage", "conflicts",
    "documents", "document_sources", "search_meta", "ingest_errors",
    "points",                                   # the default page's chart and lists, every ranking
    "index:.term", "index:.fieldnorm", "index:.fast", "document_metrics",
    "index:.idx", "index:.pos", "index:.store",   # a search (each first touch of a mapped page reads ahead)
    "metrics", "paragraphs",                    # a value's drill-down: its row, its reports, their passages
    "keys",                 # the blocks no table lists: the key indexes (a lookup by id) and the catalog
)
CHUNK = 8 << 20             # a read-ahead request at most this large (the kernel queues them)

# A daemon thread still inside DuckDB or tantivy when the interpreter finalises aborts the process
# ('terminate called after throwing an instance of …', exit -6: a short-lived process that opened
# a warehouse, such as a page rendered once, exits while its warm-up runs). At exit the warm-ups
# are told to stop and waited for, at most EXIT_WAIT_S.
EXIT_WAIT_S = 30.0
_STOP = threading.Event()
_RUNNING: set[threading.Thread] = set()


@dataclass
class WarmUp:
    """What a warm-up asked for and did (read while it runs: the thread updates it)."""
    budget_bytes: int
    advised_bytes: int = 0                  # read-ahead asked for (at most budget_bytes)
    parts: list[str] = field(default_factory=list)      # what was advised or run, in order
    seconds: float = 0.0
    error: str | None = None
    thread: threading.Thread | None = None

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the warm-up; whether it has ended."""
        if self.thread is not None:
            self.thread.join(timeout)
            return not self.thread.is_alive()
        return True


def budget_bytes(budget_mb: int | None = None) -> int:
    """The read-ahead budget: budget_mb, else EPW_WARM_MB (0: no warm-up)."""
    if budget_mb is None:
        budget_mb = config.setting_int("EPW_WARM_MB", minimum=0)
    if budget_mb < 0:
        raise ValueError(f"EPW_WARM_MB must be at least 0, not {budget_mb}")
    return budget_mb << 20


def memory_free() -> int | None:
    """Bytes this process's machine or container could still cache: MemAvailable, less when a
    cgroup limit (memory.max) leaves less; None when neither can be read."""
    free = []
    try:
        with open("/proc/meminfo") as f:
            free += [int(line.split()[1]) * 1024 for line in f if line.startswith("MemAvailable:")]
    except OSError:
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit.isdigit():
            free.append(int(limit) - int(Path("/sys/fs/cgroup/memory.current").read_text()))
    except (OSError, ValueError):
        pass
    return max(0, min(free)) if free else None


def warm_up(con, path: str | Path, budget_mb: int | None = None, background: bool = True) -> WarmUp:
    """Warm the warehouse `path` that `con` reads (a cursor of its own: the thread uses it alone)
    for the pages' first queries; in a daemon thread unless background is False. What is read
    ahead is at most the budget and at most half the memory still free (memory_free): on a small
    host, pages read ahead would only push out the ones the server uses."""
    free = memory_free()
    report = WarmUp(min(budget_bytes(budget_mb), free // 2) if free is not None else budget_bytes(budget_mb))
    if report.budget_bytes == 0:
        return report
    if background:
        report.thread = threading.Thread(target=_run, args=(con, Path(path), report), name="epw-warm-up",
                                         daemon=True)
        _RUNNING.add(report.thread)
        report.thread.start()
    else:
        _run(con, Path(path), report)
    return report


def _run(con, path: Path, report: WarmUp) -> None:
    start = time.perf_counter()
    try:
        for step in (_read_ahead, _search_ready, _first_queries):
            if _STOP.is_set():
                break
            step(con, path, report)
    except Exception as error:  # an optimisation: never the server's failure
        report.error = f"{type(error).__name__}: {error}"[:300]
    finally:
        report.seconds = time.perf_counter() - start
        _RUNNING.discard(threading.current_thread())


@atexit.register
def _stop_at_exit() -> None:
    _STOP.set()
    deadline = time.monotonic() + EXIT_WAIT_S
    for thread in list(_RUNNING):
        thread.join(max(0.0, deadline - time.monotonic()))


def ranges(con, path: Path) -> list[tuple[str, Path, int, int]]:
    """(part, file, offset, length) of what PRIORITY names, in its order; a table's blocks
    coalesced into runs of consecutive blocks."""
    block = con.execute("SELECT block_size FROM pragma_database_size() "
                        "WHERE database_name = current_database()").fetchone()[0]
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() "
                                        "WHERE database_name = current_database()").fetchall()}
    bid = build_id(con)
    index_dir = folder_of(path) / bid if bid else None
    out = []
    for part in PRIORITY:
        if part.startswith("index:"):
            if index_dir is not None and index_dir.is_dir():
                for f in sorted(index_dir.glob("*" + part[len("index:"):])):
                    out.append((part, f, 0, f.stat().st_size))
            continue
        if part == "keys":
            used = set()
            for table in tables:
                used.update(r[0] for r in con.execute(
                    "SELECT DISTINCT block_id FROM pragma_storage_info(?) WHERE block_id >= 0", [table]).fetchall())
            total = con.execute("SELECT total_blocks FROM pragma_database_size() "
                                "WHERE database_name = current_database()").fetchone()[0]
            blocks = [b for b in range(total) if b not in used]
        elif part not in tables:
            continue
        else:
            blocks = sorted({r[0] for r in con.execute(
                "SELECT DISTINCT block_id FROM pragma_storage_info(?) WHERE block_id >= 0", [part]).fetchall()})
        run_start = prev = None
        for b in blocks + [None]:
            if b is not None and prev is not None and b == prev + 1:
                prev = b
                continue
            if run_start is not None:
                out.append((part, path, HEADER_BYTES + run_start * block, (prev - run_start + 1) * block))
            run_start = prev = b
    return out


def _read_ahead(con, path: Path, report: WarmUp) -> None:
    left = report.budget_bytes
    fds: dict[Path, int] = {}
    try:
        for part, f, offset, length in ranges(con, path):
            if left <= 0 or _STOP.is_set():
                break
            if f not in fds:
                fds[f] = os.open(f, os.O_RDONLY)
            length = min(length, left)
            for at in range(offset, offset + length, CHUNK):
                os.posix_fadvise(fds[f], at, min(CHUNK, offset + length - at), os.POSIX_FADV_WILLNEED)
            left -= length
            report.advised_bytes += length
            if not report.parts or report.parts[-1] != part:
                report.parts.append(part)
    finally:
        for fd in fds.values():
            os.close(fd)


def _search_ready(con, path: Path, report: WarmUp) -> None:
    """jieba's dictionary and the index's searcher, as a first search loads them."""
    prepare_query("空气质量")
    if tantivy_search.ready(con):
        report.parts.append("searcher")


def _first_queries(con, path: Path, report: WarmUp) -> None:
    """One cheap query per page: a key looked up in each table a drill-down reads by key, and
    the small summaries every page lists."""
    row = con.execute("SELECT metric_id, paragraph_id, doc_id FROM points LIMIT 1").fetchone()
    if row is not None:
        con.execute("SELECT count(*) FROM metrics WHERE metric_id = ?", [row[0]]).fetchall()
        con.execute("SELECT count(*) FROM paragraphs WHERE paragraph_id = ?", [row[1]]).fetchall()
        con.execute("SELECT count(*) FROM documents WHERE doc_id = ?", [row[2]]).fetchall()
    for table in ("build_info", "indicator_stats", "region_stats", "coverage"):
        con.execute(f"SELECT count(*) FROM {table}").fetchall()
    report.parts.append("queries")
