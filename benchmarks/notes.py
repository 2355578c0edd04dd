"""Benchmark: the cost of a note, from 1,000 notes to 10,000 (issue 14's "bounded cost").

Builds generated books with N notes (chapters of at most ``--per-chapter``
notes, as a real book spreads them; ``nesting.MAX_NOTES`` bounds one chapter)
for each edition asked, interleaving the sizes run by run so that the shared
machine's noise falls on all of them alike, and prints the median wall and
CPU seconds, peak memory and CPU milliseconds per note. Flat cost per note is the goal; the
ratio of the largest size's ms/note to the smallest's is printed last.

    python benchmarks/notes.py [--notes 1000,10000] [--formats html,epub] [--runs 3] [--per-chapter 500]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCE = "The argument turns on what care becomes when it is counted, audited and sold. "


def book(root: Path, notes: int, per_chapter: int) -> Path:
    """A manuscript of *notes* notes, one a paragraph, in chapters of *per_chapter* notes at most."""
    root.mkdir(parents=True)
    names = []
    for c in range(0, notes, per_chapter):
        name = f"{len(names) + 1:03d}-chapter.md"
        names.append(name)
        count = min(per_chapter, notes - c)
        paragraphs = [f"# Chapter {len(names)}\n"]
        paragraphs += [f"Paragraph {i}. {SENTENCE * 2}It ends here.[^n{i}]\n\n[^n{i}]: A gloss on paragraph {i}."
                       for i in range(count)]
        (root / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    listing = "".join(f"  - {name}\n" for name in names)
    (root / "book.yaml").write_text(f"title: Notes {notes}\nauthor: A. N. Author\nlang: en-GB\nchapters:\n{listing}",
                                    encoding="utf-8")
    return root


def run(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, the child's own waited-for workers included) and peak MB.

    On a machine shared by many, CPU seconds are the steadier figure: wall time waits for other people's work.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", default="1000,10000")
    parser.add_argument("--formats", default="html,epub")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-chapter", type=int, default=500)
    args = parser.parse_args()
    sizes = [int(n) for n in args.notes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        manuscripts = {n: book(Path(tmp) / f"m{n}", n, args.per_chapter) for n in sizes}
        times: dict[int, list[float]] = {n: [] for n in sizes}
        cpu: dict[int, list[float]] = {n: [] for n in sizes}
        memory: dict[int, list[int]] = {n: [] for n in sizes}
        for r in range(args.runs):
            for n in sizes:  # interleaved: every size sees the same moments of the machine
                seconds, used, mb = run([sys.executable, "-m", "publish", "build", str(manuscripts[n]), "-o",
                                         str(Path(tmp) / f"out{n}-{r}"), "-f", args.formats, "-q"])
                times[n].append(seconds)
                cpu[n].append(used)
                memory[n].append(mb)
    print(f"formats {args.formats}, {args.runs} run(s), chapters of {args.per_chapter} notes")
    per_note = {}
    for n in sizes:
        wall, used = statistics.median(times[n]), statistics.median(cpu[n])
        per_note[n] = 1000 * used / n
        print(f"{n:>7,} notes: {wall:8.2f} s wall, {used:8.2f} s CPU (medians), {max(memory[n]):6,} MB peak, "
              f"{per_note[n]:6.2f} CPU ms/note")
    print(f"CPU ms/note, largest over smallest: {per_note[sizes[-1]] / per_note[sizes[0]]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
