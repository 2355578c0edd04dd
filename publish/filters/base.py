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


def apply_in_one_walk(doc: pf.Doc, modules) -> pf.Doc:
    """Every filter of *modules* over *doc* in one walk: each element meets their actions in order.

    The same result as running each module's ``main(doc)`` one after another,
    at the cost of one walk of the tree instead of one per filter: the walk
    visits an element's children before the element, so a later filter sees
    each element as the earlier ones left it, and an element an action replaces
    is not offered to the filters after it (none of ours acts on what the ones
    before it make). A module's ``prepare`` runs before its walk; a module with
    a ``finalize`` ends a walk, so the filters after it see the whole tree as it
    left it (the title filter: its heading is the first block for the others).
    """
    group: list = []
    for module in modules:
        group.append(module)
        if getattr(module, "finalize", None) is not None:
            doc = _walk(doc, group)
            group = []
    return _walk(doc, group) if group else doc


def _walk(doc: pf.Doc, modules) -> pf.Doc:
    """The *modules*' prepares, one walk with their actions, then their finalizes, in order."""
    for module in modules:
        prepare = getattr(module, "prepare", None)
        if prepare is not None:
            prepare(doc)
    actions = [module.action for module in modules if getattr(module, "action", None) is not None]

    def action(elem: pf.Element, doc: pf.Doc):
        for each in actions:
            result = each(elem, doc)
            if result is not None:
                return result
        return None

    if actions:
        doc = doc.walk(action, doc=doc)
    for module in modules:
        finalize = getattr(module, "finalize", None)
        if finalize is not None:
            finalize(doc)
    return doc
