"""Benchmark: our build against the bare tools and the peers a publisher would pick, at book scale.

Every size is measured in one interleaved run (route A, B, C, then A, B, C
again…), so that load on a shared machine falls on every route alike, and is
reported as medians and ratios; absolute times do not transfer. Each run
starts from an empty output folder, so a "full build" is one.

    python benchmarks/bench.py [--runs 3] [--sizes book,100,300,1000,notes] [--no-rebuilds] [--manuscript FOLDER]

``--manuscript`` adds a real multi-chapter book of your own (any manuscript
folder; the benchmark copies it and never changes it).

Routes: ours (4 outputs, and the digital PDF alone); the bare trio (pandoc →
HTML, pandoc → EPUB, pandoc → HTML → WeasyPrint, notes as endnotes);
pandoc → XeLaTeX (notes at the foot) when ``xelatex`` is installed; Paged.js
when ``pagedjs-cli`` is. For each: wall and CPU seconds (all its processes,
user + system: on a machine shared so heavily that wall time is mostly
waiting, the CPU ratio is the steadier one), pages, ms per page (and per
note), peak memory of the largest process, and how many notes begin on their
call's page.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WORDS_PER_PAGE = 330  # a 156 x 234 mm page of this book, notes included, holds about this many words
PARAGRAPH = ("The programme promised measurable outcomes within weeks, and the audit culture that "
             "followed it counted throughput rather than recovery. ") * 5
CALL = re.compile(r"Paragraph\s+(\d+)\.")
NOTE = re.compile(r"note\s+on\s+paragraph\s+(\d+)(x\d+)?:")  # n12x1: the second note of paragraph 12


@dataclass
class Route:
    name: str
    commands: list[list[str]]
    outputs: list[Path]  # removed before each run
    pdf: Path | None = None
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    memory: list[int] = field(default_factory=list)

    def run(self) -> None:
        for path in self.outputs:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        seconds, cpu, peak = 0.0, 0.0, 0
        for command in self.commands:
            elapsed, memory, used = run(command)
            seconds, cpu, peak = seconds + elapsed, cpu + used, max(peak, memory)
        self.wall.append(seconds)
        self.cpu.append(cpu)
        self.memory.append(peak)


def run(command: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak memory (MB, the largest process) and CPU seconds (all its processes) of *command*."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return elapsed, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def publish(manuscript: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "publish", "build", str(manuscript), "-o", str(out), *extra]


def routes(manuscript: Path, work: Path, pdf_only: bool = False) -> list[Route]:
    """Ours, the bare trio, and the installed peers, for one manuscript."""
    import pypandoc

    from publish.book import load_book

    book = load_book(manuscript)
    pandoc = pypandoc.get_pandoc_path()
    chapters = [str(c.path) for c in book.chapters]
    meta = ["--metadata", f"title={book.metadata.title}", "--metadata", f"lang={book.metadata.lang}"]
    ours_pdf = Route("ours, digital PDF", [publish(manuscript, work / "pdf", "-f", "pdf")], [work / "pdf"],
                     work / "pdf" / f"{book.slug}.pdf")
    html = [pandoc, *chapters, "-s", *meta, "-o", str(work / "bare-pdf.html")]
    weasy = [sys.executable, "-m", "weasyprint", str(work / "bare-pdf.html"), str(work / "bare.pdf")]
    found = [ours_pdf]
    if not pdf_only:
        found.insert(0, Route("ours, 4 outputs", [publish(manuscript, work / "all")], [work / "all"],
                              work / "all" / f"{book.slug}.pdf"))
        found.append(Route("bare trio (3 outputs)", [
            [pandoc, *chapters, "-s", *meta, "-o", str(work / "bare.html")],
            [pandoc, *chapters, *meta, "-o", str(work / "bare.epub")], html, weasy],
            [work / "bare.html", work / "bare.epub", work / "bare.pdf"], work / "bare.pdf"))
    else:
        found.append(Route("bare pandoc+WeasyPrint PDF", [html, weasy], [work / "bare.pdf"], work / "bare.pdf"))
    width, height = book.metadata.trim
    if shutil.which("xelatex"):
        geometry = ["-V", f"geometry:paperwidth={width}mm", "-V", f"geometry:paperheight={height}mm",
                    "-V", "geometry:margin=20mm"]
        found.append(Route("pandoc -> XeLaTeX", [[pandoc, *chapters, *meta, *geometry, "--pdf-engine=xelatex",
                                                 "-o", str(work / "xelatex.pdf")]],
                           [work / "xelatex.pdf"], work / "xelatex.pdf"))
    if shutil.which("pagedjs-cli"):
        browser = "--no-sandbox,--disable-background-networking,--disable-component-update,--disable-sync"
        paged = ["pagedjs-cli", str(work / "bare-pdf.html"), "-o", str(work / "paged.pdf"), "-w", f"{width:g}",
                 "-h", f"{height:g}", "--browserArgs", browser]
        found.append(Route("Paged.js", [html, paged], [work / "paged.pdf"], work / "paged.pdf"))
    return found


def notes_on_their_page(pdf: Path) -> tuple[int, int]:
    """(pages, notes that begin on the page of their call) of a generated book's PDF."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    calls, notes = {}, {}
    for index in range(len(document)):
        text = document[index].get_textpage().get_text_range()
        text = re.sub(r"[\u2010\-\u00ad]\s*\r?\n", "", text)  # words hyphenated at a line's end
        text = " ".join(text.split())
        for match in CALL.finditer(text):
            calls.setdefault(match[1], index)
        for match in NOTE.finditer(text):
            notes.setdefault((match[1], match[2]), index)
    pages = len(document)
    document.close()
    return pages, sum(1 for (number, _), page in notes.items() if calls.get(number) == page)


