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

from publish.diff import editions, reading, run, text


@pytest.fixture(autouse=True)
def text_only(monkeypatch):
    """These tests are about the words and notes: the editions' renders (Chromium) are left out, kept fast."""
    monkeypatch.setattr(editions, "compare", lambda old, new: [])


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


def test_typography_only_is_its_own_class_and_fails_by_default_unless_narrowed(tmp_path):
    new = BASE[:2] + [("ch-ddd", "The third paragraph says what it says, and ‘quotes’ it\u00a0– with a dash.")]
    code, report = diff(tmp_path, new)
    assert code == 0  # --fail-on text,notes
    assert [(b["status"], b["class"]) for b in report["blocks"]] == [("changed", "typography")]
    assert report["classes"] == ["typography"] and report["pages"] is None
    assert run(str(tmp_path / "old"), str(tmp_path / "new"), out=tmp_path / "d2", fail_on=["typography"]) == 1
    assert run(str(tmp_path / "old"), str(tmp_path / "new"), out=tmp_path / "d3") == 1  # default: any difference


def test_no_difference_exits_0_by_default(tmp_path):
    code, report = diff(tmp_path, BASE, fail_on="all")
    assert code == 0 and report["classes"] == [] and report["blocks"] == []


def test_the_summary_counts_insertions_deletions_and_changes_apart(tmp_path):
    new = [("ch-new1", "One new paragraph."), ("ch-new2", "Another new one, quite unlike the rest."),
           BASE[0], ("ch-bbb", f"The second paragraph ends there.{call(2)}")]
    code, report = diff(tmp_path, new)
    assert report["summary"].splitlines()[0] == (
        "Text: 2 paragraphs inserted, 1 paragraph deleted, 1 paragraph changed (1 text).")


def test_a_call_shows_its_number_as_printed(tmp_path):
    new = [("ch-aaa", f"The first paragraph, plain and short. It goes{call(1)} on."), BASE[1], BASE[2]]
    code, report = diff(tmp_path, new)
    [block] = report["blocks"]
    ops = [(d["op"], d["text"]) for d in block["diff"]]
    assert ("-", "1 ") in ops or ("-", "1") in ops
    assert any(op == "+" and text.strip() == "1" for op, text in ops)
    [added] = [d for d in block["diff"] if d["op"] == "+"]
    assert added["calls"] == [{"number": "1", "note": "ch-note-1", "note_text": "A note on the first paragraph."}]
    html = (tmp_path / "diff" / "report.html").read_text(encoding="utf-8")
    assert '<del><sup class="call" title="note call">1</sup> </del>' in html
    assert 'goes<ins><sup class="call" title="note call">1</sup> </ins>on.' in html


def test_an_empty_argument_is_trouble_not_the_current_folder(tmp_path, monkeypatch, capsys):
    from publish.cli import main

    build_folder(tmp_path / "here", BASE, NOTES)
    monkeypatch.chdir(tmp_path / "here")
    for argv in (["", str(tmp_path / "here")], [str(tmp_path / "here"), " "]):
        with pytest.raises(SystemExit) as stopped:  # argparse refuses it: usage and one error line
            main(["diff", *argv, "-o", str(tmp_path / "out")])
        assert stopped.value.code == 2
    with pytest.raises(reading.PublishError, match="empty argument"):  # the API refuses it too
        run("", str(tmp_path / "here"), out=tmp_path / "out")
    err = capsys.readouterr().err
    assert err.count("empty argument") == 2 and "Traceback" not in err and not (tmp_path / "out").exists()


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
