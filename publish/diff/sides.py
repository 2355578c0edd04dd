"""Resolve a side of the diff to a build folder.

A side is an existing build folder (``html/index.html``, and the print PDF if
it was made), a manuscript folder (``book.yaml``: built into a scratch
folder), or a git revision: checked out in a temporary ``git worktree`` and
built in process with this toolchain, that revision's styles, and one
``SOURCE_DATE_EPOCH`` for both sides, so only the sources differ.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from publish import epoch, styles
from publish.errors import PublishError
from publish.files import copy_inside


def resolve(side: str, scratch: Path, epoch: str) -> Path:
    """The build folder for *side*, building it under *scratch* if it is a manuscript or a revision."""
    path = Path(side)
    if path.is_dir():
        if (path / "book.yaml").is_file():
            return _build(path, scratch / "build", epoch, label=side)
        if (path / "html" / "index.html").is_file():
            return path
        raise PublishError("this folder holds neither a build (html/index.html) nor a manuscript (book.yaml)", path)
    commit = _commit(side)
    if commit is None:
        raise PublishError(f"{side!r} is neither a build folder nor a git revision here")
    return _build_revision(side, commit, scratch, epoch)


def epoch_for() -> str:
    """One SOURCE_DATE_EPOCH for both sides: the caller's, else that of a build here now."""
    return str(epoch.resolve([Path("manuscript"), styles.root()]).seconds)


def formats() -> tuple[str, ...]:
    """The editions a diff needs: the HTML edition always, the print PDF when this toolchain makes one."""
    has_pdf = importlib.util.find_spec("publish.editions.pdf") is not None
    return ("html", "print") if has_pdf else ("html",)


def _build_revision(side: str, commit: str, scratch: Path, epoch: str) -> Path:
    top, prefix = _git("rev-parse", "--show-toplevel"), _git("rev-parse", "--show-prefix") or ""
    tree = scratch / "source"
    if _git("worktree", "add", "--detach", "--quiet", str(tree), commit, cwd=top) is None:
        raise PublishError(f"cannot check out revision {side!r} in a temporary worktree")
    try:
        candidates = [tree / prefix / "manuscript", tree / prefix, tree / "manuscript"]
        manuscript = next((c for c in candidates if (c / "book.yaml").is_file()), None)
        if manuscript is None:
            raise PublishError(f"revision {side!r} has no manuscript (manuscript/book.yaml)")
        with styles.using(_overlay_styles(tree / "styles", scratch / "styles")):
            return _build(manuscript, scratch / "build", epoch, label=side)
    finally:
        _git("worktree", "remove", "--force", str(tree), cwd=top)


def _overlay_styles(revision: Path, target: Path) -> Path:
    """This toolchain's styles with the revision's own laid over them (an older revision may lack a file)."""
    shutil.copytree(styles.root(), target, symlinks=True)
    if revision.is_dir():  # regular files only, never through a symlink out of the worktree (publish.files)
        copy_inside(revision, target)
    return target


def _build(manuscript: Path, out: Path, epoch: str, label: str) -> Path:
    from publish.build import build

    with _environment("SOURCE_DATE_EPOCH", epoch):
        try:
            build(manuscript, out, formats(), log=lambda line: None)
        except PublishError as error:
            raise PublishError(f"cannot build {label!r}: {error}") from None
    return out


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    saved = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved


def _commit(side: str) -> str | None:
    if side.startswith("-"):
        return None
    return _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{side}^{{commit}}")


def _git(*args: str, cwd: str | None = None) -> str | None:
    """Run git; its output, or None if git is missing or fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
