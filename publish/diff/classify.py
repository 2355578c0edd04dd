"""Each page of the new print PDF classed by what its render and its old page's render show.

First each new page is paired with the old page it is to be read against:
pages whose lines are the same are paired in order; in a stretch that
changed, a page is paired with the old page it shares most lines with (a
paragraph after an insertion keeps its line breaks, so its lines say where it
was), a blank page with a blank page. Then the pair's renders decide:

- IDENTICAL: the renders are the same, pixel for pixel (whatever the text
  model says about the paragraphs on it);
- SHIFTED: the same once the running head and folio are left out, the page
  having moved (its folio is all that changed);
- FURNITURE: the same lines, but the running head or folio reads differently;
- VISUAL: the same lines, set differently (a style or font);
- RENUMBERED: the lines differ only in note numbers that were renumbered;
- TEXT: a change in the words or notes is on it (found on the page, or on its
  old page for a deletion);
- REFLOW: the lines differ and no change is on it: check the breaks;
- BLANK-ADDED (a new blank page); old pages no new page replaces are listed
  as BLANK-REMOVED or REMOVED.
"""

from __future__ import annotations

import dataclasses
import re
from difflib import SequenceMatcher

from publish.diff import images

DIGITS = re.compile(r"\d+")


def pair_pages(old_pages: list, new_pages: list) -> list[int | None]:
    """For each new page, the index of the old page it replaces (None: a page with no old counterpart)."""
    matcher = SequenceMatcher(None, [p.body for p in old_pages], [p.body for p in new_pages], autojunk=False)
    paired: list[int | None] = [None] * len(new_pages)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            paired[j1:j2] = range(i1, i2)
        else:
            paired[j1:j2] = _pair_stretch(old_pages, i1, i2, new_pages[j1:j2])
    return paired


def _pair_stretch(old_pages: list, i1: int, i2: int, new: list) -> list[int | None]:
    """Pair the changed new pages with old ones in order: each old page of the stretch with at most one new
    page, the most shared lines in all (so an old page whose lines went onto a later new page is read against
    it, not left "gone"); a new page left over is read against the old page it shares most with; blank with
    blank."""
    shared = [[_shared(page, old_pages[k]) for k in range(i1, i2)] for page in new]
    out = _best_one_to_one(shared, i1)
    floor = i1  # pairs never go back: the book is read in order
    blanks = [k for k in range(i1, i2) if not old_pages[k].body]
    for j, page in enumerate(new):
        if not page.body:
            k = next((b for b in blanks if b >= floor), None)
            out[j] = k
            if k is not None:
                blanks.remove(k)
            continue
        if out[j] is None:
            ceiling = next((k for k in out[j + 1:] if k is not None), len(old_pages) - 1)
            scores = [(_shared(page, old_pages[k]), -abs(k - (i1 + j)), k)
                      for k in range(floor, max(floor, ceiling) + 1) if old_pages[k].body]
            best = max(scores, default=(0, 0, None))
            if best[0] == 0:  # nothing in common: the old page at the same place, if the stretch has one
                k = i1 + j
                best = (0, 0, k if floor <= k < i2 and old_pages[k].body else None)
            out[j] = best[2]
        floor = out[j] if out[j] is not None else floor
    return out


def _best_one_to_one(shared: list[list[int]], i1: int) -> list[int | None]:
    """The in-order one-to-one pairing of new pages (rows) with old pages (columns) sharing the most lines."""
    rows, cols = len(shared), len(shared[0]) if shared else 0
    best = [[0] * (cols + 1) for _ in range(rows + 1)]
    for j in range(rows - 1, -1, -1):
        for k in range(cols - 1, -1, -1):
            take = shared[j][k] + best[j + 1][k + 1] if shared[j][k] else 0
            best[j][k] = max(take, best[j + 1][k], best[j][k + 1])
    out: list[int | None] = [None] * rows
    j = k = 0
    while j < rows and k < cols:
        if shared[j][k] and best[j][k] == shared[j][k] + best[j + 1][k + 1]:
            out[j], j, k = i1 + k, j + 1, k + 1
        elif best[j][k] == best[j + 1][k]:
            j += 1
        else:
            k += 1
    return out


