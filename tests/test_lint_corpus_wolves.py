"""Lint findings that cried wolf on real books (shell-novice, rust-lang/book), and a rule line that hung lint.

- A pipe table's header row starts like a line block (``| Ferris``): its
  column padding was reported as doubled spaces (rust-lang/book, 6 findings
  on one table).
- A word quoted with straight single quotes (``also called 'folders'``) was
  reported as an opening quote never closed: the rule for ``rock ’n’ roll``
  took any quoted word for an elision at both ends (shell-novice, 7 findings).
- The table-rule pattern backtracked exponentially on a long rule with a
  stray character after it: lint never returned.
"""

from __future__ import annotations

from publish.book import load_book
from publish.lint import lint
from tests.conftest import in_thread, make_manuscript

TABLE = """# Table

| Ferris                                 | Meaning                          |
| -------------------------------------- | -------------------------------- |
| a crab with a question mark            | This code does not compile!      |
| a crab throwing up its hands           | This code panics!                |

A line block stays prose:

| The first line  of a poem, with a doubled space.
| The second line.
"""

QUOTES = """# Quotes

Files and directories (also called 'folders'), i.e. 'here', so the shell appends 'goo' since all files that start
with 'g' share it. Fish 'n' chips, rock ’n’ roll and the doctors’ notes are not quotations.

An opening 'quote that never closes.
"""


def _codes(tmp_path, text: str) -> list[tuple[int, str]]:
    root = make_manuscript(tmp_path / "book", {"a.md": text}, lang="en")
    return [(finding.line, finding.code) for finding in lint(load_book(root)).findings]


def test_a_pipe_tables_padding_is_not_a_doubled_space(tmp_path):
    assert _codes(tmp_path, TABLE) == [(10, "s-001")]  # the line block's doubled space only


def test_words_in_straight_single_quotes_are_quotations(tmp_path):
    assert _codes(tmp_path, QUOTES) == [(6, "p-003")]  # only the quote that is really left open


def test_a_long_table_rule_with_a_stray_character_does_not_hang_lint(tmp_path):
    text = "# Rule\n\nA paragraph, then a line of dashes that is not quite a rule:\n" + "-" * 80 + " x\n"
    found: list = []
    error = in_thread(lambda: found.extend(_codes(tmp_path, text)))  # 48 dashes took 11 s, 80 would take days
    assert error is None
