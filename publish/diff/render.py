"""The EPUB and HTML editions' files as Chromium sees them, and Chromium itself (Playwright).

``EpubFiles`` reads an EPUB's members from the zip (never extracted: no path
can escape, each member under a size cap); ``HtmlFiles`` reads the HTML
edition's folder through ``reading.inside``. Chromium is given a page at
``https://book.invalid/``, and every request it makes is answered from those
files or refused, so a render reads nothing else and fetches nothing.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import posixpath
import zipfile
from pathlib import Path

import numpy as np
from lxml import etree

from publish.diff import images, reading

BASE = "https://book.invalid/"
MAX_MEMBER = 64 * 1024 * 1024
FONTS = (".otf", ".ttf", ".woff", ".woff2")
CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"epub": (600, 900), "html": (1280, 900)}  # a reader's page; a wide screen, with the sidenotes
SCALE = 2  # device pixels per CSS pixel: a comma and a full stop differ by more than anti-aliasing
MAX_SHOT_HEIGHT = 12000  # CSS px of a section rendered (memory stays bounded; the text diff covers the rest)


class EpubFiles:
    edition = "epub"

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = {info.filename: info for info in archive.infolist() if not info.is_dir()}

    @classmethod
    def open(cls, folder: Path) -> EpubFiles | None:
        found = sorted(p.name for p in folder.glob("*.epub"))
        path = reading.inside(folder, found[0], reading.MAX_PDF) if found else None
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
        return cls(html) if reading.inside(folder, "html/index.html", reading.MAX_HTML) else None

    def get(self, name: str) -> bytes | None:
        path = reading.inside(self.folder, name, MAX_MEMBER) if name else None
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


class Browser:
    """Headless Chromium for the length of a ``with`` block; ``missing`` if it cannot be started."""

    def __init__(self):
        self.missing = False
        self._playwright = self._browser = None

    def __enter__(self) -> Browser:
        try:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM if Path(CHROMIUM).exists() else None,
                args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                      "--disable-sync"])
        except Exception:  # noqa: BLE001 - no Playwright or no Chromium: the sources alone are compared
            self.missing = True
            self.__exit__()
        return self

    def __exit__(self, *exc) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._browser = self._playwright = None

    def shoot(self, files, name: str) -> np.ndarray | None:
        """A grey screenshot of section *name*: the whole document (EPUB) or its chapter element (HTML)."""
        if self.missing:
            return None
        path, element = files.target(name)
        width, height = VIEWPORTS[files.edition]
        page = self._browser.new_page(viewport={"width": width, "height": height}, java_script_enabled=False,
                                      device_scale_factor=SCALE)
        try:
            page.route("**/*", lambda route: _answer(route, files))
            page.goto(BASE + path, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            png = page.screenshot(full_page=True, clip=self._clip(page, element, width))
        finally:
            page.close()
        from PIL import Image

        return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


    @staticmethod
    def _clip(page, element: str | None, width: int) -> dict:
        """The section's area (the whole document, or its chapter element), at most MAX_SHOT_HEIGHT tall."""
        box = page.locator(f"[id='{element}']").bounding_box() if element else None
        if box is None:
            height = page.evaluate("document.documentElement.scrollHeight")
            box = {"x": 0, "y": 0, "width": width, "height": height}
        return {**box, "height": max(1, min(box["height"], MAX_SHOT_HEIGHT))}


def _answer(route, files) -> None:
    url = route.request.url
    if not url.startswith(BASE):
        route.abort()
        return
    name = posixpath.normpath(url[len(BASE):].split("?")[0].split("#")[0])
    body = files.get(name) if not name.startswith("..") else None
    if body is None:
        route.abort()
        return
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".xhtml"):
        kind = "application/xhtml+xml"
    route.fulfill(status=200, body=body, content_type=kind)


def changed(old: np.ndarray, new: np.ndarray) -> list:
    return images.changed_boxes(old, new)


def uri(image: np.ndarray | None) -> str:
    return images.png_data_uri(image) if image is not None else ""
