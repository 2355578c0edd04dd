"""The PDF editions: a digital PDF/UA-1 and a print-ready PDF/X-4, from one layout.

The book is laid out once by WeasyPrint (with the print variant's bleed and
crop marks), then written twice: as the print-ready file, and as the digital
file whose pages are the same pages seen without bleed or marks.

WeasyPrint is imported inside the functions that need it: it costs most of a
second, and ``publish build -f epub`` must not pay for it.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from publish import plan as plans
from publish import render, weasy
from publish.book import Book
from publish.editions import pdf_html, pdf_notes, pdf_spreads, pdf_turns, pdf_weasy
from publish.errors import PublishError, ToolError
from publish.output import write_bytes
from publish.plan import REPORT, BuildPlan, Edition
from publish.worker import Worker

LOGGER = logging.getLogger(__name__)
# A first layout, and at most three more to give misplaced notes, and rectos ending mid-word, a remedy
# (they share the layouts: what is still wrong after the last is reported as a warning).
MAX_LAYOUTS = 6


class LayoutWarnings(ToolError):
    """Raised by the PDF edition in a strict build when WeasyPrint warned."""


def write(plan: BuildPlan, book: Book, chapters: list[render.RenderedChapter], out: Path) -> list[Path]:
    """Write the PDF editions the plan asks for (``<slug>.pdf``, ``<slug>-print.pdf``) into *out*."""
    variants = plan.wanted("pdf")
    with captured_warnings() as warnings:
        # 1. Lay the book out once, with the print variant's bleed and marks.
        document = layout(plan, book, chapters, print_marks=any(v.name == "print" for v in variants))
        # 2. Write each variant from that one layout, in memory, side by side.
        pdfs = _write_variants(plan, document, variants, book, warnings)
    # 3. Report WeasyPrint's warnings; a strict build fails on them before writing anything.
    _report(warnings, plan.strict)
    # 4. Write the files atomically.
    return [write_bytes(out / variant.path(book.slug), pdfs[variant.name]) for variant in variants]


def _write_variants(plan: BuildPlan, document, variants: tuple[Edition, ...], book: Book,
                    warnings: list[str]) -> dict[str, bytes]:
    """The bytes of each variant; a second variant is written by a forked worker that inherits the layout.

    The first is written here, under the caller's capture of warnings; a
    worker captures its own and hands them back with its bytes.
    """
    def one(variant: Edition) -> bytes:
        return pdf_weasy.write_variant(document, variant.pdf_variant, book, plan.styles)

    def in_worker(variant: Edition) -> tuple[bytes, list[str]]:
        with captured_warnings() as found:
            data = one(variant)
        return data, found

    others = {variant.name: Worker(lambda: None, lambda _, v=variant: in_worker(v)) for variant in variants[1:]}
    for worker in others.values():
        worker.send(None)
    pdfs = {variant.name: one(variant) for variant in variants[:1]}
    for name, worker in others.items():
        pdfs[name], found = worker.result()
        warnings.extend(found)
    return pdfs


def layout(plan: BuildPlan, book: Book, chapters: list[render.RenderedChapter], print_marks: bool = True):
    """The book laid out and paginated by WeasyPrint (a ``weasyprint.Document``).

    A note that is not wholly on the page of its call is found in one layout
    and given a remedy in the next (pdf_notes.py): set line by line so that
    it can continue on the following page, or given room on its page.
    """
    remedies = pdf_notes.Remedies()
    unhyphenated: set[str] = set()  # paragraphs that would end a recto mid-word (pdf_turns.py)
    shortened = pdf_spreads.Shortened()  # pages made short so that their spread ends level (pdf_spreads.py)
    for _attempt in range(MAX_LAYOUTS):
        html_text = pdf_html.document(plan, book, chapters, remedies, unhyphenated=unhyphenated)
        document = _layout_once(plan, book, html_text, print_marks, shortened)
        found = pdf_notes.remedies(document, remedies)
        new_splits = {key: lines for key, lines in found.split.items() if key not in remedies.split}
        new_breaks = found.breaks - remedies.breaks
        new_turns = pdf_turns.hyphenated_rectos(document) - unhyphenated
        # Spreads last: their remedy is by page, and the others move text across pages.
        if not (new_splits or new_breaks or new_turns or pdf_spreads.shorten(document, shortened)):
            break
        remedies.split |= new_splits
        remedies.breaks |= new_breaks
        unhyphenated |= new_turns
    for place in sorted(found.split.keys() | {f"the note before block {block}" for block in found.breaks}):
        LOGGER.warning("a note is not wholly on the page of its call (%s)", place)
    pdf_turns.warn(document, LOGGER)
    return document


def _layout_once(plan: BuildPlan, book: Book, html_text: str, print_marks: bool,
                 shortened: pdf_spreads.Shortened | None = None):
    weasyprint = weasy.load()  # one clear line if WeasyPrint or its system libraries are missing
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetcher = pdf_weasy.confined_fetcher([book.root, plan.styles.root])
    fonts = FontConfiguration()
    html = weasyprint.HTML(string=html_text, base_url=str(book.root.resolve()) + "/", url_fetcher=fetcher)
    sheets = [
        weasyprint.CSS(filename=str(plan.styles.stylesheet("print.css")), url_fetcher=fetcher, font_config=fonts),
        weasyprint.CSS(string=pdf_html.page_css(book.metadata, print_marks, shortened), font_config=fonts),
    ]
    try:
        return html.render(stylesheets=sheets, font_config=fonts)
    except FatalURLFetchingError as error:
        cause = error.__cause__
        if isinstance(cause, PublishError):
            raise cause from None
        raise ToolError(f"WeasyPrint could not read a resource: {error}") from None


def captured_warnings() -> contextlib.AbstractContextManager[list[str]]:
    """Collect the warnings WeasyPrint (and this edition) log while the block runs."""
    return plans.collected([logging.getLogger("weasyprint"), LOGGER], logging.WARNING)


def _report(warnings: list[str], strict: bool) -> None:
    unique = list(dict.fromkeys(warnings))
    for message in unique:
        REPORT.info("pdf   warning: %s", message)
    if strict and unique:
        raise LayoutWarnings(f"WeasyPrint warned {len(unique)} time(s) (strict build): " + "; ".join(unique))

