"""The safety net of the incremental layout: a part restyled and re-paginated from a page is the part laid
out from scratch with the same remedies, byte for byte.

pdf_parts.lay_out finds the notes carried overleaf and the rectos ending
mid-word as the pages are made, restyles the block in WeasyPrint's box
tree, and makes the pages again from the page before it (pdf_layout.py),
keeping the pages before. Whatever it decided, the same remedies given to
a fresh layout (new HTML with the classes, new CSS with the orphans rule)
must give the same PDF: the foreword, the benchmark's generated chapter
(one note a paragraph and two), and a chapter whose paragraphs all share one
computed style (WeasyPrint shares it between like elements: a restyle that
forgot it would restyle them all).
"""

from __future__ import annotations

import os

import pytest

from publish import plan
from publish.book import load_book
from publish.editions import pdf_layout, pdf_notes, pdf_parts, pdf_weasy
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import MANUSCRIPT, make_manuscript

pytestmark = pytest.mark.slow

PARAGRAPH = ("The programme promised measurable outcomes within weeks, and the audit culture that "
             "followed it counted throughput rather than recovery. ") * 5


def _bench_chapter(paragraphs: int, notes_per_paragraph: int) -> str:
    """The benchmark's chapter (benchmarks/bench.py make_manuscript), *paragraphs* long."""
    lines, notes = ["# Chapter 1\n"], []
    for p in range(paragraphs):
        labels = [f"n{p}"] + [f"n{p}x{extra}" for extra in range(1, notes_per_paragraph)]
        calls = "".join(f"[^{label}]" for label in labels[1:])
        lines.append(f"{PARAGRAPH}{calls} Paragraph {p}.[^n{p}]\n")
        notes += [f"[^{label}]: A note on paragraph {label[1:]}: the source, its date and a gloss.\n"
                  for label in labels]
    return "\n".join(lines + notes)


def _parts(manuscript):
    book = load_book(manuscript)
    build_plan = plan.make(manuscript, manuscript.parent / "out", ("pdf",))
    return build_plan, book, pdf_parts.parts(render(parse_book(book)))


def _pdf(build_plan, book, document) -> bytes:
    variant = build_plan.wanted("pdf")[0]
    return pdf_weasy.write_variant(document, variant.pdf_variant, book, build_plan.styles)


def _compare(build_plan, book, part, monkeypatch):
    """The part laid out as the build lays it out, and from scratch with the remedies it ended with."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1546300800")
    restyles = []
    restyle = pdf_layout.Layout.restyle

    def counted(self, *args):
        done = restyle(self, *args)
        restyles.append(self.repaginated_from)
        return done

    monkeypatch.setattr(pdf_layout.Layout, "restyle", counted)
    layout = pdf_parts.lay_out(build_plan, book, part, False)
    remedies, unhyphenated, shortened = layout.made_with
    scratch = pdf_parts._lay_out_once(build_plan, book, part, remedies, False, unhyphenated, shortened)
    assert layout.pages == scratch.pages
    assert _pdf(build_plan, book, layout.document) == _pdf(build_plan, book, scratch.document), (
        f"{part.name}: the restyled layout is not the layout from scratch with {remedies}, {unhyphenated}")
    return layout, remedies, unhyphenated, restyles


@pytest.fixture(scope="module")
def foreword():
    return _parts(MANUSCRIPT)


def test_the_foreword_restyled_is_the_foreword_laid_out_from_scratch(foreword, monkeypatch):
    build_plan, book, parts = foreword
    found = set()
    for part in parts:
        _layout, remedies, unhyphenated, _ = _compare(build_plan, book, part, monkeypatch)
        found |= unhyphenated | remedies.orphans | remedies.breaks
    assert found, "no part of the foreword was restyled (it would prove nothing)"


@pytest.mark.parametrize("notes_per_paragraph", [1, 2])
def test_the_bench_chapter_restyled_is_the_chapter_laid_out_from_scratch(tmp_path, monkeypatch,
                                                                           notes_per_paragraph):
    manuscript = make_manuscript(tmp_path / "m", {"one.md": _bench_chapter(40, notes_per_paragraph)})
    build_plan, book, parts = _parts(manuscript)
    layout, remedies, _, _ = _compare(build_plan, book, parts[1], monkeypatch)
    # one note a paragraph: WeasyPrint carries one overleaf to keep a paragraph's first lines together
    assert remedies.orphans or notes_per_paragraph > 1, "no note went overleaf (it would prove nothing)"
    calls, placed = pdf_notes._calls_and_notes(layout.document)
    assert all(calls[note][0] == page for note, (page, _, _) in placed.items()), "a note is off its call's page"
    assert pdf_notes.text_lines(layout.document.pages[-1]) > 2, "the chapter ends on a page of a line or two"


def test_the_notes_are_remedied_as_the_pages_are_made_in_one_layout(tmp_path, monkeypatch):
    """The bench's chapter: one layout from scratch, not one per round of remedies."""
    manuscript = make_manuscript(tmp_path / "m", {"one.md": _bench_chapter(40, 1)})
    build_plan, book, parts = _parts(manuscript)
    made = []
    once = pdf_parts._lay_out_once
    monkeypatch.setattr(pdf_parts, "_lay_out_once", lambda *args, **kwargs: made.append(1) or once(*args, **kwargs))
    layout = pdf_parts.lay_out(build_plan, book, parts[1], False)
    assert layout.made_with[0].orphans and len(made) == 1


def _paragraphs_html(count: int) -> str:
    body = "".join(f'<p id="p{index}">{PARAGRAPH * (1 + index % 3)}</p>' for index in range(count))
    return f'<!DOCTYPE html><html lang="en"><body>{body}</body></html>'


