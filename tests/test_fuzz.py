"""Fuzzing the whole pipeline: any failure on generated Markdown must be a PublishError.

CI runs a bounded number of examples; ``nox -s fuzz`` sets FUZZ_EXAMPLES for a long run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.build import build
from publish.errors import PublishError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))

word = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
punct = st.sampled_from(list(".,;:!?'\"‘’“”–—…()[]*_`\\<>&#^~|-") + ["...", " – ", "\u00a0", "  ", "\t"])
inline = st.one_of(
    word,
    punct,
    st.sampled_from(["[^1]", "[^2]", "[^x]", "^[inline note]", "*em*", "**strong**", "`code`", "IAPT", "King's",
                     "<span>raw</span>", "<script>x</script>", '<b onclick="x">b</b>', "[l](javascript:x)",
                     "![img](images/none.png)", "![img](/etc/passwd)", "[link](https://example.com)",
                     "$x^2$", "<!-- c -->", "{.class}", "\\[^1]"]),
)
line = st.lists(inline, min_size=1, max_size=12).map(" ".join)
block = st.one_of(
    line,
    line.map(lambda s: "# " + s),
    line.map(lambda s: "> " + s),
    line.map(lambda s: "- " + s),
    line.map(lambda s: "1. " + s),
    line.map(lambda s: "[^1]: " + s),
    line.map(lambda s: "[^2]: " + s),
    line.map(lambda s: "::: byline\n" + s + "\n:::"),
    line.map(lambda s: "    " + s),
    st.just("| a | b |\n|---|---|\n| 1 | 2 |"),
)
chapter = st.lists(block, min_size=1, max_size=8).map("\n\n".join)
title = st.one_of(word, st.sampled_from(["A: b", "'quoted'", "[list", "{x: y}", "- item", "&anchor", "*alias"]))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(chapter, min_size=1, max_size=2), title=title)
def test_pipeline_never_fails_with_anything_but_a_publish_error(texts, title):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "m"
        root.mkdir()
        names = [f"{i:02d}.md" for i in range(len(texts))]
        yaml_lines = [f"title: {title}", "author: Fuzz", "lang: en-GB", "chapters:", *[f"  - {n}" for n in names]]
        (root / "book.yaml").write_text("\n".join(yaml_lines) + "\n", encoding="utf-8")
        for name, text in zip(names, texts, strict=True):
            (root / name).write_text(text + "\n", encoding="utf-8")
        try:
            build(root, Path(tmp) / "out", ("html",), log=lambda _: None)
        except PublishError as error:
            assert str(error).strip() and "\n" not in str(error).strip()
            return
        assert (Path(tmp) / "out" / "html" / "index.html").is_file()
