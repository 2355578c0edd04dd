"""The parts' PDFs joined into the edition's one file, with pikepdf (qpdf).

The first part (the front matter) gives the document its catalogue, metadata
and output intent. The pages of the others follow, and with them what refers
to them: their tags (each part's structure elements go under the one
``Document`` element, their ParentTree keys moved past the ones before), their
named destinations (so links resolve across parts), and their outline
entries. qpdf copies every object a page needs, and maps a page copied once
to the same copy everywhere it is referred to.

Fonts: a part is written with its fonts whole (``whole_fonts``), and the
joined file subsets each font file once, with every glyph any part uses
(glyph ids are kept, so no page's text changes). Subsetting a part's fonts
for each part and each variant cost more than laying the part out.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings
from collections.abc import Iterator

import pikepdf


def join_variants(files: dict[str, tuple[list[bytes], list[list[str]]]], workers: int = 1) -> dict[str, bytes]:
    """Each variant's parts joined (*files*: variant → its parts and their stand-ins, as ``join`` takes them).

    With *workers* > 1 the variants after the first are joined in a forked process meanwhile (the layout
    is done, the other core free); the bytes are the same either way.
    """
    names = list(files)
    if workers < 2 or len(names) < 2:
        subsets: dict = {}  # the variants draw the same glyphs: each font is subset once for both
        return {name: join(*files[name], subsets) for name in names}
    from publish.worker import Worker

    others = Worker(lambda: None, lambda _: {name: join(*files[name]) for name in names[1:]})
    try:
        first = join(*files[names[0]])
    except BaseException:
        others.cancel(kill=True)
        raise
    others.send(None)
    return {names[0]: first, **others.result()}


def join(parts: list[bytes], stand_ins: list[list[str]] | None = None, subsets: dict | None = None) -> bytes:
    """One PDF of the pages of *parts*, in order.

    *stand_ins* name, for each part, the destinations it holds only so that
    its links to other parts survive (pdf_parts.py): the real ones, from the
    parts that hold their targets, are kept instead. *subsets* keeps each
    font subset made, for the next join of the same pages (the other variant).
    """
    stand_ins = stand_ins or [[] for _ in parts]
    with pikepdf.Pdf.open(io.BytesIO(parts[0])) as out:
        glyphs = _glyphs_drawn(out)
        joined = _Joined(out, set(stand_ins[0]))
        for data, held in zip(parts[1:], stand_ins[1:], strict=True):
            with pikepdf.Pdf.open(io.BytesIO(data)) as part:
                for digest, found in _glyphs_drawn(part).items():
                    glyphs.setdefault(digest, set()).update(found)
                joined.append(part, set(held))
        joined.finish()
        _subset_fonts(out, glyphs, {} if subsets is None else subsets)
        _share_streams(out)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


class _Joined:
    def __init__(self, out: pikepdf.Pdf, held: set[str]):
        self.out = out
        root = out.Root
        self.tags = root.get("/StructTreeRoot")
        self.next_key = 0
        if self.tags is not None:
            self.document = self.tags.K[0]
            nums = self.tags.ParentTree.Nums
            self.next_key = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
        self.dests = [(name, dest) for name, dest in _dests(out) if name not in held]
        self.ids = _ids(out)
        self.outline = _top_items(out)

    def append(self, part: pikepdf.Pdf, held: set[str]) -> None:
        out = self.out
        first = len(out.pages)
        with warnings.catch_warnings():  # named destinations are carried over below, by name
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
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
            self.ids += [(name, _copy(out, element)) for name, element in _ids(part)]
        self.dests += [(name, _copy(out, dest)) for name, dest in _dests(part) if name not in held]
        self.outline += [_copy(out, item) for item in _top_items(part)]

    def finish(self) -> None:
        root = self.out.Root
        if self.tags is not None and self.ids:  # the notes' IDs (pdf_links.py), every part's in one tree
            self.tags.IDTree = self.out.make_indirect(pikepdf.Dictionary(Names=_name_array(self.ids)))
        if self.dests:
            if "/Names" not in root:
                root.Names = pikepdf.Dictionary()
            root.Names.Dests = pikepdf.Dictionary(Names=_name_array(self.dests))
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


def _name_array(pairs: list[tuple[str, pikepdf.Object]]) -> pikepdf.Array:
    """A name tree's flat ``Names`` array: (name, value) pairs sorted by name, as a name tree must be."""
    names = pikepdf.Array()
    for name, value in sorted(pairs, key=lambda pair: pair[0]):
        names.append(pikepdf.String(name))
        names.append(value)
    return names


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


