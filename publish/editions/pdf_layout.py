"""One part of the book (the front matter, or one chapter) laid out by WeasyPrint, then given its folios.

Chapters open on rectos, so each is laid out on its own, in parallel, and
joined afterwards (pdf_join.py). What a chapter's pages look like does not
depend on where it starts, except for the folios in the page margins; those
are made last, when the pages before it have been counted. WeasyPrint makes
margin boxes after the pagination, from the page counters it keeps in its
layout context, so ``Layout.number_from`` sets the counter and makes them
again. That context is WeasyPrint's own (``Document._render`` does the same
four steps and then drops it).

A layout is kept whole (the HTML, its box tree, the context and the state
the context was in as each page began), so that a remedy that only changes
a block's style (pdf_notes.py's ``orphans`` and ``breaks``, pdf_turns.py's
unhyphenated paragraphs) is laid out again from the page before that block,
not from the part's first page: ``Layout.restyle``. The pages before it are
the same in both layouts; the safety net (tests/test_pdf_incremental.py)
checks that the result is the layout made from scratch with those styles,
byte for byte. ``PUBLISH_PDF_FROM_SCRATCH=1`` turns it off.
"""

from __future__ import annotations

import copy
import os
from collections import defaultdict
from dataclasses import dataclass, field

from publish import weasy

FROM_SCRATCH = "PUBLISH_PDF_FROM_SCRATCH"  # set to 1: every layout from the part's first page
MAX_LOOPS = 8  # as weasyprint.layout.layout_document: passes for page-based counters


def from_scratch() -> bool:
    """Whether restyled layouts are made from the first page (the environment switch ``FROM_SCRATCH``)."""
    return os.environ.get(FROM_SCRATCH, "") not in ("", "0")


@dataclass
class _Start:
    """The layout context as WeasyPrint began one page: what is needed to make that page, and those after, again."""

    maker: tuple  # context.page_maker[index], as it was (its page counters before the pass counted the pages)
    footnotes: list  # notes not yet set (their calls are on this page or later)
    reported: list  # notes carried over from the page before
    out_of_flow: dict  # floats and absolutes broken on the page before
    rendered_notes: list
    running: dict
    shapes: dict  # the block formatting contexts' floats (WeasyPrint keeps some from page to page)


@dataclass
class _Pagination:
    """What a layout keeps to lay out again from a page: the HTML, box tree and context, and each page's start."""

    html: object
    root_box: object
    context: object
    document_args: tuple  # (metadata, url_fetcher, fonts, profiles, output intent) for weasyprint.Document
    pages: list = field(default_factory=list)  # page boxes without margin boxes (``bare`` restores them)
    bare: list = field(default_factory=list)  # (page.children, root.children) as the pagination left them
    starts: list = field(default_factory=list)
    originals: dict = field(default_factory=dict)  # (block id, property) → value before any restyle
    styled: dict = field(default_factory=dict)  # (block id, property) → value set now
    boxes: dict | None = None  # block id → its element's boxes in the box tree (made when first restyled)
    sheets: list = field(default_factory=list)  # the stylesheets, as lay_out was given them


