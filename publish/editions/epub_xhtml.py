"""The ebook's XHTML content documents: cover, title page, imprint and one file per chapter.

A rendered chapter is HTML parsed by lxml (no namespaces). Here it is rebuilt
element by element in the XHTML namespace (MathML inside ``<math>``), the
note calls become ``noteref`` links and the notes ``footnote`` asides at the
end of the file, each with a backlink to its call: the markup Apple Books,
Kobo and Thorium show as pop-ups. Every document is serialised as XML.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from lxml import etree
from lxml.builder import ElementMaker

from publish import frontmatter, lang, render
from publish.book import Metadata

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
MATHML = "http://www.w3.org/1998/Math/MathML"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"
E = ElementMaker(namespace=XHTML, nsmap={None: XHTML, "epub": OPS})
STYLESHEET = "css/epub.css"
# Chapter ids that name a part of a book with its own EPUB and DPUB-ARIA semantics.
SEMANTICS = {name: (name, f"doc-{name}") for name in (
    "foreword", "preface", "introduction", "prologue", "epilogue", "afterword", "conclusion",
    "acknowledgments", "appendix", "glossary", "bibliography")}
CHAPTER = ("chapter", "doc-chapter")


@dataclass
class Document:
    """One XHTML file of the package."""

    name: str  # file name inside the package
    title: str
    content: bytes
    properties: list[str] = field(default_factory=list)  # manifest properties, e.g. "mathml"
    images: list[str] = field(default_factory=list)  # package paths of the images it shows
    undescribed: int = 0  # images without alt text
    headings: list[tuple[str, str]] = field(default_factory=list)  # (id, text) of each level-1 heading after the first


def cover_page(meta: Metadata, image: str, alt: str) -> Document:
    body = E.body(E.section(E.img(src=image, alt=alt), {EPUB_TYPE: "cover"}, _class("cover")), _class("cover"))
    cover = lang.words(meta).get("cover")
    return Document("cover.xhtml", cover, _serialise(meta.lang, cover, body), images=[image])


def title_page(meta: Metadata) -> Document:
    """Title, subtitle, and who wrote it, as book.yaml says."""
    heading = E.h1(*_acronyms(meta.title), _class("title"), id="titlepage-title")
    section = E.section(heading, {EPUB_TYPE: "titlepage"}, _class("titlepage"))
    section.set("aria-labelledby", "titlepage-title")
    if meta.subtitle:
        section.append(E.p(*_acronyms(meta.subtitle), _class("subtitle")))
    byline = frontmatter.byline(meta)
    section.append(E.p(E.span(byline.lead or frontmatter.by(meta), _class("by")), E.br(),
                       E.span(byline.author, _class("author")), _class("byline")))
    if meta.publisher:
        section.append(E.p(meta.publisher, _class("publisher")))
    body = E.body(section, {EPUB_TYPE: "frontmatter"})
    return Document("titlepage.xhtml", meta.title, _serialise(meta.lang, meta.title, body))


def imprint(meta: Metadata) -> Document:
    """The imprint's facts (frontmatter.py): what book.yaml gives, and the typeface the book is set in."""
    facts = [E.p(E.i(*_acronyms(fact.text))) if fact.kind == "title" else
             E.p(fact.text, _class(fact.kind)) if fact.kind in ("identifier", "typeface") else E.p(fact.text)
             for fact in frontmatter.imprint(meta)]
    heading = E.h1(lang.words(meta).get("imprint"), id="imprint-title")
    section = E.section(heading, *facts, {EPUB_TYPE: "imprint"}, _class("imprint"))
    section.set("aria-labelledby", "imprint-title")
    body = E.body(section, {EPUB_TYPE: "frontmatter"})
    return Document("imprint.xhtml", heading.text, _serialise(meta.lang, heading.text, body))


def _acronyms(text: str) -> list:
    """*text* with each acronym (IAPT, NHS) in a small-caps span, as the typography filter sets them."""
    return frontmatter.marked(text, lambda acronym: E.span(acronym, _class(frontmatter.ACRONYM_CLASS)))


def chapter_name(index: int, chapter: render.RenderedChapter) -> str:
    return f"{index:02d}-{chapter.id}.xhtml"


def chapter_ids(chapter: render.RenderedChapter) -> set[str]:
    """Every id the chapter's file will hold: its blocks', its calls' and its notes'."""
    found = {element.get("id") for element in chapter.body.iter() if element.get("id")}
    return found | {note.id for note in chapter.notes} | {note.call_id for note in chapter.notes}


def _later_headings(section: etree._Element) -> list[tuple[str, str]]:
    """The level-1 headings of a chapter after its first: a single-file document with many has a contents
    entry for each (the first is the chapter's own entry)."""
    found = [(h1.get("id"), " ".join("".join(h1.itertext()).split()))
             for h1 in section.iter(f"{{{XHTML}}}h1")]
    return [(ident, text) for ident, text in found[1:] if ident and text]


