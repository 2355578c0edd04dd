"""Hostile input, book.yaml: bounded parsing, every field type-checked, one line naming book.yaml:line."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from publish import epoch
from publish.book import load_book
from publish.cli import main
from publish.errors import ManuscriptError, PublishError

BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
)


def _manuscript(tmp_path: Path, header: str) -> Path:
    root = tmp_path / "m"
    root.mkdir()
    (root / "a.md").write_text("# A\n\nText.\n")
    (root / "book.yaml").write_text(header + "\nauthor: A. N. Author\nlang: en-GB\nchapters:\n  - a.md\n")
    return root


def _error(root: Path) -> str:
    with pytest.raises(ManuscriptError) as caught:
        load_book(root)
    return str(caught.value)


def test_an_anchor_bomb_is_refused_at_its_line_at_once(tmp_path, capsys):
    root = _manuscript(tmp_path, BOMB + "\ntitle: *i")
    started = time.perf_counter()
    message = _error(root)
    assert message.startswith(f"{root / 'book.yaml'}:") and "aliases" in message
    line = int(message.split(":")[1])
    assert 2 <= line <= 9
    assert main(["lint", str(root)]) == 3 and "aliases" in capsys.readouterr().err
    assert time.perf_counter() - started < 30  # seconds, not minutes: the bound holds (not a timing test)


@pytest.mark.parametrize(("header", "expected", "line"), [
    ("title: {a: 1}", "title must be text, not a mapping", 1),
    ("title: [a, b]", "title must be text, not a list", 1),
    ("title: T\ntrim: 1.2.3mm 234mm", "trim '1.2.3mm 234mm' is not a size", None),
    ("title: T\nsubtitle:\n  - x", "subtitle must be text, not a list", 3),
    ('title: "Bad \\x07 bell"', "title holds control character U+0007", 1),
    ("title: " + "[" * 5000, "nested more than", 1),
])
def test_every_field_is_type_checked(tmp_path, header, expected, line):
    root = _manuscript(tmp_path, header)
    message = _error(root)
    assert expected in message and "\n" not in message
    if line:
        assert message.startswith(f"{root / 'book.yaml'}:{line}: ")


def test_chapters_must_be_a_list(tmp_path):
    root = _manuscript(tmp_path, "title: T")
    (root / "book.yaml").write_text("title: T\nauthor: A\nlang: en\nchapters: a.md\n")
    assert _error(root).startswith(f"{root / 'book.yaml'}:4: chapters must be a list")


def test_yaml_scalars_stay_as_the_author_typed_them(tmp_path):
    root = _manuscript(tmp_path, "title: 1984\nsubtitle: yes\ndate: 2024-05-01")
    (root / "book.yaml").write_text((root / "book.yaml").read_text().replace("lang: en-GB", "lang: no"))
    meta = load_book(root).metadata
    assert (meta.title, meta.subtitle, meta.date, meta.lang) == ("1984", "yes", "2024-05-01", "no")


@pytest.mark.parametrize("value", ["1700000000²", "١٧٠٠٠٠٠٠٠٠", "9" * 5000, "17e8", "-1", " "])
def test_source_date_epoch_that_is_not_digits_is_one_line(value):
    if not value.strip():
        assert epoch.resolve([], {"SOURCE_DATE_EPOCH": value}).origin != "environment"
        return
    with pytest.raises(PublishError) as caught:
        epoch.resolve([], {"SOURCE_DATE_EPOCH": value})
    assert "SOURCE_DATE_EPOCH" in str(caught.value) and len(str(caught.value)) < 200


def test_yaml_loading_in_a_thread_ends(tmp_path):
    """A bomb as lint-ignore.yaml: lint answers with one line, promptly (a hang would leave the thread alive)."""
    root = _manuscript(tmp_path, "title: T")
    (root / "lint-ignore.yaml").write_text(BOMB + "\nignore: *i\n")
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(main(["lint", str(root)])), daemon=True)
    thread.start()
    thread.join(60)
    assert codes == [3]
