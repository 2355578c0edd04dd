"""The book as parts laid out one by one: the front matter, each chapter, and a blank verso.

A part is laid out (with its own round of note remedies, pdf_notes.py),
reports its page count, waits to learn its first folio, and is written as
a PDF per variant: ``part_task`` is that sequence, as a generator, so that a
worker process and the calling process run it alike. Each part's PDFs are
cached by a key of all that shapes them, its first folio included, so an
edit re-lays only its own chapter.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from publish import render, weasy
from publish.book import Book
from publish.editions import pdf_html, pdf_join, pdf_layout, pdf_notes, pdf_weasy
from publish.errors import PublishError, ToolError
from publish.plan import BuildPlan, Edition

LOGGER = logging.getLogger("publish.editions.pdf")
# A first layout, and at most three more to give misplaced notes a remedy.
MAX_LAYOUTS = 4
SHORT_ENDING = 2  # a chapter's last page of this many lines or fewer, made by remedies, is refused
CODE = [Path(__file__).with_name(name) for name in ("pdf_html.py", "pdf_layout.py", "pdf_notes.py",
                                                   "pdf_parts.py", "pdf_weasy.py")]


@dataclass
class Part:
    """What one part lays out: the front matter (``front``), chapters, or nothing (the blank verso)."""

    name: str
    chapters: list[render.RenderedChapter] = field(default_factory=list)
    front: bool = False

    @property
    def blank(self) -> bool:
        return not (self.front or self.chapters)


def parts(chapters: list[render.RenderedChapter]) -> list[Part]:
    """The front matter, then one part per chapter (each opens on a recto)."""
    return [Part("front", front=True)] + [Part(chapter.id, [chapter]) for chapter in chapters]


BLANK = Part("blank")


def html(plan: BuildPlan, book: Book, part: Part, remedies: pdf_notes.Remedies | None = None) -> str:
    if part.blank:
        meta = book.metadata
        return f'<!DOCTYPE html>\n<html lang="{meta.lang}"><head><meta charset="utf-8"></head><body></body></html>'
    return pdf_html.document(plan, book, part.chapters, remedies, front=part.front)


def part_css(book: Book, remedies: pdf_notes.Remedies, blank: bool = False) -> str:
    """What a part needs beyond the book's page CSS: the verso running head as text, and the remedies' orphans.

    The book's title is set as a string on the title page, which only the
    front matter holds; blank pages (and the blank verso's part) keep no
    head and no folio.
    """
    title = book.metadata.title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    empty = "{ @top-center { content: none } @bottom-center { content: none } }"
    css = [f'@page :left {{ @top-center {{ content: "{title}" }} }}', f"@page :blank {empty}"]
    if blank:
        css.append(f"@page {empty}")
    if remedies.orphans:
        # attribute selectors: an id may start with a digit, which a #selector may not
        css.append(", ".join(f'[id="{block}"]' for block in sorted(remedies.orphans)) + " { orphans: 1 }")
    return "\n".join(css) + "\n"


def key(plan: BuildPlan, book: Book, part: Part, print_marks: bool, code: str) -> str:
    """The hash of what shapes this part's pages: its HTML, the styles, the variants, the code."""
    variants = [edition.name for edition in plan.wanted("pdf")]
    digest = hashlib.sha256(json.dumps([part.name, variants, print_marks, code]).encode())
    digest.update(html(plan, book, part).encode())
    digest.update(pdf_html.page_css(book.metadata, print_marks).encode())
    digest.update(part_css(book, pdf_notes.Remedies(), part.blank).encode())
    return digest.hexdigest()


def folio_key(key: str, first_folio: int) -> str:
    """The key of a part's files: its pages' key and where it starts."""
    return hashlib.sha256(f"{key}\0{first_folio}".encode()).hexdigest()


def code_digest(plan: BuildPlan) -> str:
    """The PDF edition's code, its stylesheets and profile, and the fonts: a change to any re-lays every part."""
    digest = hashlib.sha256()
    sheets = [plan.styles.resource(name) for edition in plan.wanted("pdf") for name in edition.stylesheets]
    for path in [*CODE, *dict.fromkeys(sheets), *plan.styles.font_files()]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def part_task(plan: BuildPlan, book: Book, part: Part, variants: tuple[Edition, ...], print_marks: bool):
    """Lay *part* out; yield ``("laid", pages)``; be sent the first folio; yield ``("done", pdfs, seconds)``."""
    started = time.perf_counter()
    layout = lay_out(plan, book, part, print_marks)
    first = yield ("laid", layout.pages)
    layout.number_from(first)
    foreign = _hold_foreign_links(layout.document)
    with pdf_join.whole_fonts():  # subset once for the whole book, when the parts are joined
        pdfs = {variant.name: pdf_weasy.write_variant(layout.document, variant.pdf_variant, book, plan.styles)
                for variant in variants}
    yield ("done", pdfs, time.perf_counter() - started, sorted(foreign))


def _hold_foreign_links(document) -> set[str]:
    """Links to an element of another part: give each target a stand-in destination here.

    WeasyPrint drops (with an error) a link whose target it did not lay out;
    with a stand-in it keeps the link, by name, and the join keeps the target's
    real destination, from the part that holds it. Returns the stand-ins' names.
    """
    anchors = {name for page in document.pages for name in page.anchors}
    foreign = {target for page in document.pages for kind, target, _, _ in page.links
               if kind == "internal" and target not in anchors}
    if foreign:
        document.pages[0].anchors.update(dict.fromkeys(sorted(foreign), (0, 0, 0, 0)))
    return foreign


def lay_out(plan: BuildPlan, book: Book, part: Part, print_marks: bool) -> pdf_layout.Layout:
    """The part laid out, with remedies for the notes a layout left off their call's page."""
    remedies = pdf_notes.Remedies()
    first = None
    for _attempt in range(MAX_LAYOUTS):
        layout = _lay_out_once(plan, book, part, remedies, print_marks)
        first = first or layout
        found = pdf_notes.remedies(layout.document, remedies)
        if not remedies.add(found):
            break
    if part.chapters and _short_ending(layout, first) and remedies.breaks:
        # A page of the chapter's last lines that only the remedies made: let
        # those paragraphs leave one line at the foot instead of moving whole.
        remedies.orphans |= remedies.breaks
        remedies.breaks = set()
        layout = _lay_out_once(plan, book, part, remedies, print_marks)
        found = pdf_notes.remedies(layout.document, remedies)
    for place in found.misplaced():
        LOGGER.warning("a note is not wholly on the page of its call (%s)", place)
    return layout


def _short_ending(layout: pdf_layout.Layout, first: pdf_layout.Layout) -> bool:
    last = layout.document.pages[-1]
    return layout.pages > first.pages and pdf_notes.text_lines(last) <= SHORT_ENDING


def _lay_out_once(plan: BuildPlan, book: Book, part: Part, remedies: pdf_notes.Remedies,
                  print_marks: bool) -> pdf_layout.Layout:
    weasyprint = weasy.load()  # one clear line if WeasyPrint or its system libraries are missing
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetcher = pdf_weasy.confined_fetcher([book.root, plan.styles.root])
    fonts = FontConfiguration()
    sheets = [
        weasyprint.CSS(filename=str(plan.styles.stylesheet("print.css")), url_fetcher=fetcher, font_config=fonts),
        weasyprint.CSS(string=pdf_html.page_css(book.metadata, print_marks), font_config=fonts),
        weasyprint.CSS(string=part_css(book, remedies, part.blank), font_config=fonts),
    ]
    text = html(plan, book, part, remedies)
    try:
        return pdf_layout.lay_out(text, str(book.root.resolve()) + "/", sheets, fetcher, fonts)
    except FatalURLFetchingError as error:
        cause = error.__cause__
        if isinstance(cause, PublishError):
            raise cause from None
        raise ToolError(f"WeasyPrint could not read a resource: {error}") from None


def title(part: Part) -> str:
    return part.chapters[0].title if part.chapters else part.name
