"""One small case per lint rule: it fires where it should and stays silent where it should not."""

from __future__ import annotations

import pytest

from publish.book import load_book
from publish.lint import lint
from publish.lint.rules import RULES
from tests.conftest import make_manuscript

NOTE = "\n\n[^1]: A note."
CURLY = " One’s own ‘word’ here."  # so that the book types curly quotes

FIRES = [
    ("s-001", "One  two."),
    ("s-001", "One\u00a0 two."),
    ("s-001", "One \u00a0two."),
    ("s-002", "A word , then more."),
    ("s-002", "Is it ?"),
    ("s-002", "The number of ‘doses’ , or episodes."),
    ("s-002", "A list ; a colon :"),
    ("s-003", "A word [^1]." + NOTE),
    ("s-004", "Trailing space here. \nNext line."),
    ("p-001", "It has covered many fields. including law."),
    ("p-001", "It ended (as it began). and then more."),
    ("p-002", "As Layard & Clark, 2014). I will not."),
    ("p-002", "An open (bracket here."),
    ("p-002", "A [square one."),
    ("p-003", "She said ‘hello and left."),
    ("p-003", "She said “hello and left."),
    ("p-004", "The mental health NGO Rethink’ without recognising."),
    ("p-004", "He left.” Then nothing."),
    ("p-005", "Dealing with it is... a no brainer."),
    ("p-005", "Dealing with it is . . . a no brainer."),
    ("p-006", "A dash - typed as a hyphen."),
    ("p-006", "The years 1980-1990 and 1914-18."),
    ("p-007", "Professor at King's College." + CURLY),
    ("p-007", 'He said "yes".' + CURLY),
    ("p-008", "Organisations paid by ‘results.’ As Diana Rose has pointed out."),
    ("p-008", "What they call ‘treatment episodes,’ up to the end."),
    ("p-009", "This, indeed is what they seemed to promise."),
    ("p-009", "He would, of course want more."),
    ("n-001", "A call with no note.[^9]"),
    ("n-002", "No call here." + NOTE),
    ("n-003", "One.[^1] Two.[^2]\n\n[^1]: The same text.\n\n[^2]: The  same text."),
    ("n-004", "One.[^1] Two.[^2] Three[^3].\n\n[^1]: A.\n\n[^2]: B.\n\n[^3]: C."),
    ("n-005", "One:[^1] two.[^2] At local level[^3] that.\n\n[^1]: A.\n\n[^2]: B.\n\n[^3]: C."),
    ("n-006", "A call.[^1]\n\n[^1]: One.\n\n[^1]: Two."),
    ("n-007", "A.[^1] B.[^2] C.[^3]\n\n[^1]: One.\n\n[^2]: Two (accessed 2019)\n\n[^3]: Three."),
    ("c-001", "We organise the work, realize it and recognise it."),
    ("c-001", "Industrialisation and organization and civilisation."),
    ("c-002", "A judgement here, a judgment there, another judgement."),
    ("c-002", "They travelled and travelled, but traveling tired them."),
    ("c-003", "A short-term plan is a short-term aid, and a short term plan."),
    ("c-003", "Healthcare facilities and health-care workers and healthcare."),
    ("c-004", "This is the the end."),
    ("c-004", "It is the\nthe end."),
]

