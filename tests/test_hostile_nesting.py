"""Hostile input, nesting and tools: deep nesting refused at its line before anything recurses; pandoc bounded;
odd raw formats and a full disk are one line each."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from publish import files, nesting, pandoc
from publish.build import build
from publish.errors import ManuscriptError, OutputError, PublishError, ToolError
from tests.conftest import make_manuscript


def _quiet(*_: object) -> None:
    return None


def _book(tmp_path: Path, text: str) -> Path:
    return make_manuscript(tmp_path / "m", {"a.md": "# A\n\nOpening words.\n\n" + text + "\n"})


DEEP = {
    "blockquotes 300": "> " * 300 + "deep",
    "blockquotes 5000": ">" * 5000 + " deep",
    "lists 5000 on a line": "- " * 5000 + "deep",
    "lists 200 by indent": "\n".join("  " * i + "- item" for i in range(200)),
    "frac 2000": "$" + "\\frac{1}{" * 2000 + "x" + "}" * 2000 + "$",
    "divs 100": "\n\n".join(["::: box"] * 100 + ["deep"] + [":::"] * 100),
    "brackets 500": "[" * 500 + "x" + "]" * 500,
}


@pytest.mark.parametrize("name", DEEP)
def test_deep_nesting_is_refused_at_its_line(tmp_path, name):
    root = _book(tmp_path, DEEP[name])
    with pytest.raises(ManuscriptError) as caught:
        build(root, tmp_path / "out", ("html",), log=_quiet)
    message = str(caught.value)
    assert message.startswith(f"{root / 'a.md'}:") and "nested" in message and "\n" not in message
    assert int(message.split(":")[1]) >= 5


def test_nesting_a_book_uses_builds(tmp_path):
    text = "\n\n".join(["> > > A quote in a quote in a quote.", "- one\n  - two\n    - three\n      - four",
                        "```python\n" + " " * 80 + "deeply_indented_code((((((((((x))))))))))\n```",
                        "$\\frac{\\frac{1}{2}}{\\frac{3}{4}}$ and (brackets [in {brackets}])."])
    root = _book(tmp_path, text)
    build(root, tmp_path / "out", ("html",), log=_quiet)
    page = (tmp_path / "out" / "html" / "index.html").read_text()
    assert page.count("<blockquote") == 3 and "four" in page and "<mfrac>" in page


def test_deep_emphasis_hits_the_tree_bound(tmp_path):
    """Nesting the text scan does not count (emphasis in emphasis) is bounded in pandoc's tree, by chapter."""
    root = _book(tmp_path, "*_" * 200 + "x" + "_*" * 200)
    with pytest.raises(ManuscriptError, match="nested more than") as caught:
        build(root, tmp_path / "out", ("html",), log=_quiet)
    assert str(caught.value).startswith(str(root / "a.md"))


def test_pandoc_out_of_memory_is_one_line_naming_the_chapter(tmp_path, monkeypatch):
    monkeypatch.setattr(pandoc, "PARSE_HEAP", "8m")
    root = _book(tmp_path, "\n\n".join(f"Paragraph {i} with *some* words [^n{i}].\n\n[^n{i}]: A note." for i in
                                       range(3000)))
    with pytest.raises(ToolError) as caught:
        build(root, tmp_path / "out", ("html",), log=_quiet)
    assert str(caught.value).startswith(f"{root / 'a.md'}: pandoc ran out of memory")


def test_pandoc_past_its_time_is_one_line_naming_the_chapter(tmp_path, monkeypatch):
    monkeypatch.setattr(pandoc, "TIMEOUT", 0.001)
    root = _book(tmp_path, "Words.")
    with pytest.raises(ToolError) as caught:
        build(root, tmp_path / "out", ("html",), log=_quiet)
    assert str(caught.value).startswith(f"{root / 'a.md'}: pandoc took more than")


def test_a_chapter_as_big_as_the_cap_allows_is_refused_before_pandoc(tmp_path, monkeypatch):
    monkeypatch.setitem(files.CAPS, "chapter", 2**20)
    root = _book(tmp_path, "word " * 300_000)
    with pytest.raises(ManuscriptError, match="over the 1 MB"):
        build(root, tmp_path / "out", ("html",), log=_quiet)


