"""A book's own stylesheets may use the files beside them: never fetch, never run anything.

A reader's device would fetch a remote ``url(…)`` or ``@import`` in the web or
EPUB edition (the build itself never does), and old engines run
``expression()``, ``behavior:`` and ``-moz-binding``. Each stylesheet the book
brings (its ``styles/`` folder, book.yaml's ``css:``) is tokenised by tinycss2,
WeasyPrint's own CSS parser (escapes decoded, comments dropped, as a browser
reads it), and every URL in it must be a path inside the styles: no scheme
(``https:``, ``file:``, ``javascript:``; ``data:`` only for a raster image or
a font), no ``//host``, no absolute path, no ``..``. A stylesheet that breaks
this is refused naming its file and line.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import tinycss2

from publish.errors import ResourceError

DATA = re.compile(r"data:\s*(image/(png|jpeg|gif|webp)|font/[\w.+-]+|application/(x-)?font[\w.+-]*)[;,]", re.I)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
RUNS = {"expression": "expression()", "behavior": "behavior:", "behaviour": "behavior:",
        "-moz-binding": "-moz-binding"}


def check(css: str, name: str, path: Path) -> None:
    """Refuse (ResourceError at its line) a stylesheet that fetches from outside or runs script."""
    found = problem(css)
    if found is not None:
        line, why = found
        raise ResourceError(f"stylesheet {name!r} {why}: a book's styles may only use files beside them", path, line)


def problem(css: str) -> tuple[int, str] | None:
    """The line and reason of the first thing in *css* a book's stylesheet may not hold, or None."""
    for node in _nodes(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)):
        kind = getattr(node, "type", "")
        if kind == "at-rule" and node.lower_at_keyword == "import":
            urls = [t.value if getattr(t, "type", "") == "string" else _url(t) for t in node.prelude]
            url = next((u for u in urls if u is not None), "")
            if why := url_problem(url):
                return node.source_line, f"imports {url[:60]!r} ({why})"
        elif (url := _url(node)) is not None and (why := url_problem(url)):
            return node.source_line, f"refers to {url[:60]!r} ({why})"
        if kind == "function" and node.lower_name in RUNS:
            return node.source_line, f"holds {RUNS[node.lower_name]}, which runs script in some readers"
        if kind == "ident" and node.lower_value in RUNS:
            return node.source_line, f"holds {RUNS[node.lower_value]}, which runs script in some readers"
    return None


def url_problem(url: str) -> str | None:
    """Why *url* may not be in a book's stylesheet, or None for a path inside its styles."""
    url = url.strip()
    if url.lower().startswith("data:"):
        return None if DATA.match(url) else "a data: URL that is not a raster image or a font"
    if SCHEME.match(url) or url.startswith(("//", "/", "\\")):
        return "outside the book: it would be fetched by the reader's device"
    if ".." in PurePosixPath(url.split("#")[0].split("?")[0]).parts:
        return "climbs out of the styles folder"
    return None


def _url(token) -> str | None:
    kind = getattr(token, "type", "")
    if kind == "url":
        return token.value
    if kind == "string":
        return None
    if kind == "function" and token.lower_name in ("url", "src", "image", "image-set", "-webkit-image-set"):
        strings = [t.value for t in token.arguments if getattr(t, "type", "") in ("string", "url")]
        return strings[0] if strings else ""
    return None


def _nodes(nodes):
    """Every rule, at-rule and component value under *nodes*, depth first."""
    stack = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        yield node
        kind = getattr(node, "type", "")
        if kind in ("qualified-rule", "at-rule"):  # a block's declarations and nested rules, parsed
            inner = [*(node.prelude or []), *(tinycss2.parse_blocks_contents(node.content) if node.content else [])]
        elif kind == "declaration":  # its property name, as an ident, then its value
            inner = [tinycss2.ast.IdentToken(node.source_line, node.source_column, node.lower_name), *node.value]
        else:  # a function's arguments, a () [] {} block's content
            inner = list(getattr(node, "arguments", None) or getattr(node, "content", None) or [])
        stack.extend(reversed(inner))
