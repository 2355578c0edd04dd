"""Golden reports of ``publish lint`` for small manuscripts with many faults.

Each case is a folder under tests/data/lint/: ``in/`` (a manuscript) and
``golden/`` (the text and JSON reports). To regenerate after a deliberate
change, run ``PUBLISH_SAVE_GOLDEN=1 python3 -m pytest tests/test_lint_golden.py``
and review the ``git diff`` of the goldens like code.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from publish import lint
from publish.lint.rules import RULES

DATA = Path(__file__).parent / "data" / "lint"
SAVE = os.environ.get("PUBLISH_SAVE_GOLDEN") == "1"
CASES = sorted(case.name for case in DATA.iterdir() if (case / "in").is_dir())
SUFFIX = {"text": "txt", "json": "json"}


def _report(case: str, output_format: str, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.chdir(DATA)  # paths in the report read "multi/in/01-opening.md"
    code = lint.run(Path(case) / "in", output_format=output_format)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("output_format", ["text", "json"])
@pytest.mark.parametrize("case", CASES)
def test_report_matches_golden(case, output_format, monkeypatch, capsys):
    code, out = _report(case, output_format, monkeypatch, capsys)
    golden = DATA / case / "golden" / f"report.{SUFFIX[output_format]}"
    if SAVE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8"), f"regenerate with PUBLISH_SAVE_GOLDEN=1 and review: {golden}"
    assert code == 1


def test_multi_fault_manuscript_exercises_every_rule(monkeypatch, capsys):
    _, out = _report("multi", "text", monkeypatch, capsys)
    found = set(re.findall(r"^\S+:\d+:\d+: ([spnc]-\d{3}) ", out, re.M))
    assert found == set(RULES)


def test_every_line_is_file_line_column_code_message_hint(monkeypatch, capsys):
    _, out = _report("multi", "text", monkeypatch, capsys)
    *findings, summary = out.rstrip("\n").split("\n")
    for line in findings:
        match = re.fullmatch(r"multi/in/0[12]-\w+\.md:(\d+):(\d+): ([spnc]-\d{3}) (.+): \"(.+)\" \((.+)\)", line)
        assert match, line
        assert match[4] == RULES[match[3]].message and match[6] == RULES[match[3]].hint
    assert summary.startswith(f"{len(findings)} findings (")


def test_json_holds_what_the_text_report_says(monkeypatch, capsys):
    _, text = _report("accepted", "text", monkeypatch, capsys)
    _, raw = _report("accepted", "json", monkeypatch, capsys)
    data = json.loads(raw)
    places = [f"{f['file']}:{f['line']}:{f['column']}: {f['code']}" for f in data["findings"]]
    assert places == [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in text.splitlines()[: len(places)]]
    assert data["summary"]["findings"] == len(data["findings"])
    assert all(entry["reason"] for entry in data["ignored"])
    assert [entry["entry"] for entry in data["unused_ignores"]] == [3]
