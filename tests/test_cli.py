"""The command line: one progress line per edition; bad input gets one clear line, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from publish.cli import main
from tests.conftest import make_manuscript


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, cwd=cwd)


def test_build_html_in_process(tmp_path, manuscript_copy, capsys):
    assert main(["build", str(manuscript_copy), "-o", str(tmp_path / "out"), "-f", "html"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("html ") and lines[0].endswith(" s)")
    assert (tmp_path / "out" / "html" / "index.html").is_file()


def test_help_names_the_commands():
    done = _run("--help")
    assert done.returncode == 0
    for command in ("build", "check", "lint", "diff"):
        assert command in done.stdout


BAD = {
    "no book.yaml": (lambda root: (root / "book.yaml").unlink(), "book.yaml is missing"),
    "yaml syntax": (lambda root: (root / "book.yaml").write_text("title: [unclosed\n"), "not valid YAML"),
    "no title": (lambda root: (root / "book.yaml").write_text("author: A\nlang: en\nchapters: [a.md]\n"), "title"),
    "missing chapter": (lambda root: (root / "a.md").unlink(), "does not exist"),
    "not utf-8": (lambda root: (root / "a.md").write_bytes(b"caf\xe9\n"), "not UTF-8"),
    "undefined call": (lambda root: (root / "a.md").write_text("Text[^x].\n"), "[^x] has no note"),
    "unused note": (lambda root: (root / "a.md").write_text("Text.\n\n[^x]: Lonely.\n"), "never called"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_manuscript_gets_one_line_and_nonzero_exit(tmp_path, case):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    breaker, expected = BAD[case]
    breaker(root)
    done = _run("build", str(root), "-o", str(tmp_path / "out"), "-f", "html")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert expected in lines[0] and str(root) in lines[0]
    assert not (tmp_path / "out" / "html").exists()


def test_unknown_format_is_refused(tmp_path, manuscript_copy):
    done = _run("build", str(manuscript_copy), "-o", str(tmp_path), "-f", "pdfx")
    assert done.returncode == 2 and "unknown format" in done.stderr and "Traceback" not in done.stderr
