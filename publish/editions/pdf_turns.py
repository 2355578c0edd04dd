"""Page turns: no word broken across the turn of a leaf.

At the foot of a recto the reader turns the leaf, so a word hyphenated
there is read in two halves with a page turn between them ("men-" / "tal");
at the foot of a verso the next page is beside it, and a break is harmless.
After a layout, the paragraph that ends a recto with a hyphen WeasyPrint
added is found here; the next layout sets that paragraph without automatic
hyphenation (``no-auto-hyphens`` in print.css), which moves its line breaks.
Recto: the first page is a right-hand page, so every other page from it.
"""

from __future__ import annotations

from publish.editions.pdf_notes import descendants as _descendants

HYPHEN = "\u2010"  # what WeasyPrint adds where it hyphenates a word


def hyphenated_rectos(document) -> set[str]:
    """Ids of the paragraphs whose line at the foot of a recto ends in an added hyphen."""
    return {paragraph for _page, paragraph in broken_turns(document)}


def broken_turns(document) -> list[tuple[int, str]]:
    """(page number, paragraph id) of each recto whose last line ends in an added hyphen, in page order."""
    found = []
    for index, page in enumerate(document.pages):
        if index % 2:
            continue  # a verso: the page after it is in view
        paragraph = hyphenated_foot(page._page_box)
        if paragraph is not None:
            found.append((index + 1, paragraph))
    return found


def hyphenated_foot(page_box) -> str | None:
    """The id of the paragraph whose line ends *page_box*'s text with an added hyphen, if one does."""
    lines = [box for box in _descendants(page_box.children[0]) if type(box).__name__ == "LineBox"]
    if not lines:
        return None
    last = max(lines, key=lambda line: line.position_y + line.height)
    text = "".join(box.text for box in _descendants(last) if type(box).__name__ == "TextBox").rstrip()
    element = getattr(last, "element", None)
    if text.endswith(HYPHEN) and element is not None and element.get("id"):
        return element.get("id")
    return None


def warn(document, logger) -> None:
    """Log a warning for each recto that still ends mid-word (the layouts ran out before its remedy)."""
    for page, paragraph in broken_turns(document):
        logger.warning("page %d, a recto, ends with a word hyphenated across the turn of the leaf "
                       "(paragraph %s): no layout was left to set it otherwise", page, paragraph)
