"""A term of a definition list is never left alone at the foot of a page, away from its definition.

Pandoc's manual, built as a book, set the term ``description`` as the last
line of a page and its definition on the next (print.css had no rule for
``dt``; a press keeps a term with its definition as a heading with its text).
"""

from __future__ import annotations

import re

import pypdfium2

from tests.conftest import make_manuscript

TERMS = 90


def _chapter() -> str:
    runs = "and runs on, " * 6
    items = "\n".join(f"`term{n:02d}`\n  ~ The definition of term {n:02d}, which {runs * (n % 4)}ends "
                      f"(of one to four lines, so that the pairs fall at every height of the page).\n"
                      for n in range(TERMS))
    return "# Terms\n\nA glossary follows.\n\n" + items


def test_every_term_sits_on_the_page_of_its_definition(tmp_path, build_book):
    manuscript = make_manuscript(tmp_path / "book", {"terms.md": _chapter()}, slug="terms")
    out = build_book(manuscript, ("pdf",))
    document = pypdfium2.PdfDocument(str(out / "terms.pdf"))
    terms, definitions = {}, {}
    for index in range(len(document)):
        text = " ".join(document[index].get_textpage().get_text_range().split())
        for match in re.finditer(r"term(\d\d)(?= )", text):
            terms.setdefault(match[1], index)
        for match in re.finditer(r"The definition of term (\d\d)", text):
            definitions.setdefault(match[1], index)
    document.close()
    assert len(terms) == len(definitions) == TERMS
    apart = sorted(n for n in terms if terms[n] != definitions[n])
    assert not apart, f"terms set on the page before their definition: {apart}"
