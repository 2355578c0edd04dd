"""The HTML edition: sidenotes on wide screens, section notes on narrow ones; a web book for a long book.

Each note is shown once at every width. On a narrow screen it is an
``<aside role="doc-footnote">`` in the notes section that closes its chapter,
linked both ways with its call. On a wide screen that section is not
rendered (``display: none``, so assistive technology skips it too) and the
note is the sidenote beside its call, a ``doc-footnote`` right after the call
in the reading order. Activating the call makes the hidden section note the
target, which scrolls nowhere, and a rule written for this page's notes
(``marking_style``, in notes.css) marks the sidenote beside the call. Which
copy is rendered is CSS's choice (web.css), so it all works without JavaScript.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

from lxml import html as lxml_html
from lxml.html import HtmlElement
from lxml.html import builder as E

from publish import frontmatter, lang, longbook, render, svg_fix
from publish.book import Book
from publish.editions import html_book
from publish.output import atomic_dir
from publish.plan import EDITIONS, REPORT, BuildPlan
from publish.safety import resolve_image
from publish.styles import Styles

MARKS = "notes.css"  # the rules that mark a sidenote when its call is activated (marking_style)


def write(plan: BuildPlan, book: Book, chapters: list[render.RenderedChapter], out: Path) -> list[Path]:
    """Write ``out/html/index.html`` with its stylesheet and fonts (a long book: a page per chapter, html_book.py)."""
    index = out / EDITIONS["html"].path(book.slug)
    page = _page(book)
    articles = [_chapter(chapter, lang.words(book.metadata)) for chapter in chapters]
    with atomic_dir(index.parent) as folder:
        _copy_assets(folder, plan.styles)
        (folder / MARKS).write_text(marking_style(chapters), encoding="utf-8")
        _copy_images(book, E.DIV(*copy.deepcopy(articles)), folder)
        if longbook.is_long(chapters):
            html_book.write(folder, page, articles, [chapter.title for chapter in chapters], _serialise)
        else:
            page.body.find("main").extend([*_contents(articles, lang.words(book.metadata)), *articles])
            (folder / index.name).write_bytes(_serialise(page))
    return [index]


def _contents(articles: list[HtmlElement], words: lang.Words) -> list[HtmlElement]:
    """A one-page edition's contents, when a chapter has more than one level-1 heading (a single-file
    document with many): each chapter's heading and its later level-1 headings, linked. Else none."""
    if not any(html_book.later_headings(article) for article in articles):
        return []
    items = []
    for article in articles:
        first = article.find("h2")
        for ident, text in ([(first.get("id"), first.text_content().strip())] if first is not None else []) + \
                html_book.later_headings(article):
            if ident and text:
                items.append(E.LI(E.A(text, href=f"#{ident}")))
    nav = E.NAV(E.H2(words.get("contents"), id="contents-heading"), E.OL(*items), E.CLASS("page-contents"))
    nav.set("aria-labelledby", "contents-heading")
    return [nav]


def _page(book: Book) -> HtmlElement:
    meta = book.metadata
    title = frontmatter.title_line(meta)
    head = E.HEAD(
        E.META(charset="utf-8"),
        E.META(name="viewport", content="width=device-width, initial-scale=1"),
        E.TITLE(title),
        E.META(name="author", content=meta.author),
        E.META(name="color-scheme", content="light dark"),
        E.LINK(rel="stylesheet", href="web.css"),
        E.LINK(rel="stylesheet", href=MARKS),
    )
    if meta.date:
        head.append(E.META(name="dcterms.date", content=meta.date))
    banner = E.HEADER(E.H1(*_small_caps(meta.title), E.CLASS("book-title")))
    banner.set("class", "title-block")
    if meta.subtitle:
        subtitle = E.SPAN(*_small_caps(meta.subtitle), E.CLASS("subtitle"))
        banner.find("h1").extend([E.SPAN(": ", E.CLASS("title-sep")), subtitle])
    if meta.contribution:
        banner.append(E.P(frontmatter.byline(meta).text, E.CLASS("contribution editorial")))
    page = E.HTML(head, E.BODY(banner, E.MAIN()), lang=meta.lang)
    return page


def _small_caps(text: str) -> list:
    """*text* as strings and ``span.acronym`` elements, as the typography filter marks the chapters."""
    return frontmatter.marked(text, lambda acronym: E.SPAN(acronym, E.CLASS(frontmatter.ACRONYM_CLASS)))


def _chapter(chapter: render.RenderedChapter, words: lang.Words) -> HtmlElement:
    body = copy.deepcopy(chapter.body)
    _demote_headings(body)  # the page's h1 is the book title
    notes = {note.id: note for note in chapter.notes}
    for placeholder in render.calls(body):
        note = notes[placeholder.get("data-note-id")]
        call, side = _call(note), _sidenote(note)
        side.tail = placeholder.tail  # the text after the call goes on after the sidenote
        placeholder.tail = None
        placeholder.getparent().replace(placeholder, call)
        call.addnext(side)
    article = E.ARTICLE(*body, E.CLASS(" ".join(["chapter", *chapter.classes])), id=f"chapter-{chapter.id}")
    heading = article.find(".//h2")
    if heading is not None and heading.get("id"):
        article.set("aria-labelledby", heading.get("id"))
    if chapter.notes:
        article.append(_notes_section(chapter, words))
    return article


