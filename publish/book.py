"""Load and validate a manuscript folder: ``book.yaml`` plus its chapters.

A manuscript is a folder holding ``book.yaml`` (metadata and the ordered list
of chapter files) and the chapters in pandoc Markdown. ``load_book`` reads it
once and returns a :class:`Book`; every problem is a ManuscriptError naming
the file, and the line where there is one.
"""

from __future__ import annotations

import dataclasses
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from publish import book_styles, files, nesting, snapshot, yamlload
from publish import config as checks
from publish.errors import ManuscriptError

REQUIRED = ("title", "author", "lang")
# Where a chapter stands: front matter has roman folios, the body arabic from 1, back matter runs on.
MATTERS = ("front", "body", "back")
# Named trims a publisher may ask for, in millimetres (width, height).
NAMED_TRIMS = {
    "a5": (148.0, 210.0),
    "a4": (210.0, 297.0),
    "b5": (176.0, 250.0),
    "royal": (156.0, 234.0),
    "demy": (138.0, 216.0),
    "us-trade": (152.4, 228.6),
}
DEFAULT_TRIM = (156.0, 234.0)
UNIT_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}
# C0 controls other than tab and newline, DEL, and the non-characters XML refuses.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# book.yaml keys whose value is one line of text (every scalar is read as text: see yamlload), and list keys;
# author (a name or a list of names), words and css are checked where they are read (config, lang, book_styles).
TEXT_KEYS = ("title", "subtitle", "author-role", "contribution", "lang", "slug", "identifier", "isbn",
             "date", "publisher", "rights", "trim", "folio", "cover", "raw-html")
LIST_KEYS = ("chapters",)


@dataclass(frozen=True)
class Metadata:
    """What ``book.yaml`` says of the book."""

    title: str
    author: str  # every author, as a phrase ("A and B"); each is in ``authors``
    lang: str
    slug: str
    identifier: str
    subtitle: str = ""
    author_role: str = "aut"  # MARC relator code: aut author, aui introduction…
    contribution: str = ""  # e.g. "Foreword": the title page says "Foreword by …"
    date: str = ""
    publisher: str = ""
    rights: str = ""
    trim: tuple[float, float] = DEFAULT_TRIM  # width, height in mm
    folio: str = ""  # book-wide folio style, "roman" or "arabic"; "" lets each chapter's matter decide
    cover: str = ""  # image path inside the manuscript, optional
    raw_html: str = "refuse"  # active raw HTML: "refuse" (default) or "sanitise"
    words: tuple[tuple[str, str], ...] = ()  # book.yaml's words: overriding the generated words (publish/lang.py)
    authors: tuple[str, ...] = ()  # book.yaml's author, or each name of its list
    css: tuple[tuple[str, str], ...] = ()  # book.yaml's css: (edition stylesheet, file in the manuscript) pairs
    crop_marks: bool = True  # book.yaml's crop-marks: false → the print PDF at trim plus bleed, without marks


@dataclass(frozen=True)
class Chapter:
    """One chapter file: its place in the book, its id and its Markdown text."""

    path: Path
    id: str
    text: str
    matter: str = "body"  # "front" (roman folios), "body" (arabic, from 1) or "back" (arabic, running on)


@dataclass(frozen=True)
class Book:
    root: Path
    metadata: Metadata
    chapters: list[Chapter] = field(default_factory=list)
    warnings: tuple[str, ...] = ()  # unknown keys in book.yaml, each with its line and the nearest known key

    @property
    def slug(self) -> str:
        return self.metadata.slug


def load_book(path: Path | str) -> Book:
    """Read the manuscript folder at *path*; raise ManuscriptError if it is unusable."""
    root = Path(path)
    if not root.is_dir():
        raise ManuscriptError("no manuscript folder here: to start a book, run 'publish init'", root)
    snapshot.begin(root)  # from here on each file is read once: cache, build and manifest share the bytes
    config = read_config(root / "book.yaml")
    metadata = _metadata(config, root / "book.yaml")
    default_matter = "front" if metadata.folio == "roman" else "body"
    chapters = [_read_chapter(root, name, root / "book.yaml", matter or default_matter)
                for name, matter in _chapter_list(config, root / "book.yaml")]
    warnings = checks.unknown_keys(config, _key_lines(root / "book.yaml"), root / "book.yaml")
    return Book(root=root, metadata=metadata, chapters=_unique_ids(chapters), warnings=tuple(warnings))


def _key_lines(path: Path) -> dict[str, int]:
    return checks.key_lines(_decode(files.read(path.parent, path.name, "book.yaml", path), path))


