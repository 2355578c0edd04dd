"""Folios for pages that print none (title, imprint, blank), inferred from the pages that do."""

from __future__ import annotations


def infer(pages: list) -> None:
    """Give a page with no printed folio (title, imprint, blank) the one it would have, in [brackets]."""
    known = next((p for p in pages if p.label), None)
    roman = bool(known and not known.label.isdigit())
    offset = (_roman_value(known.label) if roman else int(known.label)) - known.index if known else 1
    for page in pages:
        if not page.label:
            number = page.index + offset
            text = _roman(number) if roman and number > 0 else str(page.index + 1 if number < 1 else number)
            page.label = f"[{text}]"


def _roman_value(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    digits = [values[c] for c in text.lower() if c in values]
    return sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out, number = out + letters, number - value
    return out
