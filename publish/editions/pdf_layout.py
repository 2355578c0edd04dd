"""One part of the book (the front matter, or one chapter) laid out by WeasyPrint, then given its folios.

Chapters open on rectos, so each is laid out on its own, in parallel, and
joined afterwards (pdf_join.py). What a chapter's pages look like does not
depend on where it starts, except for the folios in the page margins; those
are made last, when the pages before it have been counted. WeasyPrint makes
margin boxes after the pagination, from the page counters it keeps in its
layout context, so ``Layout.number_from`` sets the counter and makes them
again. That context is WeasyPrint's own (``Document._render`` does the same
four steps and then drops it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from publish import weasy


@dataclass
class Layout:
    """A laid-out part: WeasyPrint's document and the context its margin boxes are made from."""

    document: object  # weasyprint.Document
    context: object  # weasyprint.layout.LayoutContext
    first_folio: int = 1
    broken_turns: list[tuple[int, str]] = field(default_factory=list)  # rectos still ending mid-word (pdf_turns)
    uneven_spreads: list = field(default_factory=list)  # spreads still ending on two lines (pdf_spreads.Left)

    @property
    def pages(self) -> int:
        return len(self.document.pages)

    def number_from(self, first: int) -> None:
        """Give the pages the folios ``first``, ``first + 1``…: the margin boxes are made again."""
        if first == self.first_folio:
            return
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.background import layout_box_backgrounds
        from weasyprint.layout.page import make_margin_boxes

        context = self.context
        for index, page in enumerate(self.document.pages, start=1):
            page_box = page._page_box
            context.current_page = index
            state = copy.deepcopy(context.page_maker[index][3])
            state[1]["page"] = [first + index - 1]
            kept = [child for child in page_box.children if not isinstance(child, boxes.MarginBox)]
            margins = list(make_margin_boxes(context, page_box, state))
            for margin in margins:
                layout_box_backgrounds(page_box, margin, context.get_image_from_uri)
            page_box.children = tuple(kept + margins)
        self.first_folio = first


def lay_out(html_text: str, base_url: str, stylesheets: list, fetcher, fonts) -> Layout:
    """*html_text* laid out with *stylesheets* (``weasyprint.CSS`` objects made with *fonts*)."""
    weasyprint = weasy.load()
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.document import Document, Page
    from weasyprint.formatting_structure.build import build_formatting_structure
    from weasyprint.html import get_html_metadata
    from weasyprint.layout import layout_document
    from weasyprint.pdf.metadata import DocumentMetadata

    html = weasyprint.HTML(string=html_text, base_url=base_url, url_fetcher=fetcher)
    options = {**DEFAULT_OPTIONS, "stylesheets": stylesheets}
    counter_style, profiles = CounterStyle(), {}
    context = Document._build_layout_context(html, fonts, counter_style, profiles, options)
    root_box = build_formatting_structure(
        html.etree_element, context.style_for, context.get_image_from_uri, html.base_url,
        context.target_collector, counter_style, context.footnotes)
    pages = [Page(page_box) for page_box in layout_document(html, root_box, context)]
    document = Document(pages, DocumentMetadata(**get_html_metadata(html)), html.url_fetcher, fonts, profiles,
                        options["output_intent"])
    return Layout(document, context)
