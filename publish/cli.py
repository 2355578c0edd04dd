"""The command line: ``publish build | check | lint | diff``.

``main(argv)`` returns the exit code, so tests call it in process. Expected
failures (PublishError) print one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from publish import __version__
from publish.errors import PublishError

DESCRIPTION = """\
Make a book's editions from one Markdown manuscript: a digital PDF, a
print-ready PDF, an EPUB 3 and an HTML edition, all from one pandoc parse."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publish", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="make the editions", description="Make the editions of a manuscript.")
    build.add_argument("manuscript", nargs="?", type=Path, default=Path("manuscript"),
                       help="manuscript folder holding book.yaml (default: manuscript)")
    build.add_argument("-o", "--out", type=Path, default=Path("build"), help="output folder (default: build)")
    build.add_argument("-f", "--formats", default="pdf,print,epub,html",
                       help="comma-separated: pdf (digital), print (print-ready), epub, html (default: all)")
    build.add_argument("--strict", action="store_true", help="fail on any layout warning")
    build.add_argument("--force", action="store_true", help="rebuild every edition, even those unchanged")

    check = commands.add_parser("check", help="prove a finished build is fit to ship",
                                description="Validate a finished build folder: exit 0 only if every check passes.")
    check.add_argument("out", nargs="?", type=Path, default=Path("build"), help="build folder (default: build)")
    check.add_argument("--json", action="store_true", help="print the results as JSON")

    lint = commands.add_parser("lint", help="copy-editor's checks on the manuscript",
                               description="Report what a copy-editor would mark in the manuscript.")
    lint.add_argument("manuscript", nargs="?", type=Path, default=Path("manuscript"))
    lint.add_argument("--format", choices=("text", "json"), default="text")

    diff = commands.add_parser("diff", help="proofreader's diff of two builds or revisions",
                               description="Compare two builds (folders) or two git revisions, page-aware.")
    diff.add_argument("old", help="git revision or build folder")
    diff.add_argument("new", help="git revision or build folder")
    diff.add_argument("-o", "--out", type=Path, default=Path("diff"), help="report folder (default: diff)")
    diff.add_argument("--fail-on", default="all",
                      help="comma-separated classes of change that make the exit code 1 (see publish diff's "
                           "report.json 'classes'), all or none (default: all: any difference)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except PublishError as error:
        print(f"publish {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        from publish.build import build

        formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
        build(args.manuscript, args.out, formats, strict=args.strict, force=args.force)
        return 0
    if args.command == "check":
        from publish import check

        return check.run(args.out, as_json=args.json)
    if args.command == "lint":
        from publish import lint

        return lint.run(args.manuscript, output_format=args.format)
    if args.command == "diff":
        from publish import diff

        return diff.run(args.old, args.new, out=args.out, fail_on=args.fail_on.split(","))
    raise AssertionError(args.command)
