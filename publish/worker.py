"""A forked worker: started early to get ready, handed its data later, its result carried back.

The PDF edition runs in one. Importing WeasyPrint costs most of a second, so
the worker is forked before the book is parsed and imports it while the
parent runs pandoc; the rendered chapters are sent over a pipe when ready,
and the layout then runs beside the EPUB and HTML on the other core.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
from collections.abc import Callable
from typing import Any

from publish.errors import PublishError


class ChildError(PublishError):
    """A PublishError raised in the worker, carried over as its one line and exit code."""

    def __init__(self, line: str, exit_code: int):
        super().__init__(line)
        self.exit_code = exit_code


class Worker:
    """``Worker(prepare, job)``: the child runs ``prepare()`` at once, then ``job(payload)`` on ``send``.

    With *on_progress*, what the child logs to *progress_logger* while it works
    is carried to the parent and handed to ``on_progress`` as ``result()`` waits.
    """

    def __init__(self, prepare: Callable[[], None], job: Callable[[Any], Any],
                 on_progress: Callable[[str], None] | None = None, progress_logger: str = "publish.progress"):
        self._on_progress, self._progress_logger = on_progress, progress_logger
        context = multiprocessing.get_context("fork")
        self._payload_in, self._payload_out = context.Pipe(duplex=False)
        self._result_in, self._result_out = context.Pipe(duplex=False)
        # not a daemon: a worker may fork workers of its own (the PDF variants)
        self._process = context.Process(target=self._child, args=(prepare, job))
        self._process.start()
        self._payload_in.close()
        self._result_out.close()

    def _child(self, prepare: Callable[[], None], job: Callable[[Any], Any]) -> None:
        # The parent's ends: with a copy of the result pipe's read end here, a parent killed
        # mid-build would leave this process blocked on a full pipe forever (holding the
        # build lock it inherited); without it, the send fails and the process ends.
        self._payload_out.close()
        self._result_in.close()
        if self._on_progress is not None:
            logging.getLogger(self._progress_logger).addHandler(_Forward(self._result_out))
        from publish.output import device_errors

        try:
            with device_errors():  # a full disk in the worker is the same one line as in the parent
                prepare()
                payload = self._payload_in.recv()
                self._result_out.send(("ok", job(payload)))
        except (EOFError, BrokenPipeError):
            return  # the parent cancelled, or is gone: nothing to do, no one to tell
        except PublishError as error:
            self._tell(("error", (str(error), error.exit_code)))
        except BaseException as error:  # noqa: BLE001 - carried to the parent, which raises it
            self._tell(("crash", f"{type(error).__name__}: {error}"))

    def _tell(self, message: tuple) -> None:
        with contextlib.suppress(OSError):  # the parent is gone
            self._result_out.send(message)

    def send(self, payload: Any) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):  # a dead child: result() says how
            self._payload_out.send(payload)
        self._payload_out.close()

    def result(self) -> Any:
        try:
            status, value = self._result_in.recv()
            while status == "progress":
                self._on_progress(value)
                status, value = self._result_in.recv()
        except EOFError:
            status, value = "crash", f"the worker process died (exit code {self._process.exitcode})"
        self._process.join()
        if status == "ok":
            return value
        if status == "error":
            raise ChildError(*value)
        raise RuntimeError(value)

    def cancel(self, kill: bool = False) -> None:
        """Stop the worker: without a job (the build failed before its data was ready), or at once."""
        self._payload_out.close()
        if kill:
            self._process.kill()
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


class _Forward(logging.Handler):
    """In the child: each record logged becomes a ("progress", message) on the result pipe."""

    def __init__(self, connection):
        super().__init__(level=logging.INFO)
        self.connection = connection

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(OSError):
            self.connection.send(("progress", record.getMessage()))
