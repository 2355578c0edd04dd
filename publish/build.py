"""``publish build``: manuscript → filtered AST → editions, one narrated function."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from pathlib import Path

from publish import epoch, manifest
from publish.book import load_book
from publish.errors import PublishError
from publish.output import build_lock
from publish.pipeline import parse_book
from publish.render import render
from publish.styles import STYLES

FORMATS = ("pdf", "print", "epub", "html")
# format → the edition module that writes it; both PDFs come from one layout.
EDITION_OF = {"pdf": "pdf", "print": "pdf", "epub": "epub", "html": "html"}


def build(
    manuscript: Path,
    out: Path,
    formats: tuple[str, ...] = FORMATS,
    *,
    strict: bool = False,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """Build the editions named in *formats* into *out*; return the files written."""
    modules = _modules(formats)
    # 0. One date for the whole build (SOURCE_DATE_EPOCH, else the last commit of the sources): reproducible bytes.
    when = epoch.resolve([Path(manuscript), STYLES])
    # 1. Load and validate the manuscript (book.yaml and every chapter).
    book = load_book(manuscript)
    # 2. Parse each chapter once with pandoc and run our filters in process.
    ast = parse_book(book)
    # 3. Render the filtered book to HTML once; each edition lays it out.
    chapters = render(ast)
    # 4. Write each edition atomically: a failure leaves earlier outputs as they were.
    #    A lock on the output folder keeps two builds into it from interleaving.
    with build_lock(out), epoch.pinned(when):
        written = _write_editions(book, chapters, out, modules, formats, strict=strict, log=log)
        # 5. The manifest: every output's hash, the sources' hash, the tools' versions, the date used.
        manifest.write(book, Path(manuscript), out, formats, written, when)
    return written


def _write_editions(book, chapters, out: Path, modules: list[str], formats: tuple[str, ...], *, strict: bool,
                    log: Callable[[str], None]) -> list[Path]:
    written: list[Path] = []
    for module_name in modules:
        started = time.perf_counter()
        edition = importlib.import_module(f"publish.editions.{module_name}")
        if module_name == "pdf":
            variants = tuple(f for f in formats if EDITION_OF[f] == "pdf")
            paths = edition.write(book, chapters, out, variants=variants, strict=strict, log=log)
        else:
            paths = [edition.write(book, chapters, out)]
        for path in paths:
            log(f"{module_name:<5} {path}  ({time.perf_counter() - started:.2f} s)")
        written += paths
    return written


def _modules(formats: tuple[str, ...]) -> list[str]:
    """Edition modules to run, each once, in a fixed order."""
    unknown = [f for f in formats if f not in EDITION_OF]
    if unknown:
        raise PublishError(f"unknown format(s): {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    order = ["pdf", "epub", "html"]
    return [m for m in order if any(EDITION_OF[f] == m for f in formats)]
