"""``publish catalogue`` on real Dask: a local cluster, and a scheduler with two workers started here.

A shelf of four books, one broken: three are built, byte for byte as
``publish build`` builds them, and the broken one fails alone with its one
line. A worker killed in the middle of a PDF layout loses nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publish import catalogue
from publish.build import build
from publish.catalogue_shelf import read_shelf
from publish.errors import PublishError
from tests.conftest import REPO, make_manuscript

DASK = Path(sys.executable).with_name("dask")
DATE = "1700000000"  # the client's SOURCE_DATE_EPOCH; the workers are started without one


def _shelf(root: Path, paragraphs: int = 2) -> Path:
    """Four books in sub-folders; ``broken`` calls a note it never defines."""
    for name in ("alpha", "beta", "gamma"):
        body = "\n\n".join(f"Paragraph {p} of the book {name}, on care and its counting.[^n{p}]"
                           for p in range(paragraphs))
        notes = "\n\n".join(f"[^n{p}]: Note {p} of {name}." for p in range(paragraphs))
        make_manuscript(root / name, {"one.md": f"# The {name} chapter\n\n{body}\n\n{notes}\n"},
                        title=f"The {name.title()} Book", slug=f"{name}-book")
    make_manuscript(root / "broken", {"one.md": "# Broken\n\nA call with no note.[^missing]\n"}, title="Broken")
    return root


def _files(folder: Path) -> dict[str, bytes]:
    """Every output of a build folder by relative path (the build's own dot-files aside)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def _report(out: Path) -> dict:
    report = json.loads((out / "catalogue.json").read_text(encoding="utf-8"))
    return {row["slug"]: row for row in report["books"]} | {"": report}


def test_local_cluster_builds_three_and_fails_the_broken_one_alone(tmp_path, capsys):
    shelf, out = _shelf(tmp_path / "shelf"), tmp_path / "out"
    assert catalogue.run(shelf, out, formats=("html", "epub"), workers=2) == 1
    rows = _report(out)
    assert rows[""]["built"] == 3 and rows[""]["failed"] == 1
    assert rows["broken"]["status"] == "failed"
    assert rows["broken"]["error"].startswith(f"{shelf / 'broken' / 'one.md'}:3: ")
    assert "[^missing]" in rows["broken"]["error"]
    for slug in ("alpha-book", "beta-book", "gamma-book"):
        assert rows[slug]["status"] == "built"
        assert {"html/index.html", f"{slug}.epub"} <= set(_files(out / slug))
    assert not (out / "broken").exists()
    printed = capsys.readouterr()
    assert f"broken{' ' * 6}FAILED     {rows['broken']['error']}" in printed.out
    assert "3 built, 0 unchanged, 1 failed" in printed.out
    assert "catalogue: 4/4 books done, 1 failed, 0 running" in printed.err
    assert "Traceback" not in printed.err + printed.out


def test_a_bad_catalogue_entry_fails_alone_with_its_line(tmp_path):
    shelf = _shelf(tmp_path / "shelf")
    listing = shelf / "catalogue.yaml"
    listing.write_text("books:\n  - alpha\n  - {path: beta}\n  - nowhere\n  - gamma\n  - alpha\n", encoding="utf-8")
    books = read_shelf(shelf)
    assert [b.error for b in books] == [
        None, f"{listing}:3: an entry must be a manuscript path",
        f"{listing}:4: no manuscript at nowhere (no book.yaml there)", None,
        f"{shelf / 'alpha'}: listed twice in the catalogue"]
    assert [b.slug for b in books if not b.error] == ["alpha-book", "gamma-book"]
    listing.write_text("books: [alpha\n", encoding="utf-8")
    with pytest.raises(PublishError, match=r"catalogue\.yaml:2: "):
        read_shelf(listing)


def test_a_shelf_that_is_not_there_is_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "publish", "catalogue", str(tmp_path / "none"), "-o",
                           str(tmp_path / "out")], capture_output=True, text=True, env=_env(), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"publish catalogue: {tmp_path / 'none'}: no such shelf "
                                                "(a folder of manuscripts, or a catalogue.yaml)"]


