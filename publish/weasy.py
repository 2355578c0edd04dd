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
    _private_fonts()
    from publish import weasy_pages

    weasy_pages.install()  # PDF/UA tagging linear in the pages, not quadratic (issue 14)
    from publish.editions import pdf_spreads

    pdf_spreads.install()  # a page whose note went overleaf keeps its whole text area (issue 17)
    from publish.editions import pdf_linebreak

    pdf_linebreak.install()  # a line that fits but for its trailing space is not cut to its first word
    return weasyprint


FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <alias binding="same"><family>serif</family><prefer><family>EB Garamond</family></prefer></alias>
  <alias binding="same"><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>
  <alias binding="same"><family>sans</family><prefer><family>DejaVu Sans</family></prefer></alias>
  <alias binding="same"><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>
  <alias binding="same"><family>math</family><prefer><family>DejaVu Math TeX Gyre</family></prefer></alias>
{metric_aliases}  <match target="pattern">
    <edit name="family" mode="append_last">
      <string>EB Garamond</string><string>DejaVu Sans</string><string>DejaVu Math TeX Gyre</string>
    </edit>
  </match>
</fontconfig>
"""


METRIC_ALIASES = {"serif": ("Times", "Times New Roman", "Georgia", "Garamond"),
                  "sans-serif": ("Helvetica", "Arial", "Verdana", "Liberation Sans"),
                  "monospace": ("Courier", "Courier New", "Consolas", "Menlo")}
FALLBACK_FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
                  "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuMathTeXGyre.ttf")


def _private_fonts() -> None:
    """Give WeasyPrint only the vendored fonts: never the system's, whatever the machine has installed.

    WeasyPrint starts each font configuration from the system's fontconfig
    setup (``FcInitLoadConfigAndFonts``) and adds the stylesheets' @font-face
    fonts to it, so a glyph the book's fonts lack, or an SVG label in
    "Helvetica" or "sans-serif", was set in whatever font the machine had
    (DejaVu Sans on Debian, something else or nothing elsewhere): the PDF's
    bytes and look depended on the system. Here the system's setup that
    WeasyPrint loads is replaced at once by an empty fontconfig setup made in
    memory, holding only the vendored fallback fonts of ``styles/fonts``
    (``FALLBACK_FONTS``; EB Garamond comes in, as before, by print.css's
    @font-face rules). serif is EB Garamond, sans-serif DejaVu Sans,
    monospace DejaVu Sans Mono, and any other family falls back to those,
    then to DejaVu Math TeX Gyre. Nothing is written and the process's
    environment is not touched. A character none of them has is
    WeasyPrint's .notdef warning, on every machine alike. WeasyPrint has no option for this, so its
    ``FontConfiguration.__init__`` is wrapped, as ``_one_subsetter`` wraps
    ``Font.subset``.
    """
    from weasyprint.text import fonts

    configuration = fonts.FontConfiguration
    if getattr(configuration.__init__, "private", False):
        return
    original = configuration.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        from weasyprint.text.ffi import ffi, fontconfig, pangoft2

        config = ffi.cast("FcConfig *", _fontconfig_create())
        loaded = fontconfig.FcConfigParseAndLoadFromMemory(config, _fontconfig_xml(), True)
        for path in fallback_font_files():  # EB Garamond comes in by print.css's @font-face rules, as before
            loaded = loaded and fontconfig.FcConfigAppFontAddFile(config, str(path).encode())
        if not loaded:
            raise ToolError(f"fontconfig could not load the vendored fonts in {_fonts_dir()}")
        pangoft2.pango_fc_font_map_set_config(ffi.cast("PangoFcFontMap *", self.font_map), config)
        fontconfig.FcConfigDestroy(config)  # the font map keeps its own reference, as WeasyPrint's own code does
        self._config = config  # where WeasyPrint adds the @font-face fonts

    __init__.private = True
    configuration.__init__ = __init__


def _fontconfig_xml() -> bytes:
    """The private setup: the generic families' fonts, and the common named families as their generic one."""
    aliases = "".join(f"  <alias><family>{name}</family><default><family>{generic}</family></default></alias>\n"
                      for generic, names in METRIC_ALIASES.items() for name in names)
    return FONTCONFIG.replace("{metric_aliases}", aliases).encode()


def fallback_font_files() -> list:
    """The vendored fonts every PDF layout may fall back to (a part's cache key hashes them)."""
    return [_fonts_dir() / name for name in FALLBACK_FONTS]


def _fonts_dir():
    from publish import styles

    return styles.default().fonts_dir.resolve()


def _fontconfig_library():
    """fontconfig's functions that WeasyPrint's cffi declarations lack (the library WeasyPrint itself loaded)."""
    import ctypes
    import ctypes.util

    for name in ("libfontconfig.so.1", ctypes.util.find_library("fontconfig"), "libfontconfig.1.dylib"):
        if name:
            try:
                library = ctypes.CDLL(name)
            except OSError:
                continue
            library.FcConfigCreate.restype = ctypes.c_void_p
            return library
    raise ToolError("fontconfig (which WeasyPrint uses) cannot be loaded: 'apt-get install libfontconfig1'")


def _fontconfig_create() -> int:
    return _fontconfig_library().FcConfigCreate()


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
