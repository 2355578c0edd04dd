"""``publish check`` on good builds: every check passes, editions not built are skipped, output is one line each."""

from __future__ import annotations

import json
import shutil

import pytest

from publish import check
from publish.check import files, html, notes, parity, pdf
from tests.conftest import MANUSCRIPT

EVERY = ("pdf", "print", "epub", "html")


def _lines(results) -> dict[str, str]:
    return {r.name: r.line for r in results}


def _without_validators(build):
    """The HTML checks but the Nu checker (Java: tested once, below)."""
    return check.edition_checks(build, "html", [("html internal-links", html.internal_links),
                                                ("html notes-linked", html.notes_linked)])


@pytest.fixture(scope="module")
def html_only(build_book):
    return check.Build(build_book(formats=("html",)), MANUSCRIPT)


@pytest.fixture(scope="module")
def full(build_book):
    return check.Build(build_book(formats=EVERY), MANUSCRIPT)


def test_html_build_passes_links_notes_and_parity(html_only):
    ran = files.run(html_only) + _without_validators(html_only) + parity.run(html_only)
    assert [r.line for r in ran if r.status == "FAIL"] == []
    passed = {r.name for r in ran if r.status == "PASS"}
    assert {"manifest outputs", "manifest sources", "html internal-links", "html notes-linked",
            "html parity-notes", "html parity-text"} <= passed


def test_editions_not_built_are_skipped_not_passed(html_only):
    results = pdf.run(html_only) + notes.run(html_only) + parity.run(html_only)
    skipped = {r.name: r for r in results if r.status == "SKIP"}
    assert {"print trimbox", "pdf tagged", "pdf notes-on-call-page", "epub parity-notes"} <= set(skipped)
    assert skipped["print trimbox"].line == (
        "SKIP print trimbox: print PDF not built (industrialisation-of-care-foreword-print.pdf absent)")
    assert not any(r.status == "PASS" and r.name.startswith(("pdf ", "print ", "epub ")) for r in results)


@pytest.mark.slow
def test_full_build_passes_preflight_notes_and_parity(full):
    results = files.run(full) + pdf.run(full) + notes.run(full) + parity.run(full) + _without_validators(full)
    assert [r.line for r in results if r.status != "PASS"] == []
    names = {r.name for r in results}
    for edition in EVERY:
        assert {f"{edition} parity-notes", f"{edition} parity-text"} <= names
    assert {"print trimbox", "print bleedbox", "print mediabox", "print fonts-embedded", "print pdfx",
            "print no-empty-page", "pdf tagged", "pdf figures-alt", "pdf lang", "pdf title", "pdf outline",
            "pdf notes-on-call-page", "print notes-on-call-page"} <= names


@pytest.mark.slow
def test_publish_check_on_a_fresh_build_exits_0_with_one_line_per_check(full, capsys):
    """The whole command, validators included: what `nox -s check` runs."""
    code = check.run(full.folder, manuscript=MANUSCRIPT)
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if not line.startswith("PASS ")] == []
    assert code == 0
    assert "PASS epub epubcheck" in out and "PASS html nu-checker" in out
    assert len(out) == len(set(out)) >= 25


def test_json_report_exit_code_and_a_listed_edition_missing(build_book, tmp_path, capsys):
    folder = shutil.copytree(build_book(formats=("html",)), tmp_path / "build")
    (folder / "html" / "index.html").unlink()
    code = check.run(folder, as_json=True, manuscript=MANUSCRIPT)
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["passed"] is False
    by_name = {r["name"]: r for r in report["results"]}
    assert by_name["html parity-notes"] == {
        "name": "html parity-notes", "status": "FAIL",
        "reason": "html/index.html is missing, though the manifest lists it"}
    assert by_name["manifest outputs"]["reason"] == "html/index.html is missing"
    assert by_name["pdf tagged"]["status"] == "SKIP"


