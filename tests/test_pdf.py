"""The two PDF editions of our manuscript: what the printer and the reader get.

Print-ready: PDF/X-4 with an OutputIntent, trim and bleed boxes, crop marks,
fonts embedded and subset. Digital: PDF/UA-1 (tagged), title, author,
language, outline. Both: every word of the source in order, the page as a
press sets it (title page, imprint, running heads, folios), reproducible.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys

import pdfplumber
import pypdf
import pytest

from publish import plan
from publish.book import load_book
from publish.editions import pdf
from publish.errors import ResourceError
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import MANUSCRIPT, REPO, make_manuscript, source_text, words
from tests.pdf_support import MM, body_text, boxes, note_texts, page_texts

SLUG = "industrialisation-of-care-foreword"
TRIM = [156 * MM, 234 * MM]
BLEED = 3 * MM


@pytest.fixture(scope="module")
def editions(build_book):
    out = build_book(MANUSCRIPT, ("pdf", "print"))
    return {"pdf": out / f"{SLUG}.pdf", "print": out / f"{SLUG}-print.pdf"}


def _size(box: list[float]) -> list[float]:
    left, bottom, right, top = box
    return [right - left, top - bottom]


@pytest.mark.slow
def test_print_pages_have_trim_bleed_and_room_for_crop_marks(editions):
    for page in boxes(editions["print"]):
        assert _size(page["TrimBox"]) == pytest.approx(TRIM, abs=0.05)
        expected = [edge + offset for edge, offset in zip(page["TrimBox"], [-BLEED, -BLEED, BLEED, BLEED], strict=True)]
        assert page["BleedBox"] == pytest.approx(expected, abs=0.05)
        media, bleed = page["MediaBox"], page["BleedBox"]
        assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3]


@pytest.mark.slow
def test_crop_marks_lie_outside_the_bleed(editions):
    with pdfplumber.open(editions["print"]) as document:
        lines = document.pages[2].lines
        # Horizontal marks, left and right of the page: wholly outside the 3 mm bleed.
        marks = [line for line in lines if line["x1"] < -BLEED or line["x0"] > TRIM[0] + BLEED]
        assert len(marks) == 4, "no crop marks, or marks inside the bleed"
    with pdfplumber.open(editions["pdf"]) as document:
        assert not document.pages[2].lines, "the digital edition has marks"


@pytest.mark.slow
def test_digital_pages_are_the_trim_with_no_bleed(editions):
    for page in boxes(editions["pdf"]):
        assert _size(page["MediaBox"]) == pytest.approx(TRIM, abs=0.05)
        assert page["TrimBox"] == pytest.approx(page["MediaBox"])


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["pdf", "print"])
def test_every_font_is_embedded_subset_and_ours(editions, variant):
    reader = pypdf.PdfReader(editions[variant])
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)
            descriptor = descriptor["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"
            assert name[7:8] == "+" and name[1:7].isupper(), f"{name} is not a subset"
            assert "EB-Garamond" in name, f"{name} is not the vendored face"
            seen.add(name)
    assert seen


@pytest.mark.slow
def test_print_edition_is_pdf_x4_with_an_output_intent(editions):
    reader = pypdf.PdfReader(editions["print"])
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert "/DestOutputProfile" in intent
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert reader.metadata["/Trapped"] == "/False"


@pytest.mark.slow
def test_digital_edition_is_tagged_with_title_author_language_and_outline(editions):
    reader = pypdf.PdfReader(editions["pdf"])
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()
    assert reader.metadata.title.startswith("The Industrialisation of Care")
    assert reader.metadata.author == "Nikolas Rose"
    titles = [entry["/Title"] for entry in reader.outline]
    assert titles[0].startswith("The foreword from") and titles[1] == "About the author"
    assert "/OutputIntents" not in root


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["pdf", "print"])
def test_every_source_word_is_in_the_pdf_in_order(editions, variant):
    source, notes = source_text()
    expected, found = words(source), words(body_text(editions[variant]))
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    lost = [expected[a:b] for tag, a, b, _, _ in matcher.get_opcodes() if tag in ("delete", "replace")]
    added = [found[c:d] for tag, _, _, c, d in matcher.get_opcodes() if tag in ("insert", "replace")]
    assert not lost, f"words of the source missing or changed: {lost}"
    # Only what a press adds: "Foreword by Nikolas Rose" on the title page, "About the author".
    assert added == [["Foreword", "by", "Nikolas", "Rose"], ["About", "the", "author"]]
    areas = words(" ".join(note_texts(editions[variant])))
    for note in notes:
        assert " ".join(words(note)) in " ".join(areas)


@pytest.mark.slow
def test_front_matter_states_only_what_the_manuscript_gives(editions):
    title, imprint = page_texts(editions["pdf"])[:2]
    assert title.split("\n") == ["The Industrialisation of Care", "counselling, psychotherapy and the impact of IAPT",
                                 "Foreword by Nikolas Rose"]
    assert "urn:uuid:5412587c-466d-565c-bfa7-cecee75b08f1" in imprint and "January 2019" in imprint
    assert "Set in EB Garamond" in imprint
    for invented in ("ISBN", "©", "Published by", "All rights"):
        assert invented not in imprint


@pytest.mark.slow
def test_running_heads_and_roman_folios(editions):
    pages = [text.split("\n") for text in page_texts(editions["pdf"])]
    opening, verso, recto = pages[2], pages[3], pages[4]
    assert opening[0].startswith("The foreword from") and opening[-1] == "iii"  # no head where it opens
    assert verso[0] == "The Industrialisation of Care" and verso[-1] == "iv"
    assert recto[0] == "Foreword" and recto[-1] == "v"
    assert pages[-1][0] == "About the author"  # opens on a recto, no head
    assert len(pages) % 2 == 1 and len(pages) == 9


@pytest.mark.slow
def test_hyphenation_is_british_with_three_letters_each_side(editions):
    text = "\n".join(page_texts(editions["pdf"]))
    broken = [line.split()[-1] for line in text.split("\n") if line.endswith("\u2010")]
    assert broken, "nothing hyphenated: is hyphens:auto with en-GB on?"
    # a word broken on a page's last line continues on the next page: the line after it is then a note's number
    following = [line.split()[0] for line in text.split("\u2010\n")[1:] if not line.split()[0].isdigit()]
    assert all(len(part.strip("\u2010")) >= 3 for part in broken)
    assert all(len(part.rstrip(".,;:’'”)")) >= 3 for part in following)


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    return make_manuscript(tmp_path_factory.mktemp("small") / "manuscript",
                           {"one.md": "# One\n\nA paragraph with a note.[^1]\n\n[^1]: The note.\n"})


def _write(manuscript, out, variants=("pdf", "print"), strict=False, log=None):
    """The PDF edition's write(), with a plan asking for *variants*; the lines it reports go to *log*."""
    book = load_book(manuscript)
    build_plan = plan.make(manuscript, out, variants, strict=strict, raw_html=book.metadata.raw_html)
    with plan.reported() as lines:
        try:
            return pdf.write(build_plan, book, render(parse_book(book)), out)
        finally:
            for line in lines:
                (log or (lambda _: None))(line)


