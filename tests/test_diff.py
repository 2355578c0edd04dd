"""``publish diff``: what a proofreader is told about text, notes and pages between two builds.

One small manuscript of several pages, built (HTML and print PDF) in a few
variants once per module; each test diffs two of the builds.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from publish.build import build
from publish.diff import editions, run
from publish.styles import DEFAULT as DEFAULT_STYLES
from publish.styles import Styles
from tests.conftest import make_manuscript

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def pages_only(monkeypatch):
    """These tests are about the print PDF's pages: the EPUB and HTML renders (Chromium) are tested elsewhere."""
    monkeypatch.setattr(editions, "compare", lambda old, new: [])

# One word, long enough that its paragraph takes another line and the pages after it reflow.
LONG_WORD = "care-and-measurement-and-audit-of-every-therapy-session-in-every-clinic-by-every-worker-for-every-patient"

WORDS = ("care", "measure", "audit", "therapy", "session", "clinic", "worker", "patient", "record", "outcome",
         "target", "manual", "course", "dose", "benefit", "office", "policy", "review", "ledger")


def paragraph(seed: int, words: int = 130) -> str:
    """A paragraph of plain words, different for every seed (block ids hash the text)."""
    out = [WORDS[(seed * 7 + i * (seed % 5 + 1)) % len(WORDS)] for i in range(words)]
    out[0] = f"Paragraph {seed}: {out[0]}"
    return " ".join(out) + "."


def chapters(first_word: str = "care", note_one: str = "The first note, on the ledger.",
             inserted: int = 0) -> dict[str, str]:
    """Two chapters, three notes; *inserted* long paragraphs open the first chapter (about half a page each)."""
    one = [paragraph(n, 200) for n in range(40, 40 + inserted)] + [paragraph(n) for n in range(1, 9)]
    one[inserted] = f"The chapter opens with {first_word} and " + one[inserted]
    one[inserted + 5] += "[^a]"  # notes after the first pages: no footnote there to take up slack
    one[inserted + 7] += "[^b]"
    body = "# The first chapter\n\n" + "\n\n".join(one) + f"\n\n[^a]: {note_one}\n\n[^b]: The second note.\n"
    two = "# The second chapter\n\n" + "\n\n".join(paragraph(n) for n in range(9, 12)) + "[^c]\n\n[^c]: A third.\n"
    return {"one.md": body, "two.md": two}


def make_build(root: Path, styles: Styles | None = None, **changes) -> Path:
    manuscript = make_manuscript(root / "manuscript", chapters(**changes), slug="diff-test")
    build(manuscript, root / "build", ("html", "print"), styles=styles, log=lambda line: None)
    return root / "build"


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    made = {"base": make_build(tmp_path_factory.mktemp("base")),
            "word": make_build(tmp_path_factory.mktemp("word"), first_word=LONG_WORD),
            "note": make_build(tmp_path_factory.mktemp("note"), note_one="The first note, on the revised ledger.")}
    root = tmp_path_factory.mktemp("css")
    styles = shutil.copytree(DEFAULT_STYLES, root / "styles")
    with (styles / "print.css").open("a", encoding="utf-8") as css:
        css.write("\np { text-decoration: underline; }\n")
    made["css"] = make_build(root, styles=Styles(styles))
    return made


def diff(old: Path | str, new: Path | str, out: Path, fail_on: str = "text,notes") -> tuple[int, dict]:
    code = run(str(old), str(new), out=out, fail_on=fail_on.split(","))
    return code, json.loads((out / "report.json").read_text(encoding="utf-8"))


def classes(report: dict) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for page in report["pages"]["pages"]:
        found.setdefault(page["class"], []).append(page["page"])
    return found


def test_one_word_changed_flags_its_page_as_text_and_later_pages_as_reflow_or_shifted(builds, tmp_path, capsys):
    code, report = diff(builds["base"], builds["word"], tmp_path)
    assert code == 1
    [block] = report["blocks"]
    assert block["class"] == "text" and block["status"] == "changed"
    assert [d["text"].strip() for d in block["diff"] if d["op"] == "+"] == [LONG_WORD]
    pages = classes(report)
    first_text = min(pages["text"])
    assert block["new_pages"][0] in {report["pages"]["pages"][first_text - 1]["folio"]}
    later = [p["class"] for p in report["pages"]["pages"] if p["page"] > max(pages["text"])]
    assert "reflow" in later or "shifted" in later
    assert set(later) <= {"reflow", "shifted", "identical"}  # nothing after the edit asks to be re-read
    assert "Re-read: p" in capsys.readouterr().out
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<ins>" in html and "data:image/png;base64," in html and 'src="http' not in html


