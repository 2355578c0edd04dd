"""A long book laid out part by part reads as the same book laid out whole: contents page, matter folios, links.

The book: a preface (front matter, roman folios) and four body chapters, so
it has a contents page. Laid out part by part (one worker, and two), every
page shows what the whole-book layout shows on it: the same text, the same
folio (roman through the preface, arabic from 1 at the first body chapter),
and the contents page the same numbers, which the parts' layout can only
know once every chapter is counted. Each contents entry links to its
chapter's opening page in the joined file, and every note's call and
backlink land on the note's and the call's page.
"""

from __future__ import annotations

import io
import textwrap

import pikepdf
import pypdf
import pytest

from publish import plan
from publish.book import load_book
from publish.editions import pdf
from publish.pipeline import parse_book
from publish.render import render
from tests.test_pdf_links import destinations

pytestmark = pytest.mark.slow

TEXT = ("The programme promised measurable outcomes within weeks, and the audit culture that followed it "
        "counted throughput rather than recovery. ") * 3


def _chapter(title: str, paragraphs: int) -> str:
    body = "\n\n".join(f"{TEXT}{title}, paragraph {p}.[^n{p}]" for p in range(paragraphs))
    notes = "\n\n".join(f"[^n{p}]: {title}, note {p}: the source and its date." for p in range(paragraphs))
    return f"# {title}\n\n{body}\n\n{notes}\n"


@pytest.fixture(scope="module")
def manuscript(tmp_path_factory):
    root = tmp_path_factory.mktemp("matter") / "m"
    root.mkdir()
    files = {"preface.md": _chapter("Preface", 6)}
    files |= {f"c{n}.md": _chapter(f"Chapter {n}", 4 + 3 * n) for n in range(1, 5)}
    entries = ["  - {file: preface.md, matter: front}", *(f"  - c{n}.md" for n in range(1, 5))]
    config = ["title: A Long Test Book", "author: A. N. Author", "lang: en-GB", "slug: matter", "chapters:", *entries]
    (root / "book.yaml").write_text("\n".join(config) + "\n", encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(manuscript, tmp_path_factory):
    """The digital PDF laid out in parts with one worker and with two, and the book laid out whole."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1546300800")
        book = load_book(manuscript)
        chapters = render(parse_book(book))
        files = {}
        for workers in (1, 2):
            out = tmp_path_factory.mktemp(f"w{workers}")
            build_plan = plan.make(manuscript, out, ("pdf",), raw_html=book.metadata.raw_html)
            files[workers] = pdf.write(build_plan, book, chapters, out, workers=workers)[0]
        whole = pdf.layout(build_plan, book, chapters, print_marks=False).write_pdf()
    return files, whole


def _pages(data: bytes) -> list[list[str]]:
    return [(page.extract_text() or "").split() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_one_worker_and_two_give_the_same_bytes(built):
    files, _whole = built
    assert files[1].read_bytes() == files[2].read_bytes()


def test_every_page_shows_what_the_whole_book_layout_shows(built):
    files, whole = built
    parts, at_once = _pages(files[2].read_bytes()), _pages(whole)
    assert len(parts) == len(at_once)
    for number, (ours, theirs) in enumerate(zip(parts, at_once, strict=True), start=1):
        assert ours == theirs, f"page {number} differs from the book laid out whole"


def test_folios_are_roman_in_the_front_matter_and_arabic_from_one_in_the_body(built):
    files, _whole = built
    pages = _pages(files[2].read_bytes())
    opening = next(index for index, words in enumerate(pages) if words[:2] == ["Chapter", "1"])
    assert opening % 2 == 0, "the body opens on a verso"
    folios = [words[-1] if words else "" for words in pages]
    assert folios[opening] == "1" and all(folios[i] == str(i - opening + 1) for i in range(opening, len(pages))
                                          if pages[i])
    preface = next(index for index, words in enumerate(pages) if words[:1] == ["Preface"])
    assert folios[preface] == pdf.pdf_parts.roman(preface + 1)
    contents = next(index for index, words in enumerate(pages) if words[:1] == ["Contents"])
    assert folios[contents] == pdf.pdf_parts.roman(contents + 1)


def test_the_contents_page_gives_and_links_to_each_chapters_opening(built):
    files, _whole = built
    pages = _pages(files[2].read_bytes())
    folios = [words[-1] if words else "" for words in pages]
    with pikepdf.open(files[2]) as joined:
        dests = destinations(joined)
        contents = next(index for index, words in enumerate(pages) if words[:1] == ["Contents"])
        links = list(dict.fromkeys(str(a.Dest) for a in joined.pages[contents].get("/Annots", [])))
    assert links == ["chapter-preface", *(f"chapter-c{n}" for n in range(1, 5))]
    text = " ".join(pages[contents])
    for link in links:
        page = dests[link][0]
        title = " ".join(pages[page][:2]) if pages[page][0] == "Chapter" else pages[page][0]
        assert f"{title} {folios[page]}" in text, (link, title, folios[page])


def test_every_note_link_lands_on_the_page_of_its_target(built):
    files, _whole = built
    with pikepdf.open(files[2]) as joined:
        dests = destinations(joined)
        links = [(index, str(a.Dest)) for index, page in enumerate(joined.pages)
                 for a in page.get("/Annots", []) if "-note-" in str(a.get("/Dest")) or "-call-" in str(a.get("/Dest"))]
        ids = joined.Root.StructTreeRoot.IDTree.Names
        note_ids = {str(ids[i]) for i in range(0, len(ids), 2)}
    notes = 6 + sum(4 + 3 * n for n in range(1, 5))
    calls = {dest for _, dest in links if "-note-" in dest}
    assert len(calls) == notes and len({dest for _, dest in links if "-call-" in dest}) == notes
    for page, dest in links:  # a call and its note (and so the note's link back) are on one page
        assert dests[dest][0] == page, dest
    assert calls == note_ids, "a note of a later part lost its ID (its tag's, for PDF/UA)"