@dataclass
class Layout:
    """A laid-out part: WeasyPrint's document and the context its margin boxes are made from."""

    document: object  # weasyprint.Document
    context: object  # weasyprint.layout.LayoutContext
    first_folio: int = 1
    broken_turns: list[tuple[int, str]] = field(default_factory=list)  # rectos still ending mid-word (pdf_turns)
    uneven_spreads: list = field(default_factory=list)  # spreads still ending on two lines (pdf_spreads.Left)
    pagination: _Pagination | None = None  # None: this layout cannot be restyled (laid out in more than one pass)
    repaginated_from: int | None = None  # the page the last restyle laid out again from (0-based)
    made_with: tuple = ()  # (remedies, unhyphenated, shortened) this layout was made with (pdf_parts.lay_out)

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

    def restyle(self, orphans: set[str], breaks: set[str], unhyphenated: set[str], watch=None) -> bool:
        """Lay the part out again with these blocks' styles, from the page before the first block that changed.

        *orphans*: blocks that may leave one line at a page's foot (``orphans: 1``,
        as pdf_parts.part_css writes it); *breaks*: blocks that start a page
        (``.page-break``); *unhyphenated*: paragraphs set without automatic
        hyphenation (``.no-auto-hyphens``). False, with nothing changed, if this
        layout cannot be restyled: the caller lays the part out from scratch.
        *watch*: as for ``lay_out``.
        """
        pagination = self.pagination
        if pagination is None or from_scratch():
            return False
        start = _apply(pagination, orphans, breaks, unhyphenated)
        if start is None:
            return True
        _paginate(pagination, start, watch)
        if _needs_another_pass(pagination.context, 0):
            return False
        self.document = _document(pagination)
        self.repaginated_from = start
        return True

    def repage(self, position: int, sheet, start: int | None, watch=None) -> bool:
        """Lay the part out again from page *start* (0-based) with *sheet* in place of its stylesheet *position*.

        For a new page stylesheet that differs only in rules for pages from
        *start* on (pdf_spreads's ``@page :nth()`` rules): the elements'
        styles are the same, the pages' are cascaded again from that page.
        *start* None: the sheet changes no page, nothing is laid out. False if
        this layout cannot be laid out again so.
        """
        pagination = self.pagination
        if pagination is None or from_scratch():
            return False
        _replace_sheet(pagination, position, sheet)
        if start is None:
            return True
        _page_styles_from(pagination.context.style_for, start)
        _paginate(pagination, min(start, len(pagination.pages) - 1), watch)
        if _needs_another_pass(pagination.context, 0):
            return False
        self.document = _document(pagination)
        self.repaginated_from = start
        return True


def _replace_sheet(pagination: _Pagination, position: int, sheet) -> None:
    """*sheet* in place of the stylesheet at *position* (in the list lay_out was given), in WeasyPrint's cascade."""
    style_for = pagination.context.style_for
    old = pagination.sheets[position]
    style_for._sheets = [(sheet if entry[0] is old else entry[0], *entry[1:]) for entry in style_for._sheets]
    pagination.sheets[position] = sheet


def _page_styles_from(style_for, start: int) -> None:
    """Forget the styles WeasyPrint cascaded for the pages from index *start* on: they are cascaded again."""
    for styles in (style_for.get_cascaded_styles(), style_for.get_computed_styles()):
        for key in [key for key in styles if type(key[0]).__name__ == "PageType" and key[0].index >= start]:
            del styles[key]


def _apply(pagination: _Pagination, orphans: set[str], breaks: set[str], unhyphenated: set[str]) -> int | None:
    """Give the blocks these remedies' styles in the box tree; the page to lay out again from (None: no change)."""
    wanted = {}
    for block in orphans:
        wanted[(block, "orphans")] = 1
    for block in breaks:
        wanted[(block, "break_before")] = "page"
    for block in unhyphenated:
        wanted[(block, "hyphens")] = "manual"
    if pagination.boxes is None:
        pagination.boxes = _principal_boxes(pagination.root_box)
    changes = {}
    for block, name in wanted.keys() | pagination.styled.keys():
        if not pagination.boxes.get(block):
            continue  # not laid out in this part (pdf_notes names the nearest block with an id)
        style = pagination.boxes[block][0].style
        original = pagination.originals.setdefault((block, name), style[name])
        value = wanted[(block, name)] if (block, name) in wanted and _rule_wins(style, name) else original
        if pagination.styled.get((block, name), original) != value:
            changes[(block, name)] = value
    if not changes:
        return None
    start = _restart_page(pagination, {block for block, _ in changes})
    for (block, name), value in sorted(changes.items(), key=repr):
        for box in pagination.boxes[block]:
            _set_style(box, name, value)
        pagination.styled[(block, name)] = value
    return start


