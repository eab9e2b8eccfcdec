"""The codebook's format and its keyword matching in the six UN languages."""

from __future__ import annotations

import pytest

from dashboard.coding.codebook import (
    Codebook,
    CodebookError,
    Tagger,
    codebook_from_dict,
    fold,
    highlight_spans,
    load_codebook,
    parse_codebook,
)
from dashboard.definition.consultation import load_consultation
from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "civic-space-2020.toml"
SAMPLE_CODEBOOK = ROOT / "sample_data" / "civic-space-2020.codebook.toml"


def tagger(**keywords: list[str]) -> Tagger:
    return Tagger(
        codebook_from_dict(
            {
                "codes": [
                    {"id": code.replace("_", "-"), "label": {"en": code}, "keywords": words}
                    for code, words in keywords.items()
                ]
            }
        )
    )


@pytest.mark.parametrize(
    ("keywords", "text", "expected"),
    [
        # English: whole words unless the keyword says otherwise.
        (["fund"], "We need a fund for partners.", True),
        (["fund"], "A fundamental right.", False),
        (["fund"], "Please refund us.", False),
        (["fund*"], "Funding is short.", True),
        (["fund*"], "Please refund us.", False),
        (["*fund"], "Please refund us.", True),
        (["foreign agent*"], 'So-called "Foreign Agents" laws.', True),
        (["foreign agent*"], "foreign\n  agent law", True),  # spaces and line breaks fold
        (["upr"], "The UPR process.", True),
        (["upr"], "Uprising", False),
        # French: accents kept, apostrophes of either kind.
        (["représailles"], "Chaque cas de REPRÉSAILLES devrait être suivi.", True),
        (["agents de l'étranger"], "les lois sur les agents de l’étranger", True),
        (["financement*"], "Le financement pluriannuel", True),
        # Spanish.
        (["represalia*"], "Cada caso de represalias debe documentarse.", True),
        (["registro"], "el registro de ONG", True),
        (["registro"], "registros", False),
        # Russian: Cyrillic words, ё folded to е.
        (["репресси*"], "Каждый случай репрессий следует документировать.", True),
        (["финансирование"], "Финансирование партнеров", True),
        (["финансирование"], "Финансированием", False),
        (["финансировани*"], "Финансированием партнеров", True),
        (["ещё"], "Ещё раз", True),
        (["еще"], "Ещё раз", True),
        # Chinese: no spaces, keywords match anywhere.
        (["报复"], "每一起报复案件都应记录在案", True),
        (["资助"], "对合作伙伴的资助应灵活且长期", True),
        (["资助"], "对合作伙伴的资金应灵活", False),
        # Arabic: letter variants and diacritics folded, prefixes allowed, endings allowed.
        (["انتقام"], "ينبغي توثيق كل حالة انتقام ومتابعتها", True),
        (["انتقام"], "حالة الانتقام", True),  # the article
        (["انتقام"], "والانتقام", True),  # conjunction and article
        (["انتقام"], "انتقامية", True),  # an ending
        (["انتقام"], "انْتِقَامٍ", True),  # with diacritics
        (["تمويل"], "التَّمويل", True),
        (["تمويل"], "وتمويل الشركاء", True),
        (["أسماء"], "اسماء المشاركين", True),  # hamza on alef, or not
        (["اسماء"], "أسماء المشاركين", True),
        (["المراة"], "المرأة", True),
        (["موافقة"], "دون موافقتهم", False),  # ة folds to ه, and "موافقه" is not "موافقت"
        (["موافقت"], "دون موافقتهم", True),
        (["سرية"], "قناة سريّة", True),  # shadda
        (["تمويل"], "استمويل", False),  # inside another word, not after a prefix
    ],
)
def test_keyword_matching(keywords: list[str], text: str, expected: bool) -> None:
    assert bool(tagger(code=keywords).tag(text)) is expected


def test_an_answer_gets_every_code_it_matches_with_the_keyword_that_found_it() -> None:
    t = tagger(
        funding=["fund*", "资助"],
        gender=["women", "女性"],
        digital=["online harassment", "网络骚扰"],
    )
    assert t.tag("Women defenders face online harassment and lack funding.") == {
        "funding": "fund*",
        "gender": "women",
        "digital": "online harassment",
    }
    assert t.tag("女性人权维护者面临网络骚扰。") == {"gender": "女性", "digital": "网络骚扰"}
    assert t.tag("Nothing here.") == {}


