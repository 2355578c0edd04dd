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
import pypdfium2 as pdfium
from PIL import Image
from scipy import ndimage

SCALE = 1.25  # 90 dpi: enough to see a changed word, small enough to embed
THRESHOLD = 64  # grey levels; below this a difference is anti-aliasing
MIN_AREA = 12  # changed pixels in one contiguous area before it counts
GROUP = 9  # px: changed areas this close are one box


def render(page: pdfium.PdfPage) -> np.ndarray:
    """The page's trim box as a grey image (0 black, 255 white)."""
    media, trim = page.get_mediabox(), page.get_trimbox()
    crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
    crop = tuple(max(0.0, c) for c in crop)
    bitmap = page.render(scale=SCALE, grayscale=True, crop=crop)
    image = bitmap.to_numpy()
    return image[..., 0] if image.ndim == 3 else image


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
    grouped = ndimage.binary_dilation(changed, structure=np.ones((GROUP, GROUP), bool))
    labels, count = ndimage.label(grouped)
    sizes = ndimage.sum(changed, labels, index=np.arange(1, count + 1))
    boxes = []
    for index, area in enumerate(ndimage.find_objects(labels)):
        if area is None or sizes[index] < MIN_AREA:
            continue
        rows, cols = area
        boxes.append((cols.start / width, rows.start / height,
                      (cols.stop - cols.start) / width, (rows.stop - rows.start) / height))
    return boxes


def png_data_uri(image: np.ndarray) -> str:
    """The image as a ``data:image/png;base64,…`` URI, for a report that is one file."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _pad(image: np.ndarray, height: int, width: int) -> np.ndarray:
    if image.shape == (height, width):
        return image
    padded = np.full((height, width), 255, dtype=image.dtype)
    padded[:image.shape[0], :image.shape[1]] = image
    return padded
