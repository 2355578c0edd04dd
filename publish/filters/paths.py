"""An image's path is read from its chapter's folder, as every Markdown viewer reads it.

A book whose chapters sit in a sub-folder (``episodes/02-filedir.md``) writes
``![](fig/filesystem.svg)`` for ``episodes/fig/filesystem.svg``. The editions
resolve images from the manuscript folder, so this filter prefixes each
relative image path (also in a raw HTML ``<img src>``) with its chapter's folder (the build sets it as the
``chapter-folder`` metadata; standalone, pandoc's own folder is used and
nothing changes). Absolute paths and URLs are left for the safety check to
refuse.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlparse

import panflute as pf

from publish.filters.base import standalone


def prepare(doc: pf.Doc) -> None:
    folder = doc.get_metadata("chapter-folder", default="") or ""
    doc.chapter_folder = str(folder).strip("/")


RAW_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*["']?)([^"'\s>]+)""", re.IGNORECASE)


def action(elem: pf.Element, doc: pf.Doc):
    if isinstance(elem, (pf.RawInline, pf.RawBlock)) and elem.format == "html" and doc.chapter_folder:
        elem.text = RAW_IMG_SRC.sub(lambda m: m[1] + _in_folder(m[2], doc.chapter_folder), elem.text)
        return None
    if isinstance(elem, pf.Image) and doc.chapter_folder:
        elem.url = _in_folder(elem.url, doc.chapter_folder)
    return None


def _in_folder(url: str, folder: str) -> str:
    """*url* read from *folder*; a path already under it is left (the filter is idempotent)."""
    if not _relative(url) or url.startswith(folder + "/"):
        return url
    return posixpath.normpath(posixpath.join(folder, url))


def _relative(url: str) -> bool:
    parsed = urlparse(url)
    return bool(url) and not parsed.scheme and not url.startswith(("/", "#")) and not parsed.netloc


def main(doc: pf.Doc | None = None):
    return pf.run_filter(action, prepare=prepare, doc=doc)


def run() -> None:
    """``pandoc --filter publish-filter-paths`` (the console script)."""
    standalone(main, "paths")


if __name__ == "__main__":
    run()
