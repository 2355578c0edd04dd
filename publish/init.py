"""``publish init [FOLDER]``: scaffold a new book that builds at once.

The folder gets a commented ``book.yaml`` (every key the build reads, the
optional ones commented out), two chapters with notes, and an image drawn here
with Pillow, so that ``publish build FOLDER`` works straight away and the
author has an example of each thing a manuscript can hold.
"""

from __future__ import annotations

from pathlib import Path

from publish.errors import OutputError

BOOK_YAML = """\
# book.yaml: what the book is, and the order of its chapters.
# Only title, author, lang and chapters are required; the rest is optional.

title: {title}
# subtitle: A subtitle, on the title page and in the metadata
author: A. N. Author
# Several authors are a list:
# author:
#   - A. N. Author
#   - B. Other
# author-role: aut            # MARC relator code: aut author, aui author of a foreword…
# contribution: Foreword      # the title page then says "Foreword by A. N. Author"

lang: en-GB                   # BCP 47: the words the editions add and the quotes follow it (fr, de, es, it, nl…)
# date: 2026-05-01            # YYYY, YYYY-MM or YYYY-MM-DD: the date of publication
# isbn: 978-0-00-000000-2     # checked (its check digit must be right); else give an identifier:
# identifier: urn:uuid:…      # without either, a stable one is derived from title and author
# publisher: A Small Press
# rights: © 2026 A. N. Author. All rights reserved.
# slug: my-book               # the editions' file names (default: from the title)

# trim: 156mm 234mm           # the printed page: "5.5in 8.5in" or a name (A5, royal, demy, us-trade…)
# folio: roman                # page numbers of the opening pages: roman or arabic
# cover: images/cover.jpg     # the EPUB's cover image, inside this folder (default: one is drawn from the title)
# raw-html: refuse            # raw HTML in the chapters: refuse (default) or sanitise (keep only safe markup)

# Stylesheets of this book, laid over the toolchain's: a styles/ folder here
# (print.css, epub.css, web.css, any of them) is used without saying; or name files:
# css:
#   print: styles/my-print.css
#   epub: styles/my-epub.css
#   web: styles/my-web.css

# The words the editions add (Contents, Notes…) follow lang; any can be replaced:
# words:
#   contents: Table of Contents

chapters:
  - 01-beginning.md
  - 02-second-thoughts.md
"""

CHAPTER_ONE = """\
# Beginning

This is the first chapter of *{title}*. Write in pandoc Markdown: a blank line
between paragraphs, *italics* and **bold**, and a note where you want one.[^first]
Quotes may be typed straight, "like this", or curled; a dash – like this – as Unicode.

![A circle and a square, drawn when the book was made.](images/figure.png)

A note can also be written inline.^[An inline note: its text stays where its call is.]

[^first]: A note. The PDF sets it at the foot of the page of its call, the EPUB as a
    pop-up, the HTML edition beside the text on a wide screen.
"""

CHAPTER_TWO = """\
# Second thoughts

The second chapter. Note labels belong to their chapter, so each chapter may
start again at its own first note.[^first]

[^first]: Another note, numbered in its chapter.
"""


def scaffold(folder: Path) -> list[Path]:
    """Write a new book into *folder* (created if need be); refuse to overwrite anything there."""
    folder = Path(folder)
    if str(folder) == "":
        raise OutputError("the folder for the new book is an empty path")
    if folder.exists() and not folder.is_dir():
        raise OutputError("is a file, not a folder: publish init needs a folder for the book", folder)
    if folder.is_dir() and any(folder.iterdir()):
        raise OutputError("is not empty: publish init writes a new book into an empty or new folder only", folder)
    title = _title(folder)
    files = {
        "book.yaml": BOOK_YAML.format(title=title),
        "01-beginning.md": CHAPTER_ONE.format(title=title),
        "02-second-thoughts.md": CHAPTER_TWO,
    }
    (folder / "images").mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    written.append(_figure(folder / "images" / "figure.png"))
    return written


def _title(folder: Path) -> str:
    """``my-first-novel`` → ``My First Novel``; a folder such as ``.`` gives "My Book"."""
    name = folder.resolve().name.replace("-", " ").replace("_", " ").strip()
    return name.title() if name and name.lower() != "manuscript" else "My Book"


def _figure(path: Path) -> Path:
    """Draw the example image (a circle and a square) with Pillow: nothing binary is shipped."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), (250, 248, 242))
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 50, 260, 250), outline=(40, 40, 40), width=6)
    draw.rectangle((340, 50, 540, 250), fill=(180, 60, 40))
    image.save(path, format="PNG", optimize=True)
    return path
