"""The print file's plates: no needless transparency, crop marks in registration colour.

A RIP that flattens transparency may convert what sits in a transparency
group through its blending space, so a K-only rule comes out on four plates.
WeasyPrint puts every background (the note rule) and every SVG (its crop
marks) in a transparency group, and paints the marks' paths with an
invisible fill (``ca 0``). So, in the pydyf PDF before it is written:

1. an invisible fill is not painted (``B`` → ``S``, ``f`` → ``n``) and the
   state that made it invisible is dropped;
2. a form whose content then uses no transparency loses its group;
3. a page that still shows transparency gets a CMYK page group, so the
   blending space is the output intent's, not the RIP's default;
4. the crop marks are drawn here, in the registration colour
   (``/Separation /All``: on every plate), and only if the book wants them.
"""

from __future__ import annotations

import re

MM = 72 / 25.4
MARK_LENGTH = 5 * MM
MARK_WEIGHT = 0.25  # pt: a hairline, as printers draw them
FILL_PAINT = {b"B": b"S", b"B*": b"S", b"b": b"s", b"b*": b"s", b"f": b"n", b"F": b"n", b"f*": b"n"}
GS = re.compile(rb"^/(\S+) gs$")
REGISTRATION = "Registration"  # the colour space's name in the shared resources


def finish(pdf, crop_marks: bool, bleed: float) -> None:
    """Steps 1–4 above; *bleed* is the bleed in points (the marks start beyond it)."""
    objects = {obj.number: obj for obj in pdf.objects if getattr(obj, "number", None) is not None}
    states = _states(objects)
    forms = [obj for obj in pdf.objects if _is_form(obj)]
    for form in forms:
        _drop_invisible_fills(form, states, objects)
        if not _uses_transparency(form, states, objects):
            form.extra.pop("Group", None)
    for page in _pages(pdf):
        if _page_transparent(page, objects, states):
            page["Group"] = _cmyk_group()
        if crop_marks:
            _draw_marks(pdf, page, objects, bleed)


def _pages(pdf) -> list:
    return [obj for obj in pdf.objects if isinstance(obj, dict) and obj.get("Type") == "/Page"]


def _is_form(obj) -> bool:
    return hasattr(obj, "stream") and getattr(obj, "extra", {}).get("Subtype") == "/Form"


def _resolve(value, objects):
    if isinstance(value, bytes) and value.endswith(b" R"):
        return objects.get(int(value.split()[0]))
    return value


def _states(objects: dict) -> dict[int, dict]:
    """Every ExtGState dictionary, by object id (they are shared by name through the resources)."""
    return {id(obj): obj for obj in objects.values()
            if isinstance(obj, dict) and ("ca" in obj or "CA" in obj or "SMask" in obj or "BM" in obj)}


def _resources(holder, objects) -> dict:
    resources = holder.extra.get("Resources") if hasattr(holder, "extra") else holder.get("Resources")
    return _resolve(resources, objects) or {}


def _named_states(holder, objects) -> dict:
    return {name: _resolve(state, objects)
            for name, state in (_resolve(_resources(holder, objects).get("ExtGState"), objects) or {}).items()}


def _transparent_state(state) -> bool:
    if not isinstance(state, dict):
        return False
    alpha = [float(state.get(key, 1)) for key in ("ca", "CA")]
    return min(alpha) < 1 or state.get("SMask", "/None") != "/None" or state.get("BM", "/Normal") != "/Normal"


def _drop_invisible_fills(form, _states, objects) -> None:
    """Paint no fill under a state whose fill alpha is 0; drop that state's ``gs``."""
    named = _named_states(form, objects)
    invisible = {name for name, state in named.items() if isinstance(state, dict) and float(state.get("ca", 1)) == 0
                 and float(state.get("CA", 1)) == 1 and "SMask" not in state}
    if not invisible:
        return
    lines, hidden = [], False
    for line in b"\n".join(_bytes(chunk) for chunk in form.stream).split(b"\n"):
        match = GS.match(line.strip())
        if match and match.group(1).decode() in invisible:
            hidden = True
            continue
        if match:
            hidden = False
        word = line.strip().rsplit(b" ", 1)[-1]
        if hidden and word in FILL_PAINT and line.strip() == word:
            line = FILL_PAINT[word]
        lines.append(line)
    form.stream = [b"\n".join(lines)]