def _unique_ids(chapters: list[Chapter]) -> list[Chapter]:
    """``01-chapter.md`` and ``02-chapter.md`` both give ``chapter``: the second becomes ``chapter-2``.

    A chapter's id prefixes its block, note and call ids, which must be unique across the book.
    """
    seen: set[str] = set()
    unique = []
    for chapter in chapters:
        id_, n = chapter.id, 1
        while id_ in seen:
            n += 1
            id_ = f"{chapter.id}-{n}"
        seen.add(id_)
        unique.append(dataclasses.replace(chapter, id=id_) if id_ != chapter.id else chapter)
    return unique


def read_config(path: Path) -> dict:
    """book.yaml at *path*, read within its cap, parsed under yamlload's bounds, every known key type-checked."""
    if not os.path.lexists(path):
        raise ManuscriptError("book.yaml is missing: a manuscript needs one (title, author, lang, chapters); "
                              "to start a book, run 'publish init'", path)
    text = _decode(files.read(path.parent, path.name, "book.yaml", path), path)
    node = yamlload.compose(text, path)
    data = yamlload.load(text, path, yamlload.TextLoader)
    if data is None:
        raise ManuscriptError("book.yaml is empty: it needs title, author, lang and chapters", path)
    if not isinstance(data, dict):
        raise ManuscriptError("book.yaml must be a mapping of keys (title: …, author: …)", path)
    _check_types(data, _value_lines(node), path)
    return data


def _value_lines(node) -> dict:
    """Each top-level key of the YAML mapping *node* → the line its value starts on."""
    pairs = getattr(node, "value", []) if node is not None and node.tag.endswith(":map") else []
    return {getattr(key, "value", None): value.start_mark.line + 1 for key, value in pairs}


def _check_types(data: dict, lines: dict, path: Path) -> None:
    """Each known key holds what it must: one line of text, or a list of texts; else an error at its line."""
    for key, value in data.items():
        line = lines.get(key)
        if key in TEXT_KEYS and value is not None and not isinstance(value, str):
            raise ManuscriptError(f"{key} must be text, not {_kind(value)}", path, line)
        if key in (*TEXT_KEYS, "author") and isinstance(value, str) and (found := CONTROL.search(value)):
            raise ManuscriptError(f"{key} holds control character U+{ord(found[0]):04X}: no edition can carry it",
                                  path, line)
        if key in LIST_KEYS and value is not None and not isinstance(value, list):
            raise ManuscriptError(f"{key} must be a list (one '- item' a line), not {_kind(value)}", path, line)


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "text"}.get(type(value), type(value).__name__)


def _metadata(config: dict, path: Path) -> Metadata:
    missing = [key for key in REQUIRED if not _text(config.get(key))]
    if missing:
        raise ManuscriptError(f"book.yaml lacks required key(s): {', '.join(missing)}", path)
    title, lang = _text(config["title"]), _text(config["lang"])
    lines = _key_lines(path)
    authors = checks.authors(config["author"], path, lines.get("author"))
    if not LANG_RE.match(lang):
        raise ManuscriptError(f"lang {lang!r} is not a BCP 47 language tag (e.g. en-GB)", path)
    folio = _text(config.get("folio"))
    if folio not in ("", "roman", "arabic"):
        raise ManuscriptError(f"folio must be 'roman' or 'arabic', not {folio!r}", path)
    raw_html = _text(config.get("raw-html")) or "refuse"
    if raw_html not in ("refuse", "sanitise"):
        raise ManuscriptError(f"raw-html must be 'refuse' or 'sanitise', not {raw_html!r}", path)
    slug = _text(config.get("slug")) or _slugify(title)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        raise ManuscriptError(f"slug {slug!r} must be lower-case letters, digits and hyphens", path)
    if _text(config.get("isbn")):
        checks.check_isbn(_text(config["isbn"]), path, lines.get("isbn"))
    if checks.looks_like_isbn(_text(config.get("identifier"))):
        checks.check_isbn(_text(config["identifier"]), path, lines.get("identifier"))
    if _text(config.get("date")):
        checks.check_date(_text(config["date"]), path, lines.get("date"))
    words = _words(config.get("words"), path)
    from publish.lang import Words

    author = Words(lang, words).names(authors)
    identifier = _text(config.get("identifier")) or _text(config.get("isbn"))
    if not identifier:
        # Stable across builds: derived from what names the book, never random.
        identifier = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{author}/{title}')}"
    return Metadata(
        title=title,
        author=author,
        lang=lang,
        slug=slug,
        identifier=identifier,
        subtitle=_text(config.get("subtitle")),
        author_role=_text(config.get("author-role")) or "aut",
        contribution=_text(config.get("contribution")),
        date=_text(config.get("date")),
        publisher=_text(config.get("publisher")),
        rights=_text(config.get("rights")),
        trim=parse_trim(config.get("trim"), path),
        folio=folio,
        cover=_text(config.get("cover")),
        raw_html=raw_html,
        words=words,
        authors=authors,
        css=book_styles.parse_css(path.parent, config.get("css"), path),
        crop_marks=_crop_marks(config.get("crop-marks", True), path, lines.get("crop-marks")),
    )


