"""``publish lint`` never fails on odd Markdown, and every place it names exists in the source."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.book import load_book
from publish.lint import lint
from tests.conftest import make_manuscript

PIECES = [
    "word", "Word", " ", "  ", "\n", "\n\n", "\u00a0", ".", ",", "...", "‘", "’", "“", "”", "'", '"', "(", ")",
    "[", "]", "`", "``", "*", "_", "[^1]", "[^2]", "^[inline]", "\n\n[^1]: ", "\n\n    ", "# ", "> ", "- ",
    "| ", "::: div\n", "```\n", "---\n", "<!-- c -->", "<b>", "https://x.org/a-b", "[t](u)", "{#id}", "\\", "\\[",
    "$x$", " - ", "--", "1980-1990", "the the", "s’ ", "’s", "\t", "realize", "organise", "short term", "short-term",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40))
def test_any_markdown_lints_and_places_exist(tmp_path_factory, pieces):
    text = "".join(pieces)
    if not text.strip():
        text += "x"
    root = make_manuscript(tmp_path_factory.mktemp("fuzz"), {"a.md": "Start.\n"}, lang="en-GB")
    (root / "a.md").write_text(text, encoding="utf-8")  # as written: no dedent, no strip
    lines = text.replace("\r\n", "\n").split("\n")
    for finding in lint(load_book(root)).findings:
        assert 1 <= finding.line <= len(lines), finding
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, finding
