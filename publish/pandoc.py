"""The only place pandoc runs.

pandoc comes from ``pypandoc-binary``; its version is checked once, at the
first call. Chapters are parsed to pandoc's JSON AST (``parse``) and filtered
ASTs are written out (``write``); warnings pandoc prints are returned so the
caller can name the file and line.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from publish import nesting
from publish.errors import ManuscriptError, ToolError

MINIMUM_VERSION = (3, 1)
# pandoc's limits (its GHC runtime's heap, +RTS -M; and seconds per run): a chapter within the 8 MB cap of
# publish.files parses in about 10 s under 1 GB; beyond these, hostile or broken input is stopped.
PARSE_HEAP = "2g"
WRITE_HEAP = "4g"
TIMEOUT = 300
# Markdown as the manuscript is written: pandoc's own flavour, smart
# punctuation on. pandoc, which sees the inline markup, decides which quotes
# open and close ("*really*", "[link](url)") and sets -- and --- as en and em
# dashes; the typography filter then sets the quotes in the book's style.
READER = "markdown+smart"
WARNING_RE = re.compile(r"^\[WARNING\] (?P<message>.*)$")
# Raw formats pandoc's HTML writer passes through (compared without case: ``{=HTML}`` is ``{=html}``).
HTML_FORMATS = frozenset({"html", "html4", "html5", "s5", "slidy", "slideous", "dzslides", "revealjs"})
LINE_RE = re.compile(r"\bline (\d+) column \d+")


@dataclass(frozen=True)
class Warning:
    message: str
    line: int | None


@functools.lru_cache(maxsize=1)
def executable() -> str:
    """Path of the pandoc binary, its version checked; ToolError if missing or too old."""
    path = os.environ.get("PUBLISH_PANDOC") or _bundled() or shutil.which("pandoc")
    if not path:
        raise ToolError("pandoc not found: install it with 'python3 -m pip install pypandoc-binary'")
    found = version(path)
    if found < MINIMUM_VERSION:
        want = ".".join(map(str, MINIMUM_VERSION))
        have = ".".join(map(str, found))
        raise ToolError(f"pandoc {have} at {path} is too old: {want} or newer is needed "
                        "(pip install -U pypandoc-binary)")
    return path


def _bundled() -> str | None:
    try:
        import pypandoc
    except ImportError:
        return None
    try:
        return pypandoc.get_pandoc_path()
    except OSError:
        return None


def passthrough(args: list[str]) -> int:
    """``publish pandoc ARGS…``: the bundled pandoc, checked, for using the filters in any pandoc workflow.

    pypandoc-binary installs pandoc inside the Python package, not on PATH.
    """
    try:
        return subprocess.run([executable(), *args], check=False).returncode
    except KeyboardInterrupt:
        return 130


@functools.lru_cache(maxsize=4)
def version(path: str | None = None) -> tuple[int, ...]:
    """pandoc's version as a tuple, e.g. (3, 9)."""
    path = path or executable()
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise ToolError(f"pandoc at {path} does not run: {error}") from None
    match = re.search(r"pandoc(?:\.exe)? (\d+(?:\.\d+)*)", out)
    if not match:
        raise ToolError(f"cannot read pandoc's version from {path}")
    return tuple(int(part) for part in match.group(1).split("."))


def version_string() -> str:
    return ".".join(map(str, version(executable())))


def parse(text: str, path: Path | None = None) -> tuple[dict, list[Warning]]:
    """Markdown (the chapter at *path*) → pandoc's JSON AST (as a dict) and the warnings pandoc gave."""
    out, err = _run(["-f", READER, "-t", "json"], text, path, PARSE_HEAP)
    try:
        ast = json.loads(out)
    except RecursionError:
        raise ManuscriptError("nested too deeply for the build to read: flatten it", path) from None
    nesting.check_ast(ast, path, text)
    _raw_formats(ast)
    return ast, _warnings(err)


def _raw_formats(ast: dict) -> None:
    """Raw formats in one spelling: ``{=HTML}`` and ``{=html5}`` are pandoc's ``html`` (its HTML writer passes
    them all through, so the safety check must see them as HTML); a format panflute does not know becomes
    ``markdown``, which no edition shows either. Walked without recursion: nesting depth is the author's."""
    from panflute.elements import RAW_FORMATS

    stack: list = [ast]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("t") in ("RawInline", "RawBlock"):
                fmt = str(node["c"][0]).lower()
                fmt = "html" if fmt in HTML_FORMATS else fmt
                node["c"][0] = fmt if fmt in RAW_FORMATS else "markdown"
            else:
                stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def write(ast: dict, to: str, *args: str) -> str:
    """A JSON AST → text in format *to* (e.g. ``html5``)."""
    out, _ = _run(["-f", "json", "-t", to, *args], json.dumps(ast), None, WRITE_HEAP)
    return out


def run_filter_command(text: str, filter_command: list[str], to: str = "native") -> str:
    """Markdown → *to* through ``pandoc --filter``: how a publisher reuses our filters."""
    args = ["-f", READER, "-t", to]
    for command in filter_command:
        args += ["--filter", command]
    out, _ = _run(args, text)
    return out


def _run(args: list[str], stdin: str, path: Path | None = None, heap: str = "") -> tuple[str, str]:
    """Run pandoc on *stdin* (the text of *path*, if it is a chapter) within a heap and a time limit."""
    limits = ["+RTS", f"-M{heap}", "-RTS"] if heap else []
    command = [executable(), *limits, *args]
    try:
        done = subprocess.run(command, input=stdin.encode("utf-8"), capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ToolError(f"pandoc took more than {TIMEOUT} s and was stopped: split the chapter or simplify it",
                        path) from None
    except (OSError, subprocess.SubprocessError) as error:
        raise ToolError(f"pandoc failed to run: {error}", path) from None
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        if "Heap exhausted" in err or "out of memory" in err:
            raise ToolError(f"pandoc ran out of memory (its limit is {heap or 'the machine'}): split the chapter "
                            "into smaller files", path)
        first = next((line for line in err.splitlines() if line.strip()), f"exit {done.returncode}")
        raise ToolError(f"pandoc failed: {first}", path)
    return done.stdout.decode("utf-8"), err


def _warnings(stderr: str) -> list[Warning]:
    found = []
    for line in stderr.splitlines():
        match = WARNING_RE.match(line)
        if match:
            where = LINE_RE.search(match["message"])
            found.append(Warning(match["message"], int(where[1]) if where else None))
    return found


