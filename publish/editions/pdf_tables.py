"""A note called in a table's header row, set at the foot of the page like any other.

The PDF sets each note as a ``float: footnote`` right after its call
(pdf_html.py). Floated out of a ``thead`` cell, WeasyPrint lays that header
row out around the float: its cell drops below its neighbours, and with other
notes in the table the row's text can go missing from the page. So the call
(the link with the note's number) stays in the header, and the note's float is
carried by the table's first body cell, which is set on the same page as the
header row (a table's header and first row are never parted: print.css), or
by the table's place in the text if it has no body.
"""

from __future__ import annotations

from lxml.html import HtmlElement

FLOATS = ("footnote", "fn-more")  # the classes of a note's floated pieces (pdf_html.py, pdf_notes.py)


def notes_out_of_head(section: HtmlElement) -> None:
    """Move the floated note pieces inside each ``thead`` of *section* to the table's first body cell."""
    for table in section.iter("table"):
        head = table.find("thead")
        if head is None:
            continue
        floats = [element for element in head.iter("span") if set((element.get("class") or "").split()) & set(FLOATS)
                  and not _inside_float(element, head)]
        if not floats:
            continue
        cell = next((cell for body in table.iterfind("tbody") for cell in body.iter("td", "th")), None)
        for element in floats:
            _detach(element)
        if cell is None:
            for element in reversed(floats):
                table.addnext(element)
            continue
        text, cell.text = cell.text, None
        for offset, element in enumerate(floats):
            cell.insert(offset, element)
        floats[-1].tail = text  # the cell's own text goes on after the notes' (empty) calls


def _inside_float(element: HtmlElement, head: HtmlElement) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not head:
        if set((parent.get("class") or "").split()) & set(FLOATS):
            return True
        parent = parent.getparent()
    return False


def _detach(element: HtmlElement) -> None:
    """Take *element* out of its parent, its tail text kept in place."""
    parent, tail = element.getparent(), element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    element.tail = None
    parent.remove(element)
