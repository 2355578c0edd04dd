"""The manuscript as lint reads it: prose units whose every character keeps the author's line and column.

A chapter's Markdown is cut into blocks (paragraphs, headings, list items,
line-block lines, note paragraphs); YAML, fenced and indented code and HTML
comments are set aside. Each block's inline markup is then taken out (code
spans, URLs, links' targets, emphasis marks, note calls), leaving the words a
reader will see, each mapped back to its place in the source. pandoc's AST
says which spans really are code or mathematics, so an unmatched backtick in
prose is not mistaken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from publish.book import Chapter
from publish.lint import inline
from publish.lint.inline import PLACEHOLDER, Call, Protected
from publish.lint.rules import Finding

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
DIV = re.compile(r"^\s{0,3}:{3,}")
HEADING = re.compile(r"^\s{0,3}(#{1,6})(\s+|$)")
NOTE_DEF = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:[ \t]?")
ITEM = re.compile(r"^(\s{0,3}(?:[-*+]|\d+[.)]|#[.)]|[a-z][.)]|[ivxlc]+[.)]|\([a-zA-Z0-9]+\)|[A-Z][.)] )\s+)(?=\S)")
DEFINITION = re.compile(r"^(\s{0,3}[:~][ \t]+)(?=\S)")  # a definition list's definition: "Apple\n:   a fruit"
NESTED_CODE = re.compile(r"^( {8}|\t\t| {4}\t|\t {4})")  # code indented inside a list item or definition
QUOTE_PREFIX = re.compile(r"^(\s{0,3}>\s?)+")
LINE_BLOCK = re.compile(r"^\|(\s|$)")
RULE_LINE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
GRID_RULE = re.compile(r"^\s*\+[-=:+]+\+\s*$")
TABLE_MARKS = frozenset("|-: \t")
INDENT = re.compile(r"^( {4}|\t)")
COMMENT = re.compile(r"<!--.*?-->", re.S)
HIDDEN = "\x00"


@dataclass
class Unit:
    """A run of prose: a paragraph, heading, list item, line, or one paragraph of a note."""

    chapter: Chapter
    kind: str
    text: str
    places: list[tuple[int, int]]
    calls: list[Call] = field(default_factory=list)
    note: str | None = None  # the label of the note this paragraph belongs to ("" for an inline note)
    note_key: tuple[int, int] | None = None  # place of the note's definition: one key per note

    def place(self, index: int) -> tuple[int, int]:
        """(line, column) in the source of the character at *index* (the end maps to the last one)."""
        if not self.places:
            return (1, 1)
        return self.places[max(0, min(index, len(self.places) - 1))]

    def finding(
        self, code: str, index: int, start: int | None = None, end: int | None = None, excerpt: str | None = None
    ) -> Finding:
        """A finding at *index*; its excerpt is text[start:end] widened to whole words."""
        line, column = self.place(index)
        if excerpt is None:
            excerpt = self.excerpt(index if start is None else start, index + 1 if end is None else end)
        return Finding(self.chapter.path, line, column, code, excerpt)

    def excerpt(self, start: int, end: int) -> str:
        text = self.text
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        return show(text[start:end])


def show(text: str) -> str:
    """Text for a report: line breaks as spaces, invisible spaces named, stand-ins shown."""
    text = text.replace("\n", " ").replace("\u00a0", "<nbsp>").replace("\u202f", "<nnbsp>")
    return text.replace("\u2009", "<thin>").replace(PLACEHOLDER, "⟨…⟩")


@dataclass
class Definition:
    label: str
    place: tuple[int, int]


@dataclass
class Source:
    chapter: Chapter
    units: list[Unit]
    definitions: list[Definition]
    prose_lines: set[int]  # line numbers that hold prose or markup, not code or YAML


@dataclass
class _Block:
    kind: str
    segments: list[tuple[int, int, str]]  # (line, column offset, text) per source line
    note: str | None = None
    note_key: tuple[int, int] | None = None


def read(chapter: Chapter, protected: Protected) -> Source:
    """Cut *chapter* into prose units; *protected* is what pandoc parsed as code or mathematics."""
    lines = _hide_comments(chapter.text).split("\n")
    blocks, definitions, hidden = _blocks(lines, protected)
    units: list[Unit] = []
    for block in blocks:
        units.extend(_units(chapter, block, protected))
    prose = {n + 1 for n in range(len(lines)) if n + 1 not in hidden}
    return Source(chapter, units, definitions, prose)


def _hide_comments(text: str) -> str:
    return COMMENT.sub(lambda m: re.sub(r"[^\n]", HIDDEN, m.group()), text)


def _blank(line: str) -> bool:
    return not line.replace(HIDDEN, "").strip()


def _blocks(lines: list[str], protected: Protected) -> tuple[list[_Block], list[Definition], set[int]]:
    blocks: list[_Block] = []
    definitions: list[Definition] = []
    hidden: set[int] = set()
    container: _Block | None = None  # the note or list item that indented paragraphs continue
    i, previous_blank = 0, True
    while i < len(lines):
        line = lines[i]
        if _blank(line):
            i, previous_blank = i + 1, True
            continue
        skip = _skip(lines, i, previous_blank, container, protected)
        if skip:
            hidden.update(range(i + 1, skip + 1))
            i, previous_blank, container = skip, True, None
            continue
        if DIV.match(line) or RULE_LINE.match(line):
            i, previous_blank = i + 1, True
            continue
        if container is not None and previous_blank and INDENT.match(line):
            block, i = _paragraph(lines, i, strip=4)
            block.kind, block.note, block.note_key = container.kind, container.note, container.note_key
            blocks.append(block)
            previous_blank = False
            continue
        block, i = _block(lines, i)
        if block.kind == "note":
            definitions.append(Definition(block.note or "", block.note_key or (i, 1)))
        container = block if block.kind in ("note", "item") else None
        if block.segments:
            blocks.append(block)
        previous_blank = False
    return blocks, definitions, hidden


def _skip(lines: list[str], i: int, previous_blank: bool, container: _Block | None, protected: Protected) -> int:
    """Index after a YAML block, fenced code or indented code starting at *i*; 0 if none starts here."""
    line = lines[i]
    if previous_blank and line.strip() == "---" and i + 1 < len(lines) and not _blank(lines[i + 1]):
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() in ("---", "...")), None)
        if end is not None and re.match(r"^[\w-]+\s*:", lines[i + 1]):
            return end + 1
    fence = FENCE.match(line)
    if fence:
        mark = fence.group(1)
        closing = re.compile(rf"^\s{{0,3}}{re.escape(mark[0])}{{{len(mark)},}}\s*$")
        end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), len(lines) - 1)
        return end + 1
    if container is not None and (NESTED_CODE.match(line) or FENCE.match(line[4:] if INDENT.match(line) else "")):
        nested = _nested_code(lines, i, protected)  # code inside a list item or a definition is not prose
        if nested:
            return nested
    if previous_blank and container is None and INDENT.match(line):
        end = i
        while end < len(lines) and (INDENT.match(lines[end]) or _blank(lines[end])):
            end += 1
        code = "\n".join(re.sub(r"^( {4}|\t)", "", ln) for ln in lines[i:end]).strip("\n")
        if protected.is_code_block(code):
            return end
    return 0


def _nested_code(lines: list[str], i: int, protected: Protected) -> int:
    """Index after code inside a list item or definition (fenced, or indented four more), 0 if none."""
    inner = [re.sub(r"^( {4}|\t)", "", line) for line in lines]
    fence = FENCE.match(inner[i])
    if fence:
        mark = fence.group(1)
        closing = re.compile(rf"^\s{{0,3}}{re.escape(mark[0])}{{{len(mark)},}}\s*$")
        return next((j for j in range(i + 1, len(inner)) if closing.match(inner[j])), len(inner) - 1) + 1
    end = i
    while end < len(inner) and (INDENT.match(inner[end]) or _blank(inner[end])):
        end += 1
    code = "\n".join(re.sub(r"^( {4}|\t)", "", ln) for ln in inner[i:end]).strip("\n")
    return end if protected.is_code_block(code) else 0


def _block(lines: list[str], i: int) -> tuple[_Block, int]:
    line = lines[i]
    heading = HEADING.match(line)
    if heading:
        text = re.sub(r"\s*(\{[^{}]*\})?\s*#*\s*$", "", line[heading.end() :])
        return _Block("heading", [(i + 1, heading.end(), text)]), i + 1
    if LINE_BLOCK.match(line) and not (i + 1 < len(lines) and _table_rule(lines[i + 1])):
        return _Block("line", [(i + 1, min(2, len(line)), line[2:])]), i + 1  # a pipe table's header row is not
    note = NOTE_DEF.match(line)
    if note:
        block, end = _paragraph(lines, i, first=note.end())
        block.kind, block.note, block.note_key = "note", note.group(1), (i + 1, 1)
        return block, end
    item = ITEM.match(line) or DEFINITION.match(line)
    if item:
        block, end = _paragraph(lines, i, first=item.end(), items=True)
        block.kind = "item"
        return block, end
    return _paragraph(lines, i)


def _paragraph(lines: list[str], i: int, first: int = 0, strip: int = 0, items: bool = False) -> tuple[_Block, int]:
    """Lines from *i* to the next blank line (or a line that starts another block).

    In a list (*items*), the next item's marker or a definition's colon starts another block.
    """
    segments: list[tuple[int, int, str]] = []
    j = i
    while j < len(lines) and not _blank(lines[j]):
        line = lines[j]
        if j > i and (DIV.match(line) or HEADING.match(line) or NOTE_DEF.match(line) or FENCE.match(line)):
            break
        if j > i and (DEFINITION.match(line) or (items and ITEM.match(line))):
            break
        if j > i and SETEXT.match(line) and len(segments) == 1:
            return _Block("heading", segments), j + 1
        offset = first if j == i else 0
        if strip and j == i:
            offset = len(line) - len(line.lstrip(" \t")) if INDENT.match(line) else 0
        quote = QUOTE_PREFIX.match(line, offset)
        if quote:
            offset = quote.end()
        rest = line[offset:]
        lead = len(rest) - len(rest.lstrip(" \t"))
        segments.append((j + 1, offset + lead, rest.lstrip(" \t")))
        j += 1
    if any(_table_rule(text) for _, _, text in segments):
        return _Block("table", []), j
    return _Block("paragraph", segments), j


def _table_rule(text: str) -> bool:
    """A table's rule line: pipe or simple (``| --- | :--: |``, ``----- -----``) or grid (``+----+``).

    Read by its characters, not by a regular expression: the one this replaced
    (groups of pipes, spaces and dashes, repeated) backtracked exponentially on
    a long rule with a stray character after it, and lint hung.
    """
    if GRID_RULE.match(text):
        return True
    stripped = text.strip()
    return bool(stripped) and "---" in stripped and TABLE_MARKS.issuperset(stripped)


def _units(chapter: Chapter, block: _Block, protected: Protected) -> list[Unit]:
    text_parts: list[str] = []
    places: list[tuple[int, int]] = []
    for index, (line, offset, text) in enumerate(block.segments):
        if index:
            text_parts.append("\n")
            places.append((line - 1, block.segments[index - 1][1] + len(block.segments[index - 1][2]) + 1))
        text_parts.append(text)
        places.extend((line, offset + k + 1) for k in range(len(text)))
    raw = "".join(text_parts)
    keep = [k for k, ch in enumerate(raw) if ch != HIDDEN]
    prose = inline.strip(raw.replace(HIDDEN, ""), [places[k] for k in keep], protected)
    main = Unit(chapter, block.kind, prose.text, prose.places, prose.calls, block.note, block.note_key)
    notes = [
        Unit(chapter, "note", sub.text, sub.places, sub.calls, "", sub.places[0] if sub.places else (1, 1))
        for sub in prose.inline_notes
    ]
    return [main, *notes]
