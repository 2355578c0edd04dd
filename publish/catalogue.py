"""``publish catalogue``: every book of a shelf built as tasks on Dask, on this machine or a cluster.

With no scheduler, a local Dask cluster of worker processes (one per core,
one thread each: WeasyPrint's layout is CPU-bound) is started for the run;
``--scheduler tcp://HOST:PORT`` submits to a running cluster instead, whose
workers have this project installed and read the shelf and write OUT at the
same paths as here.

Each book is its edition tasks (the PDFs, the EPUB, the HTML: independent,
so a cluster lays out several books' PDFs at once), then a task that
publishes ``OUT/<slug>/`` whole, exactly as ``publish build`` would have
written it, then (``--check``) a task that runs ``publish check`` on it. See
catalogue_tasks.py for what each task does and why a rerun is harmless.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from publish import catalogue_report, catalogue_tasks, epoch, styles
from publish.catalogue_shelf import Shelved, read_shelf
from publish.errors import PublishError
from publish.output import ensure_dir
from publish.plan import EDITIONS, NAMES, check_names

# A book's edition tasks, by the edition modules each builds. The PDFs (one layout, two files) are the long pole
# and a task of their own; the EPUB and HTML share one, so that a book is parsed twice, not three times.
TASKS = {"pdf": ("pdf",), "epub-html": ("epub", "html")}
PRIORITY = {"publish": 30, "pdf": 20, "epub-html": 10, "check": 0}


def run(shelf: Path, out: Path, *, scheduler: str | None = None, formats: tuple[str, ...] = NAMES,
        strict: bool = False, force: bool = False, check: bool = False, workers: int | None = None) -> int:
    """Build every book of *shelf* into ``out/<slug>/``; write the report; 0 if every book was built (and passed)."""
    groups = _groups(formats)
    epoch.resolve([])  # a SOURCE_DATE_EPOCH that is no date fails now, before any cluster starts
    books = read_shelf(Path(shelf))
    out = ensure_dir(Path(out).absolute())
    started = time.time()
    with _client(scheduler, workers) as (client, where):
        jobs = [_submit(client, book, out, formats, groups, strict, force, check) for book in books]
        progress = catalogue_report.Progress(len(books), sys.stderr)
        _follow(client, jobs, progress)
        progress.finish()
        rows = [_row(book, job) for book, job in zip(books, jobs, strict=True)]
    report = catalogue_report.write(out, Path(shelf), formats, where, rows, time.time() - started)
    print(catalogue_report.summary(report))
    return 1 if report["failed"] or report["check_failed"] else 0


def _groups(formats: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Edition task → the formats it makes, for *formats* (checked against the edition registry)."""
    if not formats:
        raise PublishError(f"no format given; choose from {', '.join(NAMES)}")
    check_names(formats)
    groups = {task: tuple(f for f in formats if EDITIONS[f].module in modules) for task, modules in TASKS.items()}
    return {task: fs for task, fs in groups.items() if fs}


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int | None) -> Iterator[tuple]:
    """A Dask client: of the cluster at *scheduler*, or of a local cluster sized to this machine."""
    import dask
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError, ValueError) as error:
            raise PublishError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with client:
            try:
                client.wait_for_workers(1, timeout=60)
            except TimeoutError:
                raise PublishError(f"the Dask scheduler at {scheduler} has no workers (start some with "
                                   "'dask worker', see the README)") from None
            yield client, f"the cluster at {scheduler}"
        return
    count = workers or len(os.sched_getaffinity(0))
    # Not daemonic: the PDF edition forks a process to write the print PDF from the same layout. Only this machine
    # reaches the scheduler, and its HTTP server takes a free port (8787 may be another cluster's).
    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=count, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client, f"a local cluster of {count} worker process{'es' if count > 1 else ''}"


