"""The EPUB's XHTML files as a reading system's web view shows them (Debian's Chromium, via Playwright).

The package is unzipped and each spine file opened from disk with epub.css,
as Apple Books, Kobo and Thorium (all web engines) would open it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import MANUSCRIPT

pytestmark = pytest.mark.browser
SPINE = ["cover.xhtml", "titlepage.xhtml", "imprint.xhtml", "nav.xhtml", "01-foreword.xhtml",
         "02-about-the-author.xhtml"]


@pytest.fixture(scope="module")
def unzipped(build_book, tmp_path_factory) -> Path:
    epub = next(build_book(MANUSCRIPT, ("epub",)).glob("*.epub"))
    folder = tmp_path_factory.mktemp("epub")
    with zipfile.ZipFile(epub) as package:
        package.extractall(folder)
    return folder / "EPUB"


@pytest.fixture(scope="module")
def phone(chromium):
    """A small phone's screen, the narrowest a reader is likely to meet."""
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


def _open(page, folder: Path, name: str) -> None:
    page.goto((folder / name).as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")


def test_chapter_is_set_in_the_packaged_face(phone, unzipped):
    _open(phone, unzipped, "01-foreword.xhtml")
    loaded = phone.evaluate("Array.from(document.fonts).filter(f => f.status === 'loaded')"
                            ".map(f => f.family.replace(/\"/g, '') + ' ' + f.style)")
    # The family is the fonts' own name (name ID 1), as epub.css gives it (tests/test_epub_readers.py).
    assert {"EB Garamond 12 normal", "EB Garamond 12 italic"} <= set(loaded)
    assert phone.evaluate("getComputedStyle(document.querySelector('p')).fontFamily").startswith('"EB Garamond 12"')


@pytest.mark.parametrize("name", SPINE)
def test_nothing_runs_off_a_phone_screen(phone, unzipped, name):
    _open(phone, unzipped, name)
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_notes_follow_the_text_and_calls_are_raised(phone, unzipped):
    _open(phone, unzipped, "01-foreword.xhtml")
    boxes = phone.evaluate("""() => {
        const text = Array.from(document.querySelectorAll('section > p')).pop().getBoundingClientRect();
        const notes = Array.from(document.querySelectorAll('aside[role=doc-footnote]'));
        const call = document.querySelector('a[role=doc-noteref]').getBoundingClientRect();
        const line = document.querySelector('a[role=doc-noteref]').closest('p').getBoundingClientRect();
        return {textBottom: text.bottom, noteTops: notes.map(n => n.getBoundingClientRect().top),
                callSize: parseFloat(getComputedStyle(document.querySelector('a[role=doc-noteref]')).fontSize),
                bodySize: parseFloat(getComputedStyle(document.querySelector('section > p')).fontSize),
                callInLine: call.top >= line.top && call.bottom <= line.bottom};
    }""")
    assert len(boxes["noteTops"]) == 4 and min(boxes["noteTops"]) >= boxes["textBottom"]
    assert boxes["noteTops"] == sorted(boxes["noteTops"])
    assert boxes["callSize"] < boxes["bodySize"] and boxes["callInLine"]
