"""The tantivy index of a warehouse being built, written while the workers still run.

    feed = Feed(final_path)          # the build, before the first rows are loaded
    feed.add_loaded(con)             # after each load commits: the paragraphs it added
    feed.commit_beside()             # the loads are over: the last segment written in a thread
    feed.close()                     # ... or here (and a commit_beside waited for): memory freed
    feed.place(db_file)              # after write.finish, before the swap: renamed to its build_id
    feed.abort()                     # the build failed: the folder goes

Why
---
Indexed after the warehouse was finished (tantivy_index.build_beside), the index was the longest
serial step of a build: on two cores, the workers' reading and the build process's indexing could
not share the machine. Fed as each batch of shards is loaded, tantivy indexes in the build process
(its writer threads) while the workers read the next documents, and the build ends with a
commit.

Why the rows are the same as build_beside's
-------------------------------------------
tantivy_index.py's document of a paragraph holds its sid, which is paragraphs.rowid of the finished
warehouse (search_docs.sid). Paragraphs are only appended during a build (a load that fails is
rolled back before anything of it is read here), never deleted, and the keys, the sort of metrics
and the search tables added by write.finish leave the paragraphs' rowids as they were; so a
paragraph's rowid is known once its load has committed. The paragraphs each load added are those
from the first rowid not yet indexed; their metrics (loaded in the same transaction, a document's
rows together) are those from the first metrics rowid not yet read, and give each paragraph the
regions search_regions will give it; year and document region come from documents, which no later
step changes for these columns (sources.apply_origins fills only source_* columns). place() checks
the counts against the finished warehouse's search_meta and, should they differ, hands back None:
the caller then indexes the finished file as before.

Where it is written
-------------------
Into `building.tmp-<pid>` in the search folder beside the final warehouse: a build killed before
its swap leaves it, and tantivy_index.remove_unused removes it once that process is gone (as it
does build_beside's temporary folders).
"""
from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import duckdb

from etl.warehouse.search import tantivy_index as ti

# The paragraphs added since the last call (rowid >= $1) with the regions of the metrics added
# since then (rowid >= $2): the rows of tantivy_index.ROWS_SQL, read as each load commits.
NEW_ROWS_SQL = """
SELECT p.rowid AS sid, coalesce(p.text_simplified, '') AS text, p.doc_id, d.report_year, d.region, r.names,
       p.paragraph_id, p.seq, p.heading, p.text AS shown
FROM paragraphs p
LEFT JOIN documents d ON d.doc_id = p.doc_id
LEFT JOIN (SELECT paragraph_id, list(DISTINCT name) AS names
           FROM (SELECT paragraph_id, region AS name FROM metrics WHERE rowid >= $2
                 UNION ALL SELECT paragraph_id, region_code FROM metrics WHERE rowid >= $2)
           WHERE name IS NOT NULL GROUP BY paragraph_id) r ON r.paragraph_id = p.paragraph_id
WHERE p.rowid >= $1 AND p.rowid < $3
"""
NEXT_ROWIDS_SQL = """SELECT (SELECT coalesce(max(rowid) + 1, 0) FROM paragraphs),
                            (SELECT coalesce(max(rowid) + 1, 0) FROM metrics)"""
TEMP_NAME = "building"
# The writer's memory while the workers run beside it (the build's peak): 96 MB flushes a segment
# about every 12 M characters, 6 segments at 200 MB of documents, under the 8 at which tantivy
# starts merging them (64 MB: 10, and a merge maps most of the index); 128 MB cost 30 MB more
# of the peak. Rows are read a thousand at a time: a batch's texts, characters and pairs (four
# bytes a character each, and the numpy arrays that make them) cost about 10 MB a thousand.
HEAP = 96_000_000
ROWS = 1_000
# A load's paragraphs are read this many at a time, each range a query of its own: DuckDB holds a
# query's whole result until it is fetched (a 4 M-character batch, 20,000 paragraphs, their text
# twice over), which at the load's memory limit beside the writer's heap made the build's peak.
RANGE = 4_000


