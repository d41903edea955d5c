"""Command line: `python -m etl build`, `fetch`, `export` and `publish` (a warehouse for hosting).

Exit codes: 0 success; 1 the build finished but documents failed and --strict
was given; 2 bad usage or a missing input; 3 the build or export failed (the
warehouse in place is untouched).
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from etl import config
from etl.warehouse.build import build
from etl.warehouse.export import DEFAULT_MIN_CONFIDENCE, FORMATS, export
from etl.warehouse.fetch import Policy, fetch_urls
from etl.warehouse.prebuilt import Refused, publish

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3

EXIT_CODES = """exit status:
  0  success (documents that could not be read are listed on stderr and in ingest_errors)
  1  build or fetch with --strict: the build completed but some document (fetch: some link) failed
  2  bad usage, or a missing input (no such folder of documents, no warehouse to export)
  3  the build or export failed; the warehouse in place is unchanged"""


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _confidence(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= x <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return x


def _positive(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not x > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return x


def _count(text: str) -> int:
    n = _workers(text) if text != "0" else 0
    return n


def parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    ap = argparse.ArgumentParser(prog="python -m etl", formatter_class=fmt, epilog=EXIT_CODES, description=(
        "Turn Chinese environmental reports into a DuckDB warehouse of documents, paragraphs and metrics."))
    sub = ap.add_subparsers(dest="command", required=True, metavar="{build,fetch,export,publish}")
    b = sub.add_parser("build", help="build or refresh the warehouse from a folder of documents",
                       formatter_class=fmt, epilog=EXIT_CODES,
                       description="Read every document in --raw (txt in any common Chinese encoding, html, docx,\n"
                                   "pdf), extract the metrics and swap in a new warehouse atomically: readers see\n"
                                   "the old warehouse until the new one is complete. Unchanged documents are reused\n"
                                   "from the previous build. A document that cannot be read does not stop the\n"
                                   "build: it is named on stderr and recorded in the table ingest_errors.\n"
                                   "Prints a summary line (documents, paragraphs, metrics, errors, seconds).")
    b.add_argument("--raw", default=config.RAW_DEFAULT, type=Path, metavar="DIR",
                   help="folder of documents, read recursively; hidden files are skipped (default: data/raw)")
    b.add_argument("--db", default=config.DB_DEFAULT, type=Path, metavar="PATH",
                   help="warehouse file to create or refresh (default: data/warehouse.duckdb); the build "
                        "writes .NAME.building-PID beside it and renames it over PATH when done")
    b.add_argument("--workers", type=_workers, default=None, metavar="N",
                   help="worker processes that read documents (default: one per CPU core; 1 reads them in "
                        "this process)")
    b.add_argument("--strict", action="store_true",
                   help="exit with status 1 when any document could not be read (the build still completes "
                        "and the warehouse is replaced)")
    b.add_argument("--allow-shrink", action="store_true",
                   help="replace the warehouse even when the folder holds fewer than half of its documents "
                        "(without it, an empty, unmounted or unreadable folder leaves the warehouse as it was)")
    b.add_argument("--quiet", action="store_true", help="no progress bar (problems are still listed on stderr)")
    b.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local (default): worker processes on this machine; dask: the same per-document "
                        "function over a dask.distributed cluster (--scheduler, else a LocalCluster of --workers "
                        "processes)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: the scheduler to use (tcp://host:8786); every worker must run this "
                        "code and see --raw at the same path and --shards at the same address")
    b.add_argument("--shards", metavar="DIR",
                   help="folder or fsspec URL of the Parquet shards the workers write and the build loads, "
                        "also the cache of unchanged documents (default: $EPW_SHARDS, else .NAME.shards beside "
                        "the warehouse)")

    f = sub.add_parser("fetch", help="add reports by link: fetch them into the raw folder and build",
                       formatter_class=fmt, epilog=EXIT_CODES,
                       description="Fetch each URL politely (one request at a time, a pause between two requests to\n"
                                   "the same host, retries with backoff, a timeout, a size limit, the content type\n"
                                   "checked, redirects followed), store the bytes as received under\n"
                                   "DIR/fetched/<host>/, record the origin (url, final url, time) in DIR/sources.csv,\n"
                                   "then run the same incremental build as `build`. A URL fetched again keeps its\n"
                                   "file (rewritten only when the bytes changed); bytes already in DIR under another\n"
                                   "name are not stored twice (the link is added to that document). A link that\n"
                                   "fails is named with its reason on stderr; the others go on.")
    f.add_argument("urls", nargs="*", metavar="URL", help="http(s) links of reports")
    f.add_argument("--list", type=Path, metavar="FILE", help="a file of links, one a line (# starts a comment)")
    f.add_argument("--raw", default=config.RAW_DEFAULT, type=Path, metavar="DIR",
                   help="folder of documents to add to (default: data/raw)")
    f.add_argument("--db", default=config.DB_DEFAULT, type=Path, metavar="PATH",
                   help="warehouse to refresh afterwards (default: data/warehouse.duckdb)")
    f.add_argument("--no-build", action="store_true", help="only fetch; build later with `python -m etl build`")
    f.add_argument("--timeout", type=_positive, default=Policy.timeout, metavar="S",
                   help=f"seconds to wait to connect and between reads (default: {Policy.timeout:g})")
    f.add_argument("--max-mb", type=_positive, default=Policy.max_bytes / 2**20, metavar="MB",
                   help=f"largest document accepted, in MiB (default: {Policy.max_bytes / 2**20:g})")
    f.add_argument("--retries", type=_count, default=Policy.retries, metavar="N",
                   help=f"retries of a failed connection or a 429/502/503/504 answer (default: {Policy.retries})")
    f.add_argument("--delay", type=float, default=Policy.delay, metavar="S",
                   help=f"seconds between two requests to the same host (default: {Policy.delay:g})")
    f.add_argument("--workers", type=_workers, default=None, metavar="N", help="worker processes of the build that follows (as for build)")
    f.add_argument("--strict", action="store_true", help="exit with status 1 when a link or a document failed")
    f.add_argument("--quiet", action="store_true", help="no progress bar during the build (links are still listed)")
    f.set_defaults(allow_shrink=False)   # the build after a fetch only adds documents

    e = sub.add_parser("export", help="write every metric with its source passage to a file",
                       formatter_class=fmt, epilog=EXIT_CODES,
                       description="Write one row per metric: doc, indicator, region, year, months, kind, value,\n"
                                   "unit, qualifier, value_text, evidence (the cleaned passage that holds the\n"
                                   "value, at most 600 characters), paragraph id, offsets (para_start/para_end in\n"
                                   "the paragraph, raw_start/raw_end in the document's text) and confidence.\n"
                                   "The format follows the suffix of --out.")
    e.add_argument("--db", default=config.DB_DEFAULT, type=Path, metavar="PATH",
                   help="warehouse to read, opened read-only (default: data/warehouse.duckdb)")
    e.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help="output file: .csv, .jsonl, .parquet or .xlsx (replaced atomically when it exists)")
    e.add_argument("--include-undated", action="store_true",
                   help="also export values whose year the text does not tell (left out by default: "
                        "they cannot be placed on a time axis)")
    e.add_argument("--min-confidence", type=_confidence, default=DEFAULT_MIN_CONFIDENCE, metavar="X",
                   help="leave out values whose confidence is below X, between 0 and 1 (default: "
                        f"{DEFAULT_MIN_CONFIDENCE}; 0 keeps all)")
    p = sub.add_parser("publish", help="copy a warehouse for hosted dashboards to install (EPW_PREBUILT)",
                       formatter_class=fmt, epilog=EXIT_CODES,
                       description="Check that --db is a warehouse built by this code, copy it to --out (atomically)\n"
                                   "and write its SHA-256 to OUT.sha256. Serve OUT (or copy it where the dashboard\n"
                                   "runs) and set EPW_PREBUILT and EPW_PREBUILT_SHA256 (README: Hosting).")
    p.add_argument("--db", default=config.DB_DEFAULT, type=Path, metavar="PATH",
                   help="warehouse to publish (default: data/warehouse.duckdb)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="where to write the copy")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # pypdf logs the damage it works around ("EOF marker not found") without naming the file;
    # what matters is reported per file by the build
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if args.command == "build":
        return _build(args)
    if args.command == "fetch":
        return _fetch(args)
    if args.command == "publish":
        return _publish(args)
    return _export(args)


def _terminate(signum, frame):
    # a SIGTERM ends the build like Ctrl-C: the temporary file is removed, the warehouse kept
    raise KeyboardInterrupt


def _build(args) -> int:
    if not args.raw.is_dir():
        print(f"error: no such folder of documents: {args.raw}", file=sys.stderr)
        return EXIT_USAGE
    if args.db.is_dir():
        print(f"error: --db names a folder, not a warehouse file: {args.db}", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "scheduler", None) and getattr(args, "engine", "local") != "dask":
        print("error: --scheduler needs --engine dask", file=sys.stderr)
        return EXIT_USAGE
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        summary = build(args.raw, args.db, workers=args.workers, progress=not args.quiet,
                        allow_shrink=args.allow_shrink, engine=getattr(args, "engine", "local"),
                        scheduler=getattr(args, "scheduler", None), shards_dir=getattr(args, "shards", None))
    except KeyboardInterrupt:
        # DuckDB, stopped in a query by the interrupt, raises it once more afterwards (a simulated
        # SIGINT): the build has already stopped and cleaned up, and exits with status 3
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("interrupted: the warehouse in place is unchanged", file=sys.stderr)
        return EXIT_FAILED
    except Exception as e:  # the message names what failed; the old warehouse is intact
        print(f"error: build failed, the warehouse in place is unchanged: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(summary.line())
    if summary.duplicates:
        print(f"{len(summary.duplicates)} duplicate file(s) stored once", file=sys.stderr)
    if summary.errors:
        print(f"{len(summary.errors)} document(s) could not be read:", file=sys.stderr)
        for file, stage, msg in summary.errors:
            print(f"  {file}: {msg}", file=sys.stderr)
    return EXIT_STRICT if (args.strict and summary.errors) else EXIT_OK


def _fetch(args) -> int:
    urls = list(args.urls)
    if args.list is not None:
        try:
            lines = args.list.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            print(f"error: cannot read the list of links {args.list}: {e}", file=sys.stderr)
            return EXIT_USAGE
        urls += [u.strip() for u in lines if u.strip() and not u.lstrip().startswith("#")]
    if not urls:
        print("error: no links: give URLs or --list FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.raw.exists() and not args.raw.is_dir():
        print(f"error: --raw names a file, not a folder: {args.raw}", file=sys.stderr)
        return EXIT_USAGE
    policy = Policy(timeout=args.timeout, max_bytes=int(args.max_mb * 2**20), retries=args.retries,
                    delay=max(0.0, args.delay))
    results = fetch_urls(list(dict.fromkeys(urls)), args.raw, policy, log=lambda line: print(line, file=sys.stderr))
    failed = [r for r in results if not r.ok]
    print(f"{len(results) - len(failed)} of {len(results)} links fetched, {len(failed)} failed")
    if args.no_build:
        return EXIT_STRICT if (args.strict and failed) else EXIT_OK
    code = _build(args)
    return EXIT_STRICT if (args.strict and failed and code == EXIT_OK) else code


def _export(args) -> int:
    import duckdb
    if not args.db.is_file():
        print(f"error: no warehouse at {args.db}: run `python -m etl build` first", file=sys.stderr)
        return EXIT_USAGE
    if args.out.suffix.lower() not in FORMATS:
        print(f"error: unsupported export format {args.out.suffix!r}: use {', '.join(FORMATS)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        n = export(args.db, args.out, include_undated=args.include_undated, min_confidence=args.min_confidence)
    except duckdb.Error as e:
        if not _is_warehouse(args.db):
            print(f"error: {args.db} is not a warehouse built by `python -m etl build`: {e}", file=sys.stderr)
            return EXIT_USAGE
        print(f"error: export failed: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as e:
        print(f"error: export failed: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{n} metrics written to {args.out}")
    return EXIT_OK


def _publish(args) -> int:
    if not args.db.is_file():
        print(f"error: no warehouse at {args.db}: run `python -m etl build` first", file=sys.stderr)
        return EXIT_USAGE
    try:
        digest, size = publish(args.db, args.out)
    except Refused as e:
        print(f"error: {args.db} cannot be published: {e}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as e:
        print(f"error: publish failed: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{args.out} ({size / 2**20:.1f} MB) and {args.out}.sha256 written; serve it and set\n"
          f"  EPW_PREBUILT=<its path or https link>\n  EPW_PREBUILT_SHA256={digest}")
    return EXIT_OK


def _is_warehouse(path: Path) -> bool:
    import duckdb
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            con.execute("SELECT count(*) FROM metrics JOIN paragraphs USING (paragraph_id)").fetchone()
        return True
    except duckdb.Error:
        return False
