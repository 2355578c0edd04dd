"""pydyf's page references kept (publish.weasy_pages): the same references, so the same PDF bytes."""

from __future__ import annotations

import pydyf
import pytest

from publish import weasy_pages


def _pdf(pages: int) -> pydyf.PDF:
    pdf = pydyf.PDF()
    for _ in range(pages):
        page = pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference})
        pdf.add_page(page)
    return pdf


def test_the_kept_references_are_pydyfs_and_follow_new_pages(monkeypatch):
    original = pydyf.PDF.__dict__["page_references"]
    expected = original.fget(_pdf(5))
    weasy_pages.install()
    try:
        pdf = _pdf(5)
        assert pdf.page_references == expected
        assert pdf.page_references is pdf.page_references  # made once while the pages stay
        pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference}))
        assert pdf.page_references == original.fget(pdf) and len(pdf.page_references) == 6
    finally:
        pydyf.PDF.page_references = original


def test_a_tagged_pdf_is_byte_for_byte_the_same(monkeypatch):
    weasyprint = pytest.importorskip("weasyprint")
    original = pydyf.PDF.__dict__["page_references"]
    html = "".join(f"<h2>Part {n}</h2><p>Words of part {n}.</p><p style='break-after: page'>More.</p>"
                   for n in range(6))

    def write() -> bytes:
        document = weasyprint.HTML(string=html).render()
        return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=True,
                                  pdf_identifier=b"fixed", custom_metadata=False)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    plain = write()
    weasy_pages.install()
    try:
        assert getattr(pydyf.PDF.page_references.fget, "kept", False)
        assert write() == plain
    finally:
        pydyf.PDF.page_references = original
