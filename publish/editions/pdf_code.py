"""Code blocks fitted to the measure of the page, and a warning where they cannot be.

A code line is never clipped at the page's edge. A block whose longest line
fits the measure at the code size is left alone; one that fits at a smaller
size (down to ``SMALLEST`` of it) is set at that size, so its lines stay
whole; one that fits at neither has its long lines wrapped (print.css:
``white-space: pre-wrap`` and ``overflow-wrap: anywhere``), and a warning
names the chapter file and the line, because a wrapped line of code may no
longer read as the author wrote it. A code block in a note is fitted the same
way at the note's size.
"""

from __future__ import annotations

import logging
from pathlib import Path

from lxml.html import HtmlElement

from publish import files
from publish.errors import PublishError

LOGGER = logging.getLogger("publish.editions.pdf")  # the PDF edition's logger: its warnings are reported
TEXT_SIZE_PT = 11.0  # print.css: html { font-size }
CODE_SCALE = 0.73  # print.css: pre, code { font-size }: DejaVu Sans Mono's x-height to EB Garamond's
ADVANCE_EM = 0.602  # DejaVu Sans Mono's advance width
SMALLEST = 0.8  # the smallest size a block may be shrunk to, as a share of the code size
MEASURE_SHARE = 0.72  # pdf_html.page_css: the text block is the trim less 12 % and 16 % margins
PT_PER_MM = 72 / 25.4
NOTE_SIZE_PT = 8.5  # print.css: .footnote { font-size }
NOTE_INDENT_EM = 1.6  # print.css: .footnote { margin-left }


def measure_chars(trim_width_mm: float, indent_pt: float = 0.0, size_pt: float = TEXT_SIZE_PT) -> float:
    """How many characters of code a line of the text block holds at the code size of text of *size_pt*."""
    width_pt = trim_width_mm * MEASURE_SHARE * PT_PER_MM - indent_pt
    return width_pt / (size_pt * CODE_SCALE * ADVANCE_EM)


def fit(body: HtmlElement, trim_width_mm: float, source: str = "") -> None:
    """Shrink each too-wide code block in *body* to fit, or warn (once per chapter) that its lines wrap.

    A ``pre`` is measured at the code size of the text, a code block in a note (``span.fn-pre``,
    pdf_html.py) at that of the note, in the note's narrower measure. *source* is the chapter file:
    the warning names it, and the line of the first wrapped code line.
    """
    kinds = (("", body.iter("pre"), measure_chars(trim_width_mm)),
             (" in a note", body.find_class("fn-pre"),
              measure_chars(trim_width_mm, NOTE_INDENT_EM * NOTE_SIZE_PT, NOTE_SIZE_PT)))
    for where, blocks, measure in kinds:
        wrapped = [line for block in blocks if (line := _fit_block(block, measure)) is not None]
        if wrapped:
            _warn(source, wrapped, measure, where)


def _fit_block(block: HtmlElement, measure: float) -> str | None:
    """Set *block* small enough for its longest line to fit *measure*; that line if not even that serves."""
    lines = block.text_content().split("\n")
    longest = max(len(line.expandtabs(4)) for line in lines)
    if longest <= measure:
        return None
    scale = measure / longest
    if scale >= SMALLEST:
        # rounded down, so that the block is sure to fit
        block.set("style", f"font-size: {int(CODE_SCALE * scale * 1000) / 1000}em")
        return None
    return next(line for line in lines if len(line.expandtabs(4)) == longest)


def _warn(source: str, wrapped: list[str], measure: float, kind: str = "") -> None:
    line = _line_of(source, wrapped[0])
    where = f"{source}:{line}" if line else (source or "a chapter")
    more = f" (and {len(wrapped) - 1} more code block(s) in this chapter)" if len(wrapped) > 1 else ""
    LOGGER.warning("%s: a code line%s of %d characters is wider than the page even at the smallest code size "
                   "(%d characters): its long lines are wrapped in the PDF%s",
                   where, kind, len(wrapped[0].expandtabs(4)), measure / SMALLEST, more)


def _line_of(source: str, line: str) -> int | None:
    """The line of the chapter file *source* that holds the code *line*."""
    needle = line.strip()
    if not (source and needle):
        return None
    try:  # the bytes this build read (publish.snapshot), never blocking on a FIFO nor following a symlink out
        text = files.read_checked(Path(source), "chapter", Path(source).name).decode("utf-8", "replace")
    except (OSError, PublishError):
        return None
    for number, source_line in enumerate(text.splitlines(), 1):
        if needle in source_line:
            return number
    return None
