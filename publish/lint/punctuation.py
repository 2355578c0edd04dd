"""Punctuation rules (p-001, p-002, p-005, p-006): sentence starts, brackets, ellipses, dashes.

Quotation marks have their own module (quotes.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from publish.book import Book
from publish.lint.rules import Finding
from publish.lint.source import Source, Unit

# A full stop after a word (and closing marks), space, opening marks, then a lower-case letter.
# A full stop inside brackets, [Online.], ends the bracket, not the sentence.
LOWER_AFTER_STOP = re.compile(r"(\w+)[’”'\")\]]*\.[’”'\"]*\s+[‘“'\"(\[]*([a-z])")
ABBREVIATIONS = frozenset(
    """e.g i.e etc cf vs viz al approx ca c p pp vol vols no nos ch chap ed eds fig figs op cit ibid n nn
    para paras sec trans repr rev esp incl min max st mr mrs ms dr prof jr sr co inc ltd dept univ fl ff
    var mss cent tel est corp bros assn govt intl natl jan feb mar apr jun jul aug sep sept oct nov dec""".split()  # noqa: SIM905 (a word list reads best as words)
)
ELLIPSIS = re.compile(r"\.(?: ?\.){2,}")
# One hyphen only: pandoc's smart punctuation sets -- as an en dash and --- as an em dash, as the author meant.
SPACED_HYPHEN = re.compile(r"(?<=[^\s-])[ \u00a0]+(-)(?=[ \u00a0\n]+[^\s-])")
YEAR_RANGE = re.compile(r"(?<![\d-])(1[5-9]\d\d|20\d\d)(-)(\d{4}|\d\d)(?![\d-])")
# Words that, set off by a comma before, need one after: "This, indeed is" wants "This, indeed, is".
# (however, for example, then and therefore also start phrases that run on, so they are left out.)
UNCLOSED_ASIDE = re.compile(
    r"(?<=\w), (indeed|of course|in fact|moreover|nevertheless|nonetheless|furthermore) (?=[a-z])"
)
PARTNER = {")": "(", "]": "[", "}": "{"}
ENUMERATOR = re.compile(r"^\s*[a-zA-Z0-9ivx]{1,3}\)")


def check(sources: list[Source], book: Book) -> Iterator[Finding]:
    for source in sources:
        for unit in source.units:
            yield from _lower_after_stop(unit)
            yield from _brackets(unit)
            for match in ELLIPSIS.finditer(unit.text):
                yield unit.finding("p-005", match.start(), match.start(), match.end())
            yield from _hyphens(unit)
            for match in UNCLOSED_ASIDE.finditer(unit.text):
                yield unit.finding("p-009", match.end(1), match.start() - 1, match.end() + 1)


def _lower_after_stop(unit: Unit) -> Iterator[Finding]:
    for match in LOWER_AFTER_STOP.finditer(unit.text):
        word = match[1]
        chained = match.start() and unit.text[match.start() - 1] == "."
        if chained or word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        yield unit.finding("p-001", match.start(2), match.start(), match.end())


def _brackets(unit: Unit) -> Iterator[Finding]:
    text = unit.text
    stack: list[int] = []
    enumerator = ENUMERATOR.match(text)
    for k, ch in enumerate(text):
        if ch in "([{":
            stack.append(k)
        elif ch in PARTNER:
            if stack and text[stack[-1]] == PARTNER[ch]:
                stack.pop()
            elif enumerator and k == enumerator.end() - 1:
                continue  # "a) the first point": an enumerator, not a parenthesis
            else:
                yield unit.finding("p-002", k)
    for k in stack:
        yield unit.finding("p-002", k)


def _hyphens(unit: Unit) -> Iterator[Finding]:
    for match in SPACED_HYPHEN.finditer(unit.text):
        yield unit.finding("p-006", match.start(1), match.start() - 1, match.end(1) + 1)
    for match in YEAR_RANGE.finditer(unit.text):
        first, second = match[1], match[3]
        later = int(second) > int(first) if len(second) == 4 else int(second) > int(first[2:])
        if later:
            yield unit.finding("p-006", match.start(2), match.start(), match.end())
