"""``publish lint`` as a publisher runs it: exit codes, JSON, the ignore file, trouble in one line, speed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from publish.cli import main
from publish.errors import ManuscriptError
from tests.conftest import MANUSCRIPT, REPO, make_manuscript

CLEAN = "A clean paragraph, with a note.[^1] Nothing to mark.\n\n[^1]: A clean note.\n"
FAULTY = "A paragraph with a space , here and the the word.\n"


def _ignore(root, text: str) -> None:
    (root / "lint-ignore.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def test_clean_manuscript_exits_0(tmp_path, capsys):
    root = make_manuscript(tmp_path / "book", {"a.md": CLEAN})
    assert main(["lint", str(root)]) == 0
    assert capsys.readouterr().out == "no findings\n"


def test_findings_exit_1_one_line_each_and_a_summary(tmp_path, capsys):
    root = make_manuscript(tmp_path / "book", {"a.md": FAULTY})
    assert main(["lint", str(root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{root / 'a.md'}:1:25: s-002 space before punctuation: ")
    assert lines[1].startswith(f"{root / 'a.md'}:1:41: c-004 repeated word: \"the the\"")
    assert lines[2] == "2 findings (c-004 ×1, s-002 ×1)"


def test_json_format(tmp_path, capsys):
    root = make_manuscript(tmp_path / "book", {"a.md": FAULTY})
    assert main(["lint", str(root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    first = data["findings"][0]
    assert first == {"file": str(root / "a.md"), "line": 1, "column": 25, "code": "s-002",
                     "message": "space before punctuation", "hint": "delete the space before the mark",
                     "excerpt": "space ,"}
    assert data["summary"] == {"findings": 2, "ignored": 0, "by_code": {"c-004": 1, "s-002": 1}}


def test_ignore_file_accepts_an_exception_with_its_reason(tmp_path, capsys):
    root = make_manuscript(tmp_path / "book", {"a.md": FAULTY})
    _ignore(root, """\
        - file: a.md
          code: c-004
          text: the the
          reason: The author repeats it on purpose.
    """)
    assert main(["lint", str(root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in data["findings"]] == ["s-002"]
    assert data["ignored"][0]["reason"] == "The author repeats it on purpose."


def test_ignore_file_can_make_a_book_clean_and_narrows_by_line(tmp_path, capsys):
    root = make_manuscript(tmp_path / "book", {"a.md": FAULTY})
    _ignore(root, """\
        ignore:
          - {file: a.md, code: s-002, line: 1, reason: House style for this book.}
          - {file: a.md, code: c-004, line: 1, text: the the, reason: Deliberate.}
    """)
    assert main(["lint", str(root)]) == 0
    assert capsys.readouterr().out == "no findings; 2 accepted in lint-ignore.yaml\n"
    _ignore(root, "- {file: a.md, code: s-002, line: 2, reason: 'Wrong line, matches nothing.'}\n")
    assert main(["lint", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{root / 'lint-ignore.yaml'}:1: entry 1 (s-002 in a.md) matches nothing" in out


@pytest.mark.parametrize(("ignore", "message"), [
    ("- {file: a.md, code: s-002}\n", "needs 'reason:'"),
    ("- {file: b.md, code: s-002, reason: x}\n", "'b.md' is not a chapter"),
    ("- {file: a.md, code: x-999, reason: x}\n", "'x-999' is not a lint code"),
    ("- {file: a.md, code: s-002, reason: x, colour: red}\n", "unknown key(s): colour"),
    ("- {file: a.md, code: s-002, line: two, reason: x}\n", "'line:' must be a line number"),
    ("- [unclosed\n", "not valid YAML"),
    ("file: a.md\n", "must be a list of entries"),
])
def test_bad_ignore_file_is_trouble_exit_3_in_one_line(tmp_path, capsys, ignore, message):
    root = make_manuscript(tmp_path / "book", {"a.md": FAULTY})
    _ignore(root, ignore)
    assert main(["lint", str(root)]) == ManuscriptError.exit_code == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"publish lint: {root / 'lint-ignore.yaml'}") and message in line


@pytest.mark.parametrize("breakage", ["no folder", "no book.yaml", "bad yaml", "missing chapter"])
def test_unreadable_manuscript_is_trouble_exit_3(tmp_path, capsys, breakage):
    root = make_manuscript(tmp_path / "book", {"a.md": CLEAN})
    if breakage == "no folder":
        root = tmp_path / "nowhere"
    elif breakage == "no book.yaml":
        (root / "book.yaml").unlink()
    elif breakage == "bad yaml":
        (root / "book.yaml").write_text("title: [unclosed\n")
    else:
        (root / "a.md").unlink()
    assert main(["lint", str(root)]) == ManuscriptError.exit_code
    captured = capsys.readouterr()
    assert len(captured.err.splitlines()) == 1 and captured.err.startswith("publish lint: ")
    assert "Traceback" not in captured.err


def test_lint_is_fast_and_never_loads_weasyprint():
    script = ("import sys, time; from publish.cli import main; t = time.perf_counter(); "
              "code = main(['lint', 'manuscript']); "
              "print('RESULT', code, 'weasyprint' in sys.modules, time.perf_counter() - t, file=sys.stderr)")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    wall = time.perf_counter() - started
    code, weasy, seconds = done.stderr.split("RESULT ")[1].split()
    assert (code, weasy) == ("1", "False")
    assert float(seconds) < 5 and wall < 15


def test_module_entry_point_runs_lint():
    done = subprocess.run([sys.executable, "-m", "publish", "lint", str(MANUSCRIPT), "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert json.loads(done.stdout)["summary"]["findings"] >= 1
