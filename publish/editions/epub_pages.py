"""The EPUB's page-list: where each page of the print edition begins, so that readers can cite page numbers.

EPUB Accessibility 1.1 asks for page-break markers (``doc-pagebreak``), a
``page-list`` navigation and the pagination's source named in the package.
The source is this build's PDF: it already records each block id's page
(every id is a named destination), and its text says which words open each
page. So once the PDF is written, the EPUB written beside it is rewritten
once: a marker before the first word of each page (at a block's start, or
inside a block where a page turns mid-paragraph), and the page-list. The
zip keeps its fixed order and dates, so the EPUB stays byte-reproducible.

Every page of the print edition gets its entry. A page with no printed
folio (title page, imprint, blank versos) is labelled with the number it
counts as, from its printed neighbours (front matter in roman numerals); a
page with no text the EPUB has (those, and the contents page) gets its marker
where it falls in reading order: just before the next page's marker, or at
the end of the book.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from publish.editions import epub_xhtml as xhtml

NAV = "EPUB/nav.xhtml"
OPF = "EPUB/content.opf"
BODY_MIN_SIZE = 10.0  # pt: running text and headings, not notes (8.5), calls (7) or folios (9)


@dataclass
class Break:
    label: str  # the page's folio, as printed (or as counted, where none is printed)
    block: str | None  # the id of the block the page begins in; None: the page has no text the EPUB has
    words: list[str]  # the page's first words, when it begins inside the block (else empty)


def page_breaks(pdf_path: Path, known: set[str], cache_folder: Path | None = None, reuse: bool = True) -> list[Break]:
    """Where each page of the PDF begins, in terms of the blocks *known* to the EPUB: one Break per page.

    The pages' lines are kept in *cache_folder* for the next build (and, if *reuse*, read from it: epub_page_map.py).
    """
    import pikepdf

    from publish.editions import epub_page_map

    with pikepdf.open(pdf_path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        starts = []  # (page, -y, id): block starts in reading order
        for name, target in pikepdf.NameTree(pdf.Root.Names.Dests).items():
            array = target if isinstance(target, pikepdf.Array) else target.D
            if str(name) in known:
                starts.append((pages[array[0].objgen], -float(array[3]), str(name)))
    starts.sort()
    read = epub_page_map.read(pdf_path, cache_folder, reuse)
    labels = page_labels([page.folio for page in read])
    found = []
    for page, label in zip(read, labels, strict=True):
        lines = [line for line in page.body if line.size >= BODY_MIN_SIZE]
        here = [s for s in starts if s[0] == page.index]
        before = [s for s in starts if s[0] < page.index]
        if lines and page.folio and here and -here[0][1] >= lines[0].top - 2:
            found.append(Break(label, here[0][2], []))
        elif lines and page.folio and before:
            found.append(Break(label, before[-1][2], lines[0].text.split()[:5]))
        else:
            found.append(Break(label, None, []))  # no text of the book, or none to cite it by
    return found


def page_labels(folios: list[str]) -> list[str]:
    """Each page's label: its printed folio, or the number it counts as, from the nearest printed folio.

    Counted on from the next printed folio back, or from the last one on, in
    its style (roman or arabic); a page before any printed folio of its run
    (the title page, before a body that starts again at 1) is front matter,
    counted in roman from the first page.
    """
    labels = []
    for index, folio in enumerate(folios):
        if folio:
            labels.append(folio)
            continue
        after = next(((j, f) for j, f in enumerate(folios) if j > index and f), None)
        behind = next(((j, f) for j, f in reversed(list(enumerate(folios))) if j < index and f), None)
        label = None
        if after and _value(after[1]) - (after[0] - index) >= 1:
            label = _styled(_value(after[1]) - (after[0] - index), after[1])
        elif behind:
            label = _styled(_value(behind[1]) + (index - behind[0]), behind[1])
        labels.append(label or _roman(index + 1))
    return labels


ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50), ("xl", 40),
         ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def _value(folio: str) -> int:
    if folio.isdigit():
        return int(folio)
    total, rest = 0, folio.lower()
    for letters, value in ROMAN:
        while rest.startswith(letters):
            total, rest = total + value, rest[len(letters):]
    return total


def _styled(number: int, like: str) -> str:
    return str(number) if like.isdigit() else _roman(number)


def _roman(number: int) -> str:
    out = ""
    for letters, value in ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


def add_page_list(epub_path: Path, pdf_path: Path, source: str, cache_folder: Path | None = None,
                  reuse: bool = True) -> None:
    """Rewrite *epub_path* with page-break markers and a page-list from *pdf_path* (in place, same zip order).

    *cache_folder* keeps the PDF's pages as read, for the next build (``page_breaks``).
    """
    with zipfile.ZipFile(epub_path) as package:
        infos = package.infolist()
        entries = {info.filename: package.read(info.filename) for info in infos}
    documents = {name: etree.fromstring(data) for name, data in entries.items()
                 if name.endswith(".xhtml") and name != NAV}
    homes = {element.get("id"): (name, element) for name, root in documents.items()
             for element in root.iter() if element.get("id") and element.tag.endswith(("}p", "}h1", "}h2", "}h3",
                                                                                        "}div", "}blockquote", "}li"))}
    placed = _place_markers(page_breaks(pdf_path, set(homes), cache_folder, reuse), homes, documents)
    if not placed:
        return
    for name, root in documents.items():
        entries[name] = etree.tostring(root, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>") + b"\n"
    entries[NAV] = _with_page_list(entries[NAV], placed)
    entries[OPF] = _with_source(entries[OPF], source)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in infos:
            package.writestr(info, entries[info.filename], compress_type=info.compress_type, compresslevel=9)
    epub_path.write_bytes(out.getvalue())


def _place_markers(breaks: list[Break], homes: dict, documents: dict) -> list[tuple[str, str]]:
    """Put every page's marker in the EPUB; (label, document) of each, in page order.

    A page whose text the EPUB lacks, or whose opening words are not found,
    waits for the next page placed and goes just before its marker; those
    after the last go at the end of the last document that holds one.
    """
    placed, waiting = [], []
    for page in breaks:
        marker = _mark(homes[page.block][1], page) if page.block else None
        if marker is None:
            waiting.append(page.label)
            continue
        name = homes[page.block][0].removeprefix("EPUB/")
        for label in waiting:
            marker.addprevious(_marker(label))
            placed.append((label, name))
        waiting = []
        placed.append((page.label, name))
    if placed and waiting:
        name = placed[-1][1]
        body = documents[f"EPUB/{name}"].find(f"{{{xhtml.XHTML}}}body")
        for label in waiting:
            body.append(_marker(label))
            placed.append((label, name))
    return placed


def _marker(label: str) -> etree._Element:
    span = etree.Element(f"{{{xhtml.XHTML}}}span")
    span.set(xhtml.EPUB_TYPE, "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", f"page-{label}")
    span.set("aria-label", label)
    return span


def _mark(block: etree._Element, page: Break) -> etree._Element | None:
    """Put page *page*'s marker in *block*, first or before the word that opens the page; the marker, if placed."""
    marker = _marker(page.label)
    if not page.words:
        marker.tail, block.text = block.text, None
        block.insert(0, marker)
        return marker
    text = "".join(block.itertext())
    first = re.escape(page.words[0].strip("\u2010-"))
    rest = r"\W+".join(re.escape(word.strip("\u2010-")) for word in page.words[1:])
    # After the block's earlier markers: the words must be this page's, not an earlier line's.
    pattern = re.compile(rf"\w*{first}\W+{rest}" if rest else rf"\w*{first}")
    match = pattern.search(text, _after_markers(block))
    if match is None:
        return None
    return marker if _insert_at(block, match.start(), marker) else None