def test_renumbered_notes_alone_are_no_change(builds, tmp_path):
    renumbered = Path(shutil.copytree(builds["base"], tmp_path / "renumbered"))
    index = renumbered / "html" / "index.html"
    page = index.read_text(encoding="utf-8")
    # Number the notes through the book from 11, as another numbering scheme would.
    page = re.sub(r"-note-(\d+)", r"-note-1\1", page)
    page = re.sub(r"-call-(\d+)", r"-call-1\1", page)
    page = re.sub(r"(<sup>|note-number\">|sidenote-number\">)(\d+)", r"\g<1>1\2", page)
    index.write_text(page, encoding="utf-8")
    code, report = diff(builds["base"], renumbered, tmp_path / "diff")
    assert code == 0
    assert report["blocks"] == []
    assert {n["status"] for n in report["notes"]} == {"same"} and all(n["renumbered"] for n in report["notes"])


def test_a_changed_note_text_is_a_notes_change_shown_at_its_call(builds, tmp_path):
    code, report = diff(builds["base"], builds["note"], tmp_path)
    assert code == 1
    assert report["blocks"] == []  # the paragraph calling the note reads the same
    [note] = [n for n in report["notes"] if n["class"]]
    assert (note["status"], note["class"], note["new_number"]) == ("changed", "notes", 1)
    assert [d["text"].strip() for d in note["diff"] if d["op"] == "+"] == ["revised"]
    assert set(classes(report)) <= {"text", "identical"}
    assert run(str(builds["base"]), str(builds["note"]), out=tmp_path, fail_on=["text"]) == 0


def test_a_css_only_change_is_visual_and_never_text(builds, tmp_path):
    code, report = diff(builds["base"], builds["css"], tmp_path, fail_on="visual")
    assert code == 1
    pages = classes(report)
    assert "text" not in pages and "reflow" not in pages
    assert len(pages["visual"]) >= 3
    assert all(p["boxes"] for p in report["pages"]["pages"] if p["class"] == "visual")
    assert run(str(builds["base"]), str(builds["css"]), out=tmp_path, fail_on=["text", "notes"]) == 0


def test_git_revisions_are_built_and_compared_and_whole_pages_that_moved_are_shifted(builds, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    make_manuscript(repo / "manuscript", chapters(), slug="diff-test")
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]

    def commit(message: str) -> None:
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-q", "-m", message], cwd=repo, check=True)

    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit("first")
    make_manuscript(repo / "manuscript", chapters(inserted=4), slug="diff-test")
    commit("second: two pages of text inserted at the start")
    monkeypatch.chdir(repo)
    # a revision against a build folder, each way round: one build in a worktree per diff
    code, report = diff(builds["base"], "HEAD", tmp_path / "diff")
    assert code == 1 and [b["status"] for b in report["blocks"]] == ["inserted"] * 4
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    assert report["sides"]["new"]["commit"] == head and report["sides"]["new"]["kind"] == "revision"
    assert head in (tmp_path / "diff" / "report.html").read_text(encoding="utf-8")  # the header names it
    pages = classes(report)
    assert pages["text"][0] == 3 and "reflow" in pages
    # the second chapter opens two pages later, its pages otherwise as they were
    assert pages["shifted"] and min(pages["shifted"]) > max(pages["reflow"])
    assert "Shifted only: pp." in report["summary"]
    # the first revision, built in a worktree, is the same book as the same sources built here
    code, report = diff("HEAD~1", builds["base"], tmp_path / "same")
    assert code == 0 and report["blocks"] == [] and set(classes(report)) == {"identical"}
    assert subprocess.run(["git", "worktree", "list"], cwd=repo, capture_output=True, text=True).stdout.count("\n") == 1


def test_a_missing_revision_is_trouble_with_one_clear_line(builds, tmp_path, monkeypatch, capsys):
    from publish.cli import main

    monkeypatch.chdir(tmp_path)
    code = main(["diff", "no-such-revision", str(builds["base"]), "-o", str(tmp_path / "diff")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "no-such-revision" in err and "Traceback" not in err
    assert main(["diff", str(builds["base"]), str(builds["base"]), "--fail-on", "prose"]) == 2
