"""The build folder against its manifest: every output there, unchanged; the sources unchanged since."""

from __future__ import annotations

from pathlib import Path

from publish import manifest
from publish.check import Build, Result, Skip, result
from publish.files import IMAGE_SUFFIXES
from publish.output import JOURNAL
from publish.styles import Styles

HINT = "give it with 'publish check BUILD --manuscript FOLDER'"


def run(build: Build) -> list[Result]:
    return [
        result("manifest outputs", lambda: outputs(build)),
        result("manifest sources", lambda: sources(build)),
    ]


def outputs(build: Build) -> str | None:
    """Each output the manifest lists is in the folder with the recorded size and sha256."""
    if build.manifest is None:
        return f"no {manifest.NAME} in the build folder: build it with 'publish build'"
    problems = []
    if (build.folder / JOURNAL).exists():
        problems.append("a build was stopped while publishing its editions (.publish-journal.json is there): "
                        "they may come from two builds; build again to complete it")
    for entry in build.manifest.get("outputs", []):
        path = build.folder / entry["path"]
        if not path.resolve().is_relative_to(build.folder.resolve()):
            problems.append(f"{entry['path']} lies outside the build folder")
        elif not path.is_file():
            problems.append(f"{entry['path']} is missing")
        elif path.stat().st_size != entry["size"] or manifest.sha256(path) != entry["sha256"]:
            problems.append(f"{entry['path']} differs from the manifest (changed after the build)")
    if not build.manifest.get("outputs"):
        problems.append("the manifest lists no outputs")
    return _summary(problems)


def sources(build: Build) -> str | None:
    """The manuscript and styles still hash as they did at build time (else the build is stale)."""
    if build.manifest is None:
        return f"no {manifest.NAME}: the sources of this build are unknown"
    folder = manuscript_folder(build)
    if folder is None:
        raise Skip(f"no manuscript to compare the sources with ({HINT})")
    recorded = build.manifest["sources"]
    shown = [entry["path"] for entry in recorded.get("manuscript", [])
             if str(entry.get("path", "")).lower().endswith(IMAGE_SUFFIXES)]  # the images the build showed
    now = manifest.sources(folder, build.folder, _styles_in_force(folder), shown)
    if now["sha256"] == recorded["sha256"]:
        return None
    changed = [f"{root}/{entry['path']}" for root in ("manuscript", "styles")
               for entry in _symmetric(now[root], recorded[root])]
    return "the sources changed since this build: " + ", ".join(sorted(set(changed))[:6])


def _styles_in_force(folder: Path) -> Styles:
    """The styles a build of *folder* uses: the toolchain's with the book's own laid over, as ``build`` makes them."""
    from publish import book_styles
    from publish.book import load_book

    return book_styles.in_force(Styles(), folder, load_book(folder).metadata.css)


def manuscript_folder(build: Build) -> Path | None:
    """The manuscript given on the command line (``--manuscript``); never one the manifest names."""
    return build.manuscript


def _symmetric(a: list[dict], b: list[dict]) -> list[dict]:
    left = {(e["path"], e["sha256"]) for e in a}
    right = {(e["path"], e["sha256"]) for e in b}
    return [{"path": path} for path, _ in left ^ right]


def _summary(problems: list[str]) -> str | None:
    if not problems:
        return None
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return "; ".join(problems[:3]) + more
