"""A single-file document with many level-1 headings gets a contents entry for each (issue 16). Fast."""

from __future__ import annotations

from lxml.html import document_fromstring, fragment_fromstring

from publish import lang
from publish.editions import html, html_book


def _article(markup: str):
    return fragment_fromstring(f'<article id="chapter-x">{markup}</article>')


def test_a_one_page_edition_lists_each_level_1_heading_of_a_many_heading_file():
    # html.py demotes a chapter's headings (the page's h1 is the book's title): h1 → h2
    article = _article('<h2 id="a">Synopsis</h2><p>x</p><h2 id="b">Files</h2><h3 id="c">Options</h3>'
                       '<h2 id="d">Exit status</h2>')
    nav = html._contents([article], lang.Words("en"))
    assert len(nav) == 1
    links = [(a.text_content(), a.get("href")) for a in nav[0].iter("a")]
    assert links == [("Synopsis", "#a"), ("Files", "#b"), ("Exit status", "#d")]


def test_a_book_of_chapters_with_one_heading_each_gets_no_contents_on_its_one_page():
    articles = [_article('<h2 id="a">One</h2><h3 id="b">Part</h3>'), _article('<h2 id="c">Two</h2>')]
    assert html._contents(articles, lang.Words("en")) == []


def test_the_web_books_contents_page_lists_a_chapters_later_level_1_headings():
    article = _article('<h2 id="a">Synopsis</h2><h2 id="b">Files</h2>')
    entries = [("01-x.html", "Synopsis")]
    template = document_fromstring("<html><head><title>T</title></head><body><header><h1>T</h1></header>"
                                   "<main></main></body></html>")
    page = html_book._contents_page(template, entries, [html_book.later_headings(article)])
    hrefs = [a.get("href") for a in page.iter("a")]
    assert "01-x.html" in hrefs and "01-x.html#b" in hrefs
