"""The EPUB as reading systems read it: the author a library shows, the font a reader's CSS names.

The author is read the way calibre's OPF 3 reader does (``read_authors`` in
calibre's ``ebooks/metadata/opf3.py``): a ``dc:creator`` with role
refinements counts as an author only if its first ``marc:relators`` role is
``aut``; with none, the library shows "Unknown". The fonts are checked the way
calibre's "Check book" does: each ``@font-face`` family must be the family
name (name ID 1) in the font's own name table, read here with fontTools.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from tests.conftest import MANUSCRIPT, make_manuscript

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}")


def _opf(epub: Path) -> etree._Element:
    with zipfile.ZipFile(epub) as package:
        container = etree.fromstring(package.read("META-INF/container.xml"))
        path = container.find(".//{*}rootfile").get("full-path")
        return etree.fromstring(package.read(path))


def authors(opf: etree._Element) -> list[str]:
    """The authors a calibre-like library shows: creators whose first relator role is ``aut``, or unroled ones."""
    refines: dict[str, list[etree._Element]] = {}
    for meta in opf.iterfind(".//opf:metadata/opf:meta[@refines]", NS):
        refines.setdefault(meta.get("refines").lstrip("#"), []).append(meta)
    roled, unroled = [], []
    for creator in opf.iterfind(".//opf:metadata/dc:creator", NS):
        name = (creator.text or "").strip()
        roles = [m for m in refines.get(creator.get("id"), [])
                 if m.get("property") == "role" and (m.text or "").strip()]
        if not name:
            continue
        if not roles:
            unroled.append(name)
        elif roles[0].text.strip().lower() == "aut" and roles[0].get("scheme") in (None, "marc:relators"):
            roled.append(name)
    return roled or unroled


def roles(opf: etree._Element) -> list[str]:
    creator = opf.find(".//opf:metadata/dc:creator", NS)
    return [m.text for m in opf.iterfind(f'.//opf:meta[@refines="#{creator.get("id")}"][@property="role"]', NS)]


@pytest.fixture(scope="module")
def foreword_epub(build_book) -> Path:
    return next(build_book(MANUSCRIPT, ("epub",)).glob("*.epub"))


def test_a_library_shows_the_author_of_a_foreword_and_keeps_the_contribution(foreword_epub):
    opf = _opf(foreword_epub)
    assert authors(opf) == ["Nikolas Rose"]
    assert roles(opf) == ["aut", "aui"]  # the foreword (book.yaml's author-role) kept as a second refinement


def test_a_book_by_its_author_has_one_role(build_book, tmp_path_factory):
    root = make_manuscript(tmp_path_factory.mktemp("plain") / "m", {"01-one.md": "# One\n\nText.\n"})
    opf = _opf(next(build_book(root, ("epub",)).glob("*.epub")))
    assert authors(opf) == ["A. N. Author"] and roles(opf) == ["aut"]


def test_the_reader_above_refuses_a_creator_whose_first_role_is_not_aut():
    """The check can fail: the package this build wrote before (only ``aui``) reads as no author."""
    opf = etree.fromstring(
        b'<package xmlns="http://www.idpf.org/2007/opf"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b'<dc:creator id="c">N. R.</dc:creator><meta refines="#c" property="role" scheme="marc:relators">aui</meta>'
        b'</metadata></package>')
    assert authors(opf) == []


def test_every_font_face_family_is_the_name_in_its_font(foreword_epub):
    with zipfile.ZipFile(foreword_epub) as package:
        css = package.read("EPUB/css/epub.css").decode("utf-8")
        faces = FONT_FACE.findall(css)
        assert faces
        for face in faces:
            family = re.search(r'font-family:\s*"([^"]+)"', face)[1]
            url = re.search(r'url\("?\.\./([^")]+)"?\)', face)[1]
            font = TTFont(io.BytesIO(package.read(f"EPUB/{url}")))
            assert family == font["name"].getDebugName(1), url
            italic = bool(font["OS/2"].fsSelection & 1)
            assert ("font-style: italic" in face) == italic, url
            bold = font["OS/2"].usWeightClass >= 600
            assert ("font-weight: bold" in face or "font-weight: 700" in face) == bold, url
        body_family = re.search(r"body\s*{[^}]*font-family:\s*\"([^\"]+)\"", css)[1]
        assert body_family in {re.search(r'font-family:\s*"([^"]+)"', face)[1] for face in faces}
