"""Each HTML note is shown once and read once, at 1280 px and at 390 px, with JavaScript off.

Wide: the note beside its call, marked there when the call is activated, the
page not scrolled away. Narrow: the note in its chapter's notes section,
linked both ways. "Read once" is measured on Chromium's accessibility tree
(Playwright's ARIA snapshot), which leaves out what is not rendered.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDE, NARROW = 1280, 390
SHOWN = """() => [...document.querySelectorAll('a[role="doc-noteref"]')].map(call => {
  const id = call.hash.slice(1), side = call.nextElementSibling, note = document.getElementById(id);
  const shown = e => e.checkVisibility() && e.getBoundingClientRect().height > 0;
  const r = e => { const b = e.getBoundingClientRect(); return {top: b.top + scrollY, left: b.left}; };
  return {call: call.id, id, side: shown(side), note: shown(note), text: note.textContent.trim().slice(3, 60),
          callBox: r(call), sideBox: r(side), column: call.closest('main').getBoundingClientRect().right};
})"""


@pytest.fixture(scope="module")
def url(build_book, serve):
    return serve(build_book() / "html") + "index.html"


@pytest.fixture
def no_js_page(chromium):
    contexts = []

    def _open(url: str, width: int):
        context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
        contexts.append(context)
        page = context.new_page()
        page.goto(url, wait_until="load")
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_each_note_is_shown_once_and_read_once(no_js_page, url, width):
    page = no_js_page(url, width)
    notes = page.evaluate(SHOWN)
    assert len(notes) == 4
    tree = page.locator("body").aria_snapshot()
    for note in notes:
        assert note["side"] != note["note"], f"{note['id']} shown {'twice' if note['side'] else 'nowhere'}"
        assert note["side"] == (width == WIDE)
        words = " ".join(note["text"].split()[:6])
        assert tree.count(words) == 1, f"{note['id']} is read {tree.count(words)} times at {width} px"


def test_wide_the_note_is_beside_its_call_and_activating_the_call_marks_it_there(no_js_page, url):
    page = no_js_page(url, WIDE)
    for note in page.evaluate(SHOWN):
        assert note["sideBox"]["left"] > note["column"] and abs(note["sideBox"]["top"] - note["callBox"]["top"]) < 60
        side = f"#{note['call']} + .sidenote"
        plain = page.evaluate("s => getComputedStyle(document.querySelector(s)).backgroundColor", side)
        page.locator(f"#{note['call']}").scroll_into_view_if_needed()
        before = page.evaluate("scrollY")
        page.click(f"#{note['call']}")
        marked = page.evaluate("s => getComputedStyle(document.querySelector(s)).backgroundColor", side)
        assert marked != plain, f"{note['id']} is not marked beside its call"
        assert abs(page.evaluate("scrollY") - before) < 2, "the page jumped away from the call"


def test_narrow_the_call_leads_to_the_note_in_its_section_and_back(no_js_page, url):
    page = no_js_page(url, NARROW)
    in_view = """s => { const r = document.querySelector(s).getBoundingClientRect();
                        return r.top >= 0 && r.top < innerHeight; }"""
    for note in page.evaluate(SHOWN):
        page.click(f"#{note['call']}")
        page.wait_for_function("h => location.hash === h", arg=f"#{note['id']}")
        assert page.evaluate(in_view, f"#{note['id']}")
        assert page.evaluate("s => document.querySelector(s).closest('section.notes') !== null", f"#{note['id']}")
        page.click(f"#{note['id']} a[role=doc-backlink]")
        page.wait_for_function("h => location.hash === h", arg=f"#{note['call']}")
        assert page.evaluate(in_view, f"#{note['call']}")
