"""What the diff found, four ways: a terminal summary, ``report.json``, ``report.html`` and ``proof.pdf``.

The summary speaks in pages ("Re-read: pp. 3, 7–8. Check breaks: pp. 4–6.
Shifted only: 9–12."). The HTML report is one self-contained file (inline
CSS and script, page images as data: URIs): the summary, the redline by
section with its notes, then the page images with the changed areas boxed.

``report.json``: ``classes`` (what was found: text, typography, notes,
reflow, shifted, visual), ``summary``, ``blocks`` (each changed block: status
changed/inserted/deleted/moved, class, chapter, section, old and new ids and
folios, word ``diff`` as ``{op: "=" | "-" | "+", text}``), ``notes`` (changed,
moved, added, removed or renumbered notes, with numbers and diff) and
``pages`` (each new page: folio, class, the old page it was compared with,
and boxes as [left, top, width, height] fractions of the trim box).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from publish.diff import report_html
from publish.diff.notes import NoteChange
from publish.diff.reading import Edition
from publish.diff.text import Pair, Token, printed, printed_segments
from publish.output import ensure_dir, write_bytes

# Page class → how the summary asks the proofreader to treat those pages.
PAGE_ADVICE = {"text": "Re-read", "reflow": "Check breaks", "renumbered": "Note numbers only (see the checklist)",
               "furniture": "Running head or folio changed", "visual": "Look at (set differently)",
               "blank-added": "Blank page added", "shifted": "Shifted only"}
GONE_ADVICE = {"blank-removed": "Blank page removed", "removed": "Page gone"}
STATUS_ORDER = ("inserted", "deleted", "changed", "moved")


@dataclass
class Result:
    old: str
    new: str
    old_edition: Edition
    new_edition: Edition
    pairs: list[Pair]
    notes: list[NoteChange]
    pages: object | None  # pages.Pages, or None when a side has no print PDF
    sides: tuple[dict, dict] = ({}, {})  # what each side is: sides.describe
    sections: list = field(default_factory=list)  # editions.SectionChange: the EPUB's and HTML's changed sections
    proof: bytes | None = None  # the new print PDF, marked up (markup.proof)

    def changed_pairs(self) -> list[Pair]:
        return [p for p in self.pairs if p.kind is not None]

    def changed_notes(self) -> list[NoteChange]:
        return [n for n in self.notes if n.kind is not None]

    def classes(self) -> set[str]:
        """The classes of change found: text, typography, notes, reflow, shifted, visual."""
        found = {p.kind for p in self.changed_pairs()} | {n.kind for n in self.changed_notes()}
        if self.pages is not None:
            found |= {r.cls for r in self.pages.results} - {"identical", "text"}  # TEXT pages: counted as text or notes
            found |= {r.cls for r in self.pages.removed}
        found |= {s.edition for s in self.sections}
        return found


def write(result: Result, out: Path) -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.html`` into *out*."""
    ensure_dir(out)
    data = as_json(result)
    json_path = write_bytes(out / "report.json", (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    html_path = write_bytes(out / "report.html", report_html.page(result, summary(result)).encode("utf-8"))
    if result.proof is not None:
        write_bytes(out / "proof.pdf", result.proof)
    return json_path, html_path


def summary(result: Result) -> str:
    """Two or three lines for the terminal and the top of the report."""
    lines = [_text_line(result)]
    if result.pages is None:
        lines.append("Pages: not compared (a side has no print PDF; build it with -f html,print).")
    else:
        lines.append(page_line(result.pages))
    for edition in ("epub", "html"):
        changed = [s for s in result.sections if s.edition == edition]
        if changed:
            hidden = [s for s in changed if s.status == "hidden"]
            lines.append(f"{edition.upper()}: {_count(len(changed), 'section')} "
                         f"{'differs' if len(changed) == 1 else 'differ'}"
                         f" ({', '.join(dict.fromkeys(s.title for s in changed))})"
                         + (f"; unseen by a reader: {', '.join(s.title for s in hidden)}." if hidden else "."))
    sheets = stylesheets_changed(result.sides)
    if sheets:
        lines.append(f"Stylesheets changed: {', '.join(sheets)}.")
    return "\n".join(lines)


def stylesheets_changed(sides: tuple[dict, dict]) -> list[str]:
    """The style files whose hashes differ between the two builds' manifests."""
    old, new = (dict(side.get("styles") or {}) for side in sides)
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


def _text_line(result: Result) -> str:
    pairs, notes = result.changed_pairs(), result.changed_notes()
    renumbered = sum(n.renumbered for n in result.notes)
    tail = f" ({renumbered} note(s) renumbered, which is no change)." if renumbered else "."
    if not pairs and not notes:
        return "Text and notes: no differences" + tail
    parts = []
    if pairs:
        statuses = Counter(p.status for p in pairs)
        kinds = Counter(p.kind for p in pairs if p.status == "changed")
        parts.append(", ".join(f"{_count(statuses[s], 'paragraph')} {s}" + (f" ({_tally(kinds)})" if s == "changed"
                                                                             else "")
                               for s in STATUS_ORDER if statuses[s]))
    if notes:
        parts.append(f"notes: {_tally(Counter(n.status for n in notes))}")
    return "Text: " + "; ".join(parts) + tail


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _tally(counter: Counter) -> str:
    return ", ".join(f"{n} {name}" for name, n in sorted(counter.items()))


def page_line(pages) -> str:
    parts = []
    for cls, advice in PAGE_ADVICE.items():
        indexes = [r.index for r in pages.results if r.cls == cls]
        if indexes:
            parts.append(f"{advice}: {page_ranges(indexes, pages.new_labels)}.")
    for cls, advice in GONE_ADVICE.items():
        indexes = [r.index for r in pages.removed if r.cls == cls]
        if indexes:
            parts.append(f"{advice}: old {page_ranges(indexes, pages.old_labels)}.")
    same = sum(r.cls == "identical" for r in pages.results)
    if parts and same:
        parts.append(f"Unchanged: {same} of {pages.new_count} pages.")
    if pages.new_count != pages.old_count:
        parts.append(f"Pages: {pages.old_count} → {pages.new_count}.")
    return " ".join(parts) if parts else f"Pages: all {pages.new_count} identical."


def page_ranges(indexes: list[int], labels: list[str]) -> str:
    """"pp. iii, vii–viii" from page indexes, printed with their folios."""
    runs: list[list[int]] = []
    for index in sorted(indexes):
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    text = ", ".join(labels[r[0]] if len(r) == 1 else f"{labels[r[0]]}–{labels[r[-1]]}" for r in runs)
    return ("p. " if len(indexes) == 1 else "pp. ") + text


def as_json(result: Result) -> dict:
    pages = result.pages
    return {
        "old": result.old, "new": result.new,
        "sides": {"old": result.sides[0], "new": result.sides[1]},
        "stylesheets_changed": stylesheets_changed(result.sides),
        "classes": sorted(result.classes()),
        "summary": summary(result),
        "blocks": [_pair_json(p, pages, _note_texts(result)) for p in result.changed_pairs()],
        "notes": [_note_json(n) for n in result.notes if n.kind is not None or n.renumbered],
        "pages": None if pages is None else {
            "old_count": pages.old_count, "new_count": pages.new_count,
            "pages": [{"page": r.index + 1, "folio": r.label, "class": r.cls,
                       "old_page": None if r.old_index is None else r.old_index + 1, "old_folio": r.old_label,
                       "boxes": _rounded(r.boxes), "inserted_words": _rounded(r.marks),
                       "deleted_words": _rounded(r.old_marks), "findings": r.findings,
                       "line_ends": _rounded(r.line_ends), "page_end": _rounded(r.page_end),
                       "notes_moved": _rounded(r.note_marks)}
                      for r in pages.results],
            "removed": [{"old_page": r.index + 1, "old_folio": r.label, "class": r.cls} for r in pages.removed],
        },
        "editions": [{"edition": s.edition, "section": s.name, "title": s.title, "status": s.status,
                      "reasons": s.reasons, "boxes": _rounded(s.boxes), "screenshots": bool(s.new_image or s.old_image)}
                     for s in result.sections],
    }


def _note_texts(result: Result) -> tuple[dict[str, str], dict[str, str]]:
    """Note id → its text, in the old and in the new build."""
    return tuple({n.id: printed(n.tokens).strip() for n in edition.notes}
                 for edition in (result.old_edition, result.new_edition))


def _pair_json(pair: Pair, pages, notes: tuple[dict, dict]) -> dict:
    block = pair.new or pair.old
    return {
        "status": pair.status, "class": pair.kind, "chapter": block.chapter, "section": block.section,
        "old_id": pair.old.id if pair.old else None, "new_id": pair.new.id if pair.new else None,
        "old_pages": report_html.folios(pages, pair.old, old=True),
        "new_pages": report_html.folios(pages, pair.new, old=False),
        "diff": _segments_json(pair.segments, notes),
    }


def _note_json(note: NoteChange) -> dict:
    return {
        "status": note.status, "class": note.kind, "renumbered": note.renumbered,
        "old_number": note.old.number if note.old else None, "new_number": note.new.number if note.new else None,
        "old_id": note.old.id if note.old else None, "new_id": note.new.id if note.new else None,
        "diff": _segments_json(note.segments) if note.kind else [],
    }


def _segments_json(segments: list[tuple[str, list[Token]]], notes: tuple[dict, dict] = ({}, {})) -> list[dict]:
    """Each segment's text as printed (a note call as its number), and its calls: number, note id, note text."""
    out = []
    for op, tokens in printed_segments(segments):
        segment = {"op": op, "text": printed(tokens)}
        texts = notes[0] if op == "-" else notes[1]  # a deleted call names an old note
        calls = [{"number": t.text.strip(), "note": t.call, "note_text": texts.get(t.call, "")}
                 for t in tokens if t.call]
        if calls:
            segment["calls"] = calls
        out.append(segment)
    return out


def _rounded(boxes: list[tuple[float, ...]]) -> list[list[float]]:
    """Boxes as [left, top, width, height], fractions of the trim box."""
    return [[round(v, 4) for v in box] for box in boxes]
