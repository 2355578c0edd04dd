"""The tasks of ``publish catalogue``, as a Dask worker runs them.

A book is three kinds of task:

* ``edition``: some of the book's editions (the PDF edition, which makes both
  PDFs from one layout; or the EPUB and HTML), built by ``publish.build.build``
  into a folder of the catalogue cache, ``OUT/.catalogue-cache/<slug>/<task>/``
  (the book's tasks share their cache of filtered chapters, ``…/<slug>/chapters/``).
  That folder keeps the build cache, so an edition whose cache key is
  unchanged is not written again, and a task run twice (Dask reruns a task
  whose worker died) finds the first run's work or its own staging folder,
  which build() clears under its lock.
* ``publish``: once every edition of the book is built, the book folder is
  assembled beside ``OUT/<slug>`` (the editions hard-linked from the cache
  with their cache record), ``build()`` run over it to write the very
  manifest ``publish build`` writes, and the folder swapped in whole.
* ``check``: ``publish check`` on the published folder.

A task returns a dict, never raises on bad input: a book's PublishError is
its one-line error in the summary, and its other books' tasks go on.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from publish import cache
from publish.build import build
from publish.epoch import VARIABLE, Epoch
from publish.errors import PublishError
from publish.output import atomic_dir, build_lock
from publish.plan import EDITIONS

CACHE = ".catalogue-cache"
# a line build() logs for a file it wrote or reused; every other line is a warning
OUTPUT_LINE = re.compile(r"^\w+\s+\S.*  \((unchanged|[\d.]+ s)\)$")
_hooked: list[bool] = []
_ONE_BUILD = threading.Lock()


def edition(manuscript: str, scratch: str, formats: tuple[str, ...], strict: bool, force: bool, date: Epoch) -> dict:
    """Build the *formats* of a book into its cache folder *scratch*."""
    started = time.perf_counter()
    lines: list[str] = []

    def work() -> dict:
        _children_die_with_worker()
        _share_chapters(Path(scratch))
        _seed(Path(scratch), {EDITIONS[name].module for name in formats})
        if {"pdf", "print"} <= set(formats) and multiprocessing.current_process().daemon:
            raise PublishError("this Dask worker is a daemonic process, which cannot fork the writer of the "
                               "second PDF: start workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
        written = build(Path(manuscript), Path(scratch), formats, strict=strict, force=force, date=date,
                        log=lines.append)
        return {"scratch": scratch, "written": [path.relative_to(scratch).as_posix() for path in written],
                "reused": all(line.endswith("(unchanged)") for line in lines if OUTPUT_LINE.match(line))}

    return {"formats": list(formats), **_attempt(work, date), "warnings": warnings(lines),
            "seconds": round(time.perf_counter() - started, 3), "worker": f"{socket.gethostname()}:{os.getpid()}"}


def publish(manuscript: str, out: str, slug: str, formats: tuple[str, ...], strict: bool, force: bool,
            date: Epoch, *editions: dict) -> dict:
    """Publish the book's folder ``out/<slug>`` whole from its built *editions*, with publish build's manifest."""
    started = time.perf_counter()
    failed = [e for e in editions if e.get("error")]
    if failed:
        return {"error": failed[0]["error"], "seconds": 0.0}
    root, lines = Path(out), []
    target, scratches = root / slug, [Path(e["scratch"]) for e in editions]

    def work() -> dict:
        with build_lock(root / CACHE / slug):
            _clear_leftovers(root, slug)
            if not force and _current(target, scratches, manuscript, formats):
                return {"status": "unchanged"}
            _refuse_foreign(target)
            with atomic_dir(target) as stage:
                for scratch, built in zip(scratches, editions, strict=True):
                    _link_edition(scratch, stage, built["written"])
                build(Path(manuscript), stage, formats, strict=strict, date=date, log=lines.append)
        return {"status": "built"}

    result = _attempt(work, date)
    rebuilt = [line for line in lines if OUTPUT_LINE.match(line) and not line.endswith("(unchanged)")]
    notes = ["an edition was rebuilt while publishing: its cache record did not carry over"] if rebuilt else []
    return {**result, **_published(target), "warnings": notes + warnings(lines),
            "seconds": round(time.perf_counter() - started, 3)}


def check(folder: str, published: dict, manuscript: str | None = None) -> dict:
    """``publish check`` on a published book folder: PASS, FAIL (with the failed checks' lines) or SKIP."""
    if published.get("error"):
        return {"status": "SKIP", "failed": [], "seconds": 0.0}
    from publish import check as checks

    started = time.perf_counter()
    try:
        # the shelf's manuscript was given on the command line: the parity checks compare the editions with it
        results = checks.check(Path(folder), Path(manuscript) if manuscript else None)
    except PublishError as error:
        return {"status": "FAIL", "failed": [str(error)], "seconds": round(time.perf_counter() - started, 3)}
    failed = [r.line for r in results if r.status == "FAIL"]
    return {"status": "FAIL" if failed else "PASS", "failed": failed,
            "passed": sum(r.status == "PASS" for r in results), "skipped": sum(r.status == "SKIP" for r in results),
            "seconds": round(time.perf_counter() - started, 3)}


def warnings(lines: list[str]) -> list[str]:
    return [line for line in lines if not OUTPUT_LINE.match(line)]


def _attempt(work, date: Epoch) -> dict:
    """*work()*'s dict, the tools seeing the book's date; a failure becomes ``{"error": one line}``."""
    try:
        with _tools_date(date):
            return work()
    except PublishError as error:
        return {"error": str(error)}
    except Exception as error:  # noqa: BLE001 - one book's bug must not stop the shelf; reported as one line
        return {"error": f"internal error: {type(error).__name__}: {' '.join(str(error).split())}"}


@contextlib.contextmanager
def _tools_date(date: Epoch) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to the book's date while it builds, for the libraries that read it themselves.

    The build passes its date down as state; but a library below it may
    stamp its output with the clock unless the variable is set (fontTools
    writing a subset font's ``head`` table does), and a worker's environment
    is not the submitter's. One build at a time in a worker process, then.
    """
    with _ONE_BUILD:
        before = os.environ.get(VARIABLE)
        os.environ[VARIABLE] = str(date.seconds)
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(VARIABLE, None)
            else:
                os.environ[VARIABLE] = before


def _share_chapters(scratch: Path) -> None:
    """A book's edition tasks share one cache of its filtered chapters: the later task parses nothing again.

    (The PDF tasks go first, so the EPUB and HTML task finds the chapters there.
    The chapters' cache keys do not depend on the output folder, and each entry
    is written whole, so two tasks writing it at once write the same bytes.)
    """
    shared, link = scratch.parent / "chapters", scratch / cache.CHAPTERS
    try:
        shared.mkdir(parents=True, exist_ok=True)
        scratch.mkdir(parents=True, exist_ok=True)
        if not link.is_symlink():
            shutil.rmtree(link, ignore_errors=True)
            link.symlink_to(Path("..") / shared.name, target_is_directory=True)
    except OSError:
        return  # no sharing (a file system without symbolic links): each task parses for itself


def _seed(scratch: Path, modules: set[str]) -> None:
    """A cache folder with no record yet starts from the book's published folder, if it holds these editions.

    So a shelf first built with ``publish build`` into ``OUT/<slug>``, or whose
    catalogue cache was deleted, is not rebuilt: build() checks the keys.
    """
    published = scratch.parents[2] / scratch.parent.name  # OUT/.catalogue-cache/<slug>/<task> → OUT/<slug>
    if (scratch / cache.NAME).exists() or not (published / cache.NAME).is_file():
        return
    entries = {name: entry for name, entry in cache.Cache(published).entries.items() if name in modules}
    try:
        written = [relative for entry in entries.values() for relative in entry["written"]]
        if written:
            _link_edition(published, scratch, written, entries)
    except (OSError, KeyError, TypeError):
        shutil.rmtree(scratch, ignore_errors=True)  # no seed: build() builds from nothing


def _link_edition(scratch: Path, stage: Path, written: list[str], entries: dict | None = None) -> None:
    """Hard-link (else copy, times kept) what an edition wrote from its cache folder, and its cache record."""
    stage.mkdir(parents=True, exist_ok=True)
    for top in sorted({Path(relative).parts[0] for relative in written}):
        source, target = scratch / top, stage / top
        if source.is_dir():
            shutil.copytree(source, target, copy_function=_link_or_copy)
        else:
            _link_or_copy(source, target)
    record = cache.Cache(stage)
    record.entries.update(cache.Cache(scratch).entries if entries is None else entries)
    record.save()


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _current(target: Path, scratches: list[Path], manuscript: str, formats: tuple[str, ...]) -> bool:
    """Whether ``OUT/<slug>`` already holds these editions, from the same cache keys, with their manifest."""
    try:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("formats") != list(formats) or manifest.get("manuscript") != manuscript:
            return False
        published = cache.Cache(target)
        for scratch in scratches:
            for name, entry in cache.Cache(scratch).entries.items():
                if published.entries.get(name, {}).get("key") != entry["key"]:
                    return False
                if published.fresh(name, entry["key"]) is None:
                    return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


def _refuse_foreign(target: Path) -> None:
    """A folder at ``OUT/<slug>`` that is not a build is someone's: never swap it away."""
    if target.is_dir() and any(target.iterdir()) and not (target / "manifest.json").is_file():
        raise PublishError("is not a build folder (no manifest.json): move it away to publish this book here",
                           target)
    if target.exists() and not target.is_dir():
        raise PublishError("is a file where the book's folder belongs", target)


def _clear_leftovers(root: Path, slug: str) -> None:
    """A killed publish task's half-assembled folder (``.<slug>.*.tmp``/``.old``) goes; held under the book's lock."""
    for leftover in [*root.glob(f".{slug}.*.tmp"), *root.glob(f".{slug}.*.old")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _published(target: Path) -> dict:
    """The published folder's files and PDF page counts, read from its manifest."""
    try:
        outputs = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return {"files": [], "pages": {}}
    return {"files": [entry["path"] for entry in outputs],
            "pages": {entry["path"]: entry["pages"] for entry in outputs if entry.get("pages") is not None}}


def _children_die_with_worker() -> None:
    """Processes build() forks (the PDF layout, the print PDF's writer) die with their worker.

    Dask reruns a killed worker's task elsewhere; an orphaned child would
    otherwise keep the edition's build lock (it inherits the descriptor) and
    block the rerun. Linux's PR_SET_PDEATHSIG is the kernel's way to say so.
    """
    if _hooked or not hasattr(os, "register_at_fork"):
        return
    _hooked.append(True)
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    parents: list[int] = []

    def before() -> None:
        parents[:] = [os.getpid()]

    def in_child() -> None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if parents and os.getppid() != parents[0]:
            os._exit(1)  # the parent died before the line above

    os.register_at_fork(before=before, after_in_child=in_child)