def measure(label: str, manuscript: Path, work: Path, runs: int, notes: int | None, pdf_only: bool = False) -> None:
    found = routes(manuscript, work, pdf_only)
    for _ in range(runs):  # interleaved
        for route in found:
            route.run()
    yardstick = statistics.median(found[2 if not pdf_only else 1].wall)
    print(f"\n{label}  (median of {runs}; ratio to the bare tools)")
    cpu_yardstick = statistics.median(found[2 if not pdf_only else 1].cpu)
    print(f"  {'route':<28} {'median s':>9} {'ratio':>6} {'cpu s':>7} {'ratio':>6} {'pages':>6} {'ms/page':>8} "
          f"{'ms/note':>8} {'peak MB':>8} {'notes on call page':>19}")
    for route in found:
        seconds = statistics.median(route.wall)
        pages, placed = notes_on_their_page(route.pdf) if route.pdf and route.pdf.exists() else (0, 0)
        per_note = f"{seconds * 1000 / notes:8.2f}" if notes else f"{'-':>8}"
        placed_text = f"{placed}/{notes}" if notes else "-"
        cpu = statistics.median(route.cpu)
        print(f"  {route.name:<28} {seconds:9.2f} {seconds / yardstick:6.2f} {cpu:7.2f} {cpu / cpu_yardstick:6.2f} "
              f"{pages:6d} "
              f"{seconds * 1000 / max(pages, 1):8.1f} {per_note} {max(route.memory):8d} {placed_text:>19}")


def rebuilds(work: Path, runs: int) -> None:
    """Full build, one-word change in one chapter, and no-op rebuild, of a 20-chapter book."""
    manuscript = make_manuscript(work / "twenty", 300, chapters=20)
    chapter = manuscript / "010.md"
    original = chapter.read_text(encoding="utf-8")
    full, word, noop = [], [], []
    out = work / "twenty-out"
    for index in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        full.append(run(publish(manuscript, out))[0])
        chapter.write_text(original.replace("Paragraph", f"Paragraph{index}", 1), encoding="utf-8")
        word.append(run(publish(manuscript, out))[0])
        noop.append(run(publish(manuscript, out))[0])
        chapter.write_text(original, encoding="utf-8")
    python = statistics.median(run([sys.executable, "-c", "pass"])[0] for _ in range(runs))
    full_s, word_s = statistics.median(full), statistics.median(word)
    print(f"\nrebuilds of a 20-chapter, ~300-page book (median of {runs}):")
    print(f"  full build {full_s:.2f} s; one-word change in one chapter {word_s:.2f} s "
          f"= {word_s / full_s:.0%} of it; no-op {statistics.median(noop):.3f} s (python alone {python:.3f} s)")


