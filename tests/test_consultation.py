"""The consultation definition: the issue's example is accepted, mistakes are named by field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dashboard.definition.consultation import ConsultationError, parse_consultation

EXAMPLE = """
id = "civic-space-2020"
title = "Online consultation on civil society space"
opens = 2020-01-13T09:00:00Z
closes = 2020-01-24T18:00:00Z
timezone = "UTC"
languages = ["en", "fr", "es", "ar", "zh", "ru"]
[[themes]]
id = "partnership"
label.en = "Partnership and participation"
questions = ["q1", "q2"]
[[questions]]
id = "q1"
theme = "partnership"
text.en = "How can the UN best partner with civil society at national level?"
"""


def test_the_issue_example_is_accepted() -> None:
    consultation = parse_consultation(EXAMPLE)
    assert consultation.id == "civic-space-2020"
    assert consultation.opens == datetime(2020, 1, 13, 9, tzinfo=UTC)
    assert consultation.closes == datetime(2020, 1, 24, 18, tzinfo=UTC)
    assert consultation.languages == ("en", "fr", "es", "ar", "zh", "ru")
    assert [t.id for t in consultation.themes] == ["partnership"]
    # q2 is listed by the theme only: it still exists, in that theme.
    assert [(q.id, q.theme_id) for q in consultation.questions] == [
        ("q1", "partnership"),
        ("q2", "partnership"),
    ]
    assert consultation.question("q1").text("fr").startswith("How can the UN")
    assert consultation.themes[0].label("ar") == "Partnership and participation"


def test_round_trip_through_toml() -> None:
    consultation = parse_consultation(EXAMPLE)
    assert parse_consultation(consultation.to_toml()) == consultation


def test_languages_may_be_written_as_names() -> None:
    text = EXAMPLE.replace('["en", "fr", "es", "ar", "zh", "ru"]', '["English", "Français"]')
    assert parse_consultation(text).languages == ("en", "fr")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('id = "civic-space-2020"', 'id = "Civic Space!"'), "id"),
        (('id = "civic-space-2020"', ""), "id"),
        (('title = "Online consultation on civil society space"', 'title = "  "'), "title"),
        (("opens = 2020-01-13T09:00:00Z", "opens = 2020-01-13T09:00:00"), "opens"),
        (("closes = 2020-01-24T18:00:00Z", "closes = 2020-01-01T18:00:00Z"), "closes"),
        (("closes = 2020-01-24T18:00:00Z", ""), "closes"),
        (('timezone = "UTC"', 'timezone = "Mars/Olympus"'), "timezone"),
        (('["en", "fr", "es", "ar", "zh", "ru"]', '["en", "klingon"]'), "languages"),
        (('["en", "fr", "es", "ar", "zh", "ru"]', "[]"), "languages"),
        (('theme = "partnership"', 'theme = "nowhere"'), "questions[1].theme"),
        (('[[themes]]\nid = "partnership"', '[[themes]]\nid = ""'), "themes[1].id"),
    ],
)
def test_mistakes_are_named_by_field(change: tuple[str, str], field: str) -> None:
    old, new = change
    assert old in EXAMPLE
    with pytest.raises(ConsultationError) as caught:
        parse_consultation(EXAMPLE.replace(old, new), source="x.toml")
    assert field in caught.value.problems
    assert "x.toml" in str(caught.value)


def test_not_toml_is_refused_clearly() -> None:
    with pytest.raises(ConsultationError, match="not valid TOML"):
        parse_consultation("id = ")


def test_a_question_in_two_themes_is_refused() -> None:
    text = EXAMPLE + '\n[[themes]]\nid = "protection"\nquestions = ["q1"]\n'
    with pytest.raises(ConsultationError) as caught:
        parse_consultation(text)
    assert "themes.protection.questions" in caught.value.problems


def test_the_sample_definition_is_valid(sample_consultation) -> None:
    assert len(sample_consultation.themes) == 3
    assert len(sample_consultation.questions) == 9
    for question in sample_consultation.questions:
        assert set(question.texts) == {"en", "fr", "es", "ar", "zh", "ru"}


TITLED = EXAMPLE.replace(
    'title = "Online consultation on civil society space"',
    'title.en = "Online consultation on civil society space"\n'
    'title.fr = "Consultation en ligne sur l\'espace de la société civile"\n'
    'title."Русский" = "Онлайн-консультация по вопросу о пространстве для гражданского общества"',
)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", "Online consultation on civil society space"),
        ("fr", "Consultation en ligne sur l'espace de la société civile"),
        ("ru", "Онлайн-консультация по вопросу о пространстве для гражданского общества"),
        # No Spanish title: the English one, marked as English.
        ("es", "Online consultation on civil society space (en)"),
    ],
)
def test_a_title_by_language_is_shown_in_the_language_in_force(lang: str, shown: str) -> None:
    from dashboard.reference import i18n

    consultation = parse_consultation(TITLED)
    assert consultation.title == "Online consultation on civil society space"
    assert set(consultation.titles) == {"en", "fr", "ru"}  # a language name read as its code
    with i18n.using(lang):
        assert consultation.display_title() == shown
    assert parse_consultation(consultation.to_toml()) == consultation


def test_a_title_written_once_is_shown_as_written_in_every_language() -> None:
    from dashboard.reference import i18n

    consultation = parse_consultation(EXAMPLE)
    assert consultation.titles == {}
    with i18n.using("ar"):
        assert consultation.display_title() == "Online consultation on civil society space"
    assert 'title = "Online consultation' in consultation.to_toml()


@pytest.mark.parametrize(
    "title", ['title.en = "  "', "title.en = 3", "title = {}", 'title.fr = ""']
)
def test_a_title_table_without_a_text_is_refused(title: str) -> None:
    text = EXAMPLE.replace('title = "Online consultation on civil society space"', title)
    with pytest.raises(ConsultationError) as refused:
        parse_consultation(text)
    assert set(refused.value.problems) == {"title"}
