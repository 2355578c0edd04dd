"""The PDF editions: a digital PDF/UA-1 and a print-ready PDF/X-4, from one layout.

Chapters open on rectos, so the book is laid out part by part (the front
matter, then each chapter, pdf_parts.py) on every core (pdf_pool.py), each
part once with the print variant's bleed and crop marks and written twice:
as print-ready pages, and as the same pages seen without bleed or marks.
The parts' files are then joined, a blank verso before a chapter that would
open on one, with folios running on (pdf_join.py). Each part's files are
kept in the output folder's cache by a key of all that shapes them, so an
edit re-lays only its chapter.

WeasyPrint is imported inside the functions that need it: it costs most of a
second, and ``publish build -f epub`` must not pay for it.
"""

from __future__ import annotations

import json
from pathlib import Path

from publish import render
from publish.book import Book
from publish.editions import pdf_join, pdf_parts, pdf_pool
from publish.errors import ToolError
from publish.output import write_bytes
from publish.plan import PROGRESS, REPORT, BuildPlan

LOGGER = pdf_pool.LOGGER
captured_warnings = pdf_pool.captured_warnings


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
        # 2. Join each variant's parts into one file.
        pdfs = {variant.name: pdf_join.join(*book_parts.files(variant.name)) for variant in variants}
    # 3. Report WeasyPrint's warnings; a strict build fails on them before writing anything.
    _report(warnings, plan.strict)
    # 4. Write the files atomically, and keep the parts laid out for the next build.
    written = [write_bytes(out / variant.path(book.slug), pdfs[variant.name]) for variant in variants]
    book_parts.cache.save()
    return written


def layout(plan: BuildPlan, book: Book, chapters: list[render.RenderedChapter], print_marks: bool = True):
    """The whole book laid out as one WeasyPrint document, with note remedies (for checks and tests)."""
    whole = pdf_parts.Part("book", chapters, front=True)
    return pdf_parts.lay_out(plan, book, whole, print_marks).document


