"""A book's own stylesheets, laid over the toolchain's: the styles in force for one build.

A manuscript may hold a ``styles/`` folder (``print.css``, ``epub.css``,
``web.css``, any of them, and files they use, such as fonts), or name files in
book.yaml:

    css: extra.css                 # laid over every edition's stylesheet
    css: [a.css, b.css]
    css: {print: print-extra.css, web: [web-a.css]}

``layered`` makes the folder a build reads: the toolchain's styles copied,
each book stylesheet appended after the toolchain's own (so the book's rules
win in the cascade), and the book's other files (fonts, images, a print
profile) copied over. With nothing of the book's own, it is the toolchain's
folder itself, untouched. The build plan holds the result
(``styles in force``); the cache already hashes the whole manuscript, the
book's styles included, and the diff builds each revision with its own.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from publish.errors import ManuscriptError

SHEETS = {"print": "print.css", "epub": "epub.css", "web": "web.css"}
FOLDER = "styles"


def parse_css(root: Path, css: object, config: Path | None = None) -> tuple[tuple[str, str], ...]:
    """book.yaml's ``css:`` as (stylesheet, file inside the manuscript) pairs, in the order they are laid on."""
    root = Path(root)
    config = config or root / "book.yaml"
    if css in (None, "", [], {}):
        return ()
    if isinstance(css, dict):
        unknown = [key for key in css if key not in SHEETS]
        if unknown:
            raise ManuscriptError(f"css: {unknown[0]!r} is not an edition's stylesheet (choose from "
                                  f"{', '.join(SHEETS)})", config)
        wanted = {SHEETS[key]: value for key, value in css.items()}
    else:
        wanted = dict.fromkeys(SHEETS.values(), css)
    return tuple((name, _inside(root, file, config)) for name, files in wanted.items()
                 for file in (files if isinstance(files, list) else [files]))


def sheets(root: Path, css: tuple[tuple[str, str], ...] = ()) -> dict[str, list[str]]:
    """The book's stylesheets (paths inside *root*) for each edition stylesheet: styles/NAME first, then css:."""
    found: dict[str, list[str]] = {name: [] for name in SHEETS.values()}
    for name in SHEETS.values():
        if (Path(root) / FOLDER / name).is_file():
            found[name].append(f"{FOLDER}/{name}")
    for name, file in css:
        found[name].append(file)
    return found


def _inside(root: Path, name: object, config: Path) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ManuscriptError("css: each entry must be a file name inside the manuscript folder", config)
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ManuscriptError(f"css: {name!r} lies outside the manuscript folder", config)
    if not path.is_file() or path.suffix.lower() != ".css":
        raise ManuscriptError(f"css: {name!r} is not a .css file in the manuscript folder", config)
    return path.relative_to(root.resolve()).as_posix()


@contextlib.contextmanager
def layered(toolchain: Path, root: Path, css: tuple[tuple[str, str], ...] = ()) -> Iterator[Path]:
    """The styles folder for a build of the manuscript *root*: *toolchain*'s, with the book's laid over."""
    own = Path(root) / FOLDER
    extra = sheets(root, css)
    if not own.is_dir() and not any(extra.values()):
        yield Path(toolchain)
        return
    with tempfile.TemporaryDirectory(prefix="publish-styles-") as folder:
        merged = Path(folder) / "styles"
        shutil.copytree(toolchain, merged)
        if own.is_dir():
            shutil.copytree(own, merged, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*SHEETS.values()))
        for name, files in extra.items():
            parts = [(Path(toolchain) / name).read_text(encoding="utf-8")] if (Path(toolchain) / name).is_file() else []
            for file in files:
                parts.append(f"/* laid over by the book: {file} */\n{(Path(root) / file).read_text(encoding='utf-8')}")
            (merged / name).write_text("\n".join(parts), encoding="utf-8")
        yield merged
