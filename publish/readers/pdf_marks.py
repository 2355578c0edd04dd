"""Which glyphs of a PDF page an image draws: its ``/Figure`` marked content, read with pdfium.

A tagged PDF (WeasyPrint's ``pdf_tags``) marks each replaced box, an
``<img>``, as a Figure; an SVG's own ``<text>`` is drawn inside that sequence,
directly or within a form XObject. ``readers.pdf`` flags those glyphs
(``Char.figure``), so the checks can tell an image's labels from the book's text.
"""

from __future__ import annotations

import ctypes


class FigureMarks:
    """Whether a text object is drawn inside a ``/Figure`` marked-content sequence (an image, in a tagged PDF).

    WeasyPrint marks each replaced box (an ``<img>``) it draws as a Figure; an SVG's ``<text>`` is drawn
    inside it, directly or within a form XObject (a group, a pattern), so its glyphs are known by their
    object, wherever pdfium puts them in the reading order.
    """

    def __init__(self, page):
        import pypdfium2.raw as pdfium_c

        self.inside: set[int] = set()
        for index in range(pdfium_c.FPDFPage_CountObjects(page)):
            obj = pdfium_c.FPDFPage_GetObject(page, index)
            if _is_figure(obj):
                self._take(obj)

    def _take(self, obj) -> None:
        import pypdfium2.raw as pdfium_c

        self.inside.add(_address(obj))
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            for index in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                self._take(pdfium_c.FPDFFormObj_GetObject(obj, index))

    def __call__(self, obj) -> bool:
        return bool(self.inside) and _address(obj) in self.inside


def _address(obj) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def _is_figure(obj) -> bool:
    import pypdfium2.raw as pdfium_c

    marks = (pdfium_c.FPDFPageObj_GetMark(obj, i) for i in range(pdfium_c.FPDFPageObj_CountMarks(obj)))
    return any(_mark_name(mark) == "Figure" for mark in marks)


def _mark_name(mark) -> str:
    import pypdfium2.raw as pdfium_c

    buffer = (ctypes.c_ushort * 32)()
    length = ctypes.c_ulong(0)
    if not pdfium_c.FPDFPageObjMark_GetName(mark, buffer, ctypes.sizeof(buffer), ctypes.byref(length)):
        return ""
    return bytes(buffer)[:max(0, length.value - 2)].decode("utf-16-le", "replace")
