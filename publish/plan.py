"""The build plan and the edition registry: what a build decides once, and the one table of editions.

``build()`` makes one :class:`BuildPlan` at its start (the manuscript, the
output folder, the editions asked for, the date, the styles in force and the
options) and passes it down, as an argument, to every stage: the cache, each
edition's ``write(plan, book, chapters, out)``, the manifest. No stage reads
the build's date, styles or options from the environment or a global.

:data:`EDITIONS` names each edition once: its name (the CLI's ``-f``, the
manifest's ``formats``), where its file lies in a build folder, the module
that writes it, the stylesheets it reads, its PDF variant and its label.
The CLI, build, cache, manifest, check and diff all read it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from publish.errors import PublishError

if TYPE_CHECKING:  # imported where used: the CLI reads this registry, and a no-op build must stay cheap
    from publish.epoch import Epoch
    from publish.styles import Styles


@dataclass(frozen=True)
class Edition:
    """One edition of the book, as the registry names it."""

    name: str  # the word for it everywhere: -f pdf,print,epub,html, the manifest, check, diff
    output: str  # its file in a build folder; {slug} is the book's slug
    module: str  # publish.editions.<module> writes it (both PDFs come from the one layout of "pdf")
    stylesheets: tuple[str, ...]  # files of the styles folder it reads (the fonts count for every edition)
    pdf_variant: str | None  # WeasyPrint's pdf_variant, for the PDFs
    label: str  # how a report names it

    def path(self, slug: str) -> str:
        """The edition's file, relative to the build folder."""
        return self.output.format(slug=slug)


# The print edition's bleed on each side, in mm (its BleedBox; the manifest's trim records it).
BLEED_MM = 3.0
_PDF_INPUTS = ("print.css", "icc/FOGRA39L.icc")
EDITIONS: dict[str, Edition] = {edition.name: edition for edition in (
    Edition("pdf", "{slug}.pdf", "pdf", _PDF_INPUTS, "pdf/ua-1", "digital PDF"),
    Edition("print", "{slug}-print.pdf", "pdf", _PDF_INPUTS, "pdf/x-4", "print PDF"),
    # The EPUB's page-list comes from the PDF's layout (build._page_list), so the PDF's inputs count for it too.
    Edition("epub", "{slug}.epub", "epub", ("epub.css", *_PDF_INPUTS), None, "EPUB"),
    Edition("html", "html/index.html", "html", ("web.css",), None, "HTML"),
)}
NAMES = tuple(EDITIONS)
# the edition modules, each once, in the order a build runs them
MODULES = tuple(dict.fromkeys(edition.module for edition in EDITIONS.values()))
RAW_HTML = ("refuse", "sanitise")
# What an edition reports to the person building (a layout warning, say): build.py collects it.
REPORT = logging.getLogger("publish.report")
REPORT.setLevel(logging.INFO)
REPORT.propagate = False
# What an edition says while it works (the PDF: each chapter as it is laid out): build.py shows it as progress.
PROGRESS = logging.getLogger("publish.progress")
PROGRESS.setLevel(logging.INFO)
PROGRESS.propagate = False


def editions_of(module: str) -> tuple[Edition, ...]:
    """The registry's editions written by *module*."""
    return tuple(edition for edition in EDITIONS.values() if edition.module == module)


def check_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """*names* if each names an edition; else one clear error."""
    unknown = [name for name in names if name not in EDITIONS]
    if unknown:
        raise PublishError(f"unknown format(s): {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    return tuple(names)


@dataclass(frozen=True)
class BuildPlan:
    """Everything one build decided at its start; immutable, passed down to every stage."""

    manuscript: Path  # as given (the manifest records it so)
    out: Path
    editions: tuple[str, ...]
    date: Epoch
    styles: Styles = field(default_factory=lambda: _toolchain_styles())
    strict: bool = False
    force: bool = False
    raw_html: str = "refuse"  # the book's policy for active raw HTML (book.yaml's raw-html)

    @property
    def modules(self) -> list[str]:
        """The edition modules this build runs, each once, in a fixed order."""
        return [module for module in MODULES if any(EDITIONS[name].module == module for name in self.editions)]

    def wanted(self, module: str) -> tuple[Edition, ...]:
        """The editions asked for that *module* writes, in the registry's order."""
        return tuple(edition for edition in editions_of(module) if edition.name in self.editions)

    def options(self, module: str) -> dict:
        """Every option that shapes what *module* writes (its cache key covers them)."""
        options = {"editions": [edition.name for edition in self.wanted(module)], "strict": self.strict,
                   "source_date_epoch": self.date.seconds, "raw_html": self.raw_html}
        if module == "epub":  # a page-list only when a PDF is made with it
            options["page_list"] = any(EDITIONS[name].module == "pdf" for name in self.editions)
        return options


def make(manuscript: Path, out: Path, editions: tuple[str, ...] = NAMES, *, styles: Styles | None = None,
         date: Epoch | None = None, strict: bool = False, force: bool = False,
         raw_html: str = "refuse") -> BuildPlan:
    """The plan of a build: the editions checked, the styles and the date resolved once."""
    from publish import epoch

    styles = styles or _toolchain_styles()
    if raw_html not in RAW_HTML:
        raise PublishError(f"raw-html must be one of {', '.join(RAW_HTML)}, not {raw_html!r}")
    # One date for the whole build (SOURCE_DATE_EPOCH, else the last commit of the sources): reproducible bytes.
    date = date or epoch.resolve([Path(manuscript), styles.root])
    return BuildPlan(Path(manuscript), Path(out), check_names(tuple(editions)), date, styles, strict, force,
                     raw_html)


def _toolchain_styles() -> Styles:
    from publish.styles import Styles

    return Styles()


@contextlib.contextmanager
def collected(loggers: list[logging.Logger], level: int, drop=None) -> Iterator[list[str]]:
    """The messages *loggers* log at *level* or above while the block runs (but those *drop* matches)."""
    messages: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if drop is None or not drop.search(message):
                messages.append(message)

    handler = Collector(level=level)
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield messages
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def reported() -> contextlib.AbstractContextManager[list[str]]:
    """Collect the lines editions report (``REPORT``) while the block runs."""
    return collected([REPORT], logging.INFO)
