"""``publish diff`` on realistic revisions of the foreword: every page class true to what the renders show.

Each revision is the real manuscript (and its styles, in the project layout
``manuscript/`` beside ``styles/``) copied into a tmp folder and edited the way
an author or a copy-editor would: one word, a new note, a new paragraph, a
punctuation fix, a note's text, the last paragraph deleted with its note, the
book's own print or EPUB stylesheet. Both sides are manuscript folders, so the
diff builds them as a user's ``publish diff old/manuscript new/manuscript`` does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MANUSCRIPT

pytestmark = pytest.mark.slow

STYLES = MANUSCRIPT.parent / "styles"
FOREWORD, ABOUT = "foreword.md", "about-the-author.md"
NEW_NOTE = "The acronym is the programme’s own, from its first national guidance."
LAST = "And what of ‘therapy’ itself?"


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "manuscript" / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not once in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return edit


def _delete_last_paragraph(root: Path) -> None:
    path = root / "manuscript" / FOREWORD
    text = path.read_text(encoding="utf-8")
    start = text.index(LAST)
    text = text[:start] + text[text.index("::: signature", start):]
    text = text[:text.index("[^4]:")].rstrip() + "\n"
    path.write_text(text, encoding="utf-8")


def _append_css(name: str, css: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / "styles" / name).open("a", encoding="utf-8") as sheet:
            sheet.write("\n" + css + "\n")
    return edit


REVISIONS: dict[str, Callable[[Path], None]] = {
    "base": lambda root: None,
    # one word in the first paragraph
    "word": _replace(FOREWORD, "that would rapidly restore", "that would quickly restore"),
    # a new note in paragraph 2: the four notes after it are renumbered
    "note": lambda root: (_replace(FOREWORD, "(or IAPT) and why", "(or IAPT)[^new] and why")(root),
                          _replace(FOREWORD, "[^1]: All quotes", f"[^new]: {NEW_NOTE}\n\n[^1]: All quotes")(root)),
    # a new paragraph after the third: every page after it reflows
    "paragraph": _replace(FOREWORD, "\n\nFrom the outset, then,",
                          "\n\nIt is worth pausing on how quickly this promise was taken up, and by whom: within a few "
                          "years the programme had its own training schools, its own outcome measures and its own "
                          "language of ‘recovery’, ‘step-up’ and ‘throughput’, and the questions it set out to answer "
                          "had become the only questions that could be asked.\n\nFrom the outset, then,"),
    # a copy-editor's punctuation fix in the biography
    "punctuation": _replace(ABOUT, "many fields. including", "many fields, including"),
    # a note's text changed
    "note-text": _replace(FOREWORD, "shortly before his death in 2004", "shortly before his death in July 2004"),
    # the last paragraph deleted with its note
    "deleted": _delete_last_paragraph,
    # the book's own print stylesheet: a wider paragraph indent
    "style": _append_css("print.css", "p + p { text-indent: 2.5em; }"),
    # the book's own EPUB stylesheet only: no other edition changes
    "epub-style": _append_css("epub.css", "p { letter-spacing: 0.05em; }"),
}


def make_revision(root: Path, name: str) -> Path:
    """Copy the foreword's manuscript and styles under *root*, apply revision *name*; the manuscript folder."""
    shutil.copytree(MANUSCRIPT, root / "manuscript")
    shutil.copytree(STYLES, root / "styles")
    REVISIONS[name](root)
    return root / "manuscript"