def lay_out(html_text: str, base_url: str, stylesheets: list, fetcher, fonts, watch=None) -> Layout:
    """*html_text* laid out with *stylesheets* (``weasyprint.CSS`` objects made with *fonts*).

    *watch*, if given, is called as each page is made, with the page boxes made
    so far; it returns the remedies' blocks (orphans, breaks, unhyphenated) and
    a new page stylesheet (None, or its position, the sheet, and the first
    page whose rules it changes) if it wants them, else None: the pagination
    then goes back to the page before the first block that changed (``_apply``),
    or to the first page whose rules changed, and goes on from there. Going
    back, it asks ``watch.rewind(page)`` (if the watch has one) for the page
    stylesheet without the rules it decided from pages now made again.

    The steps of ``weasyprint.layout.layout_document``, with WeasyPrint's own
    functions, so that the context's state is kept as each page begins.
    """
    weasyprint = weasy.load()
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.document import Document
    from weasyprint.formatting_structure.build import build_formatting_structure
    from weasyprint.html import get_html_metadata
    from weasyprint.layout import initialize_page_maker
    from weasyprint.layout.page import make_all_pages
    from weasyprint.pdf.metadata import DocumentMetadata

    html = weasyprint.HTML(string=html_text, base_url=base_url, url_fetcher=fetcher)
    options = {**DEFAULT_OPTIONS, "stylesheets": stylesheets}
    counter_style, profiles = CounterStyle(), {}
    context = Document._build_layout_context(html, fonts, counter_style, profiles, options)
    root_box = build_formatting_structure(
        html.etree_element, context.style_for, context.get_image_from_uri, html.base_url,
        context.target_collector, counter_style, context.footnotes)
    pagination = _Pagination(html, root_box, context, (DocumentMetadata(**get_html_metadata(html)), html.url_fetcher,
                                                        fonts, profiles, options["output_intent"]),
                             sheets=list(stylesheets))
    initialize_page_maker(context, root_box)
    original_footnotes = context.footnotes.copy()
    _paginate(pagination, 0, watch)
    kept = True
    for _loop in range(1, MAX_LOOPS):  # page-based counters (a contents page's, say) may want more passes
        if not _needs_another_pass(context, 0 if kept else len(pagination.pages)):
            break
        kept = False
        context.footnotes = original_footnotes.copy()
        pagination.pages = list(make_all_pages(context, root_box, html, pagination.pages))
        pagination.bare = [_bare(page) for page in pagination.pages]
    return Layout(_document(pagination), context, pagination=pagination if kept else None)


def _paginate(pagination: _Pagination, start: int, watch=None) -> None:
    """Make the pages from page *start* (0-based) on, as ``weasyprint.layout.page.make_all_pages`` makes them."""
    from weasyprint.layout.page import remake_page

    context = pagination.context
    _restore(pagination, start)
    index = start
    while True:
        remake_state = context.page_maker[index][-1]
        remake_state.update(content_changed=False, pages_wanted=False, anchors=[], content_lookups=[])
        pagination.starts.append(_Start(
            copy.deepcopy(context.page_maker[index]), list(context.footnotes), list(context.reported_footnotes),
            dict(context.broken_out_of_flow), list(context.rendered_notes), _running(context.running_elements),
            _shapes(context._excluded_shapes)))
        page, resume_at = remake_page(index, context, pagination.root_box, pagination.html)
        pagination.pages.append(page)
        pagination.bare.append(_bare(page))
        index += 1
        wants = watch(pagination.pages) if watch is not None else None
        if wants is not None:
            orphans, breaks, unhyphenated, pages_sheet = wants
            restart = _apply(pagination, orphans, breaks, unhyphenated)
            rewind = getattr(watch, "rewind", None) if restart is not None else None
            while True:  # a new page stylesheet; or, going back for a block, the page rules for pages made again
                if pages_sheet is not None:  # (position, sheet, first page its rules change)
                    position, sheet, first = pages_sheet
                    _replace_sheet(pagination, position, sheet)
                    _page_styles_from(pagination.context.style_for, first)
                    restart = first if restart is None else min(restart, first)
                pages_sheet = rewind(restart) if rewind is not None else None
                if pages_sheet is None:
                    break
            if restart is not None:
                _restore(pagination, min(restart, len(pagination.pages) - 1))
                index = len(pagination.pages)
                continue
        if resume_at is None and not context.reported_footnotes:
            context.page_maker = context.page_maker[:index + 1]
            context.broken_out_of_flow.clear()
            context.reported_footnotes.clear()
            return


