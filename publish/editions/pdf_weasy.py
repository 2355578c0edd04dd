"""What the PDF edition asks of WeasyPrint: a confined URL fetcher, and each variant's file.

The print file has a CMYK output intent (FOGRA39, styles/icc/) and its black
and greys in K only; the digital file, from the same layout, stays in RGB.

Kept apart from pdf.py so that the edition reads as its steps. Every
function imports WeasyPrint itself, when called.
"""

from __future__ import annotations

import copy
import logging
import re
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publish import svg_pdf
from publish.book import Book
from publish.editions import pdf_artifacts, pdf_links, pdf_plates
from publish.errors import ResourceError
from publish.plan import BLEED_MM
from publish.styles import Styles

PT_PER_MM = 72 / 25.4
LOGGER = logging.getLogger("publish.editions.pdf")  # the PDF edition's logger: its warnings are reported
# The print edition's output condition: offset on coated paper, FOGRA39 in the ICC registry.
# The profile is built from free data (styles/icc/README.md says how).
PRINT_PROFILE = Path("icc") / "FOGRA39L.icc"
PRINT_CONDITION = {
    "OutputConditionIdentifier": "FOGRA39",
    "RegistryName": "http://www.color.org",
    "OutputCondition": "Offset printing, coated paper (ISO 12647-2:2004/Amd 1, paper type 1 or 2)",
    "Info": "FOGRA39 (ISO 12647-2:2004/Amd 1, coated paper); profile made with ArgyllCMS from the free FOGRA39L data",
}
# A DeviceRGB colour operator as WeasyPrint writes it, one operator per chunk of a content stream.
RGB_OPERATOR = re.compile(rb"(-?[0-9.]+) (-?[0-9.]+) (-?[0-9.]+) (rg|RG)")


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
            data = path.read_bytes()
            if path.suffix.lower() == ".svg":
                data = svg_pdf.for_pdf(data)  # values WeasyPrint draws unlike a browser
            return URLFetcherResponse(path.as_uri(), data)

    # fail_on_errors: a refusal stops the layout instead of becoming a warning.
    return ConfinedFetcher(fail_on_errors=True)


def write_variant(document, pdf_variant: str, book: Book, styles: Styles) -> bytes:
    """The PDF bytes of *document* in *pdf_variant* ("pdf/ua-1" digital, "pdf/x-4" print)."""
    if pdf_variant == "pdf/x-4":
        # The same pages, written with a CMYK output intent; the finisher sets
        # their black and greys in K only. The layout keeps RGB black for the
        # digital PDF: a CSS device-cmyk(0 0 0 1) there would be drawn as
        # rgb(35, 31, 32), a dark grey, by PDFium and poppler, and a second
        # layout just for the print colours would double the PDF time.
        printed = copy.copy(document)
        printed.pages = list(document.pages)
        printed.color_profiles = {**document.color_profiles, "device-cmyk": print_profile(styles)}
        printed.output_intent = "device-cmyk"
        # tagged like the digital PDF (pdf_tags): the check knows an image's drawn text by its marks
        return printed.write_pdf(pdf_variant=pdf_variant, output_intent="device-cmyk", pdf_tags=True,
                                 pdf_identifier=pdf_links.file_identifier(book.metadata.identifier, "print"),
                                 finisher=lambda _doc, pdf: _finish_print(pdf, book))
    digital = document.copy([without_marks(page) for page in document.pages])
    digital.color_profiles = {}
    digital.output_intent = None
    return digital.write_pdf(pdf_variant=pdf_variant,
                             pdf_identifier=pdf_links.file_identifier(book.metadata.identifier, "pdf"),
                             finisher=lambda doc, pdf: _finish_digital(doc, pdf, book))


def _finish_digital(document, pdf, book: Book) -> None:
    pdf_links.finish_digital(document, pdf)
    pdf_artifacts.mark_pagination(pdf)  # running heads and folios: artifacts, not tagged text outside the tree
    _stable_ids(pdf, book, "pdf")


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
    """The print file's boxes and colours.

    BleedBox exactly 3 mm outside the TrimBox (the MediaBox is wider, for the
    crop marks); the output condition named; greys in K, other RGB in sRGB.
    """
    bleed = BLEED_MM * PT_PER_MM
    for page in _pages(pdf):
        left, top, right, bottom = page["TrimBox"]
        page["BleedBox"] = type(page["TrimBox"])([left - bleed, top - bleed, right + bleed, bottom + bleed])
    _name_output_condition(pdf)
    pdf_links.drop_links(pdf)
    srgb = _Srgb(pdf)
    _k_only(pdf, srgb)
    _colour_managed_rgb(pdf, srgb)
    pdf_plates.finish(pdf, crop_marks=book.metadata.crop_marks, bleed=bleed)
    _stable_ids(pdf, book, "print")


