"""Rebuilds do only what changed; the PDF layout runs beside the other editions; heavy imports stay lazy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from publish import styles as publish_styles
from publish.build import build
from tests.conftest import REPO, make_manuscript


def _build(root, out, formats=("epub", "html"), **options):
    lines: list[str] = []
    build(root, out, formats, log=lines.append, **options)
    return lines


@pytest.fixture
def small(tmp_path):
    return make_manuscript(tmp_path / "m", {"a.md": "# One\n\nText with a note.[^1]\n\n[^1]: The note.\n"})


def test_nothing_changed_nothing_rebuilt(small, tmp_path):
    out = tmp_path / "out"
    first = _build(small, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    second = _build(small, out)
    assert not any("unchanged" in line for line in first)
    assert second and all(line.endswith("(unchanged)") for line in second)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_a_changed_word_rebuilds_and_force_rebuilds_all(small, tmp_path):
    out = tmp_path / "out"
    _build(small, out)
    (small / "a.md").write_text("# One\n\nText with a word.[^1]\n\n[^1]: The note.\n")
    changed = _build(small, out)
    assert not any("unchanged" in line for line in changed)
    assert "a word." in (out / "html" / "index.html").read_text()
    forced = _build(small, out, force=True)
    assert not any("unchanged" in line for line in forced)


def test_a_stylesheet_change_rebuilds_only_its_edition(small, tmp_path, monkeypatch):
    # the styles copy lies outside git: pin the date, which would otherwise come from git
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "out"
    _build(small, out)
    styles = tmp_path / "styles"
    import shutil

    shutil.copytree(publish_styles.DEFAULT, styles)
    (styles / "web.css").write_text((styles / "web.css").read_text() + "\n/* changed */\n")
    lines = _build(small, out, styles=publish_styles.Styles(styles))
    assert [line.split()[0] for line in lines if not line.endswith("(unchanged)")] == ["html"]


def test_a_touched_output_is_rebuilt(small, tmp_path):
    out = tmp_path / "out"
    _build(small, out)
    (out / "html" / "index.html").write_text("tampered")
    lines = _build(small, out)
    assert [line.split()[0] for line in lines if not line.endswith("(unchanged)")] == ["html"]
    assert "tampered" not in (out / "html" / "index.html").read_text()


def _imported(*args: str) -> set[str]:
    code = ("import sys, runpy; sys.argv = ['publish', *sys.argv[1:]];\n"
            "try:\n    runpy.run_module('publish', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO)
    return set(done.stdout.split())


@pytest.mark.parametrize("args", [("build", "-f", "epub,html", "-o", "{out}"), ("lint", "manuscript")])
def test_weasyprint_is_not_imported_unless_a_pdf_is_asked_for(tmp_path, args):
    modules = _imported(*(a.format(out=tmp_path / "out") for a in args))
    assert "publish" in modules and "weasyprint" not in modules


@pytest.mark.slow
def test_all_editions_with_the_pdf_in_a_forked_process(tmp_path, small):
    lines = _build(small, tmp_path / "out", formats=("pdf", "print", "epub", "html"))
    assert sorted(line.split()[0] for line in lines) == ["epub", "html", "pdf", "pdf"]
    assert (tmp_path / "out" / "a-test-book-print.pdf").stat().st_size > 1000


def test_a_changed_chapter_is_the_only_one_parsed_again(tmp_path, monkeypatch):
    from publish import pandoc

    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\nOne.\n", "b.md": "# B\n\nTwo.\n"})
    out = tmp_path / "out"
    _build(root, out, formats=("html",))
    parsed: list[str] = []
    real = pandoc.parse
    monkeypatch.setattr(pandoc, "parse", lambda text, path=None: parsed.append(text) or real(text, path))
    (root / "b.md").write_text("# B\n\nTwo words.\n")
    _build(root, out, formats=("html",))
    assert parsed == ["# B\n\nTwo words.\n"]
    page = (out / "html" / "index.html").read_text()
    assert "One." in page and "Two words." in page


def test_manifest_follows_the_formats_asked_for(small, tmp_path):
    import json

    out = tmp_path / "out"
    _build(small, out, formats=("epub", "html"))
    _build(small, out, formats=("html",))
    assert json.loads((out / "manifest.json").read_text())["formats"] == ["html"]