# --- A scheduler and two worker processes, started here on 127.0.0.1 ---------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return {**env, "PYTHONPATH": str(REPO), "DASK_DISTRIBUTED__WORKER__DAEMON": "False", **extra}


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """The address of a Dask scheduler with two one-thread worker processes (each under its nanny)."""
    where = tmp_path_factory.mktemp("dask")
    file = where / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": where, "env": _env()}
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(file)], **quiet)]
    deadline = time.monotonic() + 60
    while not file.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    processes += [subprocess.Popen([str(DASK), "worker", "--scheduler-file", str(file), "--nthreads", "1",
                                    "--no-dashboard", "--name", f"worker-{n}"], **quiet) for n in (1, 2)]
    from distributed import Client

    with Client(scheduler_file=str(file), timeout="60s") as client:
        client.wait_for_workers(2, timeout=60)
        yield client, client.scheduler.address
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _catalogue(shelf: Path, out: Path, address: str, *options: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "publish", "catalogue", str(shelf), "-o", str(out), "--scheduler", address,
               *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(SOURCE_DATE_EPOCH=DATE), cwd=shelf.parent)


def test_scheduler_outputs_are_publish_builds_byte_for_byte(scheduler, tmp_path, monkeypatch):
    _, address = scheduler
    shelf, out = _shelf(tmp_path / "shelf"), tmp_path / "out"
    run = _catalogue(shelf, out, address, "-f", "html,epub")
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 1, stderr
    assert "Traceback" not in stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DATE)
    for name in ("alpha", "beta", "gamma"):
        reference = tmp_path / "reference" / name
        build(shelf / name, reference, ("html", "epub"), log=lambda line: None)
        assert _files(out / f"{name}-book") == _files(reference), name
    assert json.loads((out / "alpha-book" / "manifest.json").read_text())["source_date_epoch"] == int(DATE)
    # Nothing changed: the second run rebuilds no book and rewrites no file.
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("*-book/**/*") if p.is_file()}
    run = _catalogue(shelf, out, address, "-f", "html,epub")
    stdout, stderr = run.communicate(timeout=300)
    rows = _report(out)
    assert [rows[s]["status"] for s in ("alpha-book", "beta-book", "gamma-book")] == ["unchanged"] * 3
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    # --force: every book built again, and published (the same bytes).
    before = {slug: _files(out / slug) for slug in ("alpha-book", "beta-book", "gamma-book")}
    run = _catalogue(shelf, out, address, "-f", "html,epub", "--force")
    run.communicate(timeout=300)
    rows = _report(out)
    assert [rows[s]["status"] for s in before] == ["built"] * 3
    assert all(not edition["reused"] for s in before for edition in rows[s]["editions"])
    assert {slug: _files(out / slug) for slug in before} == before
    assert {p: p.stat().st_mtime_ns for p in stamps} != stamps


def test_check_runs_publish_check_on_each_book(scheduler, tmp_path):
    _, address = scheduler
    shelf = _shelf(tmp_path / "shelf")
    (shelf / "catalogue.yaml").write_text("books: [alpha, broken]\n", encoding="utf-8")
    run = _catalogue(shelf, tmp_path / "out", address, "-f", "html,epub", "--check")
    stdout, stderr = run.communicate(timeout=300)
    rows = _report(tmp_path / "out")
    assert rows["alpha-book"]["check"]["status"] == "PASS", stdout
    assert rows["alpha-book"]["check"]["passed"] >= 5  # epubcheck, the Nu checker, links, notes, parity…
    assert rows["broken"]["check"] is None or rows["broken"]["check"]["status"] == "SKIP"
    assert stdout.splitlines()[1].endswith("PASS")