def test_an_output_changed_after_the_build_fails(build_book, tmp_path):
    folder = shutil.copytree(build_book(formats=("html",)), tmp_path / "build")
    (folder / "html" / "web.css").write_text("/* changed after the build */\n")
    assert _lines(files.run(check.Build(folder)))["manifest outputs"] == (
        "FAIL manifest outputs: html/web.css differs from the manifest (changed after the build)")


def test_stale_build_fails_sources(build_book, manuscript_copy, tmp_path):
    folder = shutil.copytree(build_book(formats=("html",)), tmp_path / "build")
    record = json.loads((folder / "manifest.json").read_text())
    assert record["manuscript"] == str(MANUSCRIPT)
    chapter = manuscript_copy / "foreword.md"
    chapter.write_text(chapter.read_text().replace("If only there could be", "If only there might be"))
    given = check.Build(folder, manuscript_copy)
    results = _lines(files.run(given) + parity.run(given))
    assert results["manifest sources"].startswith("FAIL manifest sources: the sources changed since this build: ")
    assert "manuscript/foreword.md" in results["manifest sources"]
    assert results["html parity-text"].startswith("FAIL html parity-text: the HTML differs from the manuscript at")
    assert "If only there might be" in results["html parity-text"]


def test_check_reads_no_manuscript_it_is_not_given(build_book, manuscript_copy, tmp_path):
    """A received build whose manifest names a manuscript elsewhere: that folder is never read."""
    folder = shutil.copytree(build_book(formats=("html",)), tmp_path / "build")
    record = json.loads((folder / "manifest.json").read_text())
    record["manuscript"] = str(manuscript_copy)
    (folder / "manifest.json").write_text(json.dumps(record))
    (manuscript_copy / "book.yaml").chmod(0)  # a read would fail loudly (unless root: then the SKIPs tell)
    received = check.Build(folder)
    results = {r.name: r for r in files.run(received) + parity.run(received)}
    for name in ("manifest sources", "html parity-text", "html parity-notes"):
        assert results[name].status == "SKIP" and "--manuscript" in results[name].reason, results[name]
    assert results["manifest outputs"].status == "PASS"


def test_not_a_build_folder_is_one_clean_error(tmp_path, capsys):
    from publish.cli import main

    assert main(["check", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err.strip().endswith("no build folder here; make one with 'publish build'")


def test_text_is_compared_as_letters_with_typography_folded():
    from publish.check.text import Words, difference, first_difference, letters

    assert letters("ﬁne hyphen‐\nation, ‘Quoted’ I\u00adAPT — 2019") == "finehyphenationquotediapt2019"
    assert first_difference("abcdef", "abcxef") == 3 and first_difference("abc", "abc") is None
    book = Words("The quick brown fox jumps over the lazy dog")
    assert difference(book, letters("The quick brown fox jumps"), "EPUB") == (
        "the EPUB ends early: missing from '… The quick brown fox jumps over the lazy dog …' on")
    assert "(the PDF has '…thequickbrowncat…')" in difference(book, letters("The quick brown cat"), "PDF")


def test_notes_out_of_order_in_a_pdf_fail_parity(html_only):
    """A layout whose notes 3 and 4 are swapped: the notes are all there, but not in the book's order."""
    from publish.check import pdftext
    from publish.check.expected import expected

    book = expected(html_only)
    keys = [f"{note.number}{note.text}" for note in book.notes]
    layout = pdftext.Layout([book.body.stream + keys[0] + keys[1] + keys[3] + keys[2]], first=0)
    fake = html_only.folder / "swapped.pdf"
    html_only.cache[f"aligned:{fake}"] = pdftext.align(layout, book)
    try:
        assert parity.notes(fake, html_only, "pdf") == (
            "1 of 4 notes out of order in the digital PDF: note 4 (foreword)")
        assert parity.text(fake, html_only, "pdf") is None
    finally:
        del html_only.cache[f"aligned:{fake}"]
