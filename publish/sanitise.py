"""The allow-list for raw HTML in a manuscript: what it may carry, what is refused, and the cleaner (nh3).

Raw HTML is read as a browser reads it: by an HTML5 tokenizer (tinyhtml5,
which WeasyPrint ships), so character references are decoded and ``/`` counts
as an attribute separator before anything is judged. ``problems`` lists what
the allow-list refuses in one fragment; ``clean`` removes it with nh3 (the
Rust ammonia sanitiser) configured from the same lists; ``unsafe_url`` and
``unsafe_style`` are the two value checks both share, also used on pandoc's
own links and attributes and by ``publish check`` on finished editions.
"""

from __future__ import annotations

import io
import re

import nh3
from tinyhtml5.constants import void_elements
from tinyhtml5.tokenizer import HTMLTokenizer, Token

# Elements every edition (XHTML in the EPUB included) can carry.
TAGS = frozenset({
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code",
    "col", "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# Elements that run code, fetch, or change the page: removed with what they hold.
ACTIVE = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "meta",
                    "link", "style", "noscript", "template", "svg", "math", "audio", "video", "source", "track",
                    "input", "button", "textarea", "select", "portal", "xmp", "noembed", "noframes", "plaintext"})
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role", "hidden", "translate", "style"})
ATTRIBUTES = {
    "a": {"href", "hreflang", "rel", "type"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "time": {"datetime"}, "data": {"value"},
    "q": {"cite"}, "blockquote": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "details": {"open"},
}
ATTRIBUTE_PREFIXES = frozenset({"aria-", "data-"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "xlink:href", "poster", "background",
                            "longdesc", "srcset", "data", "codebase", "manifest", "ping", "lowsrc", "dynsrc"})
SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
# What ``publish check`` refuses in a finished edition, whoever made it: URLs that run script when followed.
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "mocha"})
DATA_IMAGE = re.compile(r"data:\s*image/(png|jpeg|gif|webp)[;,]")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# What a style attribute must not hold: anything that fetches (url(), image-set(), @import), old IE script
# (expression(), behavior), or a CSS escape that could spell one of those.
STYLE_REFUSED = re.compile(r"url|image|expression|behavio|@import|-moz-binding|\\|&|<", re.IGNORECASE)
CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.DOTALL)


def unsafe_url(url: str) -> str | None:
    """The scheme of *url* if it is not one a book may link to (``javascript``, ``data``…), else None.

    Read as the URL standard says a browser reads it: leading and trailing
    controls and spaces dropped, tabs and newlines inside removed.
    """
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = SCHEME.match(cleaned)
    if match and match[1].lower() not in SCHEMES:
        return match[1].lower()
    return None


def script_url(url: str) -> str | None:
    """The scheme of *url* if following it runs script (``javascript:``, an HTML or SVG ``data:`` URL), else None."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21)))).lower()
    scheme = cleaned.partition(":")[0] if SCHEME.match(cleaned) else ""
    if scheme in SCRIPT_SCHEMES or (scheme == "data" and not DATA_IMAGE.match(cleaned)):
        return scheme
    return None


def unsafe_style(style: str) -> str | None:
    """Why a ``style`` attribute is refused (it could fetch or run something), or None."""
    found = STYLE_REFUSED.search(CSS_COMMENT.sub("", style))
    return None if found is None else f"style with {found[0].lower()!r}"


def allowed_attribute(tag: str, name: str) -> bool:
    return (name in GLOBAL_ATTRIBUTES or name in ATTRIBUTES.get(tag, ())
            or any(name.startswith(prefix) and len(name) > len(prefix) for prefix in ATTRIBUTE_PREFIXES))


def attribute_problem(tag: str, name: str, value: str) -> str | None:
    """Why the attribute *name*=*value* on *tag* is refused, or None if a book may carry it."""
    name = name.lower()
    if name.startswith("on"):
        return f"{name}= attribute"
    if name in URL_ATTRIBUTES and (scheme := unsafe_url(value)):
        return f"{scheme}: URL"
    if name == "style" and (why := unsafe_style(value)):
        return why
    if tag and not allowed_attribute(tag, name) and not _obsolete(tag, name):
        return f"{name}= attribute on <{tag}>"
    return None


def _obsolete(tag: str, name: str) -> bool:
    """An attribute HTML5 made obsolete (``<table summary>``): harmless, and dropped with a warning by the render."""
    from publish.anchors import OBSOLETE

    return name in OBSOLETE.get(tag, ())


def tokens(fragment: str) -> list[dict]:
    """The fragment's tags, text and comments, as an HTML5 tokenizer reads them (entities decoded)."""
    return [t for t in HTMLTokenizer(io.StringIO(fragment)) if t["type"] != Token.PARSE_ERROR]


