"""DuckDB's screen of answers (`redact.candidates`) lets through every answer a gate of the
redactor opens: a screen that missed one would leave its personal data unredacted.

The screen is RE2 and the gates are Python's `re`, whose `\\s`, `\\d` and ignore-case are wider
than RE2's: the character classes are checked over every character Python counts, the property on
generated answers made of the gates' own pieces, the labelled cases and spliced answers, and the
redacted Series against `redact` on each answer.
"""

from __future__ import annotations

import itertools
import re
import sys
from functools import cache

import duckdb
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.protection import redact as redact_module
from dashboard.protection.redact import candidates, redact, redact_series
from tests.redaction_cases import CASES
from tests.test_redact import _spliced_answers


def gated(texts: list[str]) -> set[int]:
    """The positions of the texts that a gate opens (the redactor looks for something)."""
    return {position for position, text in enumerate(texts) if redact_module._families(text)}


def screened(texts: list[str]) -> set[int]:
    return set(candidates(texts).tolist())


@cache
def python_class(pattern: str) -> tuple[str, ...]:
    """Every character Python's `re` matches with this one-character pattern."""
    compiled = re.compile(pattern)
    return tuple(c for c in map(chr, range(sys.maxunicode + 1)) if compiled.fullmatch(c))


def unmatched_in_duckdb(texts: list[str], pattern: str) -> list[str]:
    """The texts that DuckDB's RE2 does not match as a whole with `pattern`."""
    con = duckdb.connect()
    try:
        con.register("texts", pd.DataFrame({"text": pd.Series(texts, dtype=object)}))
        rows = con.execute(
            "SELECT text FROM texts WHERE NOT regexp_full_match(text, $pattern)",
            {"pattern": pattern},
        ).fetchall()
    finally:
        con.close()
    return [row[0] for row in rows]


def test_the_screens_white_space_is_pythons() -> None:
    spaces = list(python_class(r"\s"))
    assert len(spaces) >= 25  # Unicode's white space, not ASCII's alone
    assert unmatched_in_duckdb(spaces, redact_module._RE2_SPACE) == []


def test_every_digit_python_reads_is_a_digit_to_the_screen() -> None:
    digits = list(python_class(r"\d"))
    assert len(digits) >= 600  # every script's digits
    assert unmatched_in_duckdb(digits, r"\p{Nd}") == []


def _spellings(word: str) -> list[str]:
    """Every way of writing `word` that Python's ignore-case matches ("ſocİal" for "social")."""
    letters = python_class("(?i)[a-z]")
    variants = [[c for c in letters if re.fullmatch(f"(?i){letter}", c)] for letter in word]
    return ["".join(chosen) for chosen in itertools.product(*variants)]


def test_the_screen_reads_every_case_of_a_profile_sites_domain() -> None:
    inside = re.search(r"\(\?i:([^)]*)\)", redact_module._GATE_BARE.pattern)
    domains = inside.group(1).split("|")
    assert "social" in domains
    texts = [f"see x{'.'}{spelling}/name" for word in domains for spelling in _spellings(word)]
    assert any("ı" in text for text in texts) and any("ſ" in text for text in texts)
    assert gated(texts) == set(range(len(texts)))
    assert screened(texts) == set(range(len(texts)))


def test_the_screen_flags_every_labelled_and_spliced_answer_a_gate_opens() -> None:
    texts = [case.text for case in CASES] + _spliced_answers(3000)
    opened = gated(texts)
    assert len(opened) > len(CASES) // 2  # the set has plenty for the gates to find
    assert opened <= screened(texts)
    # Every labelled piece of personal data is in an answer the screen lets through.
    assert {i for i, case in enumerate(CASES) if case.expected} <= screened(texts)


# Answers built from what each gate looks for, written every way the gate accepts, among
# random text; and the characters RE2 reads differently from Python.
SPACES = [c for c in map(chr, range(0x3001)) if c.isspace()]
DIGITS = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isdecimal()]
DOMAINS = re.search(r"\(\?i:([^)]*)\)", redact_module._GATE_BARE.pattern).group(1).split("|")
AT_WORDS = ["at", "AT", "At", "arroba", "ARROBA", "arobase", "AROBASE", "собака", "@", "\uff20"]
DOT_WORDS = [*redact_module._SPELLED_WORDS, "."]
space = st.sampled_from(SPACES)
# Any character but lone surrogates, which no export decodes to and UTF-8 cannot carry.
char = st.characters(blacklist_categories=("Cs",))
some_space = st.text(space, max_size=2)


def spaced(words: list[str]) -> st.SearchStrategy[str]:
    """ " AT ", "\u3000arroba\n": a word with white space either side."""
    return st.tuples(space, st.sampled_from(words), space).map("".join)


def bracketed(words: list[str]) -> st.SearchStrategy[str]:
    """ "[at]", "( dot )", "<\u00a0point>": a word in brackets, with or without white space."""
    return st.tuples(
        st.sampled_from("([{<"), some_space, st.sampled_from(words), some_space,
        st.sampled_from(")]}>"),
    ).map("".join)  # fmt: skip


gap = st.text(
    st.one_of(st.characters(blacklist_categories=("Nd", "Cs")), st.sampled_from(" -.()+/")),
    max_size=10,
)
digit_run = st.lists(st.tuples(st.sampled_from(DIGITS), gap), min_size=7, max_size=8).map(
    lambda pairs: "".join(digit + between for digit, between in pairs)
)
dot_like = st.one_of(st.sampled_from([".", "\uff0e"]), bracketed(DOT_WORDS), spaced(DOT_WORDS))
weak_at = spaced(["at", "собака"])
gate_piece = st.one_of(
    st.sampled_from(["://", "@", "\uff20", "#", "/", "."]),
    st.text(st.sampled_from("wW"), min_size=3, max_size=3).map(lambda www: www + "."),
    st.sampled_from(DOMAINS)
    .flatmap(lambda d: st.sampled_from(_spellings(d)))
    .map(lambda domain: f".{domain}/"),
    bracketed(AT_WORDS),
    spaced(AT_WORDS),
    digit_run,
    st.tuples(weak_at, st.text(char, max_size=6), dot_like).map("".join),
    st.tuples(dot_like, st.text(char, max_size=6), weak_at).map("".join),
    dot_like,
    weak_at,
)
answer = st.lists(st.one_of(gate_piece, st.text(char, max_size=8), space), max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(answer, min_size=1, max_size=40))
def test_the_screen_flags_every_generated_answer_a_gate_opens(texts: list[str]) -> None:
    assert gated(texts) <= screened(texts)


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(answer, min_size=1, max_size=40), dtype=st.sampled_from(["str", "object"]))
def test_redacting_a_series_is_redact_on_each_answer(texts: list[str], dtype: str) -> None:
    series = pd.Series(texts + texts[:3], dtype=dtype)
    assert redact_series(series).tolist() == [redact(text) for text in texts + texts[:3]]