def _bytes(chunk) -> bytes:
    """A chunk of a pydyf stream as pydyf writes it: a tagged PDF's marked content adds str and dictionaries."""
    import pydyf

    return pydyf._to_bytes(chunk)  # noqa: SLF001 (pydyf's own serialiser: the same bytes the file gets)


def _uses_transparency(form, _states, objects) -> bool:
    """A ``gs`` of a transparent state, or a soft-masked image, in the form's content."""
    named = _named_states(form, objects)
    content = b"\n".join(_bytes(chunk) for chunk in form.stream)
    used = {match.decode() for match in re.findall(rb"/(\S+) gs", content)}
    if any(_transparent_state(named.get(name)) for name in used):
        return True
    return _draws_transparent_xobject(form, content, objects)


def _draws_transparent_xobject(holder, content: bytes, objects) -> bool:
    """Does *content* draw (``Do``) one of *holder*'s XObjects that is soft-masked or a transparency group?"""
    xobjects = _resolve(_resources(holder, objects).get("XObject"), objects) or {}
    for name, ref in xobjects.items():
        inner = _resolve(ref, objects)
        if f"/{name} Do".encode() in content and inner is not None and (
                "SMask" in getattr(inner, "extra", {}) or (_is_form(inner) and "Group" in inner.extra)):
            return True
    return False


def _page_transparent(page, objects, _states) -> bool:
    """Does anything the page draws still carry a transparency group or a transparent state?"""
    content = b"".join(_bytes(chunk)
                       for ref in _contents(page) for chunk in (_resolve(ref, objects).stream or []))
    if _draws_transparent_xobject(page, content, objects):
        return True
    used = {match.decode() for match in re.findall(rb"/(\S+) gs", content)}
    named = _named_states(page, objects)
    return any(_transparent_state(named.get(name)) for name in used)


def _contents(page) -> list:
    contents = page.get("Contents")
    return list(contents) if isinstance(contents, list) else [contents]


def _cmyk_group():
    import pydyf

    return pydyf.Dictionary({"Type": "/Group", "S": "/Transparency", "CS": "/DeviceCMYK"})


def _registration(pdf, resources, objects) -> None:
    """The registration colour, ``/Separation /All``, in the (shared) resources' colour spaces."""
    import pydyf

    spaces = _resolve(resources.get("ColorSpace"), objects)
    if spaces is None:
        spaces = resources["ColorSpace"] = pydyf.Dictionary()
    if REGISTRATION in spaces:
        return
    tint = pydyf.Dictionary({"FunctionType": 2, "Domain": pydyf.Array([0, 1]), "N": 1,
                             "C0": pydyf.Array([0, 0, 0, 0]), "C1": pydyf.Array([1, 1, 1, 1])})
    pdf.add_object(tint)
    spaces[REGISTRATION] = pydyf.Array(["/Separation", "/All", "/DeviceCMYK", tint.reference])


def _draw_marks(pdf, page, objects, bleed: float) -> None:
    """Eight crop marks at the trim's corners, in the margin beyond the bleed, on every plate."""
    import pydyf

    resources = _resources(page, objects)
    _registration(pdf, resources, objects)
    left, bottom, right, top = (float(value) for value in page["TrimBox"])
    start, end = bleed, bleed + MARK_LENGTH
    lines = []
    for x, y, sx, sy in ((left, bottom, -1, -1), (right, bottom, 1, -1), (left, top, -1, 1), (right, top, 1, 1)):
        lines.append(f"{x + sx * start:.3f} {y:.3f} m {x + sx * end:.3f} {y:.3f} l S")
        lines.append(f"{x:.3f} {y + sy * start:.3f} m {x:.3f} {y + sy * end:.3f} l S")
    body = [f"q /{REGISTRATION} CS 1 SCN {MARK_WEIGHT} w 0 J [] 0 d", *lines, "Q"]
    stream = pydyf.Stream([line.encode() for line in body], compress=True)
    pdf.add_object(stream)
    # First, while the graphics state is the page's default (WeasyPrint's own stream does not restore its CTM).
    page["Contents"] = pydyf.Array([stream.reference, *_contents(page)])
