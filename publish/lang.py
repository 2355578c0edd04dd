"""The words the editions generate, and each language's quotation marks, following the book's ``lang``.

One table per language (en, fr, de, es, it, nl): the headings and labels the
editions add (Notes, Contents, Imprint, the title page's "Foreword by …",
the notes' backlinks…) and the marks that straight quotes become. A book's
``words:`` in book.yaml overrides any word. Another language gets the
English words (and may give its own through ``words:``).

Words with a ``{placeholder}`` are filled by ``Words.get``; an override must
keep the same placeholders, which ``check_overrides`` says plainly.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

NNBSP = "\u202f"  # narrow no-break space: inside French guillemets, before ; ! ?
NBSP = "\u00a0"  # no-break space: before a French colon

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "typeface": "{name} by {designer} ({licence})",
        "and": "and", "by": "by {author}", "date": "Date: {date}", "identifier": "Identifier: {identifier}",
        "cover-of": "Cover of {title}", "cover-alt": "Cover: {title}. {byline}.",
        "notes": "Notes", "contents": "Contents", "imprint": "Imprint", "title-page": "Title page",
        "cover": "Cover", "start-of-text": "Start of text", "contribution-by": "{contribution} by {author}",
        "published-by": "Published by {publisher}", "set-in": "Set in {typeface}",
        "back-to-call": "Back to the call of note {number}", "note-back": "Note {number}, back to the text",
    },
    "fr": {
        "typeface": "{name} de {designer} ({licence})",
        "and": "et", "by": "par {author}", "date": "Date\u00a0: {date}",
        "identifier": "Identifiant\u00a0: {identifier}",
        "cover-of": "Couverture de {title}", "cover-alt": "Couverture\u00a0: {title}. {byline}.",
        "notes": "Notes", "contents": "Table des matières", "imprint": "Colophon", "title-page": "Page de titre",
        "cover": "Couverture", "start-of-text": "Début du texte", "contribution-by": "{contribution} de {author}",
        "published-by": "Publié par {publisher}", "set-in": "Composé en {typeface}",
        "back-to-call": "Retour à l’appel de la note {number}", "note-back": "Note {number}, retour au texte",
    },
    "de": {
        "typeface": "{name} von {designer} ({licence})",
        "and": "und", "by": "von {author}", "date": "Datum: {date}", "identifier": "Kennung: {identifier}",
        "cover-of": "Umschlag von {title}", "cover-alt": "Umschlag: {title}. {byline}.",
        "notes": "Anmerkungen", "contents": "Inhalt", "imprint": "Impressum", "title-page": "Titelseite",
        "cover": "Umschlag", "start-of-text": "Textbeginn", "contribution-by": "{contribution} von {author}",
        "published-by": "Erschienen bei {publisher}", "set-in": "Gesetzt aus der {typeface}",
        "back-to-call": "Zurück zum Verweis auf Anmerkung {number}",
        "note-back": "Anmerkung {number}, zurück zum Text",
    },
    "es": {
        "typeface": "{name} de {designer} ({licence})",
        "and": "y", "by": "por {author}", "date": "Fecha: {date}", "identifier": "Identificador: {identifier}",
        "cover-of": "Cubierta de {title}", "cover-alt": "Cubierta: {title}. {byline}.",
        "notes": "Notas", "contents": "Índice", "imprint": "Créditos", "title-page": "Portada",
        "cover": "Cubierta", "start-of-text": "Inicio del texto", "contribution-by": "{contribution} de {author}",
        "published-by": "Publicado por {publisher}", "set-in": "Compuesto en {typeface}",
        "back-to-call": "Volver a la llamada de la nota {number}", "note-back": "Nota {number}, volver al texto",
    },
    "it": {
        "typeface": "{name} di {designer} ({licence})",
        "and": "e", "by": "di {author}", "date": "Data: {date}", "identifier": "Identificativo: {identifier}",
        "cover-of": "Copertina di {title}", "cover-alt": "Copertina: {title}. {byline}.",
        "notes": "Note", "contents": "Indice", "imprint": "Colophon", "title-page": "Frontespizio",
        "cover": "Copertina", "start-of-text": "Inizio del testo", "contribution-by": "{contribution} di {author}",
        "published-by": "Pubblicato da {publisher}", "set-in": "Composto in {typeface}",
        "back-to-call": "Torna al richiamo della nota {number}", "note-back": "Nota {number}, torna al testo",
    },
    "nl": {
        "typeface": "{name} van {designer} ({licence})",
        "and": "en", "by": "door {author}", "date": "Datum: {date}", "identifier": "Identificatie: {identifier}",
        "cover-of": "Omslag van {title}", "cover-alt": "Omslag: {title}. {byline}.",
        "notes": "Noten", "contents": "Inhoud", "imprint": "Colofon", "title-page": "Titelpagina",
        "cover": "Omslag", "start-of-text": "Begin van de tekst", "contribution-by": "{contribution} door {author}",
        "published-by": "Uitgegeven door {publisher}", "set-in": "Gezet in de {typeface}",
        "back-to-call": "Terug naar de verwijzing van noot {number}", "note-back": "Noot {number}, terug naar de tekst",
    },
}

MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
}
# "15 January 2019", "15. Januar 2019": how a full date is written.
DAY_MONTH_YEAR = {"de": "{day}. {month} {year}"}


@dataclass(frozen=True)
class Quotes:
    """What straight quotes become: ``"`` the double pair, ``'`` the single pair; *inside* pads them."""

    double: tuple[str, str]
    single: tuple[str, str]
    inside: str = ""  # French: a narrow no-break space inside « »
    before_stop: dict[str, str] | None = None  # French: the space before ; : ! ?


