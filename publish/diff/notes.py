"""Notes diffed in place at their calls.

A note is the same note when its call sits in the same (paired) block between
the same words; its number may differ (renumbering alone is no change). A
note whose call is elsewhere but whose text is found is reported as moved;
a changed note text is a change; a typography-only change is its own class.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from publish.diff.reading import NoteText
from publish.diff.text import PAIR_RATIO, Pair, Token, classify, similarity, word_diff


@dataclass
class NoteChange:
    old: NoteText | None
    new: NoteText | None
    status: str = "same"  # same | changed | moved | added | removed
    kind: str | None = None  # notes | typography; None when nothing changed
    segments: list[tuple[str, list[Token]]] = field(default_factory=list)

    @property
    def renumbered(self) -> bool:
        return bool(self.old and self.new and self.old.number != self.new.number)


def compare(old: list[NoteText], new: list[NoteText], pairs: list[Pair]) -> list[NoteChange]:
    """Every note of both builds, paired by its call first, then by its text."""
    block_map = {p.old.id: p.new.id for p in pairs if p.old is not None and p.new is not None}
    matched: dict[int, tuple[NoteText, bool]] = {}  # index in new → (old note, call moved)
    rest = list(old)
    for rule, moved in ((_same_call(block_map), False), (_same_text, True), (_similar_text, True)):
        unmatched = []
        for note in rest:
            k = next((k for k, cand in enumerate(new) if k not in matched and rule(note, cand)), None)
            if k is None:
                unmatched.append(note)
            else:
                matched[k] = (note, moved)
        rest = unmatched
    changes = [_change(matched[k][0], note, matched[k][1]) if k in matched else
               NoteChange(None, note, "added", "notes", [("+", note.tokens)]) for k, note in enumerate(new)]
    changes += [NoteChange(note, None, "removed", "notes", [("-", note.tokens)]) for note in rest]
    return changes


def _same_call(block_map: dict[str, str]):
    def rule(old: NoteText, new: NoteText) -> bool:
        same_block = bool(old.block) and block_map.get(old.block) == new.block
        return same_block and (old.before == new.before or old.after == new.after)
    return rule


def _same_text(old: NoteText, new: NoteText) -> bool:
    return classify(old.tokens, new.tokens) in (None, "typography")


def _similar_text(old: NoteText, new: NoteText) -> bool:
    return similarity(old.tokens, new.tokens) >= PAIR_RATIO


def _change(old: NoteText, new: NoteText, moved: bool) -> NoteChange:
    kind = classify(old.tokens, new.tokens)
    segments = word_diff(old.tokens, new.tokens) if kind else [("=", new.tokens)]
    if moved:
        return NoteChange(old, new, "moved", "notes", segments)
    if kind is None:
        return NoteChange(old, new)
    return NoteChange(old, new, "changed", "typography" if kind == "typography" else "notes", segments)
