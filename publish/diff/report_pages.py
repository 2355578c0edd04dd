"""The report's pages: the page map, old and new page images side by side, the renumbered notes' checklist.

Every page the summary sends the proofreader to (all but identical and
shifted pages) has its old and new images at 150 dpi; a click (or Enter)
enlarges the pair to full width. Marks sit beside or under the text, never
across it: a bar in the margin beside an area that differs, a line under a
word inserted (new page) or deleted (old page), a tick after a line end that
moved, a dotted line under the page's moved last line.
"""

from __future__ import annotations

from html import escape

SHORT = {"text": "text", "reflow": "reflow", "renumbered": "renum.", "furniture": "head", "shifted": "shifted",
         "visual": "visual", "blank-added": "blank+", "identical": "same", "removed": "gone",
         "blank-removed": "blank−"}
TITLES = {"text": "TEXT: re-read", "reflow": "REFLOW: check the breaks", "renumbered": "RENUMBERED: note numbers only",
          "furniture": "RUNNING HEAD/FOLIO changed", "visual": "VISUAL: set differently", "blank-added":
          "BLANK PAGE ADDED", "removed": "PAGE GONE", "blank-removed": "BLANK PAGE REMOVED"}

CSS = """
.pagemap { display: flex; flex-wrap: wrap; gap: 4px; list-style: none; padding: 0; }
.pagemap li a, .pagemap li span { display: block; width: 3.4rem; padding: .2rem; text-align: center;
  border: 1px solid var(--rule); font: 12px/1.3 system-ui, sans-serif; color: var(--ink); text-decoration: none; }
.pagemap .text { background: #f6caca; } .pagemap .reflow { background: #cde9f1; }
.pagemap .visual, .pagemap .furniture { background: #e1d5f4; } .pagemap .shifted { background: #eee; }
.pagemap .renumbered { background: #fbeecb; } .pagemap .blank-added, .pagemap .blank-removed,
.pagemap .removed { background: #dde8d0; }
.pair { display: flex; gap: 1rem; flex-wrap: wrap; }
figure { margin: 0; flex: 1 1 20rem; }
.zoomed figure { flex-basis: 100%; }
figcaption { font: 13px system-ui, sans-serif; color: var(--muted); }
.shot { position: relative; display: block; width: 100%; padding: 0; border: 1px solid var(--rule); line-height: 0;
        background: #fff; cursor: zoom-in; overflow: hidden; }
.zoomed .shot { cursor: zoom-out; }
.shot img { width: 100%; height: auto; }
.bar, .ul, .end, .pageend { position: absolute; pointer-events: none; }
.bar { background: #c0392b; width: .6%; }
.ul { height: 0; border-bottom: 3px solid; }
.ul.ins { border-color: #087f23; } .ul.del { border-color: #c00; } .ul.note { border-color: #7b3fa0; }
.end { width: 1.4%; background: #1a5fb4; border-radius: 2px; }
.pageend { height: 0; border-bottom: 3px dotted #d35400; }
.findings { font: 14px/1.4 system-ui, sans-serif; margin: .3rem 0 .5rem 1.2rem; padding: 0; }
.checklist td, .checklist th { padding: .2rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top;
  text-align: left; font-size: .95rem; }
"""

SCRIPT = """
document.querySelectorAll('.shot').forEach(function (shot) {
  shot.addEventListener('click', function () {
    var card = shot.closest('.change');
    var on = card.classList.toggle('zoomed');
    card.querySelectorAll('.shot').forEach(function (s) { s.setAttribute('aria-pressed', on ? 'true' : 'false'); });
    shot.scrollIntoView({block: 'nearest'});
  });
});
"""


def section(pages, notes: list) -> str:
    """The pages section: map, one card per page to look at, the old pages gone, the renumbering checklist."""
    if pages is None:
        return ('<section aria-labelledby="pages"><h2 id="pages">Pages</h2><p>Pages were not compared: a side has '
                "no print PDF.</p></section>")
    cells = "".join(_cell(r) for r in pages.results)
    cards = [_card(r) for r in pages.results if r.new_image] + [_card(r, gone=True) for r in pages.removed]
    return ('<section aria-labelledby="pages"><h2 id="pages">Pages</h2>'
            f'<ul class="pagemap" aria-label="Pages of the new print PDF">{cells}</ul>'
            + "".join(cards) + checklist(pages, notes) + "</section>")


def _cell(r) -> str:
    inner = f"{escape(r.label)}<br>{SHORT[r.cls]}"
    return (f'<li><a class="{r.cls}" href="#page-{r.index + 1}">{inner}</a></li>' if r.new_image
            else f'<li><span class="{r.cls}">{inner}</span></li>')


