"""Front matter as data: the title line, the byline, the imprint's facts and the one acronym splitter.

Every edition renders these (title page, imprint, document title, cover) in
its own markup, but the facts and the words are decided here once, so the
PDF, the EPUB and the HTML edition say the same things and mark the same
acronyms for small caps as the typography filter marks in the text.
Only what ``book.yaml`` states is said: no invented publisher, ISBN or rights.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from publish.book import Metadata

# Two or more capitals (IAPT, NGO), a plural s left outside: "NGOs" is NGO + s. The typography filter's too.
ACRONYM = re.compile(r"(?<![\w’'])([A-Z]{2,})(?=s?(?!\w))")
ACRONYM_CLASS = "acronym"
# The vendored face (styles/fonts), as its name table says.
TYPEFACE = "EB Garamond by Georg Duffner (SIL Open Font License)"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def split_acronyms(text: str) -> list[tuple[str, bool]]:
    """*text* as pieces ``(piece, is_acronym)``, in order, no empty piece."""
    return [(piece, bool(index % 2)) for index, piece in enumerate(ACRONYM.split(text)) if piece]


def marked(text: str, acronym: Callable[[str], Any]) -> list:
    """*text* as strings and ``acronym(piece)`` for each acronym: an edition's small-caps spans."""
    return [acronym(piece) if is_acronym else piece for piece, is_acronym in split_acronyms(text)]


def title_line(meta: Metadata) -> str:
    """The title and subtitle on one line: ``Title: Subtitle``."""
    return f"{meta.title}: {meta.subtitle}" if meta.subtitle else meta.title


@dataclass(frozen=True)
class Byline:
    lead: str  # "Foreword by", or "" when the book is the author's own
    author: str

    @property
    def text(self) -> str:
        return f"{self.lead} {self.author}" if self.lead else self.author


def byline(meta: Metadata) -> Byline:
    return Byline(f"{meta.contribution} by" if meta.contribution else "", meta.author)


@dataclass(frozen=True)
class Fact:
    kind: str  # title, byline, date, publisher, rights, identifier, typeface
    text: str


def imprint(meta: Metadata) -> list[Fact]:
    """The imprint's lines, in order: only what book.yaml states, and the typeface the book is set in."""
    facts = [Fact("title", title_line(meta)), Fact("byline", byline(meta).text)]
    if meta.date:
        facts.append(Fact("date", date_text(meta.date)))
    if meta.publisher:
        facts.append(Fact("publisher", f"Published by {meta.publisher}"))
    if meta.rights:
        facts.append(Fact("rights", meta.rights))
    facts.append(Fact("identifier", f"Identifier: {meta.identifier}"))
    facts.append(Fact("typeface", f"Set in {TYPEFACE}"))
    return facts


def date_text(date: str) -> str:
    """``2019-01`` → ``January 2019``; ``2019-01-15`` → ``15 January 2019``; anything else as written."""
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", date)
    if not match or not 1 <= int(match[2]) <= 12:
        return date
    month = f"{MONTHS[int(match[2]) - 1]} {match[1]}"  # not strftime: the locale must not change the book
    return f"{int(match[3])} {month}" if match[3] else month
