"""Reading the PDF editions back as a proofreader would: text by page, calls, notes, boxes.

The print stylesheet sets running text at 11 pt, note calls at 7 pt, notes
and running heads at 8.5 pt and folios at 9 pt; these helpers tell them apart
by size (and running heads by their place at the head of the page).
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdf

CALL_SIZE = 7.0
NOTE_SIZE = 8.5
FOLIO_SIZE = 9.0
HYPHEN = "\u2010"  # WeasyPrint's hyphen where it breaks a word
MM = 72 / 25.4


def dehyphenate(text: str) -> str:
    """Undo line-end hyphenation: ``dis‐\\norder`` → ``disorder``; ``evidence-\\nbased`` keeps its hyphen."""
    return text.replace(HYPHEN + "\n", "").replace("-\n", "-")


def flat(text: str) -> str:
    return " ".join(dehyphenate(text).split())


def _sized(page, keep) -> str:
    return page.filter(lambda obj: obj.get("object_type") != "char" or keep(obj)).extract_text()


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() for page in pdf.pages]


def body_text(path: Path) -> str:
    """The running text of the whole book: no calls, notes, running heads, folios or imprint."""
    with pdfplumber.open(path) as pdf:
        texts = [_sized(page, lambda c: round(c["size"], 1) not in (CALL_SIZE, NOTE_SIZE, FOLIO_SIZE))
                 for page in pdf.pages]
    return dehyphenate("\n".join(texts))


def note_texts(path: Path) -> list[str]:
    """Per page, the text of the note area (flattened, hyphenation undone)."""
    with pdfplumber.open(path) as pdf:
        return [flat(_sized(page, lambda c, h=page.height: round(c["size"], 1) == NOTE_SIZE and c["top"] > 0.15 * h))
                for page in pdf.pages]


def calls(path: Path) -> list[tuple[int, int]]:
    """(page index, number) of every note call, in reading order."""
    found = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            previous = None
            for char in page.chars:
                is_call = char["text"].isdigit() and round(char["size"], 1) == CALL_SIZE
                follows = previous and abs(previous["x1"] - char["x0"]) < 1 and abs(previous["top"] - char["top"]) < 1
                if is_call and follows:
                    found[-1] = (index, found[-1][1] * 10 + int(char["text"]))
                elif is_call:
                    found.append((index, int(char["text"])))
                previous = char if is_call else None
    return found


def boxes(path: Path) -> list[dict[str, list[float]]]:
    """Each page's MediaBox, TrimBox and BleedBox, in points."""
    reader = pypdf.PdfReader(path)
    return [{name: [float(v) for v in page[f"/{name}"]] for name in ("MediaBox", "TrimBox", "BleedBox")}
            for page in reader.pages]
