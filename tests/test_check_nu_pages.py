"""`publish check`'s Nu HTML Checker reads every page of a web book, in one run of the checker.

A web book (five chapters) is a contents page and a page per chapter; an
error on a chapter page must fail the check and be named with its page.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from publish.build import build
from publish.check import html as html_check
from tests.test_browser_web_book import web_book


@pytest.fixture(scope="module")
def web_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("nu")
    build(web_book(out / "m"), out / "build", ("html",), log=lambda line: None)
    return out / "build" / "html"


@pytest.fixture
def runs(monkeypatch):
    """The command lines the checker runs (it still runs them)."""
    seen = []
    real = subprocess.run

    def counting(command, *args, **kwargs):
        seen.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(html_check.subprocess, "run", counting)
    return seen


def test_every_page_is_checked_in_one_run_and_passes(web_folder, runs):
    pages = sorted(web_folder.glob("*.html"))
    assert len(pages) == 6  # the contents and five chapters
    assert html_check.nu_checker(web_folder / "index.html") is None
    assert len(runs) == 1, "one JVM for all pages"
    assert sorted(arg for arg in runs[0] if arg.endswith(".html")) == [str(p) for p in pages]


def test_an_error_on_a_chapter_page_fails_and_names_the_page(web_folder, tmp_path):
    folder = shutil.copytree(web_folder, tmp_path / "html")
    chapter = sorted(folder.glob("03-*.html"))[0]
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("</h1>", "<span><div>bad nesting</div></span></h1>", 1), encoding="utf-8")
    problem = html_check.nu_checker(folder / "index.html")
    assert problem is not None and "6 page(s)" in problem
    assert chapter.name in problem and "div" in problem


def test_a_page_the_contents_does_not_list_is_checked_too(web_folder, tmp_path):
    folder = shutil.copytree(web_folder, tmp_path / "html")
    (folder / "stray.html").write_text("<!DOCTYPE html><title>x</title><p><li>no list</p>", encoding="utf-8")
    problem = html_check.nu_checker(folder / "index.html")
    assert problem is not None and "stray.html" in problem
