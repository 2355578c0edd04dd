"""Hostile and broken input: clear errors, nothing lost, nothing read or fetched that should not be."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from publish import build as build_module
from publish import pandoc
from publish.build import build
from publish.errors import OutputError, ResourceError, ToolError
from tests.conftest import REPO, make_manuscript


def _quiet(*_: object) -> None:
    return None


def _book(tmp_path: Path, text: str, **meta: object) -> Path:
    return make_manuscript(tmp_path / "m", {"a.md": text}, **meta)


# images -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/etc/passwd", "absolute path"),
        ("../secret.png", "outside the manuscript folder"),
        ("images/../../secret.png", "outside the manuscript folder"),
        ("file:///etc/passwd", "file:// URL"),
        ("https://example.com/x.png", "remote: the build works offline"),
        ("images/missing.png", "does not exist"),
    ],
)
def test_images_outside_or_absent_are_refused(tmp_path, url, expected):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    root = _book(tmp_path, f"Text.\n\n![A figure]({url})\n")
    with pytest.raises(ResourceError) as caught:
        build(root, tmp_path / "out", ("html",), log=_quiet)
    message = str(caught.value)
    assert expected in message and url in message and message.startswith(f"{root / 'a.md'}:3:")


def test_symlink_leading_out_is_refused(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    root = _book(tmp_path, "![A figure](images/link.png)\n")
    (root / "images").mkdir()
    (root / "images" / "link.png").symlink_to(tmp_path / "secret.png")
    with pytest.raises(ResourceError, match="outside the manuscript folder"):
        build(root, tmp_path / "out", ("html",), log=_quiet)


# raw HTML ---------------------------------------------------------------------

ACTIVE = (
    "Text.\n\n<script>alert(1)</script>\n\n"
    'A <span onclick="steal()">span</span> and <a href="javascript:alert(2)">a link</a>.\n\n'
    '<iframe src="https://example.com"></iframe>\n\n[md link](javascript:alert(3))\n'
)


def test_active_raw_html_is_refused_with_locations(tmp_path):
    root = _book(tmp_path, ACTIVE)
    with pytest.raises(ResourceError) as caught:
        build(root, tmp_path / "out", ("html",), log=_quiet)
    message = str(caught.value)
    for part in ("<script>", "onclick= attribute", "javascript: URL", "<iframe>", "line 3", "line 5", "line 7"):
        assert part in message


def test_sanitise_option_strips_active_html_everywhere(tmp_path):
    root = _book(tmp_path, ACTIVE, **{"raw-html": "sanitise"})
    build(root, tmp_path / "out", ("html",), log=_quiet)
    page = (tmp_path / "out" / "html" / "index.html").read_text().lower()
    for bad in ("<script", "onclick", "javascript:", "<iframe", "alert("):
        assert bad not in page
    assert "span</span>" in page and "md link" in page


def test_unknown_elements_are_refused_or_stripped(tmp_path):
    root = _book(tmp_path, "Some <stuff>made up</stuff> markup.\n")
    with pytest.raises(ResourceError, match="unknown element <stuff>"):
        build(root, tmp_path / "out", ("html",), log=_quiet)
    (root / "book.yaml").write_text((root / "book.yaml").read_text() + "raw-html: sanitise\n")
    build(root, tmp_path / "out", ("html",), log=_quiet)
    assert "Some made up markup." in (tmp_path / "out" / "html" / "index.html").read_text()


def test_harmless_raw_html_passes(tmp_path):
    root = _book(tmp_path, "Line<br>break and <span class=\"x\">kept</span>.\n")
    build(root, tmp_path / "out", ("html",), log=_quiet)
    assert '<span class="x">kept</span>' in (tmp_path / "out" / "html" / "index.html").read_text()


# tools and output folder --------------------------------------------------------


@pytest.fixture
def fake_pandoc(tmp_path, monkeypatch):
    def _install(script: str) -> None:
        path = tmp_path / "pandoc"
        path.write_text(script)
        path.chmod(0o755)
        monkeypatch.setenv("PUBLISH_PANDOC", str(path))
        pandoc.executable.cache_clear()
        pandoc.version.cache_clear()

    yield _install
    monkeypatch.delenv("PUBLISH_PANDOC")
    pandoc.executable.cache_clear()
    pandoc.version.cache_clear()


def test_pandoc_too_old(tmp_path, fake_pandoc):
    fake_pandoc("#!/bin/sh\necho 'pandoc 2.5'\n")
    root = _book(tmp_path, "Text.\n")
    with pytest.raises(ToolError, match=r"pandoc 2\.5 .* is too old: 3\.1 or newer"):
        build(root, tmp_path / "out", ("html",), log=_quiet)


def test_pandoc_missing(tmp_path, fake_pandoc):
    fake_pandoc("#!/bin/sh\nexit 127\n")
    os.environ["PUBLISH_PANDOC"] = str(tmp_path / "nowhere" / "pandoc")
    root = _book(tmp_path, "Text.\n")
    with pytest.raises(ToolError, match="does not run"):
        build(root, tmp_path / "out", ("html",), log=_quiet)


def test_output_folder_that_cannot_be_made(tmp_path):
    (tmp_path / "a-file").write_text("")
    root = _book(tmp_path, "Text.\n")
    with pytest.raises(OutputError, match="cannot create the output folder"):
        build(root, tmp_path / "a-file" / "out", ("html",), log=_quiet)


# nothing lost -----------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    return {str(p.relative_to(folder)): p.read_bytes() for p in files if p.relative_to(folder).parts[0][0] != "."}


def test_failed_build_leaves_previous_outputs_untouched(tmp_path, monkeypatch, manuscript_copy):
    out = tmp_path / "out"
    build(manuscript_copy, out, ("html",), log=_quiet)
    before = _snapshot(out)
    (manuscript_copy / "foreword.md").write_text(
        (manuscript_copy / "foreword.md").read_text().replace("If only", "If ever"), encoding="utf-8")
    from publish.editions import html

    def failing_assets(folder: Path, *_styles) -> None:
        (folder / "web.css").write_text("half a file")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(html, "_copy_assets", failing_assets)
    with pytest.raises(OSError, match="simulated"):
        build(manuscript_copy, out, ("html",), log=_quiet)
    assert _snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.endswith((".tmp", ".old"))]


def test_two_builds_into_one_folder_at_once(tmp_path, manuscript_copy):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "publish", "build", str(manuscript_copy), "-o", str(out), "-f", "html"]
    runs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    assert (out / "html" / "index.html").read_text().count('<aside id="foreword-note-') == 4  # each note once
    leftovers = [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".old"))]
    assert leftovers == [] and (out / "html" / "web.css").is_file()


def test_unknown_edition_module_is_not_imported(monkeypatch):
    called = []
    monkeypatch.setattr(build_module.importlib, "import_module", lambda name: called.append(name))
    with pytest.raises(Exception, match="unknown format"):
        build(Path("manuscript"), Path("unused"), ("nonsense",), log=_quiet)
    assert called == []


@pytest.mark.slow
def test_build_failing_after_the_epub_is_written_leaves_every_output_as_it_was(tmp_path, monkeypatch,
                                                                                 manuscript_copy):
    out = tmp_path / "out"
    build(manuscript_copy, out, log=_quiet)
    before = _snapshot(out)
    chapter = manuscript_copy / "foreword.md"
    chapter.write_text(chapter.read_text().replace("If only", "If ever"), encoding="utf-8")
    from publish.editions import epub, html

    written: list[Path] = []
    real_epub = epub.write
    monkeypatch.setattr(epub, "write", lambda *args: written.extend(real_epub(*args)) or written[-1:])

    def failing_html(*_args):
        assert written and written[0].is_file()  # the new EPUB exists (in the staging folder)
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(html, "write", failing_html)
    with pytest.raises(OSError, match="simulated"):
        build(manuscript_copy, out, log=_quiet)
    assert _snapshot(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".staging")] == []


def test_weasyprint_system_libraries_missing_names_the_apt_packages(monkeypatch):
    import importlib

    from publish import weasy

    def no_pango(name):
        raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(importlib, "import_module", no_pango)
    with pytest.raises(ToolError) as caught:
        weasy.load()
    assert str(caught.value) == (
        "WeasyPrint cannot load its system libraries (cannot load library 'libpango-1.0-0'): "
        "install them with 'apt-get install libpango-1.0-0 libpangoft2-1.0-0'"
    )


# reading EPUBs made by someone else -------------------------------------------------


def _hostile_epub(path: Path, spine_href: str, document: bytes) -> Path:
    import zipfile

    container = (b'<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:'
                 b'container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/'
                 b'oebps-package+xml"/></rootfiles></container>')
    opf = (f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest>'
           f'<item id="c" href="{spine_href}" media-type="application/xhtml+xml"/></manifest>'
           f'<spine><itemref idref="c"/></spine></package>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as epub:
        epub.writestr("mimetype", "application/epub+zip")
        epub.writestr("META-INF/container.xml", container)
        epub.writestr("OEBPS/content.opf", opf)
        epub.writestr(spine_href.replace("../", "") if "../" in spine_href else f"OEBPS/{spine_href}", document)
    return path


def test_check_reads_a_zip_bomb_within_a_cap(tmp_path):
    from publish.check import epub as check_epub
    from publish.errors import CheckFailed

    bomb = _hostile_epub(tmp_path / "bomb.epub", "c.xhtml", b"<html>" + b" " * (40 * 2**20) + b"</html>")
    assert bomb.stat().st_size < 2**20  # 40 MB of spaces deflates to a few tens of KB
    with pytest.raises(CheckFailed, match="over 32 MB"):
        check_epub.documents(bomb)


def test_check_never_writes_or_reads_outside_the_epub(tmp_path):
    from publish.check import epub as check_epub
    from publish.errors import CheckFailed

    (tmp_path / "outside.xhtml").write_text("<html>secret</html>")
    book = _hostile_epub(tmp_path / "escape.epub", "../../outside.xhtml", b"<html>inside</html>")
    before = sorted(p.name for p in tmp_path.iterdir())
    try:
        texts = ["".join(root.itertext()) for root in check_epub.documents(book)]
    except CheckFailed:
        texts = []
    assert "secret" not in "".join(texts)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_check_does_not_expand_external_entities(tmp_path):
    from publish.check import epub as check_epub

    (tmp_path / "secret.txt").write_text("top secret")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file://{tmp_path}/secret.txt">]>'
           "<html><body><p>&x;</p></body></html>").encode()
    book = _hostile_epub(tmp_path / "xxe.epub", "c.xhtml", xxe)
    texts = "".join("".join(root.itertext()) for root in check_epub.documents(book))
    assert "top secret" not in texts


def test_a_killed_builds_staging_folder_is_cleared_by_the_next(tmp_path, manuscript_copy):
    out = tmp_path / "out"
    (out / ".staging-killed").mkdir(parents=True)
    (out / ".staging-killed" / "half.epub").write_bytes(b"PK")
    build(manuscript_copy, out, ("html",), log=_quiet)
    assert not list(out.glob(".staging-*"))
