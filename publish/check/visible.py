"""What a reader sees of each element of the AST, edition by edition.

The expected text is read from the filtered AST, but some of what the AST
holds is never shown (raw HTML tags, an image's alt text, an author's
comment) and some is shown differently by the page and by the markup: a PDF
prints each ordered list's numbers as text and a formula as its MathML,
while the HTML and EPUB carry the numbers as list markers (no text) and the
formula's TeX as a MathML annotation. ``visible`` rewrites a copy of the AST
so that its plain text is what the editions carry, marking text that only
the PDFs (``PDF_ONLY``) or only the markup editions (``MARKUP_ONLY``) show.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import panflute as pf
from lxml import etree
from lxml import html as lxml_html

from publish import pandoc, render
from publish.editions import pdf_math

PDF_ONLY = ("\ue002", "\ue003")
MARKUP_ONLY = ("\ue004", "\ue005")
OPTIONAL = ("\ue006", "\ue007")  # inside PDF_ONLY: text a PDF may or may not show (an SVG's drawn text)
STYLES = {"LowerAlpha": "a", "UpperAlpha": "A", "LowerRoman": "i", "UpperRoman": "I"}


def only(which: tuple[str, str], text: str) -> pf.Str:
    return pf.Str(f"{which[0]}{text}{which[1]}")


def for_edition(text: str, pdf: bool) -> str:
    """*text* as the PDFs (``pdf``) or the markup editions carry it: the other's marked text taken out."""
    keep, drop = (PDF_ONLY, MARKUP_ONLY) if pdf else (MARKUP_ONLY, PDF_ONLY)
    text = re.sub(f"{drop[0]}[^{drop[1]}]*{drop[1]}", " ", text)
    if not pdf:
        text = re.sub(f"{OPTIONAL[0]}[^{OPTIONAL[1]}]*{OPTIONAL[1]}", " ", text)
    return text.replace(keep[0], " ").replace(keep[1], " ")


def formulas(docs: list[pf.Doc]) -> dict[tuple[str, str], tuple[str, str, str]]:
    """Each formula's text as the PDF shows it, the TeX annotation the markup also carries ("" where
    pandoc could not convert it) and its text as the MathML reads it, from one pandoc run for the book."""
    found: list[pf.Math] = []
    for doc in docs:
        doc.walk(lambda elem, _doc: found.append(_as_math(elem)) if _as_math(elem) is not None else None)
    keys = list(dict.fromkeys((math.format, math.text) for math in found))
    if not keys:
        return {}
    paras = [pf.Para(pf.Math(text, format=kind)) for kind, text in keys]
    out = pandoc.write(pf.Doc(*paras).to_json(), "html5", "--wrap=none", "--mathml")
    root = lxml_html.fragment_fromstring(out, create_parent="div")
    shown = {}
    for key, para in zip(keys, root.iterfind("p"), strict=False):
        annotations = para.xpath(".//annotation")
        tex = " ".join(annotation.text_content() for annotation in annotations)
        for annotation in annotations:
            annotation.drop_tree()
        # pandoc sets TeX it cannot convert as the TeX itself, with no annotation: shown once everywhere
        markup = para.text_content()
        for math in para.iter("math"):  # the PDF draws what stands above first (an upper limit…)
            for mover in [m for m in math.iter("mover") if pdf_math.is_accent(m) and not pdf_math.joinable(m)]:
                mover[1].text = ""  # a stacked accent is a symbol in the PDF, no letter's part (pdf_math.py)
            pdf_math.reading_order(math, math.get("display") == "block")
        shown[key] = (para.text_content(), tex, markup)
    return shown


def action(elem: pf.Element, shown: dict[tuple[str, str], tuple[str, str, str]], root: Path | None = None):
    """The visible form of *elem* (for ``doc.walk``), or None to keep it; *root* is the manuscript folder."""
    if _as_math(elem) is not None and not isinstance(elem, pf.Math):
        math = _as_math(elem)
        text, tex, markup = shown.get((math.format, math.text), (math.text, "", math.text))
        span = pf.Span(only(PDF_ONLY, text), only(MARKUP_ONLY, f"{markup} {tex}"))
        return pf.Plain(span) if isinstance(elem, pf.RawBlock) else span
    if isinstance(elem, pf.RawInline):
        return []  # a tag: no text of its own (the text between tags is the AST's own Str)
    if isinstance(elem, pf.RawBlock):
        return _raw_block(elem)
    if isinstance(elem, pf.Image):
        # alt text is for assistive technology; a figure's caption is its Figure's. The PDF draws an
        # SVG's own text as text.
        drawn = svg_text(root / unquote(elem.url)) if root and elem.url.lower().endswith(".svg") else []
        return [only(PDF_ONLY, f"{OPTIONAL[0]}{text}{OPTIONAL[1]}") for text in drawn]
    if isinstance(elem, pf.Math):
        text, tex, markup = shown.get((elem.format, elem.text), (elem.text, "", elem.text))
        return pf.Span(only(PDF_ONLY, text), only(MARKUP_ONLY, f"{markup} {tex}"))
    if isinstance(elem, pf.OrderedList):
        _number_items(elem)
    return None


MATH_ENVIRONMENT = re.compile(r"\\begin\{(align|equation|gather|multline|eqnarray|alignat|flalign)\*?\}")


def _as_math(elem: pf.Element) -> pf.Math | None:
    """*elem* as the formula the HTML writer makes of it: Math itself, or a raw TeX maths environment."""
    if isinstance(elem, pf.Math):
        return elem
    if isinstance(elem, (pf.RawBlock, pf.RawInline)) and elem.format in ("latex", "tex") and \
            MATH_ENVIRONMENT.match(elem.text.lstrip()):
        return pf.Math(elem.text, format="DisplayMath")
    return None


def svg_text(path: Path) -> list[str]:
    """The texts an SVG image draws (its ``<text>`` elements, in any order), [] if it cannot be read."""
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except (OSError, etree.XMLSyntaxError):
        return []
    texts = (" ".join(text.itertext()) for text in tree.xpath('//*[local-name()="text"]'))
    return [text for text in texts if text.strip()]


def _raw_block(elem: pf.RawBlock):
    if elem.format != "html" or elem.text.lstrip().startswith("<!--"):
        return []
    try:
        text = lxml_html.fragment_fromstring(elem.text, create_parent="div").text_content()
    except Exception:  # noqa: BLE001 - markup lxml cannot read carries no text the check can name
        return []
    return pf.Plain(pf.Str(" ".join(text.split()))) if text.strip() else []


def _number_items(elem: pf.OrderedList) -> None:
    """Each item's number as the PDF prints it, at the start of the item."""
    kind = STYLES.get(elem.style, "1")
    for offset, item in enumerate(elem.content):
        marker = only(PDF_ONLY, render.list_marker(elem.start + offset, kind))
        first = item.content[0] if len(item.content) else None
        if isinstance(first, (pf.Para, pf.Plain)):
            first.content.insert(0, marker)
        else:
            item.content.insert(0, pf.Plain(marker))
