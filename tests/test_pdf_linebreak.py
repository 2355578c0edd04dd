"""No line of a paragraph holds only the first word, or the first piece of it, of the text that follows.

WeasyPrint 70's ``split_first_line`` took a text that fits its line but for
its trailing space (a text followed by an inline element) for one word too
wide to break, and cut it after its first word, hyphenated where it could:
when the full stop after an inline ``<code>`` overflowed a line, that line
held only ``‘home‐`` and the rest of the text went below it
(publish/editions/pdf_linebreak.py). The paragraphs are laid out by
WeasyPrint through print.css, as the PDF edition sets them.
"""

from __future__ import annotations

import random
import re

import pytest

from publish.styles import DEFAULT as STYLES

HYPHEN = "\u2010"  # what WeasyPrint adds where it hyphenates a word

# Ends a line with "named" at 202pt; the next text, up to the code, then fits but for its trailing space.
PARAGRAPH = ("Before the lecture began, the teacher asked everyone in the room to open the folder named "
             "‘homework’ and to look for the settings kept in <code>notes.cfg</code>. Then she waited "
             "patiently for the slowest laptops to catch up with the others.")

# No word here is half as wide as the narrowest measure below (160pt), so a line holding a single word,
# or a piece of one, before the paragraph's last line is never forced: the previous line, or the word's
# own line, could always have held more.
_WORD_LIST = ("lantern orchard pebble quarrel saddle tinsel velvet walnut bramble cobbler dolphin furnace "
              "gravel hammock juniper kettle lobster mitten nutmeg oyster pilgrim rhubarb scarlet thimble "
              "umbrella vinegar whistle anchorage blueprint carpenter daffodil elephant fragrance gossamer "
              "harmony illusion labyrinth marigold navigator passenger quicksilver reservoir "
              "a an the of to in on and or but is was it we they by at")
WORDS = _WORD_LIST.split()


def _lines(paragraphs: list[tuple[float, str]]) -> list[list[str]]:
    """Each paragraph (its measure in points, its HTML), laid out: the text of each of its lines."""
    pytest.importorskip("weasyprint")
    from publish import weasy

    weasyprint = weasy.load()  # installs pdf_linebreak, as the PDF edition does
    from weasyprint.text.fonts import FontConfiguration

    from publish.editions.pdf_notes import descendants

    fonts = FontConfiguration()
    page = "@page { size: 200mm 1000mm; margin: 5mm } p { break-inside: avoid }"
    css = (STYLES / "print.css").read_text(encoding="utf-8") + page
    sheet = weasyprint.CSS(string=css, base_url=str(STYLES) + "/", font_config=fonts)
    body = "".join(f'<p style="width: {width:.2f}pt">{text}</p>' for width, text in paragraphs)
    document = weasyprint.HTML(string=f'<html lang="en"><body>{body}</body></html>').render(
        stylesheets=[sheet], font_config=fonts)
    blocks = [box for page in document.pages for box in descendants(page._page_box)
              if type(box).__name__ == "BlockBox" and box.element_tag == "p"]
    assert len(blocks) == len(paragraphs)  # none split between two pages
    return [["".join(text.text for text in descendants(line) if type(text).__name__ == "TextBox")
             for line in block.children if type(line).__name__ == "LineBox"] for block in blocks]


def _words(html: str) -> list[str]:
    return re.sub(r"<[^>]+>", "", html).split()


def _set_words(lines: list[str]) -> list[str]:
    """The words of the lines, a word hyphenated at a line's end joined again with its rest."""
    text = ""
    for line in lines:
        line = line.strip()
        text += line[:-1] if line.endswith(HYPHEN) else line + " "
    return text.split()


def _lone(lines: list[str]) -> list[str]:
    """Lines before the last that hold a single word, or a single piece of one ending in the hyphen."""
    return [line for line in lines[:-1] if " " not in line.strip()]


def test_a_text_that_fits_but_for_its_trailing_space_is_not_cut_to_its_first_piece():
    lines, = _lines([(202, PARAGRAPH)])
    assert not [line for line in lines if re.fullmatch(rf"\S+{HYPHEN}", line.strip())], lines
    assert not _lone(lines), lines
    assert _set_words(lines) == _words(PARAGRAPH)
    assert lines[1].rstrip().endswith("named")  # the case set up: the next line starts with the quoted word
    assert lines[2].startswith("‘homework’ and to look")


def test_generated_paragraphs_have_no_line_of_a_lone_word_or_piece():
    rng = random.Random(20260)
    paragraphs = []
    for _ in range(300):
        words = []
        for _ in range(rng.randint(25, 60)):
            word, roll = rng.choice(WORDS), rng.random()
            if roll < 0.06:
                word = f"<code>{word[:6]}.txt</code>"
            elif roll < 0.10:
                word = f"<em>{word}</em>"
            elif roll < 0.13:
                word += ","
            words.append(word)
        paragraphs.append((round(rng.uniform(160, 340) * 4) / 4, " ".join(words) + "."))
    laid_out = _lines(paragraphs)
    faults = [(width, lone, lines) for (width, _), lines in zip(paragraphs, laid_out, strict=True)
              if (lone := _lone(lines))]
    pieces = [fault for fault in faults if any(line.strip().endswith(HYPHEN) for line in fault[1])]
    assert not pieces, f"{len(pieces)} paragraphs with a line of a lone hyphenated piece, the first: {pieces[0]}"
    assert not faults, f"{len(faults)} paragraphs with a line of a lone word, the first: {faults[0]}"
    for (_, html), lines in zip(paragraphs, laid_out, strict=True):
        assert _set_words(lines) == _words(html)
