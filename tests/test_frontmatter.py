"""Front matter as data: every edition says the same facts and marks the same acronyms."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml import html as lxml_html

from publish import frontmatter, plan
from publish.book import load_book
from publish.editions import epub_xhtml, html, pdf_html
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import make_manuscript

META = {"subtitle": "how NGOs and the NHS work", "contribution": "Foreword", "date": "2019-01",
        "publisher": "Small Press", "rights": "Text © the author"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = make_manuscript(tmp_path_factory.mktemp("front") / "m", {"a.md": "# One\n\nWhat NGOs do.\n"},
                           title="The Work of NGOs", **META)
    return load_book(root)


def _marked(element) -> list[str]:
    """The text of each small-caps span under *element*, in order."""
    return [span.text for span in element.iter() if isinstance(span.tag, str)
            and "acronym" in (span.get("class") or "").split()]


def _pdf_root(book):
    made = plan.make(book.root, book.root / "out", ("pdf",))
    return lxml_html.document_fromstring(pdf_html.document(made, book, render(parse_book(book))))


def test_ngos_is_marked_the_same_in_the_text_and_on_every_title_page(book):
    assert _marked(render(parse_book(book))[0].body) == ["NGO"]  # the typography filter, in the text
    pdf_title = _pdf_root(book).find_class("title-page")[0]
    epub_title = etree.fromstring(epub_xhtml.title_page(book.metadata).content)
    web_title = html._page(book).body.find("header")
    expected = ["NGO", "NGO", "NHS"]  # title, then subtitle; the plural s stays outside the small caps
    for edition, element in (("pdf", pdf_title), ("epub", epub_title), ("html", web_title)):
        assert _marked(element) == expected, edition
        text = " ".join("".join(element.itertext()).split())
        assert "The Work of NGOs" in text and "how NGOs and the NHS work" in text, edition


def _lines(element) -> list[str]:
    return [" ".join("".join(p.itertext()).split()) for p in element.iter()
            if isinstance(p.tag, str) and etree.QName(p).localname == "p"]


def test_the_imprint_says_the_same_facts_in_the_pdf_and_the_epub(book):
    pdf_lines = _lines(_pdf_root(book).find_class("imprint")[0])
    epub_lines = _lines(etree.fromstring(epub_xhtml.imprint(book.metadata).content))
    facts = [fact.text for fact in frontmatter.imprint(book.metadata)]
    assert pdf_lines == epub_lines == facts
    assert facts[:3] == ["The Work of NGOs: how NGOs and the NHS work", "Foreword by A. N. Author", "January 2019"]
    assert "Published by Small Press" in facts and "Text © the author" in facts
    assert facts[-1].startswith("Set in EB Garamond")


def test_the_title_line_is_one_everywhere(book):
    line = frontmatter.title_line(book.metadata)
    assert _pdf_root(book).findtext(".//title") == line
    assert html._page(book).findtext(".//title") == line
    from publish.editions.epub_cover import cover_alt

    assert cover_alt(book.metadata).startswith(f"Cover: {line}. Foreword by A. N. Author")


@pytest.mark.parametrize(("text", "marked"), [("NGOs", ["NGO"]), ("IAPT's", ["IAPT"]), ("I", []),
                                               ("CDs and DVDs", ["CD", "DVD"]), ("NHSX", ["NHSX"]),
                                               ("McDonald", [])])
def test_one_acronym_splitter(text, marked):
    pieces = frontmatter.split_acronyms(text)
    assert "".join(piece for piece, _ in pieces) == text  # never a word changed
    assert [piece for piece, is_acronym in pieces if is_acronym] == marked
