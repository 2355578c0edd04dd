"""Take a block's inline Markdown out, keeping each remaining character's place in the source.

What is not prose but stands in the text (code, a URL, an image, a citation)
becomes one PLACEHOLDER character, so the words either side of it are not read
as neighbours. Note calls are removed and remembered with their position.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

PLACEHOLDER = "\ufffc"
CALL_MARK = "\ue000"
INLINE_MARK = "\ue001"
ESCAPE_BASE = 0xF0000  # an escaped character hides here while markup is taken out
Places = list[tuple[int, int]]

CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)(\{[^{}]*\})?", re.S)
AUTOLINK = re.compile(r"<(?:[a-zA-Z][\w+.-]{1,31}:[^\s<>]+|[^\s<>@]+@[^\s<>]+)>")
HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
MATH = re.compile(r"\$\$(.+?)\$\$|\$(?=\S)(.+?)(?<=\S)\$(?!\d)", re.S)
NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^{}]*\})?")
CITATION = re.compile(r"\[[^\[\]]*-?@[\w:.#$%&+?<>~/-]+[^\[\]]*\]")
LINK = re.compile(r"\[([^\[\]]*)\](?:\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|\[[^\[\]]*\]|\{[^{}]*\})")
ATTRIBUTES = re.compile(r"\{(?:[#.=][^{}]*|-)\}")
URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>]*[^\s<>.,;:!?)’”'\"]|\b[\w.+-]+@[\w-]+\.[\w.-]*\w")
EMPHASIS = re.compile(r"\*+|~~|(?<![\w\U000F0000-\U000FFFFF])_+|_+(?![\w\U000F0000-\U000FFFFF])")


@dataclass
class Call:
    label: str | None  # None for an inline note ^[…]
    index: int  # where in the unit's text the call sits: the character after it
    place: tuple[int, int]  # line and column of the call's '['


@dataclass
class Prose:
    text: str
    places: Places
    calls: list[Call] = field(default_factory=list)
    inline_notes: list[Prose] = field(default_factory=list)


@dataclass
class Protected:
    """What pandoc's AST holds as code or mathematics: never read as prose."""

    code: set[str] = field(default_factory=set)
    code_blocks: set[str] = field(default_factory=set)
    math: set[str] = field(default_factory=set)

    def is_code(self, text: str) -> bool:
        return " ".join(text.split()) in self.code

    def is_code_block(self, text: str) -> bool:
        return text.strip("\n") in self.code_blocks

    @classmethod
    def from_ast(cls, ast: object) -> Protected:
        found = cls()
        stack = [ast]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                kind, content = node.get("t"), node.get("c")
                if kind == "Code":
                    found.code.add(" ".join(content[1].split()))
                elif kind == "CodeBlock":
                    found.code_blocks.add(content[1].strip("\n"))
                elif kind == "Math":
                    found.math.add(content[1].strip())
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return found


def strip(text: str, places: Places, protected: Protected) -> Prose:
    """The prose of one block: markup out, calls noted, inline notes split off."""
    labels: list[str] = []
    notes: list[Prose] = []
    text, places = _escapes(text, places)
    text, places = _sub(CODE_SPAN, text, places, lambda m: PLACEHOLDER if protected.is_code(m[2]) else None)
    text, places = _sub(AUTOLINK, text, places, lambda m: PLACEHOLDER)
    text, places = _sub(HTML_TAG, text, places, lambda m: "")
    if protected.math:
        text, places = _sub(
            MATH, text, places, lambda m: PLACEHOLDER if (m[1] or m[2]).strip() in protected.math else None
        )
    text, places = _inline_notes(text, places, protected, notes)
    text, places = _sub(NOTE_CALL, text, places, lambda m: labels.append(m[1]) or CALL_MARK)
    text, places = _sub(IMAGE, text, places, lambda m: PLACEHOLDER)
    text, places = _sub(CITATION, text, places, lambda m: PLACEHOLDER)
    text, places = _keep_group(LINK, text, places)
    text, places = _sub(ATTRIBUTES, text, places, lambda m: "")
    text, places = _sub(URL, text, places, lambda m: PLACEHOLDER)
    text, places = _sub(EMPHASIS, text, places, lambda m: "")
    text = "".join(chr(ord(ch) - ESCAPE_BASE) if ord(ch) >= ESCAPE_BASE else ch for ch in text)
    return _calls(text, places, labels, notes)


def _sub(
    pattern: re.Pattern, text: str, places: Places, replace: Callable[[re.Match], str | None]
) -> tuple[str, Places]:
    """Replace each match by what *replace* returns ('' deletes it; None leaves it)."""
    out: list[str] = []
    out_places: Places = []
    last = 0
    for match in pattern.finditer(text):
        replacement = replace(match)
        if replacement is None:
            continue
        out.append(text[last : match.start()])
        out_places.extend(places[last : match.start()])
        out.append(replacement)
        out_places.extend([places[match.start()]] * len(replacement))
        last = match.end()
    out.append(text[last:])
    out_places.extend(places[last:])
    return "".join(out), out_places


def _keep_group(pattern: re.Pattern, text: str, places: Places) -> tuple[str, Places]:
    """A link keeps its text (group 1) where it stands; its target goes."""
    out: list[str] = []
    out_places: Places = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()])
        out_places.extend(places[last : match.start()])
        out.append(match[1])
        out_places.extend(places[match.start(1) : match.end(1)])
        last = match.end()
    out.append(text[last:])
    out_places.extend(places[last:])
    return "".join(out), out_places


def _escapes(text: str, places: Places) -> tuple[str, Places]:
    out: list[str] = []
    out_places: Places = []
    k = 0
    while k < len(text):
        if text[k] == "\\" and k + 1 < len(text) and not text[k + 1].isalnum() and not text[k + 1].isspace():
            out.append(chr(ESCAPE_BASE + ord(text[k + 1])))
            out_places.append(places[k + 1])
            k += 2
            continue
        if text[k] == "\\" and k + 1 < len(text) and text[k + 1] == "\n":
            k += 1  # a hard line break: the newline stays
            continue
        out.append(text[k])
        out_places.append(places[k])
        k += 1
    return "".join(out), out_places


def _inline_notes(text: str, places: Places, protected: Protected, notes: list[Prose]) -> tuple[str, Places]:
    """``^[…]`` (brackets matched) becomes a call; its text a note of its own."""
    start = text.find("^[")
    while start != -1:
        depth, end = 0, None
        for k in range(start + 1, len(text)):
            depth += {"[": 1, "]": -1}.get(text[k], 0)
            if depth == 0:
                end = k
                break
        if end is None:
            break
        notes.append(strip(text[start + 2 : end], places[start + 2 : end], protected))
        text, places = text[:start] + INLINE_MARK + text[end + 1 :], places[: start + 1] + places[end + 1 :]
        start = text.find("^[", start + 1)
    return text, places


def _calls(text: str, places: Places, labels: list[str], notes: list[Prose]) -> Prose:
    """Take the call marks out of the text, each with its label (None for an inline note)."""
    calls: list[Call] = []
    out: list[str] = []
    out_places: Places = []
    named = iter(labels)
    for k, ch in enumerate(text):
        if ch in (CALL_MARK, INLINE_MARK):
            calls.append(Call(next(named) if ch == CALL_MARK else None, len(out), places[k]))
            continue
        out.append(ch)
        out_places.append(places[k])
    return Prose("".join(out), out_places, calls, notes)
