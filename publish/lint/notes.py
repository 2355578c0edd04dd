"""Note rules (n-…): calls and notes that do not pair, notes that repeat, calls placed unlike the rest.

House style for the place of a call is read from the book itself: most
calls after the punctuation (or before it) sets the style, and the calls that
differ are reported. A call in mid-clause is reported only when the book's
other calls mostly sit at punctuation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from publish.book import Book
from publish.lint.inline import Call
from publish.lint.rules import Finding
from publish.lint.source import Source, Unit, show

MARKS = ".,;:!?"
CLOSERS = "’”)]"


def check(sources: list[Source], book: Book) -> Iterator[Finding]:
    for source in sources:
        yield from _pairing(source)
    yield from _repeated_notes(sources)
    yield from _endings(sources)
    yield from _placement(sources)


def _pairing(source: Source) -> Iterator[Finding]:
    """Notes are per chapter (pandoc reads each chapter on its own)."""
    defined: dict[str, tuple[int, int]] = {}
    for definition in source.definitions:
        if definition.label in defined:
            yield _at(source, definition.place, "n-006", f"[^{definition.label}]:")
        defined.setdefault(definition.label, definition.place)
    called = set()
    for unit in source.units:
        for call in unit.calls:
            if call.label is None:
                continue
            called.add(call.label)
            if call.label not in defined:
                yield _at_call(unit, call, "n-001")
    for label, place in defined.items():
        if label not in called:
            yield _at(source, place, "n-002", f"[^{label}]:")


def _at(source: Source, place: tuple[int, int], code: str, excerpt: str) -> Finding:
    return Finding(source.chapter.path, place[0], place[1], code, excerpt)


def _repeated_notes(sources: list[Source]) -> Iterator[Finding]:
    texts: dict[tuple, list[Unit]] = {}
    for source in sources:
        for unit in source.units:
            if unit.note is not None:
                texts.setdefault((source.chapter.path, unit.note_key), []).append(unit)
    seen: dict[str, Unit] = {}
    for units in texts.values():
        key = " ".join(" ".join(unit.text for unit in units).casefold().split())
        if not key:
            continue
        if key in seen:
            first = units[0]
            line, column = first.note_key or first.place(0)
            yield Finding(first.chapter.path, line, column, "n-003", _gist(first.text))
        seen.setdefault(key, units[0])


def _endings(sources: list[Source]) -> Iterator[Finding]:
    """When most notes end with a full stop (or ? !), the ones that do not are marked."""
    last: dict[tuple, Unit] = {}
    for source in sources:
        for unit in source.units:
            if unit.note is not None and unit.text.strip():
                last[(source.chapter.path, unit.note_key)] = unit  # a note's last paragraph
    ended = {key: unit.text.rstrip().rstrip(CLOSERS + "\u00a0 ")[-1:] in ".!?" for key, unit in last.items()}
    if sum(ended.values()) * 2 <= len(ended):
        return
    for key, unit in last.items():
        if not ended[key]:
            end = len(unit.text.rstrip())
            yield unit.finding("n-007", end - 1, end - 1, end)


def _gist(text: str, size: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size].rsplit(" ", 1)[0] + " …"


def _placement(sources: list[Source]) -> Iterator[Finding]:
    calls = [(unit, call, _side(unit, call)) for source in sources for unit in source.units for call in unit.calls]
    sides = Counter(side for _, _, side in calls)
    house = "after" if sides["after"] >= sides["before"] else "before"
    other = "before" if house == "after" else "after"
    at_marks = sides["after"] + sides["before"]
    for unit, call, side in calls:
        if side == other and sides[other] < sides[house]:
            yield _at_call(unit, call, "n-004")
        elif side == "mid" and sides["mid"] < at_marks:
            yield _at_call(unit, call, "n-005")


def _side(unit: Unit, call: Call) -> str:
    """after (word.[^1]), before (word[^1].), mid (word[^1] word), or neutral (before a dash, after a space)."""
    text = unit.text
    before = text[call.index - 1] if call.index else " "
    after = text[call.index] if call.index < len(text) else ""
    if before.isspace():
        return "neutral"
    if after in MARKS and after:
        return "before"
    before_closers = text[: call.index].rstrip(CLOSERS)
    if before in MARKS or (before in CLOSERS and before_closers[-1:] in tuple(MARKS)):
        return "after"
    if text[call.index :].lstrip()[:1] in ("–", "—"):
        return "neutral"  # a call goes before a dash
    return "mid"


def _at_call(unit: Unit, call: Call, code: str) -> Finding:
    """A finding placed on the call's own '[' in the source."""
    return Finding(unit.chapter.path, call.place[0], call.place[1], code, _call_excerpt(unit, call))


def _call_excerpt(unit: Unit, call: Call) -> str:
    """The word the call follows, the call, and what follows it: "level[^4] that"."""
    label = f"[^{call.label}]" if call.label is not None else "^[…]"
    text = unit.text
    start = call.index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = call.index
    while end < len(text) and not text[end].isspace():
        end += 1
    tail = text[call.index : end]
    if not tail:
        following = text[end:].split()[:1]
        tail = " " + following[0] if following else ""
    return show(text[start : call.index] + label + tail)
