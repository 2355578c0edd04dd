"""Constructs of real books that hostile-input guards once refused (issue 16, the corpus). Fast."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import nesting, sanitise
from publish.errors import ManuscriptError


def test_a_horizontal_rule_of_spaced_dashes_is_no_nesting():
    # pandoc's own test suite writes its rules so: thirteen dashes, not thirteen nested lists
    for rule in ("- - - - - - - - - - - - -", "* * * * * * * * * * * *", "  _ _ _ _ _ _ _ _ _ _ _ _"):
        nesting.check_text(f"Minus: \\-\n\n{rule}\n\n# Links\n", Path("testsuite.md"))


def test_list_markers_nested_past_the_limit_are_still_refused():
    with pytest.raises(ManuscriptError, match=r"x\.md:1: nested 12 levels"):
        nesting.check_text("- - - - - - - - - - - - item\n", Path("x.md"))


def test_an_editors_attribute_is_no_event_handler_but_an_event_handler_is():
    from lxml import etree

    root = etree.fromstring('<svg xmlns="http://www.w3.org/2000/svg"><path only_selected="false"/>'
                            '<g onload="x()"/><a onmouseover="y()"/></svg>')
    found = sanitise.active(root)
    assert not any("only_selected" in item for item in found)
    assert any("onload" in item for item in found) and any("onmouseover" in item for item in found)
