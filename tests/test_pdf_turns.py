"""Page turns in the PDF, read with pdfplumber: no recto ends with a word broken by a hyphen.

The foreword's page vii used to end "men-" (the word going on overleaf).
"""

from __future__ import annotations

import pdfplumber
import pytest

from tests.conftest import MANUSCRIPT

HYPHEN = "\u2010"  # WeasyPrint's added hyphen, as the text layer has it


def _recto_endings(path) -> list[tuple[int, str]]:
    with pdfplumber.open(path) as pdf:
        endings = []
        for index, page in enumerate(pdf.pages):
            words = [w for w in page.extract_words(extra_attrs=["size"]) if w["size"] >= 10]
            if words and index % 2 == 0:
                endings.append((index + 1, words[-1]["text"]))
    return endings


@pytest.mark.parametrize("which", ["foreword", "long"])
def test_no_recto_ends_with_a_hyphenated_word(which, build_book, long_book):
    out = build_book(MANUSCRIPT, ("pdf", "print")) if which == "foreword" else build_book(long_book, ("pdf",))
    pdf = next(path for path in out.glob("*.pdf") if not path.stem.endswith("-print"))
    endings = _recto_endings(pdf)
    assert len(endings) >= 4
    broken = [(page, word) for page, word in endings if word.endswith(HYPHEN)]
    assert not broken, f"rectos end mid-word: {broken}"
