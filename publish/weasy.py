"""Import WeasyPrint, or say in one line what is missing and how to install it.

WeasyPrint needs Pango and HarfBuzz from the system; without them its import
fails with an OSError from cffi, which a publisher should never see raw.

It also gives every machine one font-subsetting path (fontTools), so the PDF
bytes do not depend on whether the system has HarfBuzz-Subset.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from publish.errors import ToolError

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

    _subset_with_fonttools()
    return weasyprint


def _subset_with_fonttools() -> None:
    """Subset embedded fonts with fontTools on every machine, whatever system libraries are present.

    WeasyPrint subsets with the system's HarfBuzz-Subset when it finds that
    library and with fontTools otherwise, warning that it does. The two paths
    give different font bytes (and HarfBuzz's vary with its version), so the
    "same sources, same bytes" promise would hold only between machines with
    the same system libraries. fontTools is a Python package, pinned with the
    rest, so it is the one path taken. WeasyPrint has no option for this; its
    own fontTools subsetter is called in place of its choice.
    """
    from weasyprint.pdf import fonts

    font = fonts.Font
    if getattr(font.subset, "one_path", False):
        return
    if not callable(getattr(font, "_fonttools_subset", None)):
        raise ToolError("this WeasyPrint has no fontTools subsetter: publish.weasy must be updated for it")

    def subset(self, to_unicode, hinting):
        if to_unicode:
            self._fonttools_subset(to_unicode, hinting)

    subset.one_path = True
    font.subset = subset
