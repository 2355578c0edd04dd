"""Atomic outputs: written beside their place under a temporary name, then renamed.

A build that fails part-way leaves every previous output as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
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


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside *target*; rename it over *target* if the block succeeds."""
    ensure_dir(target.parent)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
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
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish_staged(stage: Path, out: Path, paths: list[Path]) -> list[Path]:
    """Move what *paths* name from *stage* into *out*, each file or folder by an atomic rename."""
    moved: set[str] = set()
    for path in paths:
        top = path.relative_to(stage).parts[0]
        if top in moved:
            continue
        moved.add(top)
        source, target = stage / top, out / top
        if source.is_dir() and target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{top}.", suffix=".old", dir=out))
            os.replace(target, old / "previous")
            os.replace(source, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(source, target)
    return [out / path.relative_to(stage) for path in paths]


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_file(target) as tmp:
        tmp.write_bytes(data)
    return target
