"""``publish check``: prove that a finished build folder is fit to ship.

Each family of checks is a module (``files``, ``epub``, ``html``, ``pdf``,
``notes``, ``parity``) whose ``run(build)`` returns results, one per check:
PASS, FAIL with the reason, or SKIP when an edition was not built. An edition
the manifest lists but the folder lacks is a FAIL. The exit code is 0 only if
nothing failed.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from publish import manifest
from publish.errors import CheckFailed, PublishError
from publish.plan import EDITIONS

FAMILIES = ("files", "epub", "html", "active", "pdf", "notes", "parity")
LABEL = {name: edition.label for name, edition in EDITIONS.items()}  # the registry's, by edition name


@dataclass(frozen=True)
class Result:
    name: str
    status: str  # "PASS", "FAIL" or "SKIP"
    reason: str = ""

    @property
    def line(self) -> str:
        return f"{self.status} {self.name}" + (f": {self.reason}" if self.reason else "")


class Skip(Exception):  # noqa: N818 - a check's outcome, not an error
    """Raised by a check that cannot run on what it was given (no manuscript to compare with): SKIP, not FAIL."""


class Build:
    """A finished build folder, its manifest, and what the checks read from it (read once, on demand).

    Only the build folder is read, and the manuscript only when one is given (``--manuscript``): a manifest
    naming a folder elsewhere never makes the check read it.
    """

    def __init__(self, folder: Path, manuscript: Path | None = None):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise CheckFailed("no build folder here; make one with 'publish build'", self.folder)
        self.manuscript = Path(manuscript) if manuscript is not None else None
        if self.manuscript is not None and not (self.manuscript / "book.yaml").is_file():
            raise CheckFailed("no manuscript here (no book.yaml) to compare the build with", self.manuscript)
        self.manifest = manifest.read(self.folder)
        self.cache: dict[str, object] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.lock = threading.Lock()

    @property
    def slug(self) -> str | None:
        if self.manifest:
            return self.manifest["book"]["slug"]
        found = sorted(p.stem for p in self.folder.glob("*.epub")) or sorted(
            p.stem for p in self.folder.glob("*.pdf") if not p.stem.endswith("-print"))
        return found[0] if found else None

    def relative(self, edition: str) -> str:
        """Where *edition* lives in a build folder, relative to it."""
        return EDITIONS[edition].path(self.slug or "BOOK")

    def path(self, edition: str) -> Path | None:
        """The file of *edition* if the folder holds it."""
        path = self.folder / self.relative(edition)
        return path if path.is_file() else None

    def listed(self, edition: str) -> bool:
        return bool(self.manifest) and edition in self.manifest.get("formats", [])

    def memo(self, key: str, make: Callable[[], object]) -> object:
        """*make()* once per build folder (a parsed PDF, the re-parsed manuscript…), whichever thread asks first."""
        with self.lock:
            lock = self.locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self.cache:
                self.cache[key] = make()
            return self.cache[key]


Check = Callable[[Path], str | None]  # the edition's file → None if it passes, else the reason


def edition_checks(build: Build, edition: str, checks: list[tuple[str, Check]]) -> list[Result]:
    """Run *checks* on *edition*'s file: SKIP them all if it was not built, FAIL them all if it is missing."""
    path = build.path(edition)
    if path is None:
        relative = build.relative(edition)
        if build.listed(edition):
            return [Result(name, "FAIL", f"{relative} is missing, though the manifest lists it") for name, _ in checks]
        return [Result(name, "SKIP", f"{LABEL[edition]} not built ({relative} absent)") for name, _ in checks]
    return [result(name, functools.partial(check, path)) for name, check in checks]


def result(name: str, check: Callable[[], str | None]) -> Result:
    """Run one check; a file too broken to read is a FAIL of that check, not a crash of them all."""
    try:
        reason = check()
    except Skip as skip:
        return Result(name, "SKIP", str(skip))
    except PublishError as error:
        reason = str(error)
    except Exception as error:  # noqa: BLE001 - a check reads hostile, broken files; it reports, never crashes
        where = traceback.extract_tb(error.__traceback__)[-1]
        reason = f"cannot read it: {type(error).__name__}: {error} ({Path(where.filename).name}:{where.lineno})"
    return Result(name, "PASS") if reason is None else Result(name, "FAIL", reason)


def check(out: Path, manuscript: Path | None = None) -> list[Result]:
    """Every check on the build folder *out* (against *manuscript*, if given), in a fixed order."""
    build = Build(out, manuscript)
    modules = [importlib.import_module(f"publish.check.{family}") for family in FAMILIES]
    # epubcheck and the Nu checker are Java programs that take a while: run beside the PDF checks
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = [pool.submit(module.run, build) for module in modules]
        return [result for run in runs for result in run.result()]


def run(out: Path, as_json: bool = False, manuscript: Path | None = None) -> int:
    """Print one line per check (or JSON); 0 if every check passed or was skipped, else 1."""
    results = check(out, manuscript)
    failed = [r for r in results if r.status == "FAIL"]
    if as_json:
        report = {"build": str(out), "passed": not failed, "results": [asdict(r) for r in results]}
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for r in results:
            print(r.line)
        counts = {status: sum(r.status == status for r in results) for status in ("PASS", "FAIL", "SKIP")}
        print(f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped", file=sys.stderr)
    return 1 if failed else 0
