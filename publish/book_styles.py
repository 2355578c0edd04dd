"""A book's own stylesheets, laid over the toolchain's: the styles in force for one build.

A manuscript may hold a ``styles/`` folder (``print.css``, ``epub.css``,
``web.css``, any of them, and files they use, such as fonts), or name files in
book.yaml:

    css: extra.css                 # laid over every edition's stylesheet
    css: [a.css, b.css]
    css: {print: print-extra.css, web: [web-a.css]}

``in_force`` makes the folder a build reads: the toolchain's styles copied,
each book stylesheet appended after the toolchain's own (so the book's rules
win in the cascade), and the book's other files (fonts, images, a print
profile) copied over. With nothing of the book's own, it is the toolchain's
folder itself, untouched. The build plan holds the result
(``styles in force``); the cache already hashes the whole manuscript, the
book's styles included, and the diff builds each revision with its own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from publish.errors import ManuscriptError
from publish.files import read
from publish.styles import Styles

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


def in_force(toolchain: Styles, root: Path, css: tuple[tuple[str, str], ...] = ()) -> Styles:
    """The styles a build of the manuscript *root* uses: *toolchain*'s, with the book's own laid over.

    With nothing of the book's own, *toolchain* itself. Otherwise a folder named
    by the hash of what goes into it, under the system's temporary folder:
    made once (atomically), read by every build of the same styles after.
    """
    own = Path(root) / FOLDER
    extra = sheets(root, css)
    if not own.is_dir() and not any(extra.values()):
        return toolchain
    layers = _layers(toolchain.root, Path(root), own, extra)
    digest = hashlib.sha256()
    for name, data in sorted(layers.items()):
        digest.update(f"{name}\0".encode() + hashlib.sha256(data).digest())
    target = Path(tempfile.gettempdir()) / f"publish-styles-{digest.hexdigest()[:32]}"
    if not target.is_dir():
        staged = Path(tempfile.mkdtemp(prefix=".publish-styles-", dir=target.parent))
        for name, data in layers.items():
            (staged / name).parent.mkdir(parents=True, exist_ok=True)
            (staged / name).write_bytes(data)
        try:
            staged.rename(target)
        except OSError:  # another build made the same folder meanwhile
            shutil.rmtree(staged, ignore_errors=True)
    return Styles(target)


def _layers(base: Path, root: Path, own: Path, extra: dict[str, list[str]]) -> dict[str, bytes]:
    """Every file of the styles in force (relative name → bytes): the toolchain's, the book's over them."""
    files = {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if _kept(p, base)}
    if own.is_dir():  # the book's own files: regular, inside the manuscript, within a cap (publish.files)
        files.update({name: _read(root, f"{FOLDER}/{name}") for name in own_files(root)
                      if name not in SHEETS.values()})
    for name, paths in extra.items():
        parts = [files[name].decode("utf-8")] if name in files else []
        parts += [f"/* laid over by the book: {path} */\n{_read(root, path).decode('utf-8')}" for path in paths]
        if paths:
            files[name] = "\n".join(parts).encode("utf-8")
    return files


def _read(root: Path, name: str) -> bytes:
    """A file of the book's styles; a stylesheet must fetch nothing from outside and run nothing."""
    data = read(root, name, "stylesheet")
    if name.lower().endswith(".css"):
        from publish import css_safety

        css_safety.check(data.decode("utf-8", "replace"), name, Path(root) / name)
    return data


def own_files(root: Path) -> list[str]:
    """The files of the manuscript's styles/ folder (names inside it) that a build may read: regular files
    inside the manuscript, found without following a symlink out."""
    from publish.files import inside

    own, found = Path(root) / FOLDER, []
    for dirpath, dirnames, filenames in os.walk(own, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(f for f in filenames if not f.startswith(".")):
            relative = (Path(dirpath) / name).relative_to(own).as_posix()
            try:
                inside(root, f"{FOLDER}/{relative}", "stylesheet")
            except ManuscriptError:
                continue
            found.append(relative)
    return found


def _kept(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in parts)
