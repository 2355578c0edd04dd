"""Import WeasyPrint, or say in one line what is missing and how to install it.

WeasyPrint needs Pango and HarfBuzz from the system; without them its import
fails with an OSError from cffi, which a publisher should never see raw.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from publish.errors import ToolError

APT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


def load() -> ModuleType:
    """The weasyprint module; ToolError naming the missing piece if it cannot be imported."""
    try:
        return importlib.import_module("weasyprint")
    except OSError as error:
        library = str(error).split(":")[0].strip()
        raise ToolError(f"WeasyPrint cannot load its system libraries ({library}): install them with '{APT}'") from None
    except ImportError:
        raise ToolError("WeasyPrint is not installed: python3 -m pip install weasyprint") from None
