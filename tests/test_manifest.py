"""build/manifest.json: every output with its hash, the sources' hash, the tools, the fonts, the date, the trim."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from publish import manifest, pandoc
from publish.styles import DEFAULT as STYLES
from tests.conftest import MANUSCRIPT


@pytest.fixture(scope="module")
def html_build(build_book):
    out = build_book(formats=("html",))
    return out, json.loads((out / "manifest.json").read_text())


def test_every_output_is_listed_with_its_hash_and_size(html_build):
    out, record = html_build
    listed = {entry["path"]: entry for entry in record["outputs"]}
    on_disk = {p.relative_to(out).as_posix() for p in (out / "html").rglob("*") if p.is_file()}
    assert set(listed) == on_disk
    for path, entry in listed.items():
        data = (out / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)


def test_the_manifest_names_what_made_the_build(html_build):
    out, record = html_build
    assert record["manuscript"] == str(MANUSCRIPT)  # as given to the build
    assert record["formats"] == ["html"]
    assert record["trim"] == {"width_mm": 156.0, "height_mm": 234.0, "bleed_mm": 3.0}
    assert record["tools"]["pandoc"] == pandoc.version_string()
    for tool in ("weasyprint", "ebooklib", "panflute"):
        assert re.fullmatch(r"\d+(\.\d+)*", record["tools"][tool]), tool
    fonts = {font["file"]: font for font in record["fonts"]}
    assert set(fonts) == {p.name for p in (STYLES / "fonts").glob("*.otf")}
    assert fonts["EBGaramond12-Regular.otf"]["name"] == "EB Garamond 12 Regular"
    assert fonts["EBGaramond12-Regular.otf"]["version"].startswith("Version ")
    assert isinstance(record["source_date_epoch"], int)
    assert str(out) not in (out / "manifest.json").read_text()  # nothing of the build folder's own place


def test_the_sources_hash_covers_manuscript_and_styles_in_a_stable_order(manuscript_copy, tmp_path):
    first = manifest.sources(manuscript_copy, tmp_path / "out")
    assert [e["path"] for e in first["manuscript"]] == ["about-the-author.md", "book.yaml", "foreword.md"]
    assert any(e["path"] == "fonts/EBGaramond12-Regular.otf" for e in first["styles"])
    assert manifest.sources(manuscript_copy, tmp_path / "out") == first
    chapter = manuscript_copy / "foreword.md"
    chapter.write_text(chapter.read_text() + "\nOne more line.\n")
    assert manifest.sources(manuscript_copy, tmp_path / "out")["sha256"] != first["sha256"]


def test_a_build_folder_inside_the_manuscript_is_not_a_source(manuscript_copy):
    out = manuscript_copy / "build"
    out.mkdir()
    (out / "stale.pdf").write_bytes(b"%PDF-1.7")
    paths = [e["path"] for e in manifest.sources(manuscript_copy, out)["manuscript"]]
    assert "build/stale.pdf" not in paths


@pytest.mark.slow
def test_pdfs_are_listed_with_their_page_count(build_book):
    from pypdf import PdfReader

    out = build_book(formats=("pdf", "print", "epub", "html"))
    record = json.loads((out / "manifest.json").read_text())
    listed = {entry["path"]: entry for entry in record["outputs"]}
    slug = record["book"]["slug"]
    assert {f"{slug}.pdf", f"{slug}-print.pdf", f"{slug}.epub", "html/index.html"} <= set(listed)
    for name in (f"{slug}.pdf", f"{slug}-print.pdf"):
        assert listed[name]["pages"] == len(PdfReader(out / name).pages) > 4
    assert "pages" not in listed[f"{slug}.epub"]


def test_page_count_reads_a_pdf_and_refuses_quietly_what_is_not_one(tmp_path):
    import pikepdf

    from publish.manifest import page_count

    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page()
    pdf.save(tmp_path / "three.pdf")
    (tmp_path / "not.pdf").write_bytes(b"not a PDF at all")
    assert page_count(tmp_path / "three.pdf") == 3
    assert page_count(tmp_path / "not.pdf") is None
