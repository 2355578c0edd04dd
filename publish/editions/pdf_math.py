"""MathML made ready for a layout engine that has no MathML (WeasyPrint): what a browser's MathML does.

WeasyPrint lays MathML elements out as CSS boxes (print.css styles them).
CSS alone cannot do four things a MathML renderer does, so the PDF's HTML is
prepared here, the characters kept (the text layer carries the formula's own
symbols, which the check compares):

- ``text-transform: math-auto``: a one-letter ``<mi>`` is the font's
  mathematical italic (𝑥, U+1D465), as MathML Core says; the math font has no
  italic face to slant;
- an accent over one x-height letter (``\\hat{y}``) is set as that letter and the
  combining accent in one run, so the font's mark positioning puts it on the
  letter (a spacing accent, ‾ → U+0305, takes its combining form); an accent over a taller letter or
  more (``\\widehat{xy}``) is centred over the whole, a bar (``\\overline{AB}``) is a rule over it;
- a big operator's limits in display maths are set below and above it
  (``class="limits"``); inline they stay sub- and superscripts, as in TeX;
- what stands above is drawn first (``reading_order``: an upper limit, a wide
  accent, a root's index), because WeasyPrint draws boxes in their order;
  ``check/visible.py`` reads the PDF's formula in that order too;
- a fence around a table (a matrix, cases) is stretched to the table's rows,
  and ``<mspace width>`` becomes a box of that width.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# A spacing accent → the combining mark drawn on a letter (pandoc writes both kinds).
COMBINING = {"^": "\u0302", "\u02c6": "\u0302", "~": "\u0303", "\u02dc": "\u0303", "\u00af": "\u0304",
             "\u203e": "\u0305", "\u2015": "\u0305", "\u02d9": "\u0307", "\u00a8": "\u0308", "\u02d8": "\u0306",
             "\u02c7": "\u030c", "\u00b4": "\u0301", "`": "\u0300", "\u2192": "\u20d7", "\u2190": "\u20d6"}
# Letters with no ascender: the math font's mark positioning sets an accent right on these only (on a
# capital, b, d, β or θ it lands in the letter), so the others take the stacked accent.
X_HEIGHT = set("acegmnopqrsuvwxyzαγεηικμνοπρστυφχψω")
# A stacked accent's spacing form, and whether the font sets it high in its line (else at the maths axis).
_SPACING_FORMS = (("\u0302^\u02c6", "^", True), ("\u0303~\u02dc", "~", False), ("\u0307\u02d9", "\u02d9", True),
                  ("\u0308\u00a8", "\u00a8", True), ("\u20d7\u2192", "\u2192", False),
                  ("\u0301\u00b4", "\u00b4", True), ("\u0300`", "`", True), ("\u0306\u02d8", "\u02d8", True))
SPACING = {mark: (spacing, high) for marks, spacing, high in _SPACING_FORMS for mark in marks}
OVERLINES = {"\u00af", "\u203e", "\u2015", "\u0304", "\u0305", "_"}
INVISIBLE = {"\u2061", "\u2062", "\u2063", "\u2064"}
LARGE = set("∑∏∐∫∬∭∮⋃⋂⋁⋀⨁⨂⨀")
GREEK_ITALIC = 0x1D6FC - 0x3B1  # 𝛼 is α + this
WIDTH = re.compile(r"^\s*(-?[\d.]+)\s*(em|ex|pt|px|mm)?\s*$")


def prepare(root: HtmlElement) -> None:
    """Every ``<math>`` under *root* made ready for WeasyPrint (see the module's docstring)."""
    for math in root.iter("math"):
        display = math.get("display") == "block"
        for mi in list(math.iter("mi")):  # first: an accent joins its letter's run after
            _italic(mi)
        for element in list(math.iter()):
            tag = element.tag if isinstance(element.tag, str) else ""
            if tag == "mover" and len(element) == 2:
                _accent(element)
            if tag in ("munder", "munderover", "msubsup", "msub", "msup", "mover"):
                _operator(element, display)
            elif tag == "mtable":
                _stretch_fences(element)
            elif tag == "mo" and (element.text or "") in INVISIBLE:
                element.set("style", "padding: 0")  # function application, invisible times: no space
            elif tag == "mspace" and (width := WIDTH.match(element.get("width", ""))):
                element.set("style", f"display: inline-block; width: {width[1]}{width[2] or 'em'}")
        reading_order(math, display)


def reading_order(math: HtmlElement, display: bool) -> None:
    """The children of *math*'s stacked elements in the order the PDF draws them: top to bottom.

    WeasyPrint draws boxes in their order (a flex or grid order, and positioning, would move them out of
    the line's text), so what stands above comes first: an accent over more than one letter before its
    base, a display operator's upper limit before it, and a root's index before its radical.
    check/visible.py reads the formula for the PDF in this order too.
    """
    for element in list(math.iter("mover", "munderover", "mroot")):
        root = element.tag == "mroot" and len(element) == 2
        stacked = element.tag == "mover" and len(element) == 2 and not joinable(element) and (
            is_accent(element) or display)
        if root or stacked:
            element.insert(0, element[1])
        elif element.tag == "munderover" and len(element) == 3 and display:
            element.insert(0, element[2])


def is_accent(mover: HtmlElement) -> bool:
    """Whether *mover* is an accent (\\hat, \\bar…) over its base, not a limit."""
    accent = mover[1] if len(mover) == 2 else None
    return accent is not None and accent.tag == "mo" and not len(accent) and bool((accent.text or "").strip()) \
        and "true" in (accent.get("accent"), mover.get("accent"))


def joinable(mover: HtmlElement) -> bool:
    """Whether *mover*'s accent can be set in the run of its one-character base (a combining mark on it)."""
    if not is_accent(mover):
        return False
    import unicodedata

    base, mark = mover[0], (mover[1].text or "").strip()
    letter = unicodedata.normalize("NFKC", (base.text or "").strip())  # 𝑦 → y
    return (base.tag in ("mi", "mn", "mo") and not len(base) and len(letter) == 1 and letter in X_HEIGHT
            and bool(COMBINING.get(mark, mark if _is_combining(mark) else "")))


def _italic(mi: HtmlElement) -> None:
    """math-auto: a one-letter identifier (Latin, or Greek lower case) in mathematical italic."""
    text = (mi.text or "").strip()
    if len(text) != 1 or len(mi) or mi.get("mathvariant"):
        return
    code = ord(text)
    if text == "h":
        mi.text = "\u210e"  # the Planck constant holds 𝒉's place in Unicode
    elif "a" <= text <= "z":
        mi.text = chr(0x1D44E + code - ord("a"))
    elif "A" <= text <= "Z":
        mi.text = chr(0x1D434 + code - ord("A"))
    elif "\u03b1" <= text <= "\u03c9":
        mi.text = chr(code + GREEK_ITALIC)
    else:
        return
    _add_class(mi, "auto")


def _accent(mover: HtmlElement) -> None:
    if not is_accent(mover):
        return
    base, accent = mover[0], mover[1]
    mark = (accent.text or "").strip()
    if joinable(mover):
        base.text = (base.text or "").strip() + COMBINING.get(mark, mark)  # one run: the font puts it on the letter
        mover.remove(accent)  # its character is the one now in the base
        return
    _add_class(mover, "accent")
    _add_class(accent, "mark")
    if mark in OVERLINES:
        _add_class(mover, "overline")  # a rule over the whole base; the mark itself is not drawn twice
    elif mark in SPACING:
        # its spacing form, a symbol no letter composes with: pdfium may read a stacked mark after the
        # letter under it, where a combining ̂ would become part of that letter (check/visible.py)
        accent.text, high = SPACING[mark]
        _add_class(accent, "mark-high" if high else "mark-middle")


def _operator(element: HtmlElement, display: bool) -> None:
    """A big operator (∑, ∏, ∫…) set large in display maths; its limits below and above unless scripts."""
    first = element[0] if len(element) else None
    if display and first is not None and first.tag == "mo" and (first.text or "").strip() in LARGE:
        _add_class(first, "large")
    if display and element.tag in ("munder", "munderover", "mover") and not _has_class(element, "accent") \
            and len(element) > 1:
        _add_class(element, "limits")
        for limit in element[1:]:
            _add_class(limit, "limit")


def _stretch_fences(table: HtmlElement) -> None:
    """The fences either side of a table (a matrix, cases) as tall as its rows."""
    rows = sum(1 for child in table if child.tag == "mtr") or 1
    parent = table.getparent()
    if parent is not None and parent.tag == "mrow":  # the fences stay with their table on one line
        parent.set("style", "white-space: nowrap")
    for fence in (table.getprevious(), table.getnext()):
        if fence is not None and fence.tag == "mo" and fence.get("stretchy") != "false":
            # by its size, not a transform: WeasyPrint draws a transformed box after the page's text
            fence.set("style", f"font-size: {0.2 + 0.9 * rows:.2f}em; line-height: 1; "
                               f"vertical-align: {-0.18 * (rows - 1):.2f}em")


def _is_combining(char: str) -> bool:
    import unicodedata

    return len(char) == 1 and unicodedata.category(char) == "Mn"


def _has_class(element: HtmlElement, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _add_class(element: HtmlElement, name: str) -> None:
    if not _has_class(element, name):
        element.set("class", f"{element.get('class') or ''} {name}".strip())
