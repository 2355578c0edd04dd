"""book.yaml helps its author: unknown keys named with their line and the nearest known key, ISBN check
digits, dates checked when the book is loaded, authors as a list, the book's own styles laid over the
toolchain's, and the build date of a manuscript outside git taken from its own files."""

from __future__ import annotations

import os
import zipfile

import pytest

from publish import epoch
from publish.book import load_book
from publish.build import build
from publish.cli import main
from publish.errors import ManuscriptError
from publish.styles import DEFAULT as STYLES
from tests.conftest import make_manuscript, require

CHAPTER = {"a.md": "# A\n\nSome text.[^n]\n\n[^n]: A note.\n"}


def test_unknown_key_warns_with_its_line_and_the_nearest_key(tmp_path, capsys):
    root = make_manuscript(tmp_path / "m", CHAPTER, subtitel="A misspelt subtitle", colour="blue")
    book = load_book(root)
    assert book.warnings[0] == f"{root / 'book.yaml'}:4: unknown key 'subtitel' is ignored: did you mean 'subtitle'?"
    assert book.warnings[1].startswith(f"{root / 'book.yaml'}:5: unknown key 'colour' is ignored (known keys: title,")
    assert len(book.warnings) == 2
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "-f", "html"]) == 0
    assert "book.yaml:4: unknown key 'subtitel' is ignored: did you mean 'subtitle'?" in capsys.readouterr().err


@pytest.mark.parametrize(("isbn", "ok"), [
    ("978-0-00-000000-2", True), ("978-0-00-000000-1", False), ("0-306-40615-2", True), ("0-306-40615-3", False),
    ("080442957X", True), ("978-3-16-148410", False),
])
def test_isbn_check_digit(tmp_path, isbn, ok):
    root = make_manuscript(tmp_path / "m", CHAPTER, isbn=isbn)
    if ok:
        assert load_book(root).metadata.identifier == isbn
    else:
        with pytest.raises(ManuscriptError, match=r"book\.yaml:4: isbn .*(check digit|not an ISBN)"):
            load_book(root)


@pytest.mark.parametrize(("date", "ok"), [
    ("2024", True), ("2024-06", True), ("2024-06-30", True), ("2024-06-01T10:00:00Z", True),
    ("next spring", False), ("2024-13", False), ("2024-02-30", False), ("June 2024", False),
])
def test_date_is_checked_when_the_book_is_loaded(tmp_path, date, ok):
    root = make_manuscript(tmp_path / "m", CHAPTER, date=f'"{date}"')
    if ok:
        assert load_book(root).metadata.date == date
    else:
        with pytest.raises(ManuscriptError, match=r"book\.yaml:4: date .* is not a date"):
            load_book(root)


def test_author_may_be_a_list(tmp_path, build_book):
    root = make_manuscript(tmp_path / "m", CHAPTER, author="[Ada Lovelace, Charles Babbage, Mary Somerville]")
    meta = load_book(root).metadata
    assert meta.authors == ("Ada Lovelace", "Charles Babbage", "Mary Somerville")
    assert meta.author == "Ada Lovelace, Charles Babbage and Mary Somerville"
    out = build_book(root, ("epub", "html"))
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        opf = epub.read(next(n for n in epub.namelist() if n.endswith(".opf"))).decode()
    assert all(f">{name}</dc:creator>" in opf for name in meta.authors)
    assert "Ada Lovelace, Charles Babbage and Mary Somerville" in (out / "html" / "index.html").read_text()


def test_french_authors_are_joined_in_french(tmp_path):
    root = make_manuscript(tmp_path / "m", CHAPTER, lang="fr", author="[Anne, Bruno]")
    assert load_book(root).metadata.author == "Anne et Bruno"


def test_the_books_own_styles_are_laid_over_the_toolchains(tmp_path):
    root = make_manuscript(tmp_path / "m", CHAPTER, css="extra.css")
    (root / "styles").mkdir()
    (root / "styles" / "web.css").write_text("body { --book-own: 1; }\n", encoding="utf-8")
    (root / "extra.css").write_text("p { letter-spacing: 0.01em; }\n", encoding="utf-8")
    build(root, tmp_path / "out", ("html", "epub"), log=lambda line: None)
    web = (tmp_path / "out" / "html" / "web.css").read_text(encoding="utf-8")
    assert web.index("--book-own") > web.index("@font-face"), "the toolchain's rules first, the book's after"
    assert web.index("letter-spacing: 0.01em") > web.index("--book-own")
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as epub:
        css = epub.read(next(n for n in epub.namelist() if n.endswith("epub.css"))).decode()
    assert "letter-spacing: 0.01em" in css and "--book-own" not in css


def test_a_css_entry_must_lie_inside_the_manuscript(tmp_path):
    (tmp_path / "outside.css").write_text("p {}\n", encoding="utf-8")
    root = make_manuscript(tmp_path / "m", CHAPTER, css="../outside.css")
    with pytest.raises(ManuscriptError, match="outside the manuscript"):
        load_book(root)


def test_outside_git_the_date_is_the_newest_file_the_book_uses(tmp_path):
    root = make_manuscript(tmp_path / "m", CHAPTER)
    require(epoch.last_commit(root) is None, "the temporary folder lies inside a git work tree")
    os.utime(root / "book.yaml", (1_600_000_000, 1_600_000_000))
    os.utime(root / "a.md", (1_650_000_000, 1_650_000_000))
    (root / "notes-to-self.txt").write_text("not part of the book", encoding="utf-8")
    found = epoch.resolve([root, STYLES], {})
    assert found == epoch.Epoch(1_650_000_000, "files"), "the manuscript's own files, not the toolchain's commits"
