"""Hostile input, the text: notes in notes or in captions, a word no line can hold, raw styles that fetch,
a remote raw image, and a progress line that names only files really written."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.build import build
from publish.errors import ManuscriptError, NoteError, ResourceError
from tests.conftest import make_manuscript


def _book(tmp_path: Path, text: str) -> Path:
    return make_manuscript(tmp_path / "m", {"a.md": "# A\n\nOpening words.\n\n" + text + "\n"})


@pytest.mark.parametrize(("text", "expected", "line"), [
    ("Nested.^[outer ^[inner] note]", "a note inside a note", 5),
    ("A call.[^a]\n\n[^a]: The a note, with a call[^b] inside.\n\n[^b]: The b note.", "[^a] calls note [^b]", 7),
    ("An image ![A description^[with a note]](images/x.png) in the text.", "a note in the description of an image", 5),
])
def test_notes_no_edition_can_set_are_refused_at_their_line(tmp_path, text, expected, line):
    root = _book(tmp_path, text)
    with pytest.raises(NoteError) as caught:
        build(root, tmp_path / "out", ("html",), log=lambda _: None)
    assert str(caught.value).startswith(f"{root / 'a.md'}:{line}: ") and expected in str(caught.value)


def test_a_word_no_line_can_hold_warns_and_fails_a_strict_build(tmp_path):
    root = _book(tmp_path, "Before " + "abcdefghij" * 2000 + " after, and https://example.com/a/long/path/" + "x" * 50)
    lines: list[str] = []
    build(root, tmp_path / "out", ("html",), log=lines.append)
    warnings = [line for line in lines if line.startswith("warning:")]
    assert len(warnings) == 1 and f"{root / 'a.md'}:5:" in warnings[0] and "20,000 characters" in warnings[0]
    with pytest.raises(ManuscriptError, match="20,000 characters with nowhere to break") as caught:
        build(root, tmp_path / "strict", ("html",), strict=True, log=lambda _: None)
    assert str(caught.value).startswith(f"{root / 'a.md'}:5: ")


@pytest.mark.parametrize("text", ['<span style="background: url(https://example.com/t.png)">x</span>',
                                  '[x]{style="background-image: url(/etc/passwd)"}'])
def test_a_raw_style_that_fetches_is_refused_naming_file_and_line(tmp_path, text):
    root = _book(tmp_path, text)
    with pytest.raises(ResourceError) as caught:
        build(root, tmp_path / "out", ("html",), log=lambda _: None)
    assert str(caught.value).startswith(f"{root / 'a.md'}: ") and "line 5: style with '" in str(caught.value)


def test_a_remote_raw_image_names_the_chapter_line_and_url(tmp_path):
    url = "https://example.com/a%20b/pic.png?x=1&y=2"
    root = _book(tmp_path, f'<img src="{url.replace("&", "&amp;")}" alt="remote">')
    with pytest.raises(ResourceError) as caught:
        build(root, tmp_path / "out", ("html",), log=lambda _: None)
    assert str(caught.value).startswith(f"{root / 'a.md'}:5: image '{url}' is remote")


def test_the_progress_line_names_only_published_files(tmp_path, monkeypatch):
    root = _book(tmp_path, "Words.")
    from publish.editions import html

    lines: list[str] = []

    def failing(*_args):
        raise OSError("disk trouble (simulated)")

    monkeypatch.setattr(html, "write", failing)
    with pytest.raises(OSError):
        build(root, tmp_path / "out", ("epub", "html"), log=lines.append)
    assert lines == [] and not list((tmp_path / "out").glob("*.epub"))
