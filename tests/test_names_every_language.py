"""Country and language names in every language CLDR knows, ambiguous names refused, region names
counted under their country only when the mapping says so, and the report naming what was read
in another language (issue 14, items 5 and 8)."""

from __future__ import annotations

import subprocess
import sys
import time

import pandas as pd
import pytest

from dashboard.definition.consultation import parse_consultation
from dashboard.importer import normalise, pipeline
from dashboard.importer.mapping import Mapping, parse_mapping
from dashboard.reference import geo, languages
from dashboard.reference.geo import resolve_country, subnational_country
from dashboard.reference.languages import resolve_language
from tests.test_consultation import EXAMPLE

# ------------------------------------------------------------------------------ countries

COUNTRY_NAMES = [
    # the names
    ("Deutschland", "DEU"),
    ("Österreich", "AUT"),
    ("Espanya", "ESP"),
    # other languages CLDR knows
    ("Suomi", "FIN"),
    ("Sverige", "SWE"),
    ("Polska", "POL"),
    ("Magyarország", "HUN"),
    ("Schweiz", "CHE"),
    ("Svizzera", "CHE"),
    ("België", "BEL"),
    ("Ελλάδα", "GRC"),
    ("日本", "JPN"),
    ("대한민국", "KOR"),
    ("Україна", "UKR"),
    ("Қазақстан", "KAZ"),
    ("टोगो", "TGO"),  # Hindi: the vowel signs keep Togo and Tonga apart
    ("टोंगा", "TON"),
    # the six UN languages' scripts, two names each
    ("ألمانيا", "DEU"),
    ("المانيا", "DEU"),
    ("德国", "DEU"),
    ("法国", "FRA"),
    ("Россия", "RUS"),
    ("Франция", "FRA"),
    ("Allemagne", "DEU"),
    ("Côte d'Ivoire", "CIV"),
    ("España", "ESP"),
    ("Alemania", "DEU"),
    # common variants, case, accents, punctuation, "The", long and short forms
    ("DEUTSCHLAND", "DEU"),
    ("deutschland", "DEU"),
    ("Osterreich", "AUT"),
    ("The Gambia", "GMB"),
    ("USA", "USA"),
    ("UK", "GBR"),
    ("Türkiye", "TUR"),
    ("Ivory Coast", "CIV"),
    ("Russia", "RUS"),
    ("DRC", "COD"),
    ("Federal Republic of Germany", "DEU"),
]


@pytest.mark.parametrize(("raw", "iso3"), COUNTRY_NAMES)
def test_country_names_in_every_language(raw: str, iso3: str) -> None:
    found = resolve_country(raw)
    assert found is not None and found.iso3 == iso3, raw


# Names that mean one country in one language and another country in another: never guessed.
AMBIGUOUS_COUNTRY_NAMES = [
    "Toga",  # Irish Tóga (Togo), Nheengatu Tõga (Tonga)
    "Kongo",  # either Congo, in many languages
    "Sabiya",  # Serbia in Hausa, Zambia in Nheengatu
    "Lusia",  # Russia in Tongan, Saint Lucia in Yoruba
    "Nigeri",  # Niger in Albanian, Nigeria in Nama
    "لتونی",  # Persian: Latvia or Lithuania
    "Svatý Martin",  # Czech: either part of Saint Martin
    "Korea",
    "Virgin Islands",
]


@pytest.mark.parametrize("raw", AMBIGUOUS_COUNTRY_NAMES)
def test_ambiguous_country_names_stay_unknown(raw: str) -> None:
    assert resolve_country(raw) is None
    assert subnational_country(raw) is None


def test_english_and_iso_resolution_comes_first() -> None:
    # "Congo" alone is the Republic of the Congo, as before, whatever other locales say.
    assert resolve_country("Congo").iso3 == "COG"
    assert resolve_country("Georgia").iso3 == "GEO"  # the country, not the US state
    assert resolve_country("CRI").iso3 == "CRI"


@pytest.mark.parametrize(
    ("raw", "foreign"),
    [
        ("Deutschland", True),
        ("Allemagne", True),
        ("ألمانيا", True),
        ("Deutschland (DE)", True),
        ("Germany", False),
        ("DE", False),
        ("DEU", False),
        ("276", False),
        ("Türkiye", False),
        ("Atlantis", False),
        (None, False),
    ],
)
def test_country_matched_in_another_language(raw: object, foreign: bool) -> None:
    assert geo.matched_in_another_language(raw) is foreign


