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


def test_a_recto_left_mid_word_when_the_layouts_run_out_is_a_warning(monkeypatch, caplog, tmp_path):
    """The remedy shares MAX_LAYOUTS with the notes' remedies; with none left, each broken turn is reported."""
    from pathlib import Path

    from publish import plan
    from publish.book import load_book
    from publish.editions import pdf, pdf_turns
    from publish.pipeline import parse_book
    from publish.render import render
    from tests.conftest import make_manuscript

    long_words = ("institutionalisation characteristically counterproductive incomprehensibility "
                  "internationalisation disproportionately uncharacteristically misrepresentation ")
    manuscript = make_manuscript(tmp_path / "m", {"one.md": "# One\n\n" + "\n\n".join(
        f"Paragraph {i} of words that break: " + long_words * 6 for i in range(40)) + "\n"})
    book = load_book(manuscript)
    monkeypatch.setattr(pdf, "MAX_LAYOUTS", 1)  # the first layout only: no remedy is tried
    with caplog.at_level("WARNING", logger=pdf.LOGGER.name):
        document = pdf.layout(plan.make(manuscript, Path("unused")), book, render(parse_book(book)))
    broken = pdf_turns.broken_turns(document)
    assert broken, "the test book has no recto ending mid-word (it would prove nothing)"
    turns = [r.getMessage() for r in caplog.records if "turn of the leaf" in r.getMessage()]
    assert [int(message.split()[1].rstrip(",")) for message in turns] == [page for page, _ in broken]
    assert all(page % 2 == 1 for page, _ in broken)  # odd page numbers: rectos


def test_the_foreword_has_no_broken_turn_to_report(caplog):
    from pathlib import Path

    from publish import plan
    from publish.book import load_book
    from publish.editions import pdf
    from publish.pipeline import parse_book
    from publish.render import render

    book = load_book(MANUSCRIPT)
    with caplog.at_level("WARNING", logger=pdf.LOGGER.name):
        pdf.layout(plan.make(MANUSCRIPT, Path("unused")), book, render(parse_book(book)))
    assert not [r for r in caplog.records if "turn of the leaf" in r.getMessage()]
