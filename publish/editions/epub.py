"""The EPUB 3 edition: ``build/<slug>.epub``, assembled with ebooklib, checked clean by epubcheck.

Reading order: cover, title page, imprint, then one file per chapter, each
ending with its notes as pop-up footnotes. The navigation document (table of
contents and landmarks) and an NCX for older readers come from ebooklib; the
content documents are our own XHTML (see ``epub_xhtml``), because ebooklib
would re-parse them as HTML and drop the ``epub:`` namespace. The zip is
rewritten so that two builds with the same ``SOURCE_DATE_EPOCH`` are
byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from ebooklib import epub
from lxml import etree

from publish import lang, render, svg_fix
from publish.book import Book, Metadata
from publish.editions import epub_xhtml as xhtml
from publish.editions.epub_cover import Cover, cover, manuscript_image, media_type
from publish.errors import PublishError
from publish.output import atomic_file
from publish.plan import EDITIONS, REPORT, BuildPlan
from publish.styles import Styles

AUTHOR_ROLE = "aut"  # MARC relator: author, the role readers and stores show as the book's author
FONT_URL = re.compile(r"""url\(\s*["']?\.\./fonts/([^"')]+)["']?\s*\)""")


class _Document(epub.EpubHtml):
    """A content document whose bytes ebooklib writes as they are."""

    def get_content(self, default=None) -> bytes:
        return self.content


class _Writer(epub.EpubWriter):
    """ebooklib's writer, with a navigation document that reads well as a page of the book."""

    def _get_nav(self, item) -> bytes:
        tree = etree.fromstring(super()._get_nav(item))
        for nav in tree.iter(f"{{{xhtml.XHTML}}}nav"):
            nav.find(f"{{{xhtml.XHTML}}}h2").tag = f"{{{xhtml.XHTML}}}h1"
            if nav.get(xhtml.EPUB_TYPE) == "toc":
                nav.set("id", "toc")
            else:  # landmarks are for the reading system, not the reader
                nav.set("hidden", "hidden")
        return etree.tostring(tree, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>") + b"\n"

    def _write_opf_file(self, root) -> None:
        root.set(xhtml.XML_LANG, self.book.language)  # the package's language, for the metadata's text
        super()._write_opf_file(root)


def write(plan: BuildPlan, book: Book, chapters: list[render.RenderedChapter], out: Path) -> list[Path]:
    """Write ``out/<slug>.epub`` and return its path."""
    meta = book.metadata
    modified = plan.date.datetime  # never the clock: two builds of the same sources are the same bytes
    package = _new_epub(meta)
    _add_stylesheet_and_fonts(package, plan.styles)
    front = _add_cover(package, book, plan.styles)
    documents = [*_front_matter(meta, front), *_chapters(meta, chapters)]
    _add_documents(package, documents)
    images = _add_images(package, book, documents, front)
    _add_navigation(package, documents, lang.words(meta))
    _add_accessibility(package, documents, images)
    return [_save(package, out / EDITIONS["epub"].path(book.slug), modified)]


def _new_epub(meta: Metadata) -> epub.EpubBook:
    """The package metadata: identifier, titles, creator and role, language, date."""
    package = epub.EpubBook()
    package.set_identifier(_identifier(meta.identifier))
    package.title = meta.title
    package.add_metadata("DC", "title", meta.title, {"id": "title"})
    package.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if meta.subtitle:
        package.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        package.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    _add_creators(package, meta)
    package.set_language(meta.lang)
    for name in ("date", "publisher", "rights"):
        if getattr(meta, name):
            package.add_metadata("DC", name, getattr(meta, name))
    return package


def _add_creators(package: epub.EpubBook, meta: Metadata) -> None:
    """Each author, in order, with the role every reading system reads first (``aut``), then the book's own.

    Reading systems and stores look for a creator whose role is ``aut`` (calibre
    reads the first role refinement of each ``dc:creator`` and shows "Unknown"
    without one), so each creator's first role is ``aut``; a contribution
    book.yaml names (``aui`` for a foreword, say) follows as a second role
    refinement of the same creator (EPUB 3.3 allows several).
    """
    for number, name in enumerate(meta.authors or (meta.author,), 1):
        uid = "creator" if number == 1 else f"creator-{number}"
        package.add_author(name, role=AUTHOR_ROLE, uid=uid)
        if meta.author_role and meta.author_role != AUTHOR_ROLE:
            package.add_metadata(None, "meta", meta.author_role,
                                 {"refines": f"#{uid}", "property": "role", "scheme": "marc:relators"})


def _identifier(identifier: str) -> str:
    """A bare ISBN becomes a URN; anything else is kept as book.yaml gives it."""
    digits = identifier.replace("-", "").replace(" ", "")
    if re.fullmatch(r"97[89]\d{10}|\d{9}[\dXx]", digits):
        return f"urn:isbn:{digits}"
    return identifier


def _add_stylesheet_and_fonts(package: epub.EpubBook, styles: Styles) -> None:
    """``styles/epub.css`` and the vendored fonts it names (only those)."""
    stylesheet = styles.stylesheet
    css = stylesheet("epub.css").read_bytes()
    package.add_item(epub.EpubItem(uid="stylesheet", file_name=xhtml.STYLESHEET, media_type="text/css", content=css))
    for name in sorted(set(FONT_URL.findall(css.decode("utf-8")))):
        font = styles.fonts_dir / name
        if not font.is_file():
            raise PublishError(f"epub.css names a font that is not vendored: {name}", stylesheet("epub.css"))
        uid = "font-" + re.sub(r"[^a-z0-9]+", "-", font.stem.lower())
        package.add_item(epub.EpubItem(uid=uid, file_name=f"fonts/{name}", media_type="font/otf",
                                       content=font.read_bytes()))


def _add_cover(package: epub.EpubBook, book: Book, styles: Styles) -> Cover:
    front = cover(book, styles)
    image = epub.EpubCover(uid="cover-image", file_name=front.name)
    image.media_type, image.content = front.media_type, front.data
    package.add_item(image)
    package.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    return front


def _front_matter(meta: Metadata, front: Cover) -> list[xhtml.Document]:
    return [xhtml.cover_page(meta, front.name, front.alt), xhtml.title_page(meta), xhtml.imprint(meta)]


def _chapters(meta: Metadata, chapters: list[render.RenderedChapter]) -> list[xhtml.Document]:
    names = [xhtml.chapter_name(index, chapter) for index, chapter in enumerate(chapters, 1)]
    files = {id_: name for name, chapter in zip(names, chapters, strict=True) for id_ in xhtml.chapter_ids(chapter)}
    return [xhtml.chapter_page(meta, name, chapter, files) for name, chapter in zip(names, chapters, strict=True)]


def _add_documents(package: epub.EpubBook, documents: list[xhtml.Document]) -> None:
    for document in documents:
        item = _Document(uid=_item_id(document), file_name=document.name, title=document.title,
                         content=document.content)
        item.properties = document.properties
        package.add_item(item)


def _item_id(document: xhtml.Document) -> str:
    return "text-" + re.sub(r"[^a-z0-9]+", "-", document.name.removesuffix(".xhtml").lower())


def _add_images(package: epub.EpubBook, book: Book, documents: list[xhtml.Document], front: Cover) -> list[str]:
    """The manuscript images the chapters show, each once; returns their package paths."""
    names = sorted({name for document in documents[1:] for name in document.images} - {front.name})
    for number, name in enumerate(names, 1):
        path = manuscript_image(book.root, name, book.root / "book.yaml")
        package.add_item(epub.EpubImage(uid=f"image-{number}", file_name=name, media_type=media_type(path),
                                        content=svg_fix.repair_file(path, name, _report)))
    return names


def _report(message: str) -> None:
    REPORT.info("epub  warning: %s", message)


def _add_navigation(package: epub.EpubBook, documents: list[xhtml.Document], words: lang.Words) -> None:
    """Spine, table of contents (nav and NCX) and landmarks."""
    (cover_page, title_page, imprint), chapters = documents[:3], documents[3:]
    nav = epub.EpubNav(uid="nav", title=words.get("contents"))
    nav.add_link(href=xhtml.STYLESHEET, rel="stylesheet", type="text/css")
    package.add_item(nav)
    package.add_item(epub.EpubNcx())
    # The contents page is read after the imprint, so the landmarks' "toc" points into the spine.
    package.spine = [package.get_item_with_href(document.name) for document in documents]
    package.spine.insert(3, nav)
    package.toc = [link for document in [imprint, *chapters] for link in _contents_entries(document)]
    package.guide = [
        {"type": "cover", "href": cover_page.name, "title": words.get("cover")},
        {"type": "titlepage", "href": title_page.name, "title": words.get("title-page")},
        {"type": "toc", "href": nav.file_name, "title": words.get("contents")},
        {"type": "bodymatter", "href": chapters[0].name, "title": words.get("start-of-text")},
    ]


def _contents_entries(document: xhtml.Document) -> list[epub.Link]:
    """The document's contents entry, then one for each later level-1 heading in it (a many-H1 document)."""
    uid = f"toc-{_item_id(document)}"
    return [epub.Link(document.name, document.title, uid),
            *(epub.Link(f"{document.name}#{ident}", text, f"{uid}-{number}")
              for number, (ident, text) in enumerate(document.headings, 2))]


def _add_accessibility(package: epub.EpubBook, documents: list[xhtml.Document], images: list[str]) -> None:
    """Schema.org accessibility metadata: only what is true of this book."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability", "ARIA"]
    if not any(document.undescribed for document in documents):
        features.append("alternativeText")
    if any("mathml" in document.properties for document in documents):
        features.append("MathML")
    modes = ["textual", "visual"] if images else ["textual"]
    sufficient = ["textual", "textual,visual"] if images and "alternativeText" in features else [",".join(modes)]
    facts = [("schema:accessMode", mode) for mode in modes]
    facts += [("schema:accessModeSufficient", mode) for mode in sufficient]
    facts += [("schema:accessibilityFeature", feature) for feature in features]
    summary = _summary(bool(images), "alternativeText" in features)
    facts += [("schema:accessibilityHazard", "none"), ("schema:accessibilitySummary", summary)]
    for name, value in facts:
        package.add_metadata(None, "meta", value, {"property": name})


def _summary(images: bool, described: bool) -> str:
    if not images:
        pictures = "Its only image is the cover, which has a text description."
    else:
        pictures = "The cover and every image have text descriptions." if described else (
            "Some images have no text description.")
    return (
        "A reflowable ebook of text, with a table of contents, headings for its structure and a logical reading "
        "order. Each note is linked from its call and back, and can be read as a pop-up. The text can be "
        f"resized and restyled by the reading system. {pictures} No conformance claim is made."
    ).strip()


def _save(package: epub.EpubBook, target: Path, modified: dt.datetime) -> Path:
    """ebooklib writes the package; the zip is then rewritten with fixed order and timestamps."""
    raw = io.BytesIO()
    options = {"epub2_guide": False, "epub3_pages": False, "landmark_title": "Landmarks", "mtime": modified}
    writer = _Writer(raw, package, options)
    writer.process()
    writer.write()
    with atomic_file(target) as tmp:
        tmp.write_bytes(deterministic_zip(raw.getvalue(), modified))
    return target


def deterministic_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same entries, ``mimetype`` first and stored, every entry dated *when*, in a fixed order."""
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = ["mimetype"] + [name for name in source.namelist() if name != "mimetype"]
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the build machine
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