class _Parts:
    """The book's parts, their page counts and first folios, and their files per variant."""

    def __init__(self, plan: BuildPlan, book: Book, chapters):
        self.plan, self.book, self.variants = plan, book, plan.wanted("pdf")
        self.print_marks = any(variant.name == "print" for variant in self.variants)
        self.parts = [*pdf_parts.parts(chapters), pdf_parts.BLANK]
        self.cache = _Cache(plan.out / ".publish-cache", pdf_parts.code_digest(plan))
        self.pages: dict[int, int] = {}
        self.pdfs: dict[int, dict[str, bytes]] = {}
        self.foreign: dict[int, list[str]] = {}  # each part's stand-in destinations for links to other parts
        self.started: set[int] = set()
        self.warnings: list[str] = []
        self.keys: dict[int, str] = {}
        for index in range(len(self.parts)):
            found = self.cache.get(self._key(index, None))
            if found is not None:
                self.pages[index] = found["pages"]

    def make(self, workers: int) -> list[str]:
        todo = sum(1 for index in range(len(self.parts)) if self._cached(index) is None)
        task = lambda index: pdf_parts.part_task(self.plan, self.book, self.parts[index], self.variants,  # noqa: E731
                                                 self.print_marks)
        pdf_pool.run(task, self._next, self.first_folio, min(workers, todo), self._laid, self._done)
        indexes = range(len(self.parts))
        self.cache.used = {self._key(i, None) for i in indexes} | {self._key(i, self.first_folio(i)) for i in indexes}
        return self.warnings

    def first_folio(self, index: int) -> int | None:
        """Where part *index* starts: after the parts before it, on a recto (odd); the blank verso has no folio."""
        if self.parts[index].blank:
            return 1
        folio = 1
        for before in range(index):
            if before not in self.pages:
                return None
            folio += self.pages[before]
            folio += folio % 2 == 0  # a blank verso, so that the next part opens on a recto
        return folio

    def files(self, variant: str) -> tuple[list[bytes], list[list[str]]]:
        """The files to join, in order (a blank verso where a part would open on one), and their stand-ins."""
        blank = self.pdfs[len(self.parts) - 1][variant]
        files, stand_ins = [], []
        for index in range(len(self.parts) - 1):
            if index and self.first_folio(index) != self.first_folio(index - 1) + self.pages[index - 1]:
                files.append(blank)
                stand_ins.append([])
            files.append(self.pdfs[index][variant])
            stand_ins.append(self.foreign.get(index, []))
        return files, stand_ins

    def _next(self) -> int | None:
        for index in range(len(self.parts)):
            if index in self.started or index in self.pdfs:
                continue
            if index not in self.pages:
                self.started.add(index)
                return index
            if self.first_folio(index) is None:
                continue  # its page count is known; its start is not yet
            cached = self._cached(index)
            if cached is None:
                self.started.add(index)
                return index
            self.pdfs[index] = cached
            self.foreign[index] = (self.cache.get(self._key(index, self.first_folio(index))) or {}).get("foreign", [])
        return None

    def _cached(self, index: int) -> dict[str, bytes] | None:
        first = self.first_folio(index) if index in self.pages else None
        names = tuple(variant.name for variant in self.variants)
        return self.cache.files(self._key(index, first), names) if first is not None else None

    def _laid(self, index: int, pages: int) -> None:
        self.pages[index] = pages
        part = self.parts[index]
        if not part.blank:
            what = f"chapter {index} of {len(self.parts) - 2}, {pdf_parts.title(part)}" if index else "front matter"
            PROGRESS.info("laying out the PDF: %s laid out, %d page%s", what, pages, "" if pages == 1 else "s")

    def _done(self, index: int, value: tuple) -> None:
        pdfs, _seconds, warnings, foreign = value
        self.pdfs[index], self.foreign[index] = pdfs, foreign
        self.warnings += warnings
        self.cache.put(self._key(index, None), {"pages": self.pages[index]})
        self.cache.put(self._key(index, self.first_folio(index)), {"pages": self.pages[index], "foreign": foreign},
                       pdfs)

    def _key(self, index: int, first: int | None) -> str:
        """The key of a part's page count (*first* None) or of its files starting at *first*."""
        if index not in self.keys:  # a key hashes the part's whole HTML: made once
            self.keys[index] = pdf_parts.key(self.plan, self.book, self.parts[index], self.print_marks,
                                             self.cache.code)
        return self.keys[index] if first is None else pdf_parts.folio_key(self.keys[index], first)


class _Cache:
    """Each part's page count (keyed without its first folio) and files (keyed with it), in *folder*.

    What a build adds is written by ``save``, once the edition has succeeded.
    """

    def __init__(self, folder: Path | None, code: str):
        self.folder = folder / "pdf-parts" if folder else None  # None: no cache
        self.code = code
        self.new: dict[str, tuple[dict, dict[str, bytes]]] = {}
        self.used: set[str] = set()

    def get(self, key: str) -> dict | None:
        if self.folder is None:
            return None
        try:
            return json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def files(self, key: str, variants: tuple[str, ...]) -> dict[str, bytes] | None:
        if self.get(key) is None:
            return None
        try:
            return {variant: (self.folder / f"{key}.{variant}.pdf").read_bytes() for variant in variants}
        except OSError:
            return None

    def put(self, key: str, meta: dict, pdfs: dict[str, bytes] | None = None) -> None:
        self.new[key] = (meta, pdfs or {})

    def save(self) -> None:
        """Write what this build laid out; forget the parts of earlier builds that it did not use."""
        if self.folder is None:
            return
        try:  # a cache that cannot be written only costs time
            for key, (meta, pdfs) in self.new.items():
                for variant, data in pdfs.items():
                    write_bytes(self.folder / f"{key}.{variant}.pdf", data)
                write_bytes(self.folder / f"{key}.json", json.dumps(meta).encode())
            for path in self.folder.iterdir():
                if path.name.split(".")[0] not in self.used:
                    path.unlink(missing_ok=True)
        except OSError:
            pass


def _report(warnings: list[str], strict: bool) -> None:
    unique = list(dict.fromkeys(warnings))
    for message in unique:
        REPORT.info("pdf   warning: %s", message)
    if strict and unique:
        raise LayoutWarnings(f"WeasyPrint warned {len(unique)} time(s) (strict build): " + "; ".join(unique))
