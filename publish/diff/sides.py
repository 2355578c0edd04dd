"""Resolve a side of the diff to a build folder.

A side is an existing build folder (``html/index.html``, and the print PDF if
it was made), a manuscript folder (``book.yaml``: built into a scratch
folder with the book's own styles), or a git revision: checked out in a
temporary ``git worktree`` and built in process with this toolchain, that
revision's styles, and one ``SOURCE_DATE_EPOCH`` for both sides, so only the
sources differ.

A manuscript folder's own styles: ``styles/`` inside it (book.yaml's
``css:`` too) are laid on by the build itself; a ``styles/`` beside it that
holds a stylesheet (the project layout, ``manuscript/`` next to ``styles/``,
as a revision has it) is laid over this toolchain's styles here, as for a
revision, so a book that changes only ``print.css`` still has the fonts.
"""

from __future__ import annotations

import importlib.util
import json
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

STYLESHEETS = ("print.css", "epub.css", "web.css")


def resolve(side: str, scratch: Path, epoch: Epoch, styles: Styles | None = None) -> Path:
    """The build folder for *side*, building it under *scratch* if it is a manuscript or a revision."""
    if not side.strip():
        raise PublishError("an empty argument names no build folder, manuscript or revision")
    path = Path(side)
    if path.is_dir():
        if (path / "book.yaml").is_file():
            styles = styles or Styles()
            own = own_styles(path, styles)
            if own is not None:
                styles = Styles(_overlay_styles(styles, own, scratch / "styles"))
            return _build(path, scratch / "build", epoch, styles, label=side)
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
    """The editions a diff needs: HTML and EPUB always, the print PDF when this toolchain makes one."""
    has_pdf = importlib.util.find_spec("publish.editions.pdf") is not None
    return ("html", "epub", "print") if has_pdf else ("html", "epub")


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


def own_styles(manuscript: Path, styles: Styles) -> Path | None:
    """The project's styles folder beside *manuscript*, if it has a stylesheet and is not this toolchain's own.

    (A ``styles/`` inside the manuscript is the book's, and the build lays it over whatever styles it is given.)
    """
    folder = manuscript.resolve().parent / "styles"
    if folder.is_dir() and any((folder / name).is_file() for name in STYLESHEETS):
        return None if folder.resolve() == styles.root.resolve() else folder
    return None


def kind(side: str) -> str:
    """What *side* names: "build", "manuscript" or "revision"."""
    path = Path(side)
    if side.strip() and path.is_dir():
        return "manuscript" if (path / "book.yaml").is_file() else "build"
    return "revision"


def commit_of(side: str) -> str | None:
    """The full commit hash a revision names; for a manuscript in a git work tree, its HEAD (marked if edited)."""
    if kind(side) == "revision":
        return _commit(side)
    if kind(side) == "manuscript":
        head = _git("rev-parse", "--verify", "--quiet", "HEAD", cwd=side)
        if head and _git("status", "--porcelain", "--", ".", cwd=side):
            return head + " + uncommitted changes"
        return head
    return None


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


def describe(side: str, folder: Path) -> dict:
    """What the report header says of a side: what it names, its commit, and its build's manifest facts."""
    described = {"given": side, "kind": kind(side), "commit": commit_of(side), "folder": str(folder)}
    manifest = _manifest(folder)
    described["built"] = manifest.get("source_date")
    described["sources_sha256"] = (manifest.get("sources") or {}).get("sha256")
    described["publish"] = (manifest.get("tools") or {}).get("publish")
    styles_list = (manifest.get("sources") or {}).get("styles") or []
    described["styles"] = {f.get("path"): f.get("sha256") for f in styles_list if isinstance(f, dict)}
    return described


def _manifest(folder: Path) -> dict:
    """The build's manifest.json, or {} when the folder has none (or an unreadable one)."""
    from publish.diff.reading import MAX_HTML, inside

    path = inside(folder, "manifest.json", MAX_HTML)
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
