"""The benchmark's generated books are the sizes issue 20 names (the 10,000-note book has 10,000 notes)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench  # noqa: E402


def _notes(manuscript: Path) -> int:
    return sum(path.read_text(encoding="utf-8").count("]: A note") for path in manuscript.glob("*.md"))


def test_the_many_note_book_has_ten_thousand_notes(tmp_path):
    manuscript = bench.make_manuscript(tmp_path / "notes", 0, notes_per_paragraph=4, notes=10_000)
    assert _notes(manuscript) == 10_000
    calls = sum(len(bench.CALL.findall(path.read_text(encoding="utf-8"))) for path in manuscript.glob("*.md"))
    assert calls == 2_500  # one "Paragraph N." call per paragraph, four notes each


def test_a_note_count_that_does_not_divide_is_refused(tmp_path):
    with pytest.raises(ValueError):
        bench.make_manuscript(tmp_path / "odd", 0, notes_per_paragraph=4, notes=10_001)


def test_page_sizes_scale_with_pages(tmp_path):
    small = _notes(bench.make_manuscript(tmp_path / "a", 100))
    large = _notes(bench.make_manuscript(tmp_path / "b", 300))
    assert 2.5 < large / small < 3.5