# ------------------------------------------------------------------------------ regions

SUBNATIONAL = [
    ("Catalunya", "ESP"),
    ("Cataluña", "ESP"),
    ("Bavaria", "DEU"),
    ("Bayern", "DEU"),
    ("Bavière", "DEU"),
    ("Texas", "USA"),
    ("Québec", "CAN"),
    ("Quebec", "CAN"),
    ("Wien", "AUT"),
    ("Île-de-France", "FRA"),
    ("Comunidad Valenciana", "ESP"),
]


@pytest.mark.parametrize(("raw", "iso3"), SUBNATIONAL)
def test_subnational_names_know_their_country(raw: str, iso3: str) -> None:
    assert resolve_country(raw) is None  # a region is not a country
    found = subnational_country(raw)
    assert found is not None and found.iso3 == iso3


@pytest.mark.parametrize(
    "raw",
    [
        "Punjab",  # India and Pakistan
        "Limburg",  # Belgium and the Netherlands
        "Córdoba",  # Argentina and Spain
        "Georgia",  # a country first
        "Luxembourg",
        "Scotland",  # a country name already (the United Kingdom)
        "Taiwan Sheng",  # ISO 3166-1 lists Taiwan on its own
        "Landskapet Åland",
        "Guadeloupe",
        "Laâyoune-Sakia El Hamra",  # partly Western Sahara
        "Kosovo",  # not resolved as a country either
        "Prizrenski okrug",
        "North",
        "Centre",
        "Capital",
        "Atlantis",
        "",
        None,
    ],
)
def test_subnational_names_not_guessed(raw: object) -> None:
    assert subnational_country(raw) is None


# ------------------------------------------------------------------------------ languages

LANGUAGE_NAMES = [
    # the names
    ("castellà", "es"),
    ("Valencià", "ca"),  # Valencian is Catalan in ISO 639
    ("Valencian", "ca"),
    ("Deutsch", "de"),
    ("русский", "ru"),
    ("العربية", "ar"),
    ("中文", "zh"),
    ("français", "fr"),
    # two names per UN script
    ("الفرنسية", "fr"),
    ("الألمانية", "de"),
    ("德语", "de"),
    ("日语", "ja"),
    ("немецкий", "de"),
    ("английский", "en"),
    ("allemand", "de"),
    ("néerlandais", "nl"),
    ("alemán", "de"),
    ("castellano", "es"),
    # every locale's names for every language
    ("Niederländisch", "nl"),
    ("Polnisch", "pl"),
    ("Italienisch", "it"),
    ("韓国語", "ko"),
    ("català", "ca"),
    ("castelán", "es"),
    # codes and tags as before
    ("ca", "ca"),
    ("es", "es"),
    ("fr-CA", "fr"),
    ("DE", "de"),
]


@pytest.mark.parametrize(("raw", "code"), LANGUAGE_NAMES)
def test_language_names_in_every_language(raw: str, code: str) -> None:
    assert resolve_language(raw) == code


@pytest.mark.parametrize(
    "raw",
    ["Norway", "India", "Ireland", "CRI", "Klingon", "Gaelic", "Bahasa", "Swiss German"],
)
def test_not_languages_stay_undetermined(raw: str) -> None:
    # Malay calls Norwegian "Norway", Javanese Hindi "India", Welsh Cree "Cri": not in a
    # language column; Gaelic and Bahasa name two languages each.
    assert resolve_language(raw) == "und"


@pytest.mark.parametrize(
    ("raw", "foreign"),
    [
        ("castellà", True),
        ("Deutsch", True),
        ("русский язык", True),
        ("langue française", True),
        ("Spanish", False),
        ("French language", False),
        ("Mandarin", False),
        ("es", False),
        ("fr-CA", False),
        ("Klingon", False),
    ],
)
def test_language_matched_in_another_language(raw: str, foreign: bool) -> None:
    assert languages.matched_in_another_language(raw) is foreign


# ------------------------------------------------------------------------------ mapping


def test_mapping_subnational_places_round_trip() -> None:
    assert Mapping().subnational_places is False
    assert parse_mapping("[columns]\n").subnational_places is False
    mapping = parse_mapping("[parse]\nsubnational_places = true\n")
    assert mapping.subnational_places is True
    assert "subnational_places = true" in mapping.to_toml()
    assert parse_mapping(mapping.to_toml()).subnational_places is True
    assert "subnational_places" not in Mapping().to_toml()
    assert Mapping().merged_over(mapping).subnational_places is True


