"""Typography in the book's language (``lang`` in the metadata), never changing a word.

- straight quotes become the language's marks (publish/lang.py): ’ for
  apostrophes; in English ‘ ’ and “ ”, in German „ “, in Spanish and Italian
  « », in French « » with narrow no-break spaces inside;
- in French, the space before ; : ! ? and inside « » is a no-break one (narrow
  before ; ! ?), put there if the author left none;
- three full stops become an ellipsis;
- a no-break space binds a spaced en or em dash to the word before it, so no
  line starts with a dash;
- acronyms of two or more capitals (IAPT, NGO) are marked ``.acronym`` for
  small caps.
"""

from __future__ import annotations

import re

import panflute as pf

from publish import lang
from publish.filters.base import standalone
from publish.frontmatter import ACRONYM, ACRONYM_CLASS, split_acronyms

NBSP = "\u00a0"
DASHES = ("\u2013", "\u2014")
CLASS = ACRONYM_CLASS
__all__ = ["ACRONYM", "action", "curl", "main", "run"]


# French: a stop that ends a word, and guillemets that touch their text.
FRENCH_STOP = re.compile(r"(?<=[\w\u00bb)\]\u2019\u201d\u2026])([;:!?])(?=\s|$|[\u00bb)\]\u201d])")
GUILLEMET_OPEN = re.compile("\u00ab(?=[^\\s\u202f\u00a0])")
GUILLEMET_CLOSE = re.compile("(?<=[^\\s\u202f\u00a0])\u00bb")


def curl(text: str, marks: lang.Quotes = lang.QUOTES["en"]) -> str:
    """Straight quotes → the language's marks, and ``...`` → ``…``; anything else as it was."""
    text = text.replace("...", "\u2026")
    # An apostrophe between letters or digits (King's, 1980's, l'été) or closing a word.
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    text = re.sub(r"'(?=\w)", marks.single[0], text)
    text = text.replace("'", marks.single[1])
    text = re.sub(r'(?<![\w.,;:!?\u2019\u2026])"(?=\S)', marks.double[0] + marks.inside, text)
    text = text.replace('"', marks.inside + marks.double[1])
    if marks.before_stop:
        text = FRENCH_STOP.sub(lambda stop: marks.before_stop[stop[1]] + stop[1], text)
        text = GUILLEMET_CLOSE.sub(lang.NNBSP + "\u00bb", GUILLEMET_OPEN.sub("\u00ab" + lang.NNBSP, text))
    return text


def prepare(doc: pf.Doc) -> None:
    doc.quotes = lang.quotes(str(doc.get_metadata("lang", default="en") or "en"))


def action(elem: pf.Element, doc: pf.Doc):
    if isinstance(elem, pf.Str):
        return _str(elem, doc.quotes)
    if isinstance(elem, pf.Quoted):
        # pandoc's smart reader saw the inline markup, so "*really*" opens and closes right
        marks = doc.quotes.double if elem.quote_type == "DoubleQuote" else doc.quotes.single
        return [pf.Str(marks[0] + doc.quotes.inside), *elem.content, pf.Str(doc.quotes.inside + marks[1])]
    if isinstance(elem, pf.Space):
        if _next_is_dash(elem):
            return pf.Str(NBSP)
        if doc.quotes.before_stop:
            return _french_space(elem, doc.quotes)
    return None


def _stop_after_inline(elem: pf.Str, text: str, marks: lang.Quotes) -> str:
    """French: a stop that starts this Str right after a quote, emphasis or word (no space between) gets its space."""
    if not marks.before_stop or text[:1] not in marks.before_stop or len(text) > 1 and text[1].isalnum():
        return text
    before = elem.prev
    if before is None or isinstance(before, pf.Space | pf.SoftBreak | pf.LineBreak):
        return text
    if isinstance(before, pf.Str) and before.text.endswith((lang.NNBSP, NBSP)):
        return text
    return marks.before_stop[text[0]] + text


def _french_space(space: pf.Space, marks: lang.Quotes):
    """An ordinary space after « or before » ; : ! ? becomes the no-break space French wants there."""
    following, before = space.next, space.prev
    if isinstance(following, pf.Str) and following.text[:1] in marks.before_stop:
        return pf.Str(marks.before_stop[following.text[0]])
    if isinstance(following, pf.Str) and following.text.startswith("\u00bb"):
        return pf.Str(lang.NNBSP)
    if isinstance(before, pf.Str) and before.text.endswith("\u00ab"):
        return pf.Str(lang.NNBSP)
    return None


def _str(elem: pf.Str, marks: lang.Quotes):
    text = _stop_after_inline(elem, curl(elem.text, marks), marks)
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
    return pf.run_filter(action, prepare=prepare, doc=doc)


def run() -> None:
    """``pandoc --filter publish-filter-typography`` (the console script)."""
    standalone(main, "typography")


if __name__ == "__main__":
    run()
