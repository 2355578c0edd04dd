"""Build and check every book of a corpus folder: the proof that the toolchain takes any real book.

A corpus is a folder whose sub-folders each hold a manuscript (``book.yaml``
and its chapters). ``run`` builds each book into ``OUT/<name>`` and runs
``publish check`` on it, fetching nothing, and reports per book: the build's
warnings, whether it failed (and the one line why) and each FAIL of the check.
The exit code is 1 if any book failed to build or any check failed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from publish import build, check
from publish.errors import PublishError


@dataclass
class Report:
    name: str
    seconds: float = 0.0
    error: str = ""  # the one line a failed build gave
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # "name: reason" of each failed check
    passed: int = 0

    @property
    def ok(self) -> bool:
        return not self.error and not self.failures


def books(folder: Path) -> list[Path]:
    """The manuscripts of *folder*: its sub-folders that hold a book.yaml, by name."""
    return sorted(path.parent for path in Path(folder).glob("*/book.yaml"))


def build_and_check(manuscript: Path, out: Path) -> Report:
    """Build *manuscript* into *out* and check the build."""
    report = Report(manuscript.name)
    started = time.monotonic()
    lines: list[str] = []
    try:
        build.build(manuscript, out, force=True, log=lines.append)
    except PublishError as error:
        report.error = str(error)
    report.warnings = [line for line in lines if "warning" in line]
    if not report.error:
        results = check.check(out, manuscript)
        report.failures = [f"{r.name}: {r.reason}" for r in results if r.status == "FAIL"]
        report.passed = sum(r.status == "PASS" for r in results)
    report.seconds = time.monotonic() - started
    return report


def run(folder: Path, out: Path, log=print) -> int:
    """Build and check every book in *folder* into *out*; 0 if all built and passed, else 1."""
    found = books(folder)
    if not found:
        log(f"corpus: no book in {folder} (a book is a sub-folder holding book.yaml)")
        return 1
    reports = []
    for manuscript in found:
        report = build_and_check(manuscript, Path(out) / manuscript.name)
        reports.append(report)
        _print(report, log)
    good = sum(report.ok for report in reports)
    log(f"corpus: {good} of {len(reports)} books built and passed every check")
    return 0 if good == len(reports) else 1


def _print(report: Report, log) -> None:
    status = "PASS" if report.ok else "FAIL"
    log(f"{status} {report.name}  ({report.seconds:.0f} s, {len(report.warnings)} build warning(s))")
    for line in report.warnings:
        log(f"  {line}")
    if report.error:
        log(f"  build failed: {report.error}")
    for failure in report.failures:
        log(f"  FAIL {failure}")


def main(argv: list[str] | None = None) -> int:
    """``python -m publish.corpus FOLDER [OUT]``."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m publish.corpus FOLDER [OUT]", file=sys.stderr)
        return 2
    return run(Path(args[0]), Path(args[1] if len(args) > 1 else "build/corpus"))


if __name__ == "__main__":
    raise SystemExit(main())
