"""The diff report in Chromium: one file that loads nothing else, stepped through from the keyboard."""

from __future__ import annotations

import pytest

from publish.diff import run
from tests.test_diff_text import BASE, NOTES, build_folder, call

pytestmark = pytest.mark.browser

FOCUS = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {change: e.classList.contains('change'), index: [...document.querySelectorAll('.change')].indexOf(e),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
          position: document.getElementById('position').textContent}; }"""


@pytest.fixture
def report(tmp_path):
    new = [("ch-aaa", f"The first paragraph, plain and brief.{call(1)} It goes on."),
           BASE[1], ("ch-new", "An inserted paragraph."), BASE[2]]
    old_dir = build_folder(tmp_path / "old", BASE, NOTES)
    new_dir = build_folder(tmp_path / "new", new, {**NOTES, "2": "A note on the second, changed."})
    assert run(str(old_dir), str(new_dir), out=tmp_path / "diff", fail_on=["text"]) == 1
    return tmp_path / "diff" / "report.html"


def test_the_report_is_one_file_and_j_k_n_p_step_between_changes_with_visible_focus(open_page, report):
    page, requests = open_page(report.as_uri())
    assert requests == [report.as_uri()]  # styles, script and images are all inside
    count = page.evaluate("document.querySelectorAll('.change').length")
    # the changed paragraph, the inserted one, the paragraph whose note changed, the HTML edition's section
    assert count == 4
    steps = []
    for key in "jjjjnkp":
        page.keyboard.press(key)
        steps.append(page.evaluate(FOCUS))
    assert [s["index"] for s in steps] == [0, 1, 2, 3, 3, 2, 1]
    assert all(s["change"] and s["outline"] != "none" and s["width"] >= 2 for s in steps)
    assert steps[1]["position"] == f"Change 2 of {count}"
    assert page.locator("ins").count() >= 2 and page.locator("del").count() >= 1


def test_a_screenshot_is_enlarged_by_a_click_and_its_change_bars_sit_beside_the_text(open_page, report):
    page, _ = open_page(report.as_uri())
    shot = page.locator(".shot").nth(1)  # the new side of the HTML edition's changed section
    before = shot.bounding_box()["width"]
    shot.click()
    assert shot.get_attribute("aria-pressed") == "true"
    assert shot.bounding_box()["width"] > 1.5 * before
    shot.click()
    assert shot.get_attribute("aria-pressed") == "false"
    bars = page.evaluate("""() => [...document.querySelectorAll('.shot .bar')].map(b => {
        const r = b.getBoundingClientRect(), s = b.parentElement.getBoundingClientRect();
        return (r.right - s.left) / s.width; })""")
    assert bars and all(right < 0.02 for right in bars)  # in the left margin, never across the words