def test_mapping_subnational_places_must_be_a_boolean() -> None:
    with pytest.raises(ValueError, match=r"parse\.subnational_places"):
        parse_mapping('[parse]\nsubnational_places = "yes"\n')


# ------------------------------------------------------------------------------ the import

COUNTRIES = ["Deutschland"] * 12 + ["Österreich"] * 3 + ["Espanya", "Germany"]
COUNTRIES += ["Catalunya", "Catalunya", "Texas", "Atlantis"]


def _export() -> bytes:
    lines = ["Respondent ID,Submitted at,Country,Language,Q1"]
    for number, country in enumerate(COUNTRIES):
        language = "castellà" if number < 5 else "de"
        lines.append(f"R{number},2020-01-13T10:00:00Z,{country},{language},Ja")
    return ("\n".join(lines) + "\n").encode()


def _prepare(mapping: Mapping | None = None) -> pipeline.PreparedImport:
    return pipeline.prepare(_export(), "names.csv", parse_consultation(EXAMPLE), mapping)


def test_import_without_subnational_places_keeps_regions_unknown_with_a_hint() -> None:
    prepared = _prepare()
    by_country = prepared.respondents["country_iso3"].value_counts(dropna=False).to_dict()
    assert by_country["DEU"] == 13 and by_country["AUT"] == 3 and by_country["ESP"] == 1
    assert prepared.report.unknown_countries == {"Catalunya": 2, "Texas": 1, "Atlantis": 1}
    notes = prepared.report.notes
    assert (
        "3 country names matched in another language: Deutschland → Germany (12 respondents), "
        "Österreich → Austria (3 respondents), Espanya → Spain (1 respondent)." in notes
    )
    assert (
        "1 language name matched in another language: castellà → Spanish (es) (5 respondents)."
        in notes
    )
    assert (
        "'Catalunya' is a region of Spain: set [parse] subnational_places = true to count it "
        "under Spain (2 respondents kept as Unknown)." in notes
    )
    assert not any("Atlantis" in note for note in notes)


def test_import_with_subnational_places_counts_regions_under_their_country() -> None:
    prepared = _prepare(parse_mapping("[parse]\nsubnational_places = true\n"))
    by_country = prepared.respondents["country_iso3"].value_counts(dropna=False).to_dict()
    assert by_country["ESP"] == 3 and by_country["USA"] == 1
    assert prepared.report.unknown_countries == {"Atlantis": 1}
    regions = prepared.respondents.set_index("country_raw")["region"].to_dict()
    assert regions["Catalunya"] == "Europe" and regions["Texas"] == "Americas"
    assert (
        "2 region names counted under the country ([parse] subnational_places): "
        "Catalunya → Spain (2 respondents), Texas → United States of America (1 respondent)."
        in prepared.report.notes
    )
    # Region names are not reported as names in another language as well.
    assert not any("Catalunya" in n and "another language" in n for n in prepared.report.notes)


def test_places_without_the_flag_count_nothing_new() -> None:
    found = normalise.places(pd.Series(["Catalunya", "Deutschland", None]))
    assert pd.isna(found.country_iso3[0]) and found.country_iso3[1] == "DEU"
    assert found.subnational == {"Catalunya": "ESP"}
    assert found.subnational_counted is False


# ------------------------------------------------------------------------------ cost


def test_lookups_build_in_reasonable_time_and_memory() -> None:
    """Measured in a fresh interpreter: both name tables from every babel locale (Linux)."""
    script = (
        "import time\n"
        "from dashboard.reference import geo, languages\n"
        "def rss():\n"  # current resident memory in kB (ru_maxrss would carry pytest's over exec)
        "    with open('/proc/self/status') as status:\n"
        "        return next(int(l.split()[1]) for l in status if l.startswith('VmRSS'))\n"
        "before = rss()\n"
        "start = time.process_time()\n"
        "geo._lookup(); languages._names()\n"
        "built = time.process_time() - start\n"
        "start = time.process_time()\n"
        "geo._subdivision_lookup()\n"
        "regions = time.process_time() - start\n"
        "print(built, regions, (rss() - before) / 1024)\n"
    )
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    built, regions, grown_mb = map(float, output.split())
    print(f"names {built:.2f} s CPU, regions {regions:.2f} s CPU, +{grown_mb:.0f} MB")
    assert time.perf_counter() - started < 60
    # CPU seconds (not wall time: the machine may be shared); generous for slow runners.
    assert built < 6 and regions < 4
    assert grown_mb < 400
