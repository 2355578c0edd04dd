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

from publish import lang

if TYPE_CHECKING:
    from publish.book import Metadata

# Two or more capitals (IAPT, NGO), a plural s left outside: "NGOs" is NGO + s. The typography filter's too.
ACRONYM = re.compile(r"(?<![\w’'])([A-Z]{2,})(?=s?(?!\w))")
ACRONYM_CLASS = "acronym"
# The vendored face (styles/fonts), as its name table says.
TYPEFACE = ("EB Garamond", "Georg Duffner", "SIL Open Font License")  # name, designer, licence


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
    """"Foreword by" and the author, in the book's language (publish/lang.py)."""
    if not meta.contribution:
        return Byline("", meta.author)
    before, _after = lang.words(meta).around("contribution-by", "author", contribution=meta.contribution)
    return Byline(before.strip(), meta.author)


def by(meta: Metadata) -> str:
    """The word that stands alone before an author's name: "by", "par", "von"…"""
    return "".join(lang.words(meta).around("by", "author")).strip()


@dataclass(frozen=True)
class Fact:
    kind: str  # title, byline, date, publisher, rights, identifier, typeface
    text: str


def imprint(meta: Metadata) -> list[Fact]:
    """The imprint's lines, in order: only what book.yaml states, and the typeface the book is set in."""
    words = lang.words(meta)
    facts = [Fact("title", title_line(meta)), Fact("byline", byline(meta).text)]
    if meta.date:
        facts.append(Fact("date", words.date(meta.date)))
    if meta.publisher:
        facts.append(Fact("publisher", words.get("published-by", publisher=meta.publisher)))
    if meta.rights:
        facts.append(Fact("rights", meta.rights))
    facts.append(Fact("identifier", words.get("identifier", identifier=meta.identifier)))
    name, designer, licence = TYPEFACE
    typeface = words.get("typeface", name=name, designer=designer, licence=licence)
    facts.append(Fact("typeface", words.get("set-in", typeface=typeface)))
    return facts

