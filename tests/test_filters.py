"""The filters, in process and through a real ``pandoc --filter``."""

from __future__ import annotations

import io
import json
import shutil

import panflute as pf
import pytest

from publish import filters, pandoc
from publish.book import load_book
from publish.errors import NoteError
from publish.filters import ids, notes, typography
from publish.pipeline import parse_book
from tests.conftest import make_manuscript, words


def _doc(markdown: str) -> pf.Doc:
    ast, _ = pandoc.parse(markdown)
    return pf.load(io.StringIO(json.dumps(ast)))


def _html(doc: pf.Doc) -> str:
    return pandoc.write(doc.to_json(), "html5", "--wrap=none")


def _filtered(markdown: str, chapter: str = "ch") -> pf.Doc:
    return filters.apply(_doc(markdown), chapter)


# notes ----------------------------------------------------------------------


def test_notes_are_numbered_with_chapter_scoped_ids():
    doc = notes.main(_with_chapter(_doc("One.[^a] Two.[^b]\n\n[^a]: First.\n\n[^b]: Second.\n"), "intro"))
    spans = [e for e in _all(doc) if isinstance(e, pf.Span) and notes.CLASS in e.classes]
    assert [(s.identifier, s.attributes["number"], s.attributes["note-id"]) for s in spans] == [
        ("intro-call-1", "1", "intro-note-1"),
        ("intro-call-2", "2", "intro-note-2"),
    ]


def test_call_without_note_names_file_and_line(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "Title\n\nFine.\n\nA call[^9] with no note.\n"})
    with pytest.raises(NoteError) as caught:
        parse_book(load_book(root))
    assert str(caught.value) == f"{root / 'a.md'}:5: note call [^9] has no note: define it as '[^9]: …'"


def test_note_without_call_names_file_and_line(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.[^1]\n\n[^1]: Used.\n\n[^2]: Never called.\n"})
    with pytest.raises(NoteError) as caught:
        parse_book(load_book(root))
    assert caught.value.path == root / "a.md" and caught.value.line == 5
    assert "never called" in str(caught.value)


def test_note_defined_twice_is_an_error(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.[^1]\n\n[^1]: One.\n\n[^1]: Two.\n"})
    with pytest.raises(NoteError, match="defined twice"):
        parse_book(load_book(root))


def test_same_label_in_two_chapters_never_collides(tmp_path):
    root = make_manuscript(tmp_path / "m", {"one.md": "A.[^1]\n\n[^1]: N.\n", "two.md": "B.[^1]\n\n[^1]: M.\n"})
    ast = parse_book(load_book(root))
    found = [e.identifier for fc in ast for e in _all(fc.doc) if isinstance(e, pf.Span) and notes.CLASS in e.classes]
    assert found == ["one-call-1", "two-call-1"]


def test_a_call_in_code_is_not_a_call():
    doc = _filtered("Write `[^1]` for a note.\n")
    assert "[^1]" in _html(doc)


# typography -----------------------------------------------------------------


def test_typography_curls_quotes_and_apostrophes():
    html = _html(typography.main(_doc("King's \"word\" 'quoted' doctors' time...\n")))
    assert "King’s “word” ‘quoted’ doctors’ time…" in html


def test_spaced_dash_is_bound_to_the_word_before():
    html = _html(typography.main(_doc("illness – as they termed it – was\n")))
    assert "illness\u00a0– as they termed it\u00a0– was" in html


def test_acronyms_are_marked_for_small_caps():
    html = _html(typography.main(_doc("IAPT and NGOs, Thrive NYC and LDN; I said A.\n")))
    assert html.count('class="acronym"') == 4
    assert '<span class="acronym">NGO</span>s' in html
    assert "I said A." in html


def test_typography_never_changes_a_word():
    text = "If only there could be a technical... King's ‘evil’ – as IAPT said – NGO\n"
    assert words(pf.stringify(typography.main(_doc(text)))) == words(text)


# ids ------------------------------------------------------------------------


def test_every_block_gets_a_stable_unique_id():
    text = "# Head\n\nOne.\n\nTwo.\n\nOne.\n\n> Quoted.\n\n- item\n"
    first, second = _html(_filtered(text)), _html(_filtered(text))
    assert first == second
    assert 'id="ch-' in first and first.count('class="block"') >= 5
    ids_found = [part.split('"')[1] for part in first.split("id=")[1:]]
    assert len(ids_found) == len(set(ids_found))


def test_changing_one_paragraph_changes_only_its_id():
    before = _block_ids(_filtered("One.\n\nTwo.\n\nThree.\n"))
    after = _block_ids(_filtered("One.\n\nTwo changed.\n\nThree.\n"))
    assert before[0] == after[0] and before[2] == after[2] and before[1] != after[1]


# all filters ------------------------------------------------------------------

SAMPLE = "# A heading\n\nKing's IAPT – text...[^1]\n\n> Quote.[^2]\n\n[^1]: One.\n\n[^2]: Two \"x\".\n"


def test_filters_are_idempotent():
    once = _filtered(SAMPLE)
    twice = filters.apply(pf.load(io.StringIO(json.dumps(once.to_json()))), "ch")
    assert once.to_json() == twice.to_json()


@pytest.mark.parametrize("module", [notes, typography, ids])
def test_each_filter_runs_standalone_through_pandoc(module):
    name = module.__name__.rsplit(".", 1)[-1]
    script = shutil.which(f"publish-filter-{name}")
    assert script, f"publish-filter-{name} is not installed: pip install -e ."
    through_pandoc = pandoc.run_filter_command(SAMPLE, [script], to="json")
    in_process = module.main(_doc(SAMPLE))
    assert json.loads(through_pandoc)["blocks"] == json.loads(json.dumps(in_process.to_json()))["blocks"]


def test_standalone_filter_reports_bad_input_in_one_line():
    script = shutil.which("publish-filter-notes")
    with pytest.raises(Exception) as caught:
        pandoc.run_filter_command("A call[^x] alone.\n", [script])
    assert "no note" in str(caught.value) or "83" in str(caught.value)


# helpers ----------------------------------------------------------------------


def _with_chapter(doc: pf.Doc, chapter: str) -> pf.Doc:
    doc.metadata["chapter-id"] = pf.MetaString(chapter)
    return doc


def _all(doc: pf.Doc) -> list[pf.Element]:
    found: list[pf.Element] = []
    doc.walk(lambda e, d: found.append(e))
    return found


def _block_ids(doc: pf.Doc) -> list[str]:
    return [e.identifier for e in doc.content if isinstance(e, pf.Div) and ids.CLASS in e.classes]
