"""The PDF editions: the print PDF's preflight (boxes, fonts, PDF/X), the digital PDF's accessibility keys.

Read through publish.readers.pdf (its objects, with pypdf). The trim and bleed come from the manifest, i.e. from the
book's configuration, never from the PDF itself.
"""

from __future__ import annotations

import functools
from pathlib import Path

from publish.check import Build, Result, edition_checks
from publish.check.pdftext import named_destinations, page_chars
from publish.readers.pdf import objects

PT_PER_MM = 72 / 25.4
TOLERANCE = 0.1  # pt: WeasyPrint's boxes are computed in CSS pixels
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def run(build: Build) -> list[Result]:
    trim = (build.manifest or {}).get("trim")
    lang = (build.manifest or {}).get("book", {}).get("lang")
    title = (build.manifest or {}).get("book", {}).get("title")
    return edition_checks(build, "print", [
        ("print trimbox", functools.partial(trimbox, trim=trim)),
        ("print bleedbox", functools.partial(bleedbox, trim=trim)),
        ("print mediabox", mediabox),
        ("print fonts-embedded", fonts_embedded),
        ("print pdfx", pdfx),
        ("print no-empty-page", no_empty_page),
    ]) + edition_checks(build, "pdf", [
        ("pdf tagged", tagged),
        ("pdf figures-alt", figures_alt),
        ("pdf lang", functools.partial(language, lang=lang)),
        ("pdf title", functools.partial(document_title, title=title)),
        ("pdf outline", outline),
        ("pdf fonts-embedded", fonts_embedded),
    ])


def reader(path: Path):
    """The PDF's objects, read once (readers.pdf)."""
    return objects(path)


def _box(page, name: str) -> list[float]:
    return [float(v) for v in page[name]] if name in page else [float(v) for v in page.mediabox]


def _differs(a: list[float], b: list[float]) -> bool:
    return any(abs(x - y) > TOLERANCE for x, y in zip(a, b, strict=True))


def _mm(box: list[float]) -> str:
    return f"{(box[2] - box[0]) / PT_PER_MM:.2f} × {(box[3] - box[1]) / PT_PER_MM:.2f} mm"


def trimbox(path: Path, trim: dict | None) -> str | None:
    """Every page's TrimBox is the configured trim (width × height)."""
    if not trim:
        return "the manifest records no trim to compare with"
    want = [trim["width_mm"] * PT_PER_MM, trim["height_mm"] * PT_PER_MM]
    for number, page in enumerate(reader(path).pages, 1):
        if "/TrimBox" not in page:
            return f"page {number} has no TrimBox"
        box = _box(page, "/TrimBox")
        if _differs([box[2] - box[0], box[3] - box[1]], want):
            return f"page {number}: TrimBox is {_mm(box)}, the trim is {trim['width_mm']:g} × {trim['height_mm']:g} mm"
    return None


def bleedbox(path: Path, trim: dict | None) -> str | None:
    """Every page's BleedBox is its TrimBox grown by the bleed on each side."""
    bleed = (trim or {}).get("bleed_mm")
    if bleed is None:
        return "the manifest records no bleed to compare with"
    grow = bleed * PT_PER_MM
    for number, page in enumerate(reader(path).pages, 1):
        if "/BleedBox" not in page:
            return f"page {number} has no BleedBox"
        t, b = _box(page, "/TrimBox"), _box(page, "/BleedBox")
        if _differs(b, [t[0] - grow, t[1] - grow, t[2] + grow, t[3] + grow]):
            return f"page {number}: BleedBox is {_mm(b)}, not the trim ({_mm(t)}) plus {bleed:g} mm each side"
    return None


def mediabox(path: Path) -> str | None:
    """Every page's MediaBox holds the BleedBox with room beyond it on each side for the crop marks."""
    room = 1 * PT_PER_MM
    for number, page in enumerate(reader(path).pages, 1):
        m, b = _box(page, "/MediaBox"), _box(page, "/BleedBox")
        if not (m[0] <= b[0] - room and m[1] <= b[1] - room and m[2] >= b[2] + room and m[3] >= b[3] + room):
            return f"page {number}: MediaBox ({_mm(m)}) leaves no room for crop marks outside the BleedBox ({_mm(b)})"
    return None


def fonts_embedded(path: Path) -> str | None:
    """Every font, descendant fonts included, carries its font program (FontFile, FontFile2 or FontFile3)."""
    missing: set[str] = set()
    for page in reader(path).pages:
        _walk_fonts(page.get("/Resources"), missing, depth=0)
    if missing:
        return f"{len(missing)} font(s) not embedded: {', '.join(sorted(missing))}"
    return None


