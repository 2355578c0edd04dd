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

MAX_DEPTH = 10  # blockquotes in blockquotes, lists in lists, divs in divs: each indents, and 10 take half a page
MAX_BRACKETS = 64  # unclosed ( [ { at once, in one paragraph
MAX_INDENT = 64  # columns of leading white space outside fenced code
MAX_AST_DEPTH = 160  # elements inside elements in pandoc's tree
MAX_COLUMNS = 100  # a table's columns: no page or screen shows more
MAX_NOTES = 5_000  # notes in one chapter: the PDF's layout of a chapter grows faster than its notes
QUOTES = re.compile(r"^(?:[ \t]{0,3}>)+")
LIST_MARKERS = re.compile(r"^[ \t]*(?:(?:[-*+]|\(?(?:\d{1,9}|[A-Za-z#]|[ivxlcdmIVXLCDM]+)[.)])[ \t]+)+")
MARKER = re.compile(r"(?:[-*+]|\(?(?:\d{1,9}|[A-Za-z#]|[ivxlcdmIVXLCDM]+)[.)])[ \t]+")
RULE = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # a thematic break: - - -, * * *, ___
FENCE = re.compile(r"^[ \t]*(:{3,})[ \t]*(\S*)")
CODE_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
BRACKETS = str.maketrans({c: "(" for c in "([{"} | {c: ")" for c in ")]}"})


def check_text(text: str, path: Path) -> None:
    """ManuscriptError naming *path* and the line where *text* nests deeper than any book needs."""
    calls = len(CALL.findall(text)) + text.count("^[")
    if calls > MAX_NOTES:  # counted before pandoc spends a minute reading them all
        raise ManuscriptError(f"{calls:,} note calls in one chapter, more than the {MAX_NOTES:,} the build can lay "
                              "out together in bounded time: split the chapter into several files", path)
    divs = 0
    depth = 0
    code = ""  # the fence of the code block the line is in, if any: code is not nesting
    for number, line in enumerate(text.split("\n"), 1):
        fenced = CODE_FENCE.match(line)
        if code:
            if fenced and fenced[1][0] == code[0] and len(fenced[1]) >= len(code):
                code = ""
            continue
        if fenced:
            code = fenced[1]
            continue
        if not line.strip():
            depth = 0  # a paragraph ends: brackets left open in it do not carry on
            continue
        if RULE.match(line):
            continue  # a horizontal rule (- - - - -), not list markers
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
        if line.count("|") > MAX_COLUMNS + 1:  # a pipe or grid table's row: refused before pandoc reads it
            raise ManuscriptError(f"a table row of {line.count('|') - 1:,} columns: no page can show more than "
                                  f"{MAX_COLUMNS}; split the table, or turn it into a list", path, number)
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


def check_ast(ast: dict, path: Path | None, text: str = "") -> None:
    """ManuscriptError if pandoc's tree nests elements deeper than ``MAX_AST_DEPTH``, holds a table of more than
    ``MAX_COLUMNS`` columns or more than ``MAX_NOTES`` notes (walked with a stack, never recursively)."""
    stack: list[tuple[object, int]] = [(ast.get("blocks", []), 0)]
    notes = 0
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            kind = node.get("t")
            if kind is not None:
                depth += 1
                if depth > MAX_AST_DEPTH:
                    raise _error(f"elements nested more than {MAX_AST_DEPTH} deep (emphasis, links, spans…)", path)
                if kind == "Table" and len(node["c"][2]) > MAX_COLUMNS:
                    raise ManuscriptError(f"a table of {len(node['c'][2]):,} columns: no page can show more than "
                                          f"{MAX_COLUMNS}; split it, or turn it into a list", path,
                                          _line_with(text, "|", MAX_COLUMNS))
                notes += kind == "Note"
                if notes > MAX_NOTES:
                    raise ManuscriptError(f"more than {MAX_NOTES:,} notes in one chapter: the build lays out a "
                                          "chapter's notes together, and past that it cannot in bounded time; "
                                          "split the chapter into several files", path)
            stack.extend((child, depth) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth) for child in node)


def _line_with(text: str, char: str, count: int) -> int | None:
    """The first line holding *char* at least *count* times (a table's row), if there is one."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.count(char) >= count:
            return number
    return None


DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:")
CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def check_notes(doc, text: str, path: Path) -> None:
    """NoteError at its line for a note no edition can set: a note inside a note (``^[a ^[b]]``, or a call
    ``[^b]`` inside the definition of ``[^a]``), or a note in the description of an image set in the running text
    (alternative text has no place for its call; a figure's caption has)."""
    import panflute as pf

    from publish.errors import NoteError

    for number, label, inner in _calls_in_definitions(text):
        raise NoteError(f"note [^{label}] calls note [^{inner}]: a note inside a note has no place in any "
                        "edition; fold its text into the note, or call it from the running text", path, number)
    found: list[str] = []

    def visit(elem, _doc):
        if found or not isinstance(elem, pf.Note):
            return
        ancestors = list(_ancestors(elem))
        in_image = any(isinstance(a, pf.Image) for a in ancestors)
        if in_image and not any(isinstance(a, pf.Figure) for a in ancestors):
            # a figure's caption is set as text, call and all; an image in the running text shows only its
            # description as alternative text, where a call has no place
            found.append("a note in the description of an image in the running text has no place for its call; "
                         "put it in the text after the image")
        elif any(isinstance(a, pf.Note) for a in _ancestors(elem)):
            found.append("a note inside a note (^[… ^[…]]) has no place in any edition; fold its text into "
                         "the outer note")

    doc.walk(visit)
    if found:
        raise NoteError(found[0], path, _line_of_inline_note(text))


def _calls_in_definitions(text: str):
    """(line, outer label, inner label) for each call written inside a note definition (and its indented lines)."""
    label = None
    for number, line in enumerate(text.split("\n"), 1):
        definition = DEFINITION.match(line)
        if definition:
            label, line = definition[1], line[definition.end():]
        elif line.strip() and not line.startswith((" ", "\t")):
            label = None
        if label is not None:
            for inner in CALL.findall(line):
                yield number, label, inner


def _ancestors(elem):
    parent = elem.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _line_of_inline_note(text: str) -> int | None:
    for number, line in enumerate(text.split("\n"), 1):
        if re.search(r"\^\[[^\]]*\^\[", line) or re.search(r"!\[[^\]]*\^\[", line):
            return number
    return None


def _error(what: str, path: Path | None, line: int | None = None) -> ManuscriptError:
    return ManuscriptError(f"{what}: more than any book needs, and more than the build can follow; "
                           "flatten it", path, line)