def make_manuscript(root: Path, pages: int, chapters: int | None = None, notes_per_paragraph: int = 1,
                    notes: int | None = None) -> Path:
    """A generated book of about *pages* pages, each paragraph calling *notes_per_paragraph* notes.

    With *notes*, as many paragraphs as make exactly that many notes (*pages* is then ignored).
    """
    words_per_paragraph = len(PARAGRAPH.split()) + 12 * notes_per_paragraph
    paragraphs = max(4, pages * WORDS_PER_PAGE // words_per_paragraph)
    if notes is not None:
        if notes % notes_per_paragraph:
            raise ValueError(f"{notes} notes cannot be made {notes_per_paragraph} to a paragraph")
        paragraphs = notes // notes_per_paragraph
    per_chapter = -(-paragraphs // chapters) if chapters else 40
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    names = []
    for first in range(0, paragraphs, per_chapter):
        number = first // per_chapter + 1
        lines, notes = [f"# Chapter {number}\n"], []
        for p in range(first, min(paragraphs, first + per_chapter)):
            labels = [f"n{p}"] + [f"n{p}x{extra}" for extra in range(1, notes_per_paragraph)]
            calls = "".join(f"[^{label}]" for label in labels[1:])
            lines.append(f"{PARAGRAPH}{calls} Paragraph {p}.[^n{p}]\n")
            notes += [f"[^{label}]: A note on paragraph {label[1:]}: the source, its date and a gloss.\n"
                      for label in labels]
        name = f"{number:03d}.md"
        (root / name).write_text("\n".join(lines + notes), encoding="utf-8")
        names.append(name)
    meta = "title: Scale Test\nauthor: Bench\nlang: en-GB\nslug: scale\nchapters:\n"
    (root / "book.yaml").write_text(meta + "".join(f"  - {n}\n" for n in names), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per route at the book, ~100 and ~300 pages")
    parser.add_argument("--big-runs", type=int, default=1, help="runs per route at ~1,000 pages and 10,000 notes")
    parser.add_argument("--sizes", default="book,100,300,1000,notes")
    parser.add_argument("--no-rebuilds", action="store_true")
    parser.add_argument("--manuscript", action="append", default=[], type=Path, metavar="FOLDER",
                        help="also a real book: a manuscript folder (book.yaml and its chapters); repeatable")
    args = parser.parse_args()
    sizes = args.sizes.split(",") if args.sizes else []
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; "
          f"python {sys.version.split()[0]}; xelatex {'found' if shutil.which('xelatex') else 'not installed'}; "
          f"pagedjs-cli {'found' if shutil.which('pagedjs-cli') else 'not installed'}")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1548979200")
    if Path("/usr/bin/chromium").exists():  # Paged.js drives the system's Chromium (Debian's)
        os.environ.setdefault("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        work = Path(tmp)
        for size in sizes:
            folder = work / f"size-{size}"
            folder.mkdir()
            if size == "book":
                manuscript = Path(shutil.copytree(REPO / "manuscript", folder / "manuscript"))
                measure("our book", manuscript, folder, args.runs, None)
            elif size == "notes":
                manuscript = make_manuscript(folder / "manuscript", 0, notes_per_paragraph=4, notes=10_000)
                count = sum(text.count("]: A note") for text in (p.read_text() for p in manuscript.glob("*.md")))
                measure(f"a {count:,}-note book (PDF only)", manuscript, folder, args.big_runs, count, pdf_only=True)
            else:
                pages = int(size)
                manuscript = make_manuscript(folder / "manuscript", pages)
                count = sum(text.count("]: A note") for text in (p.read_text() for p in manuscript.glob("*.md")))
                big = pages >= 1000
                measure(f"~{pages} pages, {count} notes" + (" (PDF only)" if big else ""), manuscript, folder,
                        args.big_runs if big else args.runs, count, pdf_only=big)
        for index, source in enumerate(args.manuscript):
            folder = work / f"real-{index}"
            folder.mkdir()
            manuscript = Path(shutil.copytree(source, folder / "manuscript", symlinks=True))
            measure(f"a real book: {source.resolve().name}", manuscript, folder, args.runs, None)
        if not args.no_rebuilds:
            rebuilds(work, args.runs)
    print(f"\nload average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