def problems(fragment: str) -> list[str]:
    """Descriptions of what the allow-list refuses in the HTML *fragment* (empty when it may pass)."""
    found: list[str] = []
    for token in tokens(fragment):
        if token["type"] not in (Token.START_TAG, Token.EMPTY_TAG):
            continue
        name = token["name"].lower()
        if name in ACTIVE:
            found.append(f"<{name}>")
            continue
        if name not in TAGS:
            found.append(f"unknown element <{name}>")
        for attribute, value in token["data"].items():
            if (why := attribute_problem(name if name in TAGS else "", attribute, value)) is not None:
                found.append(why)
    return list(dict.fromkeys(found))


def image_sources(fragment: str) -> list[str]:
    """The ``src`` of each ``<img>`` in the fragment, decoded."""
    return [t["data"]["src"] for t in tokens(fragment)
            if t["type"] in (Token.START_TAG, Token.EMPTY_TAG) and t["name"].lower() == "img" and "src" in t["data"]]


def clean(fragment: str) -> str:
    """*fragment* with everything outside the allow-list removed (by nh3).

    pandoc hands raw HTML over one tag at a time (``<a href=…>``, text, ``</a>``);
    nh3 parses a fragment as a whole and closes what it opened, so the closing
    tags it adds are taken off again and the lone closing tags it drops (of
    allowed elements) put back: the element still spans the text between.
    """
    parsed = tokens(fragment)
    opened = [t["name"].lower() for t in parsed if t["type"] == Token.START_TAG]
    closed = [t["name"].lower() for t in parsed if t["type"] == Token.END_TAG]
    cleaned = nh3.clean(
        fragment,
        tags=set(TAGS),
        clean_content_tags=set(ACTIVE) - {"svg", "math"},
        attributes={"*": set(GLOBAL_ATTRIBUTES), **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
        attribute_filter=_keep,
        generic_attribute_prefixes=set(ATTRIBUTE_PREFIXES),
        url_schemes=set(SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    unclosed = _unmatched(opened, closed)
    for name in unclosed:  # nh3 closes the innermost last-opened first, so the outermost ends the output
        if name in TAGS and name not in void_elements and cleaned.endswith(f"</{name}>"):
            cleaned = cleaned[: -len(f"</{name}>")]
    lone = _unmatched(closed, opened)
    return "".join(f"</{name}>" for name in lone if name in TAGS and name not in void_elements) + cleaned


def _keep(tag: str, name: str, value: str) -> str | None:
    return None if attribute_problem(tag, name, value) else value


def _unmatched(names: list[str], others: list[str]) -> list[str]:
    """The entries of *names* left once each entry of *others* has cancelled one of the same name."""
    left = list(names)
    for name in others:
        if name in left:
            left.remove(name)
    return left


# In a finished edition: elements that run script or load a page of their own; SVG animation of a link.
SCRIPT_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "portal",
                             "handler", "listener"})
ANIMATIONS = frozenset({"set", "animate", "animatemotion", "animatetransform", "discard"})
CSS_SCRIPT = re.compile(r"expression\s*\(|javascript\s*:|vbscript\s*:|behavio(u)?r\s*:|-moz-binding", re.IGNORECASE)


def active(root, own_scripts: frozenset[tuple[str, str]] = frozenset()) -> list[str]:
    """What could run in the tree under *root* (lxml or ElementTree): each script element, event attribute,
    script URL, script in CSS, refresh to a script URL, or SVG animation of a link. *own_scripts* are the
    toolchain's own (``("src", path)`` or ``("text", source)``), allowed exactly as written."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        tag = element.tag.rpartition("}")[2].lower()  # lxml's and ElementTree's "{namespace}name" alike
        attributes = {name.rpartition("}")[2].lower(): value for name, value in element.attrib.items()}
        if tag in SCRIPT_ELEMENTS and not _own(tag, attributes, element.text, own_scripts):
            found.append(f"<{tag}>")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        if tag in ANIMATIONS and attributes.get("attributename", "").rpartition(":")[2].lower() in ("href", "src"):
            found.append(f"<{tag} attributeName={attributes['attributename']}>")
        if tag == "style" and CSS_SCRIPT.search(element.text or ""):
            found.append(f"<style> with {CSS_SCRIPT.search(element.text or '')[0]!r}")
        for local, value in attributes.items():
            if re.fullmatch(r"on[a-z]+", local):  # an event handler (onclick…), not an editor's only_selected=
                found.append(f"<{tag} {local}=…>")
            elif (local in URL_ATTRIBUTES or local in ("href", "to", "from", "values")) and (
                    scheme := script_url(value)):
                found.append(f"<{tag} {local}=\"{scheme}:…\">")
            elif local == "style" and CSS_SCRIPT.search(value):
                found.append(f"<{tag} style=…{CSS_SCRIPT.search(value)[0]}…>")
    return found


def _own(tag: str, attributes: dict[str, str], text: str | None, own: frozenset[tuple[str, str]]) -> bool:
    """Whether a ``<script>`` is one of the toolchain's own, exactly (nothing else on it)."""
    if tag != "script" or set(attributes) - {"src"}:
        return False
    if "src" in attributes:
        return not (text or "").strip() and ("src", attributes["src"]) in own
    return ("text", text or "") in own