def _submit(client, book: Shelved, out: Path, formats: tuple[str, ...], groups: dict[str, tuple[str, ...]],
            strict: bool, force: bool, check: bool) -> dict:
    """Submit a book's tasks: its editions, its publishing once they are built, its check once it is published."""
    if book.error:
        return {}
    tag = uuid.uuid4().hex[:8]
    # The book's date, resolved here as publish build here resolves it (SOURCE_DATE_EPOCH, else git), and passed on.
    date = epoch.resolve([book.manuscript, styles.default().root])
    manuscript = str(book.manuscript)
    editions = {task: client.submit(catalogue_tasks.edition, manuscript,
                                    str(out / catalogue_tasks.CACHE / book.slug / task), fs, strict, force, date,
                                    key=f"{task}-{book.slug}-{tag}", priority=PRIORITY[task], pure=False)
                for task, fs in groups.items()}
    job = dict(editions)
    job["publish"] = client.submit(catalogue_tasks.publish, manuscript, str(out), book.slug, formats, strict, force,
                                   date, *editions.values(), key=f"publish-{book.slug}-{tag}",
                                   priority=PRIORITY["publish"], pure=False)
    if check:
        job["check"] = client.submit(catalogue_tasks.check, str(out / book.slug), job["publish"], manuscript,
                                     key=f"check-{book.slug}-{tag}", priority=PRIORITY["check"], pure=False)
    return job


def _follow(client, jobs: list[dict], progress: catalogue_report.Progress) -> None:
    """Wait for every book's last task, keeping the progress line: books done, failed, running."""
    from distributed import wait

    last = {(job.get("check") or job["publish"]).key: index for index, job in enumerate(jobs) if job}
    for job in jobs:
        if not job:
            progress.done(failed=True)  # it did not load: failed before any task
    pending = {job.get("check") or job["publish"] for job in jobs if job}
    while pending:
        try:
            finished, pending = wait(pending, timeout=1, return_when="FIRST_COMPLETED")
        except TimeoutError:
            finished = ()
        for future in finished:
            progress.done(failed=_row_failed(jobs[last[future.key]]))
        progress.running(_running(client, jobs, pending))


def _running(client, jobs: list[dict], pending: set) -> int:
    """How many books have a task being processed by a worker now."""
    try:
        processing = {key for keys in client.processing().values() for key in keys}
    except (OSError, TimeoutError):
        return 0
    open_books = [job for job in jobs if job and (job.get("check") or job["publish"]) in pending]
    return sum(any(future.key in processing for future in job.values()) for job in open_books)


def _result(future) -> dict:
    """A task's dict, or its failure as one line (a worker that died too often, a lost scheduler)."""
    if future.status == "finished":
        return future.result()
    try:
        error = future.exception(timeout=5)
    except Exception as failure:  # noqa: BLE001 - whatever Dask raises, the book fails with one line
        error = failure
    text = " ".join(str(error).split()) or "no detail"
    return {"error": f"{future.key}: the task failed on the cluster: {type(error).__name__}: {text}"}


def _row_failed(job: dict) -> bool:
    published = _result(job["publish"])
    return bool(published.get("error")) or ("check" in job and _result(job["check"]).get("status") == "FAIL")


def _row(book: Shelved, job: dict) -> dict:
    """What the report says of one book."""
    row = {"slug": book.slug, "manuscript": str(book.manuscript)}
    if book.error:
        return {**row, "status": "failed", "error": book.error, "editions": [], "files": [], "pages": {},
                "warnings": [], "seconds": 0.0, "check": None}
    editions = {task: _result(job[task]) for task in TASKS if task in job}
    published = _result(job["publish"])
    failed = [r["error"] for r in (*editions.values(), published) if r.get("error")]
    every = [*editions.values(), published]
    return {**row, "status": "failed" if failed else published["status"], "error": failed[0] if failed else None,
            "editions": [{"task": task, **{k: v for k, v in r.items() if k not in ("written", "scratch")}}
                         for task, r in editions.items()],
            "files": published.get("files", []), "pages": published.get("pages", {}),
            "warnings": [w for r in every for w in r.get("warnings", [])],
            "seconds": round(sum(r.get("seconds", 0.0) for r in every), 3),
            "check": _result(job["check"]) if "check" in job else None}
