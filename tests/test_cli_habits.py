"""The command line as people expect: -q/-v, progress, the lock, Ctrl-C, pipes, empty paths, a first run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from publish.build import build
from publish.cli import main
from publish.errors import PublishError
from publish.output import build_lock
from tests.conftest import REPO, interruptible, make_manuscript

CHAPTER = {"a.md": "# One\n\nText with a note.[^1]\n\n[^1]: The note.\n"}


def _publish(*args: str, cwd=None, **options) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300, **options)


def test_quiet_prints_nothing_and_verbose_says_the_plan(tmp_path, capsys):
    root = make_manuscript(tmp_path / "m", CHAPTER)
    assert main(["-q", "build", str(root), "-o", str(tmp_path / "q"), "-f", "html"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["build", "-v", str(root), "-o", str(tmp_path / "v"), "-f", "html"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("html ")
    assert "plan: editions html, date" in captured.err and "writing the HTML edition" in captured.err


def test_build_format_json(tmp_path, capsys):
    root = make_manuscript(tmp_path / "m", CHAPTER)
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "-f", "epub,html", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(os.path.basename(p) for p in report["outputs"]) == ["a-test-book.epub", "index.html"]
    (root / "a.md").write_text("A call with no note.[^x]\n", encoding="utf-8")
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "--format", "json"]) != 0
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["file"].endswith("a.md") and error["line"] == 1 and "[^x]" in error["message"]


def test_progress_lines_claim_only_published_files(tmp_path, monkeypatch):
    root = make_manuscript(tmp_path / "m", CHAPTER)
    from publish.editions import html

    def broken(*args, **kwargs):
        raise PublishError("the HTML edition failed")

    monkeypatch.setattr(html, "write", broken)
    lines: list[str] = []
    with pytest.raises(PublishError):
        build(root, tmp_path / "out", ("epub", "html"), log=lines.append)
    assert lines == [] and not list((tmp_path / "out").glob("*.epub")), "the EPUB was never published"


def test_a_second_build_of_the_folder_says_it_waits(tmp_path):
    root = make_manuscript(tmp_path / "m", CHAPTER)
    out = tmp_path / "out"
    with build_lock(out):
        process = subprocess.Popen([sys.executable, "-m", "publish", "build", str(root), "-o", str(out), "-f", "html"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "PYTHONPATH": str(REPO)})
        first = process.stderr.readline()
        assert "waiting for another build of this folder" in first
    assert process.wait(timeout=120) == 0
    assert "html " in process.stdout.read()


def test_ctrl_c_says_earlier_outputs_are_kept(tmp_path):
    root = make_manuscript(tmp_path / "m", CHAPTER)
    out = tmp_path / "out"
    assert main(["build", str(root), "-o", str(out), "-f", "html", "-q"]) == 0
    before = (out / "html" / "index.html").read_bytes()
    (root / "a.md").write_text("# One\n\nChanged.\n", encoding="utf-8")
    with build_lock(out):  # the second build waits here, where Ctrl-C reaches it
        with interruptible():
            process = subprocess.Popen([sys.executable, "-m", "publish", "build", str(root), "-o", str(out)],
                                       stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert "waiting" in process.stderr.readline()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
    err = process.stderr.read()
    assert "interrupted; earlier outputs kept" in err and "Traceback" not in err
    assert (out / "html" / "index.html").read_bytes() == before


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path, monkeypatch, capsys):
    """``publish lint | head -n 1``: the pipe closes under the writer, which stops without a traceback."""
    root = make_manuscript(tmp_path / "m", {"a.md": "# One\n\nText  with  double  spaces.\n"})
    reading, writing = os.pipe()
    os.close(reading)  # the reader has gone: every write now fails with EPIPE
    with os.fdopen(writing, "w") as closed:
        monkeypatch.setattr(sys, "stdout", closed)
        assert main(["lint", str(root)]) == 141
        monkeypatch.undo()
        assert capsys.readouterr().err == ""


def test_piped_into_head_no_traceback(tmp_path):
    text = "\n\n".join("Text  with  double  spaces ... and ,commas ." for _ in range(3000))
    root = make_manuscript(tmp_path / "m", {"a.md": "# One\n\n" + text + "\n"})
    done = subprocess.run(["bash", "-c", f"{sys.executable} -m publish lint {root} | head -n 1"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr


@pytest.mark.parametrize("args", [["build", ""], ["build", "-o", ""], ["lint", ""], ["check", ""], ["init", ""]])
def test_an_empty_path_is_an_error(tmp_path, args):
    done = _publish(*args, cwd=tmp_path)
    assert done.returncode == 2 and "an empty path names no folder" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_build_in_an_empty_folder_says_how_to_start(tmp_path):
    done = _publish("build", cwd=tmp_path)
    assert done.returncode == 3 and "publish init" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "manuscript").mkdir()
    done = _publish("build", cwd=tmp_path)
    assert "book.yaml is missing" in done.stderr and "publish init" in done.stderr
