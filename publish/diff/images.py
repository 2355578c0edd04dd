"""Page images: render a PDF page (its trim box) and box the areas where two renderings differ.

Rendering is deterministic, so identical content gives identical pixels; a
faint difference (anti-aliasing of a glyph moved by a fraction of a pixel)
is ignored, and a page is flagged only when a contiguous changed area is big
enough to be a mark a reader would see, never by a global pixel count.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

from publish.readers.pdf import Page

SCALE = 150 / 72  # 150 dpi: a note's figures and a running head readable, zoomed in the report
THRESHOLD = 64  # grey levels; below this a difference is anti-aliasing
MIN_AREA = 16  # changed pixels in one contiguous area before it counts (a comma's tail at 150 dpi is ~20)
CELL = 10  # px: changed pixels in touching cells of this size are one area


def render(page: Page) -> np.ndarray:
    """The page's trim box as a grey image (0 black, 255 white), rendered by readers.pdf."""
    return page.image(SCALE)


def changed_boxes(old: np.ndarray, new: np.ndarray, mask: list[tuple[float, float, float, float]] = ()
                  ) -> list[tuple[float, float, float, float]]:
    """Boxes (left, top, width, height, as fractions of the new image) around areas that differ.

    *mask* lists areas (same fractions) to leave out, such as the folio of a page that moved.
    """
    height, width = max(old.shape[0], new.shape[0]), max(old.shape[1], new.shape[1])
    a, b = _pad(old, height, width), _pad(new, height, width)
    changed = np.abs(a.astype(np.int16) - b.astype(np.int16)) > THRESHOLD
    for left, top, w, h in mask:
        changed[int(top * height):int((top + h) * height) + 1, int(left * width):int((left + w) * width) + 1] = False
    if not changed.any():
        return []
    boxes = []
    for cells, area in _areas(changed):
        if area < MIN_AREA:
            continue
        rows, cols = [r for r, _ in cells], [c for _, c in cells]
        top, left = min(rows) * CELL, min(cols) * CELL
        bottom, right = min(height, (max(rows) + 1) * CELL), min(width, (max(cols) + 1) * CELL)
        boxes.append((left / width, top / height, (right - left) / width, (bottom - top) / height))
    return sorted(boxes, key=lambda box: (box[1], box[0]))


def _areas(changed: np.ndarray) -> list[tuple[list[tuple[int, int]], int]]:
    """Contiguous changed areas: cells of CELL px holding a changed pixel, joined to their 8 neighbours."""
    rows, cols = -(-changed.shape[0] // CELL), -(-changed.shape[1] // CELL)
    grid = np.zeros((rows * CELL, cols * CELL), dtype=np.int32)
    grid[:changed.shape[0], :changed.shape[1]] = changed
    counts = grid.reshape(rows, CELL, cols, CELL).sum(axis=(1, 3))
    todo = {(int(r), int(c)) for r, c in zip(*np.nonzero(counts), strict=True)}
    areas = []
    while todo:
        stack, cells = [todo.pop()], []
        while stack:
            r, c = stack.pop()
            cells.append((r, c))
            for near in ((r + dr, c + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)):
                if near in todo:
                    todo.remove(near)
                    stack.append(near)
        areas.append((cells, int(sum(counts[r, c] for r, c in cells))))
    return areas


def shift(image: np.ndarray, dx: int) -> np.ndarray:
    """*image* moved *dx* pixels right (left if negative), the uncovered edge white."""
    if not dx:
        return image
    out = np.full_like(image, 255)
    if dx > 0:
        out[:, dx:] = image[:, :-dx]
    else:
        out[:, :dx] = image[:, -dx:]
    return out


def png_data_uri(image: np.ndarray) -> str:
    """The image as a ``data:image/png;base64,…`` URI, for a report that is one file."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")  # optimize=True: 8x slower, and larger here
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _pad(image: np.ndarray, height: int, width: int) -> np.ndarray:
    if image.shape == (height, width):
        return image
    padded = np.full((height, width), 255, dtype=image.dtype)
    padded[:image.shape[0], :image.shape[1]] = image
    return padded
