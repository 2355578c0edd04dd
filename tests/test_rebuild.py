"""A rebuild after an edit makes the very bytes a fresh build makes: every cache it reads is keyed by all it uses.

The bar for every cache (chapter ASTs, PDF parts, the page-list's page
lines, the editions' chapter files): build, change one word of one chapter,
build again into the same folder, and compare every output, byte for byte,
with a ``--force`` build of the same sources into another folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.build import build
from tests.conftest import long_manuscript

EDITIONS = ("pdf", "print", "epub", "html")
CACHES = (".publish-cache", ".publish-cache.json")  # the build's own records, not outputs


def _build(manuscript: Path, out: Path, **options) -> list[str]:
    lines: list[str] = []
    build(manuscript, out, EDITIONS, log=lines.append, **options)
    return lines


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file the build left in *out* but its caches, by its path in the folder."""
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and path.relative_to(out).parts[0] not in CACHES}


def _differing(one: dict[str, bytes], other: dict[str, bytes]) -> list[str]:
    return sorted(name for name in one.keys() | other.keys() if one.get(name) != other.get(name))


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """A five-chapter book built, edited (one word of its third chapter, the second time with a letter the
    book had not drawn), rebuilt after each edit; with a fresh ``--force`` build after each."""
    root = tmp_path_factory.mktemp("rebuild")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the manuscript lies outside git
        manuscript = long_manuscript(root / "book", chapters=5, paragraphs=12)
        chapter = manuscript / "03-chapter.md"
        out = root / "out"
        _build(manuscript, out)
        steps = []
        # a word for one the book has; then one with letters (Z, z) the book had not drawn
        for old, new in (("argument", "reasoning"), ("reasoning", "Zugzwang")):
            chapter.write_text(chapter.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
            lines = _build(manuscript, out)
            rebuilt = _outputs(out)
            fresh = root / f"fresh-{new}"
            _build(manuscript, fresh, force=True)
            steps.append((lines, rebuilt, _outputs(fresh)))
        yield steps


def test_every_output_of_a_rebuild_after_an_edit_is_the_fresh_builds(edited):
    for lines, rebuilt, fresh in edited:
        assert not any(line.endswith("(unchanged)") for line in lines)  # every edition was made again
        assert {"manifest.json", "long-test-book.pdf", "long-test-book-print.pdf", "long-test-book.epub",
                "html/index.html"} <= set(rebuilt)
        assert _differing(rebuilt, fresh) == []


def test_the_edit_is_in_every_edition(edited):
    (_, first, _), (_, second, _) = edited
    for outputs, word in ((first, b"reasoning"), (second, b"Zugzwang")):
        assert any(word in data for name, data in outputs.items() if name.startswith("html/") and
                   name.endswith(".html"))


def test_a_word_no_line_can_hold_fails_a_strict_build_while_the_pdf_is_laid_out(tmp_path):
    """Looked for once the PDF worker has the book: a strict build still fails on it, and publishes nothing."""
    import multiprocessing

    from publish.errors import ManuscriptError
    from tests.conftest import make_manuscript

    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\nBefore " + "abcdefghij" * 20 + " after.\n"})
    with pytest.raises(ManuscriptError, match="200 characters with nowhere to break"):
        build(root, tmp_path / "out", EDITIONS, strict=True, log=lambda _: None)
    assert not [path for path in (tmp_path / "out").glob("*") if not path.name.startswith(".")]
    assert multiprocessing.active_children() == []  # the PDF worker is gone
