"""Hostile input, one read per build: the cache, the build and the manifest see the same bytes.

The cache's list of images is the build's own (the references ``safety.resolve_image``
resolved), so an image named through %-escapes, ``./``, ``../`` or a
reference-style definition is hashed like any other: change it and the next
build makes the editions again. A file swapped while a build runs (after its
check, between the cache's hash and the manifest, between the check of an
image and an edition's read of it) is never what an edition carries or the
manifest lists: each file is read once, into ``publish.snapshot``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image

from publish import cache, files, render
from publish.build import build
from publish.errors import PublishError
from tests.conftest import in_thread, make_manuscript


def _png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


RED, BLUE = _png((200, 0, 0)), _png((0, 0, 200))


def _lines(collected: list[str]):
    return collected.append


def _book(tmp_path: Path, text: str) -> Path:
    root = make_manuscript(tmp_path / "m", {"a.md": text})
    (root / "images").mkdir()
    (root / "images" / "ok.png").write_bytes(RED)
    return root


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _listed(out: Path) -> dict[str, str]:
    manifest = json.loads((out / "manifest.json").read_text())
    return {entry["path"]: entry["sha256"] for entry in manifest["sources"]["manuscript"]}


@pytest.mark.parametrize("reference", [
    "![A figure](images/%6Fk.png)",  # %-escaped: the text never spells the file's name
    "![A figure](images/../images/ok.png)",
    "![A figure](./images/ok.png)",
    "![A figure][fig]\n\n[fig]: images/%6fk.png",  # reference-style, escaped too
    "![A figure](<images/o%6B.png> \"a title\")",
])
def test_a_changed_image_is_built_again_however_the_text_names_it(tmp_path, reference):
    root = _book(tmp_path, f"# A\n\n{reference}\n")
    out = tmp_path / "out"
    build(root, out, ("html", "epub"), log=_lines([]))
    assert (out / "html" / "images" / "ok.png").read_bytes() == RED
    assert _listed(out)["images/ok.png"] == _sha(RED)
    lines: list[str] = []
    build(root, out, ("html", "epub"), log=_lines(lines))
    assert all("(unchanged)" in line for line in lines)  # nothing changed: nothing made again
    (root / "images" / "ok.png").write_bytes(BLUE)
    lines.clear()
    build(root, out, ("html", "epub"), log=_lines(lines))
    assert not any("(unchanged)" in line for line in lines)
    assert (out / "html" / "images" / "ok.png").read_bytes() == BLUE
    assert _listed(out)["images/ok.png"] == _sha(BLUE)


def test_the_cache_hashes_only_what_the_build_used(tmp_path):
    root = _book(tmp_path, "# A\n\n![A figure](images/ok.png)\n")
    (root / "images" / "unused.png").write_bytes(BLUE)
    (root / "notes.txt").write_text("the author's own notes")
    out = tmp_path / "out"
    build(root, out, ("html",), log=_lines([]))
    assert sorted(_listed(out)) == ["a.md", "book.yaml", "images/ok.png"]
    record = json.loads((out / cache.NAME).read_text())  # one entry per edition, as the catalogue reads it
    assert all(isinstance(entry, dict) and "key" in entry for entry in record.values())
    assert record["html"]["images"] == ["images/ok.png"]
    (root / "notes.txt").write_text("changed")
    (root / "images" / "unused.png").write_bytes(RED)
    lines: list[str] = []
    build(root, out, ("html",), log=_lines(lines))
    assert lines and all("(unchanged)" in line for line in lines)


def test_a_chapter_changed_after_it_was_read_is_never_listed_for_what_was_built(tmp_path, monkeypatch):
    """The swap lands between the cache's hash and the manifest: the manifest lists the bytes built."""
    root = _book(tmp_path, "# A\n\nThe first words.\n")
    first = (root / "a.md").read_bytes()
    real = cache.keys

    def keys_then_edit(plan, built=False):
        found = real(plan, built)
        (root / "a.md").write_text("# A\n\nThe second words.\n")
        (root / "images" / "ok.png").write_bytes(BLUE)
        for path in (root / "a.md", root / "images" / "ok.png"):  # dated well before the build's end, so that
            os.utime(path, ns=(path.stat().st_mtime_ns - 3600 * 10**9,) * 2)  # only the stamp read can tell
        return found

    for path in [root, *root.rglob("*")]:  # all older than noop.py's RACY_S: the build leaves a no-op record
        os.utime(path, ns=(path.stat().st_mtime_ns - 3600 * 10**9,) * 2)
    monkeypatch.setattr(cache, "keys", keys_then_edit)
    out = tmp_path / "out"
    build(root, out, ("html",), log=_lines([]))
    monkeypatch.undo()
    assert "The first words." in (out / "html" / "index.html").read_text()
    assert _listed(out)["a.md"] == _sha(first)
    lines: list[str] = []
    build(root, out, ("html",), log=_lines(lines))  # the folder has moved on since: built again
    assert not any("(unchanged)" in line for line in lines)
    assert "The second words." in (out / "html" / "index.html").read_text()


