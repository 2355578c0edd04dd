"""The EPUB edition: package metadata, reading order, pop-up notes, language, alt text, fidelity, reproducible zip.

Fast tests (no Java): each book is built once per module and read back from the zip.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from publish.book import load_book
from publish.build import build
from publish.editions.epub_cover import typographic_cover
from publish.styles import Styles
from tests.conftest import MANUSCRIPT, html_text, make_manuscript, source_text, words

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Epub:
    """An EPUB read back: its zip, package document and XHTML files (parsed as XML, so they must be well-formed)."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.opf = etree.fromstring(self.zip.read("EPUB/content.opf"))
        self.manifest = {item.get("id"): item for item in self.opf.iterfind(".//opf:manifest/opf:item", NS)}
        self.spine = [self.manifest[ref.get("idref")].get("href") for ref in self.opf.iterfind(".//opf:itemref", NS)]
        self.xhtml = {item.get("href"): etree.fromstring(self.zip.read(f"EPUB/{item.get('href')}"))
                      for item in self.manifest.values() if item.get("media-type") == "application/xhtml+xml"}

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(f'.//opf:meta[@property="{prop}"]', NS)]


def _epub(out: Path) -> Epub:
    return Epub(next(out.glob("*.epub")))


@pytest.fixture(scope="module")
def ebook(build_book) -> Epub:
    return _epub(build_book(MANUSCRIPT, ("epub",)))


@pytest.fixture(scope="module")
def long_ebook(build_book, long_book) -> Epub:
    return _epub(build_book(long_book, ("epub",)))


@pytest.fixture(scope="module")
def pictured_book(tmp_path_factory) -> Path:
    """A manuscript with its own cover, an image with alt text, and a link from one chapter into another."""
    root = make_manuscript(tmp_path_factory.mktemp("pictured") / "manuscript", {
        "01-one.md": "# One\n\nSee [the second part](#two-part) and the square below.[^a]\n\n"
                     "![A red square on white](images/square.png)\n\n[^a]: A note.\n",
        "02-two.md": "# Two\n\n## The part {#two-part}\n\nText with $x^2$ in it.[^b]\n\n[^b]: Another note.\n",
    }, cover="images/front.png", subtitle="With pictures")
    (root / "images").mkdir()
    Image.new("RGB", (40, 40), "red").save(root / "images" / "square.png")
    Image.new("RGB", (400, 640), "navy").save(root / "images" / "front.png")
    return root


@pytest.fixture(scope="module")
def pictured_ebook(build_book, pictured_book) -> Epub:
    return _epub(build_book(pictured_book, ("epub",)))


def test_package_metadata_says_what_book_yaml_says(ebook):
    meta = load_book(MANUSCRIPT).metadata
    titles = {t.get("id"): t.text for t in ebook.opf.iterfind(".//dc:title", NS)}
    assert titles == {"title": meta.title, "subtitle": meta.subtitle}
    refines = {(m.get("refines"), m.get("property")): m.text for m in ebook.opf.iterfind(".//opf:meta[@refines]", NS)}
    assert refines[("#title", "title-type")] == "main" and refines[("#subtitle", "title-type")] == "subtitle"
    creator = ebook.opf.find(".//dc:creator", NS)
    cid = creator.get("id")
    roles = [m.text for m in ebook.opf.iterfind(f'.//opf:meta[@refines="#{cid}"][@property="role"]', NS)]
    assert creator.text == "Nikolas Rose" and roles == ["aut", "aui"]  # the author first, then the foreword
    assert ebook.opf.findtext(".//dc:language", namespaces=NS) == "en-GB"
    assert ebook.opf.findtext(".//dc:date", namespaces=NS) == "2019-01"
    unique = ebook.opf.get("unique-identifier")
    assert ebook.opf.find(f'.//dc:identifier[@id="{unique}"]', NS).text == meta.identifier
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ebook.meta("dcterms:modified")[0])


def test_accessibility_metadata_is_present_and_claims_no_more_than_is_true(ebook):
    assert ebook.meta("schema:accessMode") == ["textual"]  # the only image is the cover
    assert ebook.meta("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
            "displayTransformability"} <= set(ebook.meta("schema:accessibilityFeature"))
    assert ebook.meta("schema:accessibilityHazard") == ["none"]
    assert "note" in ebook.meta("schema:accessibilitySummary")[0]
    # No conformance claim without someone to certify it.
    assert not ebook.meta("dcterms:conformsTo") or ebook.meta("a11y:certifiedBy")