def test_codes_sharing_a_keyword_both_match() -> None:
    t = tagger(reprisals=["intimidation"], protection=["intimidation"])
    assert set(t.tag("Intimidation of activists")) == {"reprisals", "protection"}


def test_an_empty_codebook_tags_nothing() -> None:
    assert Tagger(Codebook()).tag("Anything at all") == {}


@pytest.mark.parametrize(
    ("text", "keyword", "shown"),
    [
        ("Every case of Reprisal should be documented.", "reprisal*", "Reprisal"),
        ("حالة الانْتِقَامٍ", "انتقام", "انْتِقَامٍ"),
        ("Funding is short", "fund*", "Funding"),
        ("A fund, a funder", "fund", "fund"),
        ("每一起报复案件", "报复", "报复"),
        ("Foreign   agents laws", "foreign agent*", "Foreign   agents"),
    ],
)
def test_highlight_spans_point_into_the_text_as_written(text, keyword, shown) -> None:
    t = tagger(code=[keyword])
    spans = highlight_spans(text, t, ["code"])
    assert [text[start:end] for start, end in spans] == [shown]


def test_fold_is_what_the_notes_say() -> None:
    assert fold("ÉTÉ  Été\n") == "été été "
    assert fold("أإآٱ ى ة ؤ ئ ـ") == "اااا ي ه و ي "
    assert fold("Ёлка") == "елка"
    assert fold("ＡＢＣ") == "abc"  # full-width letters (NFKC)


def test_the_sample_codebook_is_valid_and_covers_six_languages() -> None:
    consultation = load_consultation(SAMPLE)
    codebook = load_codebook(SAMPLE_CODEBOOK, consultation)
    assert len(codebook.codes) >= 10
    themes = {t.id for t in consultation.themes}
    for code in codebook.codes:
        assert set(code.labels) == {"en", "fr", "es", "ar", "zh", "ru"}, code.id
        assert not code.theme_id or code.theme_id in themes
    t = Tagger(codebook)
    sentences = {
        "en": "Every case of reprisal should be documented.",
        "fr": "Chaque cas de représailles devrait être documenté.",
        "es": "Cada caso de represalia debería documentarse.",
        "ar": "ينبغي توثيق كل حالة انتقام ومتابعتها.",
        "zh": "每一起报复案件都应记录在案。",
        "ru": "Каждый случай репрессий следует документировать.",
    }
    for language, sentence in sentences.items():
        assert "reprisals" in t.tag(sentence), language


def test_a_codebook_round_trips_through_toml() -> None:
    codebook = load_codebook(SAMPLE_CODEBOOK)
    assert parse_codebook(codebook.to_toml()) == codebook


@pytest.mark.parametrize(
    ("entry", "field", "says"),
    [
        ({"id": "Bad Id", "label": {"en": "x"}}, "codes[0].id", "lower-case"),
        ({"id": "x", "label": {}}, "codes.x.label", "at least one label"),
        ({"id": "x", "label": {"en": "x"}, "keywords": "fund"}, "codes.x.keywords", "list"),
        ({"id": "x", "label": {"en": "x"}, "keywords": ["***"]}, "codes.x.keywords", "nothing"),
        ({"id": "x", "label": {"en": "x"}, "keywords": ["a*b"]}, "codes.x.keywords", "only open"),
        ({"id": "x", "label": {"en": "x"}, "theme": "nope"}, "codes.x.theme", "not a theme"),
        ({"id": "x", "label": {"en": "x"}, "colour": "red"}, "codes.x", "unknown key"),
    ],
)
def test_problems_are_named_by_field(entry: dict, field: str, says: str) -> None:
    consultation = load_consultation(SAMPLE)
    with pytest.raises(CodebookError) as caught:
        codebook_from_dict({"codes": [entry]}, consultation)
    assert says in caught.value.problems[field]


def test_two_codes_with_one_id_are_refused() -> None:
    entry = {"id": "x", "label": {"en": "x"}}
    with pytest.raises(CodebookError) as caught:
        codebook_from_dict({"codes": [entry, entry]})
    assert "two codes" in caught.value.problems["codes.x.id"]


def test_a_codebook_for_another_consultation_is_refused() -> None:
    with pytest.raises(CodebookError) as caught:
        codebook_from_dict({"consultation": "other"}, load_consultation(SAMPLE))
    assert "not for" in caught.value.problems["consultation"]


def test_bad_toml_is_refused_with_a_message() -> None:
    with pytest.raises(CodebookError, match="not valid TOML"):
        parse_codebook("[[codes]\nid =")