def _swap(path: Path, kind: str, outside: Path) -> None:
    """Put something else where *path* was: a FIFO, a symlink out, or a symlink out for its folder."""
    if kind == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif kind == "symlink":
        path.unlink()
        path.symlink_to(outside / path.name)
    else:  # the folder on the way becomes a symlink out
        folder = path.parent
        folder.rename(folder.with_name(folder.name + "-gone"))
        folder.symlink_to(outside, target_is_directory=True)


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ok.png").write_bytes(BLUE)
    (outside / "a.md").write_text("# Secret\n\nWords from outside the manuscript.\n")
    return outside


def _refused_at_the_read(error: BaseException) -> bool:
    """Refused by the read itself (nothing opened through the swap), not by a later check after reading it."""
    return "changed while it was being read" in str(error) or "is not a regular file" in str(error)


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder"])
def test_an_image_swapped_after_its_check_is_refused_or_never_read(tmp_path, monkeypatch, kind):
    """Swapped between the check of the path and its read: one line, nothing outside read, no hang."""
    root = _book(tmp_path, "# A\n\n![A figure](images/ok.png)\n")
    outside = _outside(tmp_path)
    real = files.image

    def check_then_swap(*args, **kwargs):
        checked = real(*args, **kwargs)  # inside the manuscript, a regular file within the cap
        _swap(checked, kind, outside)
        return checked

    monkeypatch.setattr(files, "image", check_then_swap)
    error = in_thread(lambda: build(root, tmp_path / "out", ("html",), log=_lines([])))
    assert isinstance(error, PublishError), error
    assert "\n" not in str(error) and "image 'images/ok.png'" in str(error)
    assert _refused_at_the_read(error)
    assert not (tmp_path / "out" / "html").exists()


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder"])
def test_a_chapter_swapped_after_its_check_is_refused(tmp_path, monkeypatch, kind):
    root = _book(tmp_path, "# A\n\nText.\n")
    outside = _outside(tmp_path)
    real = files.regular
    swapped: list[str] = []

    def check_then_swap(target, what, *args, **kwargs):
        info = real(target, what, *args, **kwargs)
        if what == "chapter" and not swapped:
            swapped.append(what)
            _swap(Path(target), kind, outside)
        return info

    if kind == "folder":  # the chapter's folder: put the chapter one folder down
        (root / "part").mkdir()
        (root / "a.md").rename(root / "part" / "a.md")
        (root / "book.yaml").write_text((root / "book.yaml").read_text().replace("- a.md", "- part/a.md"))
    monkeypatch.setattr(files, "regular", check_then_swap)
    error = in_thread(lambda: build(root, tmp_path / "out", ("html",), log=_lines([])))
    assert isinstance(error, PublishError), error
    assert "chapter" in str(error) and "\n" not in str(error)
    assert _refused_at_the_read(error)
    assert not (tmp_path / "out").exists() or not (tmp_path / "out" / "html").exists()


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder", "bytes"])
def test_an_image_swapped_after_the_build_checked_it_never_reaches_an_edition(tmp_path, monkeypatch, kind):
    """Swapped once the text is parsed, before the editions read the image: they carry the bytes checked."""
    root = _book(tmp_path, "# A\n\n![A figure](images/ok.png)\n")
    outside = _outside(tmp_path)
    real = render.render

    def render_then_swap(*args, **kwargs):
        rendered = real(*args, **kwargs)
        if kind == "bytes":
            (root / "images" / "ok.png").write_bytes(BLUE)
        else:
            _swap(root / "images" / "ok.png", kind, outside)
        return rendered

    monkeypatch.setattr(render, "render", render_then_swap)
    out = tmp_path / "out"
    assert in_thread(lambda: build(root, out, ("html", "epub"), log=_lines([]))) is None
    assert (out / "html" / "images" / "ok.png").read_bytes() == RED
    import zipfile

    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        assert [epub.read(n) for n in epub.namelist() if n.endswith("images/ok.png")] == [RED]
    assert _listed(out)["images/ok.png"] == _sha(RED)


