"""The PDF editions: a digital PDF/UA-1 and a print-ready PDF/X-4, from one layout.

Chapters open on rectos, so the book is laid out part by part (the front
matter, then each chapter, pdf_parts.py) on every core (pdf_pool.py), each
part once with the print variant's bleed and crop marks and written twice:
as print-ready pages, and as the same pages seen without bleed or marks.
The parts' files are then joined, a blank verso before a chapter that would
open on one (pdf_join.py). Each part's files are kept in the output folder's
cache by a key of all that shapes them, so an edit re-lays only its chapter.

Folios are values, apart from the physical pages: the front matter and its
chapters run on in roman from the title page; the first body chapter starts
again at 1, so a body chapter's folios depend only on the body chapters
before it. The contents page of a long book gives every chapter's first
folio, so the front matter is written last (and, if a front-matter chapter's
folios depend on its length, first laid out once only to be counted).

WeasyPrint is imported inside the functions that need it: it costs most of a
second, and ``publish build -f epub`` must not pay for it.
"""

from __future__ import annotations

from pathlib import Path

from publish import render
from publish.book import Book
from publish.editions import pdf_cache, pdf_join, pdf_parts, pdf_pool, pdf_spreads, pdf_turns
from publish.errors import ToolError
from publish.output import write_bytes
from publish.plan import PROGRESS, REPORT, BuildPlan

LOGGER = pdf_pool.LOGGER
captured_warnings = pdf_pool.captured_warnings
MAX_LAYOUTS = pdf_parts.MAX_LAYOUTS  # of the book laid out whole (``layout``); each part's: pdf_parts.py
MAX_ROUNDS = 3  # a contents page whose numbers change the front matter's length: the parts after it again


class LayoutWarnings(ToolError):
    """Raised by the PDF edition in a strict build when WeasyPrint warned."""


def write(plan: BuildPlan, book: Book, chapters: list[render.RenderedChapter], out: Path, *,
          workers: int | None = None) -> list[Path]:
    """Write the PDF editions the plan asks for (``<slug>.pdf``, ``<slug>-print.pdf``) into *out*.

    Each chapter is reported (``publish.progress``) as it is laid out; each
    part's files are kept in ``plan.out``'s cache for the next build;
    *workers* is how many processes lay parts out (default: the machine's cores).
    """
    variants = plan.wanted("pdf")
    with captured_warnings() as warnings:
        # 1. Lay out every part on every core and write its variants; reuse what the cache holds.
        book_parts = _Parts(plan, book, chapters)
        warnings += book_parts.make(workers or pdf_pool.machine_workers())
        # 2. Join each variant's parts into one file (the variants side by side, on as many cores).
        pdfs = pdf_join.join_variants({variant.name: book_parts.files(variant.name) for variant in variants},
                                      min(workers or pdf_pool.machine_workers(), pdf_pool.machine_workers()))
    # 3. Report WeasyPrint's warnings; a strict build fails on them before writing anything.
    _report(warnings, plan.strict)
    # 4. Write the files atomically, and keep the parts laid out for the next build.
    written = [write_bytes(out / variant.path(book.slug), pdfs[variant.name]) for variant in variants]
    book_parts.cache.save()
    return written


def layout(plan: BuildPlan, book: Book, chapters: list[render.RenderedChapter], print_marks: bool = True):
    """The whole book laid out as one WeasyPrint document, with its remedies (for checks and tests)."""
    whole = pdf_parts.Part("book", chapters, front=True, listed=chapters)
    laid = pdf_parts.lay_out(plan, book, whole, print_marks, MAX_LAYOUTS)
    pdf_turns.warn(laid.document, LOGGER)
    pdf_spreads.warn(laid.uneven_spreads, 1, LOGGER)
    return laid.document


