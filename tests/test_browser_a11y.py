"""The HTML edition in Chromium: axe-core finds nothing, the structure is sound, every glyph comes from the book face.

axe-core runs in light and dark schemes at both widths (its colour-contrast rule covers the dark scheme and the
highlighted note); the fonts must come from the edition's own folder and nothing else may be fetched.
"""

from __future__ import annotations

import pytest

from tests.conftest import contrast

pytestmark = pytest.mark.browser

WIDE, NARROW = 1280, 375


@pytest.fixture(scope="module")
def base(build_book, serve):
    return serve(build_book() / "html")


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_axe_core_finds_no_violations(open_page, base, axe, width, scheme):
    # A note is the :target, so its highlight is checked for contrast too.
    page, _ = open_page(base + "index.html#foreword-note-2", width, scheme)
    results = axe.run(page, options={"resultTypes": ["violations", "incomplete"]})
    assert results.violations_count == 0, results.generate_report()
    passed = {rule["id"] for rule in results.response["passes"]}
    assert {"color-contrast", "html-has-lang", "heading-order", "aria-allowed-role"} <= passed
    # What axe cannot decide, and why it is fine: the arrows' contrast is measured below; a call is set apart
    # from the text by being a superscript figure, not by its colour alone.
    undecided = {(rule["id"], node["target"][0]) for rule in results.response["incomplete"] for node in rule["nodes"]}
    expected = {("color-contrast", f'a[href$="#foreword-call-{n}"]') for n in range(1, 5)}
    expected |= {("link-in-text-block", f"#foreword-call-{n}") for n in range(1, 5)}
    assert undecided <= expected, sorted(undecided - expected)


# The colour of every call and backlink and the background it sits on (the first opaque one up the tree).
LINK_COLOURS = """() => [...document.querySelectorAll('a.noteref, a.backlink')].map(a => {
  let e = a, bg = 'rgba(0, 0, 0, 0)';
  while (e && (bg = getComputedStyle(e).backgroundColor) === 'rgba(0, 0, 0, 0)') e = e.parentElement;
  return [a.id || a.getAttribute('href'), getComputedStyle(a).color, bg];
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_calls_and_backlinks_contrast_with_their_background(open_page, base, scheme):
    """Checked here because axe-core leaves lone symbols (the backlink arrow) undecided; highlighted ones too."""
    page, _ = open_page(base + "index.html", WIDE, scheme)
    for target in ["", "#foreword-note-2", "#foreword-call-2"]:
        page.evaluate("hash => { location.hash = hash; }", target)
        for link, colour, background in page.evaluate(LINK_COLOURS):
            assert contrast(colour, background) >= 4.5, f"{link} ({target or 'no target'}): {colour} on {background}"


def test_language_title_and_headings_in_order(open_page, base):
    page, _ = open_page(base + "index.html")
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    assert page.title().startswith("The Industrialisation of Care")
    levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


@pytest.fixture(scope="module")
def file_base(build_book):
    return (build_book() / "html").as_uri() + "/"


@pytest.mark.parametrize(("where", "scheme"), [("base", "light"), ("base", "dark"), ("file_base", "light")])
def test_fonts_load_from_the_edition_folder_and_nothing_else_is_fetched(open_page, request, where, scheme):
    """Served over HTTP, or opened from the disk (file://) as a reader who downloaded it would."""
    base = request.getfixturevalue(where)
    page, requests = open_page(base + "index.html", WIDE, scheme)
    strays = [url for url in requests if not url.startswith(base)]
    assert not strays, f"requests outside the edition's folder: {strays}"
    fonts = [url[len(base):] for url in requests if url.endswith(".otf")]
    assert {"fonts/EBGaramond12-Regular.otf", "fonts/EBGaramond12-Italic.otf"} <= set(fonts)
    loaded = page.evaluate("""[...document.fonts].filter(f => f.status === 'loaded')
                              .map(f => f.family.replace(/"/g, '') + ' ' + f.style)""")
    assert {"EB Garamond normal", "EB Garamond italic"} <= set(loaded)
    assert page.evaluate("document.fonts.check('1em \"EB Garamond\"')")


def _rendering_fonts(page) -> dict[str, set[str]]:
    """Chromium's own account of the fonts that set each element's text: {font name: element tags}."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    used: dict[str, set[str]] = {}
    stack = [cdp.send("DOM.getDocument", {"depth": -1})["root"]]
    while stack:
        node = stack.pop()
        children = node.get("children", [])
        stack.extend(children)
        if node["nodeType"] == 1 and any(c["nodeType"] == 3 and c["nodeValue"].strip() for c in children):
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]:
                name = f"{font['familyName']}{'' if font['isCustomFont'] else ' (system)'}"
                used.setdefault(name, set()).add(node["nodeName"].lower())
    return used


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_every_glyph_is_set_in_the_vendored_book_face(open_page, base, width):
    """No fallback to a system font, not even for one arrow or dash: every glyph is in EB Garamond."""
    page, _ = open_page(base + "index.html", width)
    used = _rendering_fonts(page)
    assert used and all(name.startswith("EB Garamond") and "(system)" not in name for name in used), used
