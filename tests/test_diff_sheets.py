"""The diff's "style" reason for an EPUB/HTML section: the rules that concern it, not the sheets' bytes. Fast."""

from __future__ import annotations

from pathlib import Path

from publish.diff import sheets
from publish.readers.members import HtmlFiles

PAGE = '<html><head><link rel="stylesheet" href="web.css"><link rel="stylesheet" href="notes.css"></head><body/></html>'
WEB = "p { margin: 0 } .sidenote:is(.a, .b) { float: right }"


def notes_css(*numbers: int) -> str:
    """The HTML edition's generated sheet: one selector per note, so it changes with the book's notes."""
    selectors = ",\n".join(f'body:has([id="n-{k}"]:target) [id="c-{k}"] + .sidenote' for k in numbers)
    return "@media (min-width: 70rem) {\n" + selectors + " { background: var(--target) }\n}\n"


def files(root: Path, web: str, notes: str) -> HtmlFiles:
    root.mkdir()
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "web.css").write_text(web, encoding="utf-8")
    (root / "notes.css").write_text(notes, encoding="utf-8")
    (root / "fonts").mkdir()
    (root / "fonts" / "Book.otf").write_bytes(b"font")
    return HtmlFiles(root)


def test_a_rule_for_a_note_that_one_side_lacks_is_no_change_of_style(tmp_path):
    old = sheets.read(files(tmp_path / "old", WEB, notes_css(1, 2, 3, 4)), "index.html")
    new = sheets.read(files(tmp_path / "new", WEB, notes_css(1, 2, 3)), "index.html")
    both = {"n-1", "c-1", "n-2", "c-2", "n-3", "c-3"}
    # the section that lost note 4 (its text says so), and a section with no notes at all
    assert not sheets.differ(old, new, both | {"n-4", "c-4"}, both)
    assert not sheets.differ(old, new, {"bio"}, {"bio"})
    # a rule for a note that is in the section on both sides is a rule like any other
    fewer = sheets.read(files(tmp_path / "fewer", WEB, notes_css(1, 2)), "index.html")
    assert sheets.differ(old, fewer, both, both)


def test_a_changed_rule_a_new_rule_or_another_font_is_a_change_of_style(tmp_path):
    base = sheets.read(files(tmp_path / "base", WEB, notes_css(1)), "index.html")
    spaced = sheets.read(files(tmp_path / "spaced", WEB + " p { letter-spacing: .05em }", notes_css(1)), "index.html")
    changed = sheets.read(files(tmp_path / "changed", WEB.replace("0", "1em"), notes_css(1)), "index.html")
    assert sheets.differ(base, spaced, set(), set()) and sheets.differ(base, changed, set(), set())
    assert not sheets.differ(base, sheets.read(files(tmp_path / "same", WEB.replace(" ", "  "), notes_css(1)),
                                               "index.html"), set(), set())  # the same rules, spaced otherwise
    font = files(tmp_path / "font", WEB, notes_css(1))
    (font.folder / "fonts" / "Book.otf").write_bytes(b"another font")
    assert sheets.differ(base, sheets.read(font, "index.html"), set(), set())


def test_a_selector_list_inside_is_stays_one_selector(tmp_path):
    read = sheets.read(files(tmp_path / "x", WEB, ""), "index.html")
    assert [r.text for r in read.rules] == ["p {margin: 0}", ".sidenote:is(.a, .b) {float: right}"]
