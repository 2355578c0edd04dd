"""A built EPUB's or HTML edition's files, as a browser showing them needs them: by name, each under a size cap.

``EpubFiles`` reads an EPUB's members from the zip (never extracted: no path
can escape), with the spine's documents in reading order; ``HtmlFiles`` reads
the HTML edition's folder, only from inside it. The diff serves them to
Chromium from these readers, so nothing else of the disk is read.
"""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from publish.readers.folder import MAX_HTML, MAX_PDF, inside

MAX_MEMBER = 64 * 1024 * 1024
FONTS = (".otf", ".ttf", ".woff", ".woff2")


class EpubFiles:
    edition = "epub"

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = {info.filename: info for info in archive.infolist() if not info.is_dir()}

    @classmethod
    def open(cls, folder: Path) -> EpubFiles | None:
        found = sorted(p.name for p in folder.glob("*.epub"))
        path = inside(folder, found[0], MAX_PDF) if found else None
        if path is None:
            return None
        try:
            return cls(zipfile.ZipFile(path))
        except (zipfile.BadZipFile, OSError):
            return None

    def get(self, name: str) -> bytes | None:
        info = self.names.get(name)
        if info is None or info.file_size > MAX_MEMBER:
            return None
        return self.archive.read(info)

    def sections(self) -> list[str]:
        """The spine's documents, in reading order."""
        try:
            container = etree.fromstring(self.get("META-INF/container.xml") or b"<x/>")
            opf_name = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
            opf = etree.fromstring(self.get(opf_name) or b"<x/>")
        except (etree.XMLSyntaxError, IndexError):
            return []
        base = posixpath.dirname(opf_name)
        hrefs = {i.get("id"): i.get("href") for i in opf.xpath("//*[local-name()='item']")}
        spine = [hrefs.get(ref) for ref in opf.xpath("//*[local-name()='itemref']/@idref")]
        return [posixpath.normpath(posixpath.join(base, h)) for h in spine if h]

    def section_bytes(self, name: str) -> bytes | None:
        return self.get(name.split("#")[0])

    def split(self, name: str, root):
        body = root.find("body")
        yield name, body if body is not None else root

    def style_digests(self, name: str) -> list[str]:
        return _style_digests(self, name)

    def target(self, name: str) -> tuple[str, str | None]:
        return name, None


class HtmlFiles:
    edition = "html"

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def open(cls, folder: Path) -> HtmlFiles | None:
        html = folder / "html"
        return cls(html) if inside(folder, "html/index.html", MAX_HTML) else None

    def get(self, name: str) -> bytes | None:
        path = inside(self.folder, name, MAX_MEMBER) if name else None
        return path.read_bytes() if path is not None else None

    def sections(self) -> list[str]:
        return sorted(p.name for p in self.folder.glob("*.html"))

    def section_bytes(self, name: str) -> bytes | None:
        return self.get(name.split("#")[0])

    def split(self, name: str, root):
        articles = root.xpath('//article[contains(concat(" ", @class, " "), " chapter ")][@id]')
        for article in articles:
            yield f"{name}#{article.get('id')}", article
        if not articles:
            yield name, root.find("body") if root.find("body") is not None else root

    def style_digests(self, name: str) -> list[str]:
        return _style_digests(self, name.split("#")[0])

    def target(self, name: str) -> tuple[str, str | None]:
        path, _, element = name.partition("#")
        return path, element or None


def _style_digests(files, name: str) -> list[str]:
    """Hashes of the stylesheets *name* links and of the edition's fonts."""
    from lxml import html as lxml_html

    data = files.get(name)
    if not data:
        return []
    root = lxml_html.document_fromstring(data)
    base = posixpath.dirname(name)
    sheets = [posixpath.normpath(posixpath.join(base, href)) for href in root.xpath('//link[@rel="stylesheet"]/@href')]
    fonts = sorted(n for n in _names(files) if n.lower().endswith(FONTS))
    return [hashlib.sha256(files.get(n) or b"").hexdigest() for n in sheets + fonts]


def _names(files) -> list[str]:
    if isinstance(files, EpubFiles):
        return list(files.names)
    return [p.relative_to(files.folder).as_posix() for p in files.folder.rglob("*") if p.is_file()]
