"""``publish diff`` on hand-made build folders (HTML edition only): text classes, notes, safe reading.

Fast: no pandoc, no PDF. The folders mimic the HTML edition's markup (block
ids on the blocks, note calls as ``a[role=doc-noteref]``, notes as
``aside[role=doc-footnote]``), which is all the diff reads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from lxml import html as lxml_html

from publish.diff import reading, run, text


def build_folder(root: Path, paragraphs: list[tuple[str, str]], notes: dict[str, str]) -> Path:
    """A build folder whose HTML edition holds *paragraphs* (id, html) and *notes* (number → text)."""
    body = "".join(f'<p id="{pid}">{html}</p>\n' for pid, html in paragraphs)
    asides = "".join(
        f'<aside id="ch-note-{n}" role="doc-footnote" class="note"><p><span class="note-number">{n}.</span>{text} '
        f'<a href="#ch-call-{n}" role="doc-backlink" class="backlink">↩</a></p></aside>' for n, text in notes.items())
    page = (f'<!DOCTYPE html><html lang="en"><body><main><article id="chapter-ch" class="chapter">'
            f'<h2 id="ch">Chapter</h2>{body}<section class="notes">{asides}</section></article></main></body></html>')
    (root / "html").mkdir(parents=True)
    (root / "html" / "index.html").write_text(page, encoding="utf-8")
    return root


def call(n: int) -> str:
    return (f'<a id="ch-call-{n}" href="#ch-note-{n}" role="doc-noteref" class="noteref"><sup>{n}</sup></a>'
            f'<span class="sidenote" aria-hidden="true"><span class="sidenote-number">{n}</span>side copy</span>')


NOTES = {"1": "A note on the first paragraph.", "2": "A note on the second."}
BASE = [("ch-aaa", f"The first paragraph, plain and short.{call(1)} It goes on."),
        ("ch-bbb", f"The second paragraph ends here.{call(2)}"),
        ("ch-ccc", "The third paragraph says what it says, and 'quotes' it - with a dash.")]


def diff(tmp_path: Path, new: list[tuple[str, str]], notes: dict[str, str] = NOTES,
         fail_on: str = "text,notes") -> tuple[int, dict]:
    old_dir = build_folder(tmp_path / "old", BASE, NOTES)
    new_dir = build_folder(tmp_path / "new", new, notes)
    code = run(str(old_dir), str(new_dir), out=tmp_path / "diff", fail_on=fail_on.split(","))
    return code, json.loads((tmp_path / "diff" / "report.json").read_text(encoding="utf-8"))


def test_typography_only_is_its_own_class_and_not_a_failure_by_default(tmp_path):
    new = BASE[:2] + [("ch-ddd", "The third paragraph says what it says, and ‘quotes’ it\u00a0– with a dash.")]
    code, report = diff(tmp_path, new)
    assert code == 0
    assert [(b["status"], b["class"]) for b in report["blocks"]] == [("changed", "typography")]
    assert report["classes"] == ["typography"] and report["pages"] is None
    assert run(str(tmp_path / "old"), str(tmp_path / "new"), out=tmp_path / "d2", fail_on=["typography"]) == 1


def test_a_rewritten_paragraph_is_paired_and_diffed_word_by_word(tmp_path):
    new = [BASE[0], ("ch-xyz", f"The second paragraph now ends there.{call(2)}"), ("ch-new", "A new paragraph."),
           BASE[2]]
    code, report = diff(tmp_path, new)
    assert code == 1
    assert [(b["status"], b["old_id"], b["new_id"]) for b in report["blocks"]] == [
        ("changed", "ch-bbb", "ch-xyz"), ("inserted", None, "ch-new")]
    changes = [(d["op"], d["text"].strip()) for d in report["blocks"][0]["diff"] if d["op"] != "="]
    assert changes == [("+", "now"), ("-", "here"), ("+", "there")]
    assert all(n["status"] == "same" for n in report["notes"])  # the note's call is where it was


def test_a_note_whose_call_moved_is_reported_as_moved(tmp_path):
    new = [("ch-aaa", "The first paragraph, plain and short. It goes on."),
           ("ch-bbb", f"The second paragraph{call(1)} ends here.{call(2)}"), BASE[2]]
    code, report = diff(tmp_path, new)
    assert code == 1
    moved = [n for n in report["notes"] if n["status"] == "moved"]
    assert [(n["old_number"], n["new_number"], n["class"]) for n in moved] == [(1, 1, "notes")]


def test_the_sidenote_copy_is_not_read_as_text():
    [block] = reading._blocks(lxml_html.fragment_fromstring(f'<article><p id="x">Words.{call(1)} More.</p></article>'),
                              "ch")
    assert text.plain(block.tokens) == "Words. More." and [t.call for t in block.tokens if t.call] == ["ch-note-1"]


def test_build_outputs_are_read_only_inside_the_folder_and_under_a_size_cap(tmp_path, monkeypatch):
    outside = build_folder(tmp_path / "elsewhere", BASE, NOTES)
    sneaky = tmp_path / "sneaky"
    sneaky.mkdir()
    os.symlink(outside / "html", sneaky / "html")
    with pytest.raises(reading.PublishError, match="no HTML edition"):
        reading.read(sneaky)
    monkeypatch.setattr(reading, "MAX_HTML", 100)
    with pytest.raises(reading.PublishError, match="refusing to read a file over"):
        reading.read(outside)
