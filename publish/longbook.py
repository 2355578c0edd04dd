"""When a book is long enough to need a way in: a contents page in the PDF, a web book of one page per chapter.

One fact, read by the editions that act on it (pdf_html.py, html.py): a
book of a few chapters reads well as it is (our foreword and its author's
biography stay one web page, with no contents page in print); past that, a
reader needs a contents page and, on the web, a page per chapter.
"""

from __future__ import annotations

from collections.abc import Sized

# "More than a few chapters": from four on, a book gets a contents page (PDF) and one web page per chapter.
MIN_CHAPTERS = 4


def is_long(chapters: Sized) -> bool:
    """Whether a book of *chapters* gets a contents page and a web page per chapter."""
    return len(chapters) >= MIN_CHAPTERS
