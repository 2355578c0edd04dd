"""Refuse nesting no book needs, before anything recurses into it.

pandoc, the JSON decoder, panflute and our filters all recurse on the
document's tree, and Python's stack ends near a thousand frames: blockquotes
nested 300 deep end in a RecursionError, lists nested 5,000 deep keep pandoc
busy for minutes. A real book nests a few levels. ``check_text`` scans the
Markdown (a cheap linear pass) for the nesting a reader could not follow
anyway — blockquote markers, list markers, indentation, fenced divs, and
brackets or braces (maths such as ``\\frac{\\frac{…}}``) — and names the file and
line. ``check_ast`` bounds the depth of the parsed tree as a last guard,
without recursion.
"""

from __future__ import annotations

import re
from pathlib import Path

from publish.errors import ManuscriptError

MAX_DEPTH = 32  # blockquotes in blockquotes, lists in lists, divs in divs
MAX_BRACKETS = 64  # unclosed ( [ { at once, in one paragraph
MAX_INDENT = 4 * MAX_DEPTH  # columns of leading white space
MAX_AST_DEPTH = 160  # elements inside elements in pandoc's tree
QUOTES = re.compile(r"^(?:[ \t]{0,3}>)+")
LIST_MARKERS = re.compile(r"^[ \t]*(?:(?:[-*+]|\(?(?:\d{1,9}|[A-Za-z#]|[ivxlcdmIVXLCDM]+)[.)])[ \t]+)+")
MARKER = re.compile(r"(?:[-*+]|\(?(?:\d{1,9}|[A-Za-z#]|[ivxlcdmIVXLCDM]+)[.)])[ \t]+")
FENCE = re.compile(r"^[ \t]*(:{3,})[ \t]*(\S*)")
BRACKETS = str.maketrans({c: "(" for c in "([{"} | {c: ")" for c in ")]}"})


def check_text(text: str, path: Path) -> None:
    """ManuscriptError naming *path* and the line where *text* nests deeper than any book needs."""
    divs = 0
    depth = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            depth = 0  # a paragraph ends: brackets left open in it do not carry on
            continue
        quotes = QUOTES.match(line)
        level = quotes[0].count(">") if quotes else 0
        rest = line[quotes.end():] if quotes else line
        markers = LIST_MARKERS.match(rest)
        level += len(MARKER.findall(markers[0])) if markers else 0
        indent = len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip())
        if level > MAX_DEPTH or indent > MAX_INDENT:
            raise _error(f"nested {max(level, indent // 4)} levels deep (blockquotes or lists)", path, number)
        fence = FENCE.match(line)
        if fence:
            divs = divs + 1 if fence[2] else max(divs - 1, 0)
            if divs > MAX_DEPTH:
                raise _error(f"fenced divs (:::) nested {divs} deep", path, number)
        depth = _brackets(line, depth)
        if depth > MAX_BRACKETS:
            raise _error(f"brackets or braces nested {depth} deep", path, number)


def _brackets(line: str, depth: int) -> int:
    """The count of open brackets after *line*, starting from *depth* (never below zero)."""
    peak = depth
    for char in line.translate(BRACKETS):
        if char == "(":
            depth += 1
            peak = max(peak, depth)
            if peak > MAX_BRACKETS:
                return peak
        elif char == ")":
            depth = max(depth - 1, 0)
    return depth


def check_ast(ast: dict, path: Path | None) -> None:
    """ManuscriptError if pandoc's tree nests elements deeper than ``MAX_AST_DEPTH`` (walked with a stack)."""
    stack: list[tuple[object, int]] = [(ast.get("blocks", []), 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            if "t" in node:
                depth += 1
                if depth > MAX_AST_DEPTH:
                    raise _error(f"elements nested more than {MAX_AST_DEPTH} deep (emphasis, links, spans…)", path)
            stack.extend((child, depth) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth) for child in node)


def _error(what: str, path: Path | None, line: int | None = None) -> ManuscriptError:
    return ManuscriptError(f"{what}: more than any book needs, and more than the build can follow; "
                           "flatten it", path, line)