def test_reading_order_contents_and_landmarks(ebook):
    assert ebook.spine == ["cover.xhtml", "titlepage.xhtml", "imprint.xhtml", "nav.xhtml",
                           "01-foreword.xhtml", "02-about-the-author.xhtml"]
    nav = ebook.xhtml["nav.xhtml"]
    toc = nav.find('.//x:nav[@epub:type="toc"]', NS)
    assert [a.get("href") for a in toc.iterfind(".//x:a", NS)] == ["imprint.xhtml", "01-foreword.xhtml",
                                                                     "02-about-the-author.xhtml"]
    assert toc.findall(".//x:a", NS)[2].text == "About the author"
    landmarks = nav.find('.//x:nav[@epub:type="landmarks"]', NS)
    assert {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iterfind(".//x:a", NS)} == {
        "cover": "cover.xhtml", "titlepage": "titlepage.xhtml", "toc": "nav.xhtml", "bodymatter": "01-foreword.xhtml"}
    ncx = etree.fromstring(ebook.zip.read("EPUB/toc.ncx"))
    assert [c.get("src") for c in ncx.iterfind(".//ncx:content", NS)] == [a.get("href") for a in
                                                                         toc.iterfind(".//x:a", NS)]


@pytest.mark.parametrize("which", ["ebook", "long_ebook", "pictured_ebook"])
def test_every_noteref_opens_a_footnote_in_its_file_and_comes_back(which, request):
    book = request.getfixturevalue(which)
    total = 0
    for name in book.spine:
        root = book.xhtml[name]
        by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
        calls = root.findall('.//x:a[@epub:type="noteref"]', NS)
        notes = root.findall('.//x:aside[@epub:type="footnote"]', NS)
        assert len(calls) == len(notes)
        for number, (call, note) in enumerate(zip(calls, notes, strict=True), 1):
            assert call.get("role") == "doc-noteref" and call.getparent().tag == f"{{{NS['x']}}}sup"
            assert call.text == str(number)  # numbered per chapter, as in print
            assert by_id[call.get("href").removeprefix("#")] is note
            assert note.get("role") == "doc-footnote"
            back = note.findall('.//x:a[@role="doc-backlink"]', NS)
            assert len(back) == 1 and back[0].get("href") == f"#{call.get('id')}"
            assert back[0].text == str(number)
        total += len(calls)
    assert total == {"ebook": 4, "long_ebook": 3 * 23, "pictured_ebook": 2}[which]


@pytest.mark.parametrize("which", ["ebook", "long_ebook", "pictured_ebook"])
def test_ids_are_unique_across_the_book_and_links_resolve(which, request):
    book = request.getfixturevalue(which)
    ids = [(name, element.get("id")) for name, root in book.xhtml.items() for element in root.iter()
           if element.get("id") and name != "nav.xhtml"]
    assert len({id_ for _, id_ in ids}) == len(ids)
    where = {id_: name for name, id_ in ids}
    for name, root in book.xhtml.items():
        for link in root.iterfind(".//x:a[@href]", NS):
            target, _, fragment = link.get("href").partition("#")
            assert (target or name) in book.xhtml
            assert not fragment or where.get(fragment) == (target or name), (name, link.get("href"))


@pytest.mark.parametrize("which", ["ebook", "long_ebook", "pictured_ebook"])
def test_every_xhtml_file_has_its_language_and_a_title(which, request):
    book = request.getfixturevalue(which)
    for name, root in book.xhtml.items():
        assert root.get("lang") == root.get(XML_LANG) == "en-GB", name
        assert (root.findtext("x:head/x:title", namespaces=NS) or "").strip(), name
        assert root.find("x:head/x:link[@rel='stylesheet']", NS).get("href") == "css/epub.css"


@pytest.mark.parametrize("which", ["ebook", "pictured_ebook"])
def test_images_have_alt_text(which, request):
    book = request.getfixturevalue(which)
    images = [img for root in book.xhtml.values() for img in root.iter(f"{{{NS['x']}}}img")]
    assert images and all((img.get("alt") or "").strip() for img in images)


def test_typographic_cover_is_store_sized_and_named_in_the_package(ebook):
    (cover,) = [item for item in ebook.manifest.values() if item.get("properties") == "cover-image"]
    with Image.open(io.BytesIO(ebook.zip.read(f"EPUB/{cover.get('href')}"))) as image:
        assert image.size == (1600, 2560) and image.format == "PNG"
    img = ebook.xhtml["cover.xhtml"].find(".//x:img", NS)
    assert img.get("src") == cover.get("href")
    assert "The Industrialisation of Care" in img.get("alt") and "Nikolas Rose" in img.get("alt")
    meta = load_book(MANUSCRIPT).metadata
    assert typographic_cover(meta, Styles()) == typographic_cover(meta, Styles())  # same bytes every time


