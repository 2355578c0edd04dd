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


@pytest.mark.parametrize("text", [TRICKY, (MANUSCRIPT / "foreword.md").read_text(encoding="utf-8")],
                         ids=["tricky", "foreword"])
def test_one_walk_gives_what_the_filters_give_one_by_one(text):
    source = json.dumps(pandoc.parse(text)[0])
    one_by_one = pf.load(io.StringIO(source))
    one_by_one.metadata["chapter-id"] = pf.MetaString("ch")
    one_by_one.metadata["lang"] = pf.MetaString("en-GB")
    for module in filters.ORDER:
        one_by_one = module.main(one_by_one)
    one_walk = filters.apply(pf.load(io.StringIO(source)), "ch", "en-GB")
    assert one_walk.to_json() == one_by_one.to_json()
