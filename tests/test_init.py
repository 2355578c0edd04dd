"""``publish init``: a new book that builds at once, in every edition, without a warning."""

from __future__ import annotations

import zipfile

import pytest

from publish.book import load_book
from publish.cli import main
from publish.errors import OutputError
from publish.init import scaffold


def test_init_then_build_gives_every_edition(tmp_path, capsys):
    book = tmp_path / "my-first-novel"
    assert main(["init", str(book)]) == 0
    assert f"publish build {book}" in capsys.readouterr().out
    assert main(["build", str(book), "-o", str(tmp_path / "out"), "--strict"]) == 0
    out = tmp_path / "out"
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"my-first-novel.pdf", "my-first-novel-print.pdf", "my-first-novel.epub", "html/index.html"} <= names
    with zipfile.ZipFile(out / "my-first-novel.epub") as epub:
        assert any(name.endswith("figure.png") for name in epub.namelist()), "the image is in the EPUB"
    html = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "Second thoughts" in html and "Another note, numbered in its chapter." in html


def test_the_new_book_is_what_the_yaml_says(tmp_path):
    book = load_book(scaffold(tmp_path / "the-long-walk")[0].parent)
    assert book.metadata.title == "The Long Walk"
    assert [c.path.name for c in book.chapters] == ["01-beginning.md", "02-second-thoughts.md"]
    assert all("[^" in c.text or "^[" in c.text for c in book.chapters), "each chapter shows a note"
    from PIL import Image

    with Image.open(tmp_path / "the-long-walk" / "images" / "figure.png") as image:
        assert image.format == "PNG" and image.size == (600, 300)


def test_init_never_overwrites(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not empty"):
        scaffold(tmp_path / "book")
    assert (tmp_path / "book" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert main(["init", str(tmp_path / "book")]) == 5
