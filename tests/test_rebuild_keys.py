"""Each rebuild cache's key changes with each thing that shapes what it keeps, and only with those.

A key that leaves a dependency out serves stale bytes; one that holds where
a thing sits (which the join renumbers after every edit) is never reused.
"""

from __future__ import annotations

import io
import json
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


def _plan_and_book(root, tmp_path, **options):
    from publish import plan as plans
    from publish.book import load_book

    book = load_book(root)
    return plans.make(root, tmp_path / "out", ("html",), **options), book


def test_the_chapter_key_changes_with_all_that_shapes_its_ast_and_its_html(tmp_path, monkeypatch):
    """The key of a chapter's filtered AST is that of its HTML from pandoc (render.py) too."""
    from publish import cache, tools
    from tests.conftest import make_manuscript

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\nOne.\n", "b.md": "# B\n\nTwo.\n"})
    plan, book = _plan_and_book(root, tmp_path)
    before = cache.chapter_keys(plan, book)
    changes = {
        "text": lambda: (root / "a.md").write_text("# A\n\nOne word.\n"),
        "language": lambda: (root / "book.yaml").write_text(
            (root / "book.yaml").read_text().replace("lang: en-GB", "lang: fr")),
    }
    for what, change in changes.items():
        snapshot = {p: p.read_bytes() for p in root.iterdir()}
        change()
        plan, book = _plan_and_book(root, tmp_path)
        assert cache.chapter_keys(plan, book)["a"] != before["a"], what
        for path, data in snapshot.items():
            path.write_bytes(data)
    plan, book = _plan_and_book(root, tmp_path, raw_html="sanitise")
    assert cache.chapter_keys(plan, book)["a"] != before["a"], "raw-HTML policy"
    plan, book = _plan_and_book(root, tmp_path)
    assert cache.chapter_keys(plan, book) == before
    real = tools.versions
    monkeypatch.setattr(tools, "versions", lambda: {**real(), "pandoc": "0.0"})
    assert cache.chapter_keys(plan, book)["a"] != before["a"], "pandoc's version"
    monkeypatch.undo()
    code = tmp_path / "code"
    import shutil as _shutil

    _shutil.copytree(cache.CODE, code, ignore=_shutil.ignore_patterns("__pycache__"))
    (code / "render.py").write_text((code / "render.py").read_text() + "\n# changed\n")
    monkeypatch.setattr(cache, "CODE", code)
    assert cache.chapter_keys(plan, book)["a"] != before["a"], "the render's code"


def test_a_rebuild_writes_only_the_changed_chapters_html_and_renders_as_a_fresh_one(tmp_path, monkeypatch):
    from publish import cache, pandoc, render, snapshot
    from publish.pipeline import parse_book
    from tests.conftest import long_manuscript

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = long_manuscript(tmp_path / "m", chapters=4, paragraphs=6)
    folder = tmp_path / "cache"

    def rendered(reuse=True):
        plan, book = _plan_and_book(root, tmp_path)
        return render.dump(snapshot.scoped(lambda: render.render(parse_book(book, plan), cache_folder=folder,
                                                                 reuse=reuse))())

    rendered()
    ids = [chapter.id for chapter in _plan_and_book(root, tmp_path)[1].chapters]
    (root / "02-chapter.md").write_text((root / "02-chapter.md").read_text().replace("argument", "Zugzwang", 1))
    written: list[str] = []
    real = pandoc.write
    monkeypatch.setattr(pandoc, "write", lambda ast, *args: written.append(json.dumps(ast)) or real(ast, *args))
    again = rendered()
    assert len(written) == 1 and "Zugzwang" in written[0] and f'"chapter--{ids[1]}"' in written[0]
    assert all(f'"chapter--{other}"' not in written[0] for other in ids[:1] + ids[2:])
    written.clear()
    plan, book = _plan_and_book(root, tmp_path)
    fresh = render.dump(render.render(parse_book(book)))  # no plan: parsed afresh, no cache read or kept
    assert again == rendered(reuse=False) == fresh
    assert written and all(f'"chapter--{other}"' in written[0] for other in ids)
    # only the current chapters' HTML is kept
    assert sorted(p.name for p in (folder / render.RENDERED).iterdir()) == sorted(
        f"{key}.html" for key in cache.chapter_keys(plan, book).values())


def test_the_chapter_key_changes_with_the_chapters_folder(tmp_path, monkeypatch):
    """The same text in a sub-folder reads its images from there (filters/paths.py): another AST, another key."""
    from publish import cache
    from tests.conftest import make_manuscript

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\n![A figure](fig.png)\n"})
    plan, book = _plan_and_book(root, tmp_path)
    before = cache.chapter_keys(plan, book)
    (root / "part").mkdir()
    (root / "a.md").rename(root / "part" / "a.md")
    (root / "book.yaml").write_text((root / "book.yaml").read_text().replace("- a.md", "- part/a.md"))
    plan, book = _plan_and_book(root, tmp_path)
    assert [chapter.id for chapter in book.chapters] == ["a"]
    assert cache.chapter_keys(plan, book)["a"] != before["a"]


def test_the_variants_joined_side_by_side_are_the_bytes_joined_one_after_the_other(build_book):
    from publish.editions import pdf_join

    parts = build_book(MANUSCRIPT, ("pdf", "print", "epub", "html")) / ".publish-cache" / "pdf-parts"
    files = {variant: ([path.read_bytes() for path in sorted(parts.glob(f"*.{variant}.pdf"))], None)
             for variant in ("print", "pdf")}
    assert all(len(found) >= 2 for found, _ in files.values())
    assert pdf_join.join_variants(files, workers=2) == pdf_join.join_variants(files, workers=1)


def test_a_font_subset_keeps_the_fonts_own_date_not_the_clocks(monkeypatch):
    """fontTools stamps a saved font with the time (or SOURCE_DATE_EPOCH) unless told not to: the joined PDF's
    bytes then changed from one second to the next."""
    from fontTools.ttLib import TTFont

    from publish import styles
    from publish.editions import pdf_join

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    font = next(path for path in sorted(styles.Styles().fonts_dir.rglob("*")) if path.suffix in (".otf", ".ttf"))
    data = font.read_bytes()
    subset = pdf_join._subset(data, [0, 1, 2, 3])
    assert TTFont(io.BytesIO(subset))["head"].modified == TTFont(io.BytesIO(data))["head"].modified
