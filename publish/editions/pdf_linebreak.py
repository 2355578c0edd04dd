"""A line of text that fits but for its trailing space is not cut to its first word.

WeasyPrint (70) fits a line's text with ``split_first_line``
(weasyprint/text/line_break.py). Pango, which it asks first, lets a line's
trailing spaces run past the width, as CSS wants (they hang, and are removed
at the line's end), so for a text ending in a space (a text box followed by
an inline element: ``… the extension <code>.txt</code>``) that fits but for
that space it makes one line. WeasyPrint then measures that line *with* the
space, finds it wider than the width, and takes it for a single word that
cannot be broken (Step #3: "The line can't be split earlier, try to
hyphenate the first word"): the text is cut after its first word, or the
first piece of it when hyphenation is on, and the rest of the text goes to
the next line.

The width of a text "but for its trailing space" is asked for as soon as
something after the text does not fit: ``_break_waiting_children``
(weasyprint/layout/inline.py) looks for the last break in the line's text
by laying it out again one pixel narrower than the text box, space
included. So a paragraph whose line ended ``… extension .txt.`` with the
code's full stop overflowing was set with a line holding only ``some‐``, the
first piece of the line's first word, and the rest of its text below it.
The same happens in the plain course of a line whenever the space before an
inline element is what overflows.

Here a text that ends in collapsible spaces, and that WeasyPrint cut at or
inside its first word, is measured again without those spaces: if it then
fits on one line, the whole text is the line's (the spaces hang, as
WeasyPrint's callers allow: ``split_inline_box`` already forgives a child
that overflows by its trailing space only), and the search for an earlier
break goes on as WeasyPrint meant it to, to the text's last break point.
Every other text is left exactly as WeasyPrint sets it.
"""

from __future__ import annotations

COLLAPSING_WRAPS = ("normal", "pre-line")  # white-space values whose text wraps and whose spaces collapse


def install() -> None:
    """Wrap WeasyPrint's ``split_first_line`` as its inline layout uses it (once per process)."""
    from weasyprint.layout import inline
    from weasyprint.text.line_break import create_layout, line_size

    split = inline.split_first_line
    if getattr(split, "trailing_space_hangs", False):
        return

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True,
                         minimum=False):
        result = split(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        resume_index, length = result[2], result[1]
        if (resume_index is None or max_width is None or not text.endswith(" ")
                or style["white_space"] not in COLLAPSING_WRAPS):
            return result
        first_line = text.encode()[:length].decode()
        if " " in first_line.strip(" "):
            return result  # the line holds more than the first word: Pango broke it, not the trailing space
        words = text.rstrip(" ")
        if not words:
            return result
        layout = create_layout(words, style, context, max_width, justification_spacing)
        line, index = layout.get_first_line()
        width, _ = line_size(line, style)
        layout.deactivate()
        if index is not None or width > max_width:
            return result  # too wide even without its trailing spaces: WeasyPrint's cut stands
        # The whole text, as WeasyPrint lays out a text given all the room it needs.
        return split(text, style, context, None, justification_spacing, is_line_start, minimum)

    split_first_line.trailing_space_hangs = True
    split_first_line.wrapped = split
    inline.split_first_line = split_first_line
