"""The parts' PDFs joined into the edition's one file, with pikepdf (qpdf).

The first part (the front matter) gives the document its catalogue, metadata
and output intent. The pages of the others follow, and with them what refers
to them: their tags (each part's structure elements go under the one
``Document`` element, their ParentTree keys moved past the ones before), their
named destinations (so links resolve across parts), and their outline
entries. qpdf copies every object a page needs, and maps a page copied once
to the same copy everywhere it is referred to. A part's fonts come with its
pages: each part carries its own subset.
"""

from __future__ import annotations

import io

import pikepdf


def join(parts: list[bytes]) -> bytes:
    """One PDF of the pages of *parts*, in order."""
    with pikepdf.Pdf.open(io.BytesIO(parts[0])) as out:
        joined = _Joined(out)
        for data in parts[1:]:
            with pikepdf.Pdf.open(io.BytesIO(data)) as part:
                joined.append(part)
        joined.finish()
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


class _Joined:
    def __init__(self, out: pikepdf.Pdf):
        self.out = out
        root = out.Root
        self.tags = root.get("/StructTreeRoot")
        self.next_key = 0
        if self.tags is not None:
            self.document = self.tags.K[0]
            nums = self.tags.ParentTree.Nums
            self.next_key = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
        self.dests = _dests(out)
        self.outline = _top_items(out)

    def append(self, part: pikepdf.Pdf) -> None:
        out = self.out
        first = len(out.pages)
        out.pages.extend(part.pages)
        offset = self.next_key
        tree = part.Root.get("/StructTreeRoot")
        if self.tags is not None and tree is not None:
            for page in out.pages[first:]:
                _shift_keys(page, offset)
            nums = tree.ParentTree.Nums
            keys = []
            for index in range(0, len(nums), 2):
                keys.append(int(nums[index]))
                self.tags.ParentTree.Nums.append(int(nums[index]) + offset)
                self.tags.ParentTree.Nums.append(_copy(out, nums[index + 1]))
            for kid in tree.K[0].K:
                element = _copy(out, kid)
                element.P = self.document
                self.document.K.append(element)
            self.next_key = offset + max(keys, default=-1) + 1
        self.dests += [(name, _copy(out, dest)) for name, dest in _dests(part)]
        self.outline += [_copy(out, item) for item in _top_items(part)]

    def finish(self) -> None:
        root = self.out.Root
        if self.dests:
            names = pikepdf.Array()
            for name, dest in sorted(self.dests, key=lambda pair: pair[0]):
                names.append(pikepdf.String(name))
                names.append(dest)
            if "/Names" not in root:
                root.Names = pikepdf.Dictionary()
            root.Names.Dests = pikepdf.Dictionary(Names=names)
        if self.outline:
            outlines = self.out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
            visible = 0
            for index, item in enumerate(self.outline):
                item.Parent = outlines
                for side, other in (("/Prev", index - 1), ("/Next", index + 1)):
                    if 0 <= other < len(self.outline):
                        item[side] = self.outline[other]
                    elif side in item:
                        del item[side]
                visible += 1 + max(int(item.get("/Count", 0)), 0)
            outlines.First, outlines.Last, outlines.Count = self.outline[0], self.outline[-1], visible
            root.Outlines = outlines


def _copy(out: pikepdf.Pdf, obj):
    """*obj* of another PDF in *out*: indirect objects through qpdf's copier, direct ones member by member."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(out, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, value) for key, value in obj.items()})
    return obj


def _shift_keys(page: pikepdf.Page, offset: int) -> None:
    """Move the page's (and its annotations') ParentTree keys past those of the parts before it."""
    if "/StructParents" in page.obj:
        page.obj.StructParents = int(page.obj.StructParents) + offset
    for annotation in page.obj.get("/Annots", []):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """The named destinations of *pdf* (WeasyPrint writes them as one flat name array)."""
    names = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
    return [(str(names[index]), names[index + 1]) for index in range(0, len(names), 2)]


def _top_items(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    outlines = pdf.Root.get("/Outlines")
    items, item = [], outlines.get("/First") if outlines is not None else None
    while item is not None:
        items.append(item)
        item = item.get("/Next")
    return items
