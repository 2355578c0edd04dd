"""A marked-up proof to print or annotate: the new print PDF with the diff's marks as PDF annotations.

Made with pypdf (annotations are dictionaries it writes as they are): on
each new page a yellow highlight over every inserted word, and a note in
the outer margin saying what the page is ("Re-read: text changed", "Reflowed
from p. v", "Note numbers only"). Deleted words are not on the new page, so
the old page that held them follows it, marked "old p. vii, for the
deletions", with each deleted word struck out. Every annotation has the
print flag set, so it prints with the page.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

PRINT = 4  # the annotation flag that makes it print
YELLOW, RED, BLUE = (1.0, 0.85, 0.0), (0.85, 0.0, 0.0), (0.1, 0.35, 0.7)
NOTES = {"text": "Re-read: text changed (was p. {old})", "reflow": "Reflowed from p. {old}: check the breaks",
         "renumbered": "Note numbers only (was p. {old})", "furniture": "Running head or folio changed",
         "visual": "Set differently (style): look at it", "shifted": "Shifted from p. {old}: unchanged",
         "blank-added": "Blank page added"}


def proof(old_pdf: Path, new_pdf: Path, pages) -> bytes:
    """The new print PDF, annotated with *pages* (pages.Pages): its bytes."""
    old_reader, new_reader = pypdf.PdfReader(str(old_pdf)), pypdf.PdfReader(str(new_pdf))
    writer = pypdf.PdfWriter()
    for result in pages.results:
        page = writer.add_page(new_reader.pages[result.index])
        note = NOTES.get(result.cls)
        if note:
            _margin_note(writer, page, note.format(old=result.old_label or "—"), result.index, BLUE)
        for box in result.marks:
            _quad(writer, page, "/Highlight", box, YELLOW, "inserted")
        if result.old_marks and result.old_index is not None:
            old_page = writer.add_page(old_reader.pages[result.old_index])
            _margin_note(writer, old_page, f"Old p. {result.old_label}, for the deletions on new p. {result.label}",
                         result.old_index, RED)
            for box in result.old_marks:
                _quad(writer, old_page, "/StrikeOut", box, RED, "deleted")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _trim(page) -> tuple[float, float, float, float]:
    box = page.trimbox
    return float(box.left), float(box.bottom), float(box.right), float(box.top)


def _quad(writer, page, subtype: str, box, colour, label: str) -> None:
    """A highlight or strike-out over *box* (fractions of the trim box: left, top, width, height)."""
    left, bottom, right, top = _trim(page)
    x0 = left + box[0] * (right - left)
    x1 = x0 + box[2] * (right - left)
    y1 = top - box[1] * (top - bottom)
    y0 = y1 - box[3] * (top - bottom)
    annotation = _annotation(subtype, (x0, y0, x1, y1), colour, label)
    annotation[NameObject("/QuadPoints")] = ArrayObject(FloatObject(v) for v in (x0, y1, x1, y1, x0, y0, x1, y0))
    writer.add_annotation(page, annotation)


def _margin_note(writer, page, text: str, index: int, colour) -> None:
    """A note in the outer margin, at the top of the text: right of a recto (even index), left of a verso."""
    left, bottom, right, top = _trim(page)
    width = 0.14 * (right - left)
    x0 = right - width - 4 if index % 2 == 0 else left + 4
    rect = (x0, top - 0.30 * (top - bottom), x0 + width, top - 0.12 * (top - bottom))
    annotation = _annotation("/FreeText", rect, colour, text)
    del annotation["/C"]  # a free-text note's /C is its background: none, the note is text in the margin
    annotation[NameObject("/DA")] = TextStringObject(f"/Helv 8 Tf {' '.join(str(c) for c in colour)} rg")
    annotation[NameObject("/Q")] = NumberObject(0)
    _default_font(writer)
    writer.add_annotation(page, annotation)


def _default_font(writer) -> None:
    """The font a viewer sets a free-text note in (/Helv, as form fields use), named in the AcroForm."""
    if "/AcroForm" in writer._root_object:
        return
    helv = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    fonts = DictionaryObject({NameObject("/Helv"): writer._add_object(helv)})
    resources = DictionaryObject({NameObject("/Font"): fonts})
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject(), NameObject("/DR"): resources,
        NameObject("/DA"): TextStringObject("/Helv 8 Tf 0 g")})


def _annotation(subtype: str, rect, colour, text: str) -> DictionaryObject:
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype),
        NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
        NameObject("/C"): ArrayObject(FloatObject(c) for c in colour),
        NameObject("/Contents"): TextStringObject(text), NameObject("/T"): TextStringObject("publish diff"),
        NameObject("/F"): NumberObject(PRINT),
    })
