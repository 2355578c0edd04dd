"""Pandoc citations are printed as the author wrote them, and the build says so at the file and line (never silently).

interpretable-ml-book (a Quarto book) cites with ``@adadi2018peeking``: with no
bibliography read, every edition shows the key, and the build said nothing.
"""

from __future__ import annotations

from publish.build import build
from tests.conftest import make_manuscript

CHAPTER = """# One

A plain paragraph.

As argued elsewhere [@doe2020, p. 3], and as @roe2019 says, with [@a; @b; @c] too.
"""


def test_citations_are_kept_and_reported_once_a_chapter(tmp_path):
    manuscript = make_manuscript(tmp_path / "book", {"one.md": CHAPTER, "two.md": "# Two\n\nNo citations.\n"})
    lines: list[str] = []
    build(manuscript, tmp_path / "out", ("html",), log=lines.append)
    said = [line for line in lines if "printed as written" in line]
    assert len(said) == 1, lines
    assert f"{manuscript / 'one.md'}:5:" in said[0]
    assert "5 cited key(s) (@doe2020, @roe2019, @a and 2 more)" in said[0]
    page = (tmp_path / "out" / "html" / "index.html").read_text(encoding="utf-8")
    assert "[@doe2020, p. 3]" in page and "@roe2019" in page  # the author's text, as written
