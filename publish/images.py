"""Every image the book shows, verified before any edition carries it.

A raster image is opened and decoded by Pillow within a pixel limit (a
decompression bomb, 20 KB of PNG that would be gigabytes of pixels, is
refused before it is decoded), so a corrupt or truncated file is refused
here, naming the chapter and line, instead of being dropped by one edition and
carried by the others. An SVG is parsed as XML without entities, DTDs or the
network, and refused if it declares entities or refers to anything outside
itself (``file:``, ``http:``, ``../``, any other file), runs script or holds a
foreign object: each edition would treat those differently, and a reader's
device would fetch them.
"""

from __future__ import annotations

import base64
import functools
import io
import os
import re
import warnings
from pathlib import Path

from lxml import etree

from publish.errors import ResourceError
from publish.files import read_checked

MAX_PIXELS = 64_000_000  # 8,000 × 8,000: more than any printed page needs at 600 dpi
FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WEBP": "webp"}
SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
LOCAL_REFERENCE = re.compile(r"^\s*#[\w.:-]*\s*$")
# A raster image embedded in the SVG itself (drawing programs write them): inside, decoded like any other
EMBEDDED = re.compile(r"^\s*data:image/(?:png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]*)$")
CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"]*)|@import", re.IGNORECASE)
HANDLER = re.compile(r"^on[a-z]+$", re.IGNORECASE)
ACTIVE = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}


def verify(path: Path, name: str, cited_in: Path | None, line: int | None = None) -> Path:
    """*path* (an image ``publish.files`` accepted) if every edition can carry it; ResourceError otherwise."""
    info = os.stat(path)
    problem = _problem(str(path), info.st_size, info.st_mtime_ns)
    if problem:
        raise ResourceError(f"image {name!r} {problem}", cited_in, line)
    return path


@functools.lru_cache(maxsize=512)
def _problem(path: str, _size: int, _mtime_ns: int) -> str | None:
    """Why the image at *path* is refused, or None (remembered while the file is unchanged)."""
    data = read_checked(Path(path), "image", Path(path).name, error=ResourceError)
    if path.lower().endswith(".svg") or data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg>", b"<!DOC"):
        return svg_problem(data)
    return raster_problem(Path(path))


def raster_problem(path) -> str | None:  # a Path, or the bytes of an embedded image
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (f"is {width} × {height} pixels, over the {MAX_PIXELS // 1_000_000} million a book "
                            "image may be (a decompression bomb?): scale it down")
                if image.format not in FORMATS:
                    return f"is {image.format or 'an unknown'} image: use PNG, JPEG, GIF, WebP or SVG"
                image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "is a decompression bomb (far more pixels than its size suggests): scale it down"
    except UnidentifiedImageError:
        return "is not an image Pillow can read (corrupt, or not PNG, JPEG, GIF, WebP or SVG)"
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        return f"is corrupt ({' '.join(str(error).split())[:80] or type(error).__name__}): export it again"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG is refused (entities, references outside itself, script), or None."""
    if re.search(rb"<!ENTITY", data, re.IGNORECASE):
        return "declares XML entities: an SVG must not (they can read files or multiply without end)"
    try:
        root = etree.fromstring(data, SVG_PARSER)
    except etree.XMLSyntaxError as error:
        return f"is not well-formed SVG ({error})"
    if root.tag.rpartition("}")[2] != "svg":
        return "is not an SVG document"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rpartition("}")[2]
        if tag in ACTIVE:
            return f"holds <{tag}>: an SVG in a book must be a picture only"
        if tag == "style" and _outside_css(element.text or ""):
            return f"refers to something outside itself ({_outside_css(element.text or '')})"
        for key, value in element.attrib.items():
            local = key.rpartition("}")[2]
            if HANDLER.match(local):  # onclick, onload…; not an editor's own only_selected=
                return f"holds a {local}= handler: an SVG in a book must be a picture only"
            if local in ("href", "src") and (embedded := EMBEDDED.match(value)):
                if problem := raster_problem(io.BytesIO(base64.b64decode(embedded[1]))):
                    return f"embeds an image that {problem}"
            elif local in ("href", "src", "xml:base", "base") and not LOCAL_REFERENCE.match(value):
                return f"refers to something outside itself ({value[:60]!r}): embed it, or remove the reference"
            if outside := _outside_css(value):  # style=, fill=, filter=, mask=… may all hold url(…)
                return f"refers to something outside itself ({outside})"
    return None


def _outside_css(css: str) -> str | None:
    """The first url(…) or @import in *css* that is not a reference inside the same document."""
    for match in CSS_URL.finditer(css):
        if match[0].lower() == "@import" or not LOCAL_REFERENCE.match(match[1] or ""):
            return match[0][:60]
    return None
