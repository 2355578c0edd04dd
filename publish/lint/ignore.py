"""Accepted exceptions: ``lint-ignore.yaml`` in the manuscript folder.

A publisher who keeps an author's intended style records it once, with a
reason, and lints every build. Each entry names the chapter file and the rule
code, and may narrow itself to a line and to text that the finding's excerpt
(as the report prints it) contains::

    - file: foreword.md
      code: p-008
      text: "‘results.’"
      reason: The author's punctuation, kept at the author's request.

An entry that matches nothing is reported, so the file does not rot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from publish import files, yamlload
from publish.book import Book
from publish.errors import ManuscriptError
from publish.lint.rules import RULES, Finding

FILE_NAME = "lint-ignore.yaml"
KEYS = {"file", "code", "line", "text", "reason"}


@dataclass(frozen=True)
class Entry:
    number: int  # its place in the file, from 1
    origin: Path  # the ignore file
    origin_line: int  # where the entry starts in it
    path: Path  # the chapter it applies to
    file: str
    code: str
    reason: str
    line: int | None = None
    text: str | None = None

    def matches(self, finding: Finding) -> bool:
        return (
            finding.path == self.path
            and finding.code == self.code
            and (self.line is None or finding.line == self.line)
            and (self.text is None or self.text in finding.excerpt)
        )


def load(book: Book) -> list[Entry]:
    """The entries of the book's ignore file ([] if it has none); ManuscriptError if it is malformed."""
    path = book.root / FILE_NAME
    if not os.path.lexists(path):
        return []
    try:  # read within its cap, never through a symlink leading out; YAML under bounds (publish.yamlload)
        text = files.read(book.root, FILE_NAME, FILE_NAME, path).decode("utf-8")
        data = yamlload.load(text, path)
        lines = _entry_lines(yamlload.compose(text, path))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        raise ManuscriptError(
            f"not valid YAML: {getattr(error, 'problem', None) or error}", path, mark.line + 1 if mark else None
        ) from None
    if isinstance(data, dict) and set(data) == {"ignore"}:
        data = data["ignore"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise ManuscriptError("must be a list of entries (file, code, reason; optional line, text)", path)
    chapters = {chapter.path.relative_to(book.root).as_posix(): chapter.path for chapter in book.chapters}
    return [
        _entry(number, item, chapters, path, lines[number - 1] if number <= len(lines) else 1)
        for number, item in enumerate(data, start=1)
    ]


def _entry_lines(node: yaml.Node | None) -> list[int]:
    """The line on which each entry starts, for messages that point at it."""
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        node = node.value[0][1]
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def _entry(number: int, item: object, chapters: dict[str, Path], path: Path, line_number: int) -> Entry:
    where = f"entry {number}"
    if not isinstance(item, dict):
        raise ManuscriptError(f"{where} must be a mapping: file, code, reason; optional line, text", path, line_number)
    unknown = set(item) - KEYS
    if unknown:
        raise ManuscriptError(f"{where} has unknown key(s): {', '.join(sorted(map(str, unknown)))}", path, line_number)
    for key in ("file", "code", "reason"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            message = f"{where} needs '{key}:': every exception has its file, code and reason"
            raise ManuscriptError(message, path, line_number)
    if item["file"] not in chapters:
        raise ManuscriptError(f"{where}: {item['file']!r} is not a chapter listed in book.yaml", path, line_number)
    if item["code"] not in RULES:
        raise ManuscriptError(f"{where}: {item['code']!r} is not a lint code ({_code_ranges()})", path, line_number)
    line = item.get("line")
    if line is not None and (not isinstance(line, int) or isinstance(line, bool) or line < 1):
        raise ManuscriptError(f"{where}: 'line:' must be a line number", path, line_number)
    text = item.get("text")
    if text is not None and not isinstance(text, str):
        raise ManuscriptError(f"{where}: 'text:' must be text from the finding's excerpt", path, line_number)
    return Entry(
        number,
        path,
        line_number,
        chapters[item["file"]],
        item["file"],
        item["code"],
        item["reason"].strip(),
        line,
        text,
    )


def _code_ranges() -> str:
    families: dict[str, list[str]] = {}
    for code in RULES:
        families.setdefault(code[0], []).append(code)
    return ", ".join(f"{codes[0]}…{codes[-1]}" for codes in families.values())


def apply(
    findings: list[Finding], entries: list[Entry]
) -> tuple[list[Finding], list[tuple[Finding, Entry]], list[Entry]]:
    """Split *findings* into those kept and those an entry accepts; also the entries that matched nothing."""
    kept: list[Finding] = []
    ignored: list[tuple[Finding, Entry]] = []
    used: set[int] = set()
    for finding in findings:
        entry = next((entry for entry in entries if entry.matches(finding)), None)
        if entry is None:
            kept.append(finding)
        else:
            ignored.append((finding, entry))
            used.add(entry.number)
    return kept, ignored, [entry for entry in entries if entry.number not in used]
