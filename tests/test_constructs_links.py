"""A link to the page a site generator makes of a chapter (mdBook's ``ch03.html``) leads to it (issue 16). Fast."""

from __future__ import annotations

from pathlib import Path

from lxml.html import fragment_fromstring

from publish import anchors


def _chapter(tmp_path: Path, name: str, markup: str) -> anchors.Chapter:
    path = tmp_path / "src" / name
    return anchors.Chapter(name.removesuffix(".md"), path, markup, [fragment_fromstring(f"<div>{markup}</div>")])


def test_links_to_a_chapters_rendered_page_point_at_the_chapter(tmp_path):
    first = _chapter(tmp_path, "ch01.md", '<h1 id="hello">Hello</h1><p><a href="ch02.html">on</a> '
                                          '<a href="ch02.html#types">types</a> <a href="ch09.html">later</a></p>')
    second = _chapter(tmp_path, "ch02.md", '<h1 id="data">Data</h1><h2 id="types">Types</h2>')
    said: list[str] = []
    anchors.repair([first, second], said.append)
    hrefs = [a.get("href") for a in first.parts[0].iter("a")]
    assert hrefs == ["#data", "#types"]  # the chapter's first id, and the id the link names
    assert len(said) == 1 and "ch09.html" in said[0] and "ch01.md" in said[0]  # no such chapter: unlinked, named
    assert "later" in first.parts[0].text_content()
