"""The build applies every filter in one walk of the tree: the result is the filters run one by one.

The manuscript here has what each filter acts on, and where they meet:
notes called from quotations, list items, headings and other notes' paragraphs,
quotes, dashes and acronyms inside notes, a call written in code, blocks
with ids the author gave, and repeated paragraphs (ids with a suffix).
"""

from __future__ import annotations

import io
import json

import panflute as pf
import pytest

from publish import filters, pandoc
from tests.conftest import MANUSCRIPT

TRICKY = """# A "heading" with a note[^h] {#given}

The NHS's 'plan' -- a dash -- and "quotes" ... with IAPTs.[^a] Text `[^not-a-call]` stays.

> A quotation -- with a note.[^q]

- An item with a note.[^i]
- Another -- item.

::: {.byline}
By someone, with an NGO.
:::

Same paragraph.

Same paragraph.

[^h]: The heading's note, with "quotes" -- and the WHO.
[^a]: A note in two paragraphs -- the first.

    The second, with an acronym: UNESCO's.
[^q]: The quotation's note.
[^i]: The item's note... ending.
"""

# A title in the front matter (the title filter's finalize: a heading the later filters see whole),
# images in the chapter's folder (the paths filter), and a note in the title's paragraph.
TITLED = """---
title: Piracy -- a "history"
---

An image ![a figure](fig/a.png) and raw <img src="fig/b.png"> with a note.[^t]

[^t]: The note -- with the NHS.
"""


@pytest.mark.parametrize("text", [TRICKY, TITLED, (MANUSCRIPT / "foreword.md").read_text(encoding="utf-8")],
                         ids=["tricky", "titled", "foreword"])
def test_one_walk_gives_what_the_filters_give_one_by_one(text):
    source = json.dumps(pandoc.parse(text)[0])
    one_by_one = pf.load(io.StringIO(source))
    one_by_one.metadata["chapter-id"] = pf.MetaString("ch")
    one_by_one.metadata["lang"] = pf.MetaString("en-GB")
    one_by_one.metadata["chapter-folder"] = pf.MetaString("episodes")
    for module in filters.ORDER:
        one_by_one = module.main(one_by_one)
    one_walk = filters.apply(pf.load(io.StringIO(source)), "ch", "en-GB", folder="episodes")
    assert one_walk.to_json() == one_by_one.to_json()
