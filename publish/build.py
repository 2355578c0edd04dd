"""``publish build``: manuscript → filtered AST → editions, one narrated function."""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from publish import noop
from publish import plan as plans
from publish.plan import NAMES, BuildPlan

if TYPE_CHECKING:  # imported where used: a build with nothing to do must not pay for them (noop.py)
    from publish.epoch import Epoch
    from publish.styles import Styles
    from publish.worker import Worker

Log = Callable[[str], None]
# What the person building is told while an edition is being made (``progress``).
PHASES = {"pdf": "laying out the PDF", "epub": "writing the EPUB", "html": "writing the HTML edition"}
# Lines for ``publish -v``: what the build decided.
DETAIL = logging.getLogger("publish.detail")


def build(
    manuscript: Path,
    out: Path,
    formats: tuple[str, ...] = NAMES,
    *,
    strict: bool = False,
    force: bool = False,
    overwrite: bool = False,
    styles: Styles | None = None,
    date: Epoch | None = None,
    log: Log = print,
    progress: Log | None = None,
) -> list[Path]:
    """Build the editions named in *formats* into *out*; return the files written (or reused).

    *styles* (default: the toolchain's own) and *date* (default: resolved
    from ``SOURCE_DATE_EPOCH`` or git) are for the diff, which builds a
    revision with its styles and one date for both sides.
    """
    plans.check_names(tuple(formats))  # before anything is read or imported
    # Nothing changed since the last build? Its record says so from file stamps alone (noop.py).
    fixed = styles is None and date is None  # the diff's builds bring their own styles and date: never recorded
    asked = noop.request(manuscript, out, tuple(formats), strict, overwrite) if fixed else None
    if asked is not None and not force and (record := noop.answer(asked)) is not None:
        for warning in record["warnings"]:
            print(f"publish: warning: {warning}", file=sys.stderr)
        for line in record["lines"]:
            log(line)
        return [Path(path) for path in record["outputs"]]
    from publish import snapshot

    # one read of each manuscript file for the whole build (publish.snapshot)
    return snapshot.scoped(_build)(manuscript, out, tuple(formats), asked, strict=strict, force=force,
                                   overwrite=overwrite, styles=styles, date=date, log=log, progress=progress)


