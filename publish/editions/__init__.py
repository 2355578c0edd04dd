"""One module per edition, each with one public function ``write(book, chapters, out)``.

Editions do not import each other; what they share lives below them
(book, render, styles, output).
"""
