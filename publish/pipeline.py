"""Parse once, filter once: the manuscript's chapters as filtered pandoc ASTs.

Every edition, the check and the diff start from what ``parse_book`` returns,
so they cannot disagree about the text or the notes.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import panflute as pf

from publish import cache, filters, nesting, pandoc, safety
from publish.book import Book, Chapter
from publish.errors import NoteError, PublishError
from publish.plan import BuildPlan

UNUSED_NOTE = re.compile(r"Note with key '(?P<label>[^']*)' defined .*but not used")
DUPLICATE_NOTE = re.compile(r"Duplicate note reference '(?P<label>[^']*)'")


@dataclass
class FilteredChapter:
    chapter: Chapter
    doc: pf.Doc
    key: str = ""  # all that shapes the filtered AST, hashed (cache.chapter_keys); "" when parsed without a plan

    @property
    def id(self) -> str:
        return self.chapter.id


Ast = list[FilteredChapter]


def parse_book(book: Book, plan: BuildPlan | None = None) -> Ast:
    """Each chapter parsed once by pandoc (in parallel), then filtered in process.

    With a *plan*, a chapter whose key (its text, the code, the tools'
    versions, the raw-HTML policy: ``cache.chapter_keys``) is unchanged since
    the last build into ``plan.out`` is read back filtered instead of parsed
    again, unless the plan forces a rebuild.
    """
    raw_html = plan.raw_html if plan is not None else book.metadata.raw_html
    cache_dir = plan.out / cache.CHAPTERS if plan is not None else None
    keys = cache.chapter_keys(plan, book) if plan is not None else {}
    cached = {c.id: _load_cached(cache_dir, keys[c.id]) for c in book.chapters} if plan and not plan.force else {}
    todo = [chapter for chapter in book.chapters if cached.get(chapter.id) is None]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parsed = dict(zip([c.id for c in todo], pool.map(lambda c: pandoc.parse(c.text, c.path), todo),
                          strict=True))
    ast = []
    for chapter in book.chapters:
        if cached.get(chapter.id) is not None:
            filtered = FilteredChapter(chapter, cached[chapter.id], keys[chapter.id])
            _check_safety(book, chapter, filtered.doc, raw_html)
        else:
            filtered = _filter(book, chapter, *parsed[chapter.id], raw_html)
            filtered.key = keys.get(chapter.id, "")
            if cache_dir:
                _save_cached(cache_dir, keys[chapter.id], filtered.doc)
        ast.append(filtered)
    if cache_dir and cache_dir.is_dir():  # keep only the current chapters' entries
        for stale in set(cache_dir.glob("*.json")) - {cache_dir / f"{key}.json" for key in keys.values()}:
            stale.unlink(missing_ok=True)
    return ast


def _load_cached(cache_dir: Path, key: str) -> pf.Doc | None:
    try:
        return pf.load(io.StringIO((cache_dir / f"{key}.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


def _save_cached(cache_dir: Path, key: str, doc: pf.Doc) -> None:
    from publish.output import write_bytes

    # a cache that cannot be written only costs time
    with contextlib.suppress(OSError, PublishError):
        write_bytes(cache_dir / f"{key}.json", json.dumps(doc.to_json()).encode("utf-8"))


def _check_safety(book: Book, chapter: Chapter, doc: pf.Doc, raw_html: str) -> None:
    try:
        safety.check_chapter(doc, book.root, chapter.path, chapter.text, raw_html)
    except PublishError as error:
        error.path = error.path or chapter.path
        raise


def _filter(book: Book, chapter: Chapter, ast: dict, warnings: list[pandoc.Warning],
            raw_html: str) -> FilteredChapter:
    for warning in warnings:
        unused = UNUSED_NOTE.search(warning.message)
        if unused:
            raise NoteError(f"note [^{unused['label']}] is never called in the text", chapter.path, warning.line)
        duplicate = DUPLICATE_NOTE.search(warning.message)
        if duplicate:
            message = f"note [^{duplicate['label']}] is defined twice in this chapter"
            raise NoteError(message, chapter.path, warning.line)
    doc = pf.load(io.StringIO(json.dumps(ast)))
    nesting.check_notes(doc, chapter.text, chapter.path)  # notes in notes, notes in captions: before numbering
    try:
        doc = filters.apply(doc, chapter.id, book.metadata.lang, _folder(book, chapter))
        safety.check_chapter(doc, book.root, chapter.path, chapter.text, raw_html)
    except PublishError as error:
        error.path = error.path or chapter.path
        error.line = error.line or _line_of_call(chapter.text, error.message)
        raise
    return FilteredChapter(chapter, doc)


def _folder(book: Book, chapter: Chapter) -> str:
    """The chapter's folder relative to the manuscript, in URL form ("" at the top)."""
    folder = chapter.path.parent.resolve().relative_to(book.root.resolve())
    return "" if folder == Path(".") else folder.as_posix()


def _line_of_call(text: str, message: str) -> int | None:
    """The line of the first call ``[^label]`` (not its definition) named in *message*."""
    label = re.search(r"\[\^([^\]]+)\]", message)
    if not label:
        return None
    call = re.compile(re.escape(f"[^{label[1]}]") + r"(?!:)")
    for number, line in enumerate(text.splitlines(), 1):
        if call.search(line):
            return number
    return None
