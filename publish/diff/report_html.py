"""The HTML report: one file a proofreader opens from disk, no server, no network.

Each change (a block, a note, a page) is a focusable ``.change``; j/n and
k/p step through them, Tab works too, and focus is always visible.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from publish.diff import report_pages
from publish.diff.text import Token, printed_segments

if TYPE_CHECKING:
    from publish.diff.report import Result

CONTEXT = 12  # words of unchanged text kept either side of a change

CSS = """
:root { --ink: #1b1b1b; --muted: #595959; --rule: #d0d0d0; --ins: #d7f5dd; --del: #fbe0e0; --focus: #1a5fb4; }
* { box-sizing: border-box; }
body { font: 16px/1.5 Georgia, serif; color: var(--ink); background: #fff; margin: 0 auto; max-width: 72rem;
       padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.3rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; color: var(--muted); margin: 1.5rem 0 .5rem; }
.sides, .help { color: var(--muted); font: 14px/1.4 system-ui, sans-serif; }
.sides { display: grid; grid-template-columns: auto 1fr; gap: .1rem .8rem; } .sides dd { margin: 0; }
.sides code { overflow-wrap: anywhere; }
.summary { font-size: 1.15rem; background: #f4f4f4; padding: .75rem 1rem; border-left: 4px solid var(--ink); }
.summary p { margin: .25rem 0; }
.change { border: 1px solid var(--rule); border-radius: 4px; padding: .5rem .9rem; margin: .6rem 0; }
.change:focus { outline: 3px solid var(--focus); outline-offset: 3px; }
.change:focus-visible { outline: 3px solid var(--focus); outline-offset: 3px; }
.meta { font: 13px/1.4 system-ui, sans-serif; color: var(--muted); margin: 0 0 .3rem; }
.tag { display: inline-block; font-weight: 600; padding: 0 .4em; border-radius: 3px; border: 1px solid; }
.tag.text, .tag.notes { color: #8a1c1c; } .tag.typography { color: #7a4d00; } .tag.visual { color: #4b2a83; }
.tag.reflow { color: #00566e; } .tag.shifted, .tag.identical { color: var(--muted); }
ins { background: var(--ins); text-decoration: underline; text-decoration-thickness: 2px; }
del { background: var(--del); text-decoration: line-through; }
.call { font-size: .75em; vertical-align: super; color: var(--focus); }
.gap { color: var(--muted); }
.note { margin: .4rem 0 0 1.5rem; padding-left: .6rem; border-left: 3px solid var(--rule); font-size: .92rem; }
"""

SCRIPT = """
(function () {
  var items = Array.prototype.slice.call(document.querySelectorAll('.change'));
  var at = -1;
  function go(step) {
    if (!items.length) return;
    var current = items.indexOf(document.activeElement);
    at = Math.max(0, Math.min(items.length - 1, (current < 0 ? at : current) + step));
    items[at].focus();
    items[at].scrollIntoView({block: 'center'});
    document.getElementById('position').textContent = 'Change ' + (at + 1) + ' of ' + items.length;
  }
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'j' || event.key === 'n') { go(1); event.preventDefault(); }
    if (event.key === 'k' || event.key === 'p') { go(-1); event.preventDefault(); }
  });
})();
"""


def page(result: Result, summary: str) -> str:
    """The whole report as one HTML document."""
    body = [
        "<header><h1>Proofreader’s diff</h1>",
        _sides(result),
        '<div class="summary" role="status">' + "".join(f"<p>{escape(s)}</p>" for s in summary.splitlines())
        + "</div>",
        '<p class="help">Keys: <kbd>j</kbd> or <kbd>n</kbd> next change, <kbd>k</kbd> or <kbd>p</kbd> previous; '
        'Tab also moves between changes. <span id="position" aria-live="polite"></span></p></header>',
        "<main>", _redline(result), report_pages.section(result.pages, result.notes),
        report_pages.editions_section(result.sections), "</main>",
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Diff: {escape(result.old)} → {escape(result.new)}</title>"
            f"<style>{CSS}{report_pages.CSS}</style></head>"
            f"<body>{''.join(body)}<script>{SCRIPT}{report_pages.SCRIPT}</script></body></html>\n")


def _sides(result: Result) -> str:
    """Both sides named exactly: what was given, its commit, its build's date and source hash."""
    rows = []
    for name, given, side in (("Old", result.old, result.sides[0]), ("New", result.new, result.sides[1])):
        facts = [f"{escape(side.get('kind', ''))} <code>{escape(given)}</code>"]
        if side.get("commit"):
            facts.append(f"commit <code>{escape(side['commit'])}</code>")
        if side.get("built"):
            facts.append(f"source date {escape(side['built'])}")
        if side.get("sources_sha256"):
            facts.append(f"sources sha256 <code>{escape(side['sources_sha256'])}</code>")
        if side.get("publish"):
            facts.append(f"publish {escape(side['publish'])}")
        rows.append(f"<dt>{name}</dt><dd>{' · '.join(facts)}</dd>")
    return f'<dl class="sides">{"".join(rows)}</dl>'


def _redline(result: Result) -> str:
    """Changed blocks by chapter and section, each with the changed notes it calls."""
    notes_at: dict[str, list] = {}
    for note in result.changed_notes():
        side = note.new or note.old
        notes_at.setdefault(side.block, []).append(note)
    out, heading = ["<section aria-labelledby=\"redline\"><h2 id=\"redline\">Text and notes</h2>"], None
    for pair in result.pairs:
        block = pair.new or pair.old
        notes = notes_at.pop(block.id, []) + (notes_at.pop(pair.old.id, []) if pair.old and pair.new else [])
        if pair.kind is None and not notes:
            continue
        chapter = result.new_edition.chapters.get(block.chapter) or result.old_edition.chapters.get(block.chapter)
        if (chapter, block.section) != heading:
            heading = (chapter, block.section)
            title = chapter if block.section in ("", chapter) else f"{chapter} — {block.section}"
            out.append(f"<h3>{escape(title or block.chapter)}</h3>")
        out.append(_block(pair, notes, result))
    leftover = [n for group in notes_at.values() for n in group]
    out += [f'<div class="change" tabindex="0">{_note(n)}</div>' for n in leftover]
    if len(out) == 1:
        out.append("<p>No differences in the text or the notes.</p>")
    return "".join(out) + "</section>"


def _block(pair, notes: list, result: Result) -> str:
    where = _where(pair, result)
    if pair.kind is None:
        meta = f'<p class="meta">Unchanged paragraph{where}; its notes:</p>'
        return f'<div class="change" tabindex="0">{meta}{"".join(_note(n) for n in notes)}</div>'
    label = {"changed": "changed", "inserted": "inserted", "deleted": "deleted", "moved": "moved"}[pair.status]
    meta = f'<p class="meta"><span class="tag {pair.kind}">{escape(pair.kind)}</span> {label}{where}</p>'
    return (f'<div class="change" tabindex="0">{meta}<p>{_segments(pair.segments)}</p>'
            f'{"".join(_note(n) for n in notes)}</div>')


def _where(pair, result: Result) -> str:
    pages = result.pages
    if pages is None:
        return ""
    old, new = folios(pages, pair.old, old=True), folios(pages, pair.new, old=False)
    spans = [f"{side} p. {'–'.join(dict.fromkeys([f[0], f[-1]]))}" for side, f in (("old", old), ("new", new)) if f]
    return " · " + ", ".join(spans) if spans else ""


def folios(pages, block, old: bool) -> list[str]:
    """The folios of the pages *block* is on, in the old or the new print PDF."""
    if pages is None or block is None:
        return []
    where = (pages.old_pages_of if old else pages.new_pages_of).get(block.id, [])
    labels = pages.old_labels if old else pages.new_labels
    return [labels[i] for i in where if i < len(labels)]


def _note(note) -> str:
    old, new = note.old, note.new
    number = f"{old.number} → {new.number}" if note.renumbered else str((new or old).number)
    status = {"changed": "text changed", "moved": "call moved", "added": "added", "removed": "removed"}.get(
        note.status, note.status)
    return (f'<div class="note"><p class="meta"><span class="tag {note.kind}">{escape(note.kind or "")}</span> '
            f'Note {escape(number)}: {status}</p><p>{_segments(note.segments)}</p></div>')


def _segments(segments: list[tuple[str, list[Token]]]) -> str:
    segments = printed_segments(segments)  # a call set close after its word, as the book prints it
    out = []
    for n, (op, tokens) in enumerate(segments):
        if op == "=" and len(tokens) > 2 * CONTEXT:
            head = tokens[:CONTEXT] if n else []
            tail = tokens[-CONTEXT:] if n < len(segments) - 1 else []
            out.append(_tokens(head) + '<span class="gap"> […] </span>' + _tokens(tail))
        else:
            tag = {"=": "", "-": "del", "+": "ins"}[op]
            html = _tokens(tokens)
            out.append(f"<{tag}>{html}</{tag}>" if tag else html)
    return "".join(out)


def _tokens(tokens: list[Token]) -> str:
    out = []
    for token in tokens:
        if token.call:
            space = " " if token.text.endswith(" ") else ""
            out.append(f'<sup class="call" title="note call">{escape(token.text.strip())}</sup>{space}')
            continue
        html = escape(token.text)
        for style in token.style.split("+"):
            if style in ("em", "strong", "sup", "sub", "code"):
                html = f"<{style}>{html}</{style}>"
        out.append(html)
    return "".join(out)