FRENCH_STOPS = {";": NNBSP, "!": NNBSP, "?": NNBSP, ":": NBSP}
QUOTES: dict[str, Quotes] = {
    "en": Quotes(("\u201c", "\u201d"), ("\u2018", "\u2019")),
    "fr": Quotes(("\u00ab", "\u00bb"), ("\u201c", "\u201d"), inside=NNBSP, before_stop=FRENCH_STOPS),
    "de": Quotes(("\u201e", "\u201c"), ("\u201a", "\u2018")),
    "es": Quotes(("\u00ab", "\u00bb"), ("\u201c", "\u201d")),
    "it": Quotes(("\u00ab", "\u00bb"), ("\u201c", "\u201d")),
    "nl": Quotes(("\u201c", "\u201d"), ("\u2018", "\u2019")),
}


def base(tag: str) -> str:
    """``fr-FR`` → ``fr``; a language without a table → ``en``."""
    primary = re.split(r"[-_]", (tag or "en").strip().lower(), maxsplit=1)[0]
    return primary if primary in WORDS else "en"


def quotes(tag: str) -> Quotes:
    return QUOTES[base(tag)]


@dataclass(frozen=True)
class Words:
    """The generated words of one book: its language's table with book.yaml's ``words:`` laid over."""

    lang: str
    overrides: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, **values: object) -> str:
        text = dict(self.overrides).get(key) or WORDS[base(self.lang)].get(key) or WORDS["en"][key]
        return text.format(**values) if values else text

    def names(self, names: tuple[str, ...] | list[str]) -> str:
        """Several authors as a phrase: "A, B and C" ("A, B et C" in French)."""
        names = list(names)
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} {self.get('and')} {names[-1]}"

    def around(self, key: str, name: str, **values: object) -> tuple[str, str]:
        """The word *key* cut where ``{name}`` goes: ("Foreword by ", "") so the name can be marked up."""
        before, _, after = self.get(key, **{name: "\0"}, **values).partition("\0")
        return before, after

    def date(self, date: str) -> str:
        """``2019-01`` → "January 2019" (in the book's language); ``2019-01-15`` → "15 January 2019"."""
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", date)
        if not match or not 1 <= int(match[2]) <= 12:
            return date
        month = MONTHS[base(self.lang)][int(match[2]) - 1]
        if not match[3]:
            return f"{month} {match[1]}"
        pattern = DAY_MONTH_YEAR.get(base(self.lang), "{day} {month} {year}")
        return pattern.format(day=int(match[3]), month=month, year=match[1])


def words(metadata) -> Words:
    """The words of the book whose Metadata is *metadata* (its ``lang`` and ``words``)."""
    return Words(metadata.lang, tuple(getattr(metadata, "words", ()) or ()))


def check_overrides(overrides: object) -> tuple[tuple[str, str], ...] | str:
    """book.yaml's ``words:`` as pairs, or the one-line reason it is wrong."""
    if overrides is None or overrides == {}:
        return ()
    if not isinstance(overrides, dict):
        return "words: must be a mapping of word → text (e.g. contents: Table of Contents)"
    pairs = []
    for key, text in overrides.items():
        if key not in WORDS["en"]:
            return f"words: {key!r} is not a word the editions use (known: {', '.join(WORDS['en'])})"
        if not isinstance(text, str) or not text.strip():
            return f"words: {key} must be a text"
        want = _fields(WORDS["en"][key])
        if _fields(text) != want:
            need = ", ".join("{" + f + "}" for f in sorted(want)) or "no {placeholder}"
            return f"words: {key} must contain {need}, as in {WORDS['en'][key]!r}"
        pairs.append((key, text.strip()))
    return tuple(pairs)


def _fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"(unbalanced braces)"}


def slug(text: str) -> str:
    """A file-name slug, letters transliterated: "La Lumière d'été" → ``la-lumiere-d-ete``."""
    from unidecode import unidecode

    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")
