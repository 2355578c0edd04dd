"""A worker whose parent is killed mid-build ends, instead of waiting forever (and holding the build lock).

The parent here is a separate Python process that starts a worker, hands it
a job whose result is larger than a pipe holds, and dies without reading
it; likewise a PDF layout worker left waiting for its first folio. Each
worker's process must be gone within seconds: with its own copy of the
parent's pipe end it would block on the full pipe (or wait for a message)
for ever, and keep the output folder's lock it inherited.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

ORPHANED_WORKER = """
import os, time
from publish.worker import Worker
worker = Worker(lambda: None, lambda size: b"x" * size)
print(worker._process.pid, flush=True)
worker.send(8 * 2**20)  # a result far larger than a pipe holds
time.sleep(0.5)
os._exit(0)  # killed: the result is never read
"""

ORPHANED_LAYOUT = """
import os, time
from publish.editions import pdf_pool

def task(index, extra):
    yield ("laid", 3)  # then waits for its first folio, which never comes
    yield ("done", {}, 0.0, [])

pool = [pdf_pool._Forked(task)]
pool.append(pdf_pool._Forked(task, pool))
print(" ".join(str(worker.process.pid) for worker in pool), flush=True)
pool[0].submit(0, None)
pool[0].connection.recv()  # it is laid out, and waits
time.sleep(0.2)
os._exit(0)
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie has ended
    except FileNotFoundError:
        return True


@pytest.mark.parametrize("script", [ORPHANED_WORKER, ORPHANED_LAYOUT], ids=["worker", "layout-pool"])
def test_a_worker_whose_parent_is_killed_ends(script):
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO,
                         env=environment)
    pids = [int(pid) for pid in run.stdout.split()]
    assert pids, run.stderr
    try:
        deadline = time.monotonic() + 20
        while not all(map(_gone, pids)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(map(_gone, pids)), "a worker outlived its killed parent"
    finally:
        for pid in pids:  # only the processes this test started
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
