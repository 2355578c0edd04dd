"""Rebuild only what changed: each edition's outputs keyed by the hash of all that goes into them.

The key of an edition covers the files of the manuscript the book uses (book.yaml, chapters, the images
they name, lint-ignore.yaml: ``publish.files.used``, never anything else), the
stylesheet and fonts that edition uses, the code of this package, the
versions of the tools, and the build options (variants, strict, the
``SOURCE_DATE_EPOCH``). When the key and the outputs on disk are as the last
build left them, the edition is not written again. ``--force`` ignores it.
Computing the keys needs no pandoc run and no heavy import, so a build with
nothing to do costs a few hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

from publish import files, styles

NAME = ".publish-cache.json"
CODE = Path(__file__).resolve().parent
# the stylesheet(s) each edition reads (and the print PDF's output profile); fonts count for every edition
STYLESHEETS = {"pdf": ("print.css", "icc/FOGRA39L.icc"), "epub": ("epub.css",), "html": ("web.css",)}
DISTRIBUTIONS = ("pypandoc-binary", "panflute", "weasyprint", "pydyf", "EbookLib", "lxml", "pillow", "pyphen")


class Cache:
    """The record of what the last build into a folder wrote, and from what."""

    def __init__(self, out: Path):
        self.path = out / NAME
        try:
            self.entries: dict = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def fresh(self, edition: str, key: str) -> list[Path] | None:
        """The outputs of *edition* if they were made from *key* and are untouched since; else None."""
        entry = self.entries.get(edition)
        if not entry or entry.get("key") != key:
            return None
        out = self.path.parent
        for relative, stamp in entry["outputs"].items():
            path = out / relative
            if not path.is_file() or _stamp(path) != stamp:
                return None
        return [out / relative for relative in entry["written"]]

    def record(self, edition: str, key: str, written: list[Path]) -> None:
        out = self.path.parent
        files = []
        for path in written:
            files += sorted(p for p in path.parent.rglob("*") if p.is_file()) if path.parent != out else [path]
        self.entries[edition] = {
            "key": key,
            "written": [p.relative_to(out).as_posix() for p in written],
            "outputs": {p.relative_to(out).as_posix(): _stamp(p) for p in files if not p.name.startswith(".")},
        }

    def save(self) -> None:
        from publish.output import write_bytes

        write_bytes(self.path, (json.dumps(self.entries, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def keys(manuscript: Path, options: dict[str, dict], out: Path | None = None) -> dict[str, str]:
    """For each edition named in *options*, the hash of everything that goes into it."""
    skip = out.resolve() if out is not None else None
    shared = hashlib.sha256(json.dumps(_versions(), sort_keys=True).encode())
    # the manuscript: only the files the book uses, read as the build reads them (publish.files)
    _digest_files(shared, "manuscript", Path(os.path.realpath(manuscript)), files.used(manuscript))
    for label, root in (("fonts", styles.fonts_dir()), ("code", CODE)):
        _digest_files(shared, label, root, _files(root, None, skip))
    found = {}
    for edition, edition_options in options.items():
        digest = shared.copy()
        digest.update(json.dumps({"edition": edition, "options": edition_options}, sort_keys=True).encode())
        sheets = _files(styles.root(), STYLESHEETS.get(edition, ()), skip)
        found[edition] = _digest_files(digest, "styles", styles.root(), sheets).hexdigest()
    return found


def _digest_files(digest, label: str, root: Path, paths: list[Path]):
    for path in paths:
        digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest


def _files(root: Path, names: tuple[str, ...] | None, skip: Path | None) -> list[Path]:
    if names is not None:
        return [root / name for name in names if (root / name).is_file()]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        if skip is not None and Path(dirpath).resolve().is_relative_to(skip):
            continue
        found += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith(".") and not f.endswith(".pyc")]
    return found


def _versions() -> dict:
    """Versions of the distributions that shape the outputs, read from their dist-info folders' names.

    (importlib.metadata parses every METADATA file: ten times slower, and this runs on every build.)
    """
    installed: dict[str, str] = {}
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_dir():
            for info in folder.glob("*.dist-info"):
                name, _, version = info.name[: -len(".dist-info")].partition("-")
                installed.setdefault(_normal(name), version)
    found = {name: installed.get(_normal(name)) for name in DISTRIBUTIONS}
    found["pandoc"] = os.environ.get("PUBLISH_PANDOC", "")
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _stamp(path: Path) -> str:
    """Size and modification time (ns): cheap, and changed by any rewrite of the file."""
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"