def _lay_out(html, css=""):
    weasyprint = pytest.importorskip("weasyprint")
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    sheets = [weasyprint.CSS(string=_SHEET + css, font_config=fonts)]
    return pdf_layout.lay_out(html, str(MANUSCRIPT) + "/", sheets, None, fonts)  # no resources to fetch


_SHEET = ("@page { size: 120mm 160mm; margin: 15mm } p { orphans: 3; widows: 3; margin: 0; line-height: 14pt; "
          "hyphens: auto; text-align: justify } .page-break { break-before: page } ")


def _page_texts(layout) -> list[str]:
    return ["".join(box.text for box in page._page_box.descendants() if type(box).__name__ == "TextBox")
            for page in layout.document.pages]


def _first_page(layout, block: str) -> int:
    return next(index for index, page in enumerate(layout.document.pages)
                if any(getattr(box, "element", None) is not None and box.element.get("id") == block
                       for box in page._page_box.descendants()))


def test_a_restyle_keeps_the_pages_before_the_block_and_styles_that_block_alone(monkeypatch):
    monkeypatch.delenv(pdf_layout.FROM_SCRATCH, raising=False)
    html = _paragraphs_html(30)
    layout = _lay_out(html)
    late = "p21"
    start = _first_page(layout, late)
    assert start >= 4, "the block is not far enough in to show the pages before it kept"
    kept = [page._page_box.children[0] for page in layout.document.pages[:start - 1]]
    assert layout.restyle({late}, {"p25"}, {"p22"})
    assert layout.repaginated_from == start - 1
    assert [page._page_box.children[0] for page in layout.document.pages[:start - 1]] == kept
    scratch = _lay_out(html.replace('id="p25"', 'id="p25" class="page-break"'),
                       f'[id="{late}"] {{ orphans: 1 }} [id="p22"] {{ hyphens: manual }}')
    assert _page_texts(layout) == _page_texts(scratch)
    styles = {box.element.get("id"): box.style for box in layout.pagination.root_box.descendants()
              if getattr(box, "element", None) is not None and box.element.tag == "p"}
    assert styles[late]["orphans"] == 1 and styles["p20"]["orphans"] == 3 and styles["p23"]["orphans"] == 3
    assert styles["p25"]["break_before"] == "page" and styles["p24"]["break_before"] == "auto"
    # and back: the remedies withdrawn give the first layout again
    assert layout.restyle(set(), set(), set())
    assert _page_texts(layout) == _page_texts(_lay_out(html))


def test_from_scratch_switch_turns_the_restyle_off(monkeypatch):
    monkeypatch.setenv(pdf_layout.FROM_SCRATCH, "1")
    layout = _lay_out(_paragraphs_html(8))
    assert not layout.restyle({"p3"}, set(), set())
    assert pdf_layout.from_scratch() and os.environ[pdf_layout.FROM_SCRATCH] == "1"


def test_a_page_rule_changed_lays_out_again_from_its_page(monkeypatch):
    """pdf_spreads's remedy: a page made shorter by a rule of its own, the pages before it kept."""
    monkeypatch.delenv(pdf_layout.FROM_SCRATCH, raising=False)
    weasyprint = pytest.importorskip("weasyprint")
    html = _paragraphs_html(20)
    layout = _lay_out(html)
    assert layout.pages > 8
    rule = "@page :nth(6) { margin-bottom: 60mm } @page :nth(7) { @footnote { margin-top: 3pt } }"
    kept = [page._page_box.children[0] for page in layout.document.pages[:5]]
    scratch = _lay_out(html, rule)
    assert _page_texts(scratch) != _page_texts(layout), "the rule changes nothing (it would prove nothing)"
    sheet = weasyprint.CSS(string=_SHEET + rule, font_config=layout.context.font_config)
    assert layout.repage(0, sheet, 5)
    assert layout.repaginated_from == 5
    assert [page._page_box.children[0] for page in layout.document.pages[:5]] == kept
    assert _page_texts(layout) == _page_texts(scratch)
    original = _page_texts(_lay_out(html))
    assert layout.repage(0, weasyprint.CSS(string=_SHEET, font_config=layout.context.font_config), 5)
    assert _page_texts(layout) == original, "a rule taken away still shapes its page"


def _sparse_chapter() -> str:
    """Paragraphs of varying length, a section every ninth, a note of one line every seventeenth: a spread
    left uneven by a call taken overleaf, which pdf_spreads levels (a tighter note area) as the pages are made."""
    clause = ("The argument turns on what care becomes when it is counted, audited and sold;"
              " each clause stands in for a sentence. ")
    parts, notes = ["# Chapter 1\n"], []
    for number in range(1, 25):
        if number % 9 == 0:
            parts.append(f"## Section {number // 9}\n")
        call = f"[^p{number}]" if number % 17 == 0 else ""
        parts.append(f"Paragraph {number}. " + clause * (1 + (number * 7) % 5) + f"It ends.{call}\n")
        if call:
            notes.append(f"{call}: A gloss on paragraph {number}. " + "Its source and its reading. " * 2 + "\n")
    return "\n".join(parts + notes)


def test_spreads_levelled_as_the_pages_are_made_are_the_chapter_laid_out_from_scratch(tmp_path, monkeypatch):
    manuscript = make_manuscript(tmp_path / "m", {"01-ch.md": _sparse_chapter()})
    build_plan, book, parts = _parts(manuscript)
    layout, _, _, _ = _compare(build_plan, book, parts[1], monkeypatch)
    shortened = layout.made_with[2]
    assert shortened.tight or shortened.lines, "no spread was levelled (it would prove nothing)"
