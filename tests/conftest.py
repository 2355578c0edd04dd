"""Shared fixtures: the real manuscript, small manuscripts made in tests, builds made once."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import textwrap
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MANUSCRIPT = REPO / "manuscript"
# The source text the manuscript is transcribed from (a copy of shared/source/, so a clone is self-contained).
SOURCE = REPO / "tests" / "data" / "source" / "000_b1ecb7eaf6ba3726.txt"
# The source prints each note call as a bare digit after its word.
SOURCE_CALLS = re.compile(r"(?<=IAPT:)1(?= )|(?<=\(Rose, 2018\)\.)2(?= )|(?<=users\.)3(?= )|(?<=level)4(?= )")
TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "…": "..."})


def require(present: bool, what: str) -> None:
    """Skip a test whose tool is missing, on a developer's machine only: in CI, and under ``nox -s tests``
    (whose bootstrap installs every tool), a missing tool fails the test, so a green run has 0 skipped."""
    if present:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes") or os.environ.get("PUBLISH_TESTS_REQUIRE_TOOLS"):
        pytest.fail(f"{what} (the tests session's bootstrap, tools/bootstrap.sh, installs it)")
    pytest.skip(what)


@contextlib.contextmanager
def interruptible():
    """Processes started inside take Ctrl-C (SIGINT) as a terminal's foreground job does.

    A suite started in the background by a shell without job control (``cmd &``
    in a script) has SIGINT ignored, and every process it starts inherits that
    across exec: Python then installs no KeyboardInterrupt handler, and a test
    that sends a child SIGINT waits for it in vain. Set here, the handler is
    reset to the default in the child at exec.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def words(text: str) -> list[str]:
    """The words of *text*, typography folded (curly quotes, ellipsis, no-break spaces)."""
    return re.findall(r"[\w'&]+", text.translate(TYPOGRAPHY))


def source_text() -> tuple[str, list[str]]:
    """The source's running text (calls removed) and its four notes, in order."""
    raw = SOURCE.read_text(encoding="utf-8")
    body, _, notes = raw.partition("\n1. All quotes")
    notes = "1. All quotes" + notes
    note_texts = [re.sub(r"^\d+\. ", "", n.strip()) for n in re.split(r"\n\s*\n", notes) if n.strip()]
    return SOURCE_CALLS.sub("", body), note_texts



def in_thread(run) -> BaseException | None:
    """Run *run* with a deadline: a build or read that hangs fails the test instead of hanging it.

    Returns the exception *run* raised, or None.
    """
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            run()
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the build hung"
    return outcome[0]


def build_copy(tmp_path_factory, data: Path, name: str) -> tuple[Path, list[str], Path]:
    """The test manuscript *data* copied and built: the build folder, its log lines, the copy."""
    from publish.build import build

    manuscript = tmp_path_factory.mktemp(name) / "book"
    shutil.copytree(data, manuscript)
    out = manuscript.parent / "build"
    lines: list[str] = []
    build(manuscript, out, log=lines.append)
    return out, lines, manuscript

def make_manuscript(root: Path, chapters: dict[str, str], **meta: object) -> Path:
    """Write a manuscript folder: book.yaml (title, author, lang and *meta*) and chapters."""
    root.mkdir(parents=True, exist_ok=True)
    config = {"title": "A Test Book", "author": "A. N. Author", "lang": "en-GB", **meta}
    lines = [f"{key}: {value}" for key, value in config.items()]
    lines.append("chapters:")
    lines += [f"  - {name}" for name in chapters]
    (root / "book.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, text in chapters.items():
        (root / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def long_manuscript(root: Path, chapters: int = 3, paragraphs: int = 30) -> Path:
    """A longer book: a note in most paragraphs, some notes long, some of several paragraphs."""
    filler = ("The argument turns on what care becomes when it is counted, audited and sold; "
              "each clause here stands in for the kind of sentence a foreword carries. ")
    texts = {}
    for c in range(1, chapters + 1):
        parts = [f"# Chapter {c}: on the {['first', 'second', 'third', 'fourth', 'fifth'][(c - 1) % 5]} matter\n"]
        defs = []
        for p in range(1, paragraphs + 1):
            call = f"[^c{c}p{p}]" if p % 4 else ""
            parts.append(f"Paragraph {p} of chapter {c}. " + filler * (1 + p % 3) + f"It ends here.{call}\n")
            if call:
                size = 14 if p % 9 == 0 else 1
                gloss = "A gloss on the source and its reading. " * size
                body = f"Note to paragraph {p} of chapter {c}. {gloss}".rstrip()
                if p % 7 == 0:
                    body += "\n\n    A second paragraph of the same note, indented as pandoc wants it."
                defs.append(f"[^c{c}p{p}]: {body.rstrip()}\n")
        texts[f"{c:02d}-chapter.md"] = "\n".join(parts + defs)
    return make_manuscript(root, texts, subtitle="With many notes", slug="long-test-book")


@pytest.fixture(scope="session")
def build_book(tmp_path_factory):
    """``build_book(manuscript, formats)`` → output folder; each combination built once a session."""
    from publish.build import build

    cache: dict[tuple[str, tuple[str, ...]], Path] = {}

    def _build(manuscript: Path = MANUSCRIPT, formats: tuple[str, ...] = ("html",)) -> Path:
        key = (str(manuscript), tuple(formats))
        if key not in cache:
            out = tmp_path_factory.mktemp("build")
            build(manuscript, out, tuple(formats), log=lambda line: None)
            cache[key] = out
        return cache[key]

    return _build


@pytest.fixture(scope="session")
def long_book(tmp_path_factory) -> Path:
    return long_manuscript(tmp_path_factory.mktemp("long") / "manuscript")


@pytest.fixture
def manuscript_copy(tmp_path) -> Path:
    """A copy of the real manuscript that a test may break."""
    return Path(shutil.copytree(MANUSCRIPT, tmp_path / "manuscript"))


BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "li", "blockquote", "br", "header", "section",
              "aside", "article", "main", "dt", "dd", "td", "th")


def html_text(element) -> str:
    """Text of an lxml (X)HTML element with a line break after every block, so words never run together."""
    import copy

    element = copy.deepcopy(element)
    for block in element.iter():
        if isinstance(block.tag, str) and block.tag.rsplit("}", 1)[-1] in BLOCK_TAGS:
            block.tail = "\n" + (block.tail or "")
    return element.text_content() if hasattr(element, "text_content") else "".join(element.itertext())


# --- Browser tests (Playwright driving Debian's Chromium) -------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the whole session; the browser tests need it (see ``require``)."""
    require(CHROMIUM.exists(), f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def serve():
    """``serve(folder)`` → base URL of *folder* served over HTTP on 127.0.0.1 (one server per folder)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    servers: dict[Path, ThreadingHTTPServer] = {}

    def _serve(folder: Path) -> str:
        if folder not in servers:
            server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[folder] = server
        return f"http://127.0.0.1:{servers[folder].server_address[1]}/"

    yield _serve
    for server in servers.values():
        server.shutdown()
        server.server_close()


def contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of two CSS ``rgb(…)`` colours, as the browser computes them."""

    def luminance(rgb: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(colour), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def open_page(chromium):
    """``open_page(url, width=1280, scheme="light")`` → (page, requested URLs), fonts loaded; closed after the test."""
    contexts = []

    def _open(url: str, width: int = 1280, scheme: str = "light", height: int = 900):
        context = chromium.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        contexts.append(context)
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        return page, requests

    yield _open
    for context in contexts:
        context.close()
