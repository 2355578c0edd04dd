"""Running heads and folios as pagination artifacts in the digital PDF (PDF/UA-1, ISO 14289-1, 7.8).

WeasyPrint tags the text of the page's margin boxes (the running head, the
folio) like any other, with marked content and structure elements, but it
leaves those elements out of the structure tree: PDF 1.7 has no artifact
element to hang them on. Their content is then tagged text that belongs to
no part of the document. PDF/UA wants such page furniture marked as an
artifact in the content stream, so that assistive technology skips it and
no tagged content is left outside the tree. This finisher, run on pydyf's
objects before the file is written, finds the elements the tree does not
reach, rewrites their marked content as ``/Artifact <</Type /Pagination>>``
and drops them from the parent tree.

An image with no alternative text is decorative (the build gives every such
image ``alt=""`` and says so, file and line). WeasyPrint still tags it as a
Figure, without the Alt that PDF/UA (7.3) asks of every Figure, and warns.
A decorative image is not content: its Figure is taken out of the tree and
its marked content made a layout artifact (``/Artifact <</Type /Layout>>``),
as PDF/UA wants of decoration.
"""

from __future__ import annotations

TAGGED = "/StructElem"


def mark_pagination(pdf) -> int:
    """Turn the tagged content the structure tree does not reach into pagination artifacts; how many pieces."""
    import pydyf

    objects = {obj.number: obj for obj in pdf.objects if getattr(obj, "number", None) is not None}
    if "StructTreeRoot" not in pdf.catalog:
        return 0
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    decorative = _detach_decorative(objects)
    reached = _reached(objects, root)
    nums = objects[_number(root["ParentTree"])]["Nums"]
    streams = _page_streams(objects)
    changed = 0
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if not isinstance(value, pydyf.Array) or key not in streams:
            continue  # an annotation's entry, or a page this finisher cannot find
        loose = {mcid for mcid, ref in enumerate(value) if isinstance(ref, bytes) and _number(ref) not in reached}
        if loose:
            layout = {mcid for mcid in loose if _number(value[mcid]) in decorative}
            changed += _as_artifacts(streams[key], loose - layout) + _as_artifacts(streams[key], layout, "/Layout")
            for mcid in loose:
                value[mcid] = b"null"
    return changed


def _detach_decorative(objects: dict) -> set[int]:
    """Take each Figure without alternative text (a decorative image) out of its parent; their numbers."""
    import pydyf

    detached = set()
    for number, element in objects.items():
        if not (isinstance(element, dict) and element.get("Type") == TAGGED and element.get("S") == "/Figure"
                and "Alt" not in element and "ActualText" not in element and "P" in element):
            continue
        parent = objects.get(_number(element["P"]))
        kids = parent.get("K") if isinstance(parent, dict) else None
        if isinstance(kids, list):
            kept = [kid for kid in kids if not (isinstance(kid, bytes) and kid.endswith(b" R")
                                                 and _number(kid) == number)]
            if len(kept) < len(kids):
                parent["K"] = pydyf.Array(kept)
                detached.add(number)
        elif isinstance(kids, bytes) and kids.endswith(b" R") and _number(kids) == number:
            parent["K"] = pydyf.Array()
            detached.add(number)
    return detached


def _number(reference) -> int:
    return int(bytes(reference).split()[0])


def _reached(objects: dict, root) -> set[int]:
    """Numbers of the structure elements reachable from the root through ``K``."""
    reached: set[int] = set()
    stack = list(root.get("K", []))
    while stack:
        kid = stack.pop()
        if not isinstance(kid, bytes) or not kid.endswith(b" R"):
            continue  # an MCID, or an inline dictionary
        number = _number(kid)
        element = objects.get(number)
        if number in reached or not isinstance(element, dict) or element.get("Type") != TAGGED:
            continue
        reached.add(number)
        kids = element.get("K", [])
        stack.extend(kids if isinstance(kids, list) else [kids])
    return reached


def _page_streams(objects: dict) -> dict[int, object]:
    """Each page's ``StructParents`` key → its content stream."""
    found = {}
    for obj in objects.values():
        if isinstance(obj, dict) and obj.get("Type") == "/Page" and "StructParents" in obj:
            contents = obj["Contents"]
            if isinstance(contents, bytes):
                found[int(obj["StructParents"])] = objects[_number(contents)]
    return found


def _as_artifacts(stream, mcids: set[int], kind: str = "/Pagination") -> int:
    """Rewrite ``/Tag <</MCID n>> BDC`` as an artifact of *kind* for each *n* in *mcids*."""
    import pydyf

    items = stream.stream
    changed = 0
    for index in range(1, len(items) - 1):
        props = items[index]
        if (isinstance(props, dict) and props.get("MCID") in mcids and _is(items[index + 1], "BDC")
                and str(_text(items[index - 1])).startswith("/")):
            items[index - 1] = "/Artifact"
            items[index] = pydyf.Dictionary({"Type": kind})
            changed += 1
    return changed


def _is(item, operator: str) -> bool:
    return _text(item) == operator


def _text(item) -> str:
    return item.decode() if isinstance(item, bytes) else item if isinstance(item, str) else ""
