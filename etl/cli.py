"""Command line: `python -m etl build` and `python -m etl export`.

Exit codes: 0 success; 1 the build finished but documents failed and --strict
was given; 2 bad usage or a missing input; 3 the build or export failed (the
warehouse in place is untouched).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m etl", description=(
        "Turn Chinese environmental reports into a DuckDB warehouse of documents, paragraphs and metrics."))
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build or refresh the warehouse from a folder of documents",
                       description="Read every document in --raw (txt in any common Chinese encoding, html, docx, "
                                   "pdf), extract the metrics and swap in a new warehouse atomically. Unchanged "
                                   "documents are reused from the previous build.")
    b.add_argument("--raw", default="data/raw", type=Path, help="folder of documents (default: data/raw)")
    b.add_argument("--db", default="data/warehouse.duckdb", type=Path,
                   help="warehouse file to create or refresh (default: data/warehouse.duckdb)")
    b.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: one per core; 1 processes in this process)")
    b.add_argument("--strict", action="store_true",
                   help="exit with status 1 when any document could not be read (the build still completes)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")

    e = sub.add_parser("export", help="write every metric with its source passage to a file",
                       description="Write one row per metric, with document, passage (evidence), paragraph id, "
                                   "offsets and confidence. The format follows the suffix of --out.")
    e.add_argument("--db", default="data/warehouse.duckdb", type=Path, help="warehouse (default: data/warehouse.duckdb)")
    e.add_argument("--out", required=True, type=Path, help="output file: .csv, .jsonl or .parquet")
    e.add_argument("--include-undated", action="store_true",
                   help="also export values whose year the text does not tell (left out by default: "
                        "they cannot be placed on a time axis)")
    e.add_argument("--min-confidence", type=float, default=0.0, help="leave out values below this confidence (0-1)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    return _export(args)


def _build(args) -> int:
    from etl.build import build
    if not args.raw.is_dir():
        print(f"error: no such folder of documents: {args.raw}", file=sys.stderr)
        return EXIT_USAGE
    try:
        summary = build(args.raw, args.db, workers=args.workers, progress=not args.quiet)
    except KeyboardInterrupt:
        print("interrupted: the warehouse in place is unchanged", file=sys.stderr)
        return EXIT_FAILED
    except Exception as e:  # the message names what failed; the old warehouse is intact
        print(f"error: build failed, the warehouse in place is unchanged: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    print(summary.line())
    if summary.errors:
        print(f"{len(summary.errors)} document(s) could not be read:", file=sys.stderr)
        for file, stage, msg in summary.errors:
            print(f"  {file}: {msg}", file=sys.stderr)
    return EXIT_STRICT if (args.strict and summary.errors) else EXIT_OK


def _export(args) -> int:
    from etl.export import export
    if not args.db.exists():
        print(f"error: no warehouse at {args.db}: run `python -m etl build` first", file=sys.stderr)
        return EXIT_USAGE
    try:
        n = export(args.db, args.out, include_undated=args.include_undated, min_confidence=args.min_confidence)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as e:
        print(f"error: export failed: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{n} metrics written to {args.out}")
    return EXIT_OK