def test_a_manuscript_cover_images_maths_and_cross_links_go_into_the_package(pictured_ebook):
    book = pictured_ebook
    (cover,) = [item for item in book.manifest.values() if item.get("properties") == "cover-image"]
    assert cover.get("href") == "images/front.png"
    assert "images/square.png" in {item.get("href") for item in book.manifest.values()}
    square = book.xhtml["01-one.xhtml"].find('.//x:img[@src="images/square.png"]', NS)
    assert square.get("alt") == "A red square on white"
    link = book.xhtml["01-one.xhtml"].find('.//x:a[.="the second part"]', NS)
    assert link.get("href") == "02-two.xhtml#two-part"
    two = next(item for item in book.manifest.values() if item.get("href") == "02-two.xhtml")
    assert "mathml" in two.get("properties", "")
    assert book.xhtml["02-two.xhtml"].find(".//{http://www.w3.org/1998/Math/MathML}math") is not None
    assert set(book.meta("schema:accessMode")) == {"textual", "visual"}


def test_fonts_are_the_ones_the_stylesheet_names(ebook):
    css = Styles().stylesheet("epub.css").read_text(encoding="utf-8")
    named = set(re.findall(r"\.\./fonts/([\w-]+\.otf)", css))
    packaged = {Path(n).name for n in ebook.zip.namelist() if n.startswith("EPUB/fonts/")}
    assert packaged == named and named
    assert ebook.zip.read("EPUB/css/epub.css").decode("utf-8") == css


def test_fidelity_source_words_in_order(ebook):
    """Title page and chapters carry the source's words, in order; the notes carry its notes."""
    body, notes = source_text()
    title_line, _, running = body.partition("\n")
    title_page = ebook.xhtml["titlepage.xhtml"]
    title = [title_page.find(".//x:h1", NS), title_page.find('.//x:p[@class="subtitle"]', NS)]
    assert words(" ".join(html_text(e) for e in title)) == words(title_line)
    edition_notes, text = [], []
    for name in ebook.spine[4:]:
        root = ebook.xhtml[name]
        for aside in root.iterfind('.//x:aside[@epub:type="footnote"]', NS):
            edition_notes.append(words(html_text(aside))[1:])  # the number first
            aside.getparent().remove(aside)
        for added in root.xpath('.//x:sup[x:a[@epub:type="noteref"]] | .//*[contains(@class, "editorial")]'
                                '[not(self::x:section)]', namespaces=NS):
            _drop_keep_tail(added)
        text += words(html_text(root.find("x:body", NS)))
    assert text == words(running)
    assert edition_notes == [words(note) for note in notes]


def _drop_keep_tail(element) -> None:
    parent, previous = element.getparent(), element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + (element.tail or "")
    else:
        parent.text = (parent.text or "") + (element.tail or "")
    parent.remove(element)


def test_zip_is_reproducible_mimetype_first_and_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    first = build(MANUSCRIPT, tmp_path / "a", ("epub",), log=lambda line: None)[0]
    second = build(MANUSCRIPT, tmp_path / "b", ("epub",), log=lambda line: None)[0]
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[30:38] == b"mimetype"  # first entry, named right after the local header
    with zipfile.ZipFile(first) as package:
        infos = package.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert infos[0].extra == b"" and package.read("mimetype") == b"application/epub+zip"
        assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
        assert [i.filename for i in infos][1:3] == ["META-INF/container.xml", "EPUB/content.opf"]
    assert Epub(first).meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]


@pytest.mark.parametrize(("cover", "message"), [("images/missing.png", "does not exist"),
                                                 ("../outside.png", "outside the manuscript"),
                                                 ("notes.txt", "not an image Pillow can read")])
def test_a_cover_the_ebook_cannot_use_is_one_clear_error(tmp_path, cover, message):
    from publish.errors import ResourceError

    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\nText.\n"}, cover=cover)
    (root / "notes.txt").write_text("not an image", encoding="utf-8")
    (tmp_path / "outside.png").write_bytes(b"\x89PNG")
    with pytest.raises(ResourceError, match=message) as error:
        build(root, tmp_path / "out", ("epub",), log=lambda line: None)
    assert "book.yaml" in str(error.value) and "\n" not in str(error.value)
    assert not list((tmp_path / "out").glob("*.epub"))  # nothing half-written
