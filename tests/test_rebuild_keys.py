"""Each rebuild cache's key changes with each thing that shapes what it keeps, and only with those.

A key that leaves a dependency out serves stale bytes; one that holds where
a thing sits (which the join renumbers after every edit) is never reused.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable

import pikepdf
import pytest

from publish.editions import epub_page_map
from publish.readers.pdf import read_text
from tests.conftest import MANUSCRIPT

SLUG = "industrialisation-of-care-foreword"


@pytest.fixture(scope="module")
def print_pdf(build_book) -> bytes:
    return (build_book(MANUSCRIPT, ("pdf", "print", "epub", "html")) / f"{SLUG}-print.pdf").read_bytes()


def _text_page(pdf: pikepdf.Pdf) -> int:
    """The first page that draws text with a font (the title page, most likely)."""
    return next(index for index, page in enumerate(pdf.pages) if page.obj.Resources.get("/Font"))


def _key_after(data: bytes, change: Callable[[pikepdf.Pdf, pikepdf.Page], int | None]) -> tuple[str, str]:
    """The text page's key before and after *change* (made to the open file, then saved and read again)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = _text_page(pdf)
        before = epub_page_map.page_key(pdf.pages[index])
        index = change(pdf, pdf.pages[index]) or index  # where the page is now, if the change moved it
        buffer = io.BytesIO()
        pdf.save(buffer)
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        return before, epub_page_map.page_key(pdf.pages[index])


def _font(page: pikepdf.Page):
    return next(iter(page.obj.Resources.Font.values()))


def _content(pdf, page):
    streams = page.obj.Contents if isinstance(page.obj.Contents, pikepdf.Array) else [page.obj.Contents]
    streams[-1].write(streams[-1].read_bytes() + b"\nBT ET")


def _to_unicode(pdf, page):
    stream = _font(page).ToUnicode
    stream.write(stream.read_bytes().replace(b"endcmap", b"% changed\nendcmap"))


def _widths(pdf, page):
    _font(page).DescendantFonts[0].W = pikepdf.Array([1, pikepdf.Array([500])])


def _ascent(pdf, page):
    descriptor = _font(page).DescendantFonts[0].FontDescriptor
    descriptor.Ascent = int(descriptor.Ascent) + 10


def _box(pdf, page):
    page.obj.MediaBox = pikepdf.Array([0, 0, 400, 600])


def _new_font(pdf, page):
    page.obj.Resources.Font = pikepdf.Dictionary()


@pytest.mark.parametrize("change", [_content, _to_unicode, _widths, _ascent, _box, _new_font],
                         ids=["content", "ToUnicode", "W widths", "ascent", "media box", "fonts"])
def test_the_page_key_changes_with_what_the_text_is_read_from(print_pdf, change):
    before, after = _key_after(print_pdf, change)
    assert before != after


def _struct_parents(pdf, page):
    page.obj.StructParents = int(page.obj.get("/StructParents", 0)) + 40


def _annotations(pdf, page):
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], StructParent=7))]))


def _font_program(pdf, page):
    # the join's subset to the glyphs of the whole book: other glyphs kept or dropped
    descriptor = _font(page).DescendantFonts[0].FontDescriptor
    name = next(key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor)
    descriptor[name].write(descriptor[name].read_bytes() + b"\0\0\0\0")


def _moved(pdf, page):
    index = page.index
    pdf.pages.insert(0, pdf.pages[-1])  # every page one place on: the page tree and the numbers change
    return index + 1


@pytest.mark.parametrize("change", [_struct_parents, _annotations, _font_program, _moved],
                         ids=["structure keys", "link annotations", "font program", "place in the file"])
def test_the_page_key_holds_not_where_the_page_sits(print_pdf, change):
    before, after = _key_after(print_pdf, change)
    assert before == after


def _pages_read(monkeypatch) -> list[int]:
    """The indexes of the pages read from a PDF (with pdfium) from now on, in order."""
    from publish.readers import pdf as reader

    read_pages: list[int] = []
    real = reader.PdfFile.__getitem__
    monkeypatch.setattr(reader.PdfFile, "__getitem__", lambda self, i: read_pages.append(i) or real(self, i))
    return read_pages


def test_a_kept_page_is_not_read_again_and_reads_as_a_fresh_read(print_pdf, tmp_path, monkeypatch):
    path = tmp_path / "book.pdf"
    path.write_bytes(print_pdf)
    first = epub_page_map.read(path, tmp_path / "cache")
    with pikepdf.open(io.BytesIO(print_pdf)) as pdf:  # one page changed
        _content(pdf, pdf.pages[_text_page(pdf)])
        pdf.save(path)
    read_pages = _pages_read(monkeypatch)
    again = epub_page_map.read(path, tmp_path / "cache")
    with pikepdf.open(path) as pdf:
        assert read_pages == [_text_page(pdf)]
    monkeypatch.undo()
    fresh = read_text(path)
    assert len(first) == len(again) == len(fresh)
    for kept, page in zip(again, fresh, strict=True):
        assert kept.folio == page.folio
        assert [(line.text, line.box, line.size, line.furniture, len(line.chars)) for line in kept.lines] == [
            (line.text, line.box, line.size, line.furniture, len(line.chars)) for line in page.lines]


def test_pages_kept_by_another_reader_are_read_again(print_pdf, tmp_path, monkeypatch):
    path = tmp_path / "book.pdf"
    path.write_bytes(print_pdf)
    epub_page_map.read(path, tmp_path / "cache")
    monkeypatch.setattr(epub_page_map, "_reader_stamp", lambda: "another reader's code or pdfium")
    read_pages = _pages_read(monkeypatch)
    pages = epub_page_map.read(path, tmp_path / "cache")
    assert sorted(set(read_pages)) == list(range(len(pages)))


def test_a_forced_build_reads_every_page(print_pdf, tmp_path, monkeypatch):
    path = tmp_path / "book.pdf"
    path.write_bytes(print_pdf)
    epub_page_map.read(path, tmp_path / "cache")
    read_pages = _pages_read(monkeypatch)
    pages = epub_page_map.read(path, tmp_path / "cache", reuse=False)
    assert sorted(set(read_pages)) == list(range(len(pages)))
    shutil.rmtree(tmp_path / "cache")
