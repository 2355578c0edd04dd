"""Import WeasyPrint, or say in one line what is missing and how to install it.

WeasyPrint needs Pango and HarfBuzz from the system; without them its import
fails with an OSError from cffi, which a publisher should never see raw.

It also gives every machine one font-subsetting path (HarfBuzz from the
uharfbuzz wheel), so the PDF bytes do not depend on the system's libraries.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

from publish.errors import ToolError

LOGGER = logging.getLogger("weasyprint")

APT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"


def load() -> ModuleType:
    """The weasyprint module; ToolError naming the missing piece if it cannot be imported."""
    try:
        weasyprint = importlib.import_module("weasyprint")
    except OSError as error:
        library = str(error).split(":")[0].strip()
        raise ToolError(f"WeasyPrint cannot load its system libraries ({library}): install them with '{APT}'") from None
    except ImportError:
        raise ToolError("WeasyPrint is not installed: python3 -m pip install weasyprint") from None

    _one_subsetter()
    from publish import weasy_pages

    weasy_pages.install()  # PDF/UA tagging linear in the pages, not quadratic (issue 14)
    from publish.editions import pdf_spreads

    pdf_spreads.install()  # a page whose note went overleaf keeps its whole text area (issue 17)
    return weasyprint


def _one_subsetter() -> None:
    """Subset embedded fonts the same way on every machine, whatever system libraries are present.

    WeasyPrint subsets with the system's HarfBuzz-Subset when it finds that
    library and with fontTools otherwise, warning that it does. The two paths
    give different font bytes (and the system HarfBuzz's vary with its version),
    so "same sources, same bytes" would hold only between machines with the
    same system libraries. Here the one path is HarfBuzz from the ``uharfbuzz``
    wheel, a Python package pinned with the rest: as fast as the system's
    (fontTools took 1.6 times as long for the whole PDF build) and the same
    everywhere. WeasyPrint has no option for this, so its ``Font.subset`` is
    replaced by ``_subset`` below, which makes the same two HarfBuzz passes as
    WeasyPrint's own ``_harfbuzz_subset``.
    """
    from weasyprint.pdf import fonts

    font = fonts.Font
    if getattr(font.subset, "one_path", False):
        return
    if not hasattr(font, "file_content") and not hasattr(font, "_harfbuzz_subset"):
        raise ToolError("this WeasyPrint subsets fonts in a way publish.weasy does not know: it must be updated")
    font.subset = _subset


def _subset(self, to_unicode, hinting) -> None:
    """WeasyPrint's ``Font.subset``, through uharfbuzz: keep the glyphs used, then drop the empty ones after them."""
    if not to_unicode:
        return
    import uharfbuzz as hb

    flags = hb.SubsetFlags
    kept = flags.PASSTHROUGH_UNRECOGNIZED | flags.DESUBROUTINIZE
    outline = flags.NOTDEF_OUTLINE if self.missing else flags(0)
    try:
        face = hb.subset(hb.Face(self.file_content, self.index),
                         _subset_input(sorted(to_unicode), kept | flags.RETAIN_GIDS | outline))
        face = hb.subset(face, _subset_input(range(max(to_unicode) + 1),
                                             kept | outline | (flags(0) if hinting else flags.NO_HINTING)))
    except RuntimeError:
        LOGGER.warning('Unable to subset "%s" with HarfBuzz', self.family)
        return
    self.file_content = face.blob.data


_subset.one_path = True
DROP_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def _subset_input(glyphs, flags):
    import uharfbuzz as hb

    subset = hb.SubsetInput()
    subset.glyph_set.update(glyphs)
    subset.drop_table_tag_set.update(int.from_bytes(tag.encode("ascii"), "big") for tag in DROP_TABLES)
    subset.flags = flags
    return subset
