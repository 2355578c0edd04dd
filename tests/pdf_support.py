"""Reading the PDF editions back as a proofreader would: text by page, calls, notes, boxes.

Everything is read by ``publish.readers.pdf``, the reader check/ and diff/
use. The print stylesheet sets running text at 11 pt, note calls at 7 pt,
notes and running heads at 8.5 pt and folios at 9 pt; these helpers tell
them apart by size (and notes by their place below the head of the page).
"""

from __future__ import annotations

from pathlib import Path

from publish.readers.pdf import GAP, Char, Line, Page, PdfFile, objects

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


def _size(char: Char) -> float:
    return round(char.size, 1)


def _text(page: Page, keep=None) -> str:
    """The page's lines (of the characters *keep* accepts) from the top down, one per text line."""
    rows: list[list[Line]] = []
    for line in sorted(page.lines(keep), key=lambda line: (-line.top, line.box[0])):
        if rows and abs(rows[-1][0].top - line.top) < 1:
            rows[-1].append(line)  # pieces of one line the content stream gave apart
        else:
            rows.append([line])
    return "\n".join(_joined(sorted(row, key=lambda line: line.box[0])) for row in rows)


def _joined(pieces: list[Line]) -> str:
    """Pieces of one line, a space between two only where the page shows a gap."""
    text = pieces[0].text
    for before, piece in zip(pieces, pieces[1:], strict=False):
        text += (" " if piece.box[0] - before.box[2] > GAP * piece.size else "") + piece.text
    return text


def page_texts(path: Path) -> list[str]:
    with PdfFile(path) as pdf:
        return [_text(page) for page in pdf]


def body_text(path: Path) -> str:
    """The running text of the whole book: no calls, notes, running heads, folios or imprint."""
    with PdfFile(path) as pdf:
        texts = [_text(page, lambda c: _size(c) not in (CALL_SIZE, NOTE_SIZE, FOLIO_SIZE)) for page in pdf]
    return dehyphenate("\n".join(texts))


def note_texts(path: Path) -> list[str]:
    """Per page, the text of the note area (flattened, hyphenation undone)."""
    found = []
    with PdfFile(path) as pdf:
        for page in pdf:
            _, bottom, _, top = page.mediabox
            head = top - 0.15 * (top - bottom)  # notes lie below the head of the page
            found.append(flat(_text(page, lambda c, head=head: _size(c) == NOTE_SIZE and c.top < head)))
    return found


def calls(path: Path) -> list[tuple[int, int]]:
    """(page index, number) of every note call, in reading order."""
    found = []
    with PdfFile(path) as pdf:
        for page in pdf:
            previous = None
            for char in page.chars:
                is_call = char.text.isdigit() and _size(char) == CALL_SIZE
                follows = previous and abs(previous.right - char.left) < 1 and abs(previous.top - char.top) < 1
                if is_call and follows:
                    found[-1] = (page.index, found[-1][1] * 10 + int(char.text))
                elif is_call:
                    found.append((page.index, int(char.text)))
                previous = char if is_call else None
    return found


def boxes(path: Path) -> list[dict[str, list[float]]]:
    """Each page's MediaBox, TrimBox and BleedBox, in points."""
    return [{name: [float(v) for v in page[f"/{name}"]] for name in ("MediaBox", "TrimBox", "BleedBox")}
            for page in objects(path).pages]