def _restore(pagination: _Pagination, start: int) -> None:
    """The context as it began page *start*, and the pages before it only (nothing to do on a first pagination)."""
    context = pagination.context
    if pagination.starts:
        began = pagination.starts[start]
        context.page_maker = context.page_maker[:start] + [copy.deepcopy(began.maker)]
        context.footnotes = list(began.footnotes)
        context.reported_footnotes = list(began.reported)
        context.broken_out_of_flow = dict(began.out_of_flow)
        context.rendered_notes = list(began.rendered_notes)
        context.running_elements = _running(began.running)
        context._excluded_shapes = _shapes(began.shapes)
    else:
        context.rendered_notes = []
    del pagination.pages[start:], pagination.bare[start:], pagination.starts[start:]


def _needs_another_pass(context, initial_total_pages: int) -> bool:
    """Whether layout_document would paginate again (page-based counters changed), counting the pages as it does."""
    total = len(context.page_maker) - 1
    content = pages = False
    for _, _, _, page_state, remake_state in context.page_maker:
        page_state[1]["pages"] = [total]
        content = content or remake_state["content_changed"]
        if remake_state["pages_wanted"]:
            pages = initial_total_pages != total
    return content or pages


def _running(running: dict) -> defaultdict:
    """A copy of ``context.running_elements`` (name → page → boxes), as WeasyPrint makes it."""
    copied = defaultdict(lambda: defaultdict(list))
    for name, by_page in running.items():
        for page, found in by_page.items():
            copied[name][page] = list(found)
    return copied


def _shapes(shapes: dict) -> dict:
    return {key: copy.copy(value) if isinstance(value, list) else value for key, value in shapes.items()}


def _bare(page) -> tuple:
    return page.children, page.children[0].children


def _document(pagination: _Pagination):
    """The pages with margin boxes and backgrounds, as the end of ``layout_document`` makes them: a Document."""
    from weasyprint.document import Document, Page
    from weasyprint.layout import layout_fixed_boxes
    from weasyprint.layout.background import layout_backgrounds
    from weasyprint.layout.page import make_margin_boxes

    context, pages = pagination.context, pagination.pages
    for page, (children, root_children) in zip(pages, pagination.bare, strict=True):
        page.children = children
        children[0].children = root_children
    context.string_set = defaultdict(lambda: defaultdict(list))
    watch_elements, watch_before, watch_after = [], [], []
    for index, page in enumerate(pages):
        counter_values = context.page_maker[index + 1][3][1]
        for child in page.descendants():
            if child.bookmark_label:  # one bookmark per original box (WeasyPrint's #1145)
                if child.element_tag.endswith("::before"):
                    checklist = watch_before
                elif child.element_tag.endswith("::after"):
                    checklist = watch_after
                else:
                    checklist = watch_elements
                if child.element in checklist:
                    child.bookmark_label = ""
                else:
                    checklist.append(child.element)
            if child.missing_link:
                for (box, css_token), item in context.target_collector.counter_lookup_items.items():
                    if child.missing_link == box and css_token != "content":
                        if css_token == "bookmark-label" and not child.bookmark_label:
                            continue
                        item.parse_again(counter_values)
                        if css_token == "bookmark-label":
                            child.bookmark_label = box.bookmark_label
            string_sets = child.string_set
            if string_sets and string_sets != "none":
                for string_name, text in string_sets:
                    context.string_set[string_name][index + 1].append(text)
    laid = []
    for index, page in enumerate(pages):
        root, footnote_area, note_area = page.children
        root.children = [*layout_fixed_boxes(context, pages[:index], page), *root.children,
                         *layout_fixed_boxes(context, pages[index + 1:], page)]
        context.current_page = index + 1
        state = context.page_maker[context.current_page][3]
        children = [root]
        if footnote_area.children:
            children.append(footnote_area)
        if note_area.children:
            children.append(note_area)
        children.extend(make_margin_boxes(context, page, state))
        page.children = tuple(children)
        layout_backgrounds(page, context.get_image_from_uri)
        laid.append(Page(page))
    return Document(laid, *pagination.document_args)


