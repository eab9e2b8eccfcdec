"""Tests for dashboard.reference.geo: the country reference table and the country-name resolver."""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pycountry
import pytest

from dashboard.reference import geo
from dashboard.reference.geo import (
    M49_REGIONS,
    UN_GROUPS,
    UNKNOWN,
    Country,
    countries,
    resolve_countries,
    resolve_country,
)

CSV_PATH = Path(geo.__file__).with_name("countries.csv")
COLUMNS = [
    "iso3",
    "iso2",
    "m49",
    "name_en",
    "region",
    "subregion",
    "intermediate_region",
    "un_group",
]
SUBREGIONS = {
    "Africa": {"Northern Africa", "Sub-Saharan Africa"},
    "Americas": {"Latin America and the Caribbean", "Northern America"},
    "Asia": {"Central Asia", "Eastern Asia", "South-eastern Asia", "Southern Asia", "Western Asia"},
    "Europe": {"Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe"},
    "Oceania": {"Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"},
}
INTERMEDIATE = {
    "Sub-Saharan Africa": {"Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa"},
    "Latin America and the Caribbean": {"Caribbean", "Central America", "South America"},
    "Northern Europe": {"Channel Islands"},
}
GROUP_SIZES = {
    "African Group": 54,
    "Asia-Pacific Group": 54,  # Kiribati in, Türkiye counted in WEOG only
    "Eastern European Group": 23,
    "Latin American and Caribbean Group": 33,
    "Western European and Others Group": 29,  # 28 + the United States
}

