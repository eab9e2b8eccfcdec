"""The sample consultation, imported through the CLI, gives the generator's own figures."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from dashboard import cli
from tests.conftest import SAMPLE_DIR


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_generate", SAMPLE_DIR / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _expected(args: list[str] | None = None) -> dict:
    """Summary figures computed from the generator's records, without the dashboard's code."""
    generator = _generator()
    records = generator.generate_respondents()
    definition = generator.load_definition()
    theme_of = {q: t["id"] for t in definition["themes"] for q in t["questions"]}
    opens, closes = definition["opens"], definition["closes"]

    def period(moment) -> str:
        return "before" if moment < opens else "after" if moment > closes else "during"

    result = {"respondents": 0, "responses": 0}
    groups: dict[str, dict[str, dict[str, set | int]]] = {
        name: defaultdict(lambda: {"respondents": set(), "responses": 0})
        for name in ("window", "by_region", "by_language", "by_theme", "by_day")
    }
    for record in records:
        answered = [q for q, text in record.answers.items() if text.strip()]
        result["respondents"] += 1
        result["responses"] += len(answered)
        for name, key in (
            ("window", period(record.submitted_at)),
            ("by_region", record.region),
            ("by_language", record.language),
            ("by_day", record.submitted_at.strftime("%Y-%m-%d")),
        ):
            groups[name][key]["respondents"].add(record.respondent_id)
            groups[name][key]["responses"] += len(answered)
        for question in answered:
            theme = groups["by_theme"][theme_of[question]]
            theme["respondents"].add(record.respondent_id)
            theme["responses"] += 1
    for name, counts in groups.items():
        result[name] = {
            key: {"respondents": len(value["respondents"]), "responses": value["responses"]}
            for key, value in counts.items()
        }
    return result


@pytest.fixture(scope="module")
def expected() -> dict:
    return _expected()


@pytest.fixture(scope="module")
def actual(sample_db: Path) -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert (
            cli.main(
                ["summary", "--consultation", "civic-space-2020", "--db", str(sample_db), "--json"]
            )
            == 0
        )
    return json.loads(out.getvalue())


def test_totals_match_the_generator(actual: dict, expected: dict) -> None:
    assert actual["respondents"] == expected["respondents"] == 3000
    assert actual["responses"] == expected["responses"]


@pytest.mark.parametrize("breakdown", ["window", "by_region", "by_language", "by_theme", "by_day"])
def test_breakdowns_match_the_generator(actual: dict, expected: dict, breakdown: str) -> None:
    nonzero = {k: v for k, v in actual[breakdown].items() if v["respondents"] or v["responses"]}
    assert nonzero == expected[breakdown]


@pytest.mark.parametrize("breakdown", ["window", "by_region", "by_language", "by_day"])
def test_every_respondent_is_counted_once_in_each_breakdown(actual: dict, breakdown: str) -> None:
    assert sum(v["respondents"] for v in actual[breakdown].values()) == actual["respondents"]
    assert sum(v["responses"] for v in actual[breakdown].values()) == actual["responses"]


def test_all_five_regions_and_six_languages_are_listed(actual: dict) -> None:
    assert {"Africa", "Americas", "Asia", "Europe", "Oceania", "Unknown"} <= actual[
        "by_region"
    ].keys()
    assert {"ar", "zh", "en", "fr", "ru", "es"} <= actual["by_language"].keys()


def test_every_country_form_in_the_exports_resolves_as_the_generator_meant() -> None:
    from dashboard.reference.geo import resolve_country

    wrong = {}
    for text, iso3 in _generator().country_forms().items():
        found = resolve_country(text)
        if (found.iso3 if found else None) != iso3:
            wrong[text] = (iso3, found.iso3 if found else None)
    assert wrong == {}
