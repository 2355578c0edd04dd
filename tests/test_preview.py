"""``publish preview``: edit a chapter, and the page in Chromium shows the new word by itself; the PDF too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from io import BytesIO

import pytest

from publish.init import scaffold
from tests.conftest import REPO, interruptible

pytestmark = pytest.mark.browser


@pytest.fixture
def preview(tmp_path):
    """A new book, served by ``publish preview`` in its own process: (book folder, base URL)."""
    book = tmp_path / "book"
    scaffold(book)
    with interruptible():
        process = subprocess.Popen([sys.executable, "-m", "publish", "preview", str(book), "--port", "0"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
                                   env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("preview: "):
                break
        else:
            pytest.fail("publish preview stopped: " + "".join(lines))
        base = line.split()[1].rsplit("html/", 1)[0]
        yield book, base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode in (0, 130)


def _pdf_text(url: str) -> str:
    from pypdf import PdfReader

    with urllib.request.urlopen(url, timeout=30) as reply:
        return " ".join(page.extract_text() for page in PdfReader(BytesIO(reply.read())).pages)


def test_an_edited_chapter_shows_in_the_open_page(preview, open_page):
    book, base = preview
    page, _ = open_page(base)
    assert page.url.endswith("/html/index.html")
    assert "Beginning" in page.inner_text("body")
    assert "Quetzalcoatl" not in _pdf_text(base + "pdf")
    chapter = book / "01-beginning.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("first chapter", "Quetzalcoatl chapter"),
                       encoding="utf-8")
    page.wait_for_function("document.body.innerText.includes('Quetzalcoatl')", timeout=90_000)
    assert "Quetzalcoatl" in _pdf_text(base + "pdf"), "the PDF served is rebuilt with the page"


def test_a_broken_chapter_keeps_the_last_good_page_and_says_why(preview, open_page):
    book, base = preview
    page, _ = open_page(base)
    (book / "02-second-thoughts.md").write_text("A call with no note.[^missing]\n", encoding="utf-8")
    bar = page.wait_for_selector("#publish-preview-error", timeout=90_000)
    assert "02-second-thoughts.md" in bar.inner_text() and "[^missing]" in bar.inner_text()
    assert "Beginning" in page.inner_text("body"), "the last good edition stays on screen"
