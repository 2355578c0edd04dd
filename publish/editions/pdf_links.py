"""The PDF's note links, note tags and file identifier, finished in the pydyf PDF before it is written.

WeasyPrint writes each note call and each note's backlink (``a.fn-call`` and
``a.fn-back``, see pdf_html.py) as a Link annotation with a named
destination, and tags the whole note as a ``Span``. PDF/UA-1 (7.9) wants a
note tagged ``Note`` with an ``ID``, and the call as a ``Reference``; this
module retags what WeasyPrint built, finding each note by its backlink's
annotation (the box that drew it is known to the laid-out document), and
gives every note link a description (``Contents``) a screen reader can say.

The print file keeps no links: paper has nothing to click, and PDF/X allows
no annotation but printer's marks inside the trim.
"""

from __future__ import annotations

import hashlib

CALL, BACK = "fn-call", "fn-back"


def file_identifier(identifier: str, variant: str) -> bytes:
    """The permanent half of the trailer ``/ID``: the same for every build of this book's *variant*.

    pydyf adds the changing half, an MD5 of the file's bytes, so both halves
    are deterministic and two builds of the same sources are byte-identical.
    """
    return hashlib.md5(f"{identifier}#{variant}".encode()).hexdigest().encode()


def finish_digital(document, pdf) -> None:
    """Describe the note links, tag each note ``Note`` (with its ID) and each call ``Reference``."""
    import pydyf

    objects = {obj.number: obj for obj in pdf.objects if getattr(obj, "number", None) is not None}
    owners = _annotation_owners(objects)
    notes: dict[str, object] = {}
    for kind, number, annotation, target in _note_links(document):
        element = owners.get(annotation.number)
        if kind == CALL:
            annotation["Contents"] = pydyf.String(f"Note {number}")
            if element is not None:
                _wrap_in_reference(pdf, objects, element)
        else:
            annotation["Contents"] = pydyf.String(f"Back to the call of note {number}")
            note = _outermost_span(objects, element) if element is not None else None
            if note is not None:
                note["S"] = "/Note"
                note["ID"] = pydyf.String(target)
                notes[target] = note
    _gather_continuations(objects, notes.values())
    _id_tree(pdf, objects, notes)


def drop_links(pdf) -> None:
    """Remove the Link annotations from every page (the print file)."""
    import pydyf

    objects = {obj.number: obj for obj in pdf.objects if getattr(obj, "number", None) is not None}
    for page in [obj for obj in pdf.objects if isinstance(obj, dict) and obj.get("Type") == "/Page"]:
        if "Annots" not in page:
            continue
        kept = [ref for ref in page["Annots"] if objects[_number(ref)].get("Subtype") != "/Link"]
        if kept:
            page["Annots"] = pydyf.Array(kept)
        else:
            del page["Annots"]


def _note_links(document):
    """(kind, note number, annotation, note id) of every call and backlink, in page order."""
    for page in document.pages:
        for _type, _target, _rectangle, box in page.links:
            element = box.element
            classes = (element.get("class") or "").split() if element is not None else []
            annotation = getattr(box, "link_annotation", None)
            kind = CALL if CALL in classes else BACK if BACK in classes else None
            if kind is not None and annotation is not None:
                yield kind, element.get("data-number"), annotation, element.get("data-note")


def _number(reference) -> int:
    return int(bytes(reference).split()[0])


def _annotation_owners(objects: dict) -> dict[int, dict]:
    """Annotation object number → the structure element whose ``K`` holds its OBJR."""
    owners = {}
    for obj in objects.values():
        if isinstance(obj, dict) and obj.get("Type") == "/StructElem":
            for kid in obj.get("K", []):
                if isinstance(kid, bytes):
                    target = objects.get(_number(kid))
                    if isinstance(target, dict) and target.get("Type") == "/OBJR":
                        owners[_number(target["Obj"])] = obj
    return owners


def _wrap_in_reference(pdf, objects: dict, link: dict) -> None:
    """Put a ``Reference`` element between the call's ``Link`` and its parent."""
    import pydyf

    parent = objects[_number(link["P"])]
    reference = pydyf.Dictionary({"Type": "/StructElem", "S": "/Reference", "K": pydyf.Array([link.reference]),
                                  "P": parent.reference})
    if "Pg" in link:
        reference["Pg"] = link["Pg"]
    pdf.add_object(reference)
    objects[reference.number] = reference
    parent["K"] = pydyf.Array([reference.reference if kid == link.reference else kid for kid in parent["K"]])
    link["P"] = reference.reference


def _outermost_span(objects: dict, element: dict) -> dict | None:
    """The highest ``Span`` above *element* in an unbroken run of Spans: the footnote's own element."""
    found = None
    current = objects.get(_number(element["P"]))
    while isinstance(current, dict) and current.get("S") == "/Span":
        found = current
        current = objects.get(_number(current["P"]))
    return found


def _gather_continuations(objects: dict, notes) -> None:
    """A note set line by line (pdf_notes.py) is one footnote per line: fold the lines after the first into it.

    In a footnote area every element is a note or a continuation of the one
    before it (on this page or, at the top of the area, on the page before).
    """
    import pydyf

    areas = []
    for note in notes:
        area = objects[_number(note["P"])]
        if all(area is not seen for seen in areas):
            areas.append(area)
    areas.sort(key=lambda area: area.number)
    current = None
    for area in areas:
        kept = []
        for kid in area["K"]:
            child = objects.get(_number(kid)) if isinstance(kid, bytes) else None
            if isinstance(child, dict) and child.get("S") == "/Note":
                current = child
            elif current is not None and isinstance(child, dict) and child.get("S") == "/Span":
                child["P"] = current.reference
                current["K"].append(kid)
                continue
            kept.append(kid)
        area["K"] = pydyf.Array(kept)


def _id_tree(pdf, objects: dict, notes: dict) -> None:
    """The structure tree's IDTree: each note's ID to its element, as element identifiers require."""
    import pydyf

    if not notes:
        return
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    names = pydyf.Array()
    for name in sorted(notes):
        names.extend([pydyf.String(name), notes[name].reference])
    tree = pydyf.Dictionary({"Names": names})
    pdf.add_object(tree)
    root["IDTree"] = tree.reference
