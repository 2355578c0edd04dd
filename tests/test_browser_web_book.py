"""A long book's HTML edition as a web book, in Chromium: contents, menus, previous/next, search, notes.

A book of five chapters gets a contents page (``index.html``), a page per
chapter, a contents menu on each and an offline Pagefind index; the foreword
(two chapters) stays one page.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from publish.build import build
from tests.conftest import make_manuscript

pytestmark = pytest.mark.browser


def web_book(root: Path) -> Path:
    chapters = {}
    for c in range(1, 6):
        cross = " See [the last part](#the-last-part)." if c == 1 else ""
        end = "\n\n## The last part {#the-last-part}\n\nIt ends here." if c == 5 else ""
        chapters[f"{c:02d}-part.md"] = (
            f"# Part {c}\n\nThe text of part {c} holds the word quuxword{c}.[^a]{cross}\n\n"
            f"A second paragraph of part {c}.[^b]{end}\n\n[^a]: Note a of part {c}.\n[^b]: Note b of part {c}.\n")
    return make_manuscript(root, chapters, slug="web-book", subtitle="In five parts")


@pytest.fixture(scope="module")
def site(tmp_path_factory, serve):
    out = tmp_path_factory.mktemp("web")
    build(web_book(out / "m"), out / "build", ("html",), log=lambda line: None)
    return out / "build" / "html", serve(out / "build" / "html")


def _links(page, selector: str) -> list[str]:
    return page.evaluate(f"[...document.querySelectorAll('{selector}')].map(a => a.href)")


def test_every_chapter_page_is_reachable_from_the_contents_and_has_a_menu(open_page, site):
    folder, base = site
    page, _ = open_page(base + "index.html")
    chapters = _links(page, ".book-contents a")
    assert len(chapters) == 5 and len({Path(url).name for url in chapters}) == 5
    assert sorted(p.name for p in folder.glob("*.html")) == sorted(["index.html", *(Path(u).name for u in chapters)])
    for number, url in enumerate(chapters):
        page.goto(url)
        assert page.locator("h1").inner_text().strip() == f"Part {number + 1}"
        assert _links(page, ".book-menu li a") == chapters  # the contents menu lists every chapter
        assert page.evaluate("document.querySelector('.book-menu [aria-current=page]').href") == url
        prev, nxt = _links(page, ".pager a[rel=prev]"), _links(page, ".pager a[rel=next]")
        assert prev == chapters[number - 1:number] if number else prev == []
        assert nxt == chapters[number + 1:number + 2]


def test_the_menu_opens_without_javascript(chromium, site):
    _, base = site
    context = chromium.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "02-part-2.html")
    assert not page.locator(".book-menu ol").is_visible()
    page.click(".book-menu summary")
    assert page.locator(".book-menu ol").is_visible()
    page.click(".book-menu li:nth-child(4) a")
    assert page.locator("h1").inner_text().strip() == "Part 4"
    context.close()


def test_search_finds_a_word_of_chapter_five_and_opens_its_page(open_page, site):
    _, base = site
    page, requests = open_page(base + "index.html")
    page.fill("#search-box input", "quuxword5")
    result = page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    assert page.locator(".pagefind-ui__result-link").count() >= 1
    result.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().strip() == "Part 5" and "quuxword5" in page.content()
    assert all(url.startswith(base) for url in requests), "search fetched something from outside the book"


def test_every_note_is_linked_both_ways_and_links_cross_pages(open_page, site):
    _, base = site
    page, _ = open_page(base + "index.html", width=390)
    for url in _links(page, ".book-contents a"):
        page.goto(url)
        calls = page.evaluate("[...document.querySelectorAll('a[role=doc-noteref]')].map(a => [a.id, a.href])")
        assert len(calls) == 2
        for call_id, href in calls:
            assert href.startswith(url + "#")
            back = page.evaluate("h => document.getElementById(h).querySelector('a[role=doc-backlink]').href",
                                 href.split("#")[1])
            assert back == f"{url}#{call_id}"
    page.goto(base + "01-part.html")
    page.click("a[href$='#the-last-part']")
    page.wait_for_load_state("load")
    assert page.url.endswith("05-part-5.html#the-last-part")
    assert page.evaluate("document.getElementById('the-last-part') !== null")


def test_a_short_book_stays_one_page(build_book):
    folder = build_book() / "html"
    assert [p.name for p in folder.glob("*.html")] == ["index.html"] and not (folder / "pagefind").exists()
    assert (folder / "index.html").read_text(encoding="utf-8").count('class="chapter') == 2


def test_the_web_book_and_its_index_are_reproducible(tmp_path, site):
    folder, _ = site
    build(web_book(tmp_path / "m"), tmp_path / "again", ("html",), log=lambda line: None)

    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    assert digest(tmp_path / "again" / "html") == digest(folder)


def _rendered_fonts(page, selector: str) -> set[str]:
    """The fonts Chromium drew the text of *selector*'s first match with (DevTools: CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = set()
    for target in [node, *cdp.send("DOM.querySelectorAll", {"nodeId": node, "selector": "*"})["nodeIds"]]:
        fonts |= {font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": target})["fonts"]}
    return fonts


def test_the_search_results_are_set_in_the_books_serif(open_page, site):
    """Pagefind's own UI defaults to the system's sans; the results must be drawn in the book's EB Garamond."""
    _, base = site
    page, _ = open_page(base + "index.html")
    page.fill("#search-box input", "quuxword5")
    page.wait_for_selector(".pagefind-ui__result-excerpt", timeout=15000)
    page.wait_for_function("document.fonts.status == 'loaded'")
    for part in (".pagefind-ui__message", ".pagefind-ui__result-title", ".pagefind-ui__result-excerpt"):
        fonts = _rendered_fonts(page, part)
        assert fonts and all(name.startswith("EB Garamond") for name in fonts), (part, fonts)
