"""`ui.plain`, the one helper every Markdown sink of the app uses (issue 20, text is text):
each construct that would create an element comes out inert, and ordinary text unchanged.
The browser test (test_browser_injection.py) checks the same on the served pages."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.web.ui import WORD_JOINER, plain, plain_table

# (attack, a pattern that must not survive unescaped)
ATTACKS = [
    ("![x](https://attacker.test/pixel.png)", r"(?<!\\)\[x(?<!\\)\]"),
    ("[link](https://attacker.test/)", r"(?<!\\)\[link"),
    ('<img src="https://attacker.test/p.png">', r"(?<!\\)<img"),
    ("<https://attacker.test/>", r"(?<!\\)<https"),
    ("https://attacker.test/bare", r"https://"),
    ("www.attacker.test", r"www\."),
    ("mail me@attacker.test", r"me@a"),
    ("**bold** and _em_ and `code` and ~~gone~~", r"(?<!\\)\*\*|(?<!\\)`|(?<!\\)~~|(?<!\\)_em"),
    (":material/home: :smile:", r"(?<!\\):material"),
    ("$x^2$", r"(?<!\\)\$"),
    ("# Heading\n> quote\n- item\n1. one", r"^(#|>|-|1\.)"),
    ("a | b", r"(?<!\\)\|"),
    ("&lt;b&gt;", r"(?<!\\)&lt"),
]


@pytest.mark.parametrize(("attack", "forbidden"), ATTACKS)
def test_markdown_constructs_come_out_inert(attack: str, forbidden: str) -> None:
    assert not re.search(forbidden, plain(attack), re.MULTILINE), plain(attack)


@pytest.mark.parametrize(
    "ordinary", ["< 5", "09:00", "online_harassment", "Africa (SSA)", "1,234", "Q4", "x.csv"]
)
def test_ordinary_text_is_unchanged(ordinary: str) -> None:
    assert plain(ordinary) == ordinary


def test_what_the_reader_sees_is_what_was_written() -> None:
    # Markdown drops the backslashes; the word joiner is invisible.
    attack = "![x](https://a.test/p.png) *a* <b>"
    shown = re.sub(r"\\(.)", r"\1", plain(attack)).replace(WORD_JOINER, "")
    assert shown == attack


def test_tables_get_plain_cells_and_headers() -> None:
    frame = pd.DataFrame({"![h](https://a.test)": ["![c](https://a.test)"], "n": [3]})
    shown = plain_table(frame)
    assert shown.columns[0].startswith("!\\[h\\]")
    assert shown.iloc[0, 0].startswith("!\\[c\\]") and shown.iloc[0, 1] == 3
