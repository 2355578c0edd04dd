"""Hostile input, script in the editions: no spelling of an event handler or a script URL reaches a reader.

Raw HTML is judged as a browser reads it (character references decoded, ``/``
as an attribute separator); what is refused by default is removed by nh3 under
``raw-html: sanitise``; and ``publish check`` fails any edition that carries
an ``on*`` attribute or a script URL, whoever made it.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from publish.build import build
from publish.check import Build
from publish.check import active as check_active
from publish.errors import ResourceError
from tests.conftest import make_manuscript

HIDDEN = [
    '<a href="&#106;avascript:alert(1)">one</a>',
    '<a href="javascript&colon;alert(1)">two</a>',
    '<a href="java&#9;script:alert(1)">three</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">four</a>',
    '<a href=" JaVaScRiPt:alert(1)">five</a>',
    '<img src=images/ok.png alt="ok"/onload="alert(1)">',
    '<a/onmouseover="alert(1)">six</a>',
    '`<b onclick="alert(1)">seven</b>`{=HTML}',
    '`<b onclick="alert(1)">eight</b>`{=s5}',
    '<span style="background: u\\72 l(https://example.com/x.png)">nine</span>',
    '[ten](&#106;avascript:alert(1))',
    '<a href="data:text/html,<script>alert(1)</script>">eleven</a>',
    # fetching or changing the page rather than running script: refused the same way
    '<style>@import url(https://example.com/x.css);</style>',
    '<link rel="stylesheet" href="https://example.com/x.css">',
    '<base href="https://example.com/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<img src="images/ok.png" alt="ok" srcset="https://example.com/x.png 2x">',
    '<a href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+">twelve</a>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<svg><a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
]
# What no edition may carry, in any spelling a parser would accept once decoded.
LIVE = re.compile(r"\son[a-z]+\s*=|javascript|data:text|alert\(|u\\72", re.IGNORECASE)


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()



def _book(tmp_path: Path, text: str, **meta: object) -> Path:
    root = make_manuscript(tmp_path / "m", {"a.md": "# Title\n\nSome text.\n\n" + text + "\n"}, **meta)
    (root / "images").mkdir()
    (root / "images" / "ok.png").write_bytes(_png())
    return root


@pytest.mark.parametrize("hostile", HIDDEN)
def test_every_spelling_is_refused_naming_the_line(tmp_path, hostile):
    root = _book(tmp_path, hostile)
    with pytest.raises(ResourceError) as caught:
        build(root, tmp_path / "out", ("html",), log=lambda _: None)
    assert str(caught.value).startswith(f"{root / 'a.md'}: ") and "line 5" in str(caught.value)
    assert not (tmp_path / "out" / "html").exists()


def test_sanitised_editions_carry_no_handler_and_no_script_url(tmp_path):
    root = _book(tmp_path, "\n\n".join(HIDDEN), **{"raw-html": "sanitise"})
    build(root, tmp_path / "out", ("html", "epub"), log=lambda _: None)
    page = (tmp_path / "out" / "html" / "index.html").read_text()
    with zipfile.ZipFile(tmp_path / "out" / "a-test-book.epub") as epub:
        documents = [epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml")]
    for text in (page, *documents):
        assert not LIVE.search(text), LIVE.search(text)
    # the words stay; only what could run went, and links keep their text
    for word in ("one", "three", "six", "seven", "nine", "ten", "eleven"):
        assert re.search(rf">{word}<", page), word
    assert '<img src="images/ok.png" alt="ok"' in page


def test_harmless_markup_is_kept_as_written(tmp_path):
    root = _book(tmp_path, '<abbr title="National Health Service">NHS</abbr> and <a href="https://example.org/x?a=1&amp;b=2">'
                 'a link</a>, <span lang="fr" style="font-variant: small-caps">bien</span>.')
    build(root, tmp_path / "out", ("html",), log=lambda _: None)
    page = (tmp_path / "out" / "html" / "index.html").read_text()
    assert '<abbr title="National Health Service">' in page and "NHS</span></abbr>" in page
    assert 'href="https://example.org/x?a=1&amp;b=2">a link</a>' in page
    assert '<span lang="fr"><span class="smallcaps">bien</span></span>' in page  # pandoc reads the style


def test_check_fails_a_handler_or_script_url_in_any_edition(tmp_path, manuscript_copy):
    out = tmp_path / "out"
    build(manuscript_copy, out, ("html", "epub"), log=lambda _: None)
    assert [r.status for r in check_active.run(Build(out))] == ["PASS", "PASS"]
    # a received build, tampered with after it was made: the HTML through an attribute split by '/' …
    index = out / "html" / "index.html"
    index.write_text(index.read_text().replace("<p", '<p/onclick="alert(1)"', 1))
    # … and the EPUB through a character reference in an href
    epub_path = next(out.glob("*.epub"))
    tampered = tmp_path / "t.epub"
    with zipfile.ZipFile(epub_path) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".xhtml") and b"<p" in data:
                data = data.replace(b"<p", b'<p><a href="&#106;avascript:x">x</a></p><p', 1)
            target.writestr(info, data)
    shutil.move(tampered, epub_path)
    results = {r.name: r for r in check_active.run(Build(out))}
    assert results["html no-script"].status == "FAIL" and "onclick" in results["html no-script"].reason
    assert results["epub no-script"].status == "FAIL" and "javascript" in results["epub no-script"].reason


TAMPERED = {  # what a received build could carry in a page, each a way to run script without an on*= handler
    "script": "<script>alert(1)</script>",
    "script src": '<script src="evil.js"></script>',
    "iframe srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "object": '<object data="evil.html"></object>',
    "embed": '<embed src="evil.swf"/>',
    "refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"/>',
    "animated link": '<svg xmlns="http://www.w3.org/2000/svg"><a href="#x"><set attributeName="href" '
                     'to="javascript:alert(1)"/><text>x</text></a></svg>',
    "css expression": '<p style="width: expression(alert(1))">x</p>',
    "style element": "<style>p { behavior: url(evil.htc) }</style>",
    "svg data url": '<a href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">x</a>',
}


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    """A web book (four chapters: Pagefind's search script in it) and its EPUB, which check passes."""
    from tests.conftest import make_manuscript

    root = make_manuscript(tmp_path_factory.mktemp("m") / "m",
                           {f"{n}.md": f"# Chapter {n}\n\nText of chapter {n}.\n" for n in "abcd"})
    out = tmp_path_factory.mktemp("out") / "out"
    build(root, out, ("html", "epub"), log=lambda _: None)
    assert [r.status for r in check_active.run(Build(out))] == ["PASS", "PASS"]
    assert "pagefind-ui.js" in (out / "html" / "index.html").read_text()  # the toolchain's own script passes
    return out


@pytest.mark.parametrize("what", sorted(TAMPERED))
def test_check_fails_any_script_in_any_edition(clean_build, tmp_path, what):
    out = shutil.copytree(clean_build, tmp_path / "out")
    page = next((out / "html").glob("0*.html"))
    page.write_text(page.read_text().replace("</main>", TAMPERED[what] + "</main>", 1))
    epub_path = next(out.glob("*.epub"))
    tampered = tmp_path / "t.epub"
    with zipfile.ZipFile(epub_path) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".xhtml") and b"</section>" in data:
                data = data.replace(b"</section>", TAMPERED[what].encode() + b"</section>", 1)
            target.writestr(info, data)
    shutil.move(tampered, epub_path)
    results = {r.name: r for r in check_active.run(Build(out))}
    assert results["html no-script"].status == "FAIL", results["html no-script"]
    assert results["epub no-script"].status == "FAIL", results["epub no-script"]
