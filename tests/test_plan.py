"""The build plan, the edition registry and the cache keys: one table, one plan, one key per cached thing."""

from __future__ import annotations

import dataclasses
import json

import pytest

from publish import cache, cli, pandoc, plan, tools
from publish.book import load_book
from publish.build import build
from publish.check import Build
from publish.errors import ResourceError
from tests.conftest import make_manuscript

SCRIPT = "Text.\n\n<script>alert(1)</script>\n\nMore text.\n"


def _quiet(*_: object) -> None:
    return None


def _sanitised_book(tmp_path):
    return make_manuscript(tmp_path / "m", {"a.md": SCRIPT}, **{"raw-html": "sanitise"})


def _drop_sanitise(root) -> None:
    config = root / "book.yaml"
    config.write_text("".join(line for line in config.read_text().splitlines(keepends=True)
                              if not line.startswith("raw-html")))


@pytest.mark.parametrize("force", [False, True])
def test_a_stale_chapter_cache_never_hides_a_refusal(tmp_path, capsys, force):
    """sanitise → build → drop the line → rebuild: refused (exit 3), as a fresh folder would be."""
    root, out = _sanitised_book(tmp_path), tmp_path / "out"
    assert cli.main(["build", str(root), "-o", str(out), "-f", "html"]) == 0
    assert "<script" not in (out / "html" / "index.html").read_text().lower()
    _drop_sanitise(root)
    args = ["build", str(root), "-o", str(out), "-f", "html", *(["--force"] if force else [])]
    capsys.readouterr()
    assert cli.main(args) == ResourceError.exit_code == 3
    assert "<script>" in capsys.readouterr().err
    fresh = tmp_path / "fresh"
    assert cli.main(["build", str(root), "-o", str(fresh), "-f", "html"]) == 3


def test_force_parses_every_chapter_again(tmp_path, monkeypatch):
    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\nOne.\n", "b.md": "# B\n\nTwo.\n"})
    out = tmp_path / "out"
    build(root, out, ("html",), log=_quiet)
    parsed: list[str] = []
    real = pandoc.parse
    monkeypatch.setattr(pandoc, "parse", lambda text, path=None: parsed.append(text) or real(text, path))
    build(root, out, ("html",), log=_quiet)
    assert parsed == []  # nothing changed: every chapter read back from the cache
    build(root, out, ("html",), force=True, log=_quiet)
    assert sorted(parsed) == ["# A\n\nOne.\n", "# B\n\nTwo.\n"]


@pytest.mark.parametrize("tool", ["pandoc", "panflute"])
def test_another_tool_version_changes_every_key(tmp_path, monkeypatch, tool):
    root = make_manuscript(tmp_path / "m", {"a.md": "One.\n"})
    book = load_book(root)
    made = plan.make(root, tmp_path / "out", ("epub", "html"))
    before = cache.keys(made), cache.chapter_keys(made, book)
    real = tools.versions
    monkeypatch.setattr(tools, "versions", lambda: {**real(), tool: "0.0.1"})
    after = cache.keys(made), cache.chapter_keys(made, book)
    assert all(before[0][m] != after[0][m] for m in before[0])
    assert all(before[1][c] != after[1][c] for c in before[1])


def test_every_option_is_in_the_keys(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "One.\n"})
    book = load_book(root)
    base = plan.make(root, tmp_path / "out", ("pdf", "epub"))
    for change in ({"strict": True}, {"raw_html": "sanitise"}, {"editions": ("print", "epub")}):
        other = dataclasses.replace(base, **change)
        changed = {m for m in base.modules if cache.keys(base)[m] != cache.keys(other).get(m)}
        assert changed == ({"pdf"} if "editions" in change else {"pdf", "epub"}), change
    sanitise = dataclasses.replace(base, raw_html="sanitise")
    assert cache.chapter_keys(base, book) != cache.chapter_keys(sanitise, book)


def test_the_manifest_and_the_cache_read_one_list_of_tools(tmp_path):
    out = tmp_path / "out"
    build(make_manuscript(tmp_path / "m", {"a.md": "One.\n"}), out, ("html",), log=_quiet)
    recorded = json.loads((out / "manifest.json").read_text())["tools"]
    assert recorded == tools.versions()
    assert recorded["pandoc"] == pandoc.version_string() and "/" not in recorded["pandoc"]


def test_the_plan_is_immutable_and_checks_its_editions(tmp_path):
    made = plan.make(tmp_path, tmp_path / "out", ("html",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.strict = True  # type: ignore[misc]
    with pytest.raises(Exception, match="unknown format.*choose from pdf, print, epub, html"):
        plan.make(tmp_path, tmp_path / "out", ("docx",))
    assert plan.make(tmp_path, tmp_path / "out", ("print", "html", "pdf")).modules == ["pdf", "html"]


def test_each_edition_is_where_the_registry_says_for_build_and_check(tmp_path, capsys):
    out = tmp_path / "out"
    root = make_manuscript(tmp_path / "m", {"a.md": "One.\n"}, slug="reg")
    written = build(root, out, ("epub", "html"), log=_quiet)
    assert written == [out / plan.EDITIONS[name].path("reg") for name in ("epub", "html")]
    folder = Build(out)
    assert [folder.path(name) for name in ("epub", "html")] == written
    assert folder.path("pdf") is None and folder.relative("print") == "reg-print.pdf"
    with pytest.raises(SystemExit):
        cli.main(["build", "--help"])
    usage = capsys.readouterr().out
    assert all(name in usage and edition.label in usage for name, edition in plan.EDITIONS.items())
