"""The tools whose versions shape a build's outputs: one list, read by the cache keys and the manifest.

Versions come from the distributions' ``dist-info`` folder names (the
``importlib.metadata`` way parses every METADATA file: ten times slower, and
the cache reads this on every build), pandoc's from the binary itself, since
``PUBLISH_PANDOC`` may name another one than the bundled.
"""

from __future__ import annotations

import functools
import platform
import re
import sys
import zlib
from pathlib import Path

from publish import __version__

# name in the manifest → distribution, for each package that shapes the outputs' bytes
DISTRIBUTIONS = {
    "panflute": "panflute",
    "weasyprint": "weasyprint",
    "pydyf": "pydyf",
    "ebooklib": "EbookLib",
    "lxml": "lxml",
    "pillow": "pillow",
    "pyphen": "pyphen",
    "fonttools": "fonttools",
    "pypdf": "pypdf",  # the manifest's page counts
}


def versions() -> dict[str, str | None]:
    """``publish``, ``pandoc`` (its real version), each distribution above, ``python`` and ``zlib``."""
    from publish import pandoc

    installed = _installed()
    found: dict[str, str | None] = {"publish": __version__, "pandoc": pandoc.version_string()}
    found.update({name: installed.get(_normal(dist)) for name, dist in DISTRIBUTIONS.items()})
    found["python"] = platform.python_version()
    found["zlib"] = zlib.ZLIB_RUNTIME_VERSION  # deflate's output, hence the EPUB's and PDFs' bytes, depends on it
    return found


@functools.lru_cache(maxsize=1)
def _installed() -> dict[str, str]:
    installed: dict[str, str] = {}
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_dir():
            for info in folder.glob("*.dist-info"):
                name, _, version = info.name[: -len(".dist-info")].partition("-")
                installed.setdefault(_normal(name), version)
    return installed


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()
