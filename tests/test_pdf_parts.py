"""The book laid out part by part, on one core or many, joined into one PDF that reads as one book.

A small book of three chapters (one of them an odd number of pages, so the
next opens after a blank verso) is built with one worker and with two: the
files are byte-identical, the folios run on across chapters, every chapter
opens on a recto, the outline and the named destinations cover every chapter,
and the tags hold every chapter's text. An edit re-lays only its chapter.
"""

from __future__ import annotations

import logging

import pikepdf
import pypdf
import pytest

from publish import plan
from publish.book import load_book
from publish.editions import pdf
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import make_manuscript

pytestmark = pytest.mark.slow

PARAGRAPH = ("The programme promised measurable outcomes within weeks, and the audit culture that followed it "
             "counted throughput rather than recovery. ") * 4


def _chapter(number: int, paragraphs: int) -> str:
    body = "\n\n".join(f"{PARAGRAPH}Paragraph {number}.{p}.[^n{p}]" for p in range(paragraphs))
    notes = "\n\n".join(f"[^n{p}]: Note {number}.{p}: the source and its date." for p in range(paragraphs))
    return f"# Chapter {number}\n\n{body}\n\n{notes}\n"


@pytest.fixture(scope="module")
def three_chapters(tmp_path_factory):
    three = _chapter(3, 5).replace("# Chapter 3\n", "# Chapter 3\n\nAs [the first chapter](#chapter-1) said.\n")
    chapters = {"one.md": _chapter(1, 9), "two.md": _chapter(2, 3), "three.md": three}
    return make_manuscript(tmp_path_factory.mktemp("parts") / "manuscript", chapters, folio="arabic",
                           slug="parts")


def _write(manuscript, out, workers=None):
    book = load_book(manuscript)
    build_plan = plan.make(manuscript, out, ("pdf", "print"), strict=True, raw_html=book.metadata.raw_html)
    return pdf.write(build_plan, book, render(parse_book(book)), out, workers=workers)


