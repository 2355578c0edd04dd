"""The loader accepts any manuscript in the format and rejects a bad one clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.book import load_book, parse_trim
from publish.errors import ManuscriptError
from tests.conftest import MANUSCRIPT, make_manuscript


def test_our_manuscript_loads_with_its_facts():
    book = load_book(MANUSCRIPT)
    meta = book.metadata
    assert meta.title == "The Industrialisation of Care"
    assert meta.subtitle == "counselling, psychotherapy and the impact of IAPT"
    assert meta.author == "Nikolas Rose"
    assert meta.lang == "en-GB"
    assert meta.identifier.startswith("urn:uuid:")
    assert [c.id for c in book.chapters] == ["foreword", "about-the-author"]
    assert meta.trim == (156.0, 234.0)


def test_another_manuscript_builds_its_own_defaults(tmp_path):
    root = make_manuscript(tmp_path / "m", {"01-one.md": "# One\n\nText.\n"})
    book = load_book(root)
    assert book.slug == "a-test-book"
    assert book.chapters[0].id == "one"
    # a stable identifier when none is given: the same on every load
    assert book.metadata.identifier == load_book(root).metadata.identifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [("156mm 234mm", (156.0, 234.0)), ("5.5in 8.5in", (139.7, 215.9)), ("A5", (148.0, 210.0)), (None, (156.0, 234.0))],
)
def test_trim_sizes(text, expected):
    assert parse_trim(text) == expected


def _error(root: Path) -> ManuscriptError:
    with pytest.raises(ManuscriptError) as caught:
        load_book(root)
    return caught.value


def test_missing_book_yaml(tmp_path):
    (tmp_path / "m").mkdir()
    error = _error(tmp_path / "m")
    assert "book.yaml is missing" in str(error) and str(error).startswith(str(tmp_path / "m" / "book.yaml"))


def test_yaml_syntax_error_names_the_line(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    (root / "book.yaml").write_text("title: A\nauthor: B\nlang: en\nchapters: [a.md\n", encoding="utf-8")
    error = _error(root)
    assert error.line is not None and error.line >= 4
    assert "not valid YAML" in str(error)


@pytest.mark.parametrize("key", ["title", "author", "lang"])
def test_missing_required_key(tmp_path, key):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    text = "\n".join(line for line in (root / "book.yaml").read_text().splitlines() if not line.startswith(key))
    (root / "book.yaml").write_text(text + "\n", encoding="utf-8")
    assert key in str(_error(root))


def test_empty_book_yaml(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    (root / "book.yaml").write_text("", encoding="utf-8")
    assert "empty" in str(_error(root))


def test_chapter_that_does_not_exist(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    (root / "a.md").unlink()
    assert "'a.md' is listed in book.yaml but does not exist" in str(_error(root))


def test_chapter_not_utf8_names_file_and_byte(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    (root / "a.md").write_bytes("Caf\u00e9 au lait\n".encode("latin-1"))
    error = _error(root)
    assert error.path == root / "a.md"
    assert "not UTF-8 (byte 3" in str(error)


def test_bom_and_crlf_are_fine(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    (root / "a.md").write_bytes(b"\xef\xbb\xbf# Head\r\n\r\nText one.\r\n")
    text = load_book(root).chapters[0].text
    assert text == "# Head\n\nText one.\n"


def test_empty_chapter(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "   \n"})
    assert "chapter is empty" in str(_error(root))


def test_chapter_outside_the_manuscript(tmp_path):
    (tmp_path / "secret.md").write_text("secret\n")
    root = make_manuscript(tmp_path / "m", {"../secret.md": "x"})
    assert "outside the manuscript" in str(_error(root))