def _build(manuscript: Path, out: Path, formats: tuple[str, ...], asked: dict | None, *, strict: bool,
           force: bool, overwrite: bool, styles: Styles | None, date: Epoch | None, log: Log,
           progress: Log | None) -> list[Path]:
    """``build``'s full way: the book loaded, each edition checked by its key, the stale ones written."""
    from publish import book_styles, cache, outdir
    from publish.book import load_book
    from publish.output import build_lock, finish, publish_all, staging
    from publish.styles import Styles

    # Not into the manuscript, a system folder, or a folder of someone's files (unless --overwrite).
    outdir.refuse_unsafe(Path(out), Path(manuscript), overwrite)
    # 0. Load and validate the manuscript (book.yaml and every chapter), then
    #    make the plan, once: the date, the styles and the options in force.
    book = load_book(manuscript)
    for warning in book.warnings:
        print(f"publish: warning: {warning}", file=sys.stderr)
    # The styles in force: the toolchain's (or the diff's revision's), with the book's own laid over.
    styles = book_styles.in_force(styles or Styles(), book.root, book.metadata.css)
    plan = plans.make(manuscript, out, tuple(formats), styles=styles, date=date, strict=strict, force=force,
                      raw_html=book.metadata.raw_html)
    # A lock on the output folder keeps two builds into it from interleaving.
    DETAIL.info("plan: editions %s, date %s (%s), styles %s", ",".join(plan.editions), plan.date.iso,
                plan.date.origin, plan.styles.root)
    with build_lock(plan.out, waiting=progress):
        # 1. Which editions are stale? Keyed by the hash of all that goes into each.
        record = cache.Cache(plan.out)
        keys = cache.keys(plan)
        reused = {m: paths for m in plan.modules if not force and (paths := record.fresh(m, keys[m])) is not None}
        for module_name, paths in reused.items():
            for path in paths:
                log(f"{module_name:<5} {path}  (unchanged)")
        stale = [m for m in plan.modules if m not in reused]
        if not stale and _manifest_formats(plan.out) == list(plan.editions):
            every = [p for m in plan.modules for p in reused[m]]
            _remember(asked, plan, book, reused)
            return every
        from publish import manifest

        noop.forget(plan.out)  # the outputs are about to change

        # 2–3. Every stale edition is written into a staging folder first and
        #      published only when all have succeeded: a build that fails
        #      part-way leaves every previous output as it was.
        #      While the PDF worker lays the book out, this process prepares the manifest.
        prepared: dict = {}

        def spare_time() -> None:
            prepared.update(manifest.prepare(plan, book))

        # A progress line claims a file only once it is published: lines wait until then.
        claims: list[str] = []
        with staging(plan.out) as stage:
            written = _build_stale(plan, book, stage, stale, log=claims.append, spare_time=spare_time,
                                   progress=progress or (lambda phase: None)) if stale else {}
            written = publish_all(stage, plan.out, written)  # one journalled switch for every edition
        for line in claims:
            log(line)
        keys = cache.keys(plan, built=True)  # of the bytes this build read, with the images it showed
        for module_name in stale:
            record.record(module_name, keys[module_name], written[module_name])
        record.save()
        every = [p for m in plan.modules for p in (reused.get(m) or written[m])]
        # 4. The manifest: every output's hash, the sources' hash, the tools' versions, the date used.
        manifest.write(plan, book, every, prepared or None)
        finish(plan.out)  # the switch is complete: the journal goes
        _remember(asked, plan, book, {m: reused.get(m) or written[m] for m in plan.modules})
    return every


def _remember(asked: dict | None, plan: BuildPlan, book, paths: dict[str, list[Path]]) -> None:
    """The record that lets the next build with nothing to do answer at once (noop.py)."""
    if asked is None:
        return
    from publish import cache

    lines = [f"{module:<5} {path}  (unchanged)" for module in plan.modules for path in paths[module]]
    returned = [path for module in plan.modules for path in paths[module]]
    entries = cache.Cache(plan.out).entries  # every file each edition left (the HTML edition's folder too)
    outputs = [plan.out / name for module in plan.modules for name in entries.get(module, {}).get("outputs", {})]
    outputs += [plan.out / name for name in (cache.NAME, "manifest.json")]
    noop.remember(asked, noop.inputs(plan), outputs + returned, [plan.manuscript, plan.styles.root], lines,
                  [str(warning) for warning in book.warnings], returned)


def _build_stale(plan: BuildPlan, book, stage: Path, modules: list[str], *, log: Log,
                 spare_time: Callable[[], None] = lambda: None,
                 progress: Log = lambda phase: None) -> dict[str, list[Path]]:
    """Write the edition *modules* into *stage*; ``plan.out`` holds the chapter cache and names the files."""
    # The PDF edition, the long pole, gets a forked worker now: it imports
    # WeasyPrint while this process parses, then lays the book out on the
    # other core while this one writes the EPUB and HTML.
    pdf_worker = _pdf_worker(plan, book, stage, progress) if "pdf" in modules and len(modules) > 1 else None
    try:
        # 2. Parse each chapter once with pandoc and run our filters in process.
        from publish.pipeline import parse_book
        from publish.render import dump, render

        ast = parse_book(book, plan)
        # 3. Render the filtered book to HTML once; each edition lays it out,
        #    atomically: a failure leaves earlier outputs as they were.
        from publish import cache

        # (each chapter's HTML from pandoc kept in the chapter cache, by its AST's key)
        chapters = render(ast, warn=lambda message: log(f"build warning: {message}"),
                          cache_folder=plan.out / cache.CHAPTERS, reuse=not plan.force)
        from publish import snapshot

        snapshot.ready(book, cover="epub" in modules)  # every image the editions read is in the snapshot's mirror
    except BaseException:
        if pdf_worker is not None:
            pdf_worker.cancel()
        raise
    if pdf_worker is not None:
        pdf_worker.send(dump(chapters))
    written: dict[str, list[Path]] = {}
    try:
        from publish import words

        # a word no line can hold: a warning, an error under --strict (looked for while the PDF is laid out)
        for problem in words.too_long(ast):
            if plan.strict:
                raise problem
            log(f"warning: {problem}")
        for module_name in modules:
            if module_name != "pdf" or pdf_worker is None:
                progress(PHASES.get(module_name, f"writing the {module_name} edition"))
                with _forwarded(progress):
                    result = _write_edition(module_name, plan, book, chapters, stage)
                written[module_name] = _report(module_name, *result, stage, plan.out, log)
    except BaseException:
        if pdf_worker is not None:
            pdf_worker.cancel(kill=True)
        raise
    if pdf_worker is not None:
        spare_time()
        progress(PHASES["pdf"])
        written["pdf"] = _report("pdf", *pdf_worker.result(), stage, plan.out, log)
    if "epub" in written and any(plans.EDITIONS[name].module == "pdf" for name in plan.editions):
        _page_list(plan, book, stage)
    return {m: written[m] for m in modules}


