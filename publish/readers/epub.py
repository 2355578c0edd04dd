"""The EPUB edition read back: its content documents, parsed, in spine (reading) order.

Read from the zip with a parser that resolves no entity and fetches nothing,
each document under a size cap; a broken package is a CheckFailed naming it.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from publish.errors import CheckFailed

OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
MAX_DOCUMENT = 32 * 1024 * 1024


@dataclass
class SpineItem:
    name: str  # its path inside the package
    root: object  # the parsed XHTML document (an lxml element)


def spine(path: Path) -> list[SpineItem]:
    """The XHTML documents of the EPUB at *path*, in spine order."""
    try:
        with zipfile.ZipFile(path) as epub:
            opf_path = _rootfile(epub)
            opf = _parse(epub, opf_path)
            base = posixpath.dirname(opf_path)
            items = {item.get("id"): item for item in opf.iter(f"{OPF}item")}
            found = []
            for itemref in opf.iter(f"{OPF}itemref"):
                item = items.get(itemref.get("idref"))
                if item is not None and item.get("media-type") == "application/xhtml+xml":
                    name = posixpath.normpath(posixpath.join(base, item.get("href")))
                    found.append(SpineItem(name, _parse(epub, name)))
            return found
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
        raise CheckFailed(f"not a readable EPUB: {error}", path) from None


def documents(path: Path) -> list:
    """The parsed XHTML documents of the EPUB at *path*, in spine (reading) order."""
    return [item.root for item in spine(path)]


def _rootfile(epub: zipfile.ZipFile) -> str:
    container = _parse(epub, "META-INF/container.xml")
    rootfile = container.find(f".//{CONTAINER}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise KeyError("META-INF/container.xml names no package document")
    return rootfile.get("full-path")


def _parse(epub: zipfile.ZipFile, name: str):
    if epub.getinfo(name).file_size > MAX_DOCUMENT:
        raise CheckFailed(f"{name} in the EPUB is over {MAX_DOCUMENT // 2**20} MB")
    return etree.fromstring(epub.read(name), PARSER)


def content_documents(path: Path, suffixes: tuple[str, ...]) -> list[tuple[str, object]]:
    """Every document of the EPUB at *path* whose name ends with one of *suffixes*, parsed (in or out of the spine)."""
    try:
        with zipfile.ZipFile(path) as epub:
            return [(info.filename, _parse(epub, info.filename)) for info in epub.infolist()
                    if info.filename.lower().endswith(suffixes)]
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
        raise CheckFailed(f"not a readable EPUB: {error}", path) from None