def _card(page, gone: bool = False) -> str:
    old_label = page.old_label or "—"
    place = getattr(page, "place_label", "")
    caption = f"Old p. {escape(old_label)}" if page.old_label or not place else f"Old p. {escape(place)}, at its place"
    old = (f'<figure><figcaption>{caption}</figcaption>'
           + _shot(page.old_image, f"Old page {old_label}", _spans(page.boxes, "bar", _bar(page.margin[0]))
                   + _spans(page.old_marks, "ul del", _under)) + "</figure>") if page.old_image else (
        '<figure><figcaption>Old: no page</figcaption></figure>')
    new = '<figure><figcaption>New: no page</figcaption></figure>' if gone else (
        f'<figure><figcaption>New p. {escape(page.label)}</figcaption>'
                           + _shot(page.new_image, f"New page {page.label}",
                                   _spans(page.boxes, "bar", _bar(page.margin[1]))
                                   + _spans(page.marks, "ul ins", _under)
                                   + _spans(page.line_ends, "end", _after) + _spans(page.page_end, "pageend", _under)
                                   + _spans(page.note_marks, "ul note", _under))
                           + "</figure>")
    where = f"old p. {escape(old_label)}" if gone else f"new p. {escape(page.label)} · old p. {escape(old_label)}"
    meta = (f'<p class="meta"><span class="tag {page.cls}">{TITLES[page.cls]}</span> {where} · {_legend(page)}'
            " · click a page to enlarge</p>")
    findings = "".join(f"<li>{escape(f)}</li>" for f in page.findings)
    findings = f'<ul class="findings">{findings}</ul>' if findings else ""
    anchor = f"gone-{page.index + 1}" if gone else f"page-{page.index + 1}"
    return f'<div class="change" tabindex="0" id="{anchor}">{meta}{findings}<div class="pair">{old}{new}</div></div>'


def _shot(uri: str, alt: str, marks: str) -> str:
    return (f'<button type="button" class="shot" aria-pressed="false" aria-label="{escape(alt)}: enlarge">'
            f'<img src="{uri}" alt="{escape(alt)}">{marks}</button>')


def _legend(page) -> str:
    parts = []
    if page.boxes:
        parts.append("red bar: lines that differ")
    if page.marks or page.old_marks:
        parts.append("underlined: words inserted (green, new) or deleted (red, old)")
    if page.line_ends:
        parts.append("blue tick: a line end that moved")
    if page.page_end:
        parts.append("dotted: the page's first or last line, moved")
    if getattr(page, "note_marks", None):
        parts.append("purple: a note that moved to this page")
    return "; ".join(parts) or "no marks"


def _bar(margin: float):
    """Place a change bar in the margin left of the text block, beside the lines that differ."""
    def place(box):
        x, y, w, h = box
        return max(0.0, margin - 0.03), y, None, h
    return place


def _under(box):
    x, y, w, h = box
    return x, y + h, max(w, 0.008), None


def _after(box):
    x, y, w, h = box
    return min(0.985, x + w + 0.006), y, None, h


def _spans(boxes, css: str, place) -> str:
    out = []
    for box in boxes:
        x, y, w, h = place(box)
        size = (f"width:{w * 100:.2f}%;" if w is not None else "") + (f"height:{h * 100:.2f}%;" if h is not None
                                                                       else "")
        out.append(f'<span class="{css}" style="left:{x * 100:.2f}%;top:{y * 100:.2f}%;{size}"></span>')
    return "".join(out)


def checklist(pages, notes: list) -> str:
    """Each renumbered note's call paired with its note, new numbers and pages, to tick off."""
    rows = []
    for note in [n for n in notes if n.renumbered]:
        call_page = _folio(pages.new_pages_of, pages.new_labels, note.new.block)
        note_page = _folio(pages.new_pages_of, pages.new_labels, note.new.id)
        call = escape(" ".join(note.new.before)) + f"<sup>{note.new.number}</sup> " + escape(" ".join(note.new.after))
        text = " ".join(t.text for t in note.new.tokens)[:90]
        rows.append(f'<tr><td><input type="checkbox" aria-label="checked note {note.new.number}"></td>'
                    f"<td>{note.old.number} → <strong>{note.new.number}</strong></td>"
                    f"<td>call p. {escape(call_page)}: …{call}…</td><td>note p. {escape(note_page)}: "
                    f"<sup>{note.new.number}</sup> {escape(text)}…</td></tr>")
    if not rows:
        return ""
    return ('<h3 id="renumbered">Renumbered notes: check each call against its note</h3>'
            '<table class="checklist"><thead><tr><th>✓</th><th>number</th><th>call</th><th>note</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _folio(pages_of: dict, labels: list[str], name: str) -> str:
    where = pages_of.get(name, [])
    return labels[where[0]] if where and where[0] < len(labels) else "?"


def editions_section(sections: list) -> str:
    """The EPUB's and the HTML edition's changed sections, each with its old and new screenshots."""
    if not sections:
        return ""
    cards = []
    for change in sections:
        shots = "".join(
            f'<figure><figcaption>{side} {escape(change.edition.upper())}</figcaption>'
            + (_shot(uri, f"{side} {change.edition} section {change.title}",
                     _spans(change.boxes, "bar", _bar(0.03)) if side == "New" else "") if uri else
               "<p>(no screenshot)</p>") + "</figure>"
            for side, uri in (("Old", change.old_image), ("New", change.new_image)))
        if change.status == "hidden":
            shots = ("<p>The two render the same: the words that changed are ones a reader does not see "
                     "(such as the EPUB’s list of print pages).</p>")
        reasons = ", ".join(change.reasons) or "the render"
        meta = (f'<p class="meta"><span class="tag visual">{escape(change.edition.upper())}</span> '
                f"{escape(change.title)} · {escape(change.status)}: {escape(reasons)} differ"
                f" · <code>{escape(change.name)}</code> · click to enlarge</p>")
        cards.append(f'<div class="change" tabindex="0">{meta}<div class="pair">{shots}</div></div>')
    return ('<section aria-labelledby="editions"><h2 id="editions">EPUB and HTML editions</h2>'
            + "".join(cards) + "</section>")
