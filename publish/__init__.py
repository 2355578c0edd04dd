"""publish: one Markdown manuscript, three editions (PDF, EPUB 3, HTML) through pandoc."""

__version__ = "0.1.0"