class _Parts:
    """The book's parts, their page counts and folios, and their files per variant."""

    def __init__(self, plan: BuildPlan, book: Book, chapters):
        self.plan, self.book, self.variants = plan, book, plan.wanted("pdf")
        self.print_marks = any(variant.name == "print" for variant in self.variants)
        self.parts = [*pdf_parts.parts(chapters), pdf_parts.BLANK]
        # where the arabic folios start (1): the first body chapter's part
        self.body = next((index for index, part in enumerate(self.parts)
                          if part.chapters and part.chapters[0].matter != "front"), len(self.parts))
        # the front matter's length matters before its contents page is numbered only to front-matter chapters
        self.count_front = self.parts[0].contents and self.body > 1
        self.cache = pdf_cache.Cache(plan.out / ".publish-cache", pdf_parts.code_digest(plan))
        self.pages: dict[int, int] = {}
        self.pdfs: dict[int, dict[str, bytes]] = {}
        self.placed: dict[int, str] = {}  # the placement (pdf_parts.placement) each part's files were made for
        self.sent: dict[int, tuple[int, dict | None]] = {}  # the first folio and numbers each task was given
        self.foreign: dict[int, list[str]] = {}  # each part's stand-in destinations for links to other parts
        self.started: set[int] = set()
        self.reported: set[int] = set()
        self.warnings: list[str] = []
        self.keys: dict[int, str] = {}
        for index in range(len(self.parts)):
            found = self.cache.get(self._key(index, None))
            if found is not None:
                self.pages[index] = found["pages"]

    def make(self, workers: int) -> list[str]:
        for _round in range(MAX_ROUNDS):
            todo = sum(1 for index in range(len(self.parts)) if index not in self.pdfs)
            pdf_pool.run(self._task, self._next, self._first, min(workers, todo + self.count_front),
                         self._laid, self._done, self._counted)
            stale = [index for index in self.pdfs if self.placed[index] != self._placement(index)]
            if not stale:
                break
            for index in stale:  # made for folios that the front matter's final length moved
                del self.pdfs[index]
                self.started.discard(index)
        indexes = range(len(self.parts))
        self.cache.used = {self._key(i, None) for i in indexes} | {self._key(i, self._placement(i)) for i in indexes}
        return self.warnings

    def folio(self, index: int) -> int | None:
        """Part *index*'s first folio (None until the parts it follows are counted); the blank verso's is 1.

        Every part opens on a recto: a part of an odd count of pages is followed by a blank verso.
        """
        if self.parts[index].blank:
            return 1
        value = 1
        for before in range(self.body if index >= self.body else 0, index):
            if before not in self.pages:
                return None
            value += self.pages[before] + self.pages[before] % 2
        return value

    def numbers(self) -> dict[str, str] | None:
        """Each chapter's first folio as the contents page gives it, once every chapter's is known."""
        numbers = {}
        for index, part in enumerate(self.parts[1:-1], start=1):
            value = self.folio(index)
            if value is None:
                return None
            numbers[part.chapters[0].id] = pdf_parts.folio_text(value, part.chapters[0])
        return numbers

    def files(self, variant: str) -> tuple[list[bytes], list[list[str]]]:
        """The files to join, in order (a blank verso after a part of an odd count of pages), and their stand-ins."""
        blank = self.pdfs[len(self.parts) - 1][variant]
        files, stand_ins = [], []
        for index in range(len(self.parts) - 1):
            if index and self.pages[index - 1] % 2:
                files.append(blank)
                stand_ins.append([])
            files.append(self.pdfs[index][variant])
            stand_ins.append(self.foreign.get(index, []))
        return files, stand_ins

    def _placement(self, index: int) -> str | None:
        """What, beyond its own content, shapes part *index*'s files: its first folio, its contents' numbers."""
        value = self.folio(index)
        if value is None or not self.parts[index].contents:
            return None if value is None else str(value)
        numbers = self.numbers()
        return None if numbers is None else pdf_parts.placement(value, numbers)

    def _next(self) -> tuple[int, tuple[bool, dict | None]] | None:
        """The next part to hand out, and whether only to count it and its contents' numbers.

        Parts whose files the cache holds are taken from it instead.
        """
        for index in range(len(self.parts)):
            if index in self.started or index in self.pdfs:
                continue
            if index not in self.pages and not (index == 0 and self.parts[0].contents):
                return self._hand_out(index, False, None)
            placement = self._placement(index)
            if placement is None:
                if index == 0 and self.count_front and index not in self.pages:
                    return self._hand_out(index, True, None)  # counted now, written once every chapter is
                continue  # its start (or its contents' numbers) not known yet
            found = self.cache.get(self._key(index, placement))
            cached = self.cache.files(self._key(index, placement), tuple(v.name for v in self.variants))
            if cached is None or found is None:
                return self._hand_out(index, False, self.numbers() if self.parts[index].contents else None)
            self.pdfs[index], self.placed[index] = cached, placement
            self.pages[index], self.foreign[index] = found["pages"], found.get("foreign", [])
        return None

    def _hand_out(self, index: int, count_only: bool, numbers: dict | None) -> tuple:
        self.started.add(index)
        self.sent[index] = (0, numbers)
        return index, (count_only, numbers)

    def _first(self, index: int) -> int | None:
        """Part *index*'s first folio, for the pool to send its task (recorded: its files are placed there)."""
        value = self.folio(index)
        if value is not None:
            self.sent[index] = (value, self.sent[index][1])
        return value

    def _task(self, index: int, extra: tuple[bool, dict | None]):
        """Part *index*'s task (run in a worker forked with this object: what changed since is in *extra*)."""
        count_only, numbers = extra
        part = pdf_parts.with_numbers(self.parts[index], numbers)
        return pdf_parts.part_task(self.plan, self.book, part, self.variants, self.print_marks, count_only)

    def _laid(self, index: int, pages: int) -> None:
        self.pages[index] = pages
        part = self.parts[index]
        if not part.blank and index not in self.reported:
            self.reported.add(index)
            what = f"chapter {index} of {len(self.parts) - 2}, {pdf_parts.title(part)}" if index else "front matter"
            PROGRESS.info("laying out the PDF: %s laid out, %d page%s", what, pages, "" if pages == 1 else "s")

    def _counted(self, index: int, pages: int, warnings: list[str]) -> None:
        self._laid(index, pages)
        self.started.discard(index)
        self.warnings += warnings
        self.cache.put(self._key(index, None), {"pages": pages})

    def _done(self, index: int, value: tuple) -> None:
        pdfs, _seconds, warnings, foreign = value
        first, numbers = self.sent[index]
        placement = pdf_parts.placement(first, numbers) if self.parts[index].contents else str(first)
        self.pdfs[index], self.foreign[index], self.placed[index] = pdfs, foreign, placement
        self.warnings += warnings
        self.cache.put(self._key(index, None), {"pages": self.pages[index]})
        self.cache.put(self._key(index, self.placed[index]), {"pages": self.pages[index], "foreign": foreign},
                       pdfs)

    def _key(self, index: int, placement: str | None) -> str:
        """The key of a part's page count (*placement* None) or of its files placed at *placement*."""
        if index not in self.keys:  # a key hashes the part's whole HTML: made once
            self.keys[index] = pdf_parts.key(self.plan, self.book, self.parts[index], self.print_marks,
                                             self.cache.code)
        return self.keys[index] if placement is None else pdf_parts.folio_key(self.keys[index], placement)


def _report(warnings: list[str], strict: bool) -> None:
    unique = list(dict.fromkeys(warnings))
    for message in unique:
        REPORT.info("pdf   warning: %s", message)
    if strict and unique:
        raise LayoutWarnings(f"WeasyPrint warned {len(unique)} time(s) (strict build): " + "; ".join(unique))