class Feed:
    def __init__(self, final_path: str | Path, threads: int = 1):
        self.root = ti.folder_of(final_path)
        self.made_root = not self.root.exists()
        self.root.mkdir(parents=True, exist_ok=True)
        self.path = self.root / f"{TEMP_NAME}.tmp-{os.getpid()}"
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir()
        self.writer = ti.open_writer(self.path, threads, HEAP)
        self.next_paragraph = self.next_metric = 0     # rowids below these are indexed (read)
        self.n = self.chars = 0
        self.committing: threading.Thread | None = None     # commit_beside's thread
        self.failed: BaseException | None = None

    def add_loaded(self, con: duckdb.DuckDBPyConnection) -> None:
        """Index the paragraphs loaded into `con` since the last call (their loads committed)."""
        next_paragraph, next_metric = con.execute(NEXT_ROWIDS_SQL).fetchone()
        if next_paragraph <= self.next_paragraph:
            self.next_metric = max(self.next_metric, next_metric)
            return
        cur = con.cursor()
        try:
            for start in range(self.next_paragraph, next_paragraph, RANGE):
                cur.execute(NEW_ROWS_SQL, [start, self.next_metric, min(start + RANGE, next_paragraph)])
                while rows := cur.fetchmany(min(ROWS, ti.BATCH_ROWS)):
                    n, chars = ti.add_rows(self.writer, rows)
                    self.n, self.chars = self.n + n, self.chars + chars
        finally:
            cur.close()
        self.next_paragraph, self.next_metric = next_paragraph, next_metric

    def close(self) -> None:
        """Every load is indexed: the index committed, the writer's memory given back (after a
        commit_beside, once its thread is done; its error, if any, raised here)."""
        if self.committing is not None:
            self.committing.join()
            self.committing = None
            if self.failed is not None:
                raise self.failed
        if self.writer is not None:
            self.writer.commit()
            self.writer.wait_merging_threads()
            self.writer = None

    def commit_beside(self) -> None:
        """close() in a thread: tantivy writes the last segment (its Rust code lets go of the
        GIL) while the build finishes the warehouse file, rather than before it does."""
        if self.writer is None or self.committing is not None:
            return

        def commit():
            try:
                self.writer.commit()
                self.writer.wait_merging_threads()
            except BaseException as e:  # close() raises it in the build's thread
                self.failed = e
            self.writer = None

        self.committing = threading.Thread(target=commit, name="tantivy-commit", daemon=True)
        self.committing.start()

    def place(self, db_file: str | Path) -> Path | None:
        """The index, under the build_id of the finished warehouse file `db_file` (marker written,
        synced, renamed), when it holds that warehouse's paragraphs; else None (and it is removed)."""
        self.close()
        with duckdb.connect(str(db_file), read_only=True) as con:
            bid = ti.build_id(con)
            meta = dict(con.execute("SELECT key, value FROM search_meta").fetchall()) if bid else {}
            rowids = con.execute("SELECT coalesce(max(rowid) + 1, 0) FROM paragraphs").fetchone()[0]
        if bid is None or int(meta.get("n_paragraphs", -1)) != self.n or rowids != self.next_paragraph:
            self.abort()
            return None
        info = {"format": ti.FORMAT, "paragraphs": self.n, "chars": self.chars, "build_id": bid, "n_paragraphs": self.n,
                "passages": True}
        (self.path / ti.MARKER).write_text(json.dumps(info), encoding="utf-8")
        ti.sync_folder(self.path)
        done = self.root / bid
        shutil.rmtree(done, ignore_errors=True)
        os.replace(self.path, done)
        ti.sync_folder(self.root)
        return done

    def abort(self) -> None:
        """The folder goes (and the search folder, when this build made it and nothing else is in it)."""
        if self.committing is not None:
            self.committing.join()
            self.committing = None
        self.writer = None
        shutil.rmtree(self.path, ignore_errors=True)
        try:
            if self.made_root and not any(self.root.iterdir()):
                self.root.rmdir()
        except OSError:
            pass
