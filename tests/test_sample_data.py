"""The sample consultation: its definition, its generator and the exports it wrote.

These tests use no code from the ``dashboard`` package: they check that the sample is what
the other tests take it to be (the ground truth of ``generate_respondents()``), that the
committed files are exactly what the generator writes, and that the exports, read back with
the standard library and openpyxl, say what the ground truth says.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import sys
import tomllib
import zipfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import openpyxl
import pytest

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
LANGUAGES = {"en", "fr", "es", "ar", "zh", "ru"}
REGIONS = {"Africa", "Americas", "Asia", "Europe", "Oceania"}
QIDS = [f"q{n}" for n in range(1, 10)]


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sample_data_generate", SAMPLE_DIR / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _load_generator()


@pytest.fixture(scope="module")
def respondents(gen):
    return gen.generate_respondents()


@pytest.fixture(scope="module")
def definition() -> dict:
    with (SAMPLE_DIR / "civic-space-2020.toml").open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def window(definition) -> tuple[datetime, datetime]:
    return definition["opens"].astimezone(UTC), definition["closes"].astimezone(UTC)


def _blank(text: str) -> bool:
    return not text.strip()


def _xlsx_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# ----------------------------------------------------------------------------- definition


def test_definition_has_three_themes_and_nine_questions_in_six_languages(definition):
    assert definition["id"] == "civic-space-2020"
    assert definition["title"]["en"] == "Online consultation on civil society space"
    assert set(definition["title"]) == set(definition["languages"])
    assert definition["opens"] == datetime(2020, 1, 13, 9, 0, tzinfo=UTC)
    assert definition["closes"] == datetime(2020, 1, 24, 18, 0, tzinfo=UTC)
    assert definition["timezone"] == "UTC"
    assert definition["languages"] == ["en", "fr", "es", "ar", "zh", "ru"]

    themes = definition["themes"]
    assert [t["id"] for t in themes] == ["partnership", "protection", "promotion"]
    questions = definition["questions"]
    assert [q["id"] for q in questions] == QIDS
    for theme in themes:
        assert set(theme["label"]) == LANGUAGES
        assert all(label.strip() for label in theme["label"].values())
        assert len(theme["questions"]) == 3
        assert all(q["theme"] == theme["id"] for q in questions if q["id"] in theme["questions"])
    assert sorted(q for t in themes for q in t["questions"]) == QIDS
    for question in questions:
        assert set(question["text"]) == LANGUAGES
        texts = question["text"]
        assert all(text.strip() for text in texts.values())
        assert texts["en"].endswith("?")
        assert re.search("[\u0600-\u06ff]", texts["ar"])
        assert re.search("[\u4e00-\u9fff]", texts["zh"])
        assert re.search("[\u0400-\u04ff]", texts["ru"])
    for lang in LANGUAGES:
        # Nine different questions in every language.
        assert len({q["text"][lang] for q in questions}) == 9


def test_mapping_files_parse_and_match_the_exports(definition):
    with (SAMPLE_DIR / "reponses_fr.mapping.toml").open("rb") as fh:
        fr = tomllib.load(fh)
    assert fr == {
        "format": "long",
        "columns": {
            "respondent_id": "Identifiant",
            "submitted_at": "Date de soumission",
            "country": "Pays",
            "language": "Langue",
            "stakeholder_type": "Type d'acteur",
            "question_id": "Question",
            "answer": "Réponse",
        },
        "parse": {"day_first": True, "timezone": "Europe/Paris"},
    }
    with (SAMPLE_DIR / "responses_ru.mapping.toml").open("rb") as fh:
        ru = tomllib.load(fh)
    assert ru["format"] == "wide"
    assert ru["sheet"] == "Ответы"
    assert ru["columns"] == {
        "respondent_id": "Идентификатор",
        "submitted_at": "Дата отправки",
        "country": "Страна",
        "language": "Язык",
        "stakeholder_type": "Тип участника",
    }
    assert ru["questions"] == {q["text"]["ru"]: q["id"] for q in definition["questions"]}
    assert ru["parse"] == {"timezone": "Europe/Moscow"}


# ----------------------------------------------------------------------------- generator


def test_generator_is_deterministic(gen, respondents):
    assert gen.generate_respondents() == respondents
    assert gen.render_files() == gen.render_files()


def test_committed_files_are_what_the_generator_writes(gen, tmp_path):
    written = gen.main(tmp_path)
    assert sorted(p.name for p in written) == sorted(gen.OUTPUT_FILES)
    for path in written:
        committed = (SAMPLE_DIR / path.name).read_bytes()
        fresh = path.read_bytes()
        if path.suffix == ".xlsx":
            # Compare the contents of the zip entries: the compressed bytes could differ
            # with another zlib.
            assert _xlsx_entries(committed) == _xlsx_entries(fresh), path.name
        else:
            assert committed == fresh, f"{path.name}: run `make sample` and commit"


def test_sample_files_stay_small(gen):
    total = sum((SAMPLE_DIR / name).stat().st_size for name in gen.OUTPUT_FILES)
    assert total < 3 * 1024 * 1024


def test_respondent_fields(respondents):
    assert 2500 <= len(respondents) <= 3500
    ids = [r.respondent_id for r in respondents]
    assert len(set(ids)) == len(ids)
    prefix = {"responses_en.csv": "EN-", "reponses_fr.csv": "FR-", "responses_ru.xlsx": "RU-"}
    for r in respondents:
        assert r.respondent_id.startswith(prefix[r.export])
        assert r.submitted_at.tzinfo is not None
        assert r.submitted_at.utcoffset().total_seconds() == 0
        assert set(r.answers) <= set(QIDS)
        assert r.stakeholder_type
    assert {r.export for r in respondents} == set(prefix)
    assert {r.stakeholder_type for r in respondents} == {
        "Civil society organization",
        "Human rights defender",
        "National human rights institution",
        "Academic",
        "Government",
        "Individual",
        "Other",
    }


def test_countries_and_regions(gen, respondents):
    countries = {r.country_iso3 for r in respondents if r.country_iso3}
    assert len(countries) >= 120
    assert {r.region for r in respondents} == REGIONS | {"Unknown"}
    for r in respondents:
        if r.country_iso3 is None:
            assert r.region == "Unknown"
        else:
            assert re.fullmatch("[A-Z]{3}", r.country_iso3)
            assert r.region == gen.COUNTRY_BY_ISO3[r.country_iso3].region
    unknown = sum(r.country_iso3 is None for r in respondents)
    assert 0.01 * len(respondents) <= unknown <= 0.02 * len(respondents)
    by_region = Counter(r.region for r in respondents)
    for region in ("Africa", "Asia", "Americas", "Europe"):
        assert by_region[region] > 4 * by_region["Oceania"] > 0


def test_a_few_well_known_regions(gen):
    # The M49 regions that are easiest to get wrong.
    expected = {
        "RUS": "Europe",
        "UKR": "Europe",
        "TUR": "Asia",
        "CYP": "Asia",
        "GEO": "Asia",
        "ARM": "Asia",
        "KAZ": "Asia",
        "PSE": "Asia",
        "ISR": "Asia",
        "EGY": "Africa",
        "SDN": "Africa",
        "MEX": "Americas",
        "HTI": "Americas",
        "PNG": "Oceania",
        "TLS": "Asia",
    }
    assert {iso3: gen.COUNTRY_BY_ISO3[iso3].region for iso3 in expected} == expected


def test_languages(respondents):
    by_language = Counter(r.language for r in respondents)
    assert set(by_language) == LANGUAGES
    assert all(count >= 30 for count in by_language.values())
    export_of = {"fr": "reponses_fr.csv", "ru": "responses_ru.xlsx"}
    for r in respondents:
        assert r.export == export_of.get(r.language, "responses_en.csv")


def test_answers(respondents):
    texts = [a for r in respondents for a in r.answers.values()]
    nonblank = [a for a in texts if not _blank(a)]
    all_blank = [r for r in respondents if all(_blank(a) for a in r.answers.values())]
    assert 0.015 * len(respondents) <= len(all_blank) <= 0.05 * len(respondents)
    assert any(r.answers == {} for r in all_blank)
    assert any(r.answers and r.export == "responses_en.csv" for r in all_blank)
    assert any(a and _blank(a) for a in texts), "whitespace-only answers"
    for char in ("\n", ",", ";", '"'):
        assert any(char in a for a in nonblank), repr(char)
    counts = Counter(len(r.answers) for r in respondents)
    assert counts[9] > 0 and counts[1] > 0
    # Answers in the respondent's script.
    script = {"ar": "[\u0600-\u06ff]", "zh": "[\u4e00-\u9fff]", "ru": "[\u0400-\u04ff]"}
    for r in respondents:
        if r.language in script:
            for a in r.answers.values():
                if not _blank(a):
                    assert re.search(script[r.language], a), (r.respondent_id, a)


# ----------------------------------------------------------------------------- arrivals


def _per_day(respondents) -> Counter:
    return Counter(r.submitted_at.date() for r in respondents)


def test_submissions_before_and_after_the_window(respondents, window):
    opens, closes = window
    before = [r for r in respondents if r.submitted_at < opens]
    after = [r for r in respondents if r.submitted_at > closes]
    assert 5 <= len(before) <= 15
    assert 10 <= len(after) <= 30
    assert any(r.submitted_at.date() < opens.date() for r in before)
    assert any(r.submitted_at.date() == opens.date() for r in before)
    assert any(r.submitted_at.date() == closes.date() for r in after)
    assert any(r.submitted_at.date() > closes.date() for r in after)
    for export in {r.export for r in respondents}:
        assert any(r.export == export for r in before)
        assert any(r.export == export for r in after)
    # The bounds belong to the window, and someone submitted exactly at each.
    assert any(r.submitted_at == opens for r in respondents)
    assert any(r.submitted_at == closes for r in respondents)


def test_weekend_has_fewer_arrivals_than_the_weekdays_around_it(respondents):
    days = _per_day(respondents)
    weekend = (date(2020, 1, 18), date(2020, 1, 19))
    around = (date(2020, 1, 17), date(2020, 1, 20))
    assert max(days[d] for d in weekend) < min(days[d] for d in around)


def test_launch_day_and_last_day_are_peaks(respondents):
    days = _per_day(respondents)
    launch, last = date(2020, 1, 13), date(2020, 1, 24)
    between = [date(2020, 1, n) for n in range(14, 24)]
    assert days[launch] > max(days[d] for d in between)
    assert days[last] > max(days[d] for d in between)
    # Decay after the launch, and a rise towards the close.
    assert days[date(2020, 1, 14)] > days[date(2020, 1, 16)]
    assert days[date(2020, 1, 23)] > days[date(2020, 1, 21)]


# ----------------------------------------------------------------------------- exports


def test_english_export_says_what_the_truth_says(gen, respondents):
    truth = [r for r in respondents if r.export == "responses_en.csv"]
    forms = gen.country_forms()
    raw = (SAMPLE_DIR / "responses_en.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    header = ["Respondent ID", "Submitted at", "Country", "Language", "Stakeholder type"]
    assert rows[0] == header + [f"Q{n}" for n in range(1, 10)]
    assert len(rows) - 1 == len(truth)
    language_forms = Counter()
    for row, r in zip(rows[1:], truth, strict=True):
        rid, when, country, language, stakeholder, *answers = row
        assert rid == r.respondent_id
        assert re.fullmatch(r"2020-01-\d\d[T ]\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", when)
        assert datetime.fromisoformat(when) == r.submitted_at
        assert forms[country] == r.country_iso3
        assert stakeholder == r.stakeholder_type
        assert answers == [r.answers.get(q, "") for q in QIDS]
        language_forms[language] += 1
    assert {"es", "en-GB", "Arabic", "العربية", "中文", "Español"} <= set(language_forms)
    countries = {row[2] for row in rows[1:]}
    assert {"Iran (Islamic Republic of)", "Türkiye", "State of Palestine"} <= countries
    assert {"USA", "GB", "中国", "México", "Atlantis", ""} <= countries
    assert "NA" not in countries and "N/A" not in countries


def test_french_export_says_what_the_truth_says(gen, respondents):
    truth = {r.respondent_id: r for r in respondents if r.export == "reponses_fr.csv"}
    forms = gen.country_forms()
    raw = (SAMPLE_DIR / "reponses_fr.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\n", 1)[0].endswith(b"\r")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [
        "Identifiant",
        "Date de soumission",
        "Pays",
        "Langue",
        "Type d'acteur",
        "Question",
        "Réponse",
    ]
    paris = ZoneInfo("Europe/Paris")
    seen: dict[str, dict[str, str]] = {}
    for rid, when, country, language, stakeholder, question, answer in rows[1:]:
        r = truth[rid]
        assert re.fullmatch(r"\d\d/01/2020 \d\d:\d\d", when)
        local = datetime.strptime(when, "%d/%m/%Y %H:%M").replace(tzinfo=paris)
        assert local.astimezone(UTC) == r.submitted_at
        assert language == "Français"
        assert forms[country] == r.country_iso3
        assert stakeholder == r.stakeholder_type
        answers = seen.setdefault(rid, {})
        if question == "":
            assert answer == "" and r.answers == {}
        else:
            assert re.fullmatch("Q[1-9]", question)
            answers[question.lower()] = answer
    assert seen == {rid: r.answers for rid, r in truth.items()}
    countries = {row[2] for row in rows[1:]}
    assert {"Côte d'Ivoire", "Sénégal", "République démocratique du Congo", "Haïti"} <= countries


def test_russian_export_says_what_the_truth_says(gen, respondents, definition):
    truth = [r for r in respondents if r.export == "responses_ru.xlsx"]
    forms = gen.country_forms()
    workbook = openpyxl.load_workbook(SAMPLE_DIR / "responses_ru.xlsx")
    assert workbook.sheetnames == ["Ответы"]
    rows = list(workbook["Ответы"].iter_rows(values_only=True))
    header = ["Идентификатор", "Дата отправки", "Страна", "Язык", "Тип участника"]
    assert list(rows[0]) == header + [q["text"]["ru"] for q in definition["questions"]]
    assert len(rows) - 1 == len(truth)
    moscow = ZoneInfo("Europe/Moscow")
    for row, r in zip(rows[1:], truth, strict=True):
        rid, when, country, language, stakeholder, *answers = row
        assert rid == r.respondent_id
        assert isinstance(when, datetime) and when.tzinfo is None
        assert when.replace(tzinfo=moscow).astimezone(UTC) == r.submitted_at
        assert forms[country or ""] == r.country_iso3
        assert language == "Русский"
        assert stakeholder == r.stakeholder_type
        assert [a or "" for a in answers] == [r.answers.get(q, "") for q in QIDS]
    assert {"Российская Федерация", "Казахстан", "Беларусь"} <= {row[2] for row in rows[1:]}
