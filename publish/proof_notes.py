"""The proof's margin notes drawn in a vendored font, so every viewer shows them the same way.

A free-text annotation names a font for the viewer to set its text in (its
``/DA``); a viewer that does not set it itself (pdfium, the report's own
renderer) shows nothing unless the annotation brings an appearance stream.
Each margin note therefore gets one (``/AP /N``): its text, wrapped to the
note's width, set in DejaVu Sans Mono from ``styles/fonts`` (a vendored font,
never a system one), embedded once per proof as a subset of the characters
the notes use (fontTools, which WeasyPrint already depends on), as a
Type 0 font with Identity encoding and a ToUnicode map, so the notes'
text can be searched and copied. The same font is the AcroForm's default,
so an editor that redraws a note uses it too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name

from publish.styles import default

FONT_FILE = "DejaVuSansMono.ttf"
NAME = "/PublishMono"
SIZE, LEADING, PAD = 7.0, 8.5, 2.0  # points


@dataclass
class Note:
    annotation: Dictionary
    text: str
    rect: tuple[float, float, float, float]
    colour: tuple[float, float, float]


class NoteFont:
    """DejaVu Sans Mono, subset to *text*'s characters and embedded in *pdf*."""

    def __init__(self, pdf, text: str):
        font = _subset(set(text))
        cmap = font.getBestCmap()
        notdef = font.getGlyphID(".notdef")
        self.gids = {c: font.getGlyphID(cmap[ord(c)]) if ord(c) in cmap else notdef for c in set(text)}
        self.units = font["head"].unitsPerEm
        self.advances = {gid: font["hmtx"].metrics[font.getGlyphName(gid)][0] for gid in self.gids.values()}
        self.font = pdf.make_indirect(self._type0(pdf, font))

    def width(self, text: str, size: float = SIZE) -> float:
        return sum(self.advances[self.gids[c]] for c in text) * size / self.units

    def encode(self, text: str) -> bytes:
        return b"".join(self.gids[c].to_bytes(2, "big") for c in text)

    def _type0(self, pdf, font: TTFont) -> Dictionary:
        data = io.BytesIO()
        font.save(data)
        scale = 1000 / self.units
        head, hhea = font["head"], font["hhea"]
        descriptor = Dictionary(
            Type=Name.FontDescriptor, FontName=Name("/" + "PUBDIF+DejaVuSansMono"), Flags=1 | 32,
            FontBBox=Array([round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]),
            ItalicAngle=0, Ascent=round(hhea.ascent * scale), Descent=round(hhea.descent * scale),
            CapHeight=round(hhea.ascent * scale), StemV=80,
            FontFile2=pdf.make_stream(data.getvalue()))
        widths = Array()
        for gid in sorted(set(self.gids.values())):
            widths.extend([gid, Array([round(self.advances[gid] * scale)])])
        cid = Dictionary(Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=descriptor.FontName,
                         CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"),
                                                  Ordering=pikepdf.String("Identity"), Supplement=0),
                         FontDescriptor=pdf.make_indirect(descriptor), W=widths, CIDToGIDMap=Name.Identity)
        return Dictionary(Type=Name.Font, Subtype=Name.Type0, BaseFont=descriptor.FontName,
                          Encoding=Name("/Identity-H"),
                          DescendantFonts=Array([pdf.make_indirect(cid)]),
                          ToUnicode=pdf.make_stream(self._to_unicode()))

    def _to_unicode(self) -> bytes:
        pairs = sorted({gid: c for c, gid in self.gids.items()}.items())
        lines = [f"<{gid:04X}> <{''.join(f'{u:04X}' for u in _utf16(c))}>" for gid, c in pairs]
        chunks = [lines[k:k + 100] for k in range(0, len(lines), 100)]
        body = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n" for chunk in chunks)
        return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CIDSystemInfo << /Registry (Adobe) "
                "/Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + body +
                "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")


def draw(pdf, notes: list[Note]) -> None:
    """Give every note its appearance stream, in one embedded font; make that font the AcroForm's default."""
    if not notes:
        return
    font = NoteFont(pdf, "".join(n.text for n in notes))
    form = pdf.Root.AcroForm if "/AcroForm" in pdf.Root else None
    if form is None:
        pdf.Root.AcroForm = form = Dictionary(Fields=Array())
    form.DA = pikepdf.String(f"{NAME} {SIZE:g} Tf 0 g")
    form.DR = Dictionary(Font=Dictionary({NAME: font.font}))
    for note in notes:
        x0, y0, x1, y1 = note.rect
        width, height = x1 - x0, y1 - y0
        rgb = " ".join(f"{c:g}" for c in note.colour)
        ops = [f"BT {NAME} {SIZE:g} Tf {rgb} rg"]
        for k, line in enumerate(wrap(note.text, lambda t: font.width(t), width - 2 * PAD)):
            y = height - PAD - SIZE - k * LEADING
            if y < PAD:
                break
            ops.append(f"1 0 0 1 {PAD:g} {y:.2f} Tm <{font.encode(line).hex()}> Tj")
        ops.append("ET")
        stream = pdf.make_stream("\n".join(ops).encode("ascii"), Type=Name.XObject, Subtype=Name.Form,
                                 BBox=Array([0, 0, width, height]),
                                 Resources=Dictionary(Font=Dictionary({NAME: font.font})))
        note.annotation.AP = Dictionary(N=stream)
        note.annotation.DA = pikepdf.String(f"{NAME} {SIZE:g} Tf {rgb} rg")


def wrap(text: str, width_of, width: float) -> list[str]:
    """The words of *text* in lines no wider than *width* (a longer word is a line of its own, cut)."""
    lines: list[str] = []
    for word in text.split():
        while width_of(word) > width and len(word) > 1:
            cut = max((k for k in range(1, len(word)) if width_of(word[:k]) <= width), default=1)
            lines.append(word[:cut])
            word = word[cut:]
        if lines and width_of(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _subset(chars: set[str]) -> TTFont:
    """The vendored font cut down to *chars* (and .notdef): a few kilobytes in the proof."""
    options = subset.Options()
    options.notdef_outline, options.drop_tables = True, [*options.drop_tables, "FFTM"]
    font = TTFont(default().fonts_dir / FONT_FILE)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    return font


def _utf16(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[k:k + 2], "big") for k in range(0, len(data), 2)]
