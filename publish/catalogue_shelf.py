"""A shelf of books for ``publish catalogue``: which manuscripts, each under which slug.

A shelf is a folder whose sub-folders are manuscripts (each with its
``book.yaml``), or a ``catalogue.yaml`` (the file, or a folder holding one)
that lists manuscript folders, relative to the catalogue's folder::

    books:
      - backlist/the-first-book
      - /srv/press/the-second-book

A shelf that cannot be read at all is a PublishError. A bad entry (not a
path, no manuscript there, a book that does not load, a slug another book
already has) fails that book alone: it becomes a ``Shelved`` with its one-line
error, and the others are built.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from publish.errors import ManuscriptError, PublishError

CATALOGUE = "catalogue.yaml"
MAX_CATALOGUE_BYTES = 4 << 20  # a list of paths: thousands of books fit in far less


@dataclass(frozen=True)
class Shelved:
    """One book of the shelf: its manuscript folder (absolute), its slug, or why it cannot be built."""

    manuscript: Path
    slug: str
    error: str | None = None


def read_shelf(shelf: Path) -> list[Shelved]:
    """The books of *shelf*, in shelf order, each with its slug or its error."""
    shelf = Path(shelf)
    if shelf.is_dir() and (shelf / CATALOGUE).is_file():
        shelf = shelf / CATALOGUE
    if shelf.is_file():
        entries = _catalogue_entries(shelf)
    elif shelf.is_dir():
        entries = [(path, None) for path in sorted(shelf.iterdir(), key=lambda p: p.name)
                   if path.is_dir() and not path.name.startswith(".") and (path / "book.yaml").is_file()]
        if not entries:
            raise PublishError("no manuscripts here: no sub-folder holds a book.yaml, and there is no "
                               f"{CATALOGUE}", shelf)
    else:
        raise PublishError("no such shelf (a folder of manuscripts, or a catalogue.yaml)", shelf)
    return _with_slugs(entries)


def _catalogue_entries(path: Path) -> list[tuple[Path, str | None]]:
    """(manuscript, error) for each entry of a catalogue.yaml; the error names the file and line."""
    if path.stat().st_size > MAX_CATALOGUE_BYTES:
        raise ManuscriptError(f"the catalogue is larger than {MAX_CATALOGUE_BYTES >> 20} MB", path)
    try:
        root = yaml.compose(path.read_bytes().decode("utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        raise ManuscriptError("the catalogue is not UTF-8 text", path) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ManuscriptError(problem, path, mark.line + 1 if mark else None) from None
    books = _books_node(root, path)
    entries = []
    for node in books.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value.strip():
            entries.append((path.parent / f"entry-{line}", f"{path}:{line}: an entry must be a manuscript path"))
            continue
        manuscript = Path(node.value.strip())
        manuscript = manuscript if manuscript.is_absolute() else path.parent / manuscript
        error = None if (manuscript / "book.yaml").is_file() else (
            f"{path}:{line}: no manuscript at {node.value.strip()} (no book.yaml there)")
        entries.append((manuscript, error))
    return entries


def _books_node(root: yaml.Node | None, path: Path) -> yaml.SequenceNode:
    """The list of books: the document itself, or its ``books:`` key."""
    if isinstance(root, yaml.MappingNode):
        keys = {key.value: value for key, value in root.value if isinstance(key, yaml.ScalarNode)}
        unknown = sorted(set(keys) - {"books"})
        if unknown:
            raise ManuscriptError(f"unknown key {unknown[0]!r}: a catalogue has only 'books'", path,
                                  root.start_mark.line + 1)
        root = keys.get("books")
    if not isinstance(root, yaml.SequenceNode) or not root.value:
        line = root.start_mark.line + 1 if root is not None else None
        raise ManuscriptError("the catalogue must list manuscript paths under 'books:'", path, line)
    return root


def _with_slugs(entries: list[tuple[Path, str | None]]) -> list[Shelved]:
    """Load each book's metadata for its slug; a book that does not load, or repeats a slug, fails alone."""
    from publish.book import load_book

    shelved: list[Shelved] = []
    taken: dict[str, Path] = {}
    seen: set[Path] = set()
    for manuscript, error in entries:
        manuscript = manuscript.absolute()
        slug = manuscript.name
        if error is None and manuscript.resolve() in seen:
            error = f"{manuscript}: listed twice in the catalogue"
        if error is None:
            seen.add(manuscript.resolve())
            try:
                slug = load_book(manuscript).slug
            except PublishError as failure:
                error = str(failure)
        if error is None and slug in taken:
            error = f"{manuscript / 'book.yaml'}: slug {slug!r} is also that of {taken[slug]}"
        if error is None:
            taken[slug] = manuscript
        shelved.append(Shelved(manuscript, slug, error))
    return shelved
