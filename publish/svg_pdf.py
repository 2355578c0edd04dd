"""SVG values that WeasyPrint's renderer draws unlike a browser, set for the PDF as the SVG spec reads them.

An invalid presentation value is ignored by a browser (SVG 2, 6.8: the
property takes its initial value), so ``text-anchor="left"``, which drawing
programs write, sets text from its x like ``start``. WeasyPrint 70 instead
draws such text ending near its x, so the label runs out of the picture
and is cut ("wc -l *.pdb" shows as "db"). The PDF's copy of the SVG drops
each invalid value of the properties below, from the attribute and from a
``style`` declaration alike; the author's file, and the EPUB and web editions'
copies, keep it (browsers draw it right). Written by hand, like svg_fix.py:
no library knows this renderer's faults.
"""

from __future__ import annotations

import functools

from lxml import etree

from publish.svg_fix import PARSER

KEYWORDS = {"text-anchor": {"start", "middle", "end", "inherit", "initial", "unset"}}


@functools.lru_cache(maxsize=64)
def for_pdf(data: bytes) -> bytes:
    """*data* (an SVG) with invalid values of KEYWORDS' properties removed; the same bytes if it has none."""
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        return data  # images.py refuses an SVG that is not well-formed
    changed = False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, valid in KEYWORDS.items():
            value = element.get(name)
            if value is not None and value.strip().lower() not in valid:
                del element.attrib[name]
                changed = True
        if element.get("style") and (style := _valid_style(element.get("style"))) != element.get("style"):
            element.set("style", style)
            changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") if changed else data


def _valid_style(style: str) -> str:
    """*style* without the declarations of KEYWORDS' properties whose value is invalid."""
    kept = []
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        valid = KEYWORDS.get(name.strip().lower())
        if valid is None or value.strip().lower() in valid:
            kept.append(declaration)
    return ";".join(kept)
