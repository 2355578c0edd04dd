"""Hostile input, files outside the manuscript: only regular files the book uses are opened, each within a cap.

A FIFO must not hang the build, ``/dev/zero`` must not exhaust memory, a sparse
giant must be refused by its size, a symlink leading out is never followed, and
an unlisted file is neither read nor published in manifest.json.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from publish import files
from publish.build import build
from publish.cli import main
from publish.errors import ManuscriptError, PublishError
from tests.conftest import in_thread, make_manuscript


def _quiet(*_: object) -> None:
    return None


def _book(tmp_path: Path, **chapters: str) -> Path:
    return make_manuscript(tmp_path / "m", chapters or {"a.md": "# A\n\nText.\n"})


def _build_in_thread(root: Path, out: Path) -> BaseException | None:
    """Build in a thread with a deadline: a build that hangs on a read fails the test instead of hanging it."""
    return in_thread(lambda: build(root, out, ("html",), log=_quiet))


@pytest.mark.parametrize("listed_as", ["chapter", "lint-ignore", "unlisted image"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside", "sparse"])
def test_special_and_outside_files_are_refused_without_reading(tmp_path, kind, listed_as):
    root = _book(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret words")
    name = {"chapter": "b.md", "lint-ignore": "lint-ignore.yaml", "unlisted image": "images/x.png"}[listed_as]
    target = root / name
    target.parent.mkdir(exist_ok=True)
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "outside":
        target.symlink_to(secret)
    else:
        with target.open("wb") as handle:
            handle.truncate(6 * 2**30)  # 6 GB, sparse: refused by its size, never read
    if listed_as == "chapter":
        (root / "book.yaml").write_text((root / "book.yaml").read_text() + "  - b.md\n")
    error = _build_in_thread(root, tmp_path / "out")
    if listed_as == "unlisted image":  # not used by the book: never read, never published
        assert error is None
        record = (tmp_path / "out" / "manifest.json").read_text()
        assert "x.png" not in record and "secret" not in record
        return
    assert isinstance(error, PublishError), error
    message = str(error)
    assert "\n" not in message and name in message
    assert {"fifo": "FIFO", "dev-zero": "outside the manuscript", "outside": "outside the manuscript",
            "sparse": "over the"}[kind] in message


def test_a_chapter_over_its_cap_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(files.CAPS, "chapter", 1000)
    root = _book(tmp_path, **{"a.md": "# A\n\n" + "word " * 400})
    with pytest.raises(ManuscriptError, match=r"chapter 'a.md' is .* over the 0 MB"):
        build(root, tmp_path / "out", ("html",), log=_quiet)


def test_lint_refuses_a_lint_ignore_leading_out(tmp_path, capsys):
    root = _book(tmp_path)
    (tmp_path / "elsewhere.yaml").write_text("- {file: a.md, code: x, reason: y}\n")
    (root / "lint-ignore.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert main(["lint", str(root)]) == 3
    err = capsys.readouterr().err
    assert "lint-ignore.yaml" in err and "outside the manuscript" in err and "\n" not in err.strip()


def test_manifest_lists_only_used_sources(tmp_path):
    root = _book(tmp_path)
    (root / "draft-ideas.md").write_text("not in the book")
    build(root, tmp_path / "out", ("html",), log=_quiet)
    listed = [e["path"] for e in json.loads((tmp_path / "out" / "manifest.json").read_text())["sources"]["manuscript"]]
    assert listed == ["a.md", "book.yaml"]


def test_diff_of_a_revision_whose_files_lead_out_of_the_worktree(tmp_path, monkeypatch, capsys):
    import subprocess

    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nTop secret words.\n")
    repo = tmp_path / "repo"
    root = make_manuscript(repo / "manuscript", {"a.md": "# A\n\nText.\n"})
    (root / "b.md").symlink_to(secret)  # committed as a symlink to a file outside the worktree
    (root / "book.yaml").write_text((root / "book.yaml").read_text() + "  - b.md\n")
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "hostile"], cwd=repo, check=True)
    monkeypatch.chdir(repo)
    code = main(["diff", "HEAD", "HEAD", "-o", str(tmp_path / "diff")])
    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1 and "Traceback" not in err
    assert "b.md" in err and "outside the manuscript" in err
    written = [p.read_bytes() for p in (tmp_path / "diff").rglob("*") if p.is_file()]
    assert not any(b"Top secret" in data for data in written)


@pytest.mark.parametrize("css", [
    "@import url(https://example.com/a.css);",
    '@import "//example.com/a.css";',
    "body { background: url(https://example.com/x.png); }",
    "body { background: u\\72l(https://example.com/x.png); }",  # a CSS escape: tinycss2 decodes it
    "@media print { p { background-image: image-set('file:///etc/passwd' 1x) } }",
    "@font-face { font-family: X; src: url(../../secret.woff2); }",
    "p { background: url('data:image/svg+xml,<svg onload=alert(1)/>'); }",
    "p { width: expression(alert(1)); }",
    "p { behavior: url(x.htc); }",
])
def test_a_book_stylesheet_that_fetches_or_runs_is_refused_at_its_line(tmp_path, css):
    """The web and EPUB editions carry the book's CSS: a reader's device would fetch or run it."""
    root = _book(tmp_path)
    (root / "styles").mkdir()
    (root / "styles" / "web.css").write_text(f"/* the book's own */\np {{ color: black }}\n{css}\n")
    with pytest.raises(PublishError) as caught:
        build(root, tmp_path / "out", ("html",), log=_quiet)
    assert str(caught.value).startswith(f"{root / 'styles' / 'web.css'}:3: stylesheet 'styles/web.css' ")
    assert not (tmp_path / "out" / "html").exists()


def test_a_book_stylesheet_using_its_own_files_builds(tmp_path):
    root = _book(tmp_path)
    (root / "styles").mkdir()
    (root / "styles" / "web.css").write_text(
        "@font-face { font-family: Own; src: url(fonts/own.woff2) format('woff2'); }\n"
        "p::after { content: 'url(https://example.com)' } /* url(https://example.com) */\n"
        "p { background: url('data:image/png;base64,iVBORw0KGgo=') }\n")
    build(root, tmp_path / "out", ("html",), log=_quiet)
    assert "fonts/own.woff2" in (tmp_path / "out" / "html" / "web.css").read_text()
