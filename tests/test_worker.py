"""The PDF edition's forked worker: errors come back as one line, a failed parse cancels it."""

from __future__ import annotations

import multiprocessing

import pytest

from publish.build import build
from publish.errors import NoteError, ToolError
from publish.worker import ChildError, Worker
from tests.conftest import make_manuscript


def test_worker_gets_ready_then_runs_its_job():
    worker = Worker(lambda: None, lambda payload: payload * 2)
    worker.send(21)
    assert worker.result() == 42


def test_a_publish_error_in_the_worker_keeps_its_line_and_exit_code():
    def job(_):
        raise ToolError("weasyprint cannot load Pango (apt-get install libpango-1.0-0)")

    worker = Worker(lambda: None, job)
    worker.send(None)
    with pytest.raises(ChildError) as caught:
        worker.result()
    assert caught.value.exit_code == ToolError.exit_code
    assert str(caught.value) == "weasyprint cannot load Pango (apt-get install libpango-1.0-0)"


def test_a_crash_in_the_worker_is_raised_in_the_parent():
    worker = Worker(lambda: None, lambda _: 1 / 0)
    worker.send(None)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        worker.result()


def test_cancel_leaves_no_process_behind():
    worker = Worker(lambda: None, lambda _: None)
    worker.cancel()
    assert not [p for p in multiprocessing.active_children() if p.is_alive()]


def test_a_bad_manuscript_cancels_the_pdf_worker(tmp_path):
    root = make_manuscript(tmp_path / "m", {"a.md": "A call[^x] with no note.\n"})
    with pytest.raises(NoteError, match="has no note"):
        build(root, tmp_path / "out", ("pdf", "print", "html"), log=lambda _: None)
    assert not [p for p in multiprocessing.active_children() if p.is_alive()]
    assert not (tmp_path / "out" / "a-test-book.pdf").exists()


@pytest.mark.slow
def test_an_error_in_the_pdf_edition_stops_the_build_with_one_line(tmp_path, monkeypatch):
    from publish.editions import pdf

    def failing(*args, **kwargs):
        raise ToolError("layout failed on purpose")

    monkeypatch.setattr(pdf, "write", failing)
    root = make_manuscript(tmp_path / "m", {"a.md": "Text.\n"})
    with pytest.raises(ChildError, match="layout failed on purpose") as caught:
        build(root, tmp_path / "out", ("pdf", "print", "epub", "html"), log=lambda _: None)
    assert caught.value.exit_code == ToolError.exit_code