class _Heard(logging.Handler):
    """What the PDF says, as progress, while it works."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def built(three_chapters, tmp_path_factory):
    root = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1546300800")
        return {workers: _write(three_chapters, root / str(workers), workers=workers) for workers in (1, 2)}


def test_one_worker_and_two_give_identical_bytes(built):
    for one, two in zip(built[1], built[2], strict=True):
        assert one.read_bytes() == two.read_bytes(), f"{one.name} differs between one worker and two"


def test_folios_run_on_and_every_chapter_opens_on_a_recto(built):
    reader = pypdf.PdfReader(built[2][0])
    texts = [page.extract_text() for page in reader.pages]
    openings = [index for index, text in enumerate(texts) if "Chapter " in text.split("\n")[0][:12]]
    assert len(openings) == 3
    assert all(index % 2 == 0 for index in openings), "a chapter opens on a verso"
    for index, text in enumerate(texts):
        if text.strip() and index >= 2:  # the front matter has no folio; the body starts at 1 on page 3
            assert text.split()[-1] == str(index - 1), f"page {index + 1} shows the wrong folio"
    blanks = [index for index, text in enumerate(texts) if not text.strip()]
    assert blanks, "no blank verso before a chapter that would open on one"


def test_the_print_file_holds_its_output_profile_once(built):
    """Every part writes the CMYK output profile; the joined file keeps one copy, as a book laid out whole."""
    with pikepdf.open(built[2][1]) as joined:
        profiles = [obj for obj in joined.objects if isinstance(obj, pikepdf.Stream) and obj.get("/N") == 4]
        assert len(profiles) == 1
        assert joined.Root.OutputIntents[0].DestOutputProfile.objgen == profiles[0].objgen


def test_outline_destinations_and_tags_cover_every_chapter(built):
    reader = pypdf.PdfReader(built[2][0])
    assert [item.title for item in reader.outline] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    pages = [reader.get_destination_page_number(item) for item in reader.outline]
    assert pages == sorted(pages) and "Chapter 3" in reader.pages[pages[2]].extract_text()
    with pikepdf.open(built[2][0]) as joined:
        names = joined.Root.Names.Dests.Names
        page_ids = {page.obj.objgen for page in joined.pages}
        assert all(names[i + 1][0].objgen in page_ids for i in range(0, len(names), 2))
        keys = [int(page.obj.StructParents) for page in joined.pages]
        assert len(set(keys)) == len(keys), "two pages share a ParentTree key"
        assert len(joined.Root.StructTreeRoot.K[0].K) > 3 * 3
        # chapter 3 links to chapter 1, laid out in another part: the link survives and lands there
        links = [annot for page in joined.pages for annot in page.obj.get("/Annots", [])
                 if annot.get("/Subtype") == "/Link" and str(annot.get("/Dest", "")).startswith("chapter-")]
        targets = {str(names[i]): names[i + 1][0].objgen for i in range(0, len(names), 2)}
        assert [str(link.Dest) for link in links] == ["chapter-1"]
        assert targets["chapter-1"] == joined.pages[2].obj.objgen


def test_an_edit_re_lays_only_its_chapter(three_chapters, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1546300800")
    heard = _Heard()
    plan.PROGRESS.addHandler(heard)
    chapter = three_chapters / "two.md"
    original = chapter.read_text(encoding="utf-8")
    try:
        _write(three_chapters, tmp_path, workers=1)
        assert len(heard.lines) == 4  # the front matter and three chapters, each as it is laid out
        chapter.write_text(original.replace("Paragraph 2.1.", "Paragraph 2.1, changed.", 1), encoding="utf-8")
        heard.lines.clear()
        written = _write(three_chapters, tmp_path, workers=2)
    finally:
        chapter.write_text(original, encoding="utf-8")
        plan.PROGRESS.removeHandler(heard)
    assert len(heard.lines) == 1 and "Chapter 2" in heard.lines[0], heard.lines
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(written[0]).pages)
    assert "2.1, changed." in text


@pytest.fixture(scope="module")
def remedied(tmp_path_factory):
    """The bench's chapter, laid out without remedies and with them."""
    from publish.editions import pdf_notes, pdf_parts

    paragraph = ("The programme promised measurable outcomes within weeks, and the audit culture that "
                 "followed it counted throughput rather than recovery. ") * 5
    body = "\n\n".join(f"{paragraph}Paragraph {p}.[^n{p}]" for p in range(40))
    notes = "\n\n".join(f"[^n{p}]: A note on paragraph {p}: the source, its date and a gloss." for p in range(40))
    root = tmp_path_factory.mktemp("remedied")
    manuscript = make_manuscript(root / "m", {"one.md": f"# Chapter 1\n\n{body}\n\n{notes}\n"})
    book = load_book(manuscript)
    build_plan = plan.make(manuscript, root / "out", ("pdf",))
    part = pdf_parts.parts(render(parse_book(book)))[1]
    unremedied = pdf_parts._lay_out_once(build_plan, book, part, pdf_notes.Remedies(), False)
    return unremedied, pdf_parts.lay_out(build_plan, book, part, False)


def test_a_remedied_chapter_keeps_its_notes_on_their_pages_and_no_short_last_page(remedied):
    """The bench's chapter: WeasyPrint carries a note over to keep a paragraph's first lines together.

    The remedy gives the note its page back without pushing the chapter's end
    on to a page of its own last line or two.
    """
    from publish.editions import pdf_notes

    unremedied, layout = remedied
    assert pdf_notes.remedies(unremedied.document), "the case no longer arises: WeasyPrint places every note"
    calls, placed = pdf_notes._calls_and_notes(layout.document)
    assert all(calls[note][0] == page for note, (page, _, _) in placed.items()), "a note is off its call's page"
    assert pdf_notes.text_lines(layout.document.pages[-1]) > 2


def test_no_remedy_leaves_a_page_of_a_line_or_two_or_lengthens_the_chapter(remedied):
    from publish.editions import pdf_notes

    unremedied, layout = remedied
    assert all(pdf_notes.text_lines(page) > 2 for page in layout.document.pages)
    assert layout.pages == unremedied.pages, "the remedies made the chapter longer"
