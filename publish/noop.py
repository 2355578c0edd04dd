"""A build with nothing to do, answered from file stamps before the manuscript is even read.

A build's outputs depend on files (the manuscript's, this package's code, the
styles and fonts, the installed tools), on the request (editions, options,
``SOURCE_DATE_EPOCH``) and, for its date, on the last git commit of the
manuscript and the styles (epoch.py). At the end of a build, ``remember``
writes down the size and modification time of every one of those files and
of the folders that hold them (a file added to a folder changes the
folder's), the request, the commit each folder's repository is at, and the
outputs' own stamps. The next build asks ``answer`` first: if every stamp,
the request and the commits are as written, its outputs are the last
build's, found with a few hundred ``stat`` calls and no heavy import (the
edition cache, cache.py, would load and validate the whole book, run git
and hash the code and the fonts to find the same).

A stamp can only be trusted for a file last changed well before it was
taken (an edit within the file system's timestamp granularity of the stamp
could leave it unchanged): a record whose inputs changed within ``RACY_S``
of it is not written, and the next build takes the full way (which writes
one). The record is removed when a build starts writing, so a build running
meanwhile never leaves a record that speaks for outputs it is replacing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from pathlib import Path

RECORD = Path(".publish-cache") / "noop.json"
RACY_S = 2.0
# git's own variables move the repository a folder is read from: the commit cannot be read from files then
GIT_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")


def request(manuscript: Path, out: Path, formats: tuple[str, ...], strict: bool, overwrite: bool) -> dict:
    """What, beyond files, shapes a build's outputs and what it says."""
    return {"manuscript": os.path.realpath(manuscript), "out": os.path.realpath(out), "formats": list(formats),
            "strict": strict, "overwrite": overwrite, "python": [sys.executable, sys.version, sys.path],
            "environment": {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "PUBLISH_PANDOC", "PATH")}}


def answer(asked: dict) -> dict | None:
    """The last build's record (its ``lines`` and ``warnings``, its ``outputs``) if nothing it read has changed."""
    if any(name in os.environ for name in GIT_VARIABLES):
        return None
    try:
        record = json.loads((Path(asked["out"]) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("request") != asked:
        return None
    try:
        if any(_stamp(path) != stamp for path, stamp in record["stamps"].items()):
            return None
        if any(head(folder) != commit for folder, commit in record["commits"].items()):
            return None
    except (KeyError, AttributeError, TypeError):
        return None
    return record


def remember(asked: dict, inputs: list[Path], outputs: list[Path], folders: list[Path], lines: list[str],
             warnings: list[str], returned: list[Path]) -> None:
    """Write the record of a build that succeeded (nothing, if an input changed too recently to be trusted).

    *inputs* are every file and folder the build's outputs depend on,
    *outputs* every file it leaves, *folders* the folders whose git commits
    date it; *lines*, *warnings* and *returned* are what the build said and returned.
    """
    now = time.time()
    inputs = {Path(path) for path in inputs}
    stamps = {}
    from publish import snapshot

    for path in sorted({*inputs, *outputs, *(Path(p).parent for p in outputs)}):
        stamps[str(path)] = stamp = _stamp(path)
        if stamp is not None and path in inputs and stamp[1] / 1e9 > now - RACY_S:
            return  # changed a moment ago: its stamp may not show the next change
        if path in inputs and not snapshot.unchanged_since_read(path, stamp):
            return  # changed since the build read it: the outputs are not of the file as it is now
    record = {"request": asked, "stamps": stamps, "commits": {str(f): head(f) for f in folders},
              "lines": lines, "warnings": warnings, "outputs": [str(path) for path in returned]}
    path = Path(asked["out"]) / RECORD
    try:  # a record that cannot be written only costs the next build time
        from publish.output import write_bytes

        write_bytes(path, json.dumps(record, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def inputs(plan) -> list[Path]:
    """Every file and folder a build of *plan* depends on: what cache.keys hashes, and the folders holding it.

    The manuscript's files the book uses, the images it showed, and every folder
    of the manuscript (a new image or lint-ignore.yaml changes which files it uses), this
    package's code, every file of the styles and the fonts, the folders the
    installed tools are found in (an install changes them), and pandoc.
    """
    from publish import cache, files, pandoc

    found = [*files.used(plan.manuscript), *_folders(plan.manuscript)]
    found += _shown(plan, cache.shown(plan.out))
    found += cache._files(cache.CODE, None, None)  # a module no other imports cannot matter: no folders
    for root in dict.fromkeys([plan.styles.root, plan.styles.fonts_dir]):
        found += cache._files(root, None, None) + _folders(root)
    found += [Path(entry) for entry in sys.path if _installs(entry)]
    found.append(Path(pandoc.executable()))
    return [Path(os.path.realpath(path)) for path in found]


def _shown(plan, recorded: list[str]) -> list[Path]:
    """The image files this build showed, as its snapshot read them (else as each edition's record names them);
    one that no longer resolves is left to ``remember``'s stamps, which then keep no record."""
    from publish import files, snapshot
    from publish.errors import PublishError

    shot = snapshot.current()
    if shot is not None and shot.shown:
        return [Path(target) for target in shot.images.values()]
    found = []
    for reference in recorded:
        try:
            found.append(files.image(plan.manuscript, reference, None))
        except PublishError:
            found.append(Path(plan.manuscript) / reference)  # stamped as it is now: changed, or gone
    return found


def _installs(entry: str) -> bool:
    """Whether the ``sys.path`` folder *entry* holds installed distributions (tools.py reads their versions)."""
    try:
        return bool(entry) and any(name.endswith(".dist-info") for name in os.listdir(entry))
    except OSError:
        return False


def _folders(root: Path) -> list[Path]:
    """*root* and every folder under it (hidden ones and caches aside)."""
    found = []
    for dirpath, dirnames, _filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        found.append(Path(dirpath))
    return found


def forget(out: Path) -> None:
    """Remove the record: a build is about to change the outputs it speaks for."""
    with contextlib.suppress(OSError):
        (Path(out) / RECORD).unlink(missing_ok=True)


def _stamp(path: str | Path) -> list[int] | None:
    """Size and modification time (ns) of *path*, None if it does not exist."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def head(folder: str | Path) -> str | None:
    """The commit the git repository holding *folder* is at, read from its files (None: not in a repository).

    The last commit that touched a folder (epoch.py asks git) cannot change
    while the repository's HEAD stays at the same commit.
    """
    folder = Path(os.path.realpath(folder))
    for parent in (folder, *folder.parents):
        dot_git = parent / ".git"
        if dot_git.is_dir():
            return _commit(dot_git)
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            return _commit(parent / text[len("gitdir:"):].strip()) if text.startswith("gitdir:") else "?"
    return None


def _commit(git_dir: Path) -> str:
    try:
        common = git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except OSError:
        common = git_dir
    try:
        head_text = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return "?"
    if not head_text.startswith("ref: "):
        return head_text  # a detached HEAD: the commit itself
    ref = head_text[len("ref: "):]
    for base in (git_dir, common):
        try:
            return (base / ref).read_text(encoding="utf-8").strip()
        except OSError:
            continue
    try:
        packed = (common / "packed-refs").read_text(encoding="utf-8").splitlines()
    except OSError:
        packed = []
    return next((line.split()[0] for line in packed if line.endswith(f" {ref}")), f"unborn {ref}")
