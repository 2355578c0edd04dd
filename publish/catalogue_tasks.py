"""The tasks of ``publish catalogue``, as a Dask worker runs them.

A book is three kinds of task:

* ``edition``: some of the book's editions (the PDF edition, which makes both
  PDFs from one layout; or the EPUB and HTML), built by ``publish.build.build``
  into a folder of the catalogue cache, ``OUT/.catalogue-cache/<slug>/<task>/``.
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

import ctypes
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import time
from pathlib import Path

from publish import cache
from publish.build import build
from publish.epoch import Epoch
from publish.errors import PublishError
from publish.output import atomic_dir, build_lock

CACHE = ".catalogue-cache"
# a line build() logs for a file it wrote or reused; every other line is a warning
OUTPUT_LINE = re.compile(r"^\w+\s+\S.*  \((unchanged|[\d.]+ s)\)$")
_hooked: list[bool] = []


def edition(manuscript: str, scratch: str, formats: tuple[str, ...], strict: bool, force: bool, date: Epoch) -> dict:
    """Build the *formats* of a book into its cache folder *scratch*."""
    started = time.perf_counter()
    lines: list[str] = []

    def work() -> dict:
        _children_die_with_worker()
        if {"pdf", "print"} <= set(formats) and multiprocessing.current_process().daemon:
            raise PublishError("this Dask worker is a daemonic process, which cannot fork the writer of the "
                               "second PDF: start workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
        written = build(Path(manuscript), Path(scratch), formats, strict=strict, force=force, date=date,
                        log=lines.append)
        return {"scratch": scratch, "written": [path.relative_to(scratch).as_posix() for path in written],
                "reused": all(line.endswith("(unchanged)") for line in lines if OUTPUT_LINE.match(line))}

    return {"formats": list(formats), **_attempt(work), "warnings": warnings(lines),
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

    result = _attempt(work)
    rebuilt = [line for line in lines if OUTPUT_LINE.match(line) and not line.endswith("(unchanged)")]
    notes = ["an edition was rebuilt while publishing: its cache record did not carry over"] if rebuilt else []
    return {**result, **_published(target), "warnings": notes + warnings(lines),
            "seconds": round(time.perf_counter() - started, 3)}


def check(folder: str, published: dict) -> dict:
    """``publish check`` on a published book folder: PASS, FAIL (with the failed checks' lines) or SKIP."""
    if published.get("error"):
        return {"status": "SKIP", "failed": [], "seconds": 0.0}
    from publish import check as checks

    started = time.perf_counter()
    try:
        results = checks.check(Path(folder))
    except PublishError as error:
        return {"status": "FAIL", "failed": [str(error)], "seconds": round(time.perf_counter() - started, 3)}
    failed = [r.line for r in results if r.status == "FAIL"]
    return {"status": "FAIL" if failed else "PASS", "failed": failed,
            "passed": sum(r.status == "PASS" for r in results), "skipped": sum(r.status == "SKIP" for r in results),
            "seconds": round(time.perf_counter() - started, 3)}


def warnings(lines: list[str]) -> list[str]:
    return [line for line in lines if not OUTPUT_LINE.match(line)]


def _attempt(work) -> dict:
    """*work()*'s dict; a failure becomes ``{"error": one line}``."""
    try:
        return work()
    except PublishError as error:
        return {"error": str(error)}
    except Exception as error:  # noqa: BLE001 - one book's bug must not stop the shelf; reported as one line
        return {"error": f"internal error: {type(error).__name__}: {' '.join(str(error).split())}"}


def _link_edition(scratch: Path, stage: Path, written: list[str]) -> None:
    """Hard-link (else copy, times kept) what an edition wrote from its cache folder, and its cache record."""
    for top in sorted({Path(relative).parts[0] for relative in written}):
        source, target = scratch / top, stage / top
        if source.is_dir():
            shutil.copytree(source, target, copy_function=_link_or_copy)
        else:
            _link_or_copy(source, target)
    record, built = cache.Cache(stage), cache.Cache(scratch)
    record.entries.update(built.entries)
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
