"""One read of each manuscript file per build: the bytes and the hash that cache, build and manifest all use.

In a build (``build`` is ``scoped``), ``load_book`` begins a snapshot of the
manuscript, and the build's end removes it. Meanwhile every read of
a file inside it through ``publish.files`` is served from the snapshot: the
first read hashes the file (and keeps the text of book.yaml, the chapters,
lint-ignore.yaml and the book's styles); a later read returns the same bytes.
So the cache key, the text the build parses and the hash the manifest lists
are of one and the same read, whatever happens to the folder meanwhile.

Images are not kept in memory. The build names each image it shows through
``safety.resolve_image``; that records the reference as the text wrote it and
the file it resolved to (the cache's list of images is this list, never a
guess from the text), and copies the hashed bytes into a private mirror,
re-read and checked against the hash when they are not at hand. The editions
read the manuscript's images from that mirror (``for_editions``: the book
with the mirror as its root), so a file swapped in the manuscript after its
check, for a FIFO, a symlink out or other bytes, is never what an edition
carries: the PDF layout in its forked worker reads the mirror too.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

from publish.errors import ResourceError

KEPT = ("book.yaml", "chapter", "lint-ignore.yaml", "stylesheet")  # kinds whose bytes stay in memory
PREFIX = "publish-snapshot-"  # then the pid of the build that made it
_local = threading.local()


@dataclasses.dataclass
class Entry:
    sha256: str
    size: int
    data: bytes | None  # None for an image: its bytes are in the mirror's store once needed
    stamp: list[int] | None = None  # size and mtime (ns) of the file as it was read (fstat of the open file)


class Snapshot:
    """The files of one build's manuscript as they were first read."""

    def __init__(self, root: Path):
        self.root = Path(os.path.realpath(root))
        self.entries: dict[str, Entry] = {}
        self.images: dict[str, str] = {}  # reference (relative path as written, unquoted) → real path
        # made now, so that the PDF worker, forked before the images are read, knows where they will be
        _sweep()
        self.folder = Path(os.path.realpath(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")))
        self.mirror, self.store = self.folder / "book", self.folder / "store"
        self.mirror.mkdir()
        self.store.mkdir()
        self.owner = os.getpid()
        self.shown = False  # True once the build has resolved every image it shows (``ready``)

    def covers(self, target: Path) -> bool:
        """Whether *target* (a real path) is a manuscript file this snapshot serves."""
        return Path(target).is_relative_to(self.root)

    def trusted(self, target: Path) -> bool:
        """Whether *target* lies in this snapshot's own folder (written by the build, read as it is)."""
        return Path(target).is_relative_to(self.folder)

    def get(self, target: Path) -> Entry | None:
        return self.entries.get(str(target))

    def add(self, target: Path, what: str, data: bytes, stamp: list[int] | None = None) -> Entry:
        entry = Entry(hashlib.sha256(data).hexdigest(), len(data), data if what in KEPT else None, stamp)
        self.entries[str(target)] = entry
        return entry

    def stored(self, target: Path, read_again) -> bytes:
        """The bytes of an image first read at *target*: from the store, or read again and checked by hash."""
        entry = self.entries[str(target)]
        if entry.data is not None:
            return entry.data
        kept = self.store / entry.sha256
        if kept.is_file():
            return kept.read_bytes()
        data = read_again()
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            name = Path(target).relative_to(self.root).as_posix()
            raise ResourceError(f"image {name!r} changed while the book was being built: build again")
        kept.write_bytes(data)
        return data

    def image(self, reference: str, target: Path, data: bytes) -> None:
        """Record that the build shows *reference*, which resolved to *target* as *data*; mirror it."""
        sha = self.entries[str(target)].sha256
        self.images.setdefault(reference, str(target))
        kept = self.store / sha
        if not kept.is_file():
            kept.write_bytes(data)
        place = Path(os.path.normpath(self.mirror / reference))
        if not place.is_relative_to(self.mirror):
            return  # a reference climbing out is refused before it is read: nothing to mirror
        if place.is_file():
            if not place.samefile(kept):
                raise ResourceError(f"image {reference!r} is, through a symlinked folder, another file than the "
                                    "same path written directly: name the image by its own path")
            return
        place.parent.mkdir(parents=True, exist_ok=True)
        os.link(kept, place)  # the mirror and the store share the bytes

    def listing(self, targets: list[Path]) -> list[tuple[Path, Entry]]:
        """Each of *targets* (real paths this snapshot read) with its entry, then every image the build showed."""
        paths = dict.fromkeys(str(target) for target in targets)
        paths.update(dict.fromkeys(sorted(set(self.images.values()))))
        return [(Path(path), self.entries[path]) for path in paths if path in self.entries]

    def close(self) -> None:
        if os.getpid() == self.owner:  # a forked worker leaves the folder to the build that made it
            shutil.rmtree(self.folder, ignore_errors=True)


def scoped(function):
    """Decorate ``build``: while it runs, ``load_book`` begins a snapshot; when it ends, the snapshot goes.

    Outside a build (lint, check) nothing is snapshotted: every read is of the folder as it is now.
    """
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        outer = getattr(_local, "scope", False)
        _local.scope = True
        try:
            return function(*args, **kwargs)
        finally:
            _local.scope = outer
            shot = current()
            if shot is not None and not outer:
                shot.close()
                _local.snapshot = None

    return wrapper


def begin(root: Path) -> Snapshot | None:
    """A fresh snapshot of the manuscript *root* for this thread's build (none outside a build)."""
    previous = current()
    if previous is not None:
        previous.close()
        _local.snapshot = None
    if getattr(_local, "scope", False):
        _local.snapshot = Snapshot(root)
    return current()


def current() -> Snapshot | None:
    return getattr(_local, "snapshot", None)


def for_editions(book):
    """*book* with the snapshot's mirror as its root, so that every edition reads the images the build checked."""
    shot = current()
    if shot is None or Path(os.path.realpath(book.root)) != shot.root:
        return book
    return dataclasses.replace(book, root=shot.mirror)


def unchanged_since_read(path: Path, stamp: list[int] | None) -> bool:
    """False if this build read *path* and its size or modification time (*stamp*, now) differ since."""
    shot = current()
    entry = shot.get(Path(os.path.realpath(path))) if shot is not None else None
    return entry is None or entry.stamp is None or entry.stamp == stamp


def ready(book, cover: bool) -> None:
    """Before the editions: the cover (when an edition shows it) resolved and mirrored like any image."""
    shot = current()
    if shot is None:
        return
    if cover and book.metadata.cover:
        from publish import safety

        safety.resolve_image(book.metadata.cover, book.root, Path(book.root) / "book.yaml")
    shot.shown = True


def images() -> list[str]:
    """The image references the build resolved so far (relative paths as the text wrote them), sorted."""
    shot = current()
    return sorted(shot.images) if shot is not None else []


def _sweep() -> None:
    """Remove the snapshot folders of builds that died without removing theirs (killed, out of memory)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*-*"):
        pid = folder.name[len(PREFIX):].partition("-")[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)  # still running: its folder is in use
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


@atexit.register
def _remove() -> None:
    shot = current()
    if shot is not None:
        shot.close()