def _page_list(plan: BuildPlan, book, stage: Path) -> None:
    """The EPUB's page-list, from the PDF laid out in this build, or the one it reused (epub_pages.py)."""
    from publish import cache
    from publish.editions import epub_pages

    pdfs = [folder / plans.EDITIONS[name].path(book.slug) for folder in (stage, plan.out) for name in ("pdf", "print")
            if name in plan.editions]
    pdf = next((path for path in pdfs if path.is_file()), None)
    if pdf is not None:
        epub_pages.add_page_list(stage / plans.EDITIONS["epub"].path(book.slug), pdf,
                                 f"{book.metadata.identifier} (print edition)", plan.out / cache.CHAPTERS,
                                 reuse=not plan.force)


def _pdf_worker(plan: BuildPlan, book, stage: Path, progress: Log) -> Worker:
    from publish import weasy
    from publish.worker import Worker

    def prepare() -> None:
        weasy.load()  # the cost this worker exists to pay early
        importlib.import_module("publish.editions.pdf")

    def job(data: list[dict]) -> tuple:
        from publish.render import load

        return _write_edition("pdf", plan, book, load(data), stage)

    return Worker(prepare, job, on_progress=progress)  # the PDF says each chapter as it is laid out


@contextlib.contextmanager
def _forwarded(progress: Log) -> Iterator[None]:
    """What an edition run in this process says while it works (``plans.PROGRESS``), shown as progress."""
    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            progress(record.getMessage())

    handler = Forward(level=logging.INFO)
    plans.PROGRESS.addHandler(handler)
    try:
        yield
    finally:
        plans.PROGRESS.removeHandler(handler)


def _write_edition(module_name: str, plan: BuildPlan, book, chapters, stage: Path) -> tuple[list[Path], list[str],
                                                                                              float]:
    """Write one edition module; return its files, the lines it reported and the seconds it took."""
    started = time.perf_counter()
    from publish import snapshot

    book = snapshot.for_editions(book)  # its images read from the build's snapshot, never the folder again
    edition = importlib.import_module(f"publish.editions.{module_name}")
    with plans.reported() as lines:
        paths = edition.write(plan, book, chapters, stage)
    return paths, lines, time.perf_counter() - started


def _report(module_name: str, paths: list[Path], lines: list[str], seconds: float, stage: Path, out: Path,
            log: Log) -> list[Path]:
    for line in lines:
        log(line)
    for path in paths:
        log(f"{module_name:<5} {out / path.relative_to(stage)}  ({seconds:.2f} s)")
    return paths


def _manifest_formats(out: Path) -> list[str] | None:
    """The editions the manifest in *out* was written for (None if there is none to read)."""
    import json

    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8")).get("formats")
    except (OSError, ValueError, AttributeError):
        return None
