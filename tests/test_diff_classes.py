"""Page classes from what two renders show, on made-up pages: fast, no PDF.

A page here is its lines and its running head; its "render" is an image with
one dark bar per line, so a test says exactly which pixels differ.
"""

from __future__ import annotations

import numpy as np

from publish.diff import classify, images
from publish.diff.pages import Page

LINE = 20  # px between lines in the made-up renders


def page(index: int, lines: list[str], head: str = "Foreword", folio: str = "") -> Page:
    boxes = tuple((50.0, 600.0 - 14.5 * k, 370.0, 610.0 - 14.5 * k) for k in range(len(lines)))
    furniture = [(0.3, 0.02, 0.4, 0.02)] + ([(0.45, 0.95, 0.1, 0.02)] if folio else [])
    return Page(index, folio or f"[{index + 1}]", tuple(lines), furniture if lines else [], boxes=boxes,
                furniture_text=(head, folio) if lines else ())


def render(p: Page, widths: dict[int, int] | None = None, folio_mark: int = 0) -> np.ndarray:
    image = np.full((400, 300), 255, dtype=np.uint8)
    for k in range(len(p.body)):
        width = (widths or {}).get(k, 200)
        image[40 + LINE * k:48 + LINE * k, 40:40 + width] = 0
    if folio_mark:
        image[382:390, 140:140 + folio_mark] = 0
    return image


def test_pages_with_the_same_lines_pair_in_order_and_a_changed_stretch_pairs_by_shared_lines():
    old = [page(0, ["a", "b"]), page(1, ["c", "d"]), page(2, ["e", "f"]), page(3, [])]
    new = [page(0, ["a", "b"]), page(1, ["x", "c"]), page(2, ["d", "y"]), page(3, ["e", "f"])]
    assert classify.pair_pages(old, new) == [0, 1, 1, 2]
    assert classify.removed(4, [0, 1, 1, 2], old) == [(3, "blank-removed")]


def test_a_blank_page_pairs_only_with_a_blank_page():
    old = [page(0, ["a"]), page(1, ["b"]), page(2, ["c"])]
    new = [page(0, ["a"]), page(1, ["b"]), page(2, []), page(3, ["c"])]
    paired = classify.pair_pages(old, new)
    assert paired == [0, 1, None, 2]
    assert classify.page_class(None, new[2], None, render(new[2]), {}, False) == ("blank-added", [])


def test_identical_renders_are_identical_whatever_the_text_model_says():
    old, new = page(4, ["a", "b"]), page(4, ["a", "b"])
    cls, boxes = classify.page_class(old, new, render(old), render(new), {}, has_change=True)
    assert (cls, boxes) == ("identical", [])


def test_lines_that_differ_only_in_renumbered_note_figures_are_renumbered_not_reflow():
    old, new = page(5, ["care.2 The", "2 A note."]), page(5, ["care.3 The", "3 A note."])
    cls, boxes = classify.page_class(old, new, render(old), render(new, {0: 204}), {2: 3, 3: 4}, False)
    assert cls == "renumbered" and boxes
    assert not classify.renumbered_only(("in 2004",), ("in 2005",), {2004: 2006})  # a year is not a note
    assert not classify.renumbered_only(old.body, ("care.3 The", "3 A note, longer."), {2: 3})


def test_same_lines_under_another_folio_are_shifted_and_a_new_running_head_is_furniture():
    old, new = page(4, ["a", "b"], folio="v"), page(6, ["a", "b"], folio="vii")
    old_image, new_image = render(old, folio_mark=8), render(new, folio_mark=16)
    heads = classify.running_heads([old])
    assert classify.page_class(old, new, old_image, new_image, {}, False, heads)[0] == "shifted"
    renamed = page(4, ["a", "b"], head="A Foreword", folio="v")
    cls, boxes = classify.page_class(old, renamed, old_image, render(renamed, folio_mark=12), {}, False, heads)
    assert cls == "furniture"


def test_same_lines_set_differently_are_visual_and_different_lines_are_text_only_with_a_change_on_them():
    old, new = page(2, ["a", "b"]), page(2, ["a", "b"])
    assert classify.page_class(old, new, render(old), render(new, {1: 150}), {}, False)[0] == "visual"
    moved = page(2, ["a b", "c"])
    assert classify.page_class(old, moved, render(old), render(moved, {1: 120}), {}, False)[0] == "reflow"
    assert classify.page_class(old, moved, render(old), render(moved, {1: 120}), {}, True)[0] == "text"


def test_a_recto_turned_verso_is_compared_with_its_text_block_moved_back():
    old, new = page(3, ["a", "b"], folio="iv"), page(4, ["a", "b"], folio="v")
    new = Page(new.index, new.label, new.body, new.furniture, boxes=tuple((b[0] + 18, *b[1:]) for b in new.boxes),
               furniture_text=new.furniture_text)
    shift = round(18 * images.SCALE)
    new_image = images.shift(render(old), shift)
    assert classify.page_class(old, new, render(old), new_image, {}, False, classify.running_heads([old]))[0] == \
        "shifted"