# ----------------------------------------------------------------------------------------------
# Written forms -> ISO3, across codes and the six UN languages.
RESOLVES = [
    # UN M49 English names and common English variants
    ("Iran (Islamic Republic of)", "IRN"),
    ("Iran, Islamic Republic of", "IRN"),
    ("Islamic Republic of Iran", "IRN"),
    ("Iran", "IRN"),
    ("Bolivia (Plurinational State of)", "BOL"),
    ("Bolivia", "BOL"),
    ("Venezuela (Bolivarian Republic of)", "VEN"),
    ("Venezuela", "VEN"),
    ("State of Palestine", "PSE"),
    ("Palestine", "PSE"),
    ("Palestinian Territories", "PSE"),
    ("Türkiye", "TUR"),
    ("Turkiye", "TUR"),
    ("Turkey", "TUR"),
    ("TURKEY", "TUR"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("United Kingdom", "GBR"),
    ("UK", "GBR"),
    ("Britain", "GBR"),
    ("Great Britain", "GBR"),
    ("England", "GBR"),
    ("Scotland", "GBR"),
    ("Wales", "GBR"),
    ("Côte d’Ivoire", "CIV"),
    ("Côte d'Ivoire", "CIV"),
    ("Cote d’Ivoire", "CIV"),
    ("COTE D'IVOIRE", "CIV"),
    ("Ivory Coast", "CIV"),
    ("Democratic Republic of the Congo", "COD"),
    ("Congo, The Democratic Republic of the", "COD"),
    ("Congo-Kinshasa", "COD"),
    ("DR Congo", "COD"),
    ("DRC", "COD"),
    ("Congo, Dem. Rep.", "COD"),
    ("Congo", "COG"),
    ("Congo-Brazzaville", "COG"),
    ("Republic of the Congo", "COG"),
    ("Republic of Korea", "KOR"),
    ("Korea, Republic of", "KOR"),
    ("South Korea", "KOR"),
    ("North Korea", "PRK"),
    ("Democratic People's Republic of Korea", "PRK"),
    ("Russian Federation", "RUS"),
    ("Russia", "RUS"),
    ("Viet Nam", "VNM"),
    ("Vietnam", "VNM"),
    ("Netherlands (Kingdom of the)", "NLD"),
    ("Netherlands", "NLD"),
    ("The Netherlands", "NLD"),
    ("Holland", "NLD"),
    ("United States of America", "USA"),
    ("United States", "USA"),
    ("USA", "USA"),
    ("US", "USA"),
    ("America", "USA"),
    ("Czech Republic", "CZE"),
    ("Czechia", "CZE"),
    ("Syria", "SYR"),
    ("Syrian Arab Republic", "SYR"),
    ("Laos", "LAO"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Tanzania", "TZA"),
    ("United Republic of Tanzania", "TZA"),
    ("Moldova", "MDA"),
    ("Republic of Moldova", "MDA"),
    ("Macedonia", "MKD"),
    ("North Macedonia", "MKD"),
    ("Swaziland", "SWZ"),
    ("Eswatini", "SWZ"),
    ("Burma", "MMR"),
    ("Cape Verde", "CPV"),
    ("Cabo Verde", "CPV"),
    ("East Timor", "TLS"),
    ("Timor-Leste", "TLS"),
    ("Vatican", "VAT"),
    ("Holy See", "VAT"),
    ("Micronesia", "FSM"),
    ("Micronesia (Federated States of)", "FSM"),
    ("Brunei", "BRN"),
    ("Brunei Darussalam", "BRN"),
    ("Taiwan", "TWN"),
    ("Hong Kong", "HKG"),
    ("China, Hong Kong Special Administrative Region", "HKG"),
    ("Macau", "MAC"),
    ("Macao", "MAC"),
    ("St. Vincent & the Grenadines", "VCT"),
    ("St Lucia", "LCA"),
    ("Trinidad & Tobago", "TTO"),
    ("The Gambia", "GMB"),
    ("Gambia, The", "GMB"),
    ("Lao PDR", "LAO"),
    ("Korea, Rep.", "KOR"),
    ("Virgin Islands (U.S.)", "VIR"),
    ("British Virgin Islands", "VGB"),
    ("Wallis and Futuna Is.", "WLF"),
    ("Curacao", "CUW"),
    ("Reunion", "REU"),
    ("  Kenya  ", "KEN"),
    ("kenya", "KEN"),
    ("Guadeloupe (France)", "GLP"),
    ("France (FR)", "FRA"),
    # French
    ("Turquie", "TUR"),
    ("Sénégal", "SEN"),
    ("Senegal", "SEN"),
    ("Royaume-Uni", "GBR"),
    ("États-Unis", "USA"),
    ("Allemagne", "DEU"),
    ("Pays-Bas", "NLD"),
    ("Pays-Bas (Royaume des)", "NLD"),
    ("République démocratique du Congo", "COD"),
    ("Iran (République islamique d’)", "IRN"),
    ("l'Inde", "IND"),
    ("Inde", "IND"),
    ("La Réunion", "REU"),
    ("Chine", "CHN"),
    ("Corée du Sud", "KOR"),
    # Spanish
    ("Estados Unidos", "USA"),
    ("Estados Unidos de América", "USA"),
    ("Turquía", "TUR"),
    ("Alemania", "DEU"),
    ("Reino Unido", "GBR"),
    ("Irán (República Islámica del)", "IRN"),
    ("Federación de Rusia", "RUS"),
    ("México", "MEX"),
    ("Brasil", "BRA"),
    ("Países Bajos", "NLD"),
    # Russian
    ("Турция", "TUR"),
    ("Соединенные Штаты Америки", "USA"),
    ("Соединённые Штаты Америки", "USA"),
    ("Россия", "RUS"),
    ("Российская Федерация", "RUS"),
    ("Германия", "DEU"),
    ("Великобритания", "GBR"),
    ("Иран (Исламская Республика)", "IRN"),
    ("Кот-д’Ивуар", "CIV"),
    # Chinese, simplified and traditional
    ("土耳其", "TUR"),
    ("美国", "USA"),
    ("美國", "USA"),
    ("美利坚合众国", "USA"),
    ("中国", "CHN"),
    ("中華人民共和國", "CHN"),
    ("德国", "DEU"),
    ("德國", "DEU"),
    ("英国", "GBR"),
    ("俄罗斯联邦", "RUS"),
    ("刚果（金）", "COD"),
    ("刚果(金)", "COD"),
    ("台湾", "TWN"),
    ("臺灣", "TWN"),
    ("香港", "HKG"),
    # Arabic
    ("تركيا", "TUR"),
    ("الولايات المتحدة الأمريكية", "USA"),
    ("الولايات المتحدة", "USA"),
    ("ألمانيا", "DEU"),
    ("المانيا", "DEU"),
    ("مصر", "EGY"),
    ("المملكة المتحدة", "GBR"),
    ("دولة فلسطين", "PSE"),
    # ISO codes in any case
    ("fr", "FRA"),
    ("FR", "FRA"),
    ("FRA", "FRA"),
    ("fra", "FRA"),
    ("NO", "NOR"),
    ("NAM", "NAM"),
    ("gb", "GBR"),
    ("PNG", "PNG"),
    # M49 numeric codes as strings and numbers
    ("250", "FRA"),
    ("004", "AFG"),
    ("4", "AFG"),
    ("4.0", "AFG"),
    (4, "AFG"),
    (250, "FRA"),
    (840.0, "USA"),
    (Decimal("250"), "FRA"),
    ("158", "TWN"),
]

NOT_RESOLVED: list[object] = [
    "Atlantis",
    "",
    "   ",
    None,
    float("nan"),
    "nan",
    "N/A",
    "NA",
    "na",
    "No",
    "Unknown",
    "Other",
    "Prefer not to say",
    "Europe",
    "Africa",
    "European Union",
    "Korea",  # ambiguous: documented refusal
    "Virgin Islands",  # ambiguous: documented refusal
    "Kosovo",  # not in ISO 3166-1 / pycountry
    "Yugoslavia",
    "Kenya (France)",  # two different member states
    "150",  # M49 code of the region Europe, not a country
    "999",
    4.5,
    True,
    b"\xff",
]


@pytest.mark.parametrize(("raw", "iso3"), RESOLVES, ids=[repr(r) for r, _ in RESOLVES])
def test_resolves(raw: object, iso3: str) -> None:
    found = resolve_country(raw)
    assert found is not None, raw
    assert found.iso3 == iso3


@pytest.mark.parametrize("raw", NOT_RESOLVED, ids=[repr(r) for r in NOT_RESOLVED])
def test_does_not_resolve(raw: object) -> None:
    assert resolve_country(raw) is None


def test_enough_cases() -> None:
    assert len(RESOLVES) >= 80


def test_pandas_missing_values() -> None:
    pd = pytest.importorskip("pandas")
    assert resolve_country(pd.NA) is None
    assert resolve_country(pd.NaT) is None
    np = pytest.importorskip("numpy")
    assert resolve_country(np.float64("nan")) is None
    found = resolve_country(np.int64(250))
    assert found is not None and found.iso3 == "FRA"


def test_every_name_en_resolves_to_itself() -> None:
    for iso3, country in countries().items():
        for form in (country.name_en, country.iso2, country.iso3, country.m49):
            if form == "NA":  # Namibia's alpha-2: deliberately not read as a code
                continue
            found = resolve_country(form)
            assert found is not None and found.iso3 == iso3, form


def test_every_pycountry_name_resolves_to_itself() -> None:
    for entry in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            value = getattr(entry, field, None)
            if value:
                found = resolve_country(value)
                assert found is not None and found.iso3 == entry.alpha_3, value


def test_resolve_countries_keys_and_values() -> None:
    values = ["France", "france", "FR", "Atlantis", None, "", 250, "Turquie", "France"]
    result = resolve_countries(values)
    assert set(result) == {"France", "france", "FR", "Atlantis", None, "", 250, "Turquie"}
    assert {k: (v.iso3 if v else None) for k, v in result.items()} == {
        "France": "FRA",
        "france": "FRA",
        "FR": "FRA",
        "Atlantis": None,
        None: None,
        "": None,
        250: "FRA",
        "Turquie": "TUR",
    }


def test_resolve_countries_with_pandas_series() -> None:
    pd = pytest.importorskip("pandas")
    series = pd.Series(["Kenya", "KEN", None, "Atlantis", "Kenya", "Sénégal"] * 1000)
    mapping = resolve_countries(series.unique())
    assert len(mapping) == 5

    def region(value: object) -> str:
        country = mapping.get(value)
        return country.region if country else UNKNOWN

    regions = series.map(region)
    assert regions.iloc[:6].tolist() == ["Africa", "Africa", UNKNOWN, UNKNOWN, "Africa", "Africa"]
    assert regions.value_counts().to_dict() == {"Africa": 4000, UNKNOWN: 2000}


def test_country_is_frozen() -> None:
    country = countries()["FRA"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        country.iso3 = "XXX"  # type: ignore[misc]


def test_constants() -> None:
    assert UN_GROUPS == (
        "African Group",
        "Asia-Pacific Group",
        "Eastern European Group",
        "Latin American and Caribbean Group",
        "Western European and Others Group",
    )
    assert M49_REGIONS == ("Africa", "Americas", "Asia", "Europe", "Oceania")
    assert UNKNOWN == "Unknown"


# ----------------------------------------------------------------------------------------------
# Data integrity of reference/countries.csv.
def read_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_one_row_per_pycountry_entry() -> None:
    rows = read_rows()
    counts = Counter(row["iso3"] for row in rows)
    assert set(counts) == {c.alpha_3 for c in pycountry.countries}
    assert all(n == 1 for n in counts.values())
    assert len(rows) == len(pycountry.countries) == 249
    assert set(countries()) == set(counts)


def test_codes_match_pycountry_and_are_unique() -> None:
    rows = read_rows()
    for row in rows:
        entry = pycountry.countries.get(alpha_3=row["iso3"])
        assert entry is not None
        assert row["iso2"] == entry.alpha_2
        assert row["m49"] == entry.numeric
        assert len(row["m49"]) == 3 and row["m49"].isdigit()
    assert len({row["iso2"] for row in rows}) == len(rows)
    assert len({row["m49"] for row in rows}) == len(rows)
    assert len({row["name_en"] for row in rows}) == len(rows)
    assert all(row["name_en"].strip() == row["name_en"] != "" for row in rows)


def test_regions_are_m49() -> None:
    for row in read_rows():
        if row["iso3"] == "ATA":
            assert row["region"] == row["subregion"] == row["intermediate_region"] == ""
            continue
        assert row["region"] in M49_REGIONS, row
        assert row["subregion"] in SUBREGIONS[row["region"]], row
        if row["intermediate_region"]:
            assert row["intermediate_region"] in INTERMEDIATE[row["subregion"]], row
    # Every sub-Saharan African and Latin American/Caribbean country has an intermediate region.
    for row in read_rows():
        if row["subregion"] in {"Sub-Saharan Africa", "Latin America and the Caribbean"}:
            assert row["intermediate_region"], row


def test_un_group_counts() -> None:
    rows = read_rows()
    counts = Counter(row["un_group"] for row in rows if row["un_group"])
    assert set(counts) == set(UN_GROUPS)
    assert dict(counts) == GROUP_SIZES
    assert sum(counts.values()) == 193


@pytest.mark.parametrize(
    ("iso3", "group"),
    [
        ("USA", "Western European and Others Group"),
        ("ISR", "Western European and Others Group"),
        ("TUR", "Western European and Others Group"),
        ("AUS", "Western European and Others Group"),
        ("KIR", "Asia-Pacific Group"),
        ("CYP", "Asia-Pacific Group"),
        ("KAZ", "Asia-Pacific Group"),
        ("GEO", "Eastern European Group"),
        ("RUS", "Eastern European Group"),
        ("EGY", "African Group"),
        ("MEX", "Latin American and Caribbean Group"),
        ("PSE", ""),
        ("VAT", ""),
        ("TWN", ""),
        ("COK", ""),
        ("HKG", ""),
        ("PRI", ""),
    ],
)
def test_un_group_conventions(iso3: str, group: str) -> None:
    assert countries()[iso3].un_group == group


@pytest.mark.parametrize(
    ("iso3", "region", "subregion", "intermediate"),
    [
        ("BRA", "Americas", "Latin America and the Caribbean", "South America"),
        ("KEN", "Africa", "Sub-Saharan Africa", "Eastern Africa"),
        ("MEX", "Americas", "Latin America and the Caribbean", "Central America"),
        ("EGY", "Africa", "Northern Africa", ""),
        ("TUR", "Asia", "Western Asia", ""),
        ("RUS", "Europe", "Eastern Europe", ""),
        ("AUS", "Oceania", "Australia and New Zealand", ""),
        ("USA", "Americas", "Northern America", ""),
        ("TWN", "Asia", "Eastern Asia", ""),
        ("JEY", "Europe", "Northern Europe", "Channel Islands"),
        ("NRU", "Oceania", "Micronesia", ""),
        ("SDN", "Africa", "Northern Africa", ""),
        ("CYP", "Asia", "Western Asia", ""),
    ],
)
def test_well_known_regions(iso3: str, region: str, subregion: str, intermediate: str) -> None:
    country = countries()[iso3]
    assert (country.region, country.subregion, country.intermediate_region) == (
        region,
        subregion,
        intermediate,
    )


@pytest.mark.parametrize(
    ("iso3", "name"),
    [
        ("IRN", "Iran (Islamic Republic of)"),
        ("BOL", "Bolivia (Plurinational State of)"),
        ("PSE", "State of Palestine"),
        ("TUR", "Türkiye"),
        ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
        ("CIV", "Côte d’Ivoire"),
        ("COD", "Democratic Republic of the Congo"),
        ("KOR", "Republic of Korea"),
        ("RUS", "Russian Federation"),
        ("VNM", "Viet Nam"),
        ("NLD", "Netherlands (Kingdom of the)"),
        ("TWN", "Taiwan, Province of China"),
    ],
)
def test_un_names(iso3: str, name: str) -> None:
    assert countries()[iso3].name_en == name


def test_countries_is_cached_and_typed() -> None:
    assert countries() is countries()
    assert all(isinstance(c, Country) for c in countries().values())
    assert countries()["FRA"] == Country(
        "FRA",
        "FR",
        "250",
        "France",
        "Europe",
        "Western Europe",
        "",
        "Western European and Others Group",
    )
