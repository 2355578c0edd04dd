"""Each PublishError exits with its own code from every command; one flag style for machine output."""

from __future__ import annotations

import json

import pytest

from publish import pandoc
from publish.cli import main
from publish.errors import CheckFailed, ManuscriptError, NoteError, ToolError
from tests.conftest import make_manuscript

UNDEFINED_NOTE = "Text with a call.[^gone]\n"


@pytest.fixture
def missing_pandoc(tmp_path, monkeypatch):
    monkeypatch.setenv("PUBLISH_PANDOC", str(tmp_path / "nowhere" / "pandoc"))
    pandoc.executable.cache_clear()
    pandoc.version.cache_clear()
    yield
    monkeypatch.delenv("PUBLISH_PANDOC")
    pandoc.executable.cache_clear()
    pandoc.version.cache_clear()


def _one_line(capsys, command: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"publish {command}: ") and "Traceback" not in err
    return err


@pytest.mark.parametrize("command", ["build", "lint"])
def test_a_manuscript_error_exits_3_from_build_and_lint(tmp_path, capsys, command):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    (root / "a.md").unlink()
    args = [command, str(root)] + (["-o", str(tmp_path / "out"), "-f", "html"] if command == "build" else [])
    assert main(args) == ManuscriptError.exit_code == 3
    assert "a.md" in _one_line(capsys, command)


@pytest.mark.parametrize("command", ["build", "lint"])
def test_a_missing_tool_exits_4_from_build_and_lint(tmp_path, capsys, missing_pandoc, command):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    args = [command, str(root)] + (["-o", str(tmp_path / "out"), "-f", "html"] if command == "build" else [])
    assert main(args) == ToolError.exit_code == 4
    assert "pandoc" in _one_line(capsys, command)


def test_diff_keeps_the_code_of_a_side_that_cannot_be_built(tmp_path, capsys, monkeypatch):
    """A manuscript side with a call to no note is a NoteError (3), not a generic 'trouble' (2)."""
    good = make_manuscript(tmp_path / "good", {"a.md": "Text.\n"})
    bad = make_manuscript(tmp_path / "bad", {"a.md": UNDEFINED_NOTE})
    monkeypatch.setattr("publish.diff.sides.formats", lambda: ("html",))
    assert main(["diff", str(good), str(bad), "-o", str(tmp_path / "diff")]) == NoteError.exit_code == 3
    err = _one_line(capsys, "diff")
    assert f"cannot build {str(bad)!r}" in err and "gone" in err


def test_check_exits_with_its_code_and_takes_format_json(tmp_path, capsys, monkeypatch):
    from publish import check

    assert main(["check", str(tmp_path / "nowhere")]) == CheckFailed.exit_code
    _one_line(capsys, "check")
    out = tmp_path / "out"
    out.mkdir()
    # the validators themselves are test_check's business: here, only what the flag prints
    monkeypatch.setattr(check, "check", lambda folder, manuscript=None: [check.Result("manifest outputs", "PASS")])
    for flag in (["--format", "json"], ["--json"]):
        main(["check", str(out), *flag])
        report = json.loads(capsys.readouterr().out)
        assert report["build"] == str(out) and report["results"]


def test_lint_takes_the_same_format_flag(tmp_path, capsys):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    assert main(["lint", str(root), "--format", "json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), dict | list)


def test_diff_takes_the_same_format_flag(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("publish.diff.sides.formats", lambda: ("html",))
    old = make_manuscript(tmp_path / "old", {"a.md": "Text.\n"})
    new = make_manuscript(tmp_path / "new", {"a.md": "Text changed.\n"})
    out = tmp_path / "diff"
    assert main(["diff", str(old), str(new), "-o", str(out), "--format", "json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((out / "report.json").read_text()) and "text" in printed["classes"]


def test_an_error_is_one_line_after_a_verbose_run_in_the_same_process(tmp_path, capsys):
    """-v once (a test, a preview) must not leave later runs writing its lines, or into a stream since closed."""
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    assert main(["build", "-v", str(root), "-o", str(tmp_path / "v"), "-f", "html"]) == 0
    assert "plan:" in capsys.readouterr().err
    (root / "a.md").unlink()
    assert main(["build", str(root), "-o", str(tmp_path / "v"), "-f", "html"]) == ManuscriptError.exit_code
    assert "plan:" not in _one_line(capsys, "build")