def _crop_marks(value: object, path: Path, line: int | None) -> bool:
    """``crop-marks: true`` (the default) or ``false``: whether the print PDF has crop marks."""
    words = {"true": True, "yes": True, "false": False, "no": False}
    if isinstance(value, str) and value.strip().lower() in words:  # book.yaml's values may be read as text
        return words[value.strip().lower()]
    if not isinstance(value, bool):
        where = f"{path}:{line}" if line else str(path)
        raise ManuscriptError(f"crop-marks must be true or false, not {value!r} ({where})", path)
    return value


def _words(value: object, path: Path) -> tuple[tuple[str, str], ...]:
    from publish import lang

    found = lang.check_overrides(value)
    if isinstance(found, str):
        raise ManuscriptError(found, path)
    return found


def parse_trim(value: object, path: Path | None = None) -> tuple[float, float]:
    """``"156mm 234mm"``, ``"5.5in 8.5in"`` or a name such as ``A5`` → (width, height) in mm."""
    if value is None or value == "":
        return DEFAULT_TRIM
    text = str(value).strip().lower()
    if text in NAMED_TRIMS:
        return NAMED_TRIMS[text]
    parts = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*[x× ]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)", text)
    if not parts:
        raise ManuscriptError(
            f"trim {value!r} is not a size: write '156mm 234mm', '5.5in 8.5in' or a name ({', '.join(NAMED_TRIMS)})",
            path,
        )
    width = float(parts[1]) * UNIT_MM[parts[2]]
    height = float(parts[3]) * UNIT_MM[parts[4]]
    if not (50 <= width <= 500 and 50 <= height <= 700):
        raise ManuscriptError(f"trim {value!r} is not a plausible page size", path)
    return (round(width, 3), round(height, 3))


def _chapter_list(config: dict, path: Path) -> list[tuple[str, str]]:
    """Each chapter's file and matter: ``- foreword.md`` or ``- {file: foreword.md, matter: front}``."""
    chapters = config.get("chapters")
    if not chapters or not isinstance(chapters, list):
        raise ManuscriptError("book.yaml needs 'chapters:', a list of the chapter files in order", path)
    entries = [_chapter_entry(entry, path) for entry in chapters]
    names = [name for name, _ in entries]
    if len(set(names)) != len(names):
        raise ManuscriptError("a chapter is listed twice under 'chapters:'", path)
    return entries


def _chapter_entry(entry: object, path: Path) -> tuple[str, str]:
    if isinstance(entry, dict):
        name, matter = entry.get("file"), _text(entry.get("matter"))
        unknown = set(entry) - {"file", "matter"}
        if unknown:
            raise ManuscriptError(f"a chapter entry may say only 'file' and 'matter', not {sorted(unknown)[0]!r}", path)
        if matter not in MATTERS and matter != "":
            raise ManuscriptError(f"matter must be one of {', '.join(MATTERS)}, not {matter!r}", path)
    else:
        name, matter = entry, ""
    if not isinstance(name, str) or not name.strip():
        raise ManuscriptError("every entry under 'chapters:' must be a file name (or file: and matter:)", path)
    return name, matter


def _read_chapter(root: Path, name: str, config_path: Path, matter: str = "body") -> Chapter:
    path = root / name
    if not os.path.lexists(path):
        raise ManuscriptError(f"chapter {name!r} is listed in book.yaml but does not exist", config_path)
    text = _decode(files.read(root, name, "chapter", config_path), path)
    if not text.strip():
        raise ManuscriptError("chapter is empty", path)
    control = CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise ManuscriptError(f"control character U+{ord(control[0]):04X} in the text: no edition can carry it",
                              path, line)
    nesting.check_text(text, path)  # before pandoc, the JSON decoder or a filter recurses into it
    return Chapter(path=path, id=chapter_id(name), text=text, matter=matter)


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8, with or without a BOM; CRLF and CR line endings become LF."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = f"not UTF-8 (byte {error.start}, 0x{raw[error.start]:02x}): save it as UTF-8"
        raise ManuscriptError(message, path, line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def chapter_id(name: str) -> str:
    """``02-about-the-author.md`` → ``about-the-author``: the id prefix of its blocks and notes."""
    stem = Path(name).stem
    stem = re.sub(r"^\d+[-_ .]*", "", stem) or stem
    return _slugify(stem) or "chapter"


def _slugify(text: str) -> str:
    """Letters transliterated (unidecode): "Lumière" → ``lumiere``, not ``lumi-re``."""
    from publish.lang import slug

    return slug(text)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()
