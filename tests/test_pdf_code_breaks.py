"""A heading kept with a tall code block stays at the foot of its page with the block's first lines under it.

Issue 17's third round took the short page before shell-novice's "Nelle's
Pipeline" for a heading moved overleaf with a whole code block; it is a
heading kept with a paragraph of three lines (orphans and widows of two),
after a picture. This holds the code case: print.css gives ``pre`` no
``break-inside: avoid``, so pandoc's ``div.sourceCode`` block breaks after
its first lines, under its heading, and the page before is full.
"""

from __future__ import annotations

from pathlib import Path

from publish import plan
from publish.book import load_book
from publish.editions import pdf_notes, pdf_parts
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import make_manuscript


def _page_lines(document) -> list[list[tuple[str, str]]]:
    """Each page's lines: (the element holding it, its text)."""
    return [[(box.element_tag, "".join(text.text for text in pdf_notes.descendants(box)
                                       if type(text).__name__ == "TextBox"))
             for box in pdf_notes.descendants(page._page_box.children[0]) if type(box).__name__ == "LineBox"]
            for page in document.pages]


def test_a_heading_before_a_tall_code_block_stays_at_the_foot_with_two_lines_of_code(tmp_path):
    code = "```bash\n" + "\n".join(f"echo line {number}" for number in range(30)) + "\n```\n"
    lines = [f"Line {number} of the text.\n" for number in range(25)]  # the heading falls on page 1's last lines
    text = "# Chapter\n\n" + "\n".join([*lines, "## A heading near the foot\n", code, "After the code.\n"])
    root = make_manuscript(tmp_path / "manuscript", {"01-ch.md": text}, slug="code")
    book = load_book(root)
    part = pdf_parts.parts(render(parse_book(book)))[1]
    layout = pdf_parts.lay_out(plan.make(root, Path("unused")), book, part, False)
    pages = _page_lines(layout.document)
    first = pages[0]
    heading = first.index(("h2", "A heading near the foot"))
    assert [tag for tag, _ in first[heading + 1:]] == ["pre"] * (len(first) - heading - 1)
    assert len(first) - heading - 1 >= 2, "at least two lines of code under the heading"
    box = layout.document.pages[0]._page_box
    last = max(line.position_y + line.height for line in pdf_notes.descendants(box.children[0])
               if type(line).__name__ == "LineBox")
    assert box.content_box_y() + box.height - last < pdf_notes.leading(layout.document)  # the page is full
    assert pages[1][0] == ("pre", f"echo line {len(first) - heading - 1}")
