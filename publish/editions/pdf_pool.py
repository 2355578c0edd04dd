"""The book's parts laid out on every core, each in a forked worker, and numbered in book order.

A part's pages do not depend on where it starts, so every part is laid out
at once; each then waits for its first folio, which is known as soon as
every part before it has been counted, and is written. A worker keeps its
part's layout between the two steps (WeasyPrint's boxes cannot cross
processes; PDF bytes can), so the two messages go to the same worker.
Parts are handed out in book order, and a part waits only for parts handed
out before it: no two workers can wait on each other. With one worker the
same steps run in this process, in the same order, to the same bytes.
A part may also be handed out only to be counted (the front matter, whose
contents page needs every other part's folio): its worker is free at once.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import re
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait

from publish import plan as plans
from publish.errors import PublishError
from publish.worker import ChildError

LOGGER = logging.getLogger("publish.editions.pdf")
Task = Callable[[int, object], Iterator]  # (index, what the parent adds) → part_task generator


# An image without alternative text is decorative: the build said so at its file and line (and set alt=""),
# and pdf_artifacts makes it an artifact, as PDF/UA wants; WeasyPrint's own complaint about it is not news.
DECORATIVE = re.compile(r'^Image ".*" has no required alt description$')


def captured_warnings() -> contextlib.AbstractContextManager[list[str]]:
    """Collect the warnings WeasyPrint (and the PDF edition) log while the block runs."""
    return plans.collected([logging.getLogger("weasyprint"), LOGGER], logging.WARNING, DECORATIVE)


def machine_workers() -> int:
    """How many processes this machine gives the build (its CPU affinity, else its count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Inline:
    """The worker protocol run in this process: the part is laid out when handed over."""

    def __init__(self, task: Task):
        self.task, self.inbox = task, deque()

    def submit(self, index: int, extra: object) -> None:
        self.index = index
        with captured_warnings() as self.found:
            self.steps = self.task(index, extra)
            kind, pages = next(self.steps)
        self.inbox.append((kind, index, (pages, self.found) if kind == "counted" else pages))

    def number(self, first: int) -> None:
        with captured_warnings() as found:
            _, pdfs, seconds, foreign = self.steps.send(first)
        self.inbox.append(("done", self.index, (pdfs, seconds, self.found + found, foreign)))

    def close(self, kill: bool = False) -> None:
        pass


class _Forked:
    """A forked process running part tasks one at a time, talking over a pipe."""

    def __init__(self, task: Task, siblings: list[_Forked] = ()):
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        parents = [self.connection, *(sibling.connection for sibling in siblings)]
        self.process = context.Process(target=self._serve, args=(child, task, parents))
        self.process.start()
        child.close()

    @staticmethod
    def _serve(connection, task: Task, parents: list) -> None:
        # The parent's ends of this worker's pipe and of the workers forked before it: with a
        # copy of them here, a parent killed mid-build would leave this process waiting forever.
        for end in parents:
            end.close()
        with contextlib.suppress(EOFError, BrokenPipeError):  # the parent is gone: nothing to do
            _Forked._serve_parts(connection, task)

    @staticmethod
    def _serve_parts(connection, task: Task) -> None:
        while (handed := connection.recv()) is not None:
            index, extra = handed
            try:
                with captured_warnings() as found:
                    steps = task(index, extra)
                    kind, pages = next(steps)
                    if kind == "counted":
                        connection.send(("counted", index, (pages, found)))
                        continue
                    connection.send(("laid", index, pages))
                    _, pdfs, seconds, foreign = steps.send(connection.recv())
                connection.send(("done", index, (pdfs, seconds, found, foreign)))
            except (EOFError, BrokenPipeError):
                raise  # the parent is gone
            except PublishError as error:
                try:  # the error itself, so that the caller sees its class
                    connection.send(("error", index, error))
                except (TypeError, ValueError, AttributeError, pickle.PicklingError):
                    connection.send(("error", index, ChildError(str(error), error.exit_code)))
            except BaseException as error:  # noqa: BLE001 - carried to the parent, which raises it
                connection.send(("crash", index, f"{type(error).__name__}: {error}"))

    def submit(self, index: int, extra: object) -> None:
        self.connection.send((index, extra))

    def number(self, first: int) -> None:
        self.connection.send(first)

    def close(self, kill: bool = False) -> None:
        with contextlib.suppress(OSError):
            self.connection.send(None)
        if kill:
            self.process.kill()
        self.process.join()
        self.connection.close()


def run(task: Task, next_part: Callable[[], tuple[int, object] | None], first_folio: Callable[[int], int | None],
        workers: int, on_laid: Callable[[int, int], None], on_done: Callable[[int, tuple], None],
        on_counted: Callable[[int, int, list[str]], None]) -> None:
    """Lay out and write parts with *workers* processes until *next_part()* has none to give.

    *next_part()* names the next part to lay out, in book order, and what to
    hand its task with it (None: none can be named yet); *first_folio(index)*
    is a part's first folio once the parts before it are counted (``on_laid``
    counts them), else None. A part handed out only to be counted is given
    to ``on_counted`` (with its warnings), and its worker is free again.
    """
    pool = [_Inline(task)] if workers <= 1 else []
    while len(pool) < workers:
        pool.append(_Forked(task, pool))
    idle, waiting, busy = list(pool), {}, {}
    try:
        while True:
            while idle and (handed := next_part()) is not None:
                busy[handed[0]] = worker = idle.pop(0)
                worker.submit(*handed)
            if not busy:
                break
            for kind, index, value in _messages(pool):
                worker = busy[index]
                if kind == "laid":
                    on_laid(index, value)
                    waiting[index] = worker
                elif kind == "counted":
                    idle.append(busy.pop(index))
                    on_counted(index, *value)
                elif kind == "done":
                    del busy[index]
                    idle.append(worker)
                    on_done(index, value)
                elif kind == "error":
                    raise value
                else:
                    raise RuntimeError(value)
            for index in sorted(waiting):
                first = first_folio(index)
                if first is not None:
                    waiting.pop(index).number(first)
    except BaseException:
        for worker in pool:
            worker.close(kill=True)
        raise
    for worker in pool:
        worker.close()


def _messages(pool) -> list[tuple]:
    inline = [message for worker in pool if isinstance(worker, _Inline) for message in worker.inbox]
    if inline:
        for worker in pool:
            worker.inbox.clear()
        return inline
    messages = []
    for connection in wait([worker.connection for worker in pool]):
        try:
            messages.append(connection.recv())
        except EOFError:
            raise RuntimeError("a PDF layout worker died") from None
    return messages
