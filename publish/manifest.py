"""``build/manifest.json``: what a build made, from what, with what.

Every output with its sha256, size (and page count for PDFs); the hash of the
sources (manuscript and styles, file by file, in a stable order); the versions
of the tools and fonts; the ``SOURCE_DATE_EPOCH`` used; the trim. The manifest
is itself reproducible: no clock time, output paths relative to the build
folder, the manuscript path as it was given.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from publish import tools
from publish.book import Book
from publish.errors import CheckFailed
from publish.output import write_bytes
from publish.plan import BLEED_MM, BuildPlan
from publish.styles import Styles

NAME = "manifest.json"
FORMAT = 1


def write(plan: BuildPlan, book: Book, written: list[Path], prepared: dict | None = None) -> Path:
    """Write ``out/manifest.json`` atomically for a build that wrote *written*.

    *prepared* is what ``prepare`` returned for the same build, if the build
    had a moment to spare while the PDF was laid out; else it is made here.
    """
    data = {**(prepared or prepare(plan, book)), "outputs": outputs(plan.out, written)}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return write_bytes(plan.out / NAME, text.encode("utf-8"))


def prepare(plan: BuildPlan, book: Book) -> dict:
    """Everything in the manifest but the outputs (which must be final to be hashed)."""
    import pikepdf  # noqa: F401 - loaded now, for the PDFs' page counts later

    meta, date = book.metadata, plan.date
    return {
        "manifest": FORMAT,
        "book": {"title": meta.title, "identifier": meta.identifier, "slug": meta.slug, "lang": meta.lang},
        "manuscript": str(plan.manuscript),
        "formats": list(plan.editions),
        "source_date_epoch": date.seconds,
        "source_date": date.iso,
        "source_date_origin": date.origin,
        "trim": {"width_mm": meta.trim[0], "height_mm": meta.trim[1], "bleed_mm": BLEED_MM},
        # the images: those this build showed; if it made no edition again, those the last one did
        "sources": sources(book.root, plan.out, plan.styles, _recorded_images(plan.out)),
        "tools": tools.versions(),
        "fonts": fonts(plan.styles),
    }


def _recorded_images(out: Path) -> list[str]:
    from publish import cache

    return cache.shown(out)


def read(out: Path) -> dict | None:
    """The manifest of the build in *out*, or None if there is none."""
    path = out / NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckFailed(f"the manifest is not readable JSON: {error}", path) from None
    if not isinstance(data, dict) or data.get("manifest") != FORMAT:
        raise CheckFailed(f"not a publish manifest (format {FORMAT})", path)
    return data


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sources(manuscript: Path, out: Path, styles: Styles | None = None, images: list[str] = ()) -> dict:
    """Each source file's hash, and one hash over them all (path and hash, in order).

    In a build, the images are those it showed; outside one (``publish check``), *images* (paths inside the
    manuscript, as a manifest lists them) are hashed as they are now.
    """
    styles = styles or Styles()  # the toolchain's own unless the build used others
    listing = {"manuscript": _used(manuscript, images), "styles": _files(styles.root, skip=out)}
    digest = hashlib.sha256()
    for root, files in listing.items():
        for entry in files:
            digest.update(f"{root}/{entry['path']}\0{entry['sha256']}\n".encode())
    return {"sha256": digest.hexdigest(), **listing}


def _used(manuscript: Path, images: list[str] = ()) -> list[dict]:
    """The files the book uses (``publish.files.used``) and the images the build showed, each with the hash
    and size of the bytes the build read (its snapshot): no other file of the manuscript folder is read.
    Outside a build (or when it made no edition again), the images are *images*, hashed as they are now."""
    from publish import files, snapshot

    root = Path(os.path.realpath(manuscript))
    shot = snapshot.current()
    shot = shot if shot is not None and shot.root == root else None
    entries = {}
    for path in files.used(manuscript):
        entry = shot.get(path) if shot is not None else None
        entries[path] = (entry.sha256, entry.size) if entry is not None else (sha256(path), path.stat().st_size)
    if shot is not None and shot.shown:
        entries.update({Path(target): (shot.entries[target].sha256, shot.entries[target].size)
                        for target in shot.images.values()})
    else:
        entries.update(_image_now(root, name) for name in images)
    return [{"path": path.relative_to(root).as_posix(), "sha256": digest, "size": size}
            for path, (digest, size) in sorted(entries.items(), key=lambda item: item[0].relative_to(root))]


def _image_now(root: Path, name: str) -> tuple[Path, tuple[str, int]]:
    """An image named by a manifest or the cache, hashed as it is now (read as a build reads it)."""
    from publish import files
    from publish.errors import PublishError

    try:
        path = files.inside(root, name, "image")
        data = files.read_checked(path, "image", name)
    except PublishError:
        return Path(os.path.normpath(root / name)), ("unreadable now", 0)
    return path, (hashlib.sha256(data).hexdigest(), len(data))


def _files(root: Path, skip: Path) -> list[dict]:
    skip = skip.resolve()
    found = []
    for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.resolve().is_relative_to(skip):
            continue  # a build folder kept inside the manuscript is not a source
        found.append({"path": relative.as_posix(), "sha256": sha256(path), "size": path.stat().st_size})
    return found


def fonts(styles: Styles) -> list[dict]:
    """Each vendored font: file, full name and version string from its name table, and hash."""
    from fontTools.ttLib import TTFont

    found = []
    for path in styles.font_files():
        with TTFont(path, lazy=True) as font:
            names = font["name"]
            found.append({"file": path.name, "name": names.getDebugName(4), "version": names.getDebugName(5),
                          "sha256": sha256(path)})
    return found


def outputs(out: Path, written: list[Path]) -> list[dict]:
    """Every file the build wrote (an edition folder counts file by file), relative to *out*."""
    files: set[Path] = set()
    for path in written:
        folder = path.parent
        if folder.resolve() != out.resolve() and folder.is_dir():
            files.update(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            files.add(path)
    entries = []
    for path in sorted(files, key=lambda p: p.relative_to(out).as_posix()):
        entry = {"path": path.relative_to(out).as_posix(), "sha256": sha256(path), "size": path.stat().st_size}
        if path.suffix == ".pdf":
            entry["pages"] = page_count(path)
        entries.append(entry)
    return entries


def page_count(path: Path) -> int | None:
    """The PDF's number of pages, read by qpdf (pikepdf): linear in the file, where pypdf took 115 s at
    10,000 notes (benchmarks/notes.py, issue 14); None if it is not a PDF qpdf can open."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except (pikepdf.PdfError, OSError, ValueError):
        return None
