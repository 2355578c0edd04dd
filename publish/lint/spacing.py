"""Spacing rules (s-…): doubled spaces, a space before punctuation or a note call, trailing spaces."""

from __future__ import annotations

import re
from collections.abc import Iterator

from publish.book import Book
from publish.lint.rules import Finding
from publish.lint.source import Source, Unit, show

SPACE = " \u00a0\u2009\u202f\u2007"
DOUBLED = re.compile(f"[{SPACE}]{{2,}}")
# A space, then a mark that belongs to the word before; "..." and ".5" are not such marks.
BEFORE_MARK = re.compile(rf"(?<=[^\s{SPACE}])[\n{SPACE}]+(?=[,;:?!]|\.(?![.\d]))")
BEFORE_MARK_FR = re.compile(rf"(?<=[^\s{SPACE}])[\n{SPACE}]+(?=[,]|\.(?![.\d]))")


def check(sources: list[Source], book: Book) -> Iterator[Finding]:
    before_mark = BEFORE_MARK_FR if book.metadata.lang.lower().startswith("fr") else BEFORE_MARK
    for source in sources:
        for unit in source.units:
            yield from _doubled(unit)
            calls = {call.index for call in unit.calls}
            for match in before_mark.finditer(unit.text):
                if match.end() not in calls:  # "word [^1]." is s-003's, not this rule's
                    yield unit.finding("s-002", match.start(), match.start(), match.end() + 1)
            yield from _before_call(unit)
        yield from _trailing(source)


def _doubled(unit: Unit) -> Iterator[Finding]:
    for match in DOUBLED.finditer(unit.text):
        places = unit.places[match.start() : match.end()]
        # Only spaces that stand side by side in the source: markup taken out between them does not count.
        adjacent = all(b == (a[0], a[1] + 1) for a, b in zip(places, places[1:], strict=False))
        at_line_end = unit.text[match.end() : match.end() + 1] in ("", "\n")  # s-004's
        if adjacent and not at_line_end:
            yield unit.finding("s-001", match.start(), match.start(), match.end())


def _before_call(unit: Unit) -> Iterator[Finding]:
    for call in unit.calls:
        if call.index and unit.text[call.index - 1] in SPACE + "\n":
            word = unit.excerpt(call.index - 1, call.index - 1).rstrip()
            label = f"[^{call.label}]" if call.label is not None else "^[…]"
            yield unit.finding("s-003", call.index - 1, excerpt=f"{word} {label}")


def _trailing(source: Source) -> Iterator[Finding]:
    for number, line in enumerate(source.chapter.text.split("\n"), start=1):
        if number in source.prose_lines and line.strip() and line != line.rstrip(SPACE + "\t"):
            column = len(line.rstrip(SPACE + "\t")) + 1
            words = line.rstrip(SPACE + "\t").split()
            yield Finding(source.chapter.path, number, column, "s-004", show(words[-1] + line[column - 1 :]))
