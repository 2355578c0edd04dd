"""``publish check`` never cries wolf (issue 16): small correct books that used to FAIL now PASS."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import check
from publish.build import build

pytestmark = pytest.mark.slow  # six small builds, each checked
BOOK = "title: T\nauthor: A\nlang: en\nchapters: [a.md]\n"
CASES = {
    "numbered-list": "# Head\n\nBefore.\n\n1. one\n2. two\n\na. alpha\nb. beta\n\nAfter.\n",
    "captioned-figure": "# Head\n\n![A caption.](x.png)\n\nAfter the figure.\n",
    "note-with-inline-html": "# Head\n\nText.[^1]\n\n[^1]: See <em>this</em> book.\n",
    "raw-html-tags": "# Head\n\nPress <kbd>Enter</kbd> now.\n\n<div><p>Raw <em>block</em>.</p></div>\n",
    "long-note": "# Head\n\nA call.[^1] After.\n\n[^1]: First paragraph.\n"
                 + "".join(f"\n    Paragraph {n} of the note, word {n * 7}.\n" for n in range(2, 201)),
    "repetitive-text": "# Head\n\n" + "".join(f"The same sentence again and again, number {n % 3}.\n\n"
                                             for n in range(400)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_passes_a_correct_build(tmp_path: Path, case: str):
    manuscript = tmp_path / "book"
    manuscript.mkdir()
    (manuscript / "book.yaml").write_text(BOOK)
    (manuscript / "a.md").write_text(CASES[case])
    from PIL import Image

    Image.new("RGB", (400, 200), "grey").save(manuscript / "x.png")
    build(manuscript, tmp_path / "out", formats=("pdf", "epub", "html"), log=lambda line: None)
    results = check.check(tmp_path / "out", manuscript)
    compared = [r.name for r in results if ("parity" in r.name or "notes-on-call-page" in r.name)
                and not r.name.startswith("print")]  # the print PDF is not built here
    failed = {r.name: r.reason for r in results if r.name in compared and r.status == "FAIL"}
    assert not failed
    assert all(r.status == "PASS" for r in results if r.name in compared)  # compared, not skipped
