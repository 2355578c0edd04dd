"""One reader of built editions: what check/, diff/ and the tests learn from a build folder's files.

- ``folder``: a build folder's files, by the edition registry, read only from inside it and under a size cap;
- ``pdf``: the PDF editions' characters and lines with positions, named destinations, page images and
  objects; ``furniture``: which lines are running heads and folios (one rule);
- ``html``: the chapters, blocks and notes of a markup edition (HTML, or the EPUB's XHTML);
- ``epub``: the EPUB's content documents in spine order.

Nothing above this package imports a PDF library or parses an edition itself.
"""
