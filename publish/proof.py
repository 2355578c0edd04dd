"""A marked-up proof to print or annotate: the new print PDF with the diff's marks as PDF annotations.

Made with pikepdf (it keeps the PDF's compressed streams and writes object
streams, so the proof is about the size of the book; pypdf rewrote it at
eight times the size): on
each new page a yellow highlight over every inserted word, and a note in
the outer margin saying what the page is ("Re-read: text changed", "Reflowed
from p. v", "Note numbers only"). Deleted words are not on the new page, so
the old page that held them follows it, marked "old p. vii, for the
deletions", with each deleted word struck out (the margin notes are drawn
in a vendored font: ``proof_notes``); an old page no new page
replaces follows the new page before its place, marked "Page gone". Every annotation has the
print flag set, so it prints with the page.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from publish import proof_notes

PRINT = 4  # the annotation flag that makes it print
YELLOW, RED, BLUE = (1.0, 0.85, 0.0), (0.85, 0.0, 0.0), (0.1, 0.35, 0.7)
NOTES = {"text": "Re-read: text changed (was p. {old})", "reflow": "Reflowed from p. {old}: check the breaks",
         "renumbered": "Note numbers only (was p. {old})", "furniture": "Running head or folio changed",
         "visual": "Set differently (style): look at it", "shifted": "Shifted from p. {old}: unchanged",
         "blank-added": "Blank page added"}


def proof(old_pdf: Path, new_pdf: Path, pages) -> bytes:
    """The new print PDF, annotated with *pages* (pages.Pages): its bytes."""
    with pikepdf.open(old_pdf) as old, pikepdf.open(new_pdf) as pdf:
        notes: list[proof_notes.Note] = []
        inserted = 0
        after = _gone_after(pages)
        for result in pages.results:
            page = pdf.pages[result.index + inserted]
            note = NOTES.get(result.cls)
            if note:
                _margin_note(pdf, notes, page, note.format(old=result.old_label or "—"), result.index, BLUE)
            for box in result.marks:
                _quad(pdf, page, "/Highlight", box, YELLOW, "inserted")
            if result.old_marks and result.old_index is not None:
                inserted += 1
                pdf.pages.insert(result.index + inserted, old.pages[result.old_index])
                old_page = pdf.pages[result.index + inserted]
                _margin_note(pdf, notes, old_page,
                             f"Old p. {result.old_label}, for the deletions on new p. {result.label}",
                             result.old_index, RED)
                for box in result.old_marks:
                    _quad(pdf, old_page, "/StrikeOut", box, RED, "deleted")
            for gone in after.get(result.index, []):
                inserted += 1
                pdf.pages.insert(result.index + inserted, old.pages[gone.index])
                _gone_page(pdf, notes, pdf.pages[result.index + inserted], gone)
        proof_notes.draw(pdf, notes)
        buffer = io.BytesIO()
        pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _gone_after(pages) -> dict[int, list]:
    """The old pages no new page replaces, by the new page they follow (the last one read against an earlier
    old page; the first new page if none is)."""
    out: dict[int, list] = {}
    for gone in pages.removed:
        before = [r.index for r in pages.results if r.old_index is not None and r.old_index < gone.index]
        out.setdefault(max(before, default=0), []).append(gone)
    return out


def _gone_page(pdf, notes: list, page, gone) -> None:
    what = "Blank page removed" if gone.cls == "blank-removed" else "Page gone"
    _margin_note(pdf, notes, page, f"{what}: old p. {gone.old_label}, no new page replaces it", gone.index, RED)
    for box in gone.old_marks:
        _quad(pdf, page, "/StrikeOut", box, RED, "deleted")


def _trim(page) -> tuple[float, float, float, float]:
    left, bottom, right, top = (float(v) for v in page.trimbox)
    return left, bottom, right, top


def _quad(pdf, page, subtype: str, box, colour, label: str) -> None:
    """A highlight or strike-out over *box* (fractions of the trim box: left, top, width, height)."""
    left, bottom, right, top = _trim(page)
    x0 = left + box[0] * (right - left)
    x1 = x0 + box[2] * (right - left)
    y1 = top - box[1] * (top - bottom)
    y0 = y1 - box[3] * (top - bottom)
    annotation = _annotation(subtype, (x0, y0, x1, y1), colour, label)
    annotation.QuadPoints = Array([x0, y1, x1, y1, x0, y0, x1, y0])
    _add(pdf, page, annotation)


def _margin_note(pdf, notes: list, page, text: str, index: int, colour) -> None:
    """A note in the outer margin, at the top of the text: right of a recto (even index), left of a verso."""
    left, bottom, right, top = _trim(page)
    width = 0.14 * (right - left)
    x0 = right - width - 4 if index % 2 == 0 else left + 4
    rect = (x0, top - 0.30 * (top - bottom), x0 + width, top - 0.12 * (top - bottom))
    annotation = _annotation("/FreeText", rect, colour, text)
    del annotation["/C"]  # a free-text note's /C is its background: none, the note is text in the margin
    annotation.Q = 0
    _add(pdf, page, annotation)
    notes.append(proof_notes.Note(annotation, text, rect, colour))  # its appearance: proof_notes.draw


def _add(pdf, page, annotation: Dictionary) -> None:
    if "/Annots" not in page.obj:
        page.obj.Annots = pdf.make_indirect(Array())
    page.obj.Annots.append(pdf.make_indirect(annotation))


def _annotation(subtype: str, rect, colour, text: str) -> Dictionary:
    return Dictionary(Type=Name.Annot, Subtype=Name(subtype), Rect=Array(list(rect)), C=Array(list(colour)),
                      Contents=pikepdf.String(text), T=pikepdf.String("publish diff"), F=PRINT)
