"""Where the EPUB/HTML cards put their change bars: on the rows that differ, whatever the two shots' heights.

Fast: a made-up browser returns made-up screenshots (no Chromium).
"""

from __future__ import annotations

import numpy as np

from publish.diff import editions


class Shots:
    missing = False

    def __init__(self, old, new):
        self.shots = {"old": old, "new": new}

    def shoot(self, files, name):
        return self.shots[files]


def page(height: int, lines: list[int]) -> np.ndarray:
    image = np.full((height, 400), 255, dtype=np.uint8)
    for y in lines:
        image[y:y + 10, 20:380] = 0
    return image


def test_a_shorter_new_section_has_its_bar_on_the_line_that_changed():
    lines = list(range(40, 3000, 30))
    old = page(3200, lines)
    new = page(2800, [y for y in lines if y < 2000] + [2000 + 5])  # the line at 2000 moved; the rest are gone
    change = editions.SectionChange("epub", "x.xhtml", "X", ["text"])
    assert editions._rendered(Shots(old, new), change, "old", "new")
    top = min(y for _, y, _, _ in change.boxes)
    kept = min(editions.MAX_SECTION_PX, new.shape[0] - max(0, 2000 - 160))
    assert abs(top * kept - 160) < 20  # the first bar is at the changed line, 160 px under the crop's top


def test_a_section_whose_words_changed_but_renders_the_same_is_hidden_with_no_pictures():
    same = page(1200, list(range(40, 1100, 30)))
    change = editions.SectionChange("epub", "nav.xhtml", "Contents", ["text"])  # the page-list, say
    assert editions._rendered(Shots(same, same.copy()), change, "old", "new")
    assert change.status == "hidden" and not change.old_image and not change.new_image and not change.boxes
    markup_only = editions.SectionChange("epub", "x.xhtml", "X", [])
    assert not editions._rendered(Shots(same, same.copy()), markup_only, "old", "new")  # nothing to report
