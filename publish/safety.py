"""What a manuscript may point at: images inside its folder, no active raw HTML.

Runs over the filtered AST of each chapter, before any edition is written.
An image outside the manuscript folder (absolute path, ``../`` escape,
``file://`` URL, symlink leading out), a remote image, or a missing one is a
ResourceError naming the reference and its line. Raw HTML that could run or
fetch (``<script>``, ``<iframe>``, event handlers, ``javascript:`` URLs) is
refused with every location listed, or, with ``raw-html: sanitise`` in
book.yaml, removed from the AST, so every edition gets the same safe text.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import panflute as pf

from publish.errors import ResourceError

ACTIVE_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "meta",
               "link", "style")
# HTML elements that every edition (XHTML in the EPUB included) can carry; any other tag is refused.
KNOWN_TAGS = frozenset({
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code",
    "col", "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
TAG = re.compile(r"<\s*/?\s*([A-Za-z][\w:-]*)")
ACTIVE_TAG = re.compile(r"<\s*/?\s*(" + "|".join(ACTIVE_TAGS) + r")\b[^>]*>", re.IGNORECASE)
EVENT_ATTR = re.compile(r"""\s(on[a-z]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
ACTIVE_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
URL_ATTR = re.compile(
    r"""\s(href|src|action|formaction|xlink:href)\s*=\s*(["']?)\s*(javascript|vbscript):[^"'>\s]*\2""", re.IGNORECASE
)


def check_chapter(doc: pf.Doc, root: Path, chapter: Path, text: str, raw_html: str = "refuse") -> None:
    """Refuse (or, for raw HTML with ``raw-html: sanitise``, clean) what a chapter must not carry."""
    problems: list[str] = []

    def visit(elem: pf.Element, _doc: pf.Doc):
        handlers = [key for key in getattr(elem, "attributes", {}) if key.lower().startswith("on")]
        if handlers:
            # pandoc reads <span onclick=…> and <div onclick=…> as native elements with attributes
            problems.extend(f"line {_line(text, key + '=') or '?'}: {key.lower()}= attribute" for key in handlers)
            if raw_html == "sanitise":
                for key in handlers:
                    del elem.attributes[key]
        if isinstance(elem, pf.Image):
            resolve_image(elem.url, root, chapter, _line(text, elem.url))
        elif isinstance(elem, pf.Link) and ACTIVE_URL.match(elem.url):
            problems.append(f"line {_line(text, elem.url) or '?'}: link to {elem.url[:40]!r}")
            if raw_html == "sanitise":
                return pf.Span(*elem.content)
        elif isinstance(elem, (pf.RawInline, pf.RawBlock)) and elem.format in ("html", "html5", "html4"):
            found = active_parts(elem.text)
            if found:
                problems.extend(f"line {_line(text, elem.text.strip()[:30]) or '?'}: {what}" for what in found)
                if raw_html == "sanitise":
                    cleaned = sanitise(elem.text)
                    return type(elem)(cleaned, format=elem.format) if cleaned.strip() else []
        return None

    doc.walk(visit)
    if problems and raw_html != "sanitise":
        raise ResourceError(
            "raw HTML that could run code or that no edition can carry is refused (" + "; ".join(problems) + "); "
            "remove it, "
            "or set 'raw-html: sanitise' in book.yaml to strip it",
            chapter,
        )


def active_parts(html: str) -> list[str]:
    """Descriptions of the active parts of an HTML fragment (empty when it is harmless)."""
    found = [f"<{m.group(1).lower()}>" for m in ACTIVE_TAG.finditer(html) if not m.group(0).startswith("</")]
    found += [f"unknown element <{name}>" for name in dict.fromkeys(m.group(1).lower() for m in TAG.finditer(html))
              if name not in KNOWN_TAGS and name not in ACTIVE_TAGS]
    found += [f"{m.group(1).lower()}= attribute" for m in EVENT_ATTR.finditer(html)]
    found += [f"{m.group(3).lower()}: URL" for m in URL_ATTR.finditer(html)]
    return found


def sanitise(html: str) -> str:
    """*html* with active elements, event handlers and script URLs removed."""
    for tag in ACTIVE_TAGS:
        html = re.sub(rf"<\s*{tag}\b[^>]*>.*?<\s*/\s*{tag}\s*>", "", html, flags=re.IGNORECASE | re.DOTALL)
    html = ACTIVE_TAG.sub("", html)
    html = re.sub(r"<\s*/?\s*([A-Za-z][\w:-]*)[^>]*>",
                  lambda m: m.group(0) if m.group(1).lower() in KNOWN_TAGS else "", html)
    html = EVENT_ATTR.sub("", html)
    return URL_ATTR.sub("", html)


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
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ResourceError(f"image {url!r} lies outside the manuscript folder (a ../ escape or a symlink)",
                            chapter, line)
    if not target.is_file():
        raise ResourceError(f"image {url!r} does not exist", chapter, line)
    return target


def _line(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if needle and needle in line:
            return number
    return None
