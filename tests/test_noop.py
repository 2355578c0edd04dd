"""A build with nothing to do answers from file stamps, and never when anything that shapes the outputs changed.

The fast answer is checked by making the slow way impossible (the book
cannot be loaded): it must still give the last build's files and lines. Each
kind of change (a chapter's text, a new file in the manuscript, the date,
the editions asked for, a file removed from the outputs) must send the build
the full way. The git commit a folder's repository is at is read from its
files as git itself gives it: a branch, a new commit, packed refs, a worktree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from publish import book, noop
from publish.build import build
from tests.conftest import MANUSCRIPT

PAST = time.time() - 3600  # inputs older than the record by more than noop.RACY_S


@pytest.fixture
def manuscript(tmp_path):
    root = tmp_path / "m"
    shutil.copytree(MANUSCRIPT, root)
    for path in [root, *root.rglob("*")]:
        os.utime(path, (PAST, PAST))
    return root


def _build(manuscript, out, formats=("html",)):
    lines: list[str] = []
    paths = build(manuscript, out, formats, log=lines.append)
    return paths, lines


def _refuse_to_load(monkeypatch):
    def load_book(*_args, **_kwargs):
        raise AssertionError("the book was loaded: the build took the full way")

    monkeypatch.setattr(book, "load_book", load_book)


def test_a_second_build_with_nothing_changed_answers_without_loading_the_book(manuscript, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1546300800")
    out = tmp_path / "out"
    first, _ = _build(manuscript, out)
    slow, slow_lines = _build(manuscript, out)  # the full way's no-op: it writes the record the next one reads
    assert (out / noop.RECORD).is_file()
    _refuse_to_load(monkeypatch)
    fast, fast_lines = _build(manuscript, out)
    assert fast == slow == first and fast_lines == slow_lines and all("(unchanged)" in line for line in fast_lines)


@pytest.mark.parametrize("change", ["chapter", "new file", "date", "editions", "output removed", "force"])
def test_any_change_that_shapes_the_outputs_takes_the_full_way(change, manuscript, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1546300800")
    out = tmp_path / "out"
    _build(manuscript, out)
    _build(manuscript, out)
    assert (out / noop.RECORD).is_file()
    formats, force = ("html",), False
    if change == "chapter":  # the same size and an old time: only the stamp's time can tell
        chapter = manuscript / "foreword.md"
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text.replace("If only", "If ever", 1), encoding="utf-8")
        os.utime(chapter, (PAST - 60, PAST - 60))
    elif change == "new file":
        (manuscript / "unused.png").write_bytes(b"not shown anywhere")  # the folder's stamp changes
        os.utime(manuscript / "unused.png", (PAST, PAST))
    elif change == "date":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1546387200")
    elif change == "editions":
        formats = ("html", "epub")
    elif change == "output removed":
        (out / "html" / "index.html").unlink()
    else:
        force = True
    asked = noop.request(manuscript, out, formats, False, False)
    assert noop.answer(asked) is None or force
    loaded = []
    real = book.load_book
    monkeypatch.setattr(book, "load_book", lambda *a, **k: loaded.append(1) or real(*a, **k))
    build(manuscript, out, formats, force=force, log=lambda _line: None)
    assert loaded, f"after a change of {change}, the build answered from the record"


def _git(folder: Path, *args: str) -> str:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
                   "GIT_COMMITTER_EMAIL": "a@b"}
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True,
                          env=environment).stdout.strip()


def test_the_commit_is_read_as_git_gives_it(tmp_path):
    repo = tmp_path / "repo"
    (repo / "book").mkdir(parents=True)
    assert noop.head(repo / "book") is None  # not in a repository
    _git(repo, "init", "-q", "-b", "main")
    assert noop.head(repo / "book") == "unborn refs/heads/main"
    (repo / "book" / "a.md").write_text("a\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "one")
    assert noop.head(repo / "book") == _git(repo, "rev-parse", "HEAD")
    first = noop.head(repo / "book")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "two")
    assert noop.head(repo / "book") == _git(repo, "rev-parse", "HEAD") != first
    _git(repo, "pack-refs", "--all")
    assert noop.head(repo / "book") == _git(repo, "rev-parse", "HEAD")
    _git(repo, "worktree", "add", "-q", "-b", "side", str(tmp_path / "side"), first)
    assert noop.head(tmp_path / "side" / "book") == first
    _git(repo, "checkout", "-q", "--detach", first)
    assert noop.head(repo) == first


def test_a_chapter_given_with_its_matter_counts_among_the_files_the_book_uses(tmp_path):
    """``{file: preface.md, matter: front}``: an edit to it must make the editions stale like any chapter's."""
    from publish import files

    root = tmp_path / "m"
    root.mkdir()
    (root / "book.yaml").write_text("title: T\nauthor: A\nlang: en-GB\nchapters:\n"
                                    "  - {file: preface.md, matter: front}\n  - one.md\n", encoding="utf-8")
    for name in ("preface.md", "one.md"):
        (root / name).write_text(f"# {name}\n\nText.\n", encoding="utf-8")
    assert [path.name for path in files.used(root)] == ["book.yaml", "preface.md", "one.md"]
