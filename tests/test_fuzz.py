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


# book.yaml and hostile chapter text (issue 14) -----------------------------------------------------------------

YAML_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.dates(),
                   st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=16))
value = st.recursive(scalar, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=4), kids,
                                                                                      max_size=3), max_leaves=6)
RAW_YAML = (
    "&a [x, x]", "*a", "*nowhere", "[" * 50, "{a: 1}", "!!python/object/apply:os.system [true]", '"\\x07"',
    "1.2.3mm 234mm", "156mm 234mm", "a5", "no", "yes", "2024-13-45", "978-0-00-000000-0", "|\n  block\n  text",
    "'unclosed", "? [a]\n  : b", "&b [*a, *a, *a, *a]", "- a.md\n  - b.md", "~", "0x1F", ".nan", "1e9999",
)
raw_yaml = st.sampled_from(RAW_YAML)
KEYS = ("title", "subtitle", "author", "lang", "date", "isbn", "identifier", "trim", "folio", "cover", "raw-html",
        "slug", "css", "words", "publisher", "rights", "chapters", "unknown-key")
hostile = st.sampled_from([
    "> " * 40 + "deep", "- " * 40 + "deep", "$" + "\\frac{1}{" * 70 + "x" + "}" * 70 + "$", "^[a ^[b]]",
    "![cap^[n]](images/x.png)", '<a href="&#106;avascript:x">j</a>', '<img src=x.png/onload="x">',
    "<a/onmouseover=x>m</a>", "```{=HTML}\n<b onclick=x>b</b>\n```", "`<i>x</i>`{=html5}", "x" * 300,
    '<span style="background:url(http://e.com/x)">s</span>', "|" + "a|" * 150, "[^q]\n\n[^q]: n [^r]\n\n[^r]: r",
    "::: a\n" * 40, "\u0007bell", "<svg><script>x</script></svg>", "<img src=\"http://e.com/x.png\">",
])
hostile_chapter = st.lists(st.one_of(block, hostile), min_size=1, max_size=6).map("\n\n".join)


def _yaml_entry(key: str, data) -> str:
    import yaml

    if isinstance(data, str) and data in RAW_YAML:  # a raw YAML snippet, as written
        return f"{key}: {data}"
    return yaml.safe_dump({key: data}, allow_unicode=True, default_flow_style=True, width=10_000).strip()


@settings(max_examples=YAML_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(st.tuples(st.sampled_from(KEYS), st.one_of(value, raw_yaml)), max_size=6),
       text=hostile_chapter, keep_required=st.booleans())
def test_hostile_book_yaml_and_chapters_fail_only_with_a_publish_error(entries, text, keep_required):
    """Generated book.yaml values (every YAML type, anchors, aliases, tags, deep nesting) and hostile chapter text:
    the build either succeeds or says one line; never a traceback, never a hang."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "m"
        root.mkdir()
        lines = ["title: Fuzz", "author: Fuzz", "lang: en-GB", "chapters:", "  - a.md"] if keep_required else []
        lines += [_yaml_entry(key, data) for key, data in entries]
        (root / "book.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (root / "a.md").write_text(text + "\n", encoding="utf-8")
        try:
            build(root, Path(tmp) / "out", ("html", "epub"), log=lambda _: None)
        except PublishError as error:
            assert str(error).strip() and "\n" not in str(error).strip()
            return
        page = (Path(tmp) / "out" / "html" / "index.html").read_text()
        assert "onload=" not in page and "javascript:" not in page.lower()
