"""Which files of a manuscript a build may open, and how: regular files inside it, each within a size cap.

Every read of the manuscript goes through here: book.yaml, the chapters,
lint-ignore.yaml, and the images the chapters show. A path is refused, with
one line naming it, before anything is opened when it lies outside the
manuscript (an absolute path, a ``../`` escape, or a symlink leading out), when
it is not a regular file (a FIFO, which would hang a read; a device such as
``/dev/zero``, which never ends; a folder), or when it is over its cap (a 6 GB
sparse file is refused by its size, never read). A file is opened without
blocking and read to its cap plus one byte at most, so a file growing under
the build is caught too.

``used`` is the list of files a book uses, found without pandoc: the cache
hashes these (and only these), the manifest lists them. The book's own
styles (its styles/ folder, book.yaml's css:) count among them.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from publish import snapshot
from publish.errors import ManuscriptError, ResourceError

MB = 2**20
# Caps, per kind of file: generous for any real book, small enough to keep memory bounded.
CAPS = {"book.yaml": 1 * MB, "chapter": 8 * MB, "lint-ignore.yaml": 1 * MB, "image": 64 * MB, "stylesheet": 16 * MB}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def inside(root: Path, relative: str | Path, what: str, cited_in: Path | None = None, line: int | None = None,
           error: type[ManuscriptError] = ManuscriptError) -> Path:
    """The real path of *relative* under *root*, checked to be a regular file inside *root* within its cap."""
    relative = Path(relative)
    if relative.is_absolute():
        raise error(f"{what} {str(relative)!r} is an absolute path: use a path inside the manuscript folder",
                    cited_in, line)
    real_root = Path(os.path.realpath(root))
    target = Path(os.path.realpath(real_root / relative))
    if not target.is_relative_to(real_root):
        raise error(f"{what} {str(relative)!r} lies outside the manuscript folder (a ../ escape or a symlink)",
                    cited_in, line)
    regular(target, what, relative, cited_in, line, error)
    return target


def regular(target: Path, what: str, name: str | Path, cited_in: Path | None = None, line: int | None = None,
            error: type[ManuscriptError] = ManuscriptError) -> os.stat_result:
    """``lstat`` of *target*, which must be a regular file under the cap of *what* (nothing is opened)."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        raise error(f"{what} {str(name)!r} does not exist", cited_in, line) from None
    except OSError as problem:
        raise error(f"{what} {str(name)!r} cannot be read: {problem.strerror}", cited_in, line) from None
    if not stat.S_ISREG(info.st_mode):
        kind = _kind(info.st_mode)
        raise error(f"{what} {str(name)!r} is {kind}, not a regular file: the build reads only files", cited_in, line)
    cap = CAPS.get(what, CAPS["chapter"])
    if info.st_size > cap:
        raise error(f"{what} {str(name)!r} is {info.st_size / MB:,.0f} MB, over the {cap // MB} MB a {what} may be",
                    cited_in, line)
    return info


def read(root: Path, relative: str | Path, what: str, cited_in: Path | None = None, line: int | None = None,
         error: type[ManuscriptError] = ManuscriptError) -> bytes:
    """The bytes of *relative* under *root*, after ``inside`` has accepted it; never more than its cap."""
    target = inside(root, relative, what, cited_in, line, error)
    return read_checked(target, what, relative, cited_in, line, error)


def read_checked(target: Path, what: str, name: str | Path, cited_in: Path | None = None, line: int | None = None,
                 error: type[ManuscriptError] = ManuscriptError) -> bytes:
    """Read a path ``inside`` returned, once per build (``publish.snapshot``): a later read of the same file
    in the same build returns the bytes the first one hashed."""
    shot = snapshot.current()
    if shot is None or shot.trusted(target) or not shot.covers(target):
        return _read(target, what, name, cited_in, line, error)
    if shot.get(target) is None:
        stamp: list[list[int]] = []
        data = _read(target, what, name, cited_in, line, error, stamp)
        shot.add(target, what, data, stamp[0] if stamp else None)
        return data
    return shot.stored(target, lambda: _read(target, what, name, cited_in, line, error))


