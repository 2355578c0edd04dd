"""Faults inside an author's SVG that would make an edition fail its validator, repaired and named.

An SVG that ``publish.images`` accepted (a picture, referring to nothing
outside itself) may still be invalid XML for an EPUB: drawing programs write
ids that are not XML names (``bullet-char-template(10132)``) and references to
fragments the file defines nowhere (``fill="url(#gridpattern)"``). epubcheck
rejects both, so the EPUB and the web edition carry the file repaired, and the
build says so, naming the file and each id or fragment:

- an id that is not an XML name is renamed to one that is (its letters kept,
  unique in the file), and every reference to it follows;
- a reference to a fragment that is nowhere is drawn as a renderer draws it
  anyway: a ``url(#…)`` value becomes its fallback or ``none``, an ``href`` that
  points nowhere is dropped.

The picture does not change; the PDF, which WeasyPrint draws from the
author's file, is the same picture. Written by hand: no library repairs SVG
ids, and the rules are the two above.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
XML_NAME = re.compile(r"^[^\W\d][\w.\-]*$")  # an NCName: a letter or _, then letters, digits, . - _
# url(#x), url('#x') or url("#x"), and a fallback paint after it
URL = re.compile(r"""url\(\s*(?:'#([^']*)'|"#([^"]*)"|#([^)\s'"]*))\s*\)(\s+[^;\s]+)?""")
FRAGMENT = re.compile(r"^\s*#(.*?)\s*$")



def repair(data: bytes, name: str) -> tuple[bytes, list[str]]:
    """*data* (an SVG) with its invalid ids renamed and references to nothing removed; what was done.

    An SVG with no such fault comes back as it was, byte for byte, with no message.
    """
    return _repair(data, name)


@functools.lru_cache(maxsize=64)
def _repair(data: bytes, name: str) -> tuple[bytes, list[str]]:
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        return data, []  # images.py refuses an SVG that is not well-formed; nothing to mend here
    renamed = _rename_ids(root)
    defined = {element.get("id") for element in _elements(root) if element.get("id") is not None}
    missing: set[str] = set()
    for element in _elements(root):
        _follow(element, renamed, defined, missing)
    messages = [f"{name}: id {old!r} is not an XML name: it is {new!r} in the EPUB and web edition"
                for old, new in renamed.items()]
    messages += [f"{name}: refers to #{fragment}, which it defines nowhere: the reference is removed in the "
                 "EPUB and web edition (drawn as a browser draws it: its fallback, or nothing)"
                 for fragment in sorted(missing)]
    if not messages:
        return data, []
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), messages


def repair_file(path: Path, name: str, report) -> bytes:
    """The bytes an edition carries for the image at *path*: an SVG repaired (each repair *report*ed)."""
    data = Path(path).read_bytes()
    if not str(path).lower().endswith(".svg"):
        return data
    repaired, messages = repair(data, name)
    for message in messages:
        report(message)
    return repaired


def _elements(root):
    return (element for element in root.iter() if isinstance(element.tag, str))


def _rename_ids(root) -> dict[str, str]:
    """Give each id that is not an XML name one that is; old → new."""
    taken = {element.get("id") for element in _elements(root) if element.get("id") is not None}
    renamed: dict[str, str] = {}
    for element in _elements(root):
        old = element.get("id")
        if old is None or XML_NAME.match(old):
            continue
        if old in renamed:  # the same invalid id twice: the first keeps the name
            continue
        base = re.sub(r"[^\w.\-]+", "-", old).strip("-") or "id"
        base = base if XML_NAME.match(base) else f"id-{base}"
        new, number = base, 1
        while new in taken:
            number += 1
            new = f"{base}-{number}"
        taken.add(new)
        renamed[old] = new
        element.set("id", new)
    return renamed


def _follow(element, renamed: dict[str, str], defined: set[str], missing: set[str]) -> None:
    """References in *element* follow renamed ids; those to a fragment defined nowhere are removed."""
    def url(match: re.Match) -> str:
        old = next(group for group in match.groups()[:3] if group is not None)
        fallback = match[4] or ""
        fragment = renamed.get(old, old)
        if fragment in defined:
            return f"url(#{fragment}){fallback}"
        missing.add(old)
        return fallback.strip() or "none"

    if element.tag.rpartition("}")[2] == "style" and element.text:
        element.text = URL.sub(url, element.text)
    for key, value in list(element.attrib.items()):
        reference = FRAGMENT.match(value) if key.rpartition("}")[2] == "href" else None
        if reference:
            fragment = renamed.get(reference[1], reference[1])
            if fragment in defined:
                element.set(key, f"#{fragment}")
            else:
                missing.add(reference[1])
                del element.attrib[key]
        elif "url(" in value:
            element.set(key, URL.sub(url, value))