def chapter_page(meta: Metadata, name: str, chapter: render.RenderedChapter, files: dict[str, str]) -> Document:
    """The chapter's file; *files* maps every id in the book to the file that holds it."""
    blocks = [to_xhtml(block) for block in chapter.body if isinstance(block.tag, str)]  # no comments
    epub_type, role = SEMANTICS.get(chapter.id, CHAPTER)
    section = E.section(*blocks, {EPUB_TYPE: epub_type}, _class(" ".join(["chapter", *chapter.classes])),
                        role=role)
    heading = next(section.iter(f"{{{XHTML}}}h1", f"{{{XHTML}}}h2"), None)
    if heading is not None and heading.get("id"):
        section.set("aria-labelledby", heading.get("id"))
    notes = {note.id: note for note in chapter.notes}
    for placeholder in list(section.iterfind(f'.//{{{XHTML}}}a[@class="note-call"]')):
        call = _call(notes[placeholder.get("data-note-id")])
        call.tail = placeholder.tail  # the text after the call stays in the paragraph
        placeholder.getparent().replace(placeholder, call)
    section.extend(_note(note, lang.words(meta)) for note in chapter.notes)
    _link_across_files(section, name, files)
    images = list(section.iter(f"{{{XHTML}}}img"))
    undescribed = sum(1 for image in images if not (image.get("alt") or "").strip())
    document = Document(name, chapter.title, b"", images=_images(images), undescribed=undescribed,
                        headings=_later_headings(section))
    if section.find(f".//{{{MATHML}}}math") is not None:
        document.properties.append("mathml")
    document.content = _serialise(meta.lang, chapter.title, E.body(section, {EPUB_TYPE: "bodymatter"}))
    return document


def to_xhtml(element: etree._Element, namespace: str = XHTML) -> etree._Element | None:
    """A copy of an lxml.html element (and its subtree) in the XHTML namespace; MathML under ``math``."""
    tag = etree.QName(element.tag).localname
    if tag == "math":
        namespace = MATHML
    attributes = {key: value for key, value in element.attrib.items() if key != "xmlns"}
    attributes.pop("data-running-head", None)
    nsmap = {None: MATHML} if namespace == MATHML else {None: XHTML, "epub": OPS}
    copy_ = etree.Element(f"{{{namespace}}}{tag}", attributes, nsmap=nsmap)
    copy_.text = element.text
    copy_.tail = element.tail
    for child in element:
        if isinstance(child.tag, str):
            copy_.append(to_xhtml(child, namespace))
        elif len(copy_):  # a comment or processing instruction: keep the text around it
            copy_[-1].tail = (copy_[-1].tail or "") + (child.tail or "")
        else:
            copy_.text = (copy_.text or "") + (child.tail or "")
    return copy_


def _call(note: render.Note) -> etree._Element:
    link = E.a(str(note.number), {EPUB_TYPE: "noteref"}, _class("noteref"), href=f"#{note.id}", id=note.call_id,
               role="doc-noteref")
    return E.sup(link, _class("noteref"))


def _note(note: render.Note, words: lang.Words) -> etree._Element:
    """``<aside epub:type="footnote">``: the number, a backlink to the call, then the note's blocks."""
    blocks = [to_xhtml(block) for block in note.body if isinstance(block.tag, str)]
    if not blocks or etree.QName(blocks[0]).localname != "p":
        blocks.insert(0, E.p())
    first = blocks[0]
    back = E.a(str(note.number), _class("note-number"), href=f"#{note.call_id}", role="doc-backlink")
    back.set("aria-label", words.get("note-back", number=note.number))
    back.tail = ". " + (first.text or "")
    first.text = None
    first.insert(0, back)
    return E.aside(*blocks, {EPUB_TYPE: "footnote"}, _class("footnote"), id=note.id, role="doc-footnote")


def _link_across_files(section: etree._Element, name: str, files: dict[str, str]) -> None:
    """``#id`` links to another chapter's block point into that chapter's file."""
    for link in section.iter(f"{{{XHTML}}}a"):
        href = link.get("href") or ""
        target = files.get(href[1:]) if href.startswith("#") else None
        if target and target != name:
            link.set("href", f"{target}{href}")


def _images(images: list[etree._Element]) -> list[str]:
    """Package paths of the chapter's images; an image without alt text gets an empty one (decorative)."""
    paths = []
    for image in images:
        if image.get("alt") is None:
            image.set("alt", "")
        src = posixpath.normpath(image.get("src") or "")
        image.set("src", src)
        paths.append(src)
    return paths


def _class(names: str) -> dict[str, str]:
    return {"class": names}


def _serialise(lang: str, title: str, body: etree._Element) -> bytes:
    html = E.html(
        E.head(E.meta(charset="utf-8"), E.title(title), E.link(rel="stylesheet", type="text/css", href=STYLESHEET)),
        body,
        lang=lang,
    )
    html.set(XML_LANG, lang)
    etree.cleanup_namespaces(html, top_nsmap={None: XHTML, "epub": OPS})
    return etree.tostring(html, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>") + b"\n"
