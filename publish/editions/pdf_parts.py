"""The book as parts laid out one by one: the front matter, each chapter, and a blank verso.

A part is laid out (with its own rounds of remedies: notes, pdf_notes.py;
page turns, pdf_turns.py), reports its page count, waits to learn its first
folio, and is written as a PDF per variant: ``part_task`` is that sequence,
as a generator, so that a worker process and the calling process run it
alike. Each part's PDFs are cached by a key of all that shapes them, its
first folio included, so an edit re-lays only its own chapter.

The front matter of a long book holds a contents page, whose numbers are
known only once every chapter is counted: they are set as literal text
(``contents_css``) in place of the whole-book layout's ``target-counter``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import time
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path

import lxml.html

from publish import longbook, render, weasy
from publish.book import Book
from publish.editions import pdf_html, pdf_join, pdf_layout, pdf_notes, pdf_spreads, pdf_turns, pdf_weasy
from publish.errors import PublishError, ToolError
from publish.plan import BuildPlan, Edition

LOGGER = logging.getLogger("publish.editions.pdf")
# A first layout, and more to give misplaced notes, rectos ending mid-word and uneven spreads a remedy
# (they share the layouts: what is still wrong after the last is reported as a warning).
MAX_LAYOUTS = 6
SHORT_ENDING = 2  # a chapter's last page of this many lines or fewer, made by remedies, is refused
CODE = [Path(__file__).with_name(name) for name in ("pdf_html.py", "pdf_layout.py", "pdf_notes.py", "pdf_parts.py",
                                                   "pdf_turns.py", "pdf_code.py", "pdf_weasy.py", "pdf_links.py",
                                                   "pdf_plates.py", "pdf_join.py", "pdf_spreads.py", "pdf_math.py",
                                                   "pdf_tables.py", "pdf_artifacts.py", "pdf_linebreak.py")]
CODE.append(Path(__file__).parents[1] / "svg_pdf.py")  # the PDF's copy of an SVG
CODE += [Path(__file__).parents[1] / name for name in ("weasy.py", "weasy_pages.py")]  # fonts, subsetting, tags
PAGE_SHEET = 1  # the page geometry's stylesheet, in the list _lay_out_once gives WeasyPrint


@dataclass
class Part:
    """What one part lays out: the front matter (``front``), chapters, or nothing (the blank verso).

    The front matter lists the book's chapters (``listed``) on a contents page
    if the book is long; ``numbers`` are their folios as the page shows them
    (None: not yet known). ``after_body``: a body chapter comes before this
    part's chapters, so none of them starts the arabic folios.
    """

    name: str
    chapters: list[render.RenderedChapter] = field(default_factory=list)
    front: bool = False
    listed: list[render.RenderedChapter] = field(default_factory=list)
    after_body: bool = False
    numbers: dict[str, str] | None = None

    @property
    def contents(self) -> bool:
        """Whether this part holds a contents page (whose numbers are the other parts' folios)."""
        return self.front and longbook.is_long(self.listed)

    @property
    def blank(self) -> bool:
        return not (self.front or self.chapters)


def parts(chapters: list[render.RenderedChapter]) -> list[Part]:
    """The front matter, then one part per chapter (each opens on a recto)."""
    body = [index for index, chapter in enumerate(chapters) if chapter.matter != "front"]
    return [Part("front", front=True, listed=chapters)] + [
        Part(chapter.id, [chapter], after_body=bool(body) and index > body[0])
        for index, chapter in enumerate(chapters)]


def with_numbers(part: Part, numbers: dict[str, str] | None) -> Part:
    """*part* with its contents page's numbers (the front matter of a long book), else *part* itself."""
    return replace(part, numbers=numbers) if part.contents and numbers is not None else part


def folio_text(value: int, chapter: render.RenderedChapter) -> str:
    """A chapter's first folio as the contents page gives it: roman in the front matter, else arabic."""
    return roman(value) if chapter.matter == "front" else str(value)


def roman(value: int) -> str:
    """*value* in lower-case roman numerals, as CSS ``lower-roman`` writes it (1 to 3999)."""
    text = ""
    for number, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, value = divmod(value, number)
        text += letters * count
    return text


BLANK = Part("blank")


def html(plan: BuildPlan, book: Book, part: Part, remedies: pdf_notes.Remedies | None = None,
         unhyphenated: set[str] = frozenset(), floats: dict[int, int] | None = None) -> str:
    if part.blank:
        meta = book.metadata
        return f'<!DOCTYPE html>\n<html lang="{meta.lang}"><head><meta charset="utf-8"></head><body></body></html>'
    return pdf_html.document(plan, book, part.chapters, remedies, unhyphenated, front=part.front,
                             listed=part.listed, after_body=part.after_body, floats=floats)


def part_css(book: Book, remedies: pdf_notes.Remedies, blank: bool = False, numbers: dict | None = None) -> str:
    """What a part needs beyond the book's page CSS: the verso running head as text, the remedies' orphans,
    and the contents page's *numbers* (chapter id → folio text).

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
    if numbers:
        css.append(contents_css(numbers))
    return "\n".join(css) + "\n"


def contents_css(numbers: dict[str, str]) -> str:
    """Each contents entry's page as literal text: what ``target-counter`` gives when the book is laid out whole.

    More specific than pdf_html.page_css's rules (an element more), so these win.
    """
    return "\n".join(f'.contents li a[href="#chapter-{chapter}"]::after {{ content: leader(\' \') "{text}" }}'
                     for chapter, text in sorted(numbers.items()))


def key(plan: BuildPlan, book: Book, part: Part, print_marks: bool, code: str) -> str:
    """The hash of what shapes this part's pages: its HTML, the styles, the variants, the code."""
    variants = [edition.name for edition in plan.wanted("pdf")]
    digest = hashlib.sha256(json.dumps([part.name, variants, print_marks, code]).encode())
    text = html(plan, book, part)
    digest.update(text.encode())
    for name, data in shown_files(book.root, text):  # an image's bytes: a changed picture re-lays its part
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    digest.update(pdf_html.page_css(book.metadata, print_marks).encode())
    digest.update(part_css(book, pdf_notes.Remedies(), part.blank).encode())
    return digest.hexdigest()


def shown_files(root: Path, text: str) -> list[tuple[str, bytes]]:
    """The local files the part's HTML *text* shows (images, objects), by reference, with their bytes."""
    tree = lxml.html.fromstring(text.encode())
    references = {value for element in tree.iter() if isinstance(element.tag, str)
                  for name, value in element.attrib.items()
                  if name.rpartition("}")[2] in ("src", "href", "data", "poster")}
    base = root.resolve()
    found = []
    for reference in sorted(references):
        parts = urllib.parse.urlsplit(reference)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # a link, a fragment or a data: URL: in the HTML text already
        target = (base / urllib.parse.unquote(parts.path)).resolve()
        if target.is_relative_to(base) and target.is_file():
            found.append((reference, target.read_bytes()))
    return found


def folio_key(key: str, placement: str) -> str:
    """The key of a part's files: its pages' key and where it is placed (``placement``)."""
    return hashlib.sha256(f"{key}\0{placement}".encode()).hexdigest()


def placement(first_folio: int, numbers: dict[str, str] | None = None) -> str:
    """What shapes a part's files beyond its own content: its first folio, and its contents page's numbers."""
    return str(first_folio) if numbers is None else json.dumps([first_folio, numbers], sort_keys=True)


def code_digest(plan: BuildPlan) -> str:
    """The PDF edition's code, its stylesheets and profile, and the fonts: a change to any re-lays every part."""
    digest = hashlib.sha256()
    sheets = [plan.styles.resource(name) for edition in plan.wanted("pdf") for name in edition.stylesheets]
    fonts = [*sorted(plan.styles.fonts_dir.glob("*.[ot]tf")), *weasy.fallback_font_files()]
    for path in [*CODE, *dict.fromkeys(sheets), *dict.fromkeys(fonts)]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def part_task(plan: BuildPlan, book: Book, part: Part, variants: tuple[Edition, ...], print_marks: bool,
              count_only: bool = False):
    """Lay *part* out; yield ``("laid", pages)``; be sent the first folio; yield ``("done", pdfs, seconds)``.

    With *count_only*, only count its pages: yield ``("counted", pages)`` and stop.
    """
    started = time.perf_counter()
    layout = lay_out(plan, book, part, print_marks)
    if count_only:
        yield ("counted", layout.pages)
        return
    first = yield ("laid", layout.pages)
    layout.number_from(first)
    for page, paragraph in layout.broken_turns:  # as pdf_turns.warn says it, with the page's folio
        LOGGER.warning("page %s, a recto, ends with a word hyphenated across the turn of the leaf "
                       "(paragraph %s): no layout was left to set it otherwise", first + page - 1, paragraph)
    pdf_spreads.warn(layout.uneven_spreads, first, LOGGER)
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


def lay_out(plan: BuildPlan, book: Book, part: Part, print_marks: bool,
            max_layouts: int | None = None, scratch: bool = False) -> pdf_layout.Layout:
    """The part laid out, with remedies for the notes a layout left off their call's page,
    and for the words a layout hyphenated across the turn of a leaf (a part opens on a recto).

    The remedies that only restyle a block (a paragraph's orphans, a page
    break before it, no hyphenation) are found as the pages are made, one
    page behind (``_Watch``), and the pagination goes back to the page before
    that block and on again (``pdf_layout``): a note carried overleaf costs
    a page or two made again, not a layout. The whole layout is checked as
    before, after; a round whose remedies only restyle blocks lays the part
    out again from the page before the first of them (``Layout.restyle``),
    and one that cuts a note into lines or shortens a page (new HTML, new
    page CSS) from its first page. With *scratch* (or ``PUBLISH_PDF_FROM_SCRATCH=1``)
    every round is a whole layout and nothing is found as the pages are made.
    """
    scratch = scratch or pdf_layout.from_scratch()
    remedies = pdf_notes.Remedies()
    unhyphenated: set[str] = set()  # paragraphs that would end a recto mid-word (pdf_turns.py)
    shortened = pdf_spreads.Shortened()  # pages made short so that their spread ends level (pdf_spreads.py)
    sheets = _Sheets(plan, book)
    layouts = max_layouts or MAX_LAYOUTS
    # A budget of one layout tries no remedy, not even as the pages are made.
    watch = None if scratch or layouts < 2 else _Watch(remedies, unhyphenated, shortened,
                                                        _pages_sheet(book, print_marks, sheets))
    layout = _lay_out_once(plan, book, part, remedies, print_marks, unhyphenated, shortened, sheets, watch)
    first_pages = layout.pages
    for attempt in range(layouts):
        found = pdf_notes.remedies(layout.document, remedies)
        new_turns = pdf_turns.hyphenated_rectos(layout.document) - unhyphenated
        unhyphenated |= new_turns
        splits = len(remedies.split)
        # Spreads last: their remedy is by page, and the others move text across pages.
        spreads = False
        if remedies.add(found) or new_turns:
            restyled = len(remedies.split) == splits
        elif pdf_spreads.shorten(layout.document, shortened):
            restyled, spreads = False, True
        else:
            break
        if attempt + 1 == layouts:
            break
        if spreads and not scratch and not _needs_layout(layout.made_with[2] if layout.made_with else None,
                                                         shortened) \
                and _repaged(book, print_marks, shortened, sheets, layout, watch):
            layout.made_with = _made_with(remedies, unhyphenated, shortened)
            continue
        layout = _again(plan, book, part, remedies, print_marks, unhyphenated, shortened, sheets, layout,
                        restyled and not scratch, watch)
    if part.chapters and remedies.breaks and _short_ending(layout, None if watch else first_pages):
        # A page of the chapter's last lines that only the remedies made: let
        # those paragraphs leave one line at the foot instead of moving whole.
        breaks = set(remedies.breaks)
        remedies.orphans |= breaks
        remedies.breaks = set()
        before = layout.pages
        layout = _again(plan, book, part, remedies, print_marks, unhyphenated, shortened, sheets, layout,
                        not scratch)
        if watch is not None and layout.pages >= before:
            # Not made by the breaks (they were found as the pages were made: no layout without them to
            # compare with), so the notes keep their pages. Each block had orphans before its break: it keeps them.
            remedies.breaks = breaks
            layout = _again(plan, book, part, remedies, print_marks, unhyphenated, shortened, sheets, layout, True)
        found = pdf_notes.remedies(layout.document, remedies)
    for place in found.misplaced():
        LOGGER.warning("a note is not wholly on the page of its call (%s)", place)
    layout.broken_turns = pdf_turns.broken_turns(layout.document)  # told once the part's folios are known
    layout.uneven_spreads = pdf_spreads.left_uneven(layout.document, shortened)  # likewise
    return layout


class _Watch:
    """The remedies found as the pages are made (``pdf_layout.lay_out``'s *watch*), into the part's own sets.

    A note called on the page before the last one made and set on the last
    one gives that page's last block ``orphans: 1``, or, if it had that
    already, a page break (pdf_notes.remedies's ladder); a recto just made
    whose last line ends in an added hyphen gives its paragraph no hyphenation
    (pdf_turns.py; a part opens on a recto, so the rectos are the even indices).
    With neither, the spreads whose pages are all made (and the page after
    them, which tells whether a chapter ends on them) are levelled
    (pdf_spreads.shorten, as after a layout): new page rules, from their page.
    A spread is judged on its pages as they are then: when the pagination
    goes back to one of them (or to the page after), what was decided from
    that spread on is undone (``rewind``), and judged again as it is made again.
    """

    def __init__(self, remedies: pdf_notes.Remedies, unhyphenated: set[str], shortened: pdf_spreads.Shortened,
                 pages_sheet):
        self.remedies, self.unhyphenated, self.shortened = remedies, unhyphenated, shortened
        self.pages_sheet = pages_sheet  # shortened → the page stylesheet (pdf_html.page_css) with its rules
        self.decided: list[tuple[int, pdf_spreads.Shortened]] = []  # (pages seen, shortened before), in order

    def __call__(self, pages: list):
        found = pdf_notes.overleaf_blocks(pages, self.remedies) if len(pages) >= 2 else pdf_notes.Remedies()
        new = self.remedies.add(found)
        if len(pages) % 2:  # the last page made is a recto
            paragraph = pdf_turns.hyphenated_foot(pages[-1])
            if paragraph is not None and paragraph not in self.unhyphenated:
                self.unhyphenated.add(paragraph)
                new = True
        sheet = None
        if not new and len(pages) >= 4 and not len(pages) % 2:  # a spread (verso, recto) and the page after it
            before = copy.deepcopy(self.shortened)
            if pdf_spreads.shorten(pdf_notes.Pages(pages), self.shortened) and _needs_layout(before, self.shortened):
                # a stretched space, a shrunk heading, a floated figure: restyled or moved blocks, not page
                # rules; left to the round after this layout, which lays the part out again
                vars(self.shortened).update(vars(before))
            elif self.shortened.lines != before.lines or self.shortened.tight != before.tight:
                self.decided.append((len(pages), before))
                changed = _changed_pages(before, self.shortened)
                if changed:
                    sheet = (PAGE_SHEET, self.pages_sheet(self.shortened), min(changed))
            elif self.shortened != before:  # only settled: judged, nothing to lay out again
                self.decided.append((len(pages), before))
        if not new and sheet is None:
            return None
        return self.remedies.orphans, self.remedies.breaks, self.unhyphenated, sheet

    def rewind(self, page: int):
        """Undo what was decided from pages made again from *page* on: the page stylesheet to go back to, or None."""
        undone = next((at for at, (seen, _) in enumerate(self.decided) if seen > page), None)
        if undone is None:
            return None
        before = self.decided[undone][1]
        del self.decided[undone:]
        changed = _changed_pages(before, self.shortened)
        self.shortened.lines, self.shortened.settled, self.shortened.tight = (
            dict(before.lines), set(before.settled), set(before.tight))
        if not changed:
            return None
        return PAGE_SHEET, self.pages_sheet(self.shortened), min(changed)


def _needs_layout(before: pdf_spreads.Shortened | None, after: pdf_spreads.Shortened) -> bool:
    """Whether *after* restyles or moves blocks (pdf_spreads' stretches, shrunk headings, floated figures, fitted
    pictures): a new layout, not a re-pagination with new page rules."""
    before = before or pdf_spreads.Shortened()
    return (before.stretch, before.shrink, before.floats, before.fit) != (after.stretch, after.shrink, after.floats,
                                                                          after.fit)


def _changed_pages(before: pdf_spreads.Shortened, after: pdf_spreads.Shortened) -> set[int]:
    """The pages whose rules *after* sets otherwise than *before* (lines taken off, a tighter note area)."""
    return ({index for index in before.lines.keys() | after.lines.keys()
             if before.lines.get(index) != after.lines.get(index)} | (before.tight ^ after.tight))


def _again(plan: BuildPlan, book: Book, part: Part, remedies: pdf_notes.Remedies, print_marks: bool,
           unhyphenated: set[str], shortened: pdf_spreads.Shortened, sheets: _Sheets, layout: pdf_layout.Layout,
           restyle: bool, watch=None) -> pdf_layout.Layout:
    """The part laid out with these remedies: *layout* restyled (if *restyle* and it can be), else from scratch."""
    if restyle and layout.restyle(remedies.orphans, remedies.breaks, unhyphenated, watch):
        layout.made_with = _made_with(remedies, unhyphenated, shortened)
        return layout
    return _lay_out_once(plan, book, part, remedies, print_marks, unhyphenated, shortened, sheets, watch)


def _repaged(book: Book, print_marks: bool, shortened: pdf_spreads.Shortened, sheets: _Sheets,
             layout: pdf_layout.Layout, watch) -> bool:
    """*layout* laid out again with *shortened*'s page rules, from the first page they changed (``Layout.repage``).

    Only the page stylesheet changes (``@page :nth()`` rules, pdf_spreads.py),
    so the pages before the first one whose rules differ are kept.
    """
    before = layout.made_with[2] if layout.made_with else pdf_spreads.Shortened()
    changed = _changed_pages(before, shortened)
    return layout.repage(PAGE_SHEET, _pages_sheet(book, print_marks, sheets)(shortened),
                         min(changed) if changed else None, watch)


def _pages_sheet(book: Book, print_marks: bool, sheets: _Sheets):
    """shortened → the part's page stylesheet with its rules (as _lay_out_once makes it)."""
    weasyprint = weasy.load()
    return lambda shortened: weasyprint.CSS(string=pdf_html.page_css(book.metadata, print_marks, shortened),
                                            font_config=sheets.fonts)


def _made_with(remedies: pdf_notes.Remedies, unhyphenated: set[str], shortened: pdf_spreads.Shortened) -> tuple:
    return copy.deepcopy((remedies, set(unhyphenated), shortened))


def _short_ending(layout: pdf_layout.Layout, first_pages: int | None) -> bool:
    """Whether the part ends on a page of a line or two that the remedies made (*first_pages*: the part's pages
    without them; None: not known, as when they were found as the pages were made)."""
    last = layout.document.pages[-1]
    return (first_pages is None or layout.pages > first_pages) and pdf_notes.text_lines(last) <= SHORT_ENDING


class _Sheets:
    """print.css parsed once for all of a part's layouts, with the font configuration its @font-face rules fill."""

    def __init__(self, plan: BuildPlan, book: Book):
        weasyprint = weasy.load()  # one clear line if WeasyPrint or its system libraries are missing
        from weasyprint.text.fonts import FontConfiguration

        self.fetcher = pdf_weasy.confined_fetcher([book.root, plan.styles.root])
        self.fonts = FontConfiguration()
        self.print_css = weasyprint.CSS(filename=str(plan.styles.stylesheet("print.css")), url_fetcher=self.fetcher,
                                        font_config=self.fonts)


def _lay_out_once(plan: BuildPlan, book: Book, part: Part, remedies: pdf_notes.Remedies, print_marks: bool,
                  unhyphenated: set[str] = frozenset(), shortened: pdf_spreads.Shortened | None = None,
                  sheets: _Sheets | None = None, watch=None) -> pdf_layout.Layout:
    weasyprint = weasy.load()
    from weasyprint.urls import FatalURLFetchingError

    try:
        sheets = sheets or _Sheets(plan, book)
        fonts = sheets.fonts
        css = [
            sheets.print_css,
            weasyprint.CSS(string=pdf_html.page_css(book.metadata, print_marks, shortened), font_config=fonts),
            weasyprint.CSS(string=part_css(book, remedies, part.blank, part.numbers), font_config=fonts),
        ]
        text = html(plan, book, part, remedies, unhyphenated, shortened.floats if shortened else None)
        layout = pdf_layout.lay_out(text, str(book.root.resolve()) + "/", css, sheets.fetcher, fonts, watch)
        layout.made_with = _made_with(remedies, unhyphenated, shortened or pdf_spreads.Shortened())
        return layout
    except FatalURLFetchingError as error:
        cause = error.__cause__
        if isinstance(cause, PublishError):
            raise cause from None
        raise ToolError(f"WeasyPrint could not read a resource: {error}") from None


def title(part: Part) -> str:
    return part.chapters[0].title if part.chapters else part.name
