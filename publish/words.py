"""Words no line can hold: a run of letters with nowhere to break that is wider than any page's measure.

The PDF is justified and hyphenated, but a 20,000-letter "word" (a pasted hash,
a run of one key) has no break a hyphenation dictionary knows, so it runs past
the margin. Breaking it anywhere (CSS ``overflow-wrap``) costs WeasyPrint time
quadratic in its length, and changing the author's text is not ours to do: the
build names each such word (file:line) as a warning, and ``--strict`` fails.
"""

from __future__ import annotations

import re

import panflute as pf

from publish.errors import ManuscriptError

LONGEST = 60  # characters: wider than the measure of any trim at body size (about 65 at 11 pt on 156 mm)
# Where a line may break anyway: spaces, hyphens and dashes, slashes (URLs), soft hyphens, zero-width spaces.
BREAKS = re.compile(r"[\s\-‐‑‒–—/\\?&=_.,;:\u00ad\u200b]+")


def too_long(ast) -> list[ManuscriptError]:
    """One error per word longer than ``LONGEST`` with no break, naming its chapter and line."""
    found: list[ManuscriptError] = []
    for filtered in ast:
        seen: set[str] = set()

        def visit(elem, _doc, chapter=filtered.chapter, seen=seen):
            if isinstance(elem, (pf.Str, pf.Code)) and len(elem.text) > LONGEST:
                for run in BREAKS.split(elem.text):
                    if len(run) > LONGEST and run not in seen:
                        seen.add(run)
                        found.append(ManuscriptError(
                            f"a word of {len(run):,} characters with nowhere to break ('{run[:12]}…') runs past "
                            "the margin: break it with spaces or hyphens", chapter.path, _line(chapter.text, run)))

        filtered.doc.walk(visit)
    return found


def _line(text: str, run: str) -> int | None:
    at = text.find(run[:LONGEST])
    return text.count("\n", 0, at) + 1 if at >= 0 else None
