"""Consistency rules (c-…): one spelling per word across the book, and no word said twice.

Mixing is judged over the whole book: the less frequent form is reported
(on a tie, the form the book's language does not prefer).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from publish.book import Book
from publish.lint.rules import Finding
from publish.lint.source import Source, Unit

WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
ISE = re.compile(r"^([a-z]+)i([sz])(e|es|ed|ing|ation|ations|er|ers|able|ability)$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words spelt one way only, whatever the house style: advise is never advize, size never sise.
ONLY_ISE = _words("""
    advise advertise arise chastise circumcise comprise compromise concise demise despise devise disguise enterprise
    excise exercise expertise franchise improvise incise merchandise precise premise promise reprise revise supervise
    surmise surprise televise treatise raise praise cruise bruise poise porpoise tortoise anise paradise valise guise
    chemise mortise cerise noise louise denise eloise elise
""")
ONLY_IZE = _words("size prize seize capsize assize baize maize belize")
# One word, two spellings: (one, the other), each a whole-word pattern. Only forms that differ are listed
# (benefitted/benefited, never benefit), so a word both spellings share is never reported.
VARIANTS = [
    (r"judgements?", r"judgments?"),
    (r"acknowledgements?", r"acknowledgments?"),
    (r"(analy|paraly|cataly)s(e|es|ed|ing|er|ers)", r"(analy|paraly|cataly)z(e|es|ed|ing|er|ers)"),
    (r"ageing", r"aging"),
    (r"focuss(ed|es|ing)", r"focus(ed|ing)"),
    (
        r"(colour|behaviour|favour|honour)(s|ed|ing|al|ful|able|ite|ites)?",
        r"(color|behavior|favor|honor)(s|ed|ing|al|ful|able|ite|ites)?",
    ),
    (r"(centre|theatre|fibre)s?", r"(center|theater|fiber)s?"),
    (
        r"(benefitt|travell|modell|labell|cancell)(ed|ing|er|ers)",
        r"(benefit|travel|model|label|cancel)(ed|ing|er|ers)",
    ),
    (r"fulfil(s|ment)?", r"fulfill(s|ment)?"),
    (r"towards", r"toward"),
    (r"afterwards", r"afterward"),
]
REPEAT = re.compile(r"\b(\w+)(\s+)(\1)\b", re.IGNORECASE)
REPEAT_ALLOWED = frozenset({"had", "that"})
FUNCTION_WORDS = _words("""
    of in on at to for and or but nor is was are were be been as by than that which who with from into the a an
    it its this these those so if when while
""")


@dataclass
class Word:
    unit: Unit
    start: int
    text: str


def check(sources: list[Source], book: Book) -> Iterator[Finding]:
    units = [unit for source in sources for unit in source.units]
    by_form: dict[str, list[Word]] = {}  # each spelling (lower case) and where it stands
    for unit in units:
        for match in WORD.finditer(unit.text):
            by_form.setdefault(match.group().lower(), []).append(Word(unit, match.start(), match.group()))
    prefer_ise = book.metadata.lang.lower().startswith("en-gb")
    yield from _ise_ize(by_form, prefer_ise)
    yield from _variants(by_form)
    yield from _compounds(units, by_form)
    for unit in units:
        for match in REPEAT.finditer(unit.text):
            if match[1].lower() not in REPEAT_ALLOWED and not match[1].isdigit():
                yield unit.finding("c-004", match.start(3), match.start(), match.end())


def _minority(first: list[Word], second: list[Word], prefer_first: bool) -> list[Word]:
    if not first or not second:
        return []
    if len(first) == len(second):
        return second if prefer_first else first
    return first if len(first) < len(second) else second


def _ise_ize(by_form: dict[str, list[Word]], prefer_ise: bool) -> Iterator[Finding]:
    forms: dict[str, list[Word]] = {"s": [], "z": []}
    for form, found in by_form.items():
        match = ISE.match(form)
        if not match or len(match[1]) < 2 or match[1].endswith("w"):  # -wise (otherwise) is no verb ending
            continue
        if f"{match[1]}i{match[2]}e" not in (ONLY_ISE if match[2] == "s" else ONLY_IZE):
            forms[match[2]].extend(found)
    for word in _minority(forms["s"], forms["z"], prefer_ise):
        yield _at(word, "c-001")


def _variants(by_form: dict[str, list[Word]]) -> Iterator[Finding]:
    for one, other in VARIANTS:
        first = [w for form, found in by_form.items() if re.fullmatch(one, form) for w in found]
        second = [w for form, found in by_form.items() if re.fullmatch(other, form) for w in found]
        for word in _minority(first, second, prefer_first=True):
            yield _at(word, "c-002")


def _compounds(units: list[Unit], by_form: dict[str, list[Word]]) -> Iterator[Finding]:
    """short-term and short term: open is right only as a noun phrase (in the short term)."""
    prose = " ".join(" ".join(unit.text.lower().split()) for unit in units)
    for compound in sorted(form for form in by_form if form.count("-") == 1):
        left, right = compound.split("-")
        if f"{left} {right}" in prose:
            yield from _open_forms(units, left, right)
        for word in _minority(by_form.get(left + right, []), by_form[compound], prefer_first=False):
            yield _at(word, "c-003")


def _at(word: Word, code: str) -> Finding:
    return word.unit.finding(code, word.start, word.start, word.start + len(word.text))


def _open_forms(units: list[Unit], left: str, right: str) -> Iterator[Finding]:
    pattern = re.compile(rf"\b{re.escape(left)}\s+{re.escape(right)}\b(?=\s+([A-Za-z]+))", re.IGNORECASE)
    for unit in units:
        for match in pattern.finditer(unit.text):
            if match[1].lower() not in FUNCTION_WORDS:
                yield unit.finding("c-003", match.start(), match.start(), match.end())
