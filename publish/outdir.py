"""Which folders a build may write into, checked before anything is written.

Refused: the manuscript folder or any folder inside it (the build would hash
and publish its own outputs as sources); a system folder (``/``, ``/etc``,
``/usr``, the home folder itself…); a folder that is not empty and holds no
build of ours (unless ``--overwrite`` asks for it); and, always, an edition
folder (``html/``) holding a file the previous build did not write — the
build replaces that folder whole, and never deletes a file it did not write.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from publish.errors import OutputError

# Folders no build goes into, nor (for the first group) anywhere under.
SYSTEM_TREES = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/proc", "/sbin", "/sys", "/usr")
SYSTEM_FOLDERS = ("/", "/home", "/media", "/mnt", "/opt", "/root", "/run", "/srv", "/tmp", "/var")
# What a build keeps in its folder besides the editions: never a reason to call the folder someone else's.
OURS = (".publish.lock", ".publish-cache.json", ".publish-cache", ".publish-journal.json")
MANIFEST = "manifest.json"
MAX_RECORD = 16 * 2**20


def refuse_unsafe(out: Path, manuscript: Path, overwrite: bool = False) -> None:
    """OutputError if a build of *manuscript* must not write into *out* (see the module's rules)."""
    real = Path(os.path.realpath(out))
    source = Path(os.path.realpath(manuscript))
    if real == source or real.is_relative_to(source):
        raise OutputError("the output folder is the manuscript folder or inside it: choose a folder beside it "
                          "(the default is build/)", out)
    if str(real) in SYSTEM_FOLDERS or real == Path.home() or any(
            real.is_relative_to(tree) for tree in SYSTEM_TREES):
        raise OutputError("the output folder is a system folder: choose a folder of its own (e.g. build/)", out)
    if not real.is_dir():
        return
    previous = _previous_outputs(real)
    foreign = [entry for entry in sorted(os.listdir(real)) if not _ours(entry)]
    if previous is None and foreign and not overwrite:
        raise OutputError(f"the output folder holds files that no build wrote ({', '.join(foreign[:3])}"
                          f"{' …' if len(foreign) > 3 else ''}): choose an empty folder, or pass --overwrite to "
                          "write the editions beside them (none of them is deleted)", out)
    _refuse_foreign_in_editions(real, previous or set(), out)


def _refuse_foreign_in_editions(real: Path, previous: set[str], out: Path) -> None:
    """A file inside an edition folder that the last build did not write would go when the folder is replaced."""
    for folder in ("html",):
        root = real / folder
        if not root.is_dir() or root.is_symlink():
            continue
        for dirpath, _dirnames, filenames in os.walk(root):
            for name in sorted(filenames):
                relative = (Path(dirpath) / name).relative_to(real).as_posix()
                if relative not in previous:
                    raise OutputError(f"{relative} was not written by a build, and the build replaces {folder}/ "
                                      "whole: move it out of the output folder first", out)


def _previous_outputs(real: Path) -> set[str] | None:
    """The files earlier builds into *real* wrote (as its manifest and cache record list them), or None if it
    holds no build of ours."""
    found: set[str] | None = None
    manifest = _json(real / MANIFEST)
    if isinstance(manifest, dict) and manifest.get("manifest") == 1 and isinstance(manifest.get("outputs"), list):
        found = {MANIFEST} | {e["path"] for e in manifest["outputs"] if isinstance(e, dict) and "path" in e}
    record = _json(real / ".publish-cache.json")
    if isinstance(record, dict):
        found = (found or set()) | {MANIFEST} | {
            path for entry in record.values() if isinstance(entry, dict) for path in entry.get("outputs", {})}
    return found


def _json(path: Path) -> object:
    """The JSON in *path* (a small regular file), or None."""
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_RECORD:
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _ours(entry: str) -> bool:
    return entry in OURS or entry.startswith(".staging-") or (entry.startswith(".") and entry.endswith(
        (".tmp", ".old")))
