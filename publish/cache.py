"""Rebuild only what changed: one key per cached thing, the hash of all that goes into it.

Two things are cached. Each edition module's outputs, keyed on the
files of the manuscript the book uses (``publish.files.used``: book.yaml, the
chapters, the images they name, lint-ignore.yaml, the book's own styles; no
other file is opened), the stylesheets the registry says it reads
and the fonts, the code of this package, the tools' versions
(``publish.tools``) and every option of the plan that shapes it (editions,
strict, ``SOURCE_DATE_EPOCH``, raw-HTML policy). And each chapter's filtered
AST, keyed on its text and id, the code, the tools' versions (pandoc's and
panflute's among them) and the raw-HTML policy. When a key and the outputs
on disk are as the last build left them, the thing is not made again;
``--force`` (``plan.force``) makes everything again. Computing the keys needs
no heavy import, so a build with nothing to do costs a few hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from publish import files, pandoc, tools
from publish.book import Book
from publish.plan import BuildPlan, editions_of

NAME = ".publish-cache.json"
CHAPTERS = ".publish-cache"  # the chapter ASTs, one JSON file per key
CODE = Path(__file__).resolve().parent


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


def keys(plan: BuildPlan) -> dict[str, str]:
    """For each edition module the plan runs, the hash of everything that goes into its outputs."""
    skip = plan.out.resolve()
    shared = _base()
    styles = plan.styles
    # the manuscript: only the files the book uses, read as the build reads them (publish.files.used)
    _digest_files(shared, "manuscript", Path(os.path.realpath(plan.manuscript)), files.used(plan.manuscript))
    _digest_files(shared, "fonts", styles.fonts_dir, _files(styles.fonts_dir, None, skip))
    found = {}
    for module in plan.modules:
        digest = shared.copy()
        digest.update(json.dumps({"edition": module, "options": plan.options(module)}, sort_keys=True).encode())
        names = tuple(dict.fromkeys(name for edition in editions_of(module) for name in edition.stylesheets))
        found[module] = _digest_files(digest, "styles", styles.root, _files(styles.root, names, skip)).hexdigest()
    return found


def chapter_keys(plan: BuildPlan, book: Book) -> dict[str, str]:
    """For each chapter, the hash of all that shapes its filtered AST."""
    shared = _base()
    # the language sets the typography filter's quotes and spacing
    shared.update(json.dumps({"reader": pandoc.READER, "raw_html": plan.raw_html, "lang": book.metadata.lang},
                             sort_keys=True).encode())
    found = {}
    for chapter in book.chapters:
        digest = shared.copy()
        digest.update(f"{chapter.id}\0".encode())
        digest.update(chapter.text.encode("utf-8"))
        found[chapter.id] = digest.hexdigest()
    return found


def _base():
    """A digest of the tools' versions and this package's code: the start of every key."""
    digest = hashlib.sha256(json.dumps(tools.versions(), sort_keys=True).encode())
    return _digest_files(digest, "code", CODE, _files(CODE, None, None))


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


def _stamp(path: Path) -> str:
    """Size and modification time (ns): cheap, and changed by any rewrite of the file."""
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"