def _shared(new_page, old_page) -> int:
    return len({_folded(line) for line in new_page.body} & {_folded(line) for line in old_page.body})


def _folded(line: str) -> str:
    return DIGITS.sub("#", line)


def removed(old_count: int, paired: list[int | None], old_pages: list) -> list[tuple[int, str]]:
    """Old pages no new page replaces: (index, "blank-removed" | "removed")."""
    used = {k for k in paired if k is not None}
    return [(k, "removed" if old_pages[k].body else "blank-removed") for k in range(old_count) if k not in used]


def page_class(old_page, new_page, old_image, new_image, renumbering: dict[int, int], has_change: bool,
               old_heads: set[str] = frozenset()) -> tuple[str, list]:
    """The class of *new_page* read against *old_page* (None: none), and the boxes where the renders differ."""
    if old_page is None:
        if not new_page.body:
            return "blank-added", []
        return ("text" if has_change else "reflow"), []
    if not new_page.body and old_page.body:
        return "blank-added", []
    aligned = images.shift(old_image, _dx(old_page, new_page, new_image.shape[1]))
    if not images.changed_boxes(aligned, new_image) and not _dx(old_page, new_page, new_image.shape[1]):
        return "identical", []
    boxes = images.changed_boxes(aligned, new_image, old_page.furniture + new_page.furniture)
    if not boxes:
        if _furniture_changed(old_page, new_page, old_heads):
            return "furniture", images.changed_boxes(aligned, new_image)
        return ("identical" if old_page.index == new_page.index else "shifted"), []
    if old_page.body == new_page.body:
        return "visual", boxes
    if renumbered_only(old_page.body, new_page.body, renumbering):
        return "renumbered", boxes
    return ("text" if has_change else "reflow"), boxes


def _dx(old_page, new_page, width_px: int) -> int:
    """Pixels to move the old page by so its text block lies on the new one's (a recto became a verso)."""
    if not old_page.boxes or not new_page.boxes:
        return 0
    old_left, new_left = min(b[0] for b in old_page.boxes), min(b[0] for b in new_page.boxes)
    return round((new_left - old_left) * images.SCALE)


def _furniture_changed(old_page, new_page, old_heads: set[str]) -> bool:
    """The running head or folio reads differently where the page did not move; a moved page, a head the old
    book never printed (a recto turned verso takes the verso's head: that is the move, not a change)."""
    if old_page.index == new_page.index:
        return old_page.furniture_text != new_page.furniture_text
    return any(_folded_folio(t) not in old_heads for t in new_page.furniture_text)


def running_heads(pages: list) -> set[str]:
    """Every running head (and, folded, folio) the book prints."""
    return {_folded_folio(t) for page in pages for t in page.furniture_text}


def _folded_folio(text: str) -> str:
    return "#" if re.fullmatch(r"(?i)[\divxlcdm\[\] ]+", text) else text


def renumbered_only(old: tuple[str, ...], new: tuple[str, ...], renumbering: dict[int, int]) -> bool:
    """The lines are the same but for note numbers, each of them renumbered old → new."""
    if not renumbering or len(old) != len(new):
        return False
    for a, b in zip(old, new, strict=True):
        if DIGITS.split(a) != DIGITS.split(b):
            return False
        pairs = zip(DIGITS.findall(a), DIGITS.findall(b), strict=True)
        if any(x != y and renumbering.get(int(x)) != int(y) for x, y in pairs):
            return False
    return old != new


def renumbered(page, renumbering: dict[int, int]):
    """A copy of the old *page* whose note numbers read as the new book numbers them (no difference to show)."""
    if not renumbering:
        return page
    def number(match: re.Match) -> str:
        return str(renumbering.get(int(match[0]), match[0]))
    return dataclasses.replace(page, body=tuple(DIGITS.sub(number, line) for line in page.body))
