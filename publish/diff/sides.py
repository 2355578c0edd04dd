"""Resolve a side of the diff to a build folder.

A side is an existing build folder (``html/index.html``, and the print PDF if
it was made), a manuscript folder (``book.yaml``: built into a scratch
folder with the book's own styles), or a git revision: checked out in a
temporary ``git worktree`` and built in process with this toolchain, that
revision's styles, and one ``SOURCE_DATE_EPOCH`` for both sides, so only the
sources differ.

A book's own styles are ``styles/`` inside the manuscript folder, else the
``styles/`` beside it when that folder holds a stylesheet (the project layout,
``manuscript/`` next to ``styles/``, as a revision has it); they are laid over
this toolchain's styles, so a book that changes only ``print.css`` still has
the fonts.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from publish import epoch, styles
from publish.errors import PublishError

STYLESHEETS = ("print.css", "epub.css", "web.css")


def resolve(side: str, scratch: Path, epoch: str) -> Path:
    """The build folder for *side*, building it under *scratch* if it is a manuscript or a revision."""
    if not side.strip():
        raise PublishError("an empty argument names no build folder, manuscript or revision")
    path = Path(side)
    if path.is_dir():
        if (path / "book.yaml").is_file():
            own = own_styles(path)
            with _styles(own and _overlay_styles(own, scratch / "styles")):
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
    """The editions a diff needs: HTML and EPUB always, the print PDF when this toolchain makes one."""
    has_pdf = importlib.util.find_spec("publish.editions.pdf") is not None
    return ("html", "epub", "print") if has_pdf else ("html", "epub")


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
        with _styles(_overlay_styles(tree / "styles", scratch / "styles")):
            return _build(manuscript, scratch / "build", epoch, label=side)
    finally:
        _git("worktree", "remove", "--force", str(tree), cwd=top)


def own_styles(manuscript: Path) -> Path | None:
    """The book's own styles folder for *manuscript*, if it has one (see the module's docstring)."""
    for folder in (manuscript / "styles", manuscript.resolve().parent / "styles"):
        if folder.is_dir() and any((folder / name).is_file() for name in STYLESHEETS):
            return None if folder.resolve() == styles.root().resolve() else folder
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


def _styles(folder: Path | None):
    """Build with the styles in *folder* laid over this toolchain's (None: the toolchain's own).

    The one place the diff chooses styles, so the build plan's styles option can replace it.
    """
    return styles.using(folder)


def _overlay_styles(revision: Path, target: Path) -> Path:
    """This toolchain's styles with the revision's own laid over them (an older revision may lack a file)."""
    shutil.copytree(styles.root(), target, symlinks=True)
    if revision.is_dir():
        shutil.copytree(revision, target, symlinks=True, dirs_exist_ok=True)
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