def _insert_at(block: etree._Element, offset: int, marker: etree._Element) -> bool:
    """Insert *marker* at character *offset* of *block*'s text (in a text node or a tail)."""
    position = 0
    for node, slot in _text_slots(block):
        value = getattr(node, slot) or ""
        if value and position <= offset < position + len(value):
            cut = offset - position
            setattr(node, slot, value[:cut] or None)
            marker.tail = value[cut:]
            if slot == "text":
                node.insert(0, marker)
            else:
                node.addnext(marker)
            return True
        position += len(value)
    return False


def _after_markers(block: etree._Element) -> int:
    """The offset in *block*'s text after its last page-break marker (0 if it has none)."""
    position = after = 0
    for node, slot in _text_slots(block):
        if slot == "tail" and node.get(xhtml.EPUB_TYPE) == "pagebreak":
            after = position
        position += len(getattr(node, slot) or "")
    return after


def _text_slots(element):
    """(element, "text" or "tail") in the order ``itertext`` reads them."""
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_slots(child)
        yield child, "tail"


def _with_page_list(nav: bytes, placed: list[tuple[str, str]]) -> bytes:
    root = etree.fromstring(nav)
    body = root.find(f"{{{xhtml.XHTML}}}body")
    page_list = etree.SubElement(body, f"{{{xhtml.XHTML}}}nav")
    page_list.set(xhtml.EPUB_TYPE, "page-list")
    page_list.set("id", "page-list")
    page_list.set("hidden", "hidden")
    etree.SubElement(page_list, f"{{{xhtml.XHTML}}}h1").text = "Pages"
    items = etree.SubElement(page_list, f"{{{xhtml.XHTML}}}ol")
    for label, name in placed:
        link = etree.SubElement(etree.SubElement(items, f"{{{xhtml.XHTML}}}li"), f"{{{xhtml.XHTML}}}a")
        link.set("href", f"{name}#page-{label}")
        link.text = label
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>") + b"\n"


def _with_source(opf: bytes, source: str) -> bytes:
    """The pagination's source, and the two accessibility features page numbers bring.

    EPUB 3.3 names it with ``dc:source`` refined by ``source-of: pagination``;
    EPUB Accessibility 1.1's ``a11y:pageBreakSource`` says the same, but
    epubcheck 5.1 refuses it as an undefined property, so it is not written.
    """
    root = etree.fromstring(opf)
    metadata = root.find("{http://www.idpf.org/2007/opf}metadata")
    element = etree.SubElement(metadata, "{http://purl.org/dc/elements/1.1/}source")
    element.set("id", "pagination-source")
    element.text = source
    facts = [("source-of", "pagination", "#pagination-source"), ("schema:accessibilityFeature", "pageBreakMarkers",
             None), ("schema:accessibilityFeature", "pageNavigation", None)]
    for prop, value, refines in facts:
        meta = etree.SubElement(metadata, "{http://www.idpf.org/2007/opf}meta")
        if refines:
            meta.set("refines", refines)
        meta.set("property", prop)
        meta.text = value
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)
