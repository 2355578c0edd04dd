"""The filters on constructs real books use (issue 16): front-matter titles, chapter folders,
smart quotes and dashes, notes in reading order, comments, lists and maths in the expected text."""

from __future__ import annotations

import io
import json
import re

import panflute as pf

from publish import filters, pandoc
from publish.check import visible
from publish.filters import notes


def _filtered(markdown: str, folder: str = "", lang: str = "en-GB") -> pf.Doc:
    ast, _ = pandoc.parse(markdown)
    return filters.apply(pf.load(io.StringIO(json.dumps(ast))), "ch", lang, folder)


def _text(doc: pf.Doc) -> str:
    return "\n".join(pf.stringify(block) for block in doc.content)


def _html(doc: pf.Doc) -> str:
    return pandoc.write(doc.to_json(), "html5", "--wrap=none")


def test_a_front_matter_title_becomes_the_first_heading():
    doc = _filtered("---\ntitle: Piracy\n---\n\n## A section\n\nText.\n")
    first = doc.content[0]
    assert isinstance(first, pf.Header) and first.level == 1 and pf.stringify(first) == "Piracy"


def test_a_front_matter_title_is_not_repeated_when_the_heading_is_there():
    doc = _filtered("---\ntitle: Piracy\n---\n\n# Piracy\n\nText.\n")
    assert sum(isinstance(b, pf.Header) and b.level == 1 for b in doc.content) == 1


def test_filters_stay_idempotent_with_titles_and_folders():
    once = _filtered("---\ntitle: T\n---\n\n![x](fig/a.png)\n\nText.[^1]\n\n[^1]: Note.\n", folder="episodes")
    twice = filters.apply(pf.load(io.StringIO(json.dumps(once.to_json()))), "ch", "en-GB", "episodes")
    assert once.to_json() == twice.to_json()


def test_an_image_path_is_read_from_its_chapter_folder():
    html = _html(_filtered('![a](fig/a.png) and <img src="fig/b.png"> and ![c](https://x.org/c.png)\n',
                           folder="episodes"))
    assert 'src="episodes/fig/a.png"' in html and 'src="episodes/fig/b.png"' in html
    assert 'src="https://x.org/c.png"' in html


def test_quotes_around_inline_markup_open_and_close():
    html = _html(_filtered("She said \"*really*\" twice, \"[link](url)\" and '`code`'.\n"))
    assert "“<em>really</em>”" in html
    assert "“<a href=\"url\">link</a>”" in html
    assert "‘<code>code</code>’" in html


def test_double_and_triple_hyphens_are_en_and_em_dashes_words_unchanged():
    doc = _filtered("Pages 10--20, a break --- here, and `a -- b` in code.\n")
    text = _text(doc)
    assert "10–20" in text and "—" in text
    assert "a -- b" in text  # code is never touched
    words = re.findall(r"\w+", text)
    assert words == ["Pages", "10", "20", "a", "break", "here", "and", "a", "b", "in", "code"]


def test_notes_are_numbered_in_reading_order_table_caption_first():
    doc = _filtered("Text.[^a]\n\n| A | B[^b] |\n|---|---|\n| c[^c] | d |\n\n: Caption.[^d]\n\n"
                    "[^a]: Na.\n\n[^b]: Nb.\n\n[^c]: Nc.\n\n[^d]: Nd.\n")
    found = {}
    doc.walk(lambda e, _d: found.__setitem__(pf.stringify(next(c for c in e.content if isinstance(c, pf.Note))).strip(),
                                             int(e.attributes["number"]))
             if isinstance(e, pf.Span) and notes.CLASS in e.classes else None)
    assert found == {"Na.": 1, "Nd.": 2, "Nb.": 3, "Nc.": 4}


def test_a_figure_caption_note_is_one_note():
    doc = _filtered("![A caption.[^1]](x.png)\n\n[^1]: The note.\n")
    spans = []
    doc.walk(lambda e, _d: spans.append(e) if isinstance(e, pf.Span) and notes.CLASS in e.classes else None)
    assert len(spans) == 1


def test_expected_text_numbers_lists_for_the_pdf_only():
    doc = _filtered("3. three\n4. four\n\nb. bee\n")
    doc.walk(lambda e, _d: visible.action(e, {}))
    text = _text(doc)
    assert visible.for_edition(text, pdf=True).split() == ["3", "three", "4", "four", "b", "bee"]
    assert visible.for_edition(text, pdf=False).split() == ["three", "four", "bee"]


def test_expected_text_holds_no_raw_html_tags_nor_comments():
    doc = _filtered("Press <kbd>Enter</kbd>.\n\n<!-- hidden -->\n\n<div><p>Raw <em>text</em>.</p></div>\n")
    doc.walk(lambda e, _d: visible.action(e, {}))
    text = visible.for_edition(_text(doc), pdf=False)
    assert "kbd" not in text and "hidden" not in text and "Raw text" in text


def test_a_formula_is_expected_once_in_the_pdf_and_with_its_tex_in_the_markup():
    doc = _filtered("Maths $x \\in y$ here.\n")
    shown = visible.formulas([doc])
    doc.walk(lambda e, _d: visible.action(e, shown))
    text = _text(doc)
    assert "∈" in visible.for_edition(text, pdf=True) and "\\in" not in visible.for_edition(text, pdf=True)
    assert "\\in" in visible.for_edition(text, pdf=False)


def test_a_raw_tex_maths_environment_is_expected_as_the_formula_the_editions_show():
    doc = _filtered("Text\n\n\\begin{align}a &= b\\\\ c &= d\\end{align}\n\nmore\n")
    shown = visible.formulas([doc])
    doc.walk(lambda e, _d: visible.action(e, shown))
    markup = visible.for_edition(_text(doc), pdf=False)
    assert "begin{align}" in markup and "a=b" in visible.for_edition(_text(doc), pdf=True).replace(" ", "")