def _read(target: Path, what: str, name: str | Path, cited_in: Path | None, line: int | None,
          error: type[ManuscriptError], stamp: list | None = None) -> bytes:
    """The bytes at *target*, opened without following any symlink on the way, without blocking, to the cap."""
    cap = CAPS.get(what, CAPS["chapter"])
    try:
        fd = _open_walking(Path(target))
    except OSError as problem:
        if problem.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT):
            raise error(f"{what} {str(name)!r} changed while it was being read (a symlink, a folder or nothing "
                        "now stands in its place): build again", cited_in, line) from None
        raise error(f"{what} {str(name)!r} cannot be opened: {problem.strerror}", cited_in, line) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped since it was checked
            raise error(f"{what} {str(name)!r} is not a regular file", cited_in, line)
        data = handle.read(cap + 1)
        if stamp is not None:  # the file as read, for the no-op record (noop.py)
            stamp.append([info.st_size, info.st_mtime_ns])
    if len(data) > cap:
        raise error(f"{what} {str(name)!r} is over the {cap // MB} MB a {what} may be", cited_in, line)
    return data


def _open_walking(target: Path) -> int:
    """Open the real path *target* one component at a time, none of them followed if it is a symlink.

    ``inside`` resolved the path and found it inside the manuscript; a folder on the way swapped for a
    symlink since (a check-then-use race) makes this fail (ELOOP or ENOTDIR) instead of leading out.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    folder = os.open(target.anchor or "/", os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for part in target.parts[1:-1]:
            inner = os.open(part, flags | os.O_DIRECTORY, dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(target.name, flags | os.O_NONBLOCK, dir_fd=folder)
    finally:
        os.close(folder)


def image(root: Path, url_path: str, cited_in: Path | None, line: int | None = None) -> Path:
    """An image the text shows: a regular file inside the manuscript within the image cap (not opened)."""
    return inside(root, url_path, "image", cited_in, line, ResourceError)


def used(root: Path) -> list[Path]:
    """The files a book uses but its images, in a stable order: book.yaml, its chapters, lint-ignore.yaml,
    and its own styles. Read and checked as the build reads them (through the build's snapshot), so an
    unusable file is the same one-line error here as there. The images are those the build resolves
    (``snapshot.images``, recorded with the cache), never guessed from the text.
    """
    from publish.book import read_config

    root = Path(root)
    config = read_config(root / "book.yaml")
    names = ["book.yaml"]
    chapters = config.get("chapters") if isinstance(config.get("chapters"), list) else []
    # a chapter is a file name, or ``{file: name, matter: front}`` (book.py reads both)
    names += [entry.get("file") if isinstance(entry, dict) else entry for entry in chapters
              if isinstance(entry, str) or (isinstance(entry, dict) and isinstance(entry.get("file"), str))]
    read(root, "book.yaml", "book.yaml", root / "book.yaml")
    for name in names[1:]:
        read(root, name, "chapter", root / "book.yaml")
    if os.path.lexists(root / "lint-ignore.yaml"):
        names.append("lint-ignore.yaml")
        read(root, "lint-ignore.yaml", "lint-ignore.yaml", root / "lint-ignore.yaml")
    names += _styles(root, config)
    return [Path(os.path.realpath(root / name)) for name in dict.fromkeys(names)]


def named_images(root: Path, used_files: list[Path]) -> list[Path]:
    """The image files inside the manuscript whose path the text of *used_files* names: for the date of a
    book without git or SOURCE_DATE_EPOCH only (what the build shows is ``snapshot.images``)."""
    real = Path(os.path.realpath(root))
    text = b"\n".join(read_checked(path, "chapter", path.name) for path in used_files  # not the book's styles
                       if not path.relative_to(real).as_posix().startswith("styles/"))
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            relative = (Path(dirpath) / name).relative_to(root).as_posix()
            if name.lower().endswith(IMAGE_SUFFIXES) and relative.encode() in text:
                try:
                    found.append(inside(root, relative, "image", error=ResourceError))
                except ResourceError:
                    continue  # refused when a chapter shows it
    return found


def _styles(root: Path, config: dict) -> list[str]:
    """The book's own styles: every file of its styles/ folder, and the files book.yaml's css: names."""
    from publish import book_styles

    names = [f"{book_styles.FOLDER}/{name}" for name in book_styles.own_files(root)]
    return names + [file for _, file in book_styles.parse_css(root, config.get("css"), root / "book.yaml")]


def copy_inside(source: Path, target: Path) -> None:
    """Copy the folder *source* over *target*: its regular files, a symlink only as the file it names inside
    *source*; anything else (a symlink leading out, a FIFO, a device, a file over the chapter cap) is left out."""
    real = Path(os.path.realpath(source))
    for dirpath, dirnames, filenames in os.walk(source, followlinks=False):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames:
            path = Path(dirpath) / name
            try:
                found = inside(real, path.relative_to(source), "file")
                data = read_checked(found, "file", path.relative_to(source))
            except ManuscriptError:
                continue
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.unlink(missing_ok=True)
            destination.write_bytes(data)


def _kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a file"
