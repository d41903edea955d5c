"""Where a build's documents are: the raw folder and, when `EPW_UPLOADS` names a folder outside
it (a mounted volume on a hosted deployment), that folder of documents added from the dashboard.

The documents of the uploads folder are recorded under `uploads/` like the raw folder's own
uploads/ (so `uploads/report.pdf` is the same name wherever the folder lives), and their
origins are in the uploads folder's own `sources.csv` (file names relative to it). Every build
reads both, so the documents added on a hosted dashboard survive a restart: the warehouse is
rebuilt from the raw folder and the uploads (`missing_uploads` says when one lacks them).
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import duckdb

from etl import config
from etl.warehouse import sources

UPLOADS = "uploads"                 # the recorded names' prefix of added documents


def uploads_dir(raw_dir: str | Path) -> Path:
    """Where documents added from the dashboard go: $EPW_UPLOADS, else raw_dir/uploads."""
    return config.uploads_dir(Path(raw_dir))


def separate_uploads(raw_dir: str | Path) -> Path | None:
    """The uploads folder when it is outside raw_dir (and so not read with it), else None."""
    folder = uploads_dir(raw_dir)
    raw = os.path.realpath(raw_dir)
    try:
        inside = os.path.commonpath([os.path.realpath(folder), raw]) == raw
    except ValueError:                  # another drive (Windows): not inside
        inside = False
    return None if inside else folder


def recorded(rel: str) -> str:
    """A path relative to the uploads folder, as the warehouse records it."""
    return f"{UPLOADS}/{rel}"


def merge_listing(files: list, problems: list, renamed: list, extra_files: list, extra_problems: list,
                  extra_renamed: list) -> None:
    """Add the uploads folder's listing (names relative to it) to the raw folder's, in place:
    its names are prefixed with uploads/; a name the raw folder already has is a problem."""
    taken = {rel for _, rel in files}
    for path, rel in extra_files:
        name = recorded(rel)
        if name in taken:
            problems.append((name, f"{config.setting_path('EPW_UPLOADS')} and the raw folder both hold this "
                                   "name: the raw folder's file is read"))
        else:
            files.append((path, name))
    problems += [(recorded(rel), why) for rel, why in extra_problems]
    renamed += [(recorded(rel), why) for rel, why in extra_renamed]


def read_origins(raw_dir: Path, known_files: set[str]) -> tuple[list[sources.Origin], list[str]]:
    """sources.read_sources of the raw folder and, when separate, of the uploads folder (its rows
    renamed to uploads/…, its problems prefixed with uploads/sources.csv)."""
    origins, problems = sources.read_sources(raw_dir, known_files)
    folder = separate_uploads(raw_dir)
    if folder is None:
        return origins, problems
    prefix = recorded("")
    mine = {name[len(prefix):] for name in known_files if name.startswith(prefix)}
    extra, extra_problems = sources.read_sources(folder, mine)
    origins += [dataclasses.replace(o, file=recorded(o.file)) for o in extra]
    problems += [f"{recorded(sources.SOURCES_FILE)}: {p}" for p in extra_problems]
    return origins, problems


def origin_files(raw_dir: Path) -> list[tuple[str, Path]]:
    """The sources.csv files a build reads (name for the manifest, path) that exist."""
    out = [(sources.SOURCES_FILE, raw_dir / sources.SOURCES_FILE)]
    folder = separate_uploads(raw_dir)
    if folder is not None:
        out.append((recorded(sources.SOURCES_FILE), folder / sources.SOURCES_FILE))
    return [(name, path) for name, path in out if path.is_file()]


def origin_root(raw_dir: Path) -> tuple[Path, str]:
    """Where an added document's origin is recorded, and the prefix of its name there: the
    uploads folder's sources.csv ('') when it is separate, else the raw folder's ('uploads/')."""
    folder = separate_uploads(raw_dir)
    return (folder, "") if folder is not None else (Path(raw_dir), recorded(""))


def missing_uploads(raw_dir: str | Path, db_path: str | Path) -> list[str]:
    """The documents of a separate uploads folder that the warehouse neither holds nor lists as
    failed (after a restart on a fresh or prebuilt warehouse); [] when there is no such folder.
    Names only, nothing is read: cheap enough for every start."""
    folder = separate_uploads(raw_dir)
    if folder is None or not folder.is_dir():
        return []
    names = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            rel = (Path(root) / name).relative_to(folder).as_posix()
            if not name.startswith(".") and rel != sources.SOURCES_FILE:
                names.append(recorded(rel))
    if not names:
        return []
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            known = {row[0] for row in con.execute(
                "SELECT file FROM documents UNION SELECT file FROM ingest_errors").fetchall()}
    except (duckdb.Error, OSError):
        return sorted(names)
    return sorted(set(names) - known)