def test_a_worker_killed_mid_layout_loses_nothing(scheduler, tmp_path, monkeypatch):
    client, address = scheduler
    shelf, out = _shelf(tmp_path / "shelf", paragraphs=40), tmp_path / "out"
    run = _catalogue(shelf, out, address, "-f", "pdf,print,html")
    killed = _kill_a_worker_laying_out(client, run)
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 1, stderr
    assert "Traceback" not in stderr
    rows = _report(out)
    assert rows[""]["built"] == 3, stdout
    slug, pid = killed
    pdf = next(e for e in rows[slug]["editions"] if e["task"] == "pdf")
    assert not pdf["worker"].endswith(f":{pid}")  # the killed worker's task was run again, by another
    assert rows[slug]["pages"][f"{slug}.pdf"] > 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DATE)
    reference = tmp_path / "reference"
    build(Path(rows[slug]["manuscript"]), reference, ("pdf", "print", "html"), log=lambda line: None)
    assert _files(out / slug) == _files(reference)
    assert not list(out.glob(f".{slug}.*")) and not list((out / slug).glob(".staging-*"))


def _kill_a_worker_laying_out(client, run: subprocess.Popen) -> tuple[str, int]:
    """SIGKILL the worker process that is running a book's PDF task; return (the book's slug, its pid)."""
    def executing(dask_worker) -> tuple[int, list[str]]:
        return os.getpid(), [str(task.key) for task in dask_worker.state.executing]

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        for pid, keys in client.run(executing).values():
            pdf = [key for key in keys if key.startswith("pdf-")]
            if pdf:
                time.sleep(0.5)  # well into the layout
                os.kill(pid, signal.SIGKILL)
                return pdf[0].removeprefix("pdf-").rsplit("-", 1)[0], pid
        time.sleep(0.05)
    raise AssertionError("no PDF task was seen running")


def test_a_folder_that_is_not_a_build_is_never_swapped_away(tmp_path):
    """The tasks are plain functions: run here in process, the publish task refuses someone's folder at OUT/<slug>."""
    from publish import catalogue_tasks
    from publish.epoch import Epoch

    shelf, out = _shelf(tmp_path / "shelf"), tmp_path / "out"
    date = Epoch(int(DATE), "environment")
    scratch = out / catalogue_tasks.CACHE / "alpha-book" / "epub-html"
    built = catalogue_tasks.edition(str(shelf / "alpha"), str(scratch), ("html",), False, False, date)
    assert built.get("error") is None and built["written"] == ["html/index.html"]
    (out / "alpha-book").mkdir()
    (out / "alpha-book" / "letter.txt").write_text("Dear editor", encoding="utf-8")
    published = catalogue_tasks.publish(str(shelf / "alpha"), str(out), "alpha-book", ("html",), False, False, date,
                                        built)
    assert published["error"] == f"{out / 'alpha-book'}: is not a build folder (no manifest.json): move it away to " \
                                 "publish this book here"
    assert [p.name for p in (out / "alpha-book").iterdir()] == ["letter.txt"]
    assert not list(out.glob(".alpha-book.*"))


def test_a_book_already_built_by_publish_build_is_not_rebuilt(tmp_path):
    """No catalogue cache yet, but OUT/<slug> holds a current publish build: reused, and left as it is."""
    from publish import catalogue_tasks
    from publish.epoch import Epoch

    shelf, out = _shelf(tmp_path / "shelf"), tmp_path / "out"
    date = Epoch(int(DATE), "environment")
    build(shelf / "alpha", out / "alpha-book", ("html", "epub"), date=date, log=lambda line: None)
    stamps = {p: p.stat().st_mtime_ns for p in (out / "alpha-book").rglob("*") if p.is_file()}
    scratch = out / catalogue_tasks.CACHE / "alpha-book" / "epub-html"
    built = catalogue_tasks.edition(str(shelf / "alpha"), str(scratch), ("html", "epub"), False, False, date)
    assert built.get("error") is None and built["reused"]
    published = catalogue_tasks.publish(str(shelf / "alpha"), str(out), "alpha-book", ("html", "epub"), False, False,
                                        date, built)
    assert published["status"] == "unchanged"
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
