"""What the PDF edition asks of WeasyPrint: a confined URL fetcher, and each variant's file.

Kept apart from pdf.py so that the edition reads as its steps. Every
function imports WeasyPrint itself, when called.
"""

from __future__ import annotations

import copy
import re
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publish.book import Book
from publish.editions.pdf_html import BLEED_MM
from publish.errors import ResourceError

PT_PER_MM = 72 / 25.4


def confined_fetcher(roots: list[Path]):
    """A WeasyPrint URL fetcher that reads files inside *roots* only and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = [root.resolve() for root in roots]

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ResourceError(f"refused {url}: a build reads nothing from the network")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in allowed):
                raise ResourceError(f"refused {path}: it lies outside the manuscript folder")
            if not path.is_file():
                raise ResourceError(f"{path} does not exist")
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    # fail_on_errors: a refusal stops the layout instead of becoming a warning.
    return ConfinedFetcher(fail_on_errors=True)


def write_variant(document, pdf_variant: str, book: Book) -> bytes:
    """The PDF bytes of *document* in *pdf_variant* ("pdf/ua-1" digital, "pdf/x-4" print)."""
    if pdf_variant == "pdf/x-4":
        # The OutputIntent profile is WeasyPrint's own sRGB (the ICC's, freely
        # redistributable): no CMYK profile with a free licence is available
        # to vendor. A printer's CMYK profile would go in styles/ as
        # "@color-profile device-cmyk" with output_intent="device-cmyk".
        printed = copy.copy(document)
        printed.pages = list(document.pages)
        printed.color_profiles = dict(document.color_profiles)  # write_pdf adds the sRGB profile here
        printed.output_intent = "srgb"
        return printed.write_pdf(pdf_variant=pdf_variant, output_intent="srgb",
                                 finisher=lambda _doc, pdf: _finish_print(pdf, book))
    digital = document.copy([without_marks(page) for page in document.pages])
    digital.color_profiles = {}
    digital.output_intent = None
    return digital.write_pdf(pdf_variant=pdf_variant, finisher=lambda _doc, pdf: _stable_ids(pdf, book, "pdf"))


def without_marks(page):
    """A copy of a laid-out page seen at its trim: no bleed, no crop marks."""
    from weasyprint.css.properties import Dimension

    zero = Dimension(0, "px")
    box = page._page_box.copy()
    box.style = box.style.copy()
    box.style.update(marks=(), bleed_top=zero, bleed_right=zero, bleed_bottom=zero, bleed_left=zero)
    trimmed = copy.copy(page)
    trimmed.bleed = dict.fromkeys(page.bleed, 0)
    trimmed._page_box = box
    return trimmed


def _finish_print(pdf, book: Book) -> None:
    """BleedBox exactly 3 mm outside the TrimBox (the MediaBox is wider, for the crop marks)."""
    bleed = BLEED_MM * PT_PER_MM
    for page in _pages(pdf):
        left, top, right, bottom = page["TrimBox"]
        page["BleedBox"] = type(page["TrimBox"])([left - bleed, top - bleed, right + bleed, bottom + bleed])
    _stable_ids(pdf, book, "print")


def _pages(pdf) -> list:
    return [obj for obj in pdf.objects if isinstance(obj, dict) and obj.get("Type") == "/Page"]


def _stable_ids(pdf, book: Book, variant: str) -> None:
    """Replace the random XMP DocumentID WeasyPrint writes by one derived from the book."""
    stable = uuid.uuid5(uuid.NAMESPACE_URL, f"{book.metadata.identifier}#{variant}")
    for obj in pdf.objects:
        if getattr(obj, "extra", {}).get("Type") == "/Metadata":
            obj.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}", f"xmp.did:{stable}".encode(), chunk)
                          for chunk in obj.stream]
