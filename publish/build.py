"""``publish build``: manuscript → filtered AST → editions, one narrated function."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from pathlib import Path

from publish import cache, epoch, styles, weasy
from publish.errors import PublishError
from publish.output import build_lock, publish_staged, staging
from publish.worker import Worker

FORMATS = ("pdf", "print", "epub", "html")
# format → the edition module that writes it; both PDFs come from one layout.
EDITION_OF = {"pdf": "pdf", "print": "pdf", "epub": "epub", "html": "html"}
Log = Callable[[str], None]


def build(
    manuscript: Path,
    out: Path,
    formats: tuple[str, ...] = FORMATS,
    *,
    strict: bool = False,
    force: bool = False,
    log: Log = print,
) -> list[Path]:
    """Build the editions named in *formats* into *out*; return the files written (or reused)."""
    manuscript, out = Path(manuscript), Path(out)
    modules = _modules(formats)
    # 0. One date for the whole build (SOURCE_DATE_EPOCH, else the last commit of the sources): reproducible bytes.
    when = epoch.resolve([manuscript, styles.root()])
    # A lock on the output folder keeps two builds into it from interleaving.
    with build_lock(out), epoch.pinned(when):
        # 1. Which editions are stale? Keyed by the hash of all that goes into each.
        record = cache.Cache(out)
        keys = cache.keys(manuscript, {m: _options(m, formats, strict, when.seconds) for m in modules}, out)
        reused = {m: paths for m in modules if not force and (paths := record.fresh(m, keys[m])) is not None}
        for module_name, paths in reused.items():
            for path in paths:
                log(f"{module_name:<5} {path}  (unchanged)")
        stale = [m for m in modules if m not in reused]
        if not stale and _manifest_formats(out) == list(formats):
            return [p for m in modules for p in reused[m]]
        from publish import manifest
        from publish.book import load_book

        # 2. Load and validate the manuscript (book.yaml and every chapter).
        book = load_book(manuscript)
        # 3–4. Every stale edition is written into a staging folder first and
        #      published only when all have succeeded: a build that fails
        #      part-way leaves every previous output as it was.
        #      While the PDF worker lays the book out, this process prepares the manifest.
        prepared: dict = {}

        def spare_time() -> None:
            prepared.update(manifest.prepare(book, manuscript, out, formats, when))

        with staging(out) as stage:
            written = (_build_stale(book, stage, out, stale, formats, strict=strict, log=log, spare_time=spare_time)
                       if stale else {})
            written = {m: publish_staged(stage, out, paths) for m, paths in written.items()}
        for module_name in stale:
            record.record(module_name, keys[module_name], written[module_name])
        record.save()
        every = [p for m in modules for p in (reused.get(m) or written[m])]
        # 5. The manifest: every output's hash, the sources' hash, the tools' versions, the date used.
        manifest.write(book, manuscript, out, formats, every, when, prepared or None)
    return every


def _build_stale(book, stage: Path, out: Path, modules: list[str], formats: tuple[str, ...], *, strict: bool,
                 log: Log, spare_time: Callable[[], None] = lambda: None) -> dict[str, list[Path]]:
    """Write the *modules* into *stage*; *out* holds the chapter cache and names the files in the log."""
    variants = tuple(f for f in formats if EDITION_OF[f] == "pdf")
    # The PDF edition, the long pole, gets a forked worker now: it imports
    # WeasyPrint while this process parses, then lays the book out on the
    # other core while this one writes the EPUB and HTML.
    pdf_worker = _pdf_worker(book, stage, variants, strict) if "pdf" in modules and len(modules) > 1 else None
    try:
        # 3. Parse each chapter once with pandoc and run our filters in process.
        from publish.pipeline import parse_book
        from publish.render import dump, render

        ast = parse_book(book, cache_dir=out / ".publish-cache")
        # 4. Render the filtered book to HTML once; each edition lays it out,
        #    atomically: a failure leaves earlier outputs as they were.
        chapters = render(ast, warn=lambda message: log(f"build warning: {message}"))
    except BaseException:
        if pdf_worker is not None:
            pdf_worker.cancel()
        raise
    if pdf_worker is not None:
        pdf_worker.send(dump(chapters))
    written: dict[str, list[Path]] = {}
    try:
        for module_name in modules:
            if module_name != "pdf" or pdf_worker is None:
                result = _write_edition(module_name, book, chapters, stage, variants, strict)
                written[module_name] = _report(module_name, *result, stage, out, log)
    except BaseException:
        if pdf_worker is not None:
            pdf_worker.cancel(kill=True)
        raise
    if pdf_worker is not None:
        spare_time()
        written["pdf"] = _report("pdf", *pdf_worker.result(), stage, out, log)
    return {m: written[m] for m in modules}


def _pdf_worker(book, out: Path, variants: tuple[str, ...], strict: bool) -> Worker:
    def prepare() -> None:
        weasy.load()  # the cost this worker exists to pay early
        importlib.import_module("publish.editions.pdf")

    def job(data: list[dict]) -> tuple:
        from publish.render import load

        return _write_edition("pdf", book, load(data), out, variants, strict)

    return Worker(prepare, job)


def _write_edition(module_name: str, book, chapters, out: Path, variants: tuple[str, ...],
                   strict: bool) -> tuple[list[Path], list[str], float]:
    """Write one edition; return its files, the lines it logged and the seconds it took."""
    started = time.perf_counter()
    lines: list[str] = []
    edition = importlib.import_module(f"publish.editions.{module_name}")
    if module_name == "pdf":
        paths = edition.write(book, chapters, out, variants=variants, strict=strict, log=lines.append)
    else:
        paths = [edition.write(book, chapters, out)]
    return paths, lines, time.perf_counter() - started


def _report(module_name: str, paths: list[Path], lines: list[str], seconds: float, stage: Path, out: Path,
            log: Log) -> list[Path]:
    for line in lines:
        log(line)
    for path in paths:
        log(f"{module_name:<5} {out / path.relative_to(stage)}  ({seconds:.2f} s)")
    return paths


def _manifest_formats(out: Path) -> list[str] | None:
    """The formats the manifest in *out* was written for (None if there is none to read)."""
    import json

    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8")).get("formats")
    except (OSError, ValueError, AttributeError):
        return None


def _options(module_name: str, formats: tuple[str, ...], strict: bool, seconds: int) -> dict:
    variants = sorted(f for f in formats if EDITION_OF[f] == module_name)
    return {"variants": variants, "strict": strict, "source_date_epoch": seconds}


def _modules(formats: tuple[str, ...]) -> list[str]:
    """Edition modules to run, each once, in a fixed order."""
    unknown = [f for f in formats if f not in EDITION_OF]
    if unknown:
        raise PublishError(f"unknown format(s): {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    order = ["pdf", "epub", "html"]
    return [m for m in order if any(EDITION_OF[f] == m for f in formats)]
