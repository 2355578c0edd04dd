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
from publish.plan import EDITIONS, NAMES

DESCRIPTION = """\
Make a book's editions from one Markdown manuscript: a digital PDF, a
print-ready PDF, an EPUB 3 and an HTML edition, all from one pandoc parse."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publish", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="start a new book", description="Write a new book that builds at once: "
                               "a commented book.yaml, two chapters with notes and an image.")
    init.add_argument("folder", nargs="?", type=Path, default=Path("manuscript"),
                      help="an empty or new folder (default: manuscript)")
    build = commands.add_parser("build", help="make the editions", description="Make the editions of a manuscript.")
    build.add_argument("manuscript", nargs="?", type=Path, default=Path("manuscript"),
                       help="manuscript folder holding book.yaml (default: manuscript)")
    build.add_argument("-o", "--out", type=Path, default=Path("build"), help="output folder (default: build)")
    build.add_argument("-f", "--formats", default=",".join(NAMES),
                       help="comma-separated: " + ", ".join(f"{name} ({edition.label})" for name, edition
                                                           in EDITIONS.items()) + " (default: all)")
    build.add_argument("--strict", action="store_true", help="fail on any layout warning")
    build.add_argument("--force", action="store_true", help="rebuild every edition, even those unchanged")

    preview = commands.add_parser("preview", help="serve the HTML edition and the PDF, rebuilt on change",
                                  description="Serve the HTML edition and the digital PDF on 127.0.0.1, rebuilding "
                                  "them whenever a file of the manuscript changes; the page reloads itself.")
    preview.add_argument("manuscript", nargs="?", type=Path, default=Path("manuscript"),
                         help="manuscript folder holding book.yaml (default: manuscript)")
    preview.add_argument("-p", "--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any)")

    check = commands.add_parser("check", help="prove a finished build is fit to ship",
                                description="Validate a finished build folder: exit 0 only if every check passes.")
    check.add_argument("out", nargs="?", type=Path, default=Path("build"), help="build folder (default: build)")
    _format_option(check)
    check.add_argument("--json", dest="format", action="store_const", const="json", help="the same as --format json")

    lint = commands.add_parser("lint", help="copy-editor's checks on the manuscript",
                               description="Report what a copy-editor would mark in the manuscript.")
    lint.add_argument("manuscript", nargs="?", type=Path, default=Path("manuscript"))
    _format_option(lint)

    commands.add_parser("pandoc", help="run the pandoc that came with publish (arguments passed on)",
                        description="Run pandoc as installed by pypandoc-binary, e.g. with the publish filters.")
    diff = commands.add_parser("diff", help="proofreader's diff of two builds or revisions",
                               description="Compare two builds (folders) or two git revisions, page-aware.")
    diff.add_argument("old", help="git revision or build folder")
    diff.add_argument("new", help="git revision or build folder")
    diff.add_argument("-o", "--out", type=Path, default=Path("diff"), help="report folder (default: diff)")
    diff.add_argument("--fail-on", default="text,notes",
                      help="comma-separated classes of change that make the exit code 1: text, typography, notes, "
                           "reflow, shifted, visual, all or none (default: text,notes)")
    return parser


def _format_option(command: argparse.ArgumentParser) -> None:
    """Machine output: one flag, the same in every command that prints a report."""
    command.add_argument("--format", choices=("text", "json"), default="text",
                         help="print the report as text (default) or as JSON")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["pandoc"]:  # every argument after it is pandoc's, options included
        return _pandoc(argv[1:])
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except PublishError as error:
        print(f"publish {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def _pandoc(args: list[str]) -> int:
    from publish import pandoc

    try:
        return pandoc.passthrough(args)
    except PublishError as error:
        print(f"publish pandoc: {error}", file=sys.stderr)
        return error.exit_code


def _run(args: argparse.Namespace) -> int:
    if args.command == "init":
        from publish.init import scaffold

        scaffold(args.folder)
        print(f"a new book in {args.folder}: build it with 'publish build {args.folder}'")
        return 0
    if args.command == "build":
        from publish.build import build

        formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
        build(args.manuscript, args.out, formats, strict=args.strict, force=args.force)
        return 0
    if args.command == "preview":
        from publish.preview import preview

        return preview(args.manuscript, port=args.port)
    if args.command == "check":
        from publish import check

        return check.run(args.out, as_json=args.format == "json")
    if args.command == "lint":
        from publish import lint

        return lint.run(args.manuscript, output_format=args.format)
    if args.command == "diff":
        from publish import diff

        return diff.run(args.old, args.new, out=args.out, fail_on=args.fail_on.split(","))
    raise AssertionError(args.command)
