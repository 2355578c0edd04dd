"""Constructs real books taught us in round two (issue 16): tests/data/oddities, built once.

The manuscript was written for these tests: a note in a table's header row,
code blocks in notes (one line too long for any note), an SVG figure whose
labels the PDF draws among the list after it (with an id that is not an XML
name and a reference to a pattern it never defines), accents, big operators,
matrices and roots in TeX maths, and one file with many level-1 headings.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from publish import check
from publish.readers.pdf import PdfFile
from tests.conftest import build_copy

DATA = Path(__file__).parent / "data" / "oddities"
pytestmark = pytest.mark.slow  # builds every edition and runs the Java validators
HEADINGS = ["Synopsis", "Description", "Files", "Exit status"]  # manual.md's level-1 headings


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[str], Path]:
    return build_copy(tmp_path_factory, DATA, "oddities")


@pytest.fixture(scope="module")
def results(built):
    return {result.name: result for result in check.check(built[0], built[2])}


def _page_with(pdf: PdfFile, text: str):
    return next(page for page in pdf if text in "".join(char.text for char in page.chars))


def _word(page, word: str):
    """The characters of the first *word* on *page* (in stream order)."""
    chars = [char for char in page.chars if not char.text.isspace()]
    stream = "".join(unicodedata.normalize("NFKC", char.text) for char in chars)
    at = stream.index(word)
    return chars[at:at + len(word)]


def test_every_check_passes_and_the_parity_checks_ran(results):
    assert not {name: r.reason for name, r in results.items() if r.status == "FAIL"}
    assert all(r.status == "PASS" for name, r in results.items() if "parity" in name or "epubcheck" in name)


def test_the_svg_faults_are_repaired_and_named_with_its_file(built, results):
    out, lines, _ = built
    said = "\n".join(lines)
    assert "images/pipes.svg: id 'link(1)' is not an XML name" in said
    assert "images/pipes.svg: refers to #gridpattern, which it defines nowhere" in said
    with zipfile.ZipFile(out / "oddities.epub") as epub:
        carried = next(epub.read(n) for n in epub.namelist() if n.endswith("pipes.svg")).decode()
    assert 'id="link(1)"' not in carried and "#gridpattern" not in carried
    assert results["epub epubcheck"].status == "PASS"


def test_the_svg_labels_are_known_as_the_figures_wherever_the_pdf_draws_them(built):
    out, _, _ = built
    with PdfFile(out / "oddities.pdf") as pdf:
        page = _page_with(pdf, "Output in Shell")
        labels = "".join(char.text for char in page.chars if char.figure and not char.text.isspace())
        body = "".join(char.text for char in page.chars if not char.figure and not char.text.isspace())
    for label in ("sort-n", "head-n1", "pipe", "OutputinShell"):  # drawn in a group, and out of it
        assert label in labels
    assert "OutputinShell" not in body and "Whichcommandwouldwork?" in body


def test_a_word_missing_beside_the_figure_is_still_found(built, tmp_path):
    """The check leaves the SVG's own text out, not the book's: a word the PDF lacks is reported."""
    out, _, manuscript = built
    changed = tmp_path / "book"
    shutil.copytree(manuscript, changed)
    chapter = changed / "figures.md"
    chapter.write_text(chapter.read_text().replace("3. `sort -n | head`", "3. `sort -n | head` quickly"),
                       encoding="utf-8")
    failed = {r.name: r.reason for r in check.check(out, changed) if r.status == "FAIL"}
    assert "quickly" in failed.get("pdf parity-text", "") or "head" in failed.get("pdf parity-text", "")
    assert "print parity-text" in failed


def test_a_note_in_the_header_row_and_the_header_are_on_the_page(built):
    out, _, _ = built
    for name in ("oddities.pdf", "oddities-print.pdf"):
        with PdfFile(out / name) as pdf:
            page = _page_with(pdf, "Quantities as the survey")  # the header's note
            text = "".join(char.text for char in page.chars)
            for word in ("Quantity", "Unit", "Measured", "Length", "metre"):
                assert word in text
            # the cell that calls the note stands on the header row's line, as its neighbours do
            quantity, unit = _word(page, "Quantity")[0], _word(page, "Measured")[0]  # not "Units" of the caption
            assert abs(quantity.bottom - unit.bottom) < 0.5
            length, metre = _word(page, "Length")[0], _word(page, "metre")[0]
            assert abs(length.bottom - metre.bottom) < 0.5


def test_code_in_a_note_is_set_at_the_notes_size_and_a_line_too_long_is_named(built):
    out, lines, _ = built
    assert any("notes.md:15: a code line in a note" in line for line in lines)
    with PdfFile(out / "oddities.pdf") as pdf:
        page = _page_with(pdf, "make check")
        note_size = max(char.size for char in _word(page, "Run"))  # the note's own text: "Run it so:"
        assert max(char.size for char in _word(page, "make")) < note_size
        # "make book" and "make check" keep their own lines
        assert _word(page, "book")[0].bottom - _word(page, "check")[0].bottom > 3
        page = _page_with(pdf, "--format json")
        left, _, right, _ = page.trimbox
        assert all(left <= char.left and char.right <= right for char in page.chars if char.text.strip())


def test_maths_accents_sit_in_their_letters_run_and_limits_stand_above_and_below(built):
    out, _, _ = built
    with PdfFile(out / "oddities.pdf") as pdf:
        page = _page_with(pdf, "∑")
        text = unicodedata.normalize("NFKC", "".join(char.text for char in page.chars))
        assert "ŷ" in text  # \hat{y}: the accent composed with its letter, as a reader copies it
        chars = [char for char in page.chars if char.text.strip()]
        sigma = next(char for char in chars if char.text == "∑")
        after = chars[chars.index(sigma) + 1:chars.index(sigma) + 5]
        # read in the order drawn, top to bottom: the upper limit n, then ∑, then i = 1 below
        before = chars[chars.index(sigma) - 1]
        assert unicodedata.normalize("NFKC", before.text) == "n" and before.bottom > sigma.bottom
        assert "".join(unicodedata.normalize("NFKC", c.text) for c in after[:3]) == "i=1"
        assert all(char.top < sigma.top for char in after[:3])
        assert any(unicodedata.normalize("NFKC", c.text) == "y" and c.text != "y" for c in chars)  # 𝑦: italic


def test_every_level_1_heading_of_one_file_is_in_the_epub_nav_and_the_web_contents(built):
    out, _, _ = built
    with zipfile.ZipFile(out / "oddities.epub") as epub:
        nav = next(epub.read(n).decode() for n in epub.namelist() if n.endswith("nav.xhtml"))
    entries = re.findall(r"<a href=\"([^\"]+)\">([^<]+)</a>", nav)
    for heading in HEADINGS:
        assert any(text == heading for _, text in entries)
    assert not any(text == "Options" for _, text in entries)  # a level-2 heading is not a contents entry
    contents = lxml_html.parse(str(out / "html" / "index.html")).getroot()
    links = {a.text_content(): a.get("href") for a in contents.iter("a")}
    for heading in HEADINGS[1:]:
        href = links[heading]
        page, _, fragment = href.partition("#")
        target = lxml_html.parse(str(out / "html" / page)).getroot()
        assert target.get_element_by_id(fragment).text_content().strip() == heading
