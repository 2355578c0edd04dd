"""Ids and links an edition can carry: unique ids, links that lead somewhere, no obsolete attributes.

Chapters are written apart, but every edition holds them in one document (or
links them as one book), so an id must be unique across the book and every
``#id`` link must find its target. The build repairs what an author's markup
gets wrong, and says so with the file and line:

- an id given twice (``{#intro}`` in two chapters, ``<a id="x">`` twice) is made
  unique (``chapter-intro``), and that chapter's own links follow it; ids pandoc
  made up for headings are renamed the same way, silently (nobody wrote them);
- a link to a chapter's file (``02-filedir.md``, ``02-filedir.md#setup``), or to the
  page a site generator makes of it (``02-filedir.html``), points to that chapter;
  a link to an id or a file the book does not hold keeps its text and loses the link;
- an attribute HTML5 made obsolete (``<table summary>``) is dropped;
- a raw ``<img>`` with no ``alt`` gets an empty one (HTML requires it): the warning asks for a description.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml.html import HtmlElement

Warn = Callable[[str], None]
# HTML5's obsolete presentational attributes (W3C HTML, "Obsolete features"); the Nu checker refuses them.
OBSOLETE = {
    "table": {"summary", "align", "bgcolor", "cellpadding", "cellspacing", "frame", "rules", "width", "border"},
    "td": {"align", "bgcolor", "valign", "width", "height", "nowrap", "axis", "abbr", "char", "charoff"},
    "th": {"align", "bgcolor", "valign", "width", "height", "nowrap", "axis", "char", "charoff"},
    "tr": {"align", "bgcolor", "valign", "char", "charoff"},
    "img": {"align", "border", "hspace", "vspace", "longdesc", "name"},
    "a": {"charset", "coords", "shape", "rev", "name"},
    "hr": {"align", "noshade", "size", "width"},
    "br": {"clear"},
    "ul": {"compact", "type"},
    "ol": {"compact"},
    "li": {"type"},
    **{tag: {"align"} for tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "col", "thead",
                                  "tbody", "tfoot", "iframe", "legend")},
}


class Chapter:
    """One chapter's parts in the combined rendering, and where its words come from."""

    def __init__(self, id_: str, path: Path, text: str, parts: list[HtmlElement]):
        self.id, self.path, self.text, self.parts = id_, path, text, parts

    def elements(self):
        """Every element inside the chapter's parts (the part wrappers themselves left out)."""
        for part in self.parts:
            yield from part.iterdescendants()

    def line_of(self, *needles: str) -> str:
        """``file:line`` of the first line holding one of *needles*, else the file alone."""
        for number, line in enumerate(self.text.splitlines(), 1):
            if any(needle in line for needle in needles):
                return f"{self.path}:{number}"
        return str(self.path)


def repair(chapters: list[Chapter], warn: Warn) -> None:
    """Make the book's ids unique and its links whole, in place; *warn* hears each repair."""
    taken: set[str] = set()
    for chapter in chapters:
        _drop_obsolete(chapter, warn)
        _unique_ids(chapter, taken, warn)
    anchors = {chapter.path.resolve(): _first_id(chapter) for chapter in chapters}
    for chapter in chapters:
        _mend_links(chapter, taken, anchors, warn)
        _unresolved_citations(chapter, warn)


