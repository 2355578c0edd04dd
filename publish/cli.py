"""The command line: ``publish init | build | preview | check | lint | diff | catalogue | pandoc``.

``main(argv)`` returns the exit code, so tests call it in process. Expected
failures (PublishError) print one line on stderr, never a traceback; Ctrl-C
says that earlier outputs are kept; a closed pipe (``| head``) ends quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from publish import __version__
from publish.errors import PublishError
from publish.plan import EDITIONS, NAMES

DESCRIPTION = """\
Make a book's editions from one Markdown manuscript: a digital PDF, a
print-ready PDF, an EPUB 3 and an HTML edition, all from one pandoc parse."""


def _path(text: str) -> Path:
    """A path argument; an empty one is an error, never the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path names no folder (write . for the current one)")
    return Path(text)


def _text(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty argument names nothing")
    return text


def _verbosity(parser: argparse.ArgumentParser, default: object) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", default=default, help="print only errors")
    group.add_argument("-v", "--verbose", action="store_true", default=default, help="also say what the build decided")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publish", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    _verbosity(parser, False)
    common = argparse.ArgumentParser(add_help=False)
    _verbosity(common, argparse.SUPPRESS)  # -q/-v after the command too, without undoing one given before it
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, **options) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], **options)

    init = add("init", help="start a new book", description="Write a new book that builds at once: "
                               "a commented book.yaml, two chapters with notes and an image.")
    init.add_argument("folder", nargs="?", type=_path, default=Path("manuscript"),
                      help="an empty or new folder (default: manuscript)")
    build = add("build", help="make the editions", description="Make the editions of a manuscript.")
    build.add_argument("manuscript", nargs="?", type=_path, default=Path("manuscript"),
                       help="manuscript folder holding book.yaml (default: manuscript)")
    build.add_argument("-o", "--out", type=_path, default=Path("build"), help="output folder (default: build)")
    build.add_argument("-f", "--formats", default=",".join(NAMES),
                       help="comma-separated: " + ", ".join(f"{name} ({edition.label})" for name, edition
                                                           in EDITIONS.items()) + " (default: all)")
    build.add_argument("--strict", action="store_true", help="fail on any layout warning")
    build.add_argument("--force", action="store_true", help="rebuild every edition, even those unchanged")
    build.add_argument("--overwrite", action="store_true",
                       help="write into a non-empty folder that holds no build (its files are kept)")
    _format_option(build)

    preview = add("preview", help="serve the HTML edition and the PDF, rebuilt on change",
                                  description="Serve the HTML edition and the digital PDF on 127.0.0.1, rebuilding "
                                  "them whenever a file of the manuscript changes; the page reloads itself.")
    preview.add_argument("manuscript", nargs="?", type=_path, default=Path("manuscript"),
                         help="manuscript folder holding book.yaml (default: manuscript)")
    preview.add_argument("-p", "--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any)")

    check = add("check", help="prove a finished build is fit to ship",
                                description="Validate a finished build folder: exit 0 only if every check passes.")
    check.add_argument("out", nargs="?", type=_path, default=Path("build"), help="build folder (default: build)")
    _format_option(check)
    check.add_argument("--json", dest="format", action="store_const", const="json", help="the same as --format json")
    check.add_argument("--manuscript", type=_path, default=None,
                       help="the manuscript the build was made from, to compare the editions and sources with "
                            "(without it, those checks are skipped: nothing outside the build folder is read)")

    lint = add("lint", help="copy-editor's checks on the manuscript",
                               description="Report what a copy-editor would mark in the manuscript.")
    lint.add_argument("manuscript", nargs="?", type=_path, default=Path("manuscript"))
    _format_option(lint)

    add("pandoc", help="run the pandoc that came with publish (arguments passed on)",
                        description="Run pandoc as installed by pypandoc-binary, e.g. with the publish filters.")
    diff = add("diff", help="proofreader's diff of two builds or revisions",
                               description="Compare two builds (folders) or two git revisions, page-aware.")
    diff.add_argument("old", type=_text, help="git revision, build folder or manuscript folder")
    diff.add_argument("new", type=_text, help="git revision, build folder or manuscript folder")
    diff.add_argument("-o", "--out", type=_path, default=Path("diff"), help="report folder (default: diff)")
    _format_option(diff)
    diff.add_argument("--fail-on", default="all",
                      help="comma-separated classes of change that make the exit code 1 (report.json's "
                           "'classes'), all or none (default: all: any difference)")
    _catalogue_parser(commands)
    return parser


def _catalogue_parser(commands) -> None:
    catalogue = commands.add_parser("catalogue", help="build every book of a shelf, as tasks on Dask",
                                    description="Build every book of a shelf into OUT/<slug>/ as publish build "
                                                "would, as Dask tasks: a local cluster, or --scheduler's.")
    catalogue.add_argument("shelf", type=Path, help="a folder of manuscript folders, or a catalogue.yaml")
    catalogue.add_argument("-o", "--out", type=Path, required=True, help="output folder: one sub-folder a book")
    catalogue.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler, e.g. tcp://HOST:8786 "
                           "(default: a local cluster, one worker process per core)")
    catalogue.add_argument("-f", "--formats", default=",".join(NAMES), help="as for publish build (default: all)")
    catalogue.add_argument("--strict", action="store_true", help="fail a book on any layout warning")
    catalogue.add_argument("--force", action="store_true", help="rebuild every edition, even those unchanged")
    catalogue.add_argument("--check", action="store_true", help="run publish check on each book built")


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
        code = _run(args)
        sys.stdout.flush()  # inside the try: a reader that went away (| head) is a BrokenPipeError here
        return code
    except PublishError as error:
        if getattr(args, "format", "text") == "json" and args.command == "build":
            print(json.dumps({"error": {"message": error.message, "file": str(error.path or ""),
                                        "line": error.line, "exit_code": error.exit_code}}))
        print(f"publish {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"\npublish {args.command}: interrupted; earlier outputs kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (| head): say nothing more, and let Python's exit flush into nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _say(line: str = "", **options) -> None:
    print(line, **options)


def _quiet(line: str = "", **options) -> None:
    if options.get("file") is sys.stderr:
        print(line, **options)


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
    from publish.progress import Progress, verbose

    verbose(args.verbose)
    if args.command == "build":
        from publish.build import build

        formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
        lines: list[str] = []
        log = lines.append if args.format == "json" else (lambda line: None) if args.quiet else _say
        with Progress(quiet=args.quiet or args.format == "json") as progress:
            paths = build(args.manuscript, args.out, formats, strict=args.strict, force=args.force,
                          overwrite=args.overwrite, log=log, progress=progress)
        if args.format == "json":
            print(json.dumps({"outputs": [str(path) for path in paths], "lines": lines}, indent=1))
        return 0
    if args.command == "catalogue":
        from publish import catalogue

        return catalogue.run(args.shelf, args.out, scheduler=args.scheduler, formats=_formats(args.formats),
                             strict=args.strict, force=args.force, check=args.check)
    if args.command == "preview":
        from publish.preview import preview

        return preview(args.manuscript, port=args.port, log=_say if not args.quiet else _quiet)
    if args.command == "check":
        from publish import check

        return check.run(args.out, as_json=args.format == "json", manuscript=args.manuscript)
    if args.command == "lint":
        from publish import lint

        return lint.run(args.manuscript, output_format=args.format)
    if args.command == "diff":
        from publish import diff

        return diff.run(args.old, args.new, out=args.out, fail_on=args.fail_on.split(","),
                        output_format=args.format)
    raise AssertionError(args.command)


def _formats(text: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in text.split(",") if f.strip())
