"""Sessions for building the book, testing the toolchain and checking a build.

Every session only orchestrates: the logic lives in the ``publish`` package.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nox

nox.options.sessions = ["build", "tests"]
nox.options.reuse_existing_virtualenvs = True


def _install(session: nox.Session, extras: str = "") -> None:
    session.install("-e", f".[{extras}]" if extras else ".")


def _bootstrap(session: nox.Session, need: str) -> None:
    """Install the system packages *need* ("build" or "tests") asks for, when absent (tools/bootstrap.sh)."""
    session.run("bash", "tools/bootstrap.sh", need, external=True)


@nox.session
def build(session: nox.Session) -> None:
    """Build every edition of manuscript/ into build/ (pass -f html,epub to choose)."""
    _bootstrap(session, "build")
    _install(session)
    session.run("publish", "build", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite (validators and browser tests included, none skipped), then the wheel check."""
    _bootstrap(session, "tests")
    _install(session, "test")
    session.run("pytest", *session.posargs, env={"PUBLISH_TESTS_REQUIRE_TOOLS": "1"})
    if not session.posargs:
        session.notify("wheel")


@nox.session(reuse_venv=False)
def wheel(session: nox.Session) -> None:
    """Build the wheel, install it (not editable) in a fresh virtualenv, build a manuscript copied elsewhere."""
    _bootstrap(session, "build")
    outside = Path(tempfile.mkdtemp(prefix="publish-wheel-"))
    try:
        session.run("python", "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(outside / "dist"), ".")
        session.install(*map(str, (outside / "dist").glob("publish-*.whl")))
        shutil.copytree("manuscript", outside / "book")
        session.chdir(outside)
        session.run("publish", "build", "book", "-o", "out", "--strict")
        session.run("python", str(Path(__file__).resolve().parent / "tools" / "check_wheel.py"), "out")
    finally:
        shutil.rmtree(outside, ignore_errors=True)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint the Python code with ruff."""
    session.install("ruff")
    session.run("ruff", "check", "publish", "tests", "noxfile.py", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Build, then prove the build fit to ship (validators, preflight, parity)."""
    _install(session)
    session.run("publish", "build")
    session.run("publish", "check", "--manuscript", "manuscript", *session.posargs)


@nox.session
def proof(session: nox.Session) -> None:
    """The copy-editor's lint over manuscript/."""
    _install(session)
    session.run("publish", "lint", "manuscript", *session.posargs)


@nox.session
def diff(session: nox.Session) -> None:
    """The proofreader's diff: nox -s diff -- OLD NEW (revisions or build folders)."""
    _install(session)
    session.run("publish", "diff", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark the build against bare pandoc + weasyprint, and its scaling."""
    _install(session, "test")
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Run the pipeline fuzz test with many more examples than CI does."""
    _install(session, "test")
    session.run("pytest", "tests/test_fuzz.py", *session.posargs, env={"FUZZ_EXAMPLES": "2000"})


@nox.session
def corpus(session: nox.Session) -> None:
    """Build and check every book (each sub-folder with a book.yaml) in a folder: nox -s corpus -- FOLDER [OUT]."""
    if not session.posargs:
        session.error("name the corpus folder: nox -s corpus -- FOLDER [OUT]")
    _install(session)
    session.run("python", "-m", "publish.corpus", *session.posargs)
