"""Benchmark: our build against the bare tools, rebuilds, and scaling with the book's length.

Everything is measured side by side in one run and reported as ratios and
medians (the machines are shared and noisy; absolute times do not transfer).

    python benchmarks/bench.py [--runs 5] [--pages 10,100,300] [--no-scale]
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
sys.path.insert(0, str(REPO))

WORDS_PER_PAGE = 330  # a 156 x 234 mm page of this book, notes included, holds about this many words


def run(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak memory (MB) of *command*, which must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{process.stderr.read().decode()}")
    process.stderr.close()
    return elapsed, usage.ru_maxrss // 1024


def publish(manuscript: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "publish", "build", str(manuscript), "-o", str(out), *extra]


def baseline_commands(manuscript: Path, work: Path) -> list[list[str]]:
    """What a user would run by hand: pandoc to HTML, pandoc to EPUB, pandoc + weasyprint to PDF."""
    import pypandoc

    from publish.book import load_book

    book = load_book(manuscript)
    pandoc = pypandoc.get_pandoc_path()
    chapters = [str(c.path) for c in book.chapters]
    meta = ["--metadata", f"title={book.metadata.title}", "--metadata", f"lang={book.metadata.lang}"]
    return [
        [pandoc, *chapters, "-s", *meta, "-o", str(work / "bare.html")],
        [pandoc, *chapters, *meta, "-o", str(work / "bare.epub")],
        [pandoc, *chapters, "-s", *meta, "-o", str(work / "bare-pdf.html")],
        [sys.executable, "-m", "weasyprint", str(work / "bare-pdf.html"), str(work / "bare.pdf")],
    ]


def time_baseline(commands: list[list[str]]) -> float:
    return sum(run(command)[0] for command in commands)


def median(values: list[float]) -> float:
    return statistics.median(values)


def compare_full_build(manuscript: Path, work: Path, runs: int) -> None:
    ours, bare = [], []
    commands = baseline_commands(manuscript, work)
    for _ in range(runs):  # interleaved, so that load on the machine falls on both alike
        ours.append(run(publish(manuscript, work / "out", "--force"))[0])
        bare.append(time_baseline(commands))
    print(f"full build, all four outputs:   ours {median(ours):6.2f} s   bare pandoc+weasyprint (3 outputs) "
          f"{median(bare):6.2f} s   ratio {median(ours) / median(bare):.2f}x  (median of {runs})")


def compare_rebuilds(manuscript: Path, work: Path, runs: int) -> None:
    out = work / "out"
    run(publish(manuscript, out))
    noop = [run(publish(manuscript, out))[0] for _ in range(runs)]
    chapter = manuscript / "foreword.md"
    original = chapter.read_text(encoding="utf-8")
    word, full = [], []
    for index in range(runs):
        chapter.write_text(original.replace("If only", f"If ever{index}", 1), encoding="utf-8")
        word.append(run(publish(manuscript, out))[0])
        full.append(run(publish(manuscript, out, "--force"))[0])
    chapter.write_text(original, encoding="utf-8")
    interpreter = [run([sys.executable, "-c", "pass"])[0] for _ in range(runs)]
    print(f"no-op rebuild:                  {median(noop):6.3f} s wall (python start-up alone "
          f"{median(interpreter):.3f} s)")
    print(f"one-word change rebuild:        {median(word):6.2f} s   forced full rebuild {median(full):6.2f} s   "
          f"ratio {median(word) / median(full):.2f}x")


def make_manuscript(root: Path, pages: int) -> Path:
    """A generated book of about *pages* pages, a note every paragraph or so."""
    sys.path.insert(0, str(REPO / "tests"))
    paragraph = ("The programme promised measurable outcomes within weeks, and the audit culture that "
                 "followed it counted throughput rather than recovery. ") * 5
    words_per_paragraph = len(paragraph.split()) + 12
    paragraphs = max(4, pages * WORDS_PER_PAGE // words_per_paragraph)
    per_chapter = 40
    root.mkdir(parents=True)
    names = []
    for chapter in range(0, paragraphs, per_chapter):
        number = chapter // per_chapter + 1
        lines = [f"# Chapter {number}\n"]
        notes = []
        for p in range(chapter, min(paragraphs, chapter + per_chapter)):
            lines.append(f"{paragraph}Paragraph {p}.[^n{p}]\n")
            notes.append(f"[^n{p}]: A note on paragraph {p}: the source, its date and a gloss.\n")
        name = f"{number:03d}.md"
        (root / name).write_text("\n".join(lines + notes), encoding="utf-8")
        names.append(name)
    meta = "title: Scale Test\nauthor: Bench\nlang: en-GB\nslug: scale\nchapters:\n"
    (root / "book.yaml").write_text(meta + "".join(f"  - {n}\n" for n in names), encoding="utf-8")
    return root


def scale(work: Path, sizes: list[int], runs: int) -> None:
    from pypdf import PdfReader

    print(f"scale ({runs} run(s) each; seconds per page and peak memory per edition):")
    for pages in sizes:
        manuscript = make_manuscript(work / f"scale-{pages}", pages)
        out = work / f"scale-{pages}-out"
        row = []
        for label, formats in (("pdf+print", "pdf,print"), ("epub", "epub"), ("html", "html")):
            timings = [run(publish(manuscript, out, "-f", formats, "--force")) for _ in range(runs)]
            seconds = median([t for t, _ in timings])
            memory = max(m for _, m in timings)
            row.append((label, seconds, memory))
        real_pages = len(PdfReader(out / "scale.pdf").pages)
        cells = "   ".join(f"{label} {s:6.2f} s ({s / real_pages * 1000:5.1f} ms/page, {m:4d} MB)"
                           for label, s, m in row)
        print(f"  ~{pages:3d} pages (PDF has {real_pages:3d}):  {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", default="10,100,300")
    parser.add_argument("--scale-runs", type=int, default=1)
    parser.add_argument("--no-scale", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} at start; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manuscript = Path(shutil.copytree(REPO / "manuscript", work / "manuscript"))
        env_epoch = os.environ.setdefault("SOURCE_DATE_EPOCH", "1548979200")
        print(f"SOURCE_DATE_EPOCH={env_epoch}")
        compare_full_build(manuscript, work, args.runs)
        compare_rebuilds(manuscript, work, args.runs)
        if not args.no_scale:
            scale(work, [int(p) for p in args.pages.split(",")], args.scale_runs)
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
