"""``publish lint``: what a copy-editor would mark in the manuscript, with its place in the source.

Each rule has a stable code (rules.py). The checks read the Markdown source,
so lines and columns are the author's; pandoc's AST only says what is code or
mathematics. Accepted exceptions live in ``lint-ignore.yaml`` beside
``book.yaml`` (ignore.py). Exit codes: 0 clean, 1 findings; trouble (a
PublishError) reaches the CLI, which exits with the error's own code.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from publish import pandoc
from publish.book import Book, load_book
from publish.lint import consistency, ignore, notes, punctuation, quotes, report, source, spacing
from publish.lint.inline import Protected
from publish.lint.rules import RULES, Finding

CHECKS = (spacing, punctuation, quotes, notes, consistency)
__all__ = ["RULES", "Finding", "Result", "lint", "run"]


@dataclass
class Result:
    findings: list[Finding]
    ignored: list[tuple[Finding, ignore.Entry]] = field(default_factory=list)
    unused: list[ignore.Entry] = field(default_factory=list)


def run(manuscript: Path, output_format: str = "text") -> int:
    """Lint *manuscript* and print the report; 1 if anything is found, 0 if clean (a PublishError is raised)."""
    book = load_book(manuscript)
    result = lint(book)
    if output_format == "json":
        print(report.as_json(result.findings, result.ignored, result.unused))
    else:
        print(report.as_text(result.findings, result.ignored, result.unused), end="")
    return 1 if result.findings else 0


def lint(book: Book) -> Result:
    """Every finding in *book*, in book order, with the accepted exceptions set apart."""
    sources = _read(book)
    order = {chapter.path: index for index, chapter in enumerate(book.chapters)}
    found = {finding for check in CHECKS for finding in check.check(sources, book)}
    findings = sorted(found, key=lambda f: (order.get(f.path, -1), f.line, f.column, f.code))
    entries = ignore.load(book)
    kept, ignored, unused = ignore.apply(findings, entries)
    return Result(kept, ignored, unused)


def _read(book: Book) -> list[source.Source]:
    """Each chapter parsed by pandoc (in parallel) to learn what is code, then read as prose."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        asts = list(pool.map(lambda chapter: pandoc.parse(chapter.text)[0], book.chapters))
    return [source.read(chapter, Protected.from_ast(ast)) for chapter, ast in zip(book.chapters, asts, strict=True)]
