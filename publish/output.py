"""Atomic outputs: written beside their place under a temporary name, then renamed.

A build that fails part-way leaves every previous output as it was; one killed
while publishing leaves a journal that the next build completes first.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from publish.errors import OutputError


def ensure_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the output folder: {error.strerror or error}", path) from None
    if not os.access(path, os.W_OK):
        raise OutputError("the output folder is not writable", path)
    return path


# A device that cannot take the build: one line, never a traceback.
FULL = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the file system is read-only", errno.EFBIG: "a file is too large for the file system"}


@contextlib.contextmanager
def device_errors(where: Path | None = None) -> Iterator[None]:
    """Turn a full disk (or quota, or read-only file system) met in the block into one OutputError line."""
    try:
        yield
    except OSError as error:
        if error.errno not in FULL:
            raise
        raise OutputError(f"cannot write the build: {FULL[error.errno]} ({error.strerror}); "
                          "nothing was published, the previous outputs are as they were", where) from None


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside *target*; rename it over *target* if the block succeeds."""
    ensure_dir(target.parent)
    with device_errors(target.parent):
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    tmp = Path(name)
    try:
        with device_errors(target.parent):
            yield tmp
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary folder beside *target*; swap it in for *target* if the block succeeds."""
    ensure_dir(target.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / "previous")
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def build_lock(out: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``out/.publish.lock`` for the length of a build: a second build waits its turn, saying so."""
    ensure_dir(out)
    try:
        handle = open(out / ".publish.lock", "a+b")  # noqa: SIM115 - held for the whole block
    except OSError as error:
        raise OutputError(f"cannot write in the output folder: {error.strerror}", out) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            (waiting or _say)(f"waiting for another build of this folder ({out}) to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            recover(out)  # a build killed while publishing: its switch is completed first
            for left in out.glob(".*.old"):  # and the old versions it had set aside go
                if left.is_dir() and not left.is_symlink():
                    shutil.rmtree(left, ignore_errors=True)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _say(line: str) -> None:
    print(f"publish: {line}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A private folder inside *out* where a build writes its editions before any is published.

    Called under the build lock: a staging folder already there is a killed build's, and goes.
    """
    ensure_dir(out)
    for stale in out.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    stage: Path | None = None
    try:
        with device_errors(out):
            stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
            yield stage
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


JOURNAL = ".publish-journal.json"


def publish_all(stage: Path, out: Path, written: dict[str, list[Path]]) -> dict[str, list[Path]]:
    """Move every edition from *stage* into *out*, as one journalled switch.

    The renames to make are written to ``out/.publish-journal.json`` first; a
    build killed between two renames leaves the journal, and the next build
    (under the lock, before anything else) completes them and forgets the
    cache record, so that every edition and the manifest are made again
    together. ``finish`` removes the journal once the manifest is written.
    """
    tops = list(dict.fromkeys(p.relative_to(stage).parts[0] for paths in written.values() for p in paths))
    write_bytes(out / JOURNAL, json.dumps({"stage": stage.name, "moves": tops}).encode("utf-8"))
    for top in tops:
        _move(stage / top, out / top)
    return {module: [out / p.relative_to(stage) for p in paths] for module, paths in written.items()}


def finish(out: Path) -> None:
    """The manifest is written: the switch is complete."""
    (out / JOURNAL).unlink(missing_ok=True)


def recover(out: Path) -> bool:
    """Complete the switch a killed build left half made (called under the build lock); True if there was one."""
    journal = out / JOURNAL
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        stage, moves = out / str(data["stage"]), [str(top) for top in data["moves"]]
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        stage, moves = None, []
    if stage is not None and not re.fullmatch(r"\.staging-[\w-]+", stage.name):
        stage = None  # not a journal of ours: nothing is moved on its word
    for top in moves:
        if stage is not None and re.fullmatch(r"[\w.-]+", top) and top not in (".", "..") and (stage / top).exists():
            _move(stage / top, out / top)
    (out / ".publish-cache.json").unlink(missing_ok=True)  # the next build writes every edition and the manifest
    journal.unlink(missing_ok=True)
    return True


def _move(source: Path, target: Path) -> None:
    """*source* in place of *target* by rename; a folder's old version goes aside first, then away."""
    if source.is_dir() and target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, old / "previous")
        os.replace(source, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(source, target)


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_file(target) as tmp:
        tmp.write_bytes(data)
    return target