@pytest.mark.parametrize("raw", ["```{=HTML}\n<b>bold</b>\n```", "`<i>x</i>`{=Html5}", "```{=nonsense}\nx\n```"])
def test_raw_blocks_in_any_spelling_build(tmp_path, raw):
    root = _book(tmp_path, raw)
    build(root, tmp_path / "out", ("html",), log=_quiet)
    page = (tmp_path / "out" / "html" / "index.html").read_text()
    assert "Opening words" in page and "nonsense" not in page


def test_a_full_disk_is_one_line_and_leaves_no_staging(tmp_path, monkeypatch, manuscript_copy):
    out = tmp_path / "out"
    build(manuscript_copy, out, ("html",), log=_quiet)
    before = sorted(p.relative_to(out) for p in out.rglob("*") if ".publish-cache" not in p.parts)
    chapter = manuscript_copy / "foreword.md"
    chapter.write_text(chapter.read_text().replace("If only", "If ever"))
    from publish.editions import html

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(html, "_copy_assets", full)
    with pytest.raises(OutputError) as caught:
        build(manuscript_copy, out, ("html",), log=_quiet)
    assert "the disk is full" in str(caught.value) and isinstance(caught.value, PublishError)
    assert not list(out.glob(".staging-*"))
    assert sorted(p.relative_to(out) for p in out.rglob("*") if ".publish-cache" not in p.parts) == before


def test_the_text_scan_is_linear_enough_for_a_big_chapter():
    text = "A line of prose (with brackets) and > a quote mark.\n" * 100_000
    nesting.check_text(text, Path("big.md"))  # 5 MB: passes, in well under a second on one core


@pytest.mark.parametrize("kind", ["pipe", "simple"])
def test_a_table_no_page_can_show_is_refused_naming_its_line(tmp_path, kind):
    n = 2_000
    if kind == "pipe":
        table = "|" + "|".join(f"c{i}" for i in range(n)) + "|\n|" + "|".join("-" * 3 for _ in range(n)) + "|"
    else:  # a simple table: columns set by dashes and spaces, no pipe to count before pandoc
        table = " ".join(f"c{i:<4}" for i in range(n)) + "\n" + " ".join("-----" for _ in range(n)) + "\n" + \
                " ".join(f"{i:<5}" for i in range(n)) + "\n"
    root = _book(tmp_path, table)
    with pytest.raises(ManuscriptError, match=r"columns: no page can show more than 100") as caught:
        build(root, tmp_path / "out", ("html",), log=_quiet)
    assert str(caught.value).startswith(f"{root / 'a.md'}")
    if kind == "pipe":
        assert str(caught.value).startswith(f"{root / 'a.md'}:5: ")


def test_more_notes_in_a_chapter_than_the_bound_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(nesting, "MAX_NOTES", 50)
    root = _book(tmp_path, "\n\n".join(f"Paragraph {i}.^[Note {i}.]" for i in range(60)))
    with pytest.raises(ManuscriptError, match="60 note calls in one chapter") as caught:
        build(root, tmp_path / "out", ("html",), log=_quiet)
    assert str(caught.value).startswith(str(root / "a.md"))
    # and pandoc's tree is bounded the same way, whatever the text scan counted
    ast = {"blocks": [{"t": "Para", "c": [{"t": "Note", "c": []}] * 60}]}
    with pytest.raises(ManuscriptError, match="more than 50 notes in one chapter"):
        nesting.check_ast(ast, Path("a.md"))


def test_too_many_note_calls_are_refused_before_pandoc(tmp_path, monkeypatch):
    monkeypatch.setattr(nesting, "MAX_NOTES", 100)
    monkeypatch.setattr(pandoc, "parse", lambda *_: pytest.fail("pandoc ran"))
    root = _book(tmp_path, "\n\n".join(f"P {i}.[^n{i}]\n\n[^n{i}]: Note {i}." for i in range(150)))
    with pytest.raises(ManuscriptError, match="150 note calls in one chapter"):
        build(root, tmp_path / "out", ("html",), log=_quiet)
