"""Reproducible builds: the same sources and SOURCE_DATE_EPOCH give the same bytes, in any folder, at any time."""

from __future__ import annotations

import json
import os
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from publish import epoch
from publish.build import build
from publish.errors import PublishError
from publish.styles import DEFAULT as STYLES
from tests.conftest import MANUSCRIPT, make_manuscript, require

EPOCH = 1700000000  # 2023-11-14T22:13:20Z


def _files(folder: Path) -> dict[str, bytes]:
    """Every output of a build folder (its hidden cache files aside), by path relative to it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


@pytest.mark.slow
def test_two_builds_in_different_folders_at_different_times_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first, second = tmp_path / "one", tmp_path / "elsewhere" / "two"
    build(MANUSCRIPT, first, log=lambda line: None)
    time.sleep(1.1)  # a clock that leaked in would now read differently
    build(MANUSCRIPT, second, log=lambda line: None)
    a, b = _files(first), _files(second)
    assert sorted(a) == sorted(b)
    slug = json.loads(a["manifest.json"])["book"]["slug"]
    assert {f"{slug}.pdf", f"{slug}-print.pdf", f"{slug}.epub", "html/index.html", "manifest.json"} <= set(a)
    assert [name for name in a if a[name] != b[name]] == []
    # and the date in them is the epoch, not the clock
    from pypdf import PdfReader

    assert PdfReader(first / f"{slug}.pdf").metadata["/CreationDate"].startswith("D:20231114221320")
    with zipfile.ZipFile(first / f"{slug}.epub") as epub:
        assert {info.date_time[:3] for info in epub.infolist()} == {(2023, 11, 14)}
    assert json.loads(a["manifest.json"])["source_date_epoch"] == EPOCH


def test_the_variable_wins(tmp_path):
    found = epoch.resolve([MANUSCRIPT, STYLES], {"SOURCE_DATE_EPOCH": "1700000000"})
    assert found == epoch.Epoch(EPOCH, "environment") and found.iso == "2023-11-14T22:13:20Z"


def test_without_the_variable_the_last_commit_of_the_sources_is_used():
    done = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "manuscript", "styles"],
                          cwd=MANUSCRIPT.parent, capture_output=True, text=True)
    require(done.returncode == 0 and bool(done.stdout.strip()), "the project is not a git work tree here")
    assert epoch.resolve([MANUSCRIPT, STYLES], {}) == epoch.Epoch(int(done.stdout), "git")


def test_outside_git_the_manuscripts_files_else_a_fixed_date(tmp_path):
    manuscript = make_manuscript(tmp_path / "m", {"a.md": "# A\n\nText.\n"})
    require(epoch.last_commit(tmp_path) is None, "the temporary folder lies inside a git work tree")
    newest = max(int(p.stat().st_mtime) for p in manuscript.iterdir())
    assert epoch.resolve([manuscript, STYLES], {}) == epoch.Epoch(newest, "files")
    (tmp_path / "empty").mkdir()
    assert epoch.resolve([tmp_path / "empty"], {}) == epoch.Epoch(epoch.FIXED, "fixed")
    assert epoch.Epoch(epoch.FIXED, "fixed").iso == "2000-01-01T00:00:00Z"
    assert epoch.last_commit(tmp_path / "nowhere") is None


@pytest.mark.parametrize("value", ["yesterday", "-5", "12.5", "100"])
def test_a_bad_variable_is_one_clear_error(value):
    with pytest.raises(PublishError, match="SOURCE_DATE_EPOCH"):
        epoch.resolve([MANUSCRIPT], {"SOURCE_DATE_EPOCH": value})


def test_the_build_reads_the_variable_once_and_never_writes_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dict(os.environ)
    build(MANUSCRIPT, tmp_path / "git", ("html",), log=lambda line: None)
    assert dict(os.environ) == before  # the date travels in the build plan, not the environment
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    build(MANUSCRIPT, tmp_path / "out", ("html",), log=lambda line: None)
    assert os.environ["SOURCE_DATE_EPOCH"] == "1600000000"
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["source_date_epoch"] == 1600000000
