"""The HTML edition of a long book: a web book of one page per chapter, a contents page and offline search.

``index.html`` is the contents page (each chapter, linked, and the search
box); each chapter is a page of its own (``01-<id>.html``…) with a contents
menu (a ``<details>`` list, no JavaScript), previous and next links and its
notes. A link to an id on another page is rewritten to that page. The search
index is built at build time by Pagefind (the ``pagefind`` package runs the
binary ``pagefind-bin`` ships), offline, over the chapters' text only
(``data-pagefind-body``; sidenotes, which repeat the notes, are left out);
searching needs JavaScript, reading does not.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from lxml.html import HtmlElement
from lxml.html import builder as E

from publish.errors import ToolError

SEARCH = "search"  # the search section's id on the contents page
PAGEFIND = "pagefind"  # the search bundle's folder, inside the edition's folder
PAGEFIND_SECONDS = 120
SEARCH_SCRIPT = """window.addEventListener("DOMContentLoaded", () => {
  new PagefindUI({element: "#search-box", showSubResults: true, showImages: false,
                  baseUrl: new URL(".", location.href).pathname});
});"""


def page_name(index: int, chapter_id: str) -> str:
    """The file of the *index*-th chapter (from 1)."""
    return f"{index:02d}-{chapter_id}.html"


def write(folder: Path, template: HtmlElement, articles: list[HtmlElement], titles: list[str],
          serialise: Callable[[HtmlElement], bytes]) -> None:
    """Write the contents page, one page per chapter, and the search index into *folder*."""
    names = [page_name(index, article.get("id").removeprefix("chapter-"))
             for index, article in enumerate(articles, 1)]
    homes = {element.get("id"): name for name, article in zip(names, articles, strict=True)
             for element in article.iter() if element.get("id")}
    entries = list(zip(names, titles, strict=True))
    for number, (name, article) in enumerate(zip(names, articles, strict=True)):
        page = _chapter_page(template, article, entries, number)
        _link_across_pages(page, homes, name)
        (folder / name).write_bytes(serialise(page))
    later = [later_headings(article) for article in articles]
    (folder / "index.html").write_bytes(serialise(_contents_page(template, entries, later)))
    index_search(folder)


def _chapter_page(template: HtmlElement, article: HtmlElement, entries: list[tuple[str, str]],
                  number: int) -> HtmlElement:
    page = copy.deepcopy(template)
    name, title = entries[number]
    page.head.find("title").text = f"{title} · {page.head.find('title').text}"
    banner = page.body.find("header")
    heading = banner.find("h1")
    heading.tag = "p"  # the chapter's title is the page's heading; the book's title leads home
    heading.set("class", "book-title book-title-small")
    link = E.A(href="index.html")
    link.text, heading.text = heading.text, None
    for child in list(heading):
        link.append(child)
    heading.append(link)
    for extra in banner.findall("p"):
        if "contribution" in (extra.get("class") or ""):
            banner.remove(extra)
    banner.append(_menu(entries, name))
    article = copy.deepcopy(article)
    article.set("data-pagefind-body", "")
    for heading_element in article.iter("h2", "h3", "h4", "h5", "h6"):
        heading_element.tag = f"h{int(heading_element.tag[1]) - 1}"  # the page's h1 is the chapter's title
    for side in article.find_class("sidenote"):
        side.set("data-pagefind-ignore", "")  # the note is indexed once, from its section
    page.body.find("main").append(article)
    page.body.find("main").append(_pager(entries, number, page.head))
    return page


def _menu(entries: list[tuple[str, str]], current: str) -> HtmlElement:
    """The contents menu of a chapter page: every chapter (this one marked), the contents page and search."""
    items = []
    for name, title in entries:
        link = E.A(title, href=name)
        if name == current:
            link.set("aria-current", "page")
        items.append(E.LI(link))
    menu = E.DETAILS(E.SUMMARY("Contents"), E.OL(*items),
                     E.P(E.A("Contents page", href="index.html"), " · ", E.A("Search", href=f"index.html#{SEARCH}")))
    nav = E.NAV(menu, E.CLASS("book-menu"))
    nav.set("aria-label", "Contents")
    return nav


def _pager(entries: list[tuple[str, str]], number: int, head: HtmlElement) -> HtmlElement:
    """Previous and next chapter, as links in the page and in its head."""
    nav = E.NAV(E.CLASS("pager"))
    nav.set("aria-label", "Previous and next chapter")
    for rel, other, label in (("prev", number - 1, "Previous"), ("next", number + 1, "Next")):
        if 0 <= other < len(entries):
            name, title = entries[other]
            nav.append(E.A(E.SPAN(label, E.CLASS("pager-label")), " ", title, E.CLASS(f"pager-{rel}"),
                           href=name, rel=rel))
            head.append(E.LINK(rel=rel, href=name))
    return nav


def later_headings(article: HtmlElement) -> list[tuple[str, str]]:
    """(id, text) of each level-1 heading of a chapter after its first (an h2 in the article, html.py):
    a single-file document with many has a contents entry for each."""
    return [(h.get("id"), h.text_content().strip()) for h in article.findall("h2")[1:]
            if h.get("id") and h.text_content().strip()]


def _contents_page(template: HtmlElement, entries: list[tuple[str, str]],
                   later: list[list[tuple[str, str]]] | None = None) -> HtmlElement:
    page = copy.deepcopy(template)
    items = [E.LI(E.A(title, href=name)) for name, title in entries]
    for item, (name, _title), headings in zip(items, entries, later or [[]] * len(entries), strict=True):
        if headings:  # each later level-1 heading of the chapter, under it
            item.append(E.OL(*(E.LI(E.A(text, href=f"{name}#{ident}")) for ident, text in headings)))
    contents = E.NAV(E.H2("Contents", id="contents-heading"), E.OL(*items), E.CLASS("book-contents"))
    contents.set("aria-labelledby", "contents-heading")
    search = E.SECTION(
        E.H2("Search", id="search-heading"),
        E.DIV(id="search-box"),
        E.NOSCRIPT(E.P("Searching needs JavaScript; the contents above lead to every chapter.")),
        E.CLASS("book-search"), id=SEARCH)
    search.set("aria-labelledby", "search-heading")
    page.body.find("main").extend([contents, search])
    page.head.append(E.LINK(rel="stylesheet", href=f"{PAGEFIND}/pagefind-ui.css"))
    page.head.append(E.SCRIPT(src=f"{PAGEFIND}/pagefind-ui.js"))
    page.head.append(E.SCRIPT(SEARCH_SCRIPT))
    return page


def _link_across_pages(page: HtmlElement, homes: dict[str, str], name: str) -> None:
    """``href="#id"`` for an id on another chapter's page becomes ``href="that-page.html#id"``."""
    for link in page.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#") and homes.get(href[1:], name) != name:
            link.set("href", f"{homes[href[1:]]}{href}")


def index_search(folder: Path) -> None:
    """Build the Pagefind index of *folder*'s pages into ``folder/pagefind``, offline."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir", PAGEFIND, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=PAGEFIND_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ToolError(f"pagefind could not index the web book: {error}") from None
    if result.returncode != 0 or not (folder / PAGEFIND / "pagefind-ui.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise ToolError(f"pagefind could not index the web book: {detail[-1] if detail else result.returncode}")


def pages(index: Path) -> list[Path]:
    """The edition's pages in reading order: *index*, then, in a web book, each chapter page its contents list.

    For readers of a built edition (publish check): only plain file names of
    pages that exist beside *index* count, so a tampered page leads nowhere else.
    """
    from lxml import html as lxml_html

    root = lxml_html.parse(str(index)).getroot()
    found = [index]
    for href in root.xpath('//nav[contains(concat(" ", @class, " "), " book-contents ")]//a/@href'):
        candidate = index.parent / href
        if "/" not in href and href.endswith(".html") and candidate.is_file() and candidate not in found:
            found.append(candidate)
    return found
