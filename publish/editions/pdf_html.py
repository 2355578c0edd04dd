"""The print edition's HTML: front matter, chapters, and each note at its call.

WeasyPrint sets a note at the foot of the page only if the note's text sits
where its call is (CSS ``float: footnote``), so every call placeholder is
replaced by a ``<span class="footnote">`` holding the note as inline spans.
The page geometry (trim, margins, bleed, folio style) depends on the book and
the variant, so it is written here as a small stylesheet, not in print.css.
"""

from __future__ import annotations

from lxml import html as lxml_html
from lxml.html import HtmlElement
from lxml.html import builder as E

from publish import frontmatter, longbook, render
from publish.book import Book, Metadata
from publish.editions import pdf_code, pdf_math, pdf_notes, pdf_spreads, pdf_tables
from publish.plan import BLEED_MM, BuildPlan

WORD_JOINER = "\u2060"
# Crop marks are drawn in the outer half of the CSS bleed area; a CSS bleed of
# 12 mm puts them 6 to 12 mm from the trim, well clear of the 3 mm bleed.
MARKS_AREA_MM = 12.0


def document(plan: BuildPlan, book: Book, chapters: list[render.RenderedChapter],
             remedies: pdf_notes.Remedies | None = None, unhyphenated: set[str] = frozenset(), *,
             front: bool = True, listed: list[render.RenderedChapter] | None = None,
             after_body: bool = False, floats: dict[int, int] | None = None) -> str:
    """The print HTML of *chapters* as a string, ready for WeasyPrint.

    *remedies*, found in an earlier layout, say which notes to set line by
    line and which blocks to start on a new page; the paragraphs *unhyphenated*
    names are set without automatic hyphenation (pdf_turns.py). With *front*,
    the front matter comes first: the title page, the imprint, and, for a long
    book, a contents page of the chapters *listed* (default: *chapters*). A part
    of the book (pdf_parts.py) says with *after_body* that a body chapter came
    before its chapters, so that only the book's first one starts the arabic folios.
    *floats*, found in an earlier layout, names the figures set after the blocks that
    follow them, so that the page before a figure ends full (pdf_spreads.py).
    """
    meta = book.metadata
    remedies = remedies or pdf_notes.Remedies()
    listed = chapters if listed is None else listed
    sections = [_chapter(chapter, remedies, unhyphenated) for chapter in chapters]
    _mark_matter(sections, chapters, started=after_body)
    for section, chapter in zip(sections, chapters, strict=True):
        pdf_code.fit(section, meta.trim[0], chapter.source)
        pdf_math.prepare(section)
        pdf_tables.notes_out_of_head(section)
    matter = [_title_page(meta), _imprint(meta), *([_contents(listed)] if longbook.is_long(listed) else [])]
    body = E.BODY(*(matter if front else []), *sections)
    pdf_spreads.float_figures(body, floats or {})
    page = E.HTML(_head(meta, plan.date.iso), body, lang=meta.lang)
    return "<!DOCTYPE html>\n" + lxml_html.tostring(page, encoding="unicode", method="html")


def page_css(meta: Metadata, print_marks: bool, shortened: pdf_spreads.Shortened | None = None) -> str:
    """The page geometry for this book: trim, mirrored margins, folio style, bleed and marks.

    *shortened* names the pages made short by whole lines to level a spread (pdf_spreads.py).
    """
    width, height = meta.trim
    inner, outer = 0.12 * width, 0.16 * width
    top = round(0.085 * height, 1)  # as written below: the text area is measured from it
    bottom = pdf_spreads.grid_bottom_margin(height, top, 0.11 * height)  # a text area of whole lines
    css = [
        f"@page {{ size: {width:g}mm {height:g}mm;"
        f" margin: {top:.1f}mm {outer:.1f}mm {pdf_spreads.margin_mm(bottom)} {inner:.1f}mm;",
        "  @bottom-center { content: counter(page, decimal) } }",
        # Front matter in roman; the body starts again at 1 (a page group's first page resets the counter).
        "@page front-matter { @bottom-center { content: counter(page, lower-roman) } }",
        "@page body-start:nth(1 of body-start) { counter-reset: page 1 }",
        ".front-matter { page: front-matter } .body-start { page: body-start }",
        f"@page :left {{ margin-left: {outer:.1f}mm; margin-right: {inner:.1f}mm }}",
        f"@page :right {{ margin-left: {inner:.1f}mm; margin-right: {outer:.1f}mm }}",
    ]
    # The contents page gives each chapter's first page in its matter's folio style (front matter roman).
    css.append(".contents a::after { content: leader(' ') target-counter(attr(href url), page, decimal) }")
    css.append(".contents a.roman-folio::after "
               "{ content: leader(' ') target-counter(attr(href url), page, lower-roman) }")
    if print_marks:
        # Room for the crop marks beyond the bleed (pdf_plates.py draws them, in registration colour),
        # or only the bleed when the book asks for none (a trim-size file with bleed).
        css.append(f"@page {{ bleed: {MARKS_AREA_MM if meta.crop_marks else BLEED_MM:g}mm }}")
    return "\n".join(css) + "\n" + (shortened.css(bottom) if shortened else "")


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