def _principal_boxes(root_box) -> dict[str, list]:
    """Element id → the boxes the element made itself (not its pseudo-elements), in the box tree before layout."""
    found: dict[str, list] = {}
    stack = [root_box]
    while stack:
        box = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and box.element_tag == element.tag and element.get("id"):
            found.setdefault(element.get("id"), []).append(box)
        stack.extend(reversed(getattr(box, "children", None) or []))
    return found


# What the remedies' rules weigh: pdf_parts.part_css's [id="…"] and print.css's classes, rules of one
# attribute or class, not !important, in the sheets pdf_parts passes (WeasyPrint takes them as user
# stylesheets: declaration_precedence("user", False) is 2).
_RULE_WEIGHT = (2, (0, 1, 0))


def _rule_wins(style, name: str) -> bool:
    """Whether the remedy's rule would win the element's cascade for *name* over what the element has."""
    cascaded = getattr(style, "cascaded", {})
    if name not in cascaded:
        return True
    precedence, _layer, specificity = cascaded[name][1]
    return (precedence, specificity) <= _RULE_WEIGHT


def _set_style(box, name: str, value) -> None:
    """Give *box* the computed *value* of *name*, and the boxes below it that inherit it (orphans, hyphens) too.

    WeasyPrint shares one computed style between elements that match the
    same rules with the same attributes under the same parent. An element
    with an id has its own (its anchor is a declaration of its own), and so
    has what it holds, but the boxes changed are given their own copies all
    the same: the remedy's rule matches this element alone, as it does in a
    layout from scratch, whatever else shared its style.
    """
    from weasyprint.css.properties import INHERITED

    inherited = name in INHERITED
    copies: dict[int, object] = {}
    _own_style(box, copies)
    _put(box.style, name, value)
    if not inherited:
        return
    stack = [(child, value) for child in _below(box)]
    while stack:
        current, passed = stack.pop()
        _own_style(current, copies)
        style = current.style
        if _inherits(style, name):
            _put(style, name, passed)
        else:
            passed = style[name]
        stack.extend((child, passed) for child in _below(current))


def _own_style(box, copies: dict) -> None:
    """Give *box* a copy of its style, once per remedy (boxes that shared a style keep sharing the copy)."""
    style = box.style
    if id(style) not in copies:
        copies[id(style)] = style.copy()
        copies[id(copies[id(style)])] = copies[id(style)]  # a copy made here is not copied again
    box.style = copies[id(style)]


def _below(box) -> list:
    children = list(getattr(box, "children", None) or [])
    footnote = getattr(box, "footnote", None)
    return children + ([footnote] if footnote is not None else [])


def _inherits(style, name: str) -> bool:
    cascaded = getattr(style, "cascaded", None)
    if cascaded is None:  # an anonymous box's style: every inherited property from its parent
        return True
    return name not in cascaded or cascaded[name][0] == "inherit"


def _put(style, name: str, value) -> None:
    """Set *name* in *style* and in the anonymous style WeasyPrint keeps made from it (cached on the style)."""
    while style is not None:
        style[name] = value
        style = style.__dict__.get("anonymous_style")


def _restart_page(pagination: _Pagination, blocks: set[str]) -> int:
    """The page to lay out again from: the one before the first page holding any of *blocks*.

    The page before is laid out again too: it may have tried the block at
    its foot and moved it over (orphans), and may now keep part of it. A page
    holding no text (a blank page, or notes only) does not end where the
    block begins, so the one before it is taken.
    """
    first = None
    for index, page in enumerate(pagination.pages):
        if any(getattr(box, "element", None) is not None and box.element.get("id") in blocks
               for box in page.descendants()):
            first = index
            break
    if first is None:
        return 0
    start = max(first - 1, 0)
    while start > 0 and not _holds_lines(pagination.pages[start]):
        start -= 1
    return start


def _holds_lines(page) -> bool:
    return any(type(box).__name__ == "LineBox" for box in page.children[0].descendants())
