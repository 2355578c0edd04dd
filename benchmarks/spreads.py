"""Uneven spreads per book, as the PDF build lays its parts out (pdf_spreads.uneven), and why each remains.

    python benchmarks/spreads.py MANUSCRIPT...          # book folders (book.yaml and chapters)
    python benchmarks/spreads.py --generate 1 2 3 4     # generated books, by seed, in a temporary folder

A generated book has three chapters of paragraphs of varied length, notes on
some (of one line to six, called at a paragraph's end or inside it), section
and subsection headings mid-chapter, lists and block quotations, all from the
seed. For each spread left uneven the report gives its pages (in the part),
how far apart their last lines are, which page is short and the white space at
its foot (``foot``, lines; a picture counts), what the next page
opens with (a heading kept with its text, a paragraph's rest), and the
remedies the layouts tried (pages shortened, settled spreads, tight note
areas, stretched pages).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from publish import plan  # noqa: E402
from publish.book import load_book  # noqa: E402
from publish.editions import pdf_notes, pdf_parts, pdf_spreads  # noqa: E402
from publish.editions.pdf_notes import descendants  # noqa: E402
from publish.pipeline import parse_book  # noqa: E402
from publish.render import render  # noqa: E402

WORDS = ["care", "counted", "audited", "sold", "argument", "clause", "sentence", "practice", "therapy", "outcome",
         "measure", "service", "patient", "clinic", "session", "record", "evidence", "policy", "market", "model",
         "worker", "training", "reading", "history"]


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _chapter(rng: random.Random, number: int, blocks: int, note_rate: float) -> str:
    out, notes = [f"# Chapter {number}: the {rng.choice(WORDS)} of {rng.choice(WORDS)}\n"], []
    for block in range(blocks):
        draw = rng.random()
        if block and draw < 0.08:
            out.append(f"## Section {number}.{block}: {rng.choice(WORDS)}\n")
        elif block and draw < 0.11:
            out.append(f"### On {rng.choice(WORDS)} and {rng.choice(WORDS)}\n")
        elif draw < 0.17:
            out.append("\n".join(f"- {_paragraph(rng, rng.randint(1, 2))}" for _ in range(rng.randint(2, 5))) + "\n")
        elif draw < 0.20:
            out.append("\n".join(f"{item}. {_paragraph(rng, 1)}" for item in range(1, rng.randint(3, 5))) + "\n")
        elif draw < 0.25:
            out.append("> " + _paragraph(rng, rng.randint(2, 5)) + "\n")
        words = _paragraph(rng, rng.choice([1, 2, 3, 4, 5, 6, 8, 10])).split(" ")
        if rng.random() < note_rate:
            key = f"c{number}n{len(notes) + 1}"
            at = len(words) if rng.random() < 0.5 else rng.randint(1, len(words))
            words[at - 1] += f"[^{key}]"
            notes.append(f"[^{key}]: " + _paragraph(rng, rng.choice([1, 1, 1, 1, 2, 3, 6])) + "\n")
        out.append(" ".join(words) + "\n")
    return "\n".join(out + notes)


def generate(seed: int, root: Path, chapters: int = 3, blocks: int = 40, note_rate: float = 0.15) -> Path:
    """A generated book in *root*, from *seed*."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(1, chapters + 1):
        name = f"{number:02d}-ch.md"
        text = _chapter(rng, number, rng.randint(blocks // 2, blocks * 3 // 2), note_rate)
        (root / name).write_text(text, encoding="utf-8")
        names.append(name)
    (root / "book.yaml").write_text(f"title: Generated {seed}\nauthor: A. N. Author\nlang: en-GB\nslug: gen{seed}\n"
                                    "chapters:\n" + "".join(f"  - {name}\n" for name in names), encoding="utf-8")
    return root


def _why(document, ending) -> str:
    """What the page after a short page opens with."""
    following = document.pages[ending.index + 1]._page_box
    top = following.content_box_y()
    first = next((box for box in descendants(following.children[0]) if type(box).__name__ == "LineBox"), None)
    heading = next((box for box in descendants(following.children[0])
                    if getattr(box, "element_tag", "") in ("h2", "h3", "h4")), None)
    kind = f"next opens with {getattr(first, 'element_tag', '?')}"
    if heading is not None and heading.position_y < top + 30:
        kind = f"heading {heading.element_tag} kept with its text"
    overleaf = pdf_notes.overleaf(document).get(ending.index)
    return kind + (f"; notes of {overleaf} lines taken overleaf" if overleaf else "")


def _foot(document, ending) -> float:
    """The white space at the foot of a page, in lines: below its last line box, a picture's included (a page
    ending with a picture ends below its last line of text, which is what ``lines`` measures from)."""
    box = document.pages[ending.index]._page_box
    last = max((line.position_y + line.height for line in descendants(box.children[0])
                if type(line).__name__ == "LineBox"), default=ending.bottom)
    return round((ending.bottom - last) / (pdf_spreads.LEADING_PT * 4 / 3), 2)


def measure(manuscript: Path) -> tuple[int, int]:
    """Lay out each part of the book as the build does; print its uneven spreads; (uneven, spreads)."""
    book = load_book(manuscript)
    book_plan = plan.make(manuscript, Path(tempfile.mkdtemp()))
    chapters = render(parse_book(book))
    made = {}
    shorten = pdf_spreads.shorten

    def kept(document, shortened):
        made["shortened"] = shortened
        made["layouts"] = made.get("layouts", 0) + 1
        return shorten(document, shortened)

    pdf_spreads.shorten = kept
    total = spreads = 0
    started = time.process_time()
    line = pdf_spreads.LEADING_PT * 4 / 3
    try:
        for part in pdf_parts.parts(chapters):
            made.clear()
            layout = pdf_parts.lay_out(book_plan, book, part, False)
            document = layout.document
            spreads += len(pdf_spreads.spreads(document))
            found = pdf_spreads.uneven(document)
            total += len(found)
            shortened = made.get("shortened") or pdf_spreads.Shortened()
            for verso, recto in found:
                higher = verso if verso.baseline < recto.baseline else recto
                print("   ", json.dumps({
                    "part": part.name, "pages": f"{verso.index + 1}-{recto.index + 1}",
                    "lines": round(abs(verso.baseline - recto.baseline) / line, 2), "short": higher.index + 1,
                    "foot": _foot(document, higher), "why": _why(document, higher),
                    "shortened": sorted(shortened.lines.items()),
                    "settled": verso.index in shortened.settled, "tight": sorted(shortened.tight),
                    "stretched": sorted(shortened.stretched), "spread remedies": made.get("layouts", 0)}))
    finally:
        pdf_spreads.shorten = shorten
    print(f"{manuscript}: {total} uneven of {spreads} spreads ({time.process_time() - started:.0f} CPU s)")
    return total, spreads


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("books", nargs="*", help="manuscript folders, or seeds with --generate")
    parser.add_argument("--generate", action="store_true", help="the arguments are seeds of generated books")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="    warning: %(message)s")
    folder = Path(tempfile.mkdtemp())
    books = [generate(int(seed), folder / f"gen{seed}") for seed in args.books] if args.generate \
        else [Path(book) for book in args.books]
    results = [measure(book) for book in books]
    print(f"all: {sum(u for u, _ in results)} uneven of {sum(s for _, s in results)} spreads")


if __name__ == "__main__":
    main()
