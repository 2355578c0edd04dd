"""en-GB typography, never changing a word.

- quotations pandoc's smart reader found (``Quoted``: it sees the inline
  markup, so ``"*really*"`` opens and closes right) are set in curly quotes,
  ‘ ’ for single and “ ” for double, as typed;
- straight quotes pandoc left (apostrophes, stray marks) become curly ones;
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

NBSP = "\u00a0"
DASHES = ("\u2013", "\u2014")
ACRONYM = re.compile(r"(?<![\w’'])([A-Z]{2,})(?=s?(?!\w))")
CLASS = "acronym"


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


QUOTES = {"SingleQuote": ("\u2018", "\u2019"), "DoubleQuote": ("\u201c", "\u201d")}


def action(elem: pf.Element, doc: pf.Doc):
    if isinstance(elem, pf.Str):
        return _str(elem)
    if isinstance(elem, pf.Quoted):
        opening, closing = QUOTES[elem.quote_type]
        return [pf.Str(opening), *elem.content, pf.Str(closing)]
    if isinstance(elem, pf.Space) and _next_is_dash(elem):
        return pf.Str(NBSP)
    return None


def _str(elem: pf.Str):
    text = curl(elem.text)
    if isinstance(elem.parent, pf.Span) and CLASS in elem.parent.classes:
        return pf.Str(text) if text != elem.text else None
    parts = ACRONYM.split(text)
    if len(parts) == 1:
        return pf.Str(text) if text != elem.text else None
    # split() alternates: text, acronym, text, acronym, … text
    out: list[pf.Inline] = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(pf.Span(pf.Str(part), classes=[CLASS]))
        elif part:
            out.append(pf.Str(part))
    return out


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
