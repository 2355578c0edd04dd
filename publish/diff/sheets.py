"""What an EPUB or HTML section's own stylesheets say to it: its rules, its fonts, for the diff's "style" reason.

A section's stylesheets are compared rule by rule (tinycss2, WeasyPrint's own
CSS parser), not by their bytes: a build writes rules that name the book's
elements by id (the HTML edition's ``notes.css`` has one rule per note), and
such a rule changes whenever a note is added or removed, in every section
that links the sheet. A rule that names an id counts for a section only when
every id it names is in that section on both sides; a change to any other
rule, or to a font file, is a change of style.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass

import tinycss2
from lxml import html as lxml_html

FONTS = (".otf", ".ttf", ".woff", ".woff2")
ID_IN_SELECTOR = re.compile(r"""#(-?[_a-zA-Z][\w-]*)|\[\s*id\s*[~|^$*]?=\s*["']?([^"'\]\s]+)""")


@dataclass(frozen=True)
class Rule:
    text: str  # the rule as written, whitespace collapsed
    ids: frozenset[str]  # the ids its selector names


@dataclass
class Sheets:
    rules: tuple[Rule, ...]
    fonts: str  # digest of the edition's font files


def read(files, name: str) -> Sheets:
    """The rules of the stylesheets section *name* links (in order), and the digest of the edition's fonts."""
    data = files.get(name)
    rules: list[Rule] = []
    if data:
        base = posixpath.dirname(name)
        root = lxml_html.document_fromstring(data)
        for href in root.xpath('//link[@rel="stylesheet"]/@href'):
            sheet = files.get(posixpath.normpath(posixpath.join(base, href.split("?")[0])))
            rules += _rules((sheet or b"").decode("utf-8", "replace"))
        for style in root.xpath("//style"):
            rules += _rules(style.text_content())
    fonts = hashlib.sha256()
    for font in sorted(n for n in _names(files) if n.lower().endswith(FONTS)):
        fonts.update(hashlib.sha256(files.get(font) or b"").digest())
    return Sheets(tuple(rules), fonts.hexdigest())


def differ(old: Sheets, new: Sheets, old_ids: set[str], new_ids: set[str]) -> bool:
    """Whether the two sides' styles differ for a section with these ids on each side."""
    both = old_ids & new_ids
    return old.fonts != new.fonts or _counted(old.rules, both) != _counted(new.rules, both)


def _counted(rules: tuple[Rule, ...], ids: set[str]) -> list[str]:
    return [r.text for r in rules if r.ids <= ids]


def _rules(css: str, context: str = "") -> list[Rule]:
    out = []
    for node in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if node.type == "qualified-rule":
            body = " ".join(tinycss2.serialize(node.content).split())
            for selector in _selectors(node.prelude):  # one rule a selector: a list of per-note selectors splits
                ids = frozenset(a or b for a, b in ID_IN_SELECTOR.findall(selector))
                out.append(Rule(f"{context}{selector} {{{body}}}", ids))
        elif node.type == "at-rule" and node.content is not None and node.lower_at_keyword in ("media", "supports",
                                                                                                "layer", "container"):
            inner = f"{context}@{node.lower_at_keyword} {' '.join(tinycss2.serialize(node.prelude).split())} "
            out += _rules(tinycss2.serialize(node.content), inner)
        elif node.type == "at-rule":
            out.append(Rule(f"{context}{' '.join(tinycss2.serialize([node]).split())}", frozenset()))
    return out


def _selectors(prelude: list) -> list[str]:
    """A selector list split at its top-level commas (a comma inside ``:is()`` is a function's argument)."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [" ".join(tinycss2.serialize(part).split()) for part in parts]


def _names(files) -> list[str]:
    names = getattr(files, "names", None)
    if isinstance(names, dict):  # an EPUB's members
        return list(names)
    return [p.relative_to(files.folder).as_posix() for p in files.folder.rglob("*") if p.is_file()]
