"""Benchmark: a shelf built by ``publish catalogue`` against the same books built one by one.

Both sides are whole processes timed from outside, start-up included (the
catalogue's local Dask cluster too), run in turn (one by one, catalogue,
catalogue, one by one, …) so that the machine's drift hits both alike, each
into a fresh output folder. Reported: the median seconds of each side, the
books per minute, and the median of the pair-by-pair speed-up.

    python benchmarks/catalogue.py [--books 4] [--pages 12] [--runs 3] [-f pdf,print,epub,html]

``measure()`` is the same, for a caller such as bench.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARAGRAPH = ("The programme promised measurable outcomes within weeks, and the audit culture that followed it "
             "counted throughput rather than recovery. ") * 4
PARAGRAPHS_PER_PAGE = 3  # with its note, on a 156 x 234 mm page


def make_shelf(root: Path, books: int, pages: int) -> Path:
    """*books* generated manuscripts of about *pages* pages each, a note in every paragraph."""
    for number in range(1, books + 1):
        folder = root / f"book-{number:02d}"
        folder.mkdir(parents=True)
        names = []
        paragraphs = max(3, pages * PARAGRAPHS_PER_PAGE)
        for chapter in range(0, paragraphs, 30):
            lines, notes = [f"# Chapter {chapter // 30 + 1} of book {number}\n"], []
            for p in range(chapter, min(paragraphs, chapter + 30)):
                lines.append(f"{PARAGRAPH}Paragraph {p} of book {number}.[^n{p}]\n")
                notes.append(f"[^n{p}]: A note on paragraph {p}: the source, its date and a gloss.\n")
            names.append(f"{chapter // 30 + 1:02d}.md")
            (folder / names[-1]).write_text("\n".join(lines + notes), encoding="utf-8")
        meta = f"title: Backlist Title {number}\nauthor: Bench\nlang: en-GB\nslug: backlist-{number:02d}\nchapters:\n"
        (folder / "book.yaml").write_text(meta + "".join(f"  - {n}\n" for n in names), encoding="utf-8")
    return root


def _timed(commands: list[list[str]]) -> float:
    """Wall seconds of *commands*, run one after the other; each must succeed."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}
    started = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}")
    return time.perf_counter() - started


def measure(books: int = 4, pages: int = 12, runs: int = 3, formats: str = "pdf,print,epub,html") -> dict:
    """Seconds of each side per run, books per minute and the median pair-by-pair speed-up."""
    work = Path(tempfile.mkdtemp(prefix="publish-catalogue-bench-"))
    try:
        shelf = make_shelf(work / "shelf", books, pages)
        manuscripts = sorted(p for p in shelf.iterdir() if p.is_dir())
        python = [sys.executable, "-m", "publish"]
        one_by_one, catalogue = [], []
        for run in range(runs):
            out = work / f"run-{run}"

            def each(out=out) -> float:
                return _timed([[*python, "build", str(m), "-o", str(out / "each" / m.name), "-f", formats]
                               for m in manuscripts])

            def together(out=out) -> float:
                return _timed([[*python, "catalogue", str(shelf), "-o", str(out / "catalogue"), "-f", formats]])

            order = (each, together) if run % 2 == 0 else (together, each)
            for side in order:
                (one_by_one if side is each else catalogue).append(side())
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [e / c for e, c in zip(one_by_one, catalogue, strict=True)]
    return {"books": books, "pages": pages, "formats": formats, "runs": runs, "one_by_one": one_by_one,
            "catalogue": catalogue, "speed_up": statistics.median(ratios)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--books", type=int, default=4)
    parser.add_argument("--pages", type=int, default=12, help="about this many pages a book")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("-f", "--formats", default="pdf,print,epub,html")
    args = parser.parse_args()
    found = measure(args.books, args.pages, args.runs, args.formats)
    print(f"{found['books']} books of about {found['pages']} pages, {found['formats']}, {found['runs']} runs "
          f"interleaved, on {len(os.sched_getaffinity(0))} cores")
    for side in ("one_by_one", "catalogue"):
        seconds = statistics.median(found[side])
        print(f"  {side.replace('_', ' '):<11} median {seconds:6.1f} s  ({found['books'] * 60 / seconds:5.1f} books "
              f"per minute)  runs: {', '.join(f'{s:.1f}' for s in found[side])}")
    print(f"  speed-up    {found['speed_up']:.2f}x (median of the pair-by-pair ratios)")


if __name__ == "__main__":
    main()
