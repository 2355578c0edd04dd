"""One module per edition, each with one public function ``write(plan, book, chapters, out) -> list[Path]``.

The registry (``publish.plan.EDITIONS``) says which module writes which
edition; a module writes the editions of its own that the plan asks for
(``pdf`` writes both PDFs from one layout). Editions do not import each
other; what they share lives below them (plan, book, render, styles, output).
"""
