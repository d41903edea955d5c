"""Command line: `python -m etl build` and `python -m etl export`.

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

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3

EXIT_CODES = """exit status:
  0  success (documents that could not be read are listed on stderr and in ingest_errors)
  1  build only, with --strict: the build completed but some document could not be read
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


def parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    ap = argparse.ArgumentParser(prog="python -m etl", formatter_class=fmt, epilog=EXIT_CODES, description=(
        "Turn Chinese environmental reports into a DuckDB warehouse of documents, paragraphs and metrics."))
    sub = ap.add_subparsers(dest="command", required=True, metavar="{build,export}")
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
    b.add_argument("--quiet", action="store_true", help="no progress bar (problems are still listed on stderr)")

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
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # pypdf logs the damage it works around ("EOF marker not found") without naming the file;
    # what matters is reported per file by the build
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if args.command == "build":
        return _build(args)
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
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        summary = build(args.raw, args.db, workers=args.workers, progress=not args.quiet)
    except KeyboardInterrupt:
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


def _is_warehouse(path: Path) -> bool:
    import duckdb
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            con.execute("SELECT count(*) FROM metrics JOIN paragraphs USING (paragraph_id)").fetchone()
        return True
    except duckdb.Error:
        return False
