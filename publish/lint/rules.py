"""Every lint rule in one place: its stable code, a one-line message and a hint.

Codes never change meaning once published; a retired rule keeps its code
unused. Families: ``s`` spacing, ``p`` punctuation, ``n`` notes,
``c`` consistency. The checks live in the family modules; this table is what
the report prints and what an ignore file may name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    hint: str


_TABLE = [
    # Spacing
    ("s-001", "doubled space", "leave one space; a no-break space replaces the space, never sits beside it"),
    ("s-002", "space before punctuation", "delete the space before the mark"),
    ("s-003", "space before a note call", "put the call right after the word or punctuation it belongs to"),
    ("s-004", "trailing space at the end of a line", "delete it; for a deliberate line break end the line with \\"),
    # Punctuation
    ("p-001", "lower-case letter after a full stop", "capitalise the word, or the full stop should be a comma"),
    ("p-002", "unbalanced parenthesis or bracket", "add the missing partner, or delete the stray mark"),
    ("p-003", "opening quote with no closing quote", "close the quotation where it ends"),
    ("p-004", "closing quote with no opening quote", "open the quotation where it begins"),
    ("p-005", "three full stops where an ellipsis belongs", "type an ellipsis, …"),
    ("p-006", "hyphen where a dash belongs", "use an en dash, –, spaced in running text, closed in ranges"),
    (
        "p-007",
        "straight quote in a text that uses curly ones",
        "type ’ for an apostrophe, ‘ ’ or “ ” for quotes, like the rest",
    ),
    (
        "p-008",
        "punctuation inside the quotation marks of a quoted fragment",
        "British style puts it outside, ‘word’. unless it belongs to the quotation",
    ),
    (
        "p-009",
        "parenthetical word opened by a comma and not closed by one",
        "close it with a comma too, as in ‘This, indeed, is’, or drop the first",
    ),
    # Notes
    ("n-001", "note call with no note", "define the note as [^label]: … or delete the call"),
    ("n-002", "note with no call", "call it in the text as [^label], or delete the note"),
    ("n-003", "two notes with the same text", "merge them, or say what differs: ibid., a page number"),
    (
        "n-004",
        "note call on the other side of the punctuation from the book's other calls",
        "place every call the same way: after the punctuation, as most calls here are",
    ),
    (
        "n-005",
        "note call in mid-clause where the book's other calls follow punctuation",
        "move it to the end of the clause or sentence, after the punctuation, unless it glosses this word",
    ),
    ("n-006", "note label defined twice in a chapter", "give each note its own label"),
    ("n-007", "note without the closing full stop the book's other notes have", "end it as the others end"),
    # Consistency
    (
        "c-001",
        "-ise and -ize spellings mixed in one book",
        "choose one, -ise for en-GB or Oxford -ize, and use it throughout",
    ),
    ("c-002", "spelling variants of one word mixed in one book", "choose one spelling and use it throughout"),
    (
        "c-003",
        "the same compound written hyphenated and not",
        "hyphenate it before a noun, as elsewhere in the book; leave it open only as a noun phrase",
    ),
    ("c-004", "repeated word", "delete one of them"),
]

RULES: dict[str, Rule] = {code: Rule(code, message, hint) for code, message, hint in _TABLE}


@dataclass(frozen=True)
class Finding:
    """One thing an editor would mark: where it is, which rule, and the words it concerns."""

    path: Path
    line: int
    column: int
    code: str
    excerpt: str

    @property
    def rule(self) -> Rule:
        return RULES[self.code]