@pytest.mark.slow
def test_same_sources_give_identical_bytes(small_book, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1546300800")  # 2019-01-01
    first = _write(small_book, tmp_path / "a", strict=True)
    second = _write(small_book, tmp_path / "b", strict=True)
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), f"{one.name} differs between two builds"
    assert pypdf.PdfReader(first[0]).metadata["/CreationDate"] == "D:20190101000000Z"


@pytest.mark.slow
@pytest.mark.parametrize("source", ["https://example.org/a.png", "../outside.png", "/etc/hostname"])
def test_images_outside_the_manuscript_are_refused(tmp_path, source, monkeypatch):
    """A raw image leading outside the manuscript is refused before any edition, naming the chapter, line and URL;
    were one to get past that check, the PDF edition's URL fetcher would still refuse it."""
    from publish import safety

    (tmp_path / "outside.png").write_bytes(b"")
    manuscript = make_manuscript(tmp_path / "manuscript", {"one.md": f'# One\n\n<img src="{source}" alt="A figure">\n'})
    with pytest.raises(ResourceError) as caught:
        _write(manuscript, tmp_path / "out")
    message = str(caught.value)
    assert message.startswith(f"{manuscript / 'one.md'}:3: image '{source}' ")
    assert re.search(r"remote|outside the manuscript|absolute path", message)
    monkeypatch.setattr(safety, "check_chapter", lambda *args, **kwargs: None)  # as if it had got through
    with pytest.raises(ResourceError, match=f"refused .*{source.lstrip('./')}"):
        _write(manuscript, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.slow
def test_images_inside_the_manuscript_are_set(tmp_path):
    from PIL import Image

    manuscript = make_manuscript(tmp_path / "manuscript", {"one.md": "# One\n\n![A figure](images/a.png)\n"})
    (manuscript / "images").mkdir()
    Image.new("RGB", (40, 20), "grey").save(manuscript / "images" / "a.png")
    written = _write(manuscript, tmp_path / "out", strict=True)
    assert pypdf.PdfReader(written[0]).pages[2]["/Resources"]["/XObject"]


@pytest.mark.slow
def test_weasyprint_warnings_are_reported_and_fail_a_strict_build(tmp_path):
    manuscript = make_manuscript(tmp_path / "manuscript",
                                 {"one.md": '# One\n\nA <span style="colour: red">misspelt</span> style.\n'})
    lines: list[str] = []
    _write(manuscript, tmp_path / "out", log=lines.append)
    assert any("warning" in line and "colour" in line for line in lines)
    with pytest.raises(pdf.LayoutWarnings, match="colour"):
        _write(manuscript, tmp_path / "strict", strict=True, log=lines.append)
    assert not (tmp_path / "strict").exists()


@pytest.mark.slow
def test_our_manuscript_builds_without_a_weasyprint_warning(tmp_path):
    lines: list[str] = []
    _write(MANUSCRIPT, tmp_path, variants=("pdf",), strict=True, log=lines.append)
    assert lines == []


def test_importing_the_pdf_edition_does_not_load_weasyprint():
    code = "import sys, publish.editions.pdf, publish.build; print('weasyprint' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "False"
