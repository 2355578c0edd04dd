"""Languages: a French and a German book show their own words and quotation marks in every edition.

The words the editions add (Notes, Contents, Imprint…) and the marks straight
quotes become follow the book's ``lang`` (publish/lang.py); book.yaml's
``words:`` overrides any of them; slugs are transliterated.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from publish import lang
from publish.book import load_book
from publish.errors import ManuscriptError
from publish.filters.typography import curl
from tests.conftest import make_manuscript
from tests.pdf_support import page_texts

NNBSP, NBSP = "\u202f", "\u00a0"
CHAPTER = {
    "fr": """\
        # Premier chapitre

        Elle dit : "Voici la lumière"; puis elle partit ! Vraiment? L'été, «déjà».[^a]

        [^a]: Une note : "citée".
        """,
    "de": """\
        # Erstes Kapitel

        Sie sagte: "Das ist das Licht" und ging. Er fragte: 'Wirklich?'[^a]

        [^a]: Eine Anmerkung mit "Zitat".
        """,
}
META = {
    "fr": {"title": "La Lumière d'été", "lang": "fr-FR", "contribution": "Préface", "publisher": "Éditions du Test",
           "date": "2024-06"},
    "de": {"title": "Das Licht im Sommer", "lang": "de-DE", "contribution": "Vorwort", "publisher": "Testverlag",
           "date": "2024-06-05"},
}
ALL = ("pdf", "print", "epub", "html")


@pytest.fixture(scope="module", params=["fr", "de"])
def book(request, tmp_path_factory, build_book) -> tuple[str, Path]:
    code = request.param
    root = make_manuscript(tmp_path_factory.mktemp(code) / "m", {"un.md": CHAPTER[code]}, **META[code])
    return code, build_book(root, ALL)


def _epub_files(out: Path) -> dict[str, str]:
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        return {name: epub.read(name).decode("utf-8") for name in epub.namelist() if name.endswith((".xhtml", ".opf"))}


def test_slugs_are_transliterated(book):
    code, out = book
    assert (out / ("la-lumiere-d-ete.pdf" if code == "fr" else "das-licht-im-sommer.pdf")).is_file()
    assert lang.slug("Ça, c'est l'Œuvre") == "ca-c-est-l-oeuvre"


def test_html_edition_has_the_languages_words_and_quotes(book):
    code, out = book
    html = (out / "html" / "index.html").read_text(encoding="utf-8")
    words = lang.WORDS[code]
    assert f">{words['notes']}<" in html
    assert words["back-to-call"].format(number=1) in html.replace("&#8217;", "’")
    assert words["contribution-by"].format(contribution=META[code]["contribution"], author="A. N. Author") in html
    if code == "fr":
        assert f"«{NNBSP}Voici la lumière{NNBSP}»{NNBSP};" in html
        assert f"dit{NBSP}:" in html and f"partit{NBSP}!" not in html and f"partit{NNBSP}!" in html
        assert f"Vraiment{NNBSP}?" in html and f"«{NNBSP}déjà{NNBSP}»" in html and "L’été" in html
    else:
        assert "„Das ist das Licht“" in html and "‚Wirklich?‘" in html
    assert "\u201d" not in html, "no English closing quote in a French or German book"


def test_epub_edition_has_the_languages_words_and_quotes(book):
    code, out = book
    files = _epub_files(out)
    text = "\n".join(files.values())
    words = lang.WORDS[code]
    nav = next(body for name, body in files.items() if name.endswith("nav.xhtml"))
    assert f"<title>{words['contents']}</title>" in nav or f">{words['contents']}<" in nav
    opf = next(body for name, body in files.items() if name.endswith(".opf"))
    for key in ("cover", "title-page", "contents", "start-of-text"):
        assert f'title="{words[key]}"' in opf or f">{words[key]}<" in nav, key
    assert f">{words['imprint']}</h1>" in text
    assert words["note-back"].format(number=1) in text
    assert words["published-by"].format(publisher=META[code]["publisher"]) in text
    assert ("«\u202fcitée\u202f»" if code == "fr" else "„Zitat“") in text


def test_pdf_editions_have_the_languages_words_and_quotes(book):
    code, out = book
    words = lang.WORDS[code]
    for pdf in out.glob("*.pdf"):
        text = "\n".join(page_texts(pdf))
        flat = re.sub(r"\s+", " ", text.replace(NBSP, " ").replace(NNBSP, " "))
        assert words["contribution-by"].format(contribution=META[code]["contribution"], author="A. N. Author") in flat
        assert words["published-by"].format(publisher=META[code]["publisher"]) in flat
        assert words["set-in"].format(typeface="EB Garamond") in flat
        assert ("juin 2024" if code == "fr" else "5. Juni 2024") in flat
        assert ("« Voici la lumière »" if code == "fr" else "„Das ist das Licht“") in flat
        assert " by " not in flat and "Published" not in flat and "Identifier" not in flat


@pytest.mark.parametrize(("tag", "typed", "set"), [
    ("en-GB", "He said \"no\" and 'yes'.", "He said “no” and ‘yes’."),
    ("es", "Dijo \"no\".", "Dijo «no»."),
    ("it", "Disse \"sì\".", "Disse «sì»."),
    ("de-AT", "Er sagte \"nein\".", "Er sagte „nein“."),
    ("nl", "Hij zei \"nee\".", "Hij zei “nee”."),
    ("fr-CA", "Il a dit \"non\"; c'est tout!", f"Il a dit «{NNBSP}non{NNBSP}»{NNBSP}; c’est tout{NNBSP}!"),
])
def test_straight_quotes_become_the_languages_marks(tag, typed, set):
    assert curl(typed, lang.quotes(tag)) == set


def test_french_spacing_leaves_urls_times_and_typed_spaces_alone():
    marks = lang.quotes("fr")
    assert curl("http://example.org", marks) == "http://example.org"
    assert curl("10:30", marks) == "10:30"
    assert curl(f"déjà{NNBSP}!", marks) == f"déjà{NNBSP}!"


def test_book_yaml_overrides_a_word(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\nTexte.\n"}, lang="fr", words="{contents: Sommaire}")
    words = lang.words(load_book(root).metadata)
    assert words.get("contents") == "Sommaire" and words.get("notes") == "Notes"


@pytest.mark.parametrize(("words", "message"), [
    ("{contnets: Sommaire}", "not a word the editions use"),
    ("{back-to-call: Retour}", "must contain {number}"),
    ("[Sommaire]", "must be a mapping"),
])
def test_a_bad_override_is_one_clear_error(tmp_path, words, message):
    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\nTexte.\n"}, lang="fr", words=words)
    with pytest.raises(ManuscriptError, match=re.escape(message)):
        load_book(root)


def test_another_language_gets_english_words():
    assert lang.Words("pt-BR").get("contents") == "Contents" and lang.quotes("pt") == lang.QUOTES["en"]
