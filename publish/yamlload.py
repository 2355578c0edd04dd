"""YAML as a manuscript may write it: bounded, and every scalar kept as the author typed it.

PyYAML's safe loader has no limit on aliases (an anchor bomb expands to
billions of nodes when anything walks the result) nor on nesting (ten
thousand ``[`` overflow the composer's recursion). ``load`` refuses more than
``MAX_ALIASES`` aliases or ``MAX_DEPTH`` levels while composing, naming the
file and line, before any object is built. With ``TextLoader`` (book.yaml),
plain scalars other than null stay strings: ``lang: no`` is Norwegian, not
False; ``date: 2024-05-01`` and ``isbn: 9780000000002`` stay as written.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.events import AliasEvent, CollectionStartEvent

from publish.errors import ManuscriptError

MAX_ALIASES = 64
MAX_DEPTH = 32
KEPT = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")


class BoundedLoader(yaml.SafeLoader):
    """A SafeLoader that counts aliases and depth as it composes."""

    def __init__(self, stream):
        super().__init__(stream)
        self.aliases = 0
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise yaml.MarkedYAMLError(problem=f"more than {MAX_ALIASES} aliases (*name): an anchor bomb?",
                                           problem_mark=event.start_mark)
        if isinstance(event, CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(problem=f"nested more than {MAX_DEPTH} levels deep",
                                           problem_mark=event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            if isinstance(event, CollectionStartEvent):
                self.depth -= 1


class TextLoader(BoundedLoader):
    """The same bounds, and no bool, int, float or date: every plain scalar but null stays the text typed."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag in KEPT]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def load(text: str, path: Path, loader: type[BoundedLoader] = BoundedLoader):
    """The YAML document in *text* (from *path*); ManuscriptError naming path:line if it is not usable."""
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - BoundedLoader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        raise _error(error, path) from None
    except yaml.YAMLError as error:
        raise ManuscriptError(f"not valid YAML: {error}", path) from None


def compose(text: str, path: Path) -> yaml.Node | None:
    """The node tree of *text* (for line numbers), under the same bounds."""
    try:
        return yaml.compose(text, Loader=BoundedLoader)
    except yaml.MarkedYAMLError as error:
        raise _error(error, path) from None
    except yaml.YAMLError as error:
        raise ManuscriptError(f"not valid YAML: {error}", path) from None


def _error(error: yaml.MarkedYAMLError, path: Path) -> ManuscriptError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    return ManuscriptError(f"not valid YAML: {error.problem or error.context or error}", path, line)
