"""Hostile input, images: every image verified before any edition carries it, or refused at file:line."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from publish.build import build
from publish.errors import ResourceError
from tests.conftest import make_manuscript


def _quiet(*_: object) -> None:
    return None


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A few hundred bytes claiming ten billion pixels (the IDAT would inflate without end)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * 65536, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
       'height="10">{}</svg>')
HOSTILE = {
    "bomb.png": (png_bomb(), "decompression bomb"),
    "truncated.jpg": (jpeg()[:400], "corrupt"),
    "text.png": (b"not an image at all", "not an image"),
    "file.svg": (SVG.format('<image xlink:href="file:///etc/passwd"/>').encode(), "refers to something outside"),
    "http.svg": (SVG.format('<image href="http://example.com/x.png"/>').encode(), "refers to something outside"),
    "up.svg": (SVG.format('<use href="../secret.svg#a"/>').encode(), "refers to something outside"),
    "css.svg": (SVG.format('<rect style="fill: url(https://example.com/p)"/>').encode(), "outside"),
    "import.svg": (SVG.format("<style>@import 'https://example.com/x.css';</style>").encode(), "outside"),
    "entity.svg": (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   + SVG.format("<text>&x;</text>").encode(), "entities"),
    "script.svg": (SVG.format("<script>alert(1)</script>").encode(), "<script>"),
    "onload.svg": (SVG.format('<rect onload="alert(1)"/>').encode(), "handler"),
    "foreign.svg": (SVG.format("<foreignObject><p>x</p></foreignObject>").encode(), "foreignObject"),
    "set.svg": (SVG.format('<a href="#r"><set attributeName="href" to="javascript:alert(1)"/><rect id="r"/></a>')
                .encode(), "animates a link"),
    "animate.svg": (SVG.format('<a><animate attributeName="xlink:href" values="javascript:alert(1)"/></a>').encode(),
                    "animates a link"),
    "stylesheet-pi.svg": (b'<?xml-stylesheet href="https://example.com/x.css"?>' + SVG.format("").encode(),
                          "processing instruction"),
    "xinclude.svg": (SVG.format('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" '
                                'parse="text"/>').encode(), "outside"),
    "photo.png": (jpeg(), "is a JPEG image named .png: name it .jpg"),  # an EPUB would type it image/png
    "drawing.png": (SVG.format("<rect/>").encode(), "without the .svg suffix"),
    "data-svg.svg": (SVG.format('<image href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+"/>')
                     .encode(), "outside"),
}


def _book(tmp_path: Path, name: str, data: bytes) -> Path:
    root = make_manuscript(tmp_path / "m", {"a.md": f"# A\n\n![A figure](images/{name})\n\nMore text.\n"})
    (root / "images").mkdir()
    (root / "images" / name).write_bytes(data)
    return root


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_or_broken_image_is_refused_at_its_line(tmp_path, name):
    data, expected = HOSTILE[name]
    root = _book(tmp_path, name, data)
    with pytest.raises(ResourceError) as caught:
        build(root, tmp_path / "out", ("html", "epub"), log=_quiet)
    message = str(caught.value)
    assert message.startswith(f"{root / 'a.md'}:3: image 'images/{name}'") and expected in message, message
    assert not (tmp_path / "out" / "html").exists() and not list((tmp_path / "out").glob("*.epub"))


def test_the_same_image_as_a_cover_is_refused_naming_book_yaml(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\nText.\n"}, cover="images/bomb.png")
    (root / "images").mkdir()
    (root / "images" / "bomb.png").write_bytes(png_bomb())
    with pytest.raises(ResourceError, match="decompression bomb") as caught:
        build(root, tmp_path / "out", ("epub",), log=_quiet)
    assert str(caught.value).startswith(str(root / "book.yaml"))


def test_good_images_reach_every_edition(tmp_path):
    gradient = ('<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>'
                '<rect width="10" height="10" fill="url(#g)"/><use href="#g"/>')
    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\n![Photo](images/p.jpg)\n\n![Drawing](images/d.svg)\n"})
    (root / "images").mkdir()
    (root / "images" / "p.jpg").write_bytes(jpeg())
    (root / "images" / "d.svg").write_text(
        '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + SVG.format(gradient))
    build(root, tmp_path / "out", ("html", "epub"), log=_quiet)
    page = (tmp_path / "out" / "html" / "index.html").read_text()
    assert 'src="images/p.jpg"' in page and 'src="images/d.svg"' in page
    assert (tmp_path / "out" / "html" / "images" / "d.svg").is_file()
    with zipfile.ZipFile(tmp_path / "out" / "a-test-book.epub") as epub:
        names = epub.namelist()
    assert any(n.endswith("p.jpg") for n in names) and any(n.endswith("d.svg") for n in names)
