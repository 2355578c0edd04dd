"""The print edition's HTML: front matter, chapters, and each note at its call.

WeasyPrint sets a note at the foot of the page only if the note's text sits
where its call is (CSS ``float: footnote``), so every call placeholder is
replaced by a ``<span class="footnote">`` holding the note as inline spans.
The page geometry (trim, margins, bleed, folio style) depends on the book and
the variant, so it is written here as a small stylesheet, not in print.css.
"""

from __future__ import annotations

import copy

from lxml import html as lxml_html
from lxml.html import HtmlElement
from lxml.html import builder as E

from publish import frontmatter, render
from publish.book import Book, Metadata
from publish.editions import pdf_notes
from publish.plan import BuildPlan

# Crop marks are drawn in the outer half of the CSS bleed area; a CSS bleed of
# 12 mm puts them 6 to 12 mm from the trim, well clear of the 3 mm bleed.
MARKS_AREA_MM = 12.0


def document(plan: BuildPlan, book: Book, chapters: list[render.RenderedChapter],
             remedies: pdf_notes.Remedies | None = None) -> str:
    """The whole print HTML as a string, ready for WeasyPrint.

    *remedies*, found in an earlier layout, say which notes to set line by
    line and which blocks to start on a new page.
    """
    meta = book.metadata
    remedies = remedies or pdf_notes.Remedies()
    body = E.BODY(_title_page(meta), _imprint(meta), *(_chapter(chapter, remedies) for chapter in chapters))
    page = E.HTML(_head(meta, plan.date.iso), body, lang=meta.lang)
    return "<!DOCTYPE html>\n" + lxml_html.tostring(page, encoding="unicode", method="html")


def page_css(meta: Metadata, print_marks: bool) -> str:
    """The page geometry for this book: trim, mirrored margins, folio style, bleed and marks."""
    width, height = meta.trim
    inner, outer = 0.12 * width, 0.16 * width
    top, bottom = 0.085 * height, 0.11 * height
    folio = "lower-roman" if meta.folio == "roman" else "decimal"
    css = [
        f"@page {{ size: {width:g}mm {height:g}mm; margin: {top:.1f}mm {outer:.1f}mm {bottom:.1f}mm {inner:.1f}mm;",
        f"  @bottom-center {{ content: counter(page, {folio}) }} }}",
        f"@page :left {{ margin-left: {outer:.1f}mm; margin-right: {inner:.1f}mm }}",
        f"@page :right {{ margin-left: {inner:.1f}mm; margin-right: {outer:.1f}mm }}",
    ]
    if print_marks:
        css.append(f"@page {{ bleed: {MARKS_AREA_MM:g}mm; marks: crop }}")
    return "\n".join(css) + "\n"


def _head(meta: Metadata, date: str) -> HtmlElement:
    """The document's metadata; its dates are the build's (``SOURCE_DATE_EPOCH``), never the clock."""
    title = frontmatter.title_line(meta)
    return E.HEAD(
        E.META(charset="utf-8"),
        E.TITLE(title),
        E.META(name="author", content=meta.author),
        E.META(name="dcterms.created", content=date),
        E.META(name="dcterms.modified", content=date),
    )


def _title_page(meta: Metadata) -> HtmlElement:
    page = E.SECTION(E.CLASS("title-page"))
    page.append(E.H1(*_small_caps(meta.title), E.CLASS("book-title")))
    if meta.subtitle:
        page.append(E.P(*_small_caps(meta.subtitle), E.CLASS("subtitle")))
    byline = frontmatter.byline(meta)
    lead = [f"{byline.lead} "] if byline.lead else []
    page.append(E.P(*lead, E.SPAN(byline.author, E.CLASS("name")), E.CLASS("contribution")))
    if meta.publisher:
        page.append(E.P(meta.publisher, E.CLASS("publisher")))
    return page


def _imprint(meta: Metadata) -> HtmlElement:
    """The imprint's facts (frontmatter.py), the title in italic."""
    lines = []
    for fact in frontmatter.imprint(meta):
        if fact.kind == "title":
            lines.append(E.P(E.I(*_small_caps(fact.text))))
        elif fact.kind in ("identifier", "typeface"):
            lines.append(E.P(fact.text, E.CLASS(fact.kind)))
        else:
            lines.append(E.P(fact.text))
    return E.SECTION(E.DIV(*lines, E.CLASS("imprint-text")), E.CLASS("imprint"))


def _small_caps(text: str) -> list:
    """*text* with its acronyms (IAPT, NHS) marked for small caps, as the typography filter marks the body's."""
    return frontmatter.marked(text, lambda acronym: E.SPAN(acronym, E.CLASS(frontmatter.ACRONYM_CLASS)))


def _chapter(chapter: render.RenderedChapter, remedies: pdf_notes.Remedies) -> HtmlElement:
    body = copy.deepcopy(chapter.body)
    split = remedies.split
    for block in body.iter():
        if block.get("id") in remedies.breaks:
            block.set("class", " ".join(filter(None, [block.get("class"), "page-break"])))
    notes = {note.id: note for note in chapter.notes}
    for placeholder in render.calls(body):
        note = notes[placeholder.get("data-note-id")]
        footnote = _footnote(note)
        pieces = pdf_notes.split(footnote, split[note.id]) if note.id in split else [footnote]
        pieces[-1].tail = placeholder.tail
        parent, index = placeholder.getparent(), placeholder.getparent().index(placeholder)
        parent.remove(placeholder)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)
    section = E.SECTION(*body, E.CLASS(" ".join(["chapter", *chapter.classes])), id=f"chapter-{chapter.id}")
    heading = section.find(".//h1")
    if heading is not None:
        heading.set("data-running-head", chapter.running_head)
    return section


def _footnote(note: render.Note) -> HtmlElement:
    """The note as phrasing content, to float to the foot of the page of its call."""
    footnote = render.as_inline(note.body, prefix="fn")
    footnote.attrib.clear()
    footnote.set("class", "footnote")
    footnote.set("id", note.id)
    footnote.set("data-number", str(note.number))
    # pandoc's line breaks between blocks would become a space after the
    # hanging number, and WeasyPrint breaks the line there.
    footnote.text = (footnote.text or "").strip() or None
    for span in footnote:
        span.tail = (span.tail or "").strip() or None
    return footnote
