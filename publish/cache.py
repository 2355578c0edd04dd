"""Rebuild only what changed: one key per cached thing, the hash of all that goes into it.

Two things are cached. Each edition module's outputs, keyed on the
files of the manuscript the book uses (``publish.files.used``: book.yaml, the
chapters, lint-ignore.yaml, the book's own styles; no other file is opened)
and the images the build showed: the references it resolved
(``safety.resolve_image``, recorded in ``.publish-cache.json`` beside the key,
so that cache and build can never disagree on which files they are), each
resolved again and hashed before the next build; while the text is
unchanged, the references it makes are the same. Every file is hashed as the
build's snapshot read it (``publish.snapshot``: one read per build), and the
key recorded is made after the build from the very bytes it used.
The key also holds the stylesheets the registry says it reads
and the fonts, the code of this package, the tools' versions
(``publish.tools``) and every option of the plan that shapes it (editions,
strict, ``SOURCE_DATE_EPOCH``, raw-HTML policy). And each chapter's filtered
AST, keyed on its text, id and folder, the code, the tools' versions (pandoc's and
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

from publish import files, pandoc, snapshot, tools
from publish.book import Book
from publish.errors import PublishError
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
            "images": snapshot.images(),  # what this build showed: the next build's list to hash
        }

    def save(self) -> None:
        from publish.output import write_bytes

        write_bytes(self.path, (json.dumps(self.entries, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def shown(out: Path) -> list[str]:
    """The image references the last builds of the editions in *out* showed (each edition's record)."""
    found: dict[str, None] = {}
    for entry in Cache(out).entries.values():
        recorded = entry.get("images") if isinstance(entry, dict) else None
        found.update(dict.fromkeys(r for r in recorded if isinstance(r, str)) if isinstance(recorded, list) else {})
    return list(found)


def keys(plan: BuildPlan, built: bool = False) -> dict[str, str]:
    """For each edition module the plan runs, the hash of everything that goes into its outputs.

    Before a build the images are those the last build into ``plan.out`` showed; once *built*, those this
    build resolved, with the bytes it read (nothing is read again).
    """
    skip = plan.out.resolve()
    shared = _base()
    styles = plan.styles
    _digest_manuscript(shared, plan)
    _digest_files(shared, "fonts", styles.fonts_dir, _files(styles.fonts_dir, None, skip))
    shown = _shown_now() if built else _ShownBefore(plan)
    found = {}
    for module in plan.modules:
        digest = shared.copy()
        images = shown if built else shown.of(module)
        for reference in sorted(images):
            digest.update(f"image/{reference}\0{images[reference]}\n".encode())
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
    root = Path(os.path.realpath(book.root))
    for chapter in book.chapters:
        digest = shared.copy()
        # its folder in the manuscript: its images' paths are read from there (filters/paths.py)
        folder = Path(os.path.realpath(chapter.path)).parent
        folder = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else str(folder)
        digest.update(f"{chapter.id}\0{folder}\0".encode())
        digest.update(chapter.text.encode("utf-8"))
        found[chapter.id] = digest.hexdigest()
    return found


def _base():
    """A digest of the tools' versions and this package's code: the start of every key."""
    digest = hashlib.sha256(json.dumps(tools.versions(), sort_keys=True).encode())
    return _digest_files(digest, "code", CODE, _files(CODE, None, None))


def _digest_manuscript(digest, plan: BuildPlan) -> None:
    """The files the book uses but its images, each as the build's snapshot read it."""
    root = Path(os.path.realpath(plan.manuscript))
    for path in files.used(plan.manuscript):
        digest.update(f"manuscript/{path.relative_to(root).as_posix()}\0{_sha256(path)}\n".encode())


def _shown_now() -> dict[str, str]:
    """The images this build showed (reference → hash of the bytes it read)."""
    shot = snapshot.current()
    return {} if shot is None else {ref: shot.entries[target].sha256 for ref, target in shot.images.items()}


class _ShownBefore:
    """The images the last build of each edition showed, each resolved and hashed now (once for all)."""

    def __init__(self, plan: BuildPlan):
        self.plan, self.record, self.hashes = plan, Cache(plan.out), {}

    def of(self, module: str) -> dict[str, str]:
        entry = self.record.entries.get(module)
        recorded = entry.get("images") if isinstance(entry, dict) else None
        references = [r for r in recorded if isinstance(r, str)] if isinstance(recorded, list) else []
        for reference in references:
            if reference not in self.hashes:
                self.hashes[reference] = _image_sha256(self.plan.manuscript, reference)
        return {reference: self.hashes[reference] for reference in references}


def _sha256(path: Path) -> str:
    """The hash of a file the snapshot read (or, outside a build, of the file as it is now)."""
    shot = snapshot.current()
    entry = shot.get(path) if shot is not None else None
    if entry is not None:
        return entry.sha256
    return hashlib.sha256(files.read_checked(path, "file", path.name)).hexdigest()


def _image_sha256(manuscript: Path, reference: str) -> str:
    """The hash of the image *reference* resolves to now, or why it does not (the build will say so)."""
    try:
        target = files.image(manuscript, reference, None)
        return hashlib.sha256(files.read_checked(target, "image", reference)).hexdigest()
    except PublishError as error:
        return f"unusable: {error}"


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
