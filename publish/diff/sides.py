"""Resolve a side of the diff to a build folder.

A side is an existing build folder (``html/index.html``, and the print PDF if
it was made), a manuscript folder (``book.yaml``: built into a scratch
folder), or a git revision: checked out in a temporary ``git worktree`` and
built in process with this toolchain, that revision's styles, and one
``SOURCE_DATE_EPOCH`` for both sides, so only the sources differ.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

from publish import epoch as epochs
from publish.epoch import Epoch
from publish.errors import PublishError
from publish.files import copy_inside
from publish.plan import EDITIONS
from publish.styles import Styles

HTML = EDITIONS["html"].path("")  # a build folder is one that holds the HTML edition


def resolve(side: str, scratch: Path, epoch: Epoch, styles: Styles | None = None) -> Path:
    """The build folder for *side*, building it under *scratch* if it is a manuscript or a revision."""
    path = Path(side)
    if path.is_dir():
        if (path / "book.yaml").is_file():
            return _build(path, scratch / "build", epoch, styles or Styles(), label=side)
        if (path / HTML).is_file():
            return path
        raise PublishError(f"this folder holds neither a build ({HTML}) nor a manuscript (book.yaml)", path)
    commit = _commit(side)
    if commit is None:
        raise PublishError(f"{side!r} is neither a build folder nor a git revision here")
    return _build_revision(side, commit, scratch, epoch, styles or Styles())


def epoch_for(styles: Styles | None = None) -> Epoch:
    """One SOURCE_DATE_EPOCH for both sides: the caller's, else that of a build here now."""
    return epochs.resolve([Path("manuscript"), (styles or Styles()).root])


def formats() -> tuple[str, ...]:
    """The editions a diff needs: the HTML edition always, the print PDF when this toolchain makes one."""
    has_pdf = importlib.util.find_spec("publish.editions.pdf") is not None
    return ("html", "print") if has_pdf else ("html",)


def _build_revision(side: str, commit: str, scratch: Path, epoch: Epoch, styles: Styles) -> Path:
    top, prefix = _git("rev-parse", "--show-toplevel"), _git("rev-parse", "--show-prefix") or ""
    tree = scratch / "source"
    if _git("worktree", "add", "--detach", "--quiet", str(tree), commit, cwd=top) is None:
        raise PublishError(f"cannot check out revision {side!r} in a temporary worktree")
    try:
        candidates = [tree / prefix / "manuscript", tree / prefix, tree / "manuscript"]
        manuscript = next((c for c in candidates if (c / "book.yaml").is_file()), None)
        if manuscript is None:
            raise PublishError(f"revision {side!r} has no manuscript (manuscript/book.yaml)")
        overlay = Styles(_overlay_styles(styles, tree / "styles", scratch / "styles"))
        return _build(manuscript, scratch / "build", epoch, overlay, label=side)
    finally:
        _git("worktree", "remove", "--force", str(tree), cwd=top)


def _overlay_styles(styles: Styles, revision: Path, target: Path) -> Path:
    """This toolchain's styles with the revision's own laid over them (an older revision may lack a file)."""
    shutil.copytree(styles.root, target, symlinks=True)
    if revision.is_dir():  # regular files only, never through a symlink out of the worktree (publish.files)
        copy_inside(revision, target)
    return target


def _build(manuscript: Path, out: Path, epoch: Epoch, styles: Styles, label: str) -> Path:
    """Build a side with the one date and the side's styles, both given to the build's plan."""
    from publish.build import build

    try:
        build(manuscript, out, formats(), styles=styles, date=epoch, log=lambda line: None)
    except PublishError as error:
        raise error.within(f"cannot build {label!r}") from None
    return out


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
