"""Changed areas of a page image: a mark a reader would see is boxed, anti-aliasing noise is not."""

from __future__ import annotations

import numpy as np

from publish.diff.images import changed_boxes


def page(height: int = 400, width: int = 300) -> np.ndarray:
    return np.full((height, width), 255, dtype=np.uint8)


def test_scattered_faint_and_single_pixel_differences_are_noise():
    old, new = page(), page()
    new[::37, ::23] = 0  # isolated dark pixels all over the page: many in total, none contiguous
    new[100:140, 100:160] = 230  # a faint wash, below the threshold
    assert (new != old).sum() > 200
    assert changed_boxes(old, new) == []


def test_a_changed_word_is_one_box_where_it_is():
    old, new = page(), page()
    new[200:208, 60:110] = 0  # a word-sized dark bar
    [box] = changed_boxes(old, new)
    left, top, width, height = box
    assert left <= 60 / 300 < left + width and top <= 200 / 400 < top + height
    assert width < 0.3 and height < 0.1


def test_a_masked_area_such_as_a_folio_is_not_compared():
    old, new = page(), page()
    new[380:390, 140:160] = 0
    assert changed_boxes(old, new, mask=[(0.4, 0.9, 0.2, 0.1)]) == []
