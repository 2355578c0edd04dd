"""Quotation marks (p-003, p-004, p-007, p-008): unpaired quotes, straight among curly, full stops inside.

The hard part is ’, which is both an apostrophe and a closing quote. Between
letters (one’s) or before a word (’tis) it is an apostrophe. After an s
(doctors’, users’) it is a plural possessive unless a quotation is open and
nothing later could close it. After any other letter, or after punctuation
(‘results.’, “no brainer”’), it closes a quotation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from publish.book import Book
from publish.lint.rules import Finding
from publish.lint.source import Source, Unit

OPENING = {"‘": "single", "“": "double"}
CLOSING = {"’": "single", "”": "double"}
CURLY = "‘’“”"
STRAIGHT = "'\""
BRITISH = ("en-gb", "en-au", "en-nz", "en-ie", "en-za", "en-in")


@dataclass
class Quotes:
    """The quotation marks of one unit: matched pairs, closings with no opening, openings left open."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    unopened: list[int] = field(default_factory=list)
    unclosed: list[tuple[int, str]] = field(default_factory=list)  # (index, "single" | "double")


def check(sources: list[Source], book: Book) -> Iterator[Finding]:
    units = [unit for source in sources for unit in source.units]
    british = book.metadata.lang.lower().startswith(BRITISH)
    for position, unit in enumerate(units):
        quotes = scan(unit.text)
        for index in quotes.unopened:
            yield unit.finding("p-004", index)
        following = units[position + 1] if position + 1 < len(units) else None
        for index, kind in quotes.unclosed:
            if not _continues(unit, following, kind):
                yield unit.finding("p-003", index)
        if british:
            yield from _inside(unit, quotes)
    yield from _straight(units)


def scan(text: str) -> Quotes:
    """Pair the quotation marks of *text*, telling apostrophes from closing quotes."""
    tokens = [(k, role, kind) for k, (role, kind) in ((k, _classify(text, k)) for k in range(len(text))) if role]
    quotes = Quotes()
    stack: list[tuple[int, str]] = []
    for position, (k, role, kind) in enumerate(tokens):
        if role == "maybe":  # after an s: a possessive, unless it must close the open quotation
            open_single = bool(stack) and stack[-1][1] == "single"
            if not open_single or _later_close(tokens[position + 1 :]):
                continue
            role = "close"
        if role == "prime":  # closes a quotation of its kind that is open ("6"), else a prime (5' 10")
            if not (stack and stack[-1][1] == kind):
                continue
            role = "close"
        if role == "open":
            stack.append((k, kind))
        elif any(open_kind == kind for _, open_kind in stack):
            while stack[-1][1] != kind:
                quotes.unclosed.append(stack.pop())
            quotes.pairs.append((stack.pop()[0], k))
        else:
            quotes.unopened.append(k)
    quotes.unclosed.extend(stack)
    quotes.unclosed.sort()
    return quotes


def _classify(text: str, k: int) -> tuple[str, str] | tuple[None, None]:
    ch = text[k]
    if ch not in CURLY + STRAIGHT:
        return None, None
    before = text[k - 1] if k else " "
    after = text[k + 1] if k + 1 < len(text) else " "
    if ch in OPENING:
        return "open", OPENING[ch]
    if ch == "”":
        return "close", "double"
    if before.isdigit() and ch in STRAIGHT:
        return "prime", "double" if ch == '"' else "single"  # 5' 10", unless it closes "6"
    kind = "double" if ch == '"' else "single"
    if ch in "'’" and text[k + 1 : k + 2].lower() == "n" and text[k + 2 : k + 3] in ("'", "’") \
            and not text[k + 3 : k + 4].isalnum():
        return None, None  # fish 'n' chips: the opening of "and" elided at both ends
    if ch in STRAIGHT and (before.isspace() or before in "([{‘“—–") and not after.isspace():
        return "open", kind
    if ch == '"':
        return "close", kind
    if before.isalnum() and after.isalnum():
        return None, None  # one’s, King’s
    if before.isspace() or before in "([{—–":
        return None, None  # ’tis, ’90s: an elision
    word = text[:k].rsplit(None, 1)[-1] if text[:k].strip() else ""
    if word.startswith(("’", "'")) and word[1:].lower() == "n":
        return None, None  # rock ’n’ roll: "and" elided at both ends (a quoted word, 'here', is a quotation)
    if before.lower() == "s" and not after.isalnum():
        return "maybe", kind  # doctors’ or a closing quote
    return "close", kind


def _later_close(tokens: list[tuple[int, str, str]]) -> bool:
    """Does a single quote later in the unit close the open one, before another opens?"""
    for _, role, kind in tokens:
        if kind == "single":
            return role != "open"
    return False


def _continues(unit: Unit, following: Unit | None, kind: str) -> bool:
    """A quotation of several paragraphs opens each one and closes only the last."""
    if following is None or following.chapter is not unit.chapter or following.note != unit.note:
        return False
    start = following.text.lstrip()[:1]
    return OPENING.get(start) == kind


def _inside(unit: Unit, quotes: Quotes) -> Iterator[Finding]:
    """‘results.’ : a fragment (it starts in lower case) takes its full stop or comma outside.

    Speech resumed after "he said," (‘Don’t,’ he said, ‘do that.’) is a sentence, not a fragment.
    """
    for start, end in quotes.pairs:
        fragment = end - start > 2 and unit.text[end - 1] in ".," and unit.text[start + 1].islower()
        speech = unit.text[:start].rstrip()[-1:] in (",", ":")
        if fragment and not speech:
            yield unit.finding("p-008", end - 1, start, end + 1)


def _straight(units: list[Unit]) -> Iterator[Finding]:
    """Straight quotes are a fault only where the book otherwise types curly ones."""
    curly = sum(unit.text.count(ch) for unit in units for ch in CURLY)
    marks = [
        (unit, k)
        for unit in units
        for k, ch in enumerate(unit.text)
        if ch in STRAIGHT and not (k and unit.text[k - 1].isdigit())
    ]
    if curly and curly >= len(marks):
        for unit, k in marks:
            yield unit.finding("p-007", k)