def test_the_pdf_reads_the_image_the_build_checked(tmp_path, monkeypatch):
    """The PDF is laid out in a forked worker from the snapshot's mirror: a swap for a FIFO neither hangs it
    nor changes the picture."""
    pytest.importorskip("weasyprint")
    import pikepdf

    root = _book(tmp_path, "# A\n\n![A figure](images/ok.png)\n")
    real = render.render

    def render_then_swap(*args, **kwargs):
        rendered = real(*args, **kwargs)
        _swap(root / "images" / "ok.png", "fifo", tmp_path)
        return rendered

    monkeypatch.setattr(render, "render", render_then_swap)
    out = tmp_path / "out"
    assert in_thread(lambda: build(root, out, ("pdf", "html"), log=_lines([]))) is None
    with pikepdf.open(next(out.glob("*.pdf"))) as pdf:
        pictures = [pikepdf.PdfImage(image).as_pil_image().convert("RGB").getpixel((4, 4))
                    for page in pdf.pages for image in page.get_images().values()]
    assert (200, 0, 0) in pictures


def test_check_compares_the_images_the_build_showed(tmp_path):
    """``publish check --manuscript`` hashes the images the manifest lists: unchanged PASS, changed FAIL."""
    from publish import check
    from publish.check import files as file_checks

    root = _book(tmp_path, "# A\n\n![A figure](images/%6Fk.png)\n")
    out = tmp_path / "out"
    build(root, out, ("html",), log=_lines([]))

    def sources() -> str:
        return next(r for r in file_checks.run(check.Build(out, root)) if r.name == "manifest sources").line

    assert sources().startswith("PASS")
    (root / "images" / "ok.png").write_bytes(BLUE)
    assert sources().startswith("FAIL") and "manuscript/images/ok.png" in sources()


def test_check_compares_the_styles_in_force_of_a_book_with_its_own(tmp_path):
    """A book with its own web.css: check --manuscript PASSes it unchanged (the styles in force, not the
    toolchain's alone), and FAILs once the book's stylesheet changes."""
    from publish import check
    from publish.check import files as file_checks

    root = _book(tmp_path, "# A\n\nText.\n")
    (root / "styles").mkdir()
    (root / "styles" / "web.css").write_text("p { color: navy }\n")
    out = tmp_path / "out"
    build(root, out, ("html",), log=_lines([]))

    def sources() -> str:
        return next(r for r in file_checks.run(check.Build(out, root)) if r.name == "manifest sources").line

    assert sources() == "PASS manifest sources"
    (root / "styles" / "web.css").write_text("p { color: teal }\n")
    assert sources().startswith("FAIL") and "manuscript/styles/web.css" in sources()



def test_a_dead_builds_snapshot_folder_is_removed_by_the_next_build(tmp_path):
    """A build killed mid-way (os._exit, out of memory) leaves its private copy; the next one removes it."""
    import subprocess
    import sys
    import tempfile

    from publish import snapshot

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = Path(tempfile.gettempdir()) / f"{snapshot.PREFIX}{int(dead.stdout)}-left"
    (left / "book").mkdir(parents=True)
    root = _book(tmp_path, "# A\n\n![A figure](images/ok.png)\n")
    build(root, tmp_path / "out", ("html",), log=_lines([]))
    assert not left.exists()
    assert not list(Path(tempfile.gettempdir()).glob(f"{snapshot.PREFIX}{os.getpid()}-*"))  # its own: removed


def _pdf_image_colours(pdf: Path) -> set[tuple[int, ...]]:
    import pikepdf
    from pikepdf import PdfImage

    colours = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for _, raw in page.get_images().items():
                colours.add(PdfImage(raw).as_pil_image().convert("RGB").getpixel((4, 4)))
    return colours


def test_a_changed_image_reaches_the_pdf_whose_part_is_cached(tmp_path):
    """The PDF's part cache keys a part by the bytes of the images it shows, not only its HTML (from the CLI)."""
    import subprocess
    import sys

    root = _book(tmp_path, "# A\n\n![A figure](images/ok.png)\n")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "publish", "build", str(root), "-o", str(out), "-f", "pdf,html"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run(command, check=True, capture_output=True, env=env)
    pdf = next(p for p in out.glob("*.pdf") if not p.stem.endswith("-print"))
    assert _pdf_image_colours(pdf) == {(200, 0, 0)}
    (root / "images" / "ok.png").write_bytes(BLUE)
    subprocess.run(command, check=True, capture_output=True, env=env)
    assert _pdf_image_colours(pdf) == {(0, 0, 200)}
