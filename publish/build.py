"""``publish build``: manuscript → filtered AST → editions, one narrated function."""

from __future__ import annotations

import importlib
import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path

from publish import cache, epoch, styles
from publish.errors import PublishError
from publish.output import build_lock

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
        keys = {m: cache.key(manuscript, m, _options(m, formats, strict, when.seconds), out) for m in modules}
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
        written = _build_stale(book, out, stale, formats, strict=strict, log=log) if stale else {}
        for module_name in stale:
            record.record(module_name, keys[module_name], written[module_name])
        record.save()
        every = [p for m in modules for p in (reused.get(m) or written[m])]
        # 5. The manifest: every output's hash, the sources' hash, the tools' versions, the date used.
        manifest.write(book, manuscript, out, formats, every, when)
    return every


def _build_stale(book, out: Path, modules: list[str], formats: tuple[str, ...], *, strict: bool,
                 log: Log) -> dict[str, list[Path]]:
    from publish.pipeline import parse_book
    from publish.render import render

    # 3. Parse each chapter once with pandoc and run our filters in process.
    ast = parse_book(book, cache_dir=out / ".publish-cache")
    # 4. Render the filtered book to HTML once; each edition lays it out, atomically:
    #    a failure leaves earlier outputs as they were. The PDF layout, the long
    #    pole, runs in a forked process while this one writes the EPUB and HTML.
    chapters = render(ast)
    variants = tuple(f for f in formats if EDITION_OF[f] == "pdf")
    run = {m: (lambda m=m: _write_edition(m, book, chapters, out, variants, strict)) for m in modules}
    written: dict[str, list[Path]] = {}
    pending = _fork(run.pop("pdf")) if "pdf" in run and len(run) > 1 else None
    for module_name, job in run.items():
        written[module_name] = _report(module_name, *job(), log)
    if pending is not None:
        written["pdf"] = _report("pdf", *pending(), log)
    return written


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


def _report(module_name: str, paths: list[Path], lines: list[str], seconds: float, log: Log) -> list[Path]:
    for line in lines:
        log(line)
    for path in paths:
        log(f"{module_name:<5} {path}  ({seconds:.2f} s)")
    return paths


def _fork(job: Callable[[], tuple]) -> Callable[[], tuple]:
    """Start *job* in a forked child (it inherits the rendered book, nothing is pickled); return its joiner."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send(("ok", job()))
        except PublishError as error:
            send.send(("error", (type(error).__name__, str(error), error.exit_code)))
        except BaseException as error:  # noqa: BLE001 - carried to the parent, which raises it
            send.send(("crash", f"{type(error).__name__}: {error}"))

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()

    def join() -> tuple:
        try:
            status, value = receive.recv()
        except EOFError:
            status, value = "crash", f"the PDF process died (exit code {process.exitcode})"
        process.join()
        if status == "ok":
            return value
        if status == "error":
            raise _ChildError(*value)
        raise RuntimeError(value)

    return join


class _ChildError(PublishError):
    """A PublishError raised in the forked PDF process, carried over as its one line."""

    def __init__(self, name: str, line: str, exit_code: int):
        super().__init__(line)
        self.kind = name
        self.exit_code = exit_code


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