def _contents(chapters: list[render.RenderedChapter]) -> HtmlElement:
    """A contents page: each chapter's title, linked to its opening, and its page (written by CSS: page_css)."""
    entries = [E.LI(E.A(*_small_caps(chapter.title), href=f"#chapter-{chapter.id}",
                        **({"class": "roman-folio"} if chapter.matter == "front" else {}))) for chapter in chapters]
    # Front matter itself: its folio is roman, like the title page's and the imprint's.
    return E.NAV(E.H1("Contents", E.CLASS("contents-title")), E.OL(*entries), E.CLASS("contents front-matter"))


def _small_caps(text: str) -> list:
    """*text* with its acronyms (IAPT, NHS) marked for small caps, as the typography filter marks the body's."""
    return frontmatter.marked(text, lambda acronym: E.SPAN(acronym, E.CLASS(frontmatter.ACRONYM_CLASS)))


def _chapter(chapter: render.RenderedChapter, remedies: pdf_notes.Remedies,
             unhyphenated: set[str] = frozenset()) -> HtmlElement:
    body = render.number_lists(chapter.body)  # a copy, ordered lists numbered as text
    split = remedies.split
    for block in body.iter():
        if block.get("id") in remedies.breaks:
            block.set("class", " ".join(filter(None, [block.get("class"), "page-break"])))
        if block.get("id") in unhyphenated:
            block.set("class", " ".join(filter(None, [block.get("class"), "no-auto-hyphens"])))
    notes = {note.id: note for note in chapter.notes}
    for placeholder in render.calls(body):
        note = notes[placeholder.get("data-note-id")]
        footnote = _footnote(note)
        pieces = pdf_notes.split(footnote, split[note.id]) if note.id in split else [footnote]
        _backlink(note, pieces[0])  # after the cut: pdf_notes keeps no empty element
        pieces.insert(0, _call(note))
        pieces[-1].tail = placeholder.tail
        parent, index = placeholder.getparent(), placeholder.getparent().index(placeholder)
        parent.remove(placeholder)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)
    section = E.SECTION(*body, E.CLASS(" ".join(["chapter", *chapter.classes])), id=f"chapter-{chapter.id}")
    # every level-1 heading of the chapter's own sets the running head from its page on: a single-file book has
    # many; one in a fenced div (a Quarto callout's title) is that box's, not a chapter's, and sets none
    for index, heading in enumerate(section.iterchildren("h1")):
        own = heading.get("data-running-head") or " ".join(heading.text_content().split())
        heading.set("data-running-head", chapter.running_head if index == 0 else own)
    return section


def _mark_matter(sections: list[HtmlElement], chapters: list[render.RenderedChapter], started: bool = False) -> None:
    """Front matter takes roman folios; the first body (or back) chapter starts the arabic ones at 1.

    *started*: a body chapter came before these (they are a part of the book).
    """
    for section, chapter in zip(sections, chapters, strict=True):
        if chapter.matter == "front":
            section.set("class", section.get("class") + " front-matter")
        elif not started:
            started = True
            section.set("class", section.get("class") + " body-start")


def _footnote(note: render.Note) -> HtmlElement:
    """The note as phrasing content, to float to the foot of the page of its call."""
    footnote = render.as_inline(render.number_lists(note.body), prefix="fn")
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


def _call(note: render.Note) -> HtmlElement:
    """The note's call, a link to the note, set just before the footnote (whose own ``::footnote-call`` is empty).

    A generated ``::footnote-call`` cannot be a link, and a link cannot hold
    the footnote (the note's number inside it is a link back, and links do
    not nest), so the call is this link's text; the footnote right after it
    keeps its (empty) call box on the same line, so WeasyPrint still sets the
    note at the foot of the page of this line.
    """
    # A word joiner first: no line break between the call and the word it follows, as with a generated call.
    return E.A(WORD_JOINER + str(note.number), E.CLASS("fn-call"), href=f"#{note.id}", id=note.call_id,
               **{"data-note": note.id, "data-number": str(note.number)})


def _backlink(note: render.Note, footnote: HtmlElement) -> None:
    """A link back to the call over the note's hanging number (``::footnote-marker``, generated, so not a link).

    The link is empty (its padding covers the number), so the note's text,
    which pdf_notes.py measures and cuts into lines, is unchanged.
    """
    back = E.A(E.CLASS("fn-back"), href=f"#{note.call_id}", **{"data-note": note.id, "data-number": str(note.number)})
    first = footnote[0] if len(footnote) and footnote[0].tag == "span" and not footnote.text else footnote
    back.tail, first.text = first.text, None
    first.insert(0, back)
