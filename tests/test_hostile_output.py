"""Hostile input, the output folder: never the manuscript, a system folder or someone's files; nothing lost;
a build killed between two publishing renames is completed by the next, and check says so meanwhile."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from publish.build import build
from publish.check import Build
from publish.check import files as check_files
from publish.errors import OutputError
from publish.output import JOURNAL
from tests.conftest import make_manuscript


def _quiet(*_: object) -> None:
    return None


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def book(tmp_path) -> Path:
    return make_manuscript(tmp_path / "m", {"a.md": "# A\n\nIf only the words were kept.\n"})


def test_the_manuscript_folder_or_one_inside_it_is_refused(book):
    before = _snapshot(book)
    for out in (book, book / "build", book / "deeper" / "still"):
        with pytest.raises(OutputError, match="manuscript folder or inside it"):
            build(book, out, ("html",), log=_quiet)
    assert _snapshot(book) == before and not (book / "build").exists()


def test_a_system_folder_is_refused(book, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    for out in (Path("/"), Path("/proc/publish-out"), tmp_path / "home"):
        with pytest.raises(OutputError, match="system folder"):
            build(book, out, ("html",), log=_quiet)
    assert list((tmp_path / "home").iterdir()) == []


def test_a_folder_of_someone_elses_files_is_refused_and_kept(book, tmp_path):
    out = tmp_path / "site"
    (out / "html").mkdir(parents=True)
    (out / "html" / "blog.html").write_text("<p>my blog</p>")
    (out / "manifest.json").write_text('{"my": "own manifest"}')
    before = _snapshot(out)
    with pytest.raises(OutputError, match="holds files that no build wrote"):
        build(book, out, ("html",), log=_quiet)
    with pytest.raises(OutputError, match="html/blog.html was not written by a build"):
        build(book, out, ("html",), overwrite=True, log=_quiet)  # html/ would be replaced whole: never
    assert _snapshot(out) == before
    (out / "html" / "blog.html").rename(out / "blog.html")
    build(book, out, ("html",), overwrite=True, log=_quiet)
    assert (out / "blog.html").read_text() == "<p>my blog</p>" and (out / "html" / "index.html").is_file()


def test_a_file_added_to_an_edition_folder_of_a_build_is_never_deleted(book, tmp_path):
    out = tmp_path / "out"
    build(book, out, ("html",), log=_quiet)
    (out / "html" / "extra.html").write_text("mine")
    (book / "a.md").write_text("# A\n\nIf ever the words were kept.\n")
    with pytest.raises(OutputError, match="html/extra.html was not written by a build"):
        build(book, out, ("html",), force=True, log=_quiet)
    assert (out / "html" / "extra.html").read_text() == "mine"
    (out / "notes.txt").write_text("also mine")  # beside the editions: kept, and no reason to refuse
    (out / "html" / "extra.html").unlink()
    build(book, out, ("html",), log=_quiet)
    assert (out / "notes.txt").read_text() == "also mine"


def _build_killed_at_rename(book: Path, out: Path, k: int) -> int:
    """Build in a forked child that dies (os._exit, no clean-up at all) at its k-th os.replace; the renames done."""
    pid = os.fork()
    if pid == 0:  # the child: count renames, die at the k-th as a kill -9 would
        calls = [0]
        real = os.replace

        def replace(*args, **kwargs):
            calls[0] += 1
            if calls[0] == k:
                os._exit(9)
            return real(*args, **kwargs)

        os.replace = replace
        try:
            build(book, out, ("html", "epub"), log=_quiet)
        finally:
            os._exit(100 + min(calls[0], 50))
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _texts(out: Path) -> set[str]:
    """Which version of the sentence each edition carries ("missing" for an edition not there)."""
    index, book = out / "html" / "index.html", out / "a-test-book.epub"
    html = index.read_text() if index.is_file() else "missing"
    epub_text = "missing"
    if book.is_file():
        with zipfile.ZipFile(book) as epub:
            epub_text = "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    found = {word for word in ("only", "ever") for text in (html, epub_text) if f"If {word}" in text}
    return found | ({"missing"} if "missing" in (html, epub_text) else set())


def test_a_kill_at_each_publishing_rename_never_leaves_two_builds_unflagged(book, tmp_path):
    out = tmp_path / "out"
    build(book, out, ("html", "epub"), log=_quiet)
    (book / "a.md").write_text("# A\n\nIf ever the words were kept.\n")
    total = _build_killed_at_rename(book, tmp_path / "count", 10_000) - 100  # renames in a whole build
    assert total >= 4
    build(book, out, ("html", "epub"), log=_quiet, force=True)  # back to the same state for each k
    first = (book / "a.md").read_text()
    for k in range(1, total + 1):
        (book / "a.md").write_text(first.replace("ever", "only"))
        build(book, out, ("html", "epub"), log=_quiet)
        assert _texts(out) == {"only"}
        (book / "a.md").write_text(first)
        assert _build_killed_at_rename(book, out, k) == 9
        mixed = len(_texts(out)) > 1
        flagged = (out / JOURNAL).exists()
        assert flagged or not mixed, f"killed at rename {k}: two builds mixed, and nothing says so"
        if flagged:
            problem = check_files.outputs(Build(out))
            assert problem and "stopped while publishing" in problem
        build(book, out, ("html", "epub"), log=_quiet)  # the next build completes the switch
        assert _texts(out) == {"ever"} and not (out / JOURNAL).exists()
        assert check_files.outputs(Build(out)) is None  # every output is the manifest's
        assert not [p for p in out.iterdir() if p.name.startswith(".staging-") or p.name.endswith(".old")]
    assert json.loads((out / "manifest.json").read_text())["formats"] == ["html", "epub"]
