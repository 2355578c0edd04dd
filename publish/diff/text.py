"""Block and word diff: align the blocks of two builds by id, pair rewritten ones, diff words.

A block is a list of tokens: a word with the space after it, its inline style
(italic, small caps…) and, for a note call, the id of its note. A call token
compares equal to any other call, so renumbering notes changes no block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, NamedTuple

from lxml.html import HtmlElement

if TYPE_CHECKING:
    from publish.diff.reading import Block

CALL = "\ue000"  # the text of a note-call token
STYLE_TAGS = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "sup": "sup", "sub": "sub",
              "code": "code", "s": "del", "u": "u", "a": "link"}
SPACED = {"li", "p", "dd", "dt", "br", "div", "blockquote", "td", "th", "tr", "figcaption"}
# Typography the filters set: folded away, a difference only here is its own class.
FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ",
                      "\u2009": " ", "…": "...", "\u00ad": None})
TYPOGRAPHIC_STYLES = {"sc"}  # small caps for acronyms is the typography filter's doing
# A word (with its apostrophes and hyphens), a run of punctuation, or spaces; a word keeps the spaces after it.
WORD = re.compile(r"[\w'’‐-]+ *|[^\w ]+? *| +")
PAIR_RATIO = 0.5  # two blocks this similar are one block rewritten


class Token(NamedTuple):
    text: str
    style: str = ""
    call: str = ""  # note id, for a call

    @property
    def key(self) -> tuple[str, str]:
        return (CALL, "call") if self.call else (self.text, self.style)

    @property
    def fold(self) -> str:
        return " ".join(self.text.translate(FOLD).split())


@dataclass
class Pair:
    """One block of the old build against one of the new; either side may be missing."""

    old: Block | None
    new: Block | None
    status: str = "same"  # same | changed | inserted | deleted | moved
    kind: str | None = None  # text | typography | notes; None when nothing changed
    segments: list[tuple[str, list[Token]]] = field(default_factory=list)  # ("=", "-", "+", tokens)


def tokens(element: HtmlElement) -> list[Token]:
    """The tokens of an HTML block (note calls as ``a[role=doc-noteref]``)."""
    runs: list[Token] = []
    _walk(element, (), runs)
    out: list[Token] = []
    for run in runs:
        if run.call:
            out.append(run)
            continue
        for piece in WORD.findall(re.sub(r"[ \t\r\n]+", " ", run.text)):
            if piece.isspace():
                # the space after a note call belongs to the word before the call
                word = next((k for k in range(len(out) - 1, -1, -1) if not out[k].call), None)
                if word is not None and not out[word].text.endswith(" "):
                    out[word] = out[word]._replace(text=out[word].text + " ")
            else:
                if piece.startswith(" ") and out and out[-1].text.endswith(" "):
                    piece = piece.lstrip(" ")
                out.append(Token(piece, run.style))
    if out and not out[-1].call:
        out[-1] = out[-1]._replace(text=out[-1].text.rstrip())  # a no-break space before a backlink, too
    return [t for t in out if t.text or t.call]


def _walk(element: HtmlElement, style: tuple[str, ...], runs: list[Token]) -> None:
    if element.text:
        runs.append(Token(element.text, "+".join(style)))
    for child in element:
        if isinstance(child.tag, str):
            classes = (child.get("class") or "").split()
            if child.get("role") == "doc-noteref" or "noteref" in classes:
                # the call keeps the number the book prints; it still compares equal to any other call
                number = " ".join(child.text_content().split()) or CALL
                runs.append(Token(number, "call", (child.get("href") or "").lstrip("#")))
            else:
                extra = [STYLE_TAGS[child.tag]] if child.tag in STYLE_TAGS else []
                extra += ["sc"] if "acronym" in classes else []
                _walk(child, tuple(sorted(set(style) | set(extra))), runs)
                if child.tag in SPACED:
                    runs.append(Token(" ", "+".join(style)))
        if child.tail:
            runs.append(Token(child.tail, "+".join(style)))


def plain(block_tokens: list[Token]) -> str:
    """The block's text as read, note calls left out."""
    return "".join(t.text for t in block_tokens if not t.call)


def printed(block_tokens: list[Token]) -> str:
    """The block's text as printed: note calls as their numbers, set close after their word."""
    return "".join(t.text for t in printed_tokens(block_tokens))


def printed_tokens(block_tokens: list[Token]) -> list[Token]:
    """The tokens with each call's space moved after it ("IAPT) ¹and" → "IAPT)¹ and"), as the page sets them."""
    return [t for _, t in _printed([("=", t) for t in block_tokens])]


