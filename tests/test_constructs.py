"""Every pandoc Markdown construct, each in each edition (issue 16): tests/data/constructs, built once.

The manuscript was written for these tests: headings with attributes, every
list kind, definition lists, every table kind, figures, code, maths, raw
blocks, line blocks, divs and spans, citations left as text, an HTML comment,
notes in tables, captions, lists and quotes, a chapter titled in its YAML
front matter, front and back matter.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from publish import check
from tests.conftest import build_copy

DATA = Path(__file__).parent / "data" / "constructs"
pytestmark = pytest.mark.slow  # builds every edition and runs the Java validators


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[str], Path]:
    return build_copy(tmp_path_factory, DATA, "constructs")


@pytest.fixture(scope="module")
def results(built):
    return {result.name: result for result in check.check(built[0], built[2])}


def _pdf_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def _html(built) -> str:
    """The web edition's pages, contents page first (one page per chapter, or one page)."""
    pages = sorted((built[0] / "html").glob("*.html"), key=lambda path: path.name != "index.html")
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def test_the_check_passes_every_edition(results):
    failed = {name: r.reason for name, r in results.items() if r.status == "FAIL"}
    assert not failed
    assert all(r.status == "PASS" for name, r in results.items() if "parity" in name)  # compared, not skipped


def test_the_front_matter_title_is_the_chapter_heading_everywhere(built):
    out, _, _ = built
    # the web edition's h1 is the book's title, so a chapter's heading is an h2 there
    assert re.search(r"<h[12][^>]*>A Preface in Front Matter</h[12]>", _html(built))
    with zipfile.ZipFile(out / "constructs.epub") as epub:
        nav = next(epub.read(n).decode() for n in epub.namelist() if n.endswith("nav.xhtml"))
    assert "A Preface in Front Matter" in nav
    from pypdf import PdfReader

    outline = [item.title for item in PdfReader(out / "constructs.pdf").outline if not isinstance(item, list)]
    assert "A Preface in Front Matter" in outline


def test_quotes_around_markup_curl_and_dashes_are_set(built):
    page = _html(built)
    assert "“<em>really</em>”" in page
    assert re.search(r"“<a [^>]*>a link</a>”", page)
    assert "‘<code>code</code>’" in page
    assert "10–20" in page and "break — like" in page.replace("\u00a0", " ")


def test_maths_is_printed_once_in_the_pdf(built):
    text = "".join(_pdf_pages(built[0] / "constructs.pdf"))
    assert text.count("2+2=4") == 1
    assert "\\in" not in text and "\\sum" not in text


def test_folios_roman_in_front_matter_arabic_from_one_in_the_body(built):
    pages = _pdf_pages(built[0] / "constructs.pdf")
    folios = [page.split()[-1] if page.split() else "" for page in pages]
    preface = next(i for i, page in enumerate(pages) if "This preface has" in page)
    body = next(i for i, page in enumerate(pages) if "Blocks and Lists" in page and "paragraph" in page)
    assert folios[preface] in ("i", "ii", "iii", "iv", "v")
    assert folios[body] == "1"


def test_running_heads_follow_every_level_one_heading():
    """In the print HTML, each level-1 heading of a one-file chapter sets the running head (string-set)."""
    from publish.book import load_book
    from publish.editions import pdf_html
    from publish.pipeline import parse_book
    from publish.render import render

    appendix = render(parse_book(load_book(DATA)), warn=lambda message: None)[-1]
    section = pdf_html._chapter(appendix, pdf_html.pdf_notes.Remedies())
    assert [h.get("data-running-head") for h in section.iter("h1")] == ["Appendix One", "Appendix Two"]


def test_a_code_block_in_a_note_keeps_its_lines(built):
    text = "\n".join(_pdf_pages(built[0] / "constructs.pdf"))
    assert re.search(r"Like\s*\r?\n\s*B\. Russell", text)


def test_long_code_wraps_inside_the_page_and_the_build_says_so(built):
    import pypdfium2 as pdfium

    out, lines, _ = built
    assert any("blocks.md:" in line and "wider than the page" in line for line in lines)
    document = pdfium.PdfDocument(out / "constructs.pdf")
    try:
        for page in document:
            width = page.get_width()
            text = page.get_textpage()
            for index in range(text.count_chars()):
                left, _, right, _ = text.get_charbox(index)
                assert left >= -0.5 and right <= width + 0.5
    finally:
        document.close()


def test_notes_in_a_table_are_numbered_in_reading_order(built):
    page = lxml_html.fromstring(_html(built).encode())
    caption = page.xpath('//caption[contains(., "pipe table")]')[0]
    cell = page.xpath('//td[contains(., "beta")]')[0]
    number = lambda element: int(re.sub(r"\D", "", element.xpath('.//*[@role="doc-noteref"]')[0].text_content()))  # noqa: E731
    assert number(caption) < number(cell)


def test_author_markup_is_repaired_with_a_warning_naming_file_and_line(built):
    out, lines, _ = built
    assert any(re.search(r"tables\.md:\d+: <table summary> is obsolete", line) for line in lines)
    assert any(re.search(r"tables\.md:\d+: the id 'dup' is used more than once", line) for line in lines)
    assert any(re.search(r"tables\.md:\d+: the link to '#missing' leads nowhere", line) for line in lines)
    ids = re.findall(r'\bid="([^"]+)"', _html(built))
    assert len(ids) == len(set(ids))
    assert 'summary=' not in _html(built)


def test_a_link_to_a_chapter_file_leads_to_that_chapter(built):
    page = lxml_html.fromstring(_html(built).encode())
    link = page.xpath('//a[contains(., "the tables chapter")]')[0]
    target = link.get("href").rpartition("#")[2]
    assert page.xpath(f'//*[@id="{target}"]')[0].text_content().strip() == "Tables"


def test_the_html_comment_is_in_no_edition(built):
    out, _, _ = built
    assert "never show" not in _html(built)
    with zipfile.ZipFile(out / "constructs.epub") as epub:
        assert not any(b"never show" in epub.read(n) for n in epub.namelist() if n.endswith(".xhtml"))


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_wide_images_and_code_never_make_the_web_page_scroll_sideways(built, width, chromium):
    page = chromium.new_page(viewport={"width": width, "height": 900})  # the session's one Chromium (conftest)
    try:
        chapter = next(p for p in (built[0] / "html").glob("*.html") if "wide.png" in p.read_text())
        page.goto(chapter.as_uri())
        root = "document.documentElement"
        scroll, client = page.evaluate(f"[{root}.scrollWidth, {root}.clientWidth]")
        image = page.evaluate("document.querySelector('img[src*=wide]').getBoundingClientRect().right")
    finally:
        page.close()
    assert scroll <= client
    assert image <= client