def marking_style(chapters: list[render.RenderedChapter]) -> str:
    """The stylesheet (``notes.css``) that marks a sidenote while its section note is the target (wide screens).

    The call links to the section note (the one narrow screens show), so on
    wide screens only ``:target`` knows which note was asked for; CSS cannot
    relate two elements by their ids, so each note gets a selector here.
    """
    selectors = [f'body:has([id="{note.id}"]:target) [id="{note.call_id}"] + .sidenote'
                 for chapter in chapters for note in chapter.notes]
    rule = ",\n".join(selectors)
    css = f"@media (min-width: 70rem) {{\n{rule} {{ background: var(--target); outline: 1px solid var(--rule); }}\n}}"
    return (css if selectors else "") + "\n"


def _demote_headings(body: HtmlElement) -> None:
    for level in range(5, 0, -1):
        for heading in body.iter(f"h{level}"):
            heading.tag = f"h{level + 1}"
            heading.attrib.pop("data-running-head", None)


def _call(note: render.Note) -> HtmlElement:
    return E.A(E.SUP(str(note.number)), E.CLASS("noteref"), id=note.call_id, href=f"#{note.id}", role="doc-noteref")


def _sidenote(note: render.Note) -> HtmlElement:
    side = render.as_inline(note.body, prefix="sn")
    side.tag = "span"
    side.attrib.clear()
    side.set("class", "sidenote")
    side.set("role", "doc-footnote")  # rendered on wide screens only, where the section note is not
    side.insert(0, E.SPAN(str(note.number), E.CLASS("sidenote-number")))
    return side


def _notes_section(chapter: render.RenderedChapter, words: lang.Words) -> HtmlElement:
    heading_id = f"notes-{chapter.id}"
    section = E.SECTION(E.H3(words.get("notes"), E.CLASS("notes-heading editorial"), id=heading_id), E.CLASS("notes"))
    section.set("aria-labelledby", heading_id)
    for note in chapter.notes:
        aside = E.ASIDE(*copy.deepcopy(note.body), E.CLASS("note"), id=note.id, role="doc-footnote")
        first = aside[0] if len(aside) and aside[0].tag == "p" else None
        if first is None:
            first = E.P()
            aside.insert(0, first)
        number = E.SPAN(f"{note.number}.", E.CLASS("note-number"))
        number.tail, first.text = first.text, None
        first.insert(0, number)
        last = aside[-1] if aside[-1].tag == "p" else E.P()
        if last.getparent() is None:
            aside.append(last)
        # An arrow the book face has (it has no ↩), bound to the last word by a no-break space.
        back = E.A("↑", E.CLASS("backlink"), href=f"#{note.call_id}", role="doc-backlink")
        back.set("aria-label", words.get("back-to-call", number=note.number))
        last.append(back)
        if len(last) > 1:
            back.getprevious().tail = (back.getprevious().tail or "").rstrip() + "\u00a0"
        else:
            last.text = (last.text or "").rstrip() + "\u00a0"
        section.append(aside)
    return section


def _copy_assets(folder: Path, styles: Styles) -> None:
    """The stylesheet and the fonts it names (no others), with the fonts' licence."""
    css = styles.stylesheet("web.css").read_text(encoding="utf-8")
    shutil.copyfile(styles.stylesheet("web.css"), folder / "web.css")
    fonts = folder / "fonts"
    fonts.mkdir()
    for font in styles.font_files():
        if f"fonts/{font.name}" in css:
            shutil.copyfile(font, fonts / font.name)
    shutil.copyfile(styles.font_licence(), fonts / styles.font_licence().name)


def _copy_images(book: Book, page: HtmlElement, folder: Path) -> None:
    """Each image the text shows, at the same relative path as in the manuscript (already checked safe)."""
    copied: set[Path] = set()
    for image in page.iter("img"):
        source = resolve_image(image.get("src", ""), book.root, book.root / "book.yaml")
        target = folder / source.relative_to(book.root.resolve())
        if target in copied:
            continue
        copied.add(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        name = target.relative_to(folder).as_posix()
        # an SVG's ids and fragments repaired as in the EPUB (svg_fix.py), each repair reported
        target.write_bytes(svg_fix.repair_file(source, name, lambda line: REPORT.info("html  warning: %s", line)))


def _serialise(page: HtmlElement) -> bytes:
    return b"<!DOCTYPE html>\n" + lxml_html.tostring(page, encoding="utf-8", method="html") + b"\n"
