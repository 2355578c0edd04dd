"""``publish diff OLD NEW``: the proofreader's diff of two builds or two revisions.

Each side is resolved to a build folder (``sides``), read from its outputs
(``reading``), its blocks aligned and diffed word by word (``text``), its
notes diffed at their calls (``notes``), the pages of its print PDF classed
(``pages``), the EPUB and HTML editions compared section by section
(``editions``), and a report written (``report``, with a marked-up proof,
``markup``). Exit codes as GNU diff: 0 no differences in the ``--fail-on``
classes (by default every class: any difference is 1), 1 differences;
trouble is a PublishError, and the CLI exits with its own code (2 for a
plain one).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from publish.diff import notes, reading, report, sides, text
from publish.errors import PublishError

# What a change can be: in the words, in the print PDF's pages, in the EPUB's or the HTML edition's sections.
CLASSES = ("text", "typography", "notes", "reflow", "renumbered", "furniture", "shifted", "visual",
           "blank-added", "blank-removed", "epub", "html")


def run(old: str, new: str, out: Path, fail_on: list[str] = ("all",), output_format: str = "text") -> int:
    """Compare *old* with *new*, write ``out/report.html`` and ``out/report.json``; return the exit code.

    Prints the summary, or with ``output_format="json"`` what ``report.json`` holds.
    """
    fail = _fail_classes(fail_on)
    result = compare(old, new)
    json_path, _ = report.write(result, out)
    if output_format == "json":
        print(json_path.read_text(encoding="utf-8"), end="")
    else:
        print(report.summary(result))
    return 1 if result.classes() & fail else 0


def compare(old: str, new: str) -> report.Result:
    """The whole comparison of two sides (build folders, manuscript folders or git revisions)."""
    for side in (old, new):
        if not side.strip():
            raise PublishError("an empty argument names no build folder, manuscript or revision")
    epoch = sides.epoch_for()
    with tempfile.TemporaryDirectory(prefix="publish-diff-") as scratch:
        old_dir = sides.resolve(old, Path(scratch) / "old", epoch)
        new_dir = sides.resolve(new, Path(scratch) / "new", epoch)
        old_edition, new_edition = reading.read(old_dir), reading.read(new_dir)
        pairs = text.align(old_edition.blocks, new_edition.blocks)
        note_changes = notes.compare(old_edition.notes, new_edition.notes, pairs)
        page_classes = None
        if old_edition.pdf is not None and new_edition.pdf is not None:
            from publish.diff import pages

            page_classes = pages.compare(old_edition, new_edition, pairs, note_changes)
        from publish.diff import editions

        result = report.Result(old, new, old_edition, new_edition, pairs, note_changes, page_classes,
                               sides=(sides.describe(old, old_dir), sides.describe(new, new_dir)),
                               sections=editions.compare(old_dir, new_dir))
        if page_classes is not None:
            from publish import proof  # the marked-up proof is a PDF written from both sides, beside the diff

            result.proof = proof.proof(old_edition.pdf, new_edition.pdf, page_classes)
    return result


def _fail_classes(names: list[str]) -> set[str]:
    wanted = {name.strip().lower() for name in names if name.strip()}
    if "all" in wanted:
        return set(CLASSES)
    if "none" in wanted:
        return set()
    unknown = wanted - set(CLASSES)
    if unknown:
        raise PublishError(f"--fail-on: unknown class(es) {', '.join(sorted(unknown))}; "
                           f"choose from {', '.join(CLASSES)}, all or none")
    return wanted
