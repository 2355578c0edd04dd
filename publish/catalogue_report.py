"""What ``publish catalogue`` says: a live progress line, ``OUT/catalogue.json`` and a readable summary.

The JSON is for machines (a press's dashboard, a CI job): every book with its
status, one-line error, editions (which worker, how long), files, PDF page
counts, warnings and check result. The summary is the same, one line a book.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TextIO

from publish.output import write_bytes

NAME = "catalogue.json"
FORMAT = 1


class Progress:
    """``catalogue: 3/10 books done, 1 failed, 2 running``: rewritten in place on a terminal, else a line per change."""

    def __init__(self, total: int, stream: TextIO):
        self.total, self.stream = total, stream
        self.finished = self.failed = self.busy = 0
        self.shown = ""
        self.live = stream.isatty()

    def done(self, failed: bool) -> None:
        self.finished += 1
        self.failed += failed
        self._show()

    def running(self, count: int) -> None:
        self.busy = count
        self._show()

    def finish(self) -> None:
        self.busy = 0
        self._show()
        if self.live and self.shown:
            self.stream.write("\n")
            self.stream.flush()

    def _show(self) -> None:
        line = (f"catalogue: {self.finished}/{self.total} books done, {self.failed} failed, "
                f"{min(self.busy, self.total - self.finished)} running")
        if line == self.shown:
            return
        self.shown = line
        self.stream.write(f"\r{line}\x1b[K" if self.live else f"{line}\n")
        self.stream.flush()


def write(out: Path, shelf: Path, formats: tuple[str, ...], where: str, rows: list[dict], seconds: float) -> dict:
    """Write ``out/catalogue.json`` atomically; return what it holds."""
    counts = {status: sum(row["status"] == status for row in rows) for status in ("built", "unchanged", "failed")}
    report = {
        "catalogue": FORMAT,
        "shelf": str(shelf.absolute()),
        "out": str(out),
        "formats": list(formats),
        "cluster": where,
        "finished": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seconds": round(seconds, 3),
        "books_per_minute": round(len(rows) * 60 / seconds, 2) if seconds > 0 else None,
        "total": len(rows),
        **counts,
        "check_failed": sum(bool(row.get("check")) and row["check"]["status"] == "FAIL" for row in rows),
        "books": rows,
    }
    write_bytes(out / NAME, (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return report


def summary(report: dict) -> str:
    """The report as text: a line per book (its warnings and failed checks under it), then the totals."""
    rows = report["books"]
    width = max([len(row["slug"]) for row in rows] + [4])
    lines = [f"{'book':<{width}}  {'status':<9}  {'editions':<21}  {'time':>8}  {'pages':>5}  warnings  check"]
    for row in rows:
        lines += _book_lines(row, width)
    lines.append(f"{report['built']} built, {report['unchanged']} unchanged, {report['failed']} failed"
                 + (f", {report['check_failed']} failed their check" if report["check_failed"] else "")
                 + f": {report['total']} book{'s' if report['total'] != 1 else ''} in {report['seconds']:.1f} s"
                 + (f" ({report['books_per_minute']:.1f} books per minute)" if report["books_per_minute"] else "")
                 + f" on {report['cluster']}; report in {Path(report['out']) / NAME}")
    return "\n".join(lines)


def _book_lines(row: dict, width: int) -> list[str]:
    if row["status"] == "failed":
        return [f"{row['slug']:<{width}}  {'FAILED':<9}  {row['error']}"]
    editions = " ".join(f for edition in row["editions"] for f in edition["formats"])
    pages = max(row["pages"].values(), default=None)
    check = row["check"]["status"] if row.get("check") else "-"
    lines = [f"{row['slug']:<{width}}  {row['status']:<9}  {editions:<21}  {row['seconds']:>6.1f} s  "
             f"{pages if pages is not None else '-':>5}  {len(row['warnings']):>8}  {check}"]
    lines += [f"{'':<{width}}  warning: {warning}" for warning in row["warnings"]]
    lines += [f"{'':<{width}}  check: {failure}" for failure in (row.get("check") or {}).get("failed", [])]
    return lines
