"""The digital PDF's note links as a reader clicks them, and its notes as assistive technology reads them.

Read back with pikepdf (annotations, named destinations, the structure tree,
the trailer) and pdfplumber (the text at a destination): a click on a call
lands on the note, on the call's page; a click on the note's number comes back
to the call. The print file has no links, and both files a trailer /ID.
"""

from __future__ import annotations

import hashlib

import pdfplumber
import pikepdf
import pytest

from publish.book import load_book
from tests.conftest import MANUSCRIPT, long_manuscript
from tests.pdf_support import NOTE_SIZE

SLUG = "industrialisation-of-care-foreword"


@pytest.fixture(scope="module")
def foreword(build_book):
    return build_book(MANUSCRIPT, ("pdf", "print"))


@pytest.fixture(scope="module")
def long_pdf(build_book, tmp_path_factory):
    """The long book, with one note taller than half a page: it is always cut, and runs on overleaf."""
    root = long_manuscript(tmp_path_factory.mktemp("links") / "manuscript")
    chapter = root / "01-chapter.md"
    gloss = "A gloss on the source and its reading, long enough to need more than half a page. " * 30
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "Paragraph 2 of chapter 1.", "Paragraph 2 of chapter 1, with a long note.[^tall]", 1)
        + f"\n[^tall]: {gloss.strip()}\n", encoding="utf-8")
    return next(build_book(root, ("pdf",)).glob("*.pdf"))


def destinations(pdf: pikepdf.Pdf) -> dict[str, tuple[int, float]]:
    """Named destination → (page index, y of its top), as a viewer resolves it."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found = {}
    for name, target in pikepdf.NameTree(pdf.Root.Names.Dests).items():
        array = target if isinstance(target, pikepdf.Array) else target.D
        found[str(name)] = (pages[array[0].objgen], float(array[3]))
    return found


def note_links(pdf: pikepdf.Pdf) -> list[tuple[int, str, str, list[float]]]:
    """(page index, Contents, Dest, Rect) of every Link annotation."""
    return [(index, str(a.get("/Contents", "")), str(a.Dest), [float(v) for v in a.Rect])
            for index, page in enumerate(pdf.pages) for a in page.get("/Annots", []) if a.Subtype == "/Link"]


def _check_both_ways(path):
    with pikepdf.open(path) as pdf:
        dests, links = destinations(pdf), note_links(pdf)
    calls = [link for link in links if link[1].startswith("Note ")]
    backs = [link for link in links if link[1].startswith("Back to the call of note ")]
    assert calls and len(calls) == len(backs)
    with pdfplumber.open(path) as plumber:
        for page, contents, dest, rect in calls:
            number = contents.removeprefix("Note ")
            note_page, note_top = dests[dest]
            assert note_page == page, f"note {dest} is not on the page of its call"
            # What lies at the destination is the note: its number, in the note's size, then its text.
            view = plumber.pages[note_page]
            chars = [c for c in view.chars if abs(c["top"] - (view.height - note_top)) < 4
                     and round(c["size"], 1) == NOTE_SIZE]
            assert "".join(c["text"] for c in chars).startswith(number), dest
            # The note's number (the link over it, level with the note's first line) leads back to this call.
            back = min((b for b in backs if b[0] == note_page), key=lambda b: abs(max(b[3][1], b[3][3]) - note_top))
            assert back[1] == f"Back to the call of note {number}"
            call_page, call_top = dests[back[2]]
            assert call_page == page and max(rect[1], rect[3]) - 1 <= call_top <= max(rect[1], rect[3]) + 12, dest


def test_every_call_lands_on_its_note_and_the_note_comes_back(foreword):
    _check_both_ways(foreword / f"{SLUG}.pdf")


def test_notes_cut_across_pages_are_linked_both_ways_too(long_pdf):
    _check_both_ways(long_pdf)


def _elements(element, found):
    if isinstance(element, pikepdf.Dictionary) and element.get("/Type") == "/StructElem":
        found.append(element)
    kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary):
            _elements(kid, found)
    return found


@pytest.mark.parametrize("which", ["foreword", "long_pdf"])
def test_notes_are_tagged_note_with_an_id_and_calls_reference(which, request, build_book):
    target = request.getfixturevalue(which)
    path = target / f"{SLUG}.pdf" if which == "foreword" else target
    with pikepdf.open(path) as pdf:
        elements = _elements(pdf.Root.StructTreeRoot, [])
        notes = [e for e in elements if e.S == "/Note"]
        ids = [str(e.ID) for e in notes]
        assert notes and len(set(ids)) == len(ids)
        tree = pdf.Root.StructTreeRoot.IDTree.Names
        assert [str(tree[i]) for i in range(0, len(tree), 2)] == sorted(ids)
        links = [link for link in note_links(pdf) if link[1].startswith("Note ")]
        assert len([e for e in elements if e.S == "/Reference"]) == len(links) == len(notes)
        for element in elements:
            if element.S == "/Reference":
                assert [kid.S for kid in element.K] == ["/Link"]
        # Every link annotation is in a Link element (PDF/UA 7.18.5), found through the parent tree.
        parents = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                assert parents[int(annotation.StructParent)].S == "/Link" and str(annotation.Contents)


def test_a_long_note_is_one_note_element_with_all_its_lines(long_pdf):
    """A note set line by line, across a page turn, is still read as one note."""
    with pikepdf.open(long_pdf) as pdf:
        notes = [e for e in _elements(pdf.Root.StructTreeRoot, []) if e.S == "/Note"]
        pages = {e.Pg.objgen for note in notes for e in _elements(note, []) if "/Pg" in e}
        spanning = [note for note in notes if len({e.Pg.objgen for e in _elements(note, []) if "/Pg" in e}) > 1]
    assert len(pages) > 1 and spanning, "no note of the long book runs on to the next page"


def test_the_print_file_has_no_links_and_both_files_a_trailer_id(foreword):
    identifier = load_book(MANUSCRIPT).metadata.identifier
    for suffix, variant in (("", "pdf"), ("-print", "print")):
        with pikepdf.open(foreword / f"{SLUG}{suffix}.pdf") as pdf:
            permanent, changing = (bytes(part) for part in pdf.trailer.ID)
            assert permanent == hashlib.md5(f"{identifier}#{variant}".encode()).hexdigest().encode()
            # the changing half: an MD5 of the file, as hex (pydyf) or as its 16 bytes (qpdf, joining parts)
            assert len(changing) in (16, 32) and changing != permanent
            if variant == "print":
                assert not note_links(pdf)
