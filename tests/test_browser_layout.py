"""The HTML edition in Chromium: sidenotes beside their calls, notes after their section, links both ways, keyboard.

Measured in the browser (layout boxes, computed styles), at 1280 px (sidenotes) and 375 px (a phone).
"""

from __future__ import annotations

import pytest

from tests.conftest import contrast

pytestmark = pytest.mark.browser

WIDE, NARROW = 1280, 375

# Boxes of every call, its sidenote and its paragraph, in page coordinates.
GEOMETRY = """() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right}; };
  return [...document.querySelectorAll('a[role="doc-noteref"]')].map(call => {
    const side = call.nextElementSibling, para = call.closest('p');
    return {id: call.id, call: box(call), side: box(side), para: box(para), column: box(call.closest('main')),
            display: getComputedStyle(side).display, line: parseFloat(getComputedStyle(para).lineHeight)};
  });
}"""


@pytest.fixture(scope="module")
def url(build_book, serve):
    return serve(build_book() / "html") + "index.html"


@pytest.fixture(scope="module")
def long_url(build_book, serve, long_book):
    return serve(build_book(long_book) / "html") + "index.html"


def _assert_sidenotes_clear(notes: list[dict], width: int) -> None:
    """Each sidenote in the margin, inside the window, not above its call, and none on another."""
    for note in notes:
        assert note["display"] == "block", f"{note['id']}: no sidenote at {width} px"
        assert note["side"]["left"] >= note["column"]["right"] + 16, f"{note['id']} runs into the text column"
        assert note["side"]["right"] <= width, f"{note['id']} is cut off on the right"
        assert note["side"]["top"] >= note["call"]["top"] - 4, f"{note['id']} starts above its call"
    boxes = sorted((n["side"] for n in notes), key=lambda b: b["top"])
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert below["top"] >= above["bottom"], "two sidenotes overlap"


@pytest.mark.parametrize("width", [1120, WIDE, 1920])  # 1120 px is where sidenotes begin (70rem)
def test_wide_sidenotes_sit_beside_the_line_of_their_call(open_page, url, width):
    page, _ = open_page(url, width)
    notes = page.evaluate(GEOMETRY)
    assert len(notes) == 4
    _assert_sidenotes_clear(notes, width)
    for note in notes:
        assert abs(note["side"]["top"] - note["call"]["top"]) <= 2 * note["line"], f"{note['id']} is far off"


def test_wide_sidenotes_of_a_book_full_of_notes_stack_without_overlapping(open_page, long_url):
    """Long notes push the next ones down; they may drift below their call, never over each other or the text."""
    page, _ = open_page(long_url, WIDE)
    notes = page.evaluate(GEOMETRY)
    assert len(notes) > 60
    _assert_sidenotes_clear(notes, WIDE)


@pytest.mark.parametrize(("book", "width"), [("url", NARROW), ("url", 768), ("long_url", NARROW)])
def test_narrow_nothing_overflows_and_sidenotes_are_hidden(open_page, request, book, width):
    page, _ = open_page(request.getfixturevalue(book), width, height=800)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert max(widths[:2]) <= widths[2], f"horizontal overflow: {widths}"
    displays = page.evaluate("[...document.querySelectorAll('.sidenote')].map(s => getComputedStyle(s).display)")
    assert displays and set(displays) == {"none"}


@pytest.mark.parametrize("book", ["url", "long_url"])
def test_narrow_notes_follow_their_section(open_page, request, book):
    page, _ = open_page(request.getfixturevalue(book), NARROW, height=800)
    chapters = page.evaluate("""() => [...document.querySelectorAll('article')].filter(a => a.querySelector('.notes'))
      .map(a => { const notes = a.querySelector(':scope > section.notes');
        const before = [...a.children].filter(c => c !== notes).map(c => c.getBoundingClientRect().bottom);
        return {top: notes.getBoundingClientRect().top, text_bottom: Math.max(...before),
                visible: [...notes.querySelectorAll('aside')].every(n => n.getBoundingClientRect().height > 0)}; })""")
    assert chapters
    for chapter in chapters:
        assert chapter["top"] >= chapter["text_bottom"] and chapter["visible"]


def _in_view(page, selector: str) -> bool:
    return page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
                                   return r.bottom > 0 && r.top < window.innerHeight; }""", selector)


@pytest.mark.parametrize("width", [NARROW])  # wide: the note is beside its call (test_browser_notes_once.py)
def test_a_call_leads_to_its_marked_note_and_the_backlink_back(open_page, url, width):
    page, _ = open_page(url, width)
    calls = page.evaluate("[...document.querySelectorAll('a[role=\"doc-noteref\"]')].map(a => [a.id, a.hash])")
    background = "s => getComputedStyle(document.querySelector(s)).backgroundColor"
    for call_id, note_hash in calls:
        plain = page.evaluate(background, note_hash)
        page.click(f"#{call_id}")
        page.wait_for_function("h => location.hash === h", arg=note_hash)
        assert page.evaluate("s => document.querySelector(s).matches(':target')", note_hash)
        assert page.evaluate(background, note_hash) != plain, f"{note_hash} is not visibly marked"
        assert _in_view(page, note_hash), f"{note_hash} was not scrolled into view"
        page.click(f"{note_hash} a[role=doc-backlink]")
        page.wait_for_function("h => location.hash === h", arg=f"#{call_id}")
        assert _in_view(page, f"#{call_id}"), f"the backlink did not return to {call_id}"


FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {id: e.id || e.getAttribute('href'), role: e.getAttribute('role'), visible: e.matches(':focus-visible'),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor}; }"""


@pytest.mark.parametrize(("width", "scheme"), [(WIDE, "light"), (NARROW, "dark")])
def test_keyboard_reaches_every_call_and_backlink_in_order_with_a_focus_ring(open_page, url, width, scheme):
    page, _ = open_page(url, width, scheme)
    expected = page.evaluate("""[...document.querySelectorAll('a[href]:not([tabindex="-1"])')]
                                .filter(a => a.checkVisibility()).map(a => a.id || a.getAttribute('href'))""")
    paper = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        reached.append(focused["id"])
        assert focused["visible"] and focused["style"] != "none" and focused["width"] >= 2, focused
        assert contrast(focused["color"], paper) >= 3, f"focus ring too faint: {focused['color']} on {paper}"
    assert reached == expected
    roles = page.evaluate("""[...document.querySelectorAll('[role=doc-noteref], [role=doc-backlink]')]
                             .filter(a => a.checkVisibility()).length""")
    assert roles == (4 if width == WIDE else 8) and len(expected) >= roles  # wide: no backlinks, notes beside calls