def _unresolved_citations(chapter: Chapter, warn: Warn) -> None:
    """Pandoc citations (``[@key]``, ``@key``) stay as the author wrote them: say so, once a chapter, never silently.

    No bibliography is read (citeproc is not run), so a book that cites sees its
    keys in every edition; the text is faithful, but the author must know.
    """
    keys = list(dict.fromkeys(key for part in chapter.parts for span in part.iter("span")
                              if "citation" in (span.get("class") or "").split()
                              for key in (span.get("data-cites") or "").split()))
    if keys:
        shown = ", ".join(f"@{key}" for key in keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
        warn(f"{chapter.line_of('@' + keys[0])}: {len(keys)} cited key(s) ({shown}) are printed as written: "
             "publish reads no bibliography, so citations are not resolved")


def _drop_obsolete(chapter: Chapter, warn: Warn) -> None:
    for element in chapter.elements():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "img" and element.get("alt") is None:
            element.set("alt", "")
            where = chapter.line_of(element.get("src") or "<img")
            warn(f"{where}: <img src={element.get('src')!r}> has no alt text: set as decorative (alt=\"\"); "
                 "describe it if it carries meaning")
        for name in sorted(OBSOLETE.get(element.tag, set()) & set(element.attrib)):
            value = element.attrib.pop(name)
            if element.tag == "a" and name == "name" and not element.get("id"):
                element.set("id", value)  # <a name> was HTML4's anchor: HTML5's is the id
                continue
            where = chapter.line_of(f"{name}=")
            warn(f"{where}: <{element.tag} {name}> is obsolete in HTML5: dropped")


def _unique_ids(chapter: Chapter, taken: set[str], warn: Warn) -> None:
    renamed: dict[str, str] = {}
    for element in chapter.elements():
        id_ = element.get("id") if isinstance(element.tag, str) else None
        if not id_:
            continue
        if id_ in taken:
            new = _free(f"{chapter.id}-{id_}", taken)
            element.set("id", new)
            renamed.setdefault(id_, new)
            if _written(chapter.text, id_):
                where = chapter.line_of(f"#{id_}", f"id={id_}", f'id="{id_}"', f"id='{id_}'")
                warn(f"{where}: the id {id_!r} is used more than once in the book: this one is now {new!r}")
        taken.add(element.get("id"))
    for link in _links(chapter):
        href = link.get("href")
        if href.startswith("#") and unquote(href[1:]) in renamed:
            link.set("href", "#" + renamed[unquote(href[1:])])


def _written(text: str, id_: str) -> bool:
    """Did the author write this id (``{#id}``, ``id="id"``), or did pandoc make it?"""
    return bool(re.search(r"\{[^}]*#" + re.escape(id_) + r"[\s}]|\bid\s*=\s*[\"']?" + re.escape(id_) + r"\b", text))


def _free(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _first_id(chapter: Chapter) -> str | None:
    return next((e.get("id") for e in chapter.elements() if isinstance(e.tag, str) and e.get("id")), None)


def _links(chapter: Chapter) -> list[HtmlElement]:
    return [e for part in chapter.parts for e in part.iter("a") if e.get("href") is not None]


RENDERED = (".html", ".htm", ".xhtml")  # a chapter's page as a site generator (mdBook, Quarto) names it
SOURCES = (".md", ".markdown", ".qmd", ".txt")


def _chapter_anchor(path: Path, anchors: dict[Path, str | None]) -> str | None:
    """The first id of the chapter *path* names: its file, or the page a site generator makes of it
    (``ch03-02-data-types.html`` for ``ch03-02-data-types.md``)."""
    candidates = [path] + ([path.with_suffix(suffix) for suffix in SOURCES] if path.suffix in RENDERED else [])
    return next((anchors[found] for found in (c.resolve() for c in candidates) if anchors.get(found)), None)


def _mend_links(chapter: Chapter, ids: set[str], anchors: dict[Path, str | None], warn: Warn) -> None:
    for link in _links(chapter):
        href = link.get("href")
        parsed = urlparse(href)
        if parsed.scheme or parsed.netloc or not href:
            continue  # the web, mail: links the reader's software follows
        fragment = unquote(parsed.fragment)
        if not parsed.path:
            target = fragment if fragment in ids else None
        else:
            chapter_anchor = _chapter_anchor(chapter.path.parent / unquote(parsed.path), anchors)
            target = fragment if chapter_anchor and fragment in ids else chapter_anchor
        if target:
            link.set("href", f"#{target}")
            continue
        what = f"the id {fragment!r}" if not parsed.path else f"{parsed.path!r}, which is not a chapter of the book"
        warn(f"{chapter.line_of(href)}: the link to {href!r} leads nowhere ({what}): its text is kept, unlinked")
        link.drop_tag()
