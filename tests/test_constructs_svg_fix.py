"""An author's SVG that would fail epubcheck is repaired, and the repair named (issue 16): svg_fix.py.

Fast: the repair itself, on SVG written here. The built book (tests/data/oddities, whose
images/pipes.svg has such faults) is checked in test_constructs_r2.py.
"""

from __future__ import annotations

from lxml import etree

from publish import images, svg_fix

SVG = "http://www.w3.org/2000/svg"
FAULTY = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
          b'<defs><linearGradient id="shade(1)"/></defs>'
          b'<rect id="box" fill="url(&quot;#shade(1)&quot;)" stroke="url(#gone) red" style="fill: url(#lost)"/>'
          b'<use xlink:href="#shade(1)"/><use href="#nowhere"/></svg>')


def _ids_and_references(data: bytes) -> tuple[set[str], set[str]]:
    root = etree.fromstring(data)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    text = data.decode()
    import re

    references = set(re.findall(r"url\(#([^)]*)\)", text)) | set(re.findall(r'href="#([^"]*)"', text))
    return ids, references


def test_an_id_that_is_no_xml_name_is_renamed_and_its_references_follow():
    repaired, messages = svg_fix.repair(FAULTY, "images/x.svg")
    ids, references = _ids_and_references(repaired)
    assert all(svg_fix.XML_NAME.match(ident) for ident in ids)
    assert "shade-1" in ids and "url(#shade-1)" in repaired.decode() and 'href="#shade-1"' in repaired.decode()
    assert references <= ids  # every reference left points at something the file defines
    assert any("images/x.svg" in m and "'shade(1)'" in m and "'shade-1'" in m for m in messages)


def test_a_reference_to_nothing_is_removed_as_a_browser_draws_it_and_named():
    repaired, messages = svg_fix.repair(FAULTY, "images/x.svg")
    text = repaired.decode()
    assert 'stroke="red"' in text  # the fallback paint a browser uses
    assert "fill: none" in text  # no fallback: nothing, as a browser draws it
    assert "#nowhere" not in text and "#gone" not in text and "#lost" not in text
    for fragment in ("gone", "lost", "nowhere"):
        assert any(f"#{fragment}" in m and "images/x.svg" in m for m in messages)


def test_a_sound_svg_is_carried_byte_for_byte_and_silently():
    sound = b'<svg xmlns="http://www.w3.org/2000/svg"><defs><g id="a"/></defs><use href="#a" fill="url(#a)"/></svg>'
    assert svg_fix.repair(sound, "images/ok.svg") == (sound, [])


def test_a_renamed_id_never_takes_a_name_already_used():
    data = b'<svg xmlns="http://www.w3.org/2000/svg"><g id="p-1"/><g id="p(1)"/><use href="#p(1)"/></svg>'
    repaired, _ = svg_fix.repair(data, "x.svg")
    ids, references = _ids_and_references(repaired)
    assert len(ids) == 2 and references <= ids and "p-1" in ids


def test_an_svg_may_embed_a_raster_image_and_carry_an_editors_attributes():
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    png = base64.b64encode(buffer.getvalue()).decode()
    embedded = (f'<svg xmlns="{SVG}"><image href="data:image/png;base64,{png}" width="4" height="4"/>'
                f'<path only_selected="false" d="M0 0"/></svg>').encode()
    assert images.svg_problem(embedded) is None
    # still refused: a handler, a document that is not an image, an embedded image that is corrupt
    assert "handler" in images.svg_problem(f'<svg xmlns="{SVG}"><g onclick="x()"/></svg>'.encode())
    assert images.svg_problem(f'<svg xmlns="{SVG}"><image href="data:text/html,hi"/></svg>'.encode())
    corrupt = base64.b64encode(b"\x89PNG\r\n\x1a\nnot a png").decode()
    assert images.svg_problem(f'<svg xmlns="{SVG}"><image href="data:image/png;base64,{corrupt}"/></svg>'.encode())
