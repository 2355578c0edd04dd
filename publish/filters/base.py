"""What every filter module shares: its chapter id and its standalone entry point."""

from __future__ import annotations

import sys
from collections.abc import Callable

import panflute as pf

from publish.errors import PublishError


def standalone(main: Callable[[], object], name: str) -> None:
    """Entry point body for ``pandoc --filter``: one clear line on stderr on bad input."""
    try:
        main()
    except PublishError as error:
        print(f"{name} filter: {error}", file=sys.stderr)
        raise SystemExit(error.exit_code) from None


def ancestors(elem: pf.Element):
    """The elements that hold *elem*, nearest first."""
    node = elem.parent
    while node is not None:
        yield node
        node = node.parent


def chapter_id_of(doc: pf.Doc) -> str:
    """The chapter id the build set, else the first heading's id, else 'ch'."""
    value = doc.get_metadata("chapter-id", default=None)
    if value:
        return str(value)
    for block in doc.content:
        if isinstance(block, pf.Header) and block.identifier:
            return block.identifier
    return "ch"
