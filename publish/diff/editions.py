"""The EPUB and the HTML edition diffed section by section: text, notes, and what their own stylesheets do.

A section is an EPUB spine document, or a chapter (``article``) of the HTML
edition. It is compared by its text and its notes (word tokens, as the
redline reads them) and by the bytes of its stylesheets and fonts; where any
of these differ (the stylesheets rule by rule, ``sheets``) both sides are rendered in Chromium (Playwright, the
system's ``/usr/bin/chromium``) and the screenshots compared: a section is
reported when the renders differ (an edit, or a stylesheet of that edition
alone, which no other edition shows), with both screenshots cropped to the
changed area. Chromium loads the files from the build folders through a
request router: nothing outside them, nothing from the network.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from publish.diff import reading, render, sheets, text
from publish.readers import members

MAX_SECTION_PX = 2400  # screenshot height (device pixels) kept around a change


@dataclass
class Section:
    name: str  # path inside the edition (EPUB) or article id (HTML)
    title: str
    words: list[text.Token]
    notes: list[text.Token]
    styles: sheets.Sheets  # the rules of the stylesheets it links, and the edition's fonts
    ids: frozenset[str] = frozenset()  # the ids in it (a rule naming an id counts where the id is on both sides)
    source: bytes = b""  # its markup as read, so a section whose markup and styles are the same is not rendered


@dataclass
class SectionChange:
    edition: str  # epub | html
    name: str
    title: str
    reasons: list[str]  # text, notes, style: what differs in its sources
    boxes: list = field(default_factory=list)  # where the renders differ (fractions of the new screenshot)
    old_image: str = ""
    new_image: str = ""
    status: str = "changed"  # changed | added | removed | hidden (the text differs, the renders do not)


def compare(old_dir: Path, new_dir: Path) -> list[SectionChange]:
    """The changed sections of the EPUB and the HTML edition (an edition one side lacks is not compared)."""
    changes: list[SectionChange] = []
    for edition, reader in (("epub", members.EpubFiles), ("html", members.HtmlFiles)):
        old_files, new_files = reader.open(old_dir), reader.open(new_dir)
        if old_files is None or new_files is None:
            continue
        changes += _compare_edition(edition, old_files, new_files)
    return changes


def _compare_edition(edition: str, old_files, new_files) -> list[SectionChange]:
    old, new = _sections(old_files), _sections(new_files)
    candidates = []
    for name in list(dict.fromkeys([*new, *old])):
        a, b = old.get(name), new.get(name)
        if a is None or b is None:
            title = (a or b).title
            candidates.append(SectionChange(edition, name, title, ["text"], status="added" if a is None else "removed"))
            continue
        reasons = [r for r, differs in (("text", a.words != b.words), ("notes", a.notes != b.notes),
                                        ("style", sheets.differ(a.styles, b.styles, a.ids, b.ids))) if differs]
        if reasons or a.source != b.source:
            candidates.append(SectionChange(edition, name, b.title, reasons))
    if not candidates:
        return []
    # Playwright's sync API runs its own event loop: a thread of its own, so a caller with a loop can diff too
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_render_all, candidates, old_files, new_files).result()


def _render_all(candidates: list[SectionChange], old_files, new_files) -> list[SectionChange]:
    with render.Browser() as browser:
        return [c for c in candidates if _rendered(browser, c, old_files, new_files)]


def _rendered(browser, change: SectionChange, old_files, new_files) -> bool:
    """Screenshot both sides; True if the section is to be reported (its renders differ, or it is new or gone)."""
    old_shot = browser.shoot(old_files, change.name) if change.status != "added" else None
    new_shot = browser.shoot(new_files, change.name) if change.status != "removed" else None
    if browser.missing:
        return bool(change.reasons) or change.status != "changed"  # no Chromium: the sources say it changed
    if old_shot is None or new_shot is None:
        change.old_image, change.new_image = render.uri(old_shot), render.uri(new_shot)
        return True
    boxes = render.changed(old_shot, new_shot)
    if not boxes and not {"text", "notes"} & set(change.reasons):
        return False  # identical renders: markup alone changed
    if not boxes:
        change.status = "hidden"  # its words changed where a reader does not see them (an EPUB's page-list)
        return True
    height = max(old_shot.shape[0], new_shot.shape[0])  # the boxes' fractions are of the taller shot
    top = 0 if not boxes else top_of(boxes, height)
    kept = max(1, min(MAX_SECTION_PX, new_shot.shape[0] - top))
    change.boxes = [(x, (y * height - top) / kept, w, min(h * height / kept, 1 - (y * height - top) / kept))
                    for x, y, w, h in boxes if top <= y * height < top + kept]
    change.old_image = render.uri(old_shot[top:top + MAX_SECTION_PX])
    change.new_image = render.uri(new_shot[top:top + MAX_SECTION_PX])
    return True


def top_of(boxes: list, height: int) -> int:
    """Where the kept part of a screenshot starts: a little above the first change (*height*: the boxes')."""
    return max(0, int(min(b[1] for b in boxes) * height) - 160)


def _sections(files) -> dict[str, Section]:
    out = {}
    for name in files.sections():
        root = _parse(files.section_bytes(name))
        if root is None:
            continue
        styles = sheets.read(files, name.split("#")[0])
        for key, element in files.split(name, root):
            source = etree.tostring(element)
            ids = frozenset(element.xpath(".//@id")) | {element.get("id")} - {None}
            notes = element.xpath('.//*[@role="doc-footnote" or @role="doc-endnote"]')
            note_tokens = [t for n in notes for t in text.tokens(n)]
            for n in notes:
                n.drop_tree()
            for side in element.xpath('.//*[contains(concat(" ", @class, " "), " sidenote ")]'):
                side.drop_tree()
            heading = next(iter(element.xpath(".//h1|.//h2|.//title")), None)
            title = " ".join(heading.text_content().split()) if heading is not None else key
            out[key] = Section(key, title, text.tokens(element), note_tokens, styles, ids, source)
    return out


def _parse(data: bytes | None):
    if not data:
        return None
    try:
        return lxml_html.document_fromstring(data, parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (ValueError, etree.ParserError):
        return None


__all__ = ["SectionChange", "compare", "reading"]
