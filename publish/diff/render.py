"""Chromium (Playwright) showing the EPUB and HTML editions' sections, for the diff's screenshots.

The editions' files come from ``publish.readers.members`` (``EpubFiles``,
``HtmlFiles``: by name, from inside the build only, each under a size cap).
Chromium is given a page at
``https://book.invalid/``, and every request it makes is answered from those
files or refused, so a render reads nothing else and fetches nothing.
"""

from __future__ import annotations

import io
import mimetypes
import posixpath
from pathlib import Path

import numpy as np

from publish.diff import images

BASE = "https://book.invalid/"
CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"epub": (600, 900), "html": (1280, 900)}  # a reader's page; a wide screen, with the sidenotes
SCALE = 2  # device pixels per CSS pixel: a comma and a full stop differ by more than anti-aliasing
# A chapter of the one-page HTML edition starts wherever the chapters above it end, a fraction of a pixel off
# from one build to the next when they change: its glyphs then rasterise on other sub-pixel positions and
# every line "differs". Moved down (relatively, nothing else moves) to the next whole pixel, the same chapter
# renders the same pixels on both sides.
ALIGN = """element => {
  const top = element.getBoundingClientRect().top + window.scrollY, down = Math.ceil(top) - top;
  if (down > 0 && getComputedStyle(element).position === 'static') {
    element.style.position = 'relative';
    element.style.top = down + 'px';
  }
}"""
# The box of an element and everything in it (a sidenote floats out into the margin), in page coordinates.
EXTENT = """element => {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const e of [element, ...element.querySelectorAll('*')]) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    x0 = Math.min(x0, r.left); y0 = Math.min(y0, r.top); x1 = Math.max(x1, r.right); y1 = Math.max(y1, r.bottom);
  }
  if (x0 === Infinity) return null;
  x0 = Math.max(0, Math.floor(x0 + window.scrollX) - 32); y0 = y0 + window.scrollY;  // room for the change bars
  const right = Math.min(document.documentElement.scrollWidth, Math.ceil(x1 + window.scrollX) + 8);
  return {x: x0, y: y0, width: right - x0, height: y1 + window.scrollY - y0};
}"""
MAX_SHOT_HEIGHT = 12000  # CSS px of a section rendered (memory stays bounded; the text diff covers the rest)


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
            if element:
                page.locator(f"[id='{element}']").evaluate(ALIGN)
            png = page.screenshot(full_page=True, clip=self._clip(page, element, width))
        finally:
            page.close()
        from PIL import Image

        return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


    @staticmethod
    def _clip(page, element: str | None, width: int) -> dict:
        """The section's area (the whole document, or its chapter element with what it sets outside its own box:
        the sidenotes in the margin), at most MAX_SHOT_HEIGHT tall."""
        box = page.locator(f"[id='{element}']").evaluate(EXTENT) if element else None
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