def _ids(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """The structure elements' IDs of *pdf* (its IDTree, one flat name array as pdf_links.py writes it)."""
    tree = pdf.Root.get("/StructTreeRoot", {}).get("/IDTree")
    names = tree.get("/Names", []) if tree is not None else []
    return [(str(names[index]), names[index + 1]) for index in range(0, len(names), 2)]


def _top_items(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    outlines = pdf.Root.get("/Outlines")
    items, item = [], outlines.get("/First") if outlines is not None else None
    while item is not None:
        items.append(item)
        item = item.get("/Next")
    return items


@contextlib.contextmanager
def whole_fonts() -> Iterator[None]:
    """While a part is written: its fonts embedded whole (their widths and text maps still list only the
    glyphs used), to be subset once for the book when the parts are joined."""
    from weasyprint.pdf import fonts

    subset = fonts.Font.subset
    fonts.Font.subset = lambda self, to_unicode, hinting: None
    try:
        yield
    finally:
        fonts.Font.subset = subset


def _share_streams(pdf: pikepdf.Pdf) -> None:
    """One copy of each stream every part carries alike (the print file's output profile, a form, an image).

    qpdf copies a part's objects as they are, so a stream written by every
    part would be in the file once a part; each reference is pointed at its
    first copy, and the others, unreferenced, are not written.
    """
    first: dict[bytes, pikepdf.Object] = {}
    same: dict[tuple[int, int], pikepdf.Object] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            header = sorted((str(key), repr(value)) for key, value in obj.stream_dict.items() if key != "/Length")
            digest = hashlib.sha256(repr(header).encode() + b"\0" + obj.read_raw_bytes()).digest()
            kept = first.setdefault(digest, obj)
            if kept.objgen != obj.objgen:
                same[obj.objgen] = kept
    if not same:
        return
    for obj in list(pdf.objects):
        if isinstance(obj, pikepdf.Stream):
            _repoint(obj.stream_dict, same)
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Array)):
            _repoint(obj, same)


def _repoint(container, same: dict) -> None:
    """Every reference in *container* (and its direct members) to a stream in *same*, to the copy kept."""
    items = list(container.items()) if isinstance(container, pikepdf.Dictionary) else list(enumerate(container))
    for key, value in items:
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            if value.objgen in same:
                container[key] = same[value.objgen]
        elif isinstance(value, (pikepdf.Dictionary, pikepdf.Array)):
            _repoint(value, same)


def _cid_fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, pikepdf.Dictionary, str, bytes]]:
    """Every CIDFont of *pdf*, referenced or not: (font, descriptor, font file key, the file's bytes)."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        if obj.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2") or "/FontDescriptor" not in obj:
            continue
        descriptor = obj.FontDescriptor
        key = next((name for name in ("/FontFile3", "/FontFile2") if name in descriptor), None)
        if key is not None:
            yield obj, descriptor, key, descriptor[key].read_bytes()


def _glyphs_drawn(pdf: pikepdf.Pdf) -> dict[bytes, set[int]]:
    """For each font file of a part (by its hash), the glyphs its fonts list.

    Read from every font dictionary in the file, the unreferenced ones too:
    WeasyPrint writes one per font size of a face, and the page resources keep
    only the last, whose widths list only the glyphs drawn at its size.
    """
    found: dict[bytes, set[int]] = {}
    for font, _descriptor, _key, data in _cid_fonts(pdf):
        found.setdefault(hashlib.sha256(data).digest(), set()).update(_glyphs(font.get("/W", [])))
    return found


def _subset_fonts(out: pikepdf.Pdf, drawn: dict[bytes, set[int]], made: dict) -> None:
    """Each embedded font file subset once, to the glyphs any part draws with it (*drawn*), ids kept.

    *made* holds the subsets made so far, by font file and glyphs: the print
    and digital files draw the same glyphs, so the second join reuses them.
    """
    groups: dict[bytes, tuple[bytes, list, set[int]]] = {}
    for font, descriptor, key, data in _cid_fonts(out):
        digest = hashlib.sha256(data).digest()
        entry = groups.setdefault(digest, (data, [], set(drawn.get(digest, ()))))
        entry[1].append((descriptor, key))
        entry[2].update(_glyphs(font.get("/W", [])))
    for digest in sorted(groups):
        data, users, glyphs = groups[digest]
        original = users[0][0][users[0][1]]
        wanted = (digest, tuple(sorted(glyphs)))
        if wanted not in made:
            made[wanted] = _subset(data, list(wanted[1]))
        stream = pikepdf.Stream(out, made[wanted])
        if "/Subtype" in original:
            stream.Subtype = original.Subtype
        if users[0][1] == "/FontFile2":
            stream.Length1 = len(stream.read_bytes())
        for descriptor, key in users:
            descriptor[key] = stream


def _glyphs(widths) -> set[int]:
    """The glyph ids a CIDFont's W array gives widths for (``c [w …]`` or ``c_first c_last w``)."""
    found, index, items = set(), 0, list(widths)
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            found.update(range(first, first + len(items[index + 1])))
            index += 2
        else:
            found.update(range(first, int(items[index + 1]) + 1))
            index += 3
    return found


def _subset(data: bytes, glyphs: list[int]) -> bytes:
    """*data* (an OpenType font) keeping *glyphs*, with WeasyPrint's own fontTools options."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
                             hinting=False, desubroutinize=True, notdef_outline=False)
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=glyphs)
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)  # the font's own date: not the clock's (reproducible)
    subsetter.subset(font)
    result = io.BytesIO()
    font.save(result)
    return result.getvalue()
