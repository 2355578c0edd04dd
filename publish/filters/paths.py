"""An image's path is read from its chapter's folder, as every Markdown viewer reads it.

A book whose chapters sit in a sub-folder (``episodes/02-filedir.md``) writes
``![](fig/filesystem.svg)`` for ``episodes/fig/filesystem.svg``. The editions
resolve images from the manuscript folder, so this filter prefixes each
relative image path with its chapter's folder (the build sets it as the
``chapter-folder`` metadata; standalone, pandoc's own folder is used and
nothing changes). Absolute paths and URLs are left for the safety check to
refuse.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlparse

import panflute as pf

from publish.filters.base import standalone


def prepare(doc: pf.Doc) -> None:
    folder = doc.get_metadata("chapter-folder", default="") or ""
    doc.chapter_folder = str(folder).strip("/")


def action(elem: pf.Element, doc: pf.Doc):
    # a path already under the folder is left: the filter is idempotent
    folder = doc.chapter_folder
    if isinstance(elem, pf.Image) and folder and _relative(elem.url) and not elem.url.startswith(folder + "/"):
        elem.url = posixpath.normpath(posixpath.join(folder, elem.url))
    return None


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
