"""``publish preview [MANUSCRIPT]``: the HTML edition and the digital PDF on 127.0.0.1, rebuilt on change.

The editions are built into a temporary folder outside the manuscript and
served from it. ``watchfiles`` watches the manuscript folder; each change
rebuilds (only what changed: the build cache does that) and bumps a version
number. Every HTML page served gets a small script that long-polls that
number and reloads the page when it moves, so the author sees the new text
without touching the browser. A build that fails keeps the last good editions
on screen and shows the one-line error above them. Nothing is added to the
built files themselves: the script is inserted as a page is served.
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from publish.errors import PublishError

FORMATS = ("pdf", "html")
RELOAD_PATH = "/__publish__/reload.js"
WAIT_PATH = "/__publish__/wait"
# Long-poll the build's version; reload when it changes; show a failed build's error.
RELOAD_JS = """\
(function () {
  let seen = null;
  function show(error) {
    let bar = document.getElementById("publish-preview-error");
    if (!error) { if (bar) bar.remove(); return; }
    if (!bar) {
      bar = document.createElement("pre");
      bar.id = "publish-preview-error";
      bar.style.cssText = "position:fixed;top:0;left:0;right:0;margin:0;padding:.5em 1em;z-index:99;" +
        "background:#7a1010;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap";
      document.body.prepend(bar);
    }
    bar.textContent = error;
  }
  async function poll() {
    try {
      const reply = await fetch("WAIT_PATH?since=" + (seen === null ? -1 : seen), {cache: "no-store"});
      const state = await reply.json();
      if (seen !== null && state.version !== seen && !state.error) { location.reload(); return; }
      seen = state.version;
      show(state.error);
    } catch (error) {
      await new Promise((done) => setTimeout(done, 1000));  // the preview is restarting: try again
    }
    poll();
  }
  poll();
})();
""".replace("WAIT_PATH", WAIT_PATH)


class State:
    """The version of the build on show (bumped by each rebuild) and its error, if it failed."""

    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        self.changed = threading.Condition()

    def finished(self, error: str = "") -> None:
        with self.changed:
            self.version += 1
            self.error = error
            self.changed.notify_all()

    def wait(self, since: int, timeout: float = 20.0) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: self.version != since, timeout=timeout)
            return {"version": self.version, "error": self.error}


def preview(manuscript: Path, port: int = 8000, log=print) -> int:
    """Build, serve on 127.0.0.1:*port* (0: any free port) and rebuild on change, until Ctrl-C."""
    import watchfiles

    manuscript = Path(manuscript)
    out = Path(tempfile.mkdtemp(prefix="publish-preview-"))
    state = State()
    try:
        _rebuild(manuscript, out, state, log)
        server = _server(out, state, port)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        # Said even under -q: without it the preview cannot be found.
        print(f"preview: {base}html/index.html (the PDF: {base}pdf); rebuilt on every change; Ctrl-C to stop",
              flush=True)
        try:
            for _changes in watchfiles.watch(manuscript, debounce=300, raise_interrupt=False):
                _rebuild(manuscript, out, state, log)
        finally:
            server.shutdown()
            server.server_close()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return 0


def _rebuild(manuscript: Path, out: Path, state: State, log) -> None:
    from publish.build import build

    try:
        build(manuscript, out, FORMATS, log=lambda line: log(line, flush=True))
    except PublishError as error:
        log(f"publish preview: {error}", file=sys.stderr, flush=True)
        state.finished(str(error))
    else:
        state.finished()


def _server(out: Path, state: State, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Handler, state, directory=str(out)))
    server.daemon_threads = True
    return server


class _Handler(SimpleHTTPRequestHandler):
    """The build folder, with the reload script in every HTML page and two routes of its own."""

    def __init__(self, state: State, *args, **kwargs) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, *args) -> None:
        pass  # one line per request would drown the build's own lines

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == WAIT_PATH:
            since = parse_qs(url.query).get("since", ["-1"])[0]
            body = json.dumps(self.state.wait(int(since) if since.lstrip("-").isdigit() else -1)).encode()
            return self._send(body, "application/json")
        if url.path == RELOAD_PATH:
            return self._send(RELOAD_JS.encode(), "text/javascript; charset=utf-8")
        if url.path in ("/", "/pdf"):
            return self._redirect("/html/index.html" if url.path == "/" else self._pdf())
        if url.path.endswith((".html", "/")):
            path = Path(self.translate_path(url.path))
            path = path / "index.html" if path.is_dir() else path
            if path.is_file():
                html = path.read_text(encoding="utf-8")
                script = f'<script src="{RELOAD_PATH}"></script>'
                html = html.replace("</body>", f"{script}</body>", 1) if "</body>" in html else html + script
                return self._send(html.encode("utf-8"), "text/html; charset=utf-8")
        return super().do_GET()

    def _pdf(self) -> str:
        found = sorted(p.name for p in Path(self.directory).glob("*.pdf"))
        return f"/{found[0]}" if found else "/html/index.html"

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
