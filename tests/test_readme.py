"""The README's recipes work as written: the filter recipe runs in a shell and does what the README says."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, require

CHAPTER = 'She called it "the industrialisation of care"...[^care] – and meant it.\n\n[^care]: A note on care.\n'


def recipe(heading: str) -> str:
    """The first ``sh`` block under the README heading *heading*."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"## {heading}", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S)[1]


def test_the_filter_recipe_runs_as_written(tmp_path):
    bin_dir = Path(sys.executable).parent
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    for command in ("publish", "publish-filter-notes", "publish-filter-typography", "publish-filter-ids"):
        require(shutil.which(command, path=path) is not None,
                f"{command} is not installed as a console script (pip install ., as nox -s tests does)")
    (tmp_path / "chapter.md").write_text(CHAPTER, encoding="utf-8")
    env = {**os.environ, "PATH": path}
    env.pop("PYTHONPATH", None)  # the installed package, as a reader of the README has it
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", recipe("Using the filters in any pandoc workflow")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "chapter.html").read_text(encoding="utf-8")
    assert "“the industrialisation of care”…" in html, "typography: curly quotes and an ellipsis"
    assert "\u00a0–" in html, "typography: a spaced dash bound to the word before"
    assert "A note on care." in html
    call = re.search(r'<a\s+href="#([^"]+)"[^>]*>\s*(?:<sup>)?1', html)
    assert call and f'id="{call[1]}"' in html, "notes: call 1 links to its note"
