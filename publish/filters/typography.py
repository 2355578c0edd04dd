"""en-GB typography, never changing a word.

- straight quotes become curly ones (’ for apostrophes, ‘ ’ and “ ” for quotes);
- three full stops become an ellipsis;
- a no-break space binds a spaced en or em dash to the word before it, so no
  line starts with a dash;
- acronyms of two or more capitals (IAPT, NGO) are marked ``.acronym`` for
  small caps.
"""

from __future__ import annotations

import re

import panflute as pf

from publish.filters.base import standalone
from publish.frontmatter import ACRONYM, ACRONYM_CLASS, split_acronyms

NBSP = "\u00a0"
DASHES = ("\u2013", "\u2014")
CLASS = ACRONYM_CLASS
__all__ = ["ACRONYM", "action", "curl", "main", "run"]


def curl(text: str) -> str:
    """Straight quotes → curly, and ``...`` → ``…``; anything else as it was."""
    text = text.replace("...", "\u2026")
    # An apostrophe between letters or digits (King's, 1980's) or closing a word.
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    text = re.sub(r"'(?=\w)", "\u2018", text)
    text = text.replace("'", "\u2019")
    text = re.sub(r'(?<![\w.,;:!?\u2019\u2026])"(?=\S)', "\u201c", text)
    text = text.replace('"', "\u201d")
    return text


def action(elem: pf.Element, doc: pf.Doc):
    if isinstance(elem, pf.Str):
        return _str(elem)
    if isinstance(elem, pf.Space) and _next_is_dash(elem):
        return pf.Str(NBSP)
    return None


def _str(elem: pf.Str):
    text = curl(elem.text)
    if isinstance(elem.parent, pf.Span) and CLASS in elem.parent.classes:
        return pf.Str(text) if text != elem.text else None
    parts = split_acronyms(text)
    if not any(is_acronym for _, is_acronym in parts):
        return pf.Str(text) if text != elem.text else None
    return [pf.Span(pf.Str(part), classes=[CLASS]) if is_acronym else pf.Str(part) for part, is_acronym in parts]


def _next_is_dash(space: pf.Space) -> bool:
    following = space.next
    if not (isinstance(following, pf.Str) and following.text.startswith(DASHES)):
        return False
    return isinstance(space.prev, pf.Str | pf.Span | pf.Emph | pf.Strong | pf.Quoted)


def main(doc: pf.Doc | None = None):
    return pf.run_filter(action, doc=doc)


def run() -> None:
    """``pandoc --filter publish-filter-typography`` (the console script)."""
    standalone(main, "typography")


if __name__ == "__main__":
    run()
