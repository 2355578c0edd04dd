"""The HTML edition in Chromium: screenshots to look at, and the print stylesheet through Chromium's PDF.

Screenshots (1280 px, 375 px, dark scheme) go to a temporary folder, or to $PUBLISH_SCREENSHOTS when set,
for a person to review; the tests only check what a machine can (size, no overflow, the dark scheme is dark).
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

MM = 72 / 25.4
SHOTS = [("wide", 1280, "light"), ("narrow", 375, "light"), ("dark", 1280, "dark"), ("narrow-dark", 375, "dark")]


def _squash(text: str) -> str:
    """Letters and digits only, case-folded: survives line breaks, hyphenation, small caps and ligatures."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


@pytest.fixture(scope="module")
def shots_folder(tmp_path_factory) -> Path:
    folder = os.environ.get("PUBLISH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def base(build_book, serve):
    return serve(build_book() / "html")


def test_screenshots_at_both_widths_and_in_the_dark_scheme(open_page, base, shots_folder):
    import numpy as np
    from PIL import Image

    brightness = {}
    for name, width, scheme in SHOTS:
        page, _ = open_page(base + "index.html", width, scheme)
        path = shots_folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        image = Image.open(path)
        assert image.width == width, f"{name}: the page is wider than the viewport"
        assert image.height > 2000, f"{name}: the page looks empty"
        brightness[name] = float(np.asarray(image.convert("L")).mean())
    print(f"\nscreenshots: {shots_folder}")
    assert brightness["dark"] < 80 < 200 < brightness["wide"], brightness
    assert brightness["narrow-dark"] < 80 < 200 < brightness["narrow"], brightness


# Each chapter's last block of text and its notes, as printed text (without what print hides, calls, numbers).
NOTES = """() => {
  const text = (e, drop) => { const copy = e.cloneNode(true);
    copy.querySelectorAll(drop).forEach(d => d.remove()); return copy.textContent; };
  return [...document.querySelectorAll('article')].filter(a => a.querySelector('section.notes')).map(a => {
    const section = a.querySelector(':scope > section.notes');
    return {last_block: text([...a.children].filter(c => c !== section).pop(), '.sidenote, .noteref'),
            notes: [...section.querySelectorAll('aside')].map(n => text(n, '.note-number, .backlink'))};
  });
}"""


@pytest.fixture(scope="module", params=["book", "long book"])
def printed(request, chromium, build_book, serve):
    """The edition printed by Chromium: its PDF, the chapters' notes, and what print media hides."""
    manuscript = request.getfixturevalue("long_book") if request.param == "long book" else None
    folder = build_book(manuscript) if manuscript else build_book()
    context = chromium.new_context()
    page = context.new_page()
    page.goto(serve(folder / "html") + "index.html", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.emulate_media(media="print")
    shown = page.evaluate("""[...document.querySelectorAll('.sidenote, .backlink')]
                             .filter(e => getComputedStyle(e).display !== 'none').length""")
    chapters = page.evaluate(NOTES)
    pdf = page.pdf(prefer_css_page_size=True)
    context.close()
    return {"pdf": pdf, "chapters": chapters, "shown": shown}


def test_print_hides_sidenotes_and_backlinks(printed):
    assert printed["shown"] == 0


def test_print_has_every_note_once_after_its_chapter(printed):
    from pypdf import PdfReader

    text = _squash(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(printed["pdf"])).pages))
    for chapter in printed["chapters"]:
        end_of_text = text.find(_squash(chapter["last_block"]))
        assert end_of_text >= 0, "the chapter's last block is missing from the PDF"
        for note in chapter["notes"]:
            assert text.count(_squash(note)) == 1, f"printed {text.count(_squash(note))} times: {note[:60]}"
            assert text.find(_squash(note)) > end_of_text, f"not after its chapter's text: {note[:60]}"


def _printed_chars(pdf: bytes):
    """(page number, page size, char, its box (left, bottom, right, top) and size in pt) for every visible char."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium

    matrix = pdfium.FS_MATRIX()
    for number, page in enumerate(pypdfium2.PdfDocument(pdf), 1):
        text = page.get_textpage()
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if char.strip():
                pdfium.FPDFText_GetMatrix(text.raw, index, ctypes.byref(matrix))
                scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                size = pdfium.FPDFText_GetFontSize(text.raw, index) * scale
                yield number, page.get_size(), char, text.get_charbox(index), size


def test_print_pages_are_a4_readable_and_nothing_is_cut_off(printed):
    sizes = []
    for number, (width, height), char, (left, bottom, right, top), size in _printed_chars(printed["pdf"]):
        assert (round(width / MM), round(height / MM)) == (210, 297), f"page {number} is not A4"
        edge = 10 * MM
        inside = min(left, bottom) >= edge and right <= width - edge and top <= height - edge
        assert inside, f"page {number}: {char!r} at ({left:.0f}, {bottom:.0f}) pt is in the page's edge"
        sizes.append(size)
    sizes.sort()
    assert sizes[len(sizes) // 10] >= 8.5, "a tenth of the printed text is smaller than 8.5 pt"
    assert sizes[len(sizes) // 2] >= 10.5, "the running text is printed smaller than 10.5 pt"