SILENT = [
    ("s-001", "One\u00a0two, and one two."),
    ("s-001", "Code `a  b` keeps its spaces."),
    ("s-001", "```\ncode  with   spaces\n```\n\nProse."),
    ("s-002", "He paused ... then went on, and … again."),
    ("s-002", "A code span `a , b` and a URL https://example.org/a?b=c,d."),
    ("s-002", "A colon: a comma, a stop."),
    ("s-003", "A word.[^1]" + NOTE),
    ("s-003", "A word[^1] – a dash follows." + NOTE),
    ("s-004", "```\ncode   \n```\n\nProse."),
    ("s-004", "---\ntitle: x   \n---\n\nProse."),
    ("p-001", "See e.g. the law, i.e. the rule, cf. the code."),
    ("p-001", "Written by A. n. Other at 5 p.m. and later."),
    ("p-001", "It covers many fields, including law."),
    ("p-001", "Wait… and then. And then."),
    ("p-001", "See the advice. \\[Online.\\] (accessed 15 February 2019)"),
    ("p-002", "A (balanced [pair]) of both."),
    ("p-002", "See [the link](https://example.org/a_(b)) here."),
    ("p-002", "a) the first point; that is all."),
    ("p-002", "Escaped \\[Online.\\] brackets pair."),
    ("p-003", "‘A quotation of two paragraphs opens each one.\n\n‘And closes only at the end.’"),
    ("p-003", "She said ‘hello’ and “goodbye”."),
    ("p-003", "’Tis the season, in the ’90s."),
    ("p-004", "The doctors’ time and the users’ needs, one’s own, Beveridge’s Want."),
    ("p-004", "‘The doctors’ time’ was short."),
    ("p-004", "Mosher’s approach and the Joneses’ house."),
    ("p-004", "Rock ’n’ roll in the ’60s, Dickens’s novels; ‘It’s the users’ choice,’ she said."),
    ("p-004", "Would ‘not cost us an arm and a leg. Dealing with it is a “no brainer”’."),
    ("p-004", "A measurement of 5' 10\" in height."),
    ("p-005", "Dealing with it is … a no brainer."),
    ("p-006", "A short-term plan, a well-known fact, on 2019-01-15, in 2019-01."),
    ("p-006", "A spaced en dash – as here – is right, as is 1980–1990."),
    ("p-006", "A URL https://example.org/a--b and `a -- b` code."),
    # pandoc's smart punctuation sets -- and --- as en and em dashes, as the author meant (issue 16)
    ("p-006", "An en dash -- typed as two, an em dash---typed as three, and 1980--1990."),
    ("p-001", "The steps:\n\n1. one thing\n2. two things\n3. three."),
    ("p-001", "A fancy list:\n\na. alpha\nb. beta"),
    ("p-001", "He worked for Acme Corp. of Delaware."),
    ("p-003", 'Type "6" instead of "1" here.'),
    ("s-001", "Apple\n:   A fruit.\n\nOrange\n:   Another fruit."),
    ("s-002", "Apple\n:   A fruit.\n\nOrange\n:   Another fruit."),
    ("p-001", "Term\n:   A definition with code:\n\n        x = 1. y = 2. if a. then b\n\n    More text."),
    ("p-007", "Professor at King's College, and 'quoted' words, all straight."),
    ("p-007", "Code `King's` is code." + CURLY),
    ("p-008", "Organisations paid by ‘results’. As Diana Rose has pointed out."),
    ("p-008", "He said: ‘It is over.’ Then he left."),
    ("p-008", "‘Don’t,’ he said, ‘do that.’ And she did not."),
    ("p-009", "This, indeed, is so; and, indeed, it is; this is indeed so."),
    ("p-009", "Not illnesses and, however debilitating they can be, evils. In fact, it is."),
    ("n-001", "A call.[^1]" + NOTE),
    ("n-001", "An inline note.^[Its text is here.]"),
    ("n-002", "A call.[^1]" + NOTE),
    ("n-003", "One.[^1] Two.[^2]\n\n[^1]: A text.\n\n[^2]: Another text."),
    ("n-004", "One.[^1] Two.[^2] Three:[^3]\n\n[^1]: A.\n\n[^2]: B.\n\n[^3]: C."),
    ("n-005", "At local level[^1] that." + NOTE),
    ("n-006", "A.[^1] B.[^2]\n\n[^1]: One.\n\n[^2]: Two."),
    ("n-007", "A.[^1] B.[^2]\n\n[^1]: One.\n\n[^2]: Smith (2004)"),
    ("n-007", "A.[^1]\n\n[^1]: A note that ends with a quotation: ‘like this.’"),
    ("c-001", "We organise, advise, exercise, supervise and size the prize."),
    ("c-001", "We organize and realize, and we advise and surprise."),
    ("c-002", "A judgment here and a judgment there."),
    ("c-002", "A benefit, a model and a label; benefitted, modelled, labelled; fulfil and fulfilment."),
    ("c-003", "A short-term plan, good only in the short term, and in the short term of office."),
    ("c-003", "The high-risk gambles, at a high risk of loss."),
    ("c-004", "What he had had was gone, and that that was so."),
    ("c-004", "It ends with the\n\nthe next paragraph: two paragraphs."),
    ("c-004", "The `the` the code."),
]


def _codes(tmp_path, text: str, lang: str = "en-GB") -> list[str]:
    root = make_manuscript(tmp_path / "book", {"a.md": text + "\n"}, lang=lang)
    return [finding.code for finding in lint(load_book(root)).findings]


@pytest.mark.parametrize(("code", "text"), FIRES)
def test_rule_fires(tmp_path, code, text):
    assert code in _codes(tmp_path, text)


@pytest.mark.parametrize(("code", "text"), SILENT)
def test_rule_is_silent(tmp_path, code, text):
    assert code not in _codes(tmp_path, text)


def test_every_rule_has_a_case_each_way():
    assert {code for code, _ in FIRES} == set(RULES) == {code for code, _ in SILENT}


def test_every_rule_has_message_and_hint():
    for code, rule in RULES.items():
        assert code == rule.code and rule.message and rule.hint
        assert "\n" not in rule.message + rule.hint


def test_quotes_inside_are_house_style_only_for_british_english(tmp_path):
    text = "Organisations paid by ‘results.’ As Diana Rose has pointed out."
    assert "p-008" in _codes(tmp_path / "gb", text, lang="en-GB")
    assert "p-008" not in _codes(tmp_path / "us", text, lang="en-US")


def test_place_is_the_authors_line_and_column(tmp_path):
    text = "# Title {#t}\n\nA first *line*,\nthen `code`, a [link](http://x.org) and fields. including law."
    root = make_manuscript(tmp_path / "book", {"a.md": text + "\n"})
    [finding] = [f for f in lint(load_book(root)).findings if f.code == "p-001"]
    line = text.split("\n")[3]
    assert (finding.line, finding.column) == (4, line.index("including") + 1)
    assert finding.excerpt == "fields. including"