def _walk_fonts(resources, missing: set[str], depth: int) -> None:
    if resources is None or depth > 8:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if font.get("/Subtype") == "/Type3":
            continue  # glyphs drawn by the PDF itself
        for face in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
            if face.get("/Subtype") == "/Type0":
                continue
            descriptor = face.get("/FontDescriptor")
            if descriptor is None or not any(key in descriptor.get_object() for key in FONT_FILES):
                missing.add(str(face.get("/BaseFont", "?")).lstrip("/"))
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _walk_fonts(xobject.get("/Resources"), missing, depth + 1)


def pdfx(path: Path) -> str | None:
    """An OutputIntent (GTS_PDFX, with its profile) and the PDF/X version key in the Info dict or the XMP."""
    pdf = reader(path)
    intents = [i.get_object() for i in pdf.trailer["/Root"].get("/OutputIntents", [])]
    if not any(i.get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in i for i in intents):
        return "no GTS_PDFX OutputIntent with a DestOutputProfile"
    info = pdf.trailer.get("/Info")
    if info is not None and "/GTS_PDFXVersion" in info.get_object():
        return None
    xmp = pdf.trailer["/Root"].get("/Metadata")
    if xmp is not None and b"GTS_PDFXVersion>PDF/X-" in xmp.get_object().get_data():
        return None
    return "no GTS_PDFXVersion in the Info dictionary or the XMP metadata"


def no_empty_page(path: Path) -> str | None:
    """No page without text or image, except a blank verso before a chapter's recto, or a closing verso."""
    pdf = reader(path)
    chapter_pages = {page for name, page in named_destinations(path).items() if name.startswith("chapter-")}
    empty = []
    chars = page_chars(path)
    for index, page in enumerate(pdf.pages):
        if chars[index] or _has_image(page):
            continue
        verso = index % 2 == 1  # page 2, 4, …: a left-hand page
        if verso and (index + 1 in chapter_pages or index == len(pdf.pages) - 1):
            continue
        empty.append(str(index + 1))
    return f"page(s) {', '.join(empty)} empty" if empty else None


def _has_image(page) -> bool:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject", {}) if resources is not None else {}
    return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())


def tagged(path: Path) -> str | None:
    """A structure tree, and MarkInfo/Marked true: assistive technology can read the PDF."""
    root = reader(path).trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return "no StructTreeRoot: the PDF is not tagged"
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        return "MarkInfo/Marked is not true"
    return None


def figures_alt(path: Path) -> str | None:
    """Every Figure of the structure tree has alternative text (PDF/UA-1, 7.3); decoration is an artifact."""
    root = reader(path).trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return None  # "pdf tagged" says so
    stack, seen, without = [root["/StructTreeRoot"].get("/K")], set(), 0
    while stack:
        node = stack.pop()
        reference = getattr(node, "indirect_reference", None)
        if reference is not None:
            if reference.idnum in seen:
                continue
            seen.add(reference.idnum)
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure" and not str(node.get("/Alt") or node.get("/ActualText") or "").strip():
                without += 1
            if "/K" in node:
                stack.append(node["/K"])
    return f"{without} Figure(s) without alternative text (PDF/UA-1 7.3)" if without else None


def language(path: Path, lang: str | None) -> str | None:
    """The document language (/Lang) is set, and is the book's."""
    found = str(reader(path).trailer["/Root"].get("/Lang") or "")
    if not found:
        return "no /Lang in the document catalogue"
    if lang and found.lower() != lang.lower():
        return f"/Lang is {found!r}, the book's language is {lang!r}"
    return None


def document_title(path: Path, title: str | None) -> str | None:
    """The title is set (Info and XMP dc:title) and shown by viewers instead of the file name."""
    pdf = reader(path)
    found = str((pdf.metadata or {}).get("/Title") or "")
    if not found.strip():
        return "no /Title in the document information"
    if title and title not in found:
        return f"the title {found!r} is not the book's ({title!r})"
    xmp = pdf.trailer["/Root"].get("/Metadata")
    if xmp is None or b"<dc:title>" not in xmp.get_object().get_data():
        return "no dc:title in the XMP metadata"
    if not (pdf.trailer["/Root"].get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        return "ViewerPreferences/DisplayDocTitle is not true: viewers would show the file name"
    return None


def outline(path: Path) -> str | None:
    """An outline (bookmarks) whose every entry opens a page."""
    pdf = reader(path)
    entries = list(_flatten(pdf.outline))
    if not entries:
        return "no outline (bookmarks)"
    lost = [str(entry.title) for entry in entries if pdf.get_destination_page_number(entry) in (None, -1)]
    return f"outline entries lead to no page: {', '.join(lost[:3])}" if lost else None


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item
