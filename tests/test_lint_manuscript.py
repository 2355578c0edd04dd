"""``publish lint`` on our manuscript finds the faults an editor marks in the source text, and nothing else."""

from __future__ import annotations

import pytest

from publish.book import load_book
from publish.lint import lint
from tests.conftest import MANUSCRIPT

# (file, code, excerpt): each a fault in the source text as transcribed (see the note).
KNOWN = {
    ("foreword.md", "p-007", "King's"),  # straight apostrophe, the rest is curly
    ("foreword.md", "p-005", "is..."),  # "Dealing with it is... a": three full stops
    ("foreword.md", "p-008", "‘results.’"),  # full stop inside the quote of a one-word fragment
    ("foreword.md", "p-004", "Rethink’"),  # closing quote, no opening one
    ("foreword.md", "s-002", "‘doses’ ,"),  # space before a comma
    ("foreword.md", "s-001", "episodes’,<nbsp> up"),  # no-break space beside a space
    ("foreword.md", "n-005", "level[^4] that"),  # the one call not at punctuation
    ("foreword.md", "p-002", "2014)."),  # "Layard & Clark, 2014)." in note 1
    ("foreword.md", "p-009", "This, indeed is"),  # the aside is opened by a comma, not closed
    ("foreword.md", "n-007", "2019)"),  # note 2 alone has no closing full stop
    ("about-the-author.md", "p-007", "King's"),
    ("about-the-author.md", "p-001", "fields. including"),
    ("about-the-author.md", "s-001", "sciences,<nbsp> the"),
}
APOSTROPHES = ("one’s", "doctors’", "Beveridge’s", "users’", "Mosher’s", "person’s")


@pytest.fixture(scope="module")
def result():
    return lint(load_book(MANUSCRIPT))


def test_finds_the_known_faults_and_nothing_else(result):
    found = {(f.path.name, f.code, f.excerpt) for f in result.findings}
    assert found == KNOWN
    assert not result.ignored, "manuscript/ has no accepted exceptions: lint reports what the source has"


def test_apostrophes_are_not_quotes(result):
    quotes = [f for f in result.findings if f.code in ("p-003", "p-004")]
    assert not [f for f in quotes if any(word in f.excerpt for word in APOSTROPHES)]


def test_line_and_column_point_into_the_authors_text(result):
    for finding in result.findings:
        line = finding.path.read_text(encoding="utf-8").split("\n")[finding.line - 1]
        char = line[finding.column - 1]
        shown = finding.excerpt.replace("<nbsp>", "\u00a0")
        assert char in shown or finding.code == "s-003", (finding, char)