def printed_segments(segments: list[tuple[str, list[Token]]]) -> list[tuple[str, list[Token]]]:
    """*segments* with each call set close after its word, across segment boundaries."""
    flat = _printed([(op, t) for op, tokens in segments for t in tokens])
    out: list[tuple[str, list[Token]]] = []
    for op, token in flat:
        if out and out[-1][0] == op:
            out[-1][1].append(token)
        else:
            out.append((op, [token]))
    return out


def _printed(flat: list[tuple[str, Token]]) -> list[tuple[str, Token]]:
    out = list(flat)
    for k, (op, token) in enumerate(out):
        if token.call and k and out[k - 1][1].text.endswith(" "):
            before = out[k - 1]
            out[k - 1] = (before[0], before[1]._replace(text=before[1].text[:-1]))
            out[k] = (op, token._replace(text=token.text + " "))
    return [(op, t) for op, t in out if t.text]


def classify(old: list[Token], new: list[Token]) -> str | None:
    """What kind of change turns *old* into *new*: None, "notes" (a call moved), "typography" or "text"."""
    if [t.key for t in old] == [t.key for t in new]:
        return None
    if [t.key for t in old if not t.call] == [t.key for t in new if not t.call]:
        return "notes"
    if _folded(old) == _folded(new):
        return "typography"
    return "text"


def _folded(block_tokens: list[Token]) -> list[tuple[str, str]]:
    chars = []
    for token in block_tokens:
        if token.call:
            continue
        style = "+".join(s for s in token.style.split("+") if s and s not in TYPOGRAPHIC_STYLES)
        chars += [(c, style) for c in token.text.translate(FOLD)]
    # collapse the spaces folding made, so 'word\u00a0– ' and 'word – ' agree
    return [c for i, c in enumerate(chars) if not (c[0] == " " and i and chars[i - 1][0] == " ")]


def word_diff(old: list[Token], new: list[Token]) -> list[tuple[str, list[Token]]]:
    """Segments ("=", "-", "+") turning *old* into *new*, word by word."""
    matcher = SequenceMatcher(None, [t.key for t in old], [t.key for t in new], autojunk=False)
    segments: list[tuple[str, list[Token]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("=", new[j1:j2]))
            continue
        if i2 > i1:
            segments.append(("-", old[i1:i2]))
        if j2 > j1:
            segments.append(("+", new[j1:j2]))
    return segments


def similarity(old: list[Token], new: list[Token]) -> float:
    a, b = [t.fold for t in old if not t.call], [t.fold for t in new if not t.call]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= PAIR_RATIO else 0.0


def align(old: list[Block], new: list[Block]) -> list[Pair]:
    """Every block of both builds, paired: by id first, then by similarity within a changed stretch."""
    matcher = SequenceMatcher(None, [b.id for b in old], [b.id for b in new], autojunk=False)
    pairs: list[Pair] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs += [_pair(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            pairs += _pair_stretch(old[i1:i2], new[j1:j2])
    _find_moves(pairs)
    return [p for p in pairs if p.status != "moved-away"]


def _pair(old: Block, new: Block) -> Pair:
    kind = classify(old.tokens, new.tokens)
    if kind is None:
        return Pair(old, new)
    return Pair(old, new, "changed", kind, word_diff(old.tokens, new.tokens))


def _pair_stretch(old: list[Block], new: list[Block]) -> list[Pair]:
    """Pair blocks in order where each old one finds a similar new one; the rest are in or out."""
    pairs: list[Pair] = []
    start = 0
    for block in old:
        scores = [(similarity(block.tokens, cand.tokens), k) for k, cand in enumerate(new[start:], start)]
        best = max(scores, default=(0.0, -1))
        if best[0] < PAIR_RATIO:
            pairs.append(Pair(block, None, "deleted", "text", [("-", block.tokens)]))
            continue
        pairs += [Pair(None, b, "inserted", "text", [("+", b.tokens)]) for b in new[start:best[1]]]
        pairs.append(_pair(block, new[best[1]]))
        start = best[1] + 1
    pairs += [Pair(None, b, "inserted", "text", [("+", b.tokens)]) for b in new[start:]]
    return pairs


def _find_moves(pairs: list[Pair]) -> None:
    """A block deleted in one place and inserted unchanged in another has moved."""
    inserted = {}
    for pair in pairs:
        if pair.status == "inserted":
            inserted.setdefault(tuple(t.key for t in pair.new.tokens), []).append(pair)
    for pair in pairs:
        if pair.status != "deleted":
            continue
        match = inserted.get(tuple(t.key for t in pair.old.tokens))
        if match:
            target = match.pop(0)
            target.old, target.status, target.segments = pair.old, "moved", [("=", target.new.tokens)]
            pair.status = "moved-away"
