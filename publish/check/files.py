"""The build folder against its manifest: every output there, unchanged; the sources unchanged since."""

from __future__ import annotations

from pathlib import Path

from publish import manifest
from publish.check import Build, Result, result
from publish.styles import Styles

HINT = "run the check from the folder the build was made in"


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
        return f"the manuscript {build.manifest['manuscript']!r} named in the manifest is not here ({HINT})"
    recorded = build.manifest["sources"]
    now = manifest.sources(folder, build.folder, Styles())
    if now["sha256"] == recorded["sha256"]:
        return None
    changed = [f"{root}/{entry['path']}" for root in ("manuscript", "styles")
               for entry in _symmetric(now[root], recorded[root])]
    return "the sources changed since this build: " + ", ".join(sorted(set(changed))[:6])


def manuscript_folder(build: Build) -> Path | None:
    """The manuscript the manifest names: as given (absolute, or from here), else beside the build folder."""
    if build.manifest is None:
        return None
    given = Path(build.manifest["manuscript"])
    for folder in (given, build.folder.parent / given, build.folder.parent.parent / given):
        if (folder / "book.yaml").is_file():
            return folder
    return None


def _symmetric(a: list[dict], b: list[dict]) -> list[dict]:
    left = {(e["path"], e["sha256"]) for e in a}
    right = {(e["path"], e["sha256"]) for e in b}
    return [{"path": path} for path, _ in left ^ right]


def _summary(problems: list[str]) -> str | None:
    if not problems:
        return None
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return "; ".join(problems[:3]) + more
