"""What a manuscript may point at: images inside its folder, no active raw HTML.

Runs over the filtered AST of each chapter, before any edition is written.
An image outside the manuscript folder (absolute path, ``../`` escape,
``file://`` URL, symlink leading out), a remote image, or a missing one is a
ResourceError naming the reference and its line. Raw HTML that could run or
fetch (``<script>``, ``<iframe>``, event handlers, ``javascript:`` URLs, however
spelt: ``publish.sanitise`` reads it as a browser would) is refused with every
location listed, or, with ``raw-html: sanitise`` in book.yaml, removed from the
AST by nh3, so every edition gets the same safe text.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import panflute as pf

from publish import files, images, pandoc, sanitise, snapshot
from publish.errors import ResourceError


def check_chapter(doc: pf.Doc, root: Path, chapter: Path, text: str, raw_html: str = "refuse") -> None:
    """Refuse (or, for raw HTML with ``raw-html: sanitise``, clean) what a chapter must not carry."""
    problems: list[str] = []
    clean = raw_html == "sanitise"

    def visit(elem: pf.Element, _doc: pf.Doc):
        problems.extend(_attributes(elem, text, clean))
        if isinstance(elem, pf.Image):
            resolve_image(elem.url, root, chapter, _line(text, elem.url))
        elif isinstance(elem, pf.Link) and (scheme := sanitise.unsafe_url(elem.url)):
            line = _line(text, elem.url) or _line(text, f"]({elem.url[:8]}") or _line(text, pf.stringify(elem)[:30])
            problems.append(f"line {line or '?'}: {scheme}: URL in link {elem.url[:40]!r}")
            if clean:
                return pf.Span(*elem.content)
        elif isinstance(elem, (pf.RawInline, pf.RawBlock)) and elem.format.lower() in pandoc.HTML_FORMATS:
            line = _line(text, elem.text.strip()[:30])
            for src in sanitise.image_sources(elem.text):
                resolve_image(src, root, chapter, line)
            found = sanitise.problems(elem.text)
            if found:
                problems.extend(f"line {line or '?'}: {what}" for what in found)
                if clean:
                    cleaned = sanitise.clean(elem.text)
                    return type(elem)(cleaned, format="html") if cleaned.strip() else []
        return None

    doc.walk(visit)
    if problems and not clean:
        raise ResourceError(
            "raw HTML that could run code or that no edition can carry is refused (" + "; ".join(problems) + "); "
            "remove it, "
            "or set 'raw-html: sanitise' in book.yaml to strip it",
            chapter,
        )


def _attributes(elem: pf.Element, text: str, clean: bool) -> list[str]:
    """pandoc reads ``<span onclick=…>`` and ``{style=…}`` as attributes of its own elements: judge them too."""
    attributes = getattr(elem, "attributes", None)
    if not attributes:
        return []
    found = []
    for key, value in list(attributes.items()):
        why = sanitise.attribute_problem("", key, value)
        if why is not None:
            found.append(f"line {_line(text, key + '=') or '?'}: {why}")
            if clean:
                del attributes[key]
    return found


def resolve_image(url: str, root: Path, chapter: Path, line: int | None = None) -> Path:
    """The file an image reference names, inside *root*; ResourceError otherwise."""
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https", "ftp") or url.startswith("//"):
        raise ResourceError(f"image {url!r} is remote: the build works offline and never fetches; "
                            "save the image under images/ and point to it there", chapter, line)
    if parsed.scheme == "file":
        raise ResourceError(f"image {url!r} is a file:// URL: use a path inside the manuscript folder", chapter, line)
    if parsed.scheme and len(parsed.scheme) > 1:
        raise ResourceError(f"image {url!r} has a {parsed.scheme}: URL: use a path inside the manuscript folder",
                            chapter, line)
    relative = unquote(parsed.path)
    if relative.startswith("/") or Path(relative).is_absolute():
        raise ResourceError(f"image {url!r} is an absolute path: use a path inside the manuscript folder",
                            chapter, line)
    target = files.image(root, relative, chapter, line)  # inside, a regular file, within the cap
    data = files.read_checked(target, "image", relative, chapter, line, ResourceError)  # once per build
    images.verify(data, target, url, chapter, line)  # decodable (Pillow), an SVG that refers to nothing outside
    shot = snapshot.current()
    # the build shows it: the cache's list of images, the editions' mirror
    if shot is not None and shot.covers(target) and not shot.trusted(target):
        shot.image(relative, target, data)
    return target


def _line(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if needle and needle in line:
            return number
    return None