def print_profile(styles: Styles):
    """The print edition's CMYK output profile, as a WeasyPrint colour profile (a fresh one per PDF)."""
    from weasyprint.css import ColorProfile

    path = styles.resource(PRINT_PROFILE)  # a styles folder of an older revision has no profile: ours
    with path.open("rb") as profile:
        return ColorProfile(profile, path.as_uri(), "relative-colorimetric", (["c"], ["m"], ["y"], ["k"]))


def _name_output_condition(pdf) -> None:
    """Name the output condition as PDF/X asks (WeasyPrint names it by the profile's description)."""
    import pydyf

    for intent in pdf.catalog["OutputIntents"]:
        intent.update({key: pydyf.String(value) for key, value in PRINT_CONDITION.items()})


class _Srgb:
    """The ICC-based sRGB colour space (WeasyPrint's copy of the ICC's profile), added to the PDF when first used."""

    NAME = "sRGB"  # its name in the resources' ColorSpace dictionary, which every content stream shares

    def __init__(self, pdf):
        self.pdf = pdf
        self.space = None

    def __call__(self):
        if self.space is None:
            from importlib.resources import files

            import pydyf

            profile = pydyf.Stream([(files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()],
                                   pydyf.Dictionary({"N": 3}), compress=True)
            self.pdf.add_object(profile)
            self.space = pydyf.Array(("/ICCBased", profile.reference))
            spaces = next(obj for obj in self.pdf.objects if isinstance(obj, dict) and "lab-d50" in obj)
            spaces[self.NAME] = self.space
        return self.space


def _colour_managed_rgb(pdf, srgb: _Srgb) -> None:
    """Tag RGB images and gradients as sRGB: with a CMYK output intent, PDF/X-4 takes ICC-based RGB, not DeviceRGB.

    WeasyPrint writes images as DeviceRGB, and gradients with RGB values in
    the document's default colour space, here the CMYK output profile.
    """
    import pydyf

    cmyk = pdf.catalog["OutputIntents"][0]["DestOutputProfile"]
    for obj in list(pdf.objects):
        image = isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/Image"
        if image and obj.extra.get("ColorSpace") == "/DeviceRGB":
            obj.extra["ColorSpace"] = srgb()
        shading = isinstance(obj, dict) and "ShadingType" in obj and isinstance(obj.get("ColorSpace"), list)
        if shading and obj["ColorSpace"][-1] == cmyk:
            obj["ColorSpace"] = srgb()


def _k_only(pdf, srgb: _Srgb) -> None:
    """Set every grey of the page content in K only: ``g g g rg`` becomes ``0 0 0 1-g k`` (``RG``, ``K``).

    Only neutral colours can go to K without a colour conversion; any other
    RGB colour is set in ICC-based sRGB (the printer's RIP converts it), and
    it, or a gradient, is reported as a warning: the print edition is not
    K-only.
    """
    from weasyprint.pdf.stream import Stream

    left = 0
    for stream in [obj for obj in pdf.objects if isinstance(obj, Stream)]:
        for index, chunk in enumerate(stream.stream):
            match = RGB_OPERATOR.fullmatch(chunk) if isinstance(chunk, bytes) else None
            if match and len(set(map(float, match.group(1, 2, 3)))) == 1:
                black = format(1 - float(match.group(1)), ".6g").encode()
                stream.stream[index] = b"0 0 0 " + black + (b" k" if match.group(4) == b"rg" else b" K")
            elif match:
                srgb()
                stroke = match.group(4) == b"RG"
                stream.stream[index] = (b"/%s %s\n%s %s" % (_Srgb.NAME.encode(), b"CS" if stroke else b"cs",
                                        b" ".join(match.group(1, 2, 3)), b"SCN" if stroke else b"scn"))
                left += 1
            elif isinstance(chunk, bytes) and chunk.endswith(b" sh"):
                left += 1
    if left:
        LOGGER.warning("the print edition has %d colour(s) or gradient(s) that are not K-only black or grey", left)


def _pages(pdf) -> list:
    return [obj for obj in pdf.objects if isinstance(obj, dict) and obj.get("Type") == "/Page"]


def _stable_ids(pdf, book: Book, variant: str) -> None:
    """Replace the random XMP DocumentID WeasyPrint writes by one derived from the book."""
    stable = uuid.uuid5(uuid.NAMESPACE_URL, f"{book.metadata.identifier}#{variant}")
    for obj in pdf.objects:
        if getattr(obj, "extra", {}).get("Type") == "/Metadata":
            obj.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}", f"xmp.did:{stable}".encode(), chunk)
                          for chunk in obj.stream]
