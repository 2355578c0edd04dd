"""book.yaml's keys checked so that the file helps its author.

- an unknown key gets a warning naming its line and the nearest known key
  (``subtitel:`` → did you mean ``subtitle``?), by difflib;
- an ISBN must have the right check digit (ISBN-10 or ISBN-13);
- ``date`` must be a date an EPUB can carry (YYYY, YYYY-MM, YYYY-MM-DD, or a
  full W3C date-time), checked when the book is loaded, not later by epubcheck;
- ``author`` may be one name or a list of names.

Line numbers come from the YAML node tree (``yaml.compose``), so a message
names the line the author must change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import yaml

from publish import files, yamlload
from publish.errors import ManuscriptError
from publish.yamlload import BoundedLoader

KNOWN = (
    "title", "subtitle", "author", "author-role", "contribution", "lang", "date", "identifier", "isbn",
    "publisher", "rights", "slug", "trim", "folio", "cover", "raw-html", "chapters", "words", "css", "crop-marks",
)
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?")


def key_lines(text: str) -> dict[str, int]:
    """Each top-level key of the YAML *text* → its line (1-based); {} if it is not a mapping."""
    try:
        node = yaml.compose(text, Loader=BoundedLoader)  # aliases and depth bounded
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def unknown_keys(config: dict, lines: dict[str, int], path: Path, known: tuple[str, ...] = KNOWN) -> list[str]:
    """One warning per key the build does not read, with the nearest known key when there is one."""
    found = []
    for key in config:
        if key in known:
            continue
        near = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f": did you mean '{near[0]}'?" if near else f" (known keys: {', '.join(known)})"
        place = f"{path}:{lines[str(key)]}" if str(key) in lines else str(path)
        found.append(f"{place}: unknown key '{key}' is ignored{hint}")
    return found


def authors(value: object, path: Path, line: int | None) -> tuple[str, ...]:
    """``author: A`` or ``author: [A, B]`` → the names, in order."""
    names = value if isinstance(value, list) else [value]
    cleaned = tuple(str(name).strip() for name in names if name is not None and str(name).strip())
    if not cleaned or any(isinstance(name, dict | list) for name in names):
        raise ManuscriptError("author must be a name or a list of names", path, line)
    return cleaned


def check_isbn(value: str, path: Path, line: int | None) -> str:
    """The ISBN as written, if its check digit is right; else a ManuscriptError saying which digit it should be."""
    digits = re.sub(r"[\s-]", "", value.removeprefix("urn:isbn:").removeprefix("isbn:"), flags=re.I).upper()
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        want = str((10 - total % 10) % 10)
    elif re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
        check = (11 - total % 11) % 11
        want = "X" if check == 10 else str(check)
    else:
        raise ManuscriptError(f"isbn {value!r} is not an ISBN: 13 digits (or 10), hyphens allowed", path, line)
    if digits[-1] != want:
        raise ManuscriptError(f"isbn {value!r} has a wrong check digit: {digits[-1]}, where {want} is right",
                              path, line)
    return value


def looks_like_isbn(value: str) -> bool:
    return value.lower().startswith(("urn:isbn:", "isbn:")) or bool(re.fullmatch(r"97[89][\d\s-]{10,14}", value))


def used_files(root: Path) -> list[Path]:
    """The files a book in *root* uses: book.yaml, its chapters, its cover, and images/ and styles/.

    Read leniently (a broken book.yaml gives just itself): this only dates the
    build; load_book is what reports what is wrong.
    """
    root = Path(root)
    found = [root / "book.yaml"]
    try:  # within its cap, never through a symlink leading out, under yamlload's bounds
        config = yamlload.load(files.read(root, "book.yaml", "book.yaml").decode("utf-8-sig"), root / "book.yaml")
    except (UnicodeDecodeError, ManuscriptError):
        config = None
    if isinstance(config, dict):
        chapters = config.get("chapters") if isinstance(config.get("chapters"), list) else []
        named = [entry.get("file") if isinstance(entry, dict) else entry for entry in chapters]
        named.append(config.get("cover"))
        found += [root / name for name in named if isinstance(name, str) and name.strip()]
    for folder in ("images", "styles"):
        found += sorted(p for p in (root / folder).rglob("*") if not any(part.startswith(".") for part in p.parts))
    inside = root.resolve()
    return [p for p in found if p.is_file() and p.resolve().is_relative_to(inside)]


def check_date(value: str, path: Path, line: int | None) -> str:
    """*value* if it is a date an EPUB's ``dc:date`` takes; else a ManuscriptError with the forms allowed."""
    match = DATE.fullmatch(value)
    try:
        if not match:
            raise ValueError
        year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
        dt.date(year, month, day)
    except ValueError:
        raise ManuscriptError(f"date {value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-06-01)",
                              path, line) from None
    return value
