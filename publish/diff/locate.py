"""Where each change in the words or notes is, page by page.

A changed paragraph may run over several pages while its change is on one:
the change is looked for on each page the paragraph (or note) is on, new
words on the new pages, deleted words on the old, and the pages it is found
on are the pages it is on. A change found on none of them (a whole new
paragraph, a word broken across lines) is on all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from publish.diff import marks


@dataclass
class Located:
    new: dict[int, list[str]] = field(default_factory=dict)  # new page → ids of the changes on it
    old: dict[int, list[str]] = field(default_factory=dict)  # old page → ids of the changes on it
    new_marks: dict[int, list] = field(default_factory=dict)  # new page → inserted words' boxes
    old_marks: dict[int, list] = field(default_factory=dict)  # old page → deleted words' boxes


def changes(both) -> Located:
    """Every change of *both* (pages._Both) placed on the new and old pages it is on."""
    found = Located()
    for change in [c for c in both.pairs + both.notes if c.kind is not None]:
        name = (change.new or change.old).id
        new_pages = both.new_of.get(change.new.id, []) if change.new is not None else []
        old_pages = both.old_of.get(change.old.id, []) if change.old is not None else []
        on_new = {p: marks.word_marks(both.new_doc[p], [change], old=False) for p in new_pages}
        on_old = {p: marks.word_marks(both.old_doc[p], [change], old=True) for p in old_pages}
        on_new, on_old = {p: m for p, m in on_new.items() if m}, {p: m for p, m in on_old.items() if m}
        if not on_new and not on_old:
            on_new, on_old = dict.fromkeys(new_pages, []), dict.fromkeys(old_pages, [])
        for page, boxes in on_new.items():
            found.new.setdefault(page, []).append(name)
            found.new_marks.setdefault(page, []).extend(boxes)
        for page, boxes in on_old.items():
            found.old.setdefault(page, []).append(name)
            found.old_marks.setdefault(page, []).extend(boxes)
    return found
