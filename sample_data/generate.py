"""Generate the sample consultation's exports, and the ground truth they were written from.

The sample is modelled on the OHCHR online consultation on civil society space (13 to 24
January 2020, 09:00 to 18:00 GMT). Its definition is ``civic-space-2020.toml`` next to this
file; this script writes three exports of the same fictional respondents, each shaped the way
real survey platforms shape them:

* ``responses_en.csv``: wide, UTF-8, comma-delimited, "\\n" line ends, for the respondents who
  wrote in English, Spanish, Arabic or Chinese. Standard headers, so no mapping file.
* ``reponses_fr.csv``: long (one row per answer), UTF-8 with BOM, semicolon-delimited,
  "\\r\\n" line ends, French headers, day-first naive Paris times; ``reponses_fr.mapping.toml``.
* ``responses_ru.xlsx``: wide, sheet "Ответы", Russian headers (question columns headed by
  the Russian question texts), naive Moscow date-time cells; ``responses_ru.mapping.toml``.

Run ``python sample_data/generate.py`` to rewrite them. The output depends only on the seed:
no hash order, clock, locale or time zone of the machine enters it. Tests import this file by
path and compare what the importer makes of the exports with ``generate_respondents()``, which
is computed here without any code from the ``dashboard`` package (the M49 region of each
country comes from the table below).
"""

from __future__ import annotations

import csv
import io
import random
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
DEFINITION = HERE / "civic-space-2020.toml"
SEED = 20200113
TOTAL_RESPONDENTS = 3000
UNKNOWN_COUNTRY_RESPONDENTS = 45

EXPORT_EN = "responses_en.csv"
EXPORT_FR = "reponses_fr.csv"
EXPORT_RU = "responses_ru.xlsx"
MAPPING_FR = "reponses_fr.mapping.toml"
MAPPING_RU = "responses_ru.mapping.toml"
EXPORTS = (EXPORT_EN, EXPORT_FR, EXPORT_RU)
OUTPUT_FILES = (EXPORT_EN, EXPORT_FR, MAPPING_FR, EXPORT_RU, MAPPING_RU)
EXPORT_OF_LANGUAGE = {
    "en": EXPORT_EN,
    "es": EXPORT_EN,
    "ar": EXPORT_EN,
    "zh": EXPORT_EN,
    "fr": EXPORT_FR,
    "ru": EXPORT_RU,
}
ID_PREFIX = {EXPORT_EN: "EN", EXPORT_FR: "FR", EXPORT_RU: "RU"}

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
UNKNOWN_REGION = "Unknown"
PARIS = ZoneInfo("Europe/Paris")
MOSCOW = ZoneInfo("Europe/Moscow")
# Stamped into the xlsx (document properties and zip entries) so its bytes do not depend on
# when it was written.
XLSX_TIMESTAMP = datetime(2020, 1, 27, 9, 0, 0)


@dataclass(frozen=True)
class SampleRespondent:
    """One respondent as the exports say it, with the truth the importer should recover."""

    respondent_id: str
    submitted_at: datetime  # timezone-aware, UTC
    country_iso3: str | None  # None: blank or unrecognisable country
    region: str  # M49 region, or "Unknown"
    language: str  # ISO 639-1
    stakeholder_type: str
    answers: dict[str, str]  # question id -> text as written; "" or whitespace-only is blank
    export: str  # file name of the export the respondent is written to


# --------------------------------------------------------------------------------------------
# Countries: ISO 3166 codes, UN M49 region, relative weight within the region, languages the
# respondents from there write in (with weights), and the names used in the exports. "un" is
# the UN official short name where it differs from the common English name; "alt" are other
# English forms; fr/es/ar/zh/ru are names in those languages.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    region: str
    weight: float
    languages: tuple[tuple[str, float], ...]
    names: dict[str, str]
    un_name: str | None
    alt_names: tuple[str, ...]


def _c(
    iso3: str,
    iso2: str,
    region: str,
    weight: float,
    langs: str,
    en: str,
    *,
    un: str | None = None,
    alt: tuple[str, ...] = (),
    **local: str,
) -> Country:
    languages = tuple((code, float(w)) for code, w in (item.split(":") for item in langs.split()))
    names = {"en": en, **local}
    for code, _ in languages:
        if code not in names:
            raise ValueError(f"{iso3}: no {code} name for a language its respondents use")
    return Country(iso3, iso2, region, weight, languages, names, un, alt)


AF, AM, AS, EU, OC = REGIONS

COUNTRIES: tuple[Country, ...] = (
    # Africa
    _c("DZA", "DZ", AF, 3, "ar:6 fr:3 en:1", "Algeria", fr="Algérie", ar="الجزائر"),
    _c("AGO", "AO", AF, 2, "en:1", "Angola"),
    _c("BEN", "BJ", AF, 4, "fr:9 en:1", "Benin", fr="Bénin"),
    _c("BWA", "BW", AF, 2, "en:1", "Botswana"),
    _c("BFA", "BF", AF, 5, "fr:9 en:1", "Burkina Faso", fr="Burkina Faso"),
    _c("BDI", "BI", AF, 4, "fr:8 en:2", "Burundi", fr="Burundi"),
    _c("CMR", "CM", AF, 8, "fr:7 en:3", "Cameroon", fr="Cameroun"),
    _c("CAF", "CF", AF, 3, "fr:9 en:1", "Central African Republic", fr="République centrafricaine"),
    _c("TCD", "TD", AF, 3, "fr:7 ar:2 en:1", "Chad", fr="Tchad", ar="تشاد"),
    _c("COM", "KM", AF, 1, "fr:6 ar:2 en:2", "Comoros", fr="Comores", ar="جزر القمر"),
    _c("COG", "CG", AF, 3, "fr:9 en:1", "Congo", fr="Congo"),
    _c(
        "COD",
        "CD",
        AF,
        10,
        "fr:9 en:1",
        "Democratic Republic of the Congo",
        fr="République démocratique du Congo",
    ),
    _c("CIV", "CI", AF, 8, "fr:9 en:1", "Côte d'Ivoire", alt=("Ivory Coast",), fr="Côte d'Ivoire"),
    _c("DJI", "DJ", AF, 1, "fr:5 ar:3 en:2", "Djibouti", fr="Djibouti", ar="جيبوتي"),
    _c("EGY", "EG", AF, 10, "ar:7 en:3", "Egypt", ar="مصر"),
    _c("GNQ", "GQ", AF, 1, "es:7 en:3", "Equatorial Guinea", es="Guinea Ecuatorial"),
    _c("ERI", "ER", AF, 1, "en:1", "Eritrea"),
    _c("SWZ", "SZ", AF, 1, "en:1", "Eswatini"),
    _c("ETH", "ET", AF, 6, "en:1", "Ethiopia"),
    _c("GAB", "GA", AF, 2, "fr:9 en:1", "Gabon", fr="Gabon"),
    _c("GMB", "GM", AF, 3, "en:1", "Gambia", alt=("The Gambia",)),
    _c("GHA", "GH", AF, 8, "en:1", "Ghana"),
    _c("GIN", "GN", AF, 4, "fr:9 en:1", "Guinea", fr="Guinée"),
    _c("KEN", "KE", AF, 14, "en:1", "Kenya"),
    _c("LSO", "LS", AF, 1, "en:1", "Lesotho"),
    _c("LBR", "LR", AF, 3, "en:1", "Liberia"),
    _c("LBY", "LY", AF, 2, "ar:8 en:2", "Libya", ar="ليبيا"),
    _c("MDG", "MG", AF, 3, "fr:8 en:2", "Madagascar", fr="Madagascar"),
    _c("MWI", "MW", AF, 4, "en:1", "Malawi"),
    _c("MLI", "ML", AF, 5, "fr:9 en:1", "Mali", fr="Mali"),
    _c("MRT", "MR", AF, 2, "ar:5 fr:4 en:1", "Mauritania", fr="Mauritanie", ar="موريتانيا"),
    _c("MUS", "MU", AF, 1, "en:6 fr:4", "Mauritius", fr="Maurice"),
    _c("MAR", "MA", AF, 7, "ar:5 fr:4 en:1", "Morocco", fr="Maroc", ar="المغرب"),
    _c("MOZ", "MZ", AF, 3, "en:1", "Mozambique"),
    # Namibia is never written as its ISO2 code "NA", which many readers take for "missing".
    _c("NAM", "NA", AF, 2, "en:1", "Namibia"),
    _c("NER", "NE", AF, 4, "fr:9 en:1", "Niger", fr="Niger"),
    _c("NGA", "NG", AF, 14, "en:1", "Nigeria"),
    _c("RWA", "RW", AF, 4, "en:6 fr:4", "Rwanda", fr="Rwanda"),
    _c("SEN", "SN", AF, 8, "fr:9 en:1", "Senegal", fr="Sénégal"),
    _c("SLE", "SL", AF, 3, "en:1", "Sierra Leone"),
    _c("SOM", "SO", AF, 2, "en:6 ar:4", "Somalia", ar="الصومال"),
    _c("ZAF", "ZA", AF, 10, "en:1", "South Africa"),
    _c("SSD", "SS", AF, 3, "en:1", "South Sudan"),
    _c("SDN", "SD", AF, 6, "ar:7 en:3", "Sudan", ar="السودان"),
    _c(
        "TZA",
        "TZ",
        AF,
        6,
        "en:1",
        "Tanzania",
        un="United Republic of Tanzania",
    ),
    _c("TGO", "TG", AF, 4, "fr:9 en:1", "Togo", fr="Togo"),
    _c("TUN", "TN", AF, 7, "ar:5 fr:4 en:1", "Tunisia", fr="Tunisie", ar="تونس"),
    _c("UGA", "UG", AF, 10, "en:1", "Uganda"),
    _c("ZMB", "ZM", AF, 4, "en:1", "Zambia"),
    _c("ZWE", "ZW", AF, 6, "en:1", "Zimbabwe"),
    # Americas
    _c("ARG", "AR", AM, 8, "es:9 en:1", "Argentina", es="Argentina"),
    _c("BRB", "BB", AM, 1, "en:1", "Barbados"),
    _c("BLZ", "BZ", AM, 1, "en:8 es:2", "Belize", es="Belice"),
    _c(
        "BOL",
        "BO",
        AM,
        5,
        "es:9 en:1",
        "Bolivia",
        un="Bolivia (Plurinational State of)",
        es="Bolivia",
    ),
    _c("BRA", "BR", AM, 10, "en:7 es:3", "Brazil", es="Brasil"),
    _c("CAN", "CA", AM, 6, "en:8 fr:2", "Canada", fr="Canada"),
    _c("CHL", "CL", AM, 6, "es:9 en:1", "Chile", es="Chile"),
    _c("COL", "CO", AM, 12, "es:9 en:1", "Colombia", es="Colombia"),
    _c("CRI", "CR", AM, 4, "es:9 en:1", "Costa Rica", es="Costa Rica"),
    _c("CUB", "CU", AM, 2, "es:9 en:1", "Cuba", es="Cuba"),
    _c("DOM", "DO", AM, 3, "es:9 en:1", "Dominican Republic", es="República Dominicana"),
    _c("ECU", "EC", AM, 5, "es:9 en:1", "Ecuador", es="Ecuador"),
    _c("SLV", "SV", AM, 4, "es:9 en:1", "El Salvador", es="El Salvador"),
    _c("GTM", "GT", AM, 6, "es:9 en:1", "Guatemala", es="Guatemala"),
    _c("GUY", "GY", AM, 1, "en:1", "Guyana"),
    _c("HTI", "HT", AM, 4, "fr:8 en:2", "Haiti", fr="Haïti"),
    _c("HND", "HN", AM, 5, "es:9 en:1", "Honduras", es="Honduras"),
    _c("JAM", "JM", AM, 2, "en:1", "Jamaica"),
    _c("MEX", "MX", AM, 14, "es:9 en:1", "Mexico", es="México"),
    _c("NIC", "NI", AM, 4, "es:9 en:1", "Nicaragua", es="Nicaragua"),
    _c("PAN", "PA", AM, 2, "es:9 en:1", "Panama", es="Panamá"),
    _c("PRY", "PY", AM, 3, "es:9 en:1", "Paraguay", es="Paraguay"),
    _c("PER", "PE", AM, 7, "es:9 en:1", "Peru", es="Perú"),
    _c("TTO", "TT", AM, 1, "en:1", "Trinidad and Tobago"),
    _c(
        "USA",
        "US",
        AM,
        10,
        "en:9 es:1",
        "United States",
        un="United States of America",
        es="Estados Unidos",
    ),
    _c("URY", "UY", AM, 2, "es:9 en:1", "Uruguay", es="Uruguay"),
    _c(
        "VEN",
        "VE",
        AM,
        6,
        "es:9 en:1",
        "Venezuela",
        un="Venezuela (Bolivarian Republic of)",
        es="Venezuela",
    ),
    # Asia
    _c("AFG", "AF", AS, 4, "en:1", "Afghanistan"),
    _c("ARM", "AM", AS, 4, "ru:6 en:4", "Armenia", ru="Армения"),
    _c("AZE", "AZ", AS, 2, "ru:5 en:5", "Azerbaijan", ru="Азербайджан"),
    _c("BHR", "BH", AS, 2, "ar:7 en:3", "Bahrain", ar="البحرين"),
    _c("BGD", "BD", AS, 8, "en:1", "Bangladesh"),
    _c("KHM", "KH", AS, 4, "en:1", "Cambodia"),
    _c("CHN", "CN", AS, 20, "zh:9 en:1", "China", zh="中国"),
    _c("CYP", "CY", AS, 1, "en:1", "Cyprus"),
    _c("GEO", "GE", AS, 3, "ru:5 en:5", "Georgia", ru="Грузия"),
    _c("IND", "IN", AS, 14, "en:1", "India"),
    _c("IDN", "ID", AS, 7, "en:1", "Indonesia"),
    _c("IRN", "IR", AS, 3, "en:1", "Iran", un="Iran (Islamic Republic of)"),
    _c("IRQ", "IQ", AS, 6, "ar:8 en:2", "Iraq", ar="العراق"),
    _c("ISR", "IL", AS, 2, "en:8 ru:1 ar:1", "Israel", ru="Израиль", ar="إسرائيل"),
    _c("JPN", "JP", AS, 3, "en:1", "Japan"),
    _c("JOR", "JO", AS, 7, "ar:7 en:3", "Jordan", ar="الأردن"),
    _c("KAZ", "KZ", AS, 7, "ru:8 en:2", "Kazakhstan", ru="Казахстан"),
    _c("KWT", "KW", AS, 1, "ar:7 en:3", "Kuwait", ar="الكويت"),
    _c("KGZ", "KG", AS, 6, "ru:8 en:2", "Kyrgyzstan", ru="Кыргызстан"),
    _c("LAO", "LA", AS, 1, "en:1", "Laos", un="Lao People's Democratic Republic"),
    _c("LBN", "LB", AS, 6, "ar:5 fr:3 en:2", "Lebanon", fr="Liban", ar="لبنان"),
    _c("MYS", "MY", AS, 5, "en:8 zh:2", "Malaysia", zh="马来西亚"),
    _c("MDV", "MV", AS, 1, "en:1", "Maldives"),
    _c("MNG", "MN", AS, 2, "en:7 ru:3", "Mongolia", ru="Монголия"),
    _c("MMR", "MM", AS, 5, "en:1", "Myanmar"),
    _c("NPL", "NP", AS, 6, "en:1", "Nepal"),
    _c("OMN", "OM", AS, 1, "ar:7 en:3", "Oman", ar="عُمان"),
    _c("PAK", "PK", AS, 8, "en:1", "Pakistan"),
    _c(
        "PSE",
        "PS",
        AS,
        7,
        "ar:7 en:3",
        "Palestine",
        un="State of Palestine",
        ar="فلسطين",
    ),
    _c("PHL", "PH", AS, 10, "en:1", "Philippines"),
    _c("QAT", "QA", AS, 1, "ar:7 en:3", "Qatar", ar="قطر"),
    _c("KOR", "KR", AS, 3, "en:1", "South Korea", un="Republic of Korea"),
    _c("SAU", "SA", AS, 3, "ar:8 en:2", "Saudi Arabia", ar="المملكة العربية السعودية"),
    _c("SGP", "SG", AS, 2, "en:8 zh:2", "Singapore", zh="新加坡"),
    _c("LKA", "LK", AS, 5, "en:1", "Sri Lanka"),
    _c("SYR", "SY", AS, 4, "ar:8 en:2", "Syria", un="Syrian Arab Republic", ar="سوريا"),
    _c("TJK", "TJ", AS, 3, "ru:8 en:2", "Tajikistan", ru="Таджикистан"),
    _c("THA", "TH", AS, 5, "en:1", "Thailand"),
    _c("TLS", "TL", AS, 1, "en:1", "Timor-Leste"),
    _c("TUR", "TR", AS, 4, "en:1", "Turkey", un="Türkiye"),
    _c("TKM", "TM", AS, 1, "ru:7 en:3", "Turkmenistan", ru="Туркменистан"),
    _c("ARE", "AE", AS, 1, "ar:6 en:4", "United Arab Emirates", ar="الإمارات العربية المتحدة"),
    _c("UZB", "UZ", AS, 4, "ru:7 en:3", "Uzbekistan", ru="Узбекистан"),
    _c("VNM", "VN", AS, 3, "en:1", "Vietnam", un="Viet Nam"),
    _c("YEM", "YE", AS, 5, "ar:8 en:2", "Yemen", ar="اليمن"),
    # Europe
    _c("ALB", "AL", EU, 2, "en:1", "Albania"),
    _c("AUT", "AT", EU, 3, "en:1", "Austria"),
    _c("BLR", "BY", EU, 6, "ru:8 en:2", "Belarus", ru="Беларусь"),
    _c("BEL", "BE", EU, 6, "fr:6 en:4", "Belgium", fr="Belgique"),
    _c("BIH", "BA", EU, 2, "en:1", "Bosnia and Herzegovina"),
    _c("BGR", "BG", EU, 2, "en:1", "Bulgaria"),
    _c("HRV", "HR", EU, 2, "en:1", "Croatia"),
    _c("CZE", "CZ", EU, 3, "en:1", "Czechia", alt=("Czech Republic",)),
    _c("DNK", "DK", EU, 3, "en:1", "Denmark"),
    _c("EST", "EE", EU, 1, "en:7 ru:3", "Estonia", ru="Эстония"),
    _c("FIN", "FI", EU, 2, "en:1", "Finland"),
    _c("FRA", "FR", EU, 12, "fr:9 en:1", "France", fr="France"),
    _c("DEU", "DE", EU, 8, "en:1", "Germany"),
    _c("GRC", "GR", EU, 3, "en:1", "Greece"),
    _c("HUN", "HU", EU, 3, "en:1", "Hungary"),
    _c("IRL", "IE", EU, 3, "en:1", "Ireland"),
    _c("ITA", "IT", EU, 5, "en:1", "Italy"),
    _c("LVA", "LV", EU, 1, "en:7 ru:3", "Latvia", ru="Латвия"),
    _c("LTU", "LT", EU, 1, "en:1", "Lithuania"),
    _c("LUX", "LU", EU, 1, "fr:6 en:4", "Luxembourg", fr="Luxembourg"),
    _c("MLT", "MT", EU, 1, "en:1", "Malta"),
    _c(
        "MDA",
        "MD",
        EU,
        2,
        "ru:6 en:4",
        "Moldova",
        un="Republic of Moldova",
        ru="Республика Молдова",
    ),
    _c("MNE", "ME", EU, 1, "en:1", "Montenegro"),
    _c("NLD", "NL", EU, 5, "en:1", "Netherlands"),
    _c("MKD", "MK", EU, 1, "en:1", "North Macedonia"),
    _c("NOR", "NO", EU, 3, "en:1", "Norway"),
    _c("POL", "PL", EU, 4, "en:1", "Poland"),
    _c("PRT", "PT", EU, 2, "en:1", "Portugal"),
    _c("ROU", "RO", EU, 3, "en:1", "Romania"),
    _c(
        "RUS",
        "RU",
        EU,
        18,
        "ru:9 en:1",
        "Russia",
        un="Russian Federation",
        ru="Российская Федерация",
    ),
    _c("SRB", "RS", EU, 3, "en:1", "Serbia"),
    _c("SVK", "SK", EU, 1, "en:1", "Slovakia"),
    _c("SVN", "SI", EU, 1, "en:1", "Slovenia"),
    _c("ESP", "ES", EU, 8, "es:9 en:1", "Spain", es="España"),
    _c("SWE", "SE", EU, 4, "en:1", "Sweden"),
    _c("CHE", "CH", EU, 7, "en:5 fr:5", "Switzerland", fr="Suisse", ru="Швейцария"),
    _c("UKR", "UA", EU, 10, "ru:5 en:5", "Ukraine", ru="Украина"),
    _c(
        "GBR",
        "GB",
        EU,
        12,
        "en:1",
        "United Kingdom",
        un="United Kingdom of Great Britain and Northern Ireland",
        alt=("UK",),
    ),
    # Oceania
    _c("AUS", "AU", OC, 5, "en:1", "Australia"),
    _c("FJI", "FJ", OC, 3, "en:1", "Fiji"),
    _c("NZL", "NZ", OC, 3, "en:1", "New Zealand"),
    _c("PNG", "PG", OC, 2, "en:1", "Papua New Guinea"),
    _c("WSM", "WS", OC, 1, "en:1", "Samoa"),
    _c("SLB", "SB", OC, 1, "en:1", "Solomon Islands"),
    _c("VUT", "VU", OC, 1, "en:8 fr:2", "Vanuatu", fr="Vanuatu"),
    _c("TON", "TO", OC, 1, "en:1", "Tonga"),
)
COUNTRY_BY_ISO3 = {c.iso3: c for c in COUNTRIES}
REGION_SHARE = {AF: 0.31, AS: 0.25, AM: 0.22, EU: 0.20, OC: 0.02}
# Country fields that name no country: they must come out with an unknown country and region.
UNKNOWN_COUNTRY_TEXT = ("", "Atlantis", "Unknown land")

STAKEHOLDER_TYPES = (
    ("Civil society organization", 40),
    ("Human rights defender", 15),
    ("National human rights institution", 4),
    ("Academic", 10),
    ("Government", 6),
    ("Individual", 18),
    ("Other", 7),
)

# How the English export writes each language (codes, tags, English names, autonyms).
LANGUAGE_FORMS = {
    "en": (("en", 5), ("en-GB", 2), ("en-US", 1), ("English", 4)),
    "es": (("es", 4), ("es-419", 1), ("Spanish", 3), ("Español", 3), ("español", 1)),
    "ar": (("ar", 4), ("Arabic", 3), ("العربية", 4)),
    "zh": (("zh", 3), ("zh-CN", 2), ("Chinese", 3), ("中文", 4)),
}
FR_LANGUAGE_TEXT = "Français"
RU_LANGUAGE_TEXT = "Русский"
# Offsets a platform might write a submission time in, by region (hours).
OFFSETS = {
    AF: (0, 1, 2, 3),
    AM: (-6, -5, -4, -3),
    AS: (3, 5.5, 6, 7, 8),
    EU: (1, 2, 3),
    OC: (10, 11, 12, 13),
    UNKNOWN_REGION: (0,),
}
# Rough UTC offset of a region's daytime, for the hour of day people submit at.
DAYTIME_OFFSET = {AF: 1, AM: -5, AS: 6, EU: 1, OC: 11, UNKNOWN_REGION: 0}
LOCAL_HOUR_WEIGHTS = (1, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 8, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1)

# Share of the in-window respondents by UTC day: launch-day peak, decay, a quiet weekend
# (18-19 January 2020), then a rise to a last-day rush.
DAY_WEIGHTS = {
    date(2020, 1, 13): 14.0,
    date(2020, 1, 14): 11.0,
    date(2020, 1, 15): 9.0,
    date(2020, 1, 16): 8.0,
    date(2020, 1, 17): 7.0,
    date(2020, 1, 18): 3.0,
    date(2020, 1, 19): 2.5,
    date(2020, 1, 20): 7.0,
    date(2020, 1, 21): 7.5,
    date(2020, 1, 22): 8.0,
    date(2020, 1, 23): 10.0,
    date(2020, 1, 24): 13.0,
}
# Respondents outside the window, per export: (test submissions before the launch, early ones
# on 13 January before 09:00 UTC, late ones after 18:00 UTC on 24 January, later ones 25-27).
OUT_OF_WINDOW = {
    EXPORT_EN: (3, 3, 9, 5),
    EXPORT_FR: (1, 2, 3, 1),
    EXPORT_RU: (1, 0, 1, 1),
}

# --------------------------------------------------------------------------------------------
# Answer texts: a small bank of sentences per language and theme, plus short answers.
# --------------------------------------------------------------------------------------------

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "partnership": (
            "The UN should hold regular, structured meetings with civil society in each "
            "country, not only ad hoc briefings.",
            "Country teams need a focal point for civil society; many organizations do not "
            "know whom to contact.",
            "Calls for input should be translated into local languages and announced at least "
            "a month in advance.",
            "Small grassroots groups cannot travel to Geneva or New York, so remote "
            "participation must become the norm.",
            "Funding for partners should be flexible and long-term; short project cycles "
            "weaken local organizations.",
        ),
        "protection": (
            "Every case of reprisal should be documented, followed up and raised with the "
            "authorities at the highest level.",
            "Human rights defenders need a confidential channel to report threats, with a "
            "reply within days, not months.",
            "Digital security training and secure communication tools should be offered to "
            "all partners.",
            "The UN must never share the names of participants with governments without "
            "their consent.",
            "Women defenders face specific risks, including online harassment and smear campaigns.",
        ),
        "promotion": (
            'The UN should speak out publicly when so-called "foreign agent" laws are adopted.',
            "Restrictive NGO registration laws should be reviewed against international "
            "standards before they are passed.",
            "Resident Coordinators should report on civic space in their annual reports.",
            "Positive examples, such as laws that simplify registration, deserve as much "
            "attention as violations.",
            "Data on civic space should be published in an open format, by country and year.",
        ),
        "generic": (
            "In our experience, consultations are announced too late and the results are "
            "rarely shared with participants.",
            "We recommend a clear follow-up mechanism; otherwise participation becomes "
            '"a box-ticking exercise".',
            "This requires political will, adequate resources and close cooperation with "
            "national human rights institutions.",
            "Thank you for this consultation; we hope it leads to concrete changes.",
        ),
        "short": (
            "Agree with the proposals above.",
            "See our answer to the previous question.",
            "Yes.",
            "More funding; more visibility; more follow-up.",
        ),
        "test": ("Test submission, please ignore.", "test"),
    },
    "fr": {
        "partnership": (
            "L'ONU devrait organiser des réunions régulières et structurées avec la société "
            "civile dans chaque pays, et pas seulement des séances d'information ponctuelles.",
            "Les équipes de pays ont besoin d'un point focal pour la société civile ; beaucoup "
            "d'organisations ne savent pas à qui s'adresser.",
            "Les appels à contributions devraient être traduits dans les langues locales et "
            "annoncés au moins un mois à l'avance.",
            "Les petites associations de terrain ne peuvent pas se rendre à Genève ou à "
            "New York : la participation à distance doit devenir la règle.",
            "Le financement des partenaires devrait être souple et pluriannuel ; des cycles de "
            "projets trop courts fragilisent les organisations locales.",
        ),
        "protection": (
            "Chaque cas de représailles devrait être documenté, suivi et soulevé auprès des "
            "autorités au plus haut niveau.",
            "Les défenseurs des droits humains ont besoin d'un canal confidentiel pour signaler "
            "les menaces, avec une réponse en quelques jours.",
            "Des formations à la sécurité numérique et des outils de communication sécurisés "
            "devraient être proposés à tous les partenaires.",
            "L'ONU ne doit jamais communiquer aux gouvernements le nom des participants sans "
            "leur consentement.",
            "Les femmes défenseures sont exposées à des risques particuliers, notamment au "
            "harcèlement en ligne et aux campagnes de dénigrement.",
        ),
        "promotion": (
            "L'ONU devrait prendre publiquement position lorsque des lois sur les « agents de "
            "l'étranger » sont adoptées.",
            "Les lois restrictives sur l'enregistrement des ONG devraient être examinées au "
            "regard des normes internationales avant leur adoption.",
            "Les coordonnateurs résidents devraient rendre compte de l'état de l'espace civique "
            "dans leurs rapports annuels.",
            "Les exemples positifs, comme les lois qui simplifient l'enregistrement, méritent "
            "autant d'attention que les violations.",
            "Les données sur l'espace civique devraient être publiées en format ouvert, par "
            "pays et par année.",
        ),
        "generic": (
            "D'après notre expérience, les consultations sont annoncées trop tard et leurs "
            "résultats sont rarement communiqués aux participants.",
            "Nous recommandons un mécanisme de suivi clair ; sinon, la participation devient "
            'un simple "exercice de style".',
            "Cela suppose une volonté politique, des ressources suffisantes et une coopération "
            "étroite avec les institutions nationales des droits de l'homme.",
            "Merci pour cette consultation ; nous espérons qu'elle débouchera sur des "
            "changements concrets.",
        ),
        "short": (
            "D'accord avec les propositions ci-dessus.",
            "Voir notre réponse à la question précédente.",
            "Oui.",
            "Plus de financement ; plus de visibilité ; plus de suivi.",
        ),
        "test": ("Soumission de test, merci de ne pas en tenir compte.", "test"),
    },
    "es": {
        "partnership": (
            "La ONU debería celebrar reuniones periódicas y estructuradas con la sociedad civil "
            "en cada país, y no solo sesiones informativas puntuales.",
            "Los equipos de país necesitan un punto focal para la sociedad civil; muchas "
            "organizaciones no saben a quién dirigirse.",
            "Las convocatorias deberían traducirse a los idiomas locales y anunciarse con al "
            "menos un mes de antelación.",
            "Las pequeñas organizaciones de base no pueden viajar a Ginebra o Nueva York, por "
            "lo que la participación a distancia debe ser la norma.",
            "La financiación de los socios debería ser flexible y a largo plazo; los ciclos "
            "cortos de proyectos debilitan a las organizaciones locales.",
        ),
        "protection": (
            "Cada caso de represalia debería documentarse, recibir seguimiento y plantearse "
            "ante las autoridades al más alto nivel.",
            "Las personas defensoras de derechos humanos necesitan un canal confidencial para "
            "denunciar amenazas, con respuesta en pocos días.",
            "Debería ofrecerse a todos los socios formación en seguridad digital y "
            "herramientas de comunicación segura.",
            "La ONU nunca debe compartir con los gobiernos los nombres de los participantes "
            "sin su consentimiento.",
            "Las defensoras enfrentan riesgos específicos, como el acoso en línea y las "
            "campañas de desprestigio.",
        ),
        "promotion": (
            "La ONU debería pronunciarse públicamente cuando se aprueban leyes sobre "
            '"agentes extranjeros".',
            "Las leyes restrictivas sobre el registro de ONG deberían examinarse a la luz de "
            "las normas internacionales antes de su aprobación.",
            "Los coordinadores residentes deberían informar sobre el espacio cívico en sus "
            "informes anuales.",
            "Los ejemplos positivos, como las leyes que simplifican el registro, merecen tanta "
            "atención como las violaciones.",
            "Los datos sobre el espacio cívico deberían publicarse en formato abierto, "
            "desglosados por país y año.",
        ),
        "generic": (
            "Según nuestra experiencia, las consultas se anuncian demasiado tarde y los "
            "resultados rara vez se comparten con quienes participan.",
            "Recomendamos un mecanismo de seguimiento claro; de lo contrario, la participación "
            "se convierte en un mero trámite.",
            "Esto requiere voluntad política, recursos suficientes y una estrecha cooperación "
            "con las instituciones nacionales de derechos humanos.",
            "Gracias por esta consulta; esperamos que conduzca a cambios concretos.",
        ),
        "short": (
            "De acuerdo con las propuestas anteriores.",
            "Véase nuestra respuesta a la pregunta anterior.",
            "Sí.",
            "Más financiación; más visibilidad; más seguimiento.",
        ),
        "test": ("Envío de prueba, por favor ignorar.", "prueba"),
    },
    "ar": {
        "partnership": (
            "ينبغي للأمم المتحدة أن تعقد اجتماعات منتظمة ومنظمة مع المجتمع المدني في كل بلد، "
            "لا أن تكتفي بجلسات إحاطة عرضية.",
            "تحتاج الأفرقة القطرية إلى جهة تنسيق معنية بالمجتمع المدني؛ فكثير من المنظمات لا "
            "تعرف بمن تتصل.",
            "ينبغي ترجمة الدعوات إلى تقديم المساهمات إلى اللغات المحلية والإعلان عنها قبل شهر "
            "على الأقل.",
            "لا تستطيع المنظمات الشعبية الصغيرة السفر إلى جنيف أو نيويورك، لذا يجب أن تصبح "
            "المشاركة عن بُعد هي القاعدة.",
            "ينبغي أن يكون تمويل الشركاء مرناً وطويل الأجل؛ فدورات المشاريع القصيرة تُضعف "
            "المنظمات المحلية.",
        ),
        "protection": (
            "ينبغي توثيق كل حالة انتقام ومتابعتها وإثارتها مع السلطات على أعلى مستوى.",
            "يحتاج المدافعون عن حقوق الإنسان إلى قناة سرية للإبلاغ عن التهديدات، مع الرد "
            "عليهم في غضون أيام.",
            "ينبغي أن يُتاح لجميع الشركاء تدريب على الأمن الرقمي وأدوات اتصال آمنة.",
            "يجب ألا تُطلع الأمم المتحدة الحكومات أبداً على أسماء المشاركين دون موافقتهم.",
            "تواجه المدافعات عن حقوق الإنسان مخاطر خاصة، منها التحرش عبر الإنترنت وحملات التشهير.",
        ),
        "promotion": (
            'ينبغي للأمم المتحدة أن تعلن موقفها صراحةً عند اعتماد قوانين "العملاء الأجانب".',
            "ينبغي مراجعة القوانين التقييدية المتعلقة بتسجيل المنظمات غير الحكومية في ضوء "
            "المعايير الدولية قبل إقرارها.",
            "ينبغي للمنسقين المقيمين أن يتناولوا وضع الحيز المدني في تقاريرهم السنوية.",
            "تستحق الأمثلة الإيجابية، مثل القوانين التي تبسّط إجراءات التسجيل، القدر نفسه من "
            "الاهتمام الذي تحظى به الانتهاكات.",
            "ينبغي نشر البيانات المتعلقة بالحيز المدني بصيغة مفتوحة، مصنفة حسب البلد والسنة.",
        ),
        "generic": (
            "تفيد تجربتنا بأن الإعلان عن المشاورات يأتي متأخراً جداً، ونادراً ما تُطلع نتائجها "
            "على المشاركين.",
            "نوصي بآلية متابعة واضحة؛ وإلا أصبحت المشاركة مجرد إجراء شكلي.",
            "يتطلب ذلك إرادة سياسية وموارد كافية وتعاوناً وثيقاً مع المؤسسات الوطنية لحقوق الإنسان.",
            "شكراً على هذه المشاورة؛ ونأمل أن تفضي إلى تغييرات ملموسة.",
        ),
        "short": (
            "نتفق مع المقترحات الواردة أعلاه.",
            "انظر إجابتنا على السؤال السابق.",
            "نعم.",
            "مزيد من التمويل؛ مزيد من الظهور؛ مزيد من المتابعة.",
        ),
        "test": ("إرسال تجريبي، يرجى تجاهله.", "تجربة"),
    },
    "zh": {
        "partnership": (
            "联合国应在各国与民间社会定期举行有组织的会议，而不只是临时举办情况介绍会。",
            "国家工作队需要设立民间社会联络人；许多组织不知道应该联系谁。",
            "征集意见的通知应翻译成当地语言，并至少提前一个月发布。",
            "小型基层组织无法前往日内瓦或纽约，因此远程参与应成为常态。",
            "对合作伙伴的资助应灵活且长期；过短的项目周期会削弱地方组织。",
        ),
        "protection": (
            "每一起报复案件都应记录在案、跟进处理，并在最高层面向当局提出。",
            "人权维护者需要一个保密渠道来报告威胁，并在几天内得到答复。",
            "应向所有合作伙伴提供数字安全培训和安全通信工具。",
            "未经本人同意，联合国绝不能向政府透露参与者的姓名。",
            "女性人权维护者面临特殊风险，包括网络骚扰和抹黑运动。",
        ),
        "promotion": (
            '在通过所谓"外国代理人"法律时，联合国应公开表明立场。',
            "限制非政府组织登记的法律在通过之前，应对照国际标准进行审查。",
            "驻地协调员应在年度报告中说明公民空间的状况。",
            "简化登记手续的法律等积极范例，与侵权行为同样值得关注。",
            "有关公民空间的数据应以开放格式发布，并按国家和年份分列。",
        ),
        "generic": (
            "根据我们的经验，磋商往往通知得太晚，结果也很少反馈给参与者。",
            "我们建议建立明确的后续机制，否则参与只会流于形式。",
            "这需要政治意愿、充足的资源以及与国家人权机构的密切合作。",
            "感谢举办这次磋商，希望它能带来切实的改变。",
        ),
        "short": (
            "同意以上建议。",
            "请参见我们对上一个问题的回答。",
            "是的。",
            "更多资金；更多关注；更多后续行动。",
        ),
        "test": ("测试提交，请忽略。", "测试"),
    },
    "ru": {
        "partnership": (
            "ООН следует проводить регулярные и организованные встречи с гражданским обществом "
            "в каждой стране, а не только разовые брифинги.",
            "Страновым группам нужен координатор по работе с гражданским обществом; многие "
            "организации не знают, к кому обращаться.",
            "Призывы к представлению материалов следует переводить на местные языки и "
            "объявлять не менее чем за месяц.",
            "Небольшие низовые организации не могут ездить в Женеву или Нью-Йорк, поэтому "
            "дистанционное участие должно стать нормой.",
            "Финансирование партнеров должно быть гибким и долгосрочным; короткие проектные "
            "циклы ослабляют местные организации.",
        ),
        "protection": (
            "Каждый случай репрессий следует документировать, отслеживать и поднимать перед "
            "властями на самом высоком уровне.",
            "Правозащитникам нужен конфиденциальный канал для сообщений об угрозах с ответом в "
            "течение нескольких дней.",
            "Всем партнерам следует предлагать обучение цифровой безопасности и защищенные "
            "средства связи.",
            "ООН никогда не должна передавать правительствам имена участников без их согласия.",
            "Женщины-правозащитницы сталкиваются с особыми рисками, включая травлю в интернете "
            "и кампании по дискредитации.",
        ),
        "promotion": (
            "ООН следует публично высказываться, когда принимаются законы об «иностранных "
            'агентах» (так называемые "законы об иноагентах").',
            "Ограничительные законы о регистрации НПО следует до их принятия проверять на "
            "соответствие международным стандартам.",
            "Координаторам-резидентам следует освещать положение дел с гражданским "
            "пространством в своих ежегодных докладах.",
            "Положительные примеры, такие как законы, упрощающие регистрацию, заслуживают не "
            "меньшего внимания, чем нарушения.",
            "Данные о гражданском пространстве следует публиковать в открытом формате с "
            "разбивкой по странам и годам.",
        ),
        "generic": (
            "По нашему опыту, о консультациях объявляют слишком поздно, а их результаты редко "
            "доводят до участников.",
            "Мы рекомендуем четкий механизм последующих действий; иначе участие превращается в "
            "формальность.",
            "Для этого нужны политическая воля, достаточные ресурсы и тесное сотрудничество с "
            "национальными правозащитными учреждениями.",
            "Спасибо за эту консультацию; надеемся, что она приведет к конкретным изменениям.",
        ),
        "short": (
            "Согласны с предложениями выше.",
            "См. наш ответ на предыдущий вопрос.",
            "Да.",
            "Больше финансирования; больше внимания; больше последующих действий.",
        ),
        "test": ("Тестовая отправка, просьба не учитывать.", "тест"),
    },
}
# Blank answers as platforms write them (never a non-breaking space: only ASCII whitespace).
WHITESPACE_ANSWERS = (" ", "  ", "\n", "\t", " \n ")


# --------------------------------------------------------------------------------------------
# The consultation definition
# --------------------------------------------------------------------------------------------


def load_definition(path: Path = DEFINITION) -> dict:
    """The consultation definition (civic-space-2020.toml), parsed with tomllib."""
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _window(definition: dict) -> tuple[datetime, datetime]:
    return definition["opens"].astimezone(UTC), definition["closes"].astimezone(UTC)


# --------------------------------------------------------------------------------------------
# Ground truth
# --------------------------------------------------------------------------------------------


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    values = [v for v, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(values, weights=weights, k=1)[0]


def _apportion(weights: dict, total: int, minimum: int = 0) -> dict:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder)."""
    keys = list(weights)
    rest = total - minimum * len(keys)
    scale = sum(weights.values())
    exact = {k: rest * weights[k] / scale for k in keys}
    counts = {k: minimum + int(exact[k]) for k in keys}
    left = total - sum(counts.values())
    by_remainder = sorted(keys, key=lambda k: (-(exact[k] - int(exact[k])), keys.index(k)))
    for k in by_remainder[:left]:
        counts[k] += 1
    return counts


@dataclass
class _Draft:
    country: Country | None
    language: str
    stakeholder_type: str
    kind: str = "regular"  # or "test"
    submitted_at: datetime | None = None

    @property
    def region(self) -> str:
        return self.country.region if self.country else UNKNOWN_REGION

    @property
    def export(self) -> str:
        return EXPORT_OF_LANGUAGE[self.language]


def _draft_respondents(rng: random.Random) -> list[_Draft]:
    known = TOTAL_RESPONDENTS - UNKNOWN_COUNTRY_RESPONDENTS
    weights: dict[str, float] = {}
    for region, share in REGION_SHARE.items():
        members = [c for c in COUNTRIES if c.region == region]
        region_weight = sum(c.weight for c in members)
        for c in members:
            weights[c.iso3] = share * c.weight / region_weight * rng.uniform(0.75, 1.25)
    per_country = _apportion(weights, known, minimum=1)
    stakeholders = tuple((s, float(w)) for s, w in STAKEHOLDER_TYPES)
    drafts: list[_Draft] = []
    for iso3, count in per_country.items():
        country = COUNTRY_BY_ISO3[iso3]
        for _ in range(count):
            drafts.append(_Draft(country, _pick(rng, country.languages), _pick(rng, stakeholders)))
    language_mix = (("en", 50), ("es", 15), ("fr", 15), ("ar", 8), ("ru", 7), ("zh", 5))
    for _ in range(UNKNOWN_COUNTRY_RESPONDENTS):
        drafts.append(_Draft(None, _pick(rng, language_mix), _pick(rng, stakeholders)))
    rng.shuffle(drafts)
    return drafts


def _time_of_day(
    rng: random.Random, day: date, region: str, hours: range, boost: dict[int, float]
) -> datetime:
    offset = DAYTIME_OFFSET[region]
    hour_weights = [LOCAL_HOUR_WEIGHTS[(h + offset) % 24] * boost.get(h, 1.0) for h in hours]
    hour = rng.choices(list(hours), weights=hour_weights, k=1)[0]
    return datetime(
        day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=UTC
    )


def _assign_times(rng: random.Random, drafts: list[_Draft], opens: datetime, closes: datetime):
    first_day, last_day = opens.date(), closes.date()
    # Out of the window: a few test submissions before the launch and early birds, then late
    # ones; the rest are spread over the days of the window.
    by_export = {e: [d for d in drafts if d.export == e] for e in EXPORTS}
    for export, (tests, early, late, later) in OUT_OF_WINDOW.items():
        pool = [d for d in by_export[export] if d.country is not None]
        chosen = rng.sample(pool, tests + early + late + later)
        for i, d in enumerate(chosen):
            if i < tests:
                d.kind = "test"
                d.country = COUNTRY_BY_ISO3["CHE"]
                d.stakeholder_type = "Other"
                day = first_day - timedelta(days=rng.randint(1, 3))
                d.submitted_at = _time_of_day(rng, day, EU, range(8, 18), {})
            elif i < tests + early:
                d.submitted_at = _time_of_day(rng, first_day, d.region, range(6, 9), {})
            elif i < tests + early + late:
                d.submitted_at = _time_of_day(rng, last_day, d.region, range(18, 24), {})
                if d.submitted_at < closes + timedelta(minutes=1):
                    # Clear of the bound even where only minutes are written.
                    d.submitted_at = closes + timedelta(minutes=1, seconds=rng.randrange(60))
            else:
                day = last_day + timedelta(days=rng.randint(1, 3))
                d.submitted_at = _time_of_day(rng, day, d.region, range(24), {})
    in_window = [d for d in drafts if d.submitted_at is None]
    day_counts = _apportion(DAY_WEIGHTS, len(in_window))
    days = [day for day, count in day_counts.items() for _ in range(count)]
    rng.shuffle(days)
    for d, day in zip(in_window, days, strict=True):
        if day == first_day:
            # Launch day: from 09:00 UTC, busiest in the hours after the announcement.
            d.submitted_at = _time_of_day(rng, day, d.region, range(9, 24), {9: 3, 10: 2.5, 11: 2})
        elif day == last_day:
            # Last day: until 18:00 UTC, with a rush in the last hours.
            d.submitted_at = _time_of_day(
                rng, day, d.region, range(18), {14: 1.5, 15: 2, 16: 2.5, 17: 3}
            )
        else:
            d.submitted_at = _time_of_day(rng, day, d.region, range(24), {})
    # The bounds themselves belong to the window: one English respondent at each.
    english = [d for d in in_window if d.export == EXPORT_EN]
    english[0].submitted_at = opens
    english[1].submitted_at = closes
    # Likewise one French respondent at each bound (10:00 and 19:00 Paris time).
    french = [d for d in in_window if d.export == EXPORT_FR]
    french[0].submitted_at = opens
    french[1].submitted_at = closes
    for d in drafts:
        assert d.submitted_at is not None
        if d.export == EXPORT_FR:
            # The French export writes minutes only.
            d.submitted_at = d.submitted_at.replace(second=0)


def _compose(rng: random.Random, language: str, theme: str) -> str:
    bank = PHRASES[language]
    if rng.random() < 0.08:
        return rng.choice(bank["short"])
    n = rng.choices((1, 2, 3, 4), weights=(50, 32, 13, 5), k=1)[0]
    pool = list(bank[theme]) * 3 + list(bank["generic"])
    sentences: list[str] = []
    while len(sentences) < n:
        s = rng.choice(pool)
        if s not in sentences:
            sentences.append(s)
    space = "" if language == "zh" else " "
    style = rng.random()
    if n >= 2 and style < 0.08:
        return "\n".join(f"- {s}" for s in sentences)
    if n >= 2 and style < 0.22:
        return "\n".join(sentences)
    if n >= 2 and style < 0.27:
        return "\n\n".join(sentences)
    return space.join(sentences)


def _answers(rng: random.Random, d: _Draft, questions: list[dict]) -> dict[str, str]:
    qids = [q["id"] for q in questions]
    theme_of = {q["id"]: q["theme"] for q in questions}
    if d.kind == "test":
        chosen = sorted(rng.sample(qids, rng.randint(1, 3)), key=qids.index)
        return {q: rng.choice(PHRASES[d.language]["test"]) for q in chosen}
    if rng.random() < 0.03:
        # Left every answer blank. A long export has nothing to say about the questions; a
        # wide one may still carry whitespace in a cell or two.
        if d.export == EXPORT_FR or rng.random() < 0.5:
            return {}
        chosen = sorted(rng.sample(qids, rng.randint(1, 2)), key=qids.index)
        return {q: rng.choice(WHITESPACE_ANSWERS) for q in chosen}
    k = rng.choices(range(1, 10), weights=(14, 14, 14, 12, 10, 8, 7, 6, 15), k=1)[0]
    chosen = sorted(rng.sample(qids, k), key=qids.index)
    answers: dict[str, str] = {}
    for q in chosen:
        r = rng.random()
        if r < 0.03:
            answers[q] = rng.choice(WHITESPACE_ANSWERS)
        elif r < 0.04:
            answers[q] = ""
        else:
            answers[q] = _compose(rng, d.language, theme_of[q])
    if all(not a.strip() for a in answers.values()):
        # Not one of the all-blank respondents: keep at least one answer.
        answers[chosen[0]] = _compose(rng, d.language, theme_of[chosen[0]])
    return answers


def generate_respondents() -> list[SampleRespondent]:
    """The sample's respondents, in export order (English, French, Russian) and id order."""
    definition = load_definition()
    opens, closes = _window(definition)
    questions = definition["questions"]
    rng = random.Random(SEED)
    drafts = _draft_respondents(rng)
    _assign_times(rng, drafts, opens, closes)
    respondents: list[SampleRespondent] = []
    for export in EXPORTS:
        in_export = [d for d in drafts if d.export == export]
        # Stable sort: ties keep the (seeded) draft order.
        in_export.sort(key=lambda d: d.submitted_at)
        for n, d in enumerate(in_export, start=1):
            assert d.submitted_at is not None
            respondents.append(
                SampleRespondent(
                    respondent_id=f"{ID_PREFIX[export]}-{n:05d}",
                    submitted_at=d.submitted_at,
                    country_iso3=d.country.iso3 if d.country else None,
                    region=d.region,
                    language=d.language,
                    stakeholder_type=d.stakeholder_type,
                    answers=_answers(rng, d, questions),
                    export=export,
                )
            )
    return respondents


# --------------------------------------------------------------------------------------------
# How the exports write the fields
# --------------------------------------------------------------------------------------------


def _respondent_rng(r: SampleRespondent) -> random.Random:
    # Field forms are drawn from a generator seeded per respondent, so that they do not
    # depend on the order the rows are written in.
    return random.Random(f"{SEED}:{r.respondent_id}")


def _country_text(rng: random.Random, r: SampleRespondent) -> str:
    if r.country_iso3 is None:
        return rng.choice(UNKNOWN_COUNTRY_TEXT)
    c = COUNTRY_BY_ISO3[r.country_iso3]
    if r.export == EXPORT_FR:
        return c.names["fr"]
    if r.export == EXPORT_RU:
        return c.names["ru"]
    forms: list[tuple[str, float]] = [(c.names["en"], 50)]
    if c.un_name:
        forms.append((c.un_name, 20))
    forms.extend((alt, 6) for alt in c.alt_names)
    forms.append((c.iso3, 8))
    if c.iso2 != "NA":
        forms.append((c.iso2, 7))
    if r.language != "en" and r.language in c.names:
        forms.append((c.names[r.language], 40))
    return _pick(rng, tuple(forms))


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _en_time_text(rng: random.Random, r: SampleRespondent) -> str:
    style = rng.random()
    if style < 0.55:
        return r.submitted_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style < 0.62:
        return r.submitted_at.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    hours = rng.choice(OFFSETS[r.region])
    local = r.submitted_at.astimezone(timezone(timedelta(hours=hours)))
    sep = " " if style < 0.85 else "T"
    return local.strftime(f"%Y-%m-%d{sep}%H:%M:%S") + _offset_text(local.utcoffset())


def _en_language_text(rng: random.Random, r: SampleRespondent) -> str:
    return _pick(rng, tuple((f, float(w)) for f, w in LANGUAGE_FORMS[r.language]))


def field_texts(r: SampleRespondent) -> dict[str, str]:
    """How ``r``'s export writes its submission time, country and language (xlsx: the time as
    naive Moscow time in ISO form, though the cell holds a date-time)."""
    rng = _respondent_rng(r)
    if r.export == EXPORT_EN:
        when = _en_time_text(rng, r)
        language = _en_language_text(rng, r)
    elif r.export == EXPORT_FR:
        when = r.submitted_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
        language = FR_LANGUAGE_TEXT
    else:
        when = r.submitted_at.astimezone(MOSCOW).replace(tzinfo=None).isoformat()
        language = RU_LANGUAGE_TEXT
    return {"submitted_at": when, "country": _country_text(rng, r), "language": language}


def country_forms() -> dict[str, str | None]:
    """Every country text the exports contain, mapped to its ISO3 code (None: unknown)."""
    forms: dict[str, str | None] = {}
    for r in generate_respondents():
        text = field_texts(r)["country"]
        if forms.setdefault(text, r.country_iso3) != r.country_iso3:
            raise AssertionError(f"{text!r} names two countries")
    return dict(sorted(forms.items()))


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


def _write_en(respondents: list[SampleRespondent], qids: list[str]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["Respondent ID", "Submitted at", "Country", "Language", "Stakeholder type"]
        + [q.upper() for q in qids]
    )
    for r in respondents:
        texts = field_texts(r)
        writer.writerow(
            [
                r.respondent_id,
                texts["submitted_at"],
                texts["country"],
                texts["language"],
                r.stakeholder_type,
            ]
            + [r.answers.get(q, "") for q in qids]
        )
    return buf.getvalue().encode("utf-8")


def _write_fr(respondents: list[SampleRespondent], qids: list[str]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Identifiant",
            "Date de soumission",
            "Pays",
            "Langue",
            "Type d'acteur",
            "Question",
            "Réponse",
        ]
    )
    for r in respondents:
        texts = field_texts(r)
        head = [
            r.respondent_id,
            texts["submitted_at"],
            texts["country"],
            texts["language"],
            r.stakeholder_type,
        ]
        if not r.answers:
            writer.writerow([*head, "", ""])
        for q in qids:
            if q in r.answers:
                writer.writerow([*head, q.upper(), r.answers[q]])
    return buf.getvalue().encode("utf-8-sig")


RU_COLUMNS = ("Идентификатор", "Дата отправки", "Страна", "Язык", "Тип участника")
RU_SHEET = "Ответы"


def _write_ru(respondents: list[SampleRespondent], questions: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = RU_SHEET
    ws.append([*RU_COLUMNS, *(q["text"]["ru"] for q in questions)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in respondents:
        texts = field_texts(r)
        moscow = r.submitted_at.astimezone(MOSCOW).replace(tzinfo=None)
        answers = [r.answers.get(q["id"]) or None for q in questions]
        ws.append(
            [
                r.respondent_id,
                moscow,
                texts["country"] or None,
                texts["language"],
                r.stakeholder_type,
                *answers,
            ]
        )
        ws.cell(row=ws.max_row, column=2).number_format = "dd.mm.yyyy hh:mm:ss"
    for letter, width in zip("ABCDE", (14, 20, 24, 10, 30), strict=True):
        ws.column_dimensions[letter].width = width
    for i in range(len(questions)):
        ws.column_dimensions[chr(ord("F") + i)].width = 50
    ws.freeze_panes = "A2"
    wb.properties.creator = "sample_data/generate.py"
    wb.properties.created = XLSX_TIMESTAMP
    wb.properties.modified = XLSX_TIMESTAMP
    # openpyxl's save() stamps "modified" with the clock; its writer does not.
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    # Re-pack with fixed entry timestamps so the bytes do not depend on the clock.
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=XLSX_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _mapping_fr() -> str:
    return (
        "# Mapping for reponses_fr.csv (long format, French headers), written by generate.py.\n"
        'format = "long"\n'
        "\n"
        "[columns]\n"
        'respondent_id = "Identifiant"\n'
        'submitted_at = "Date de soumission"\n'
        'country = "Pays"\n'
        'language = "Langue"\n'
        'stakeholder_type = "Type d\'acteur"\n'
        'question_id = "Question"\n'
        'answer = "Réponse"\n'
        "\n"
        "[parse]\n"
        "day_first = true\n"
        'timezone = "Europe/Paris"\n'
    )


def _mapping_ru(questions: list[dict]) -> str:
    fields = ("respondent_id", "submitted_at", "country", "language", "stakeholder_type")
    lines = [
        "# Mapping for responses_ru.xlsx (wide format, Russian headers), written by generate.py.",
        'format = "wide"',
        f"sheet = {_toml_string(RU_SHEET)}",
        "",
        "[columns]",
        *(f"{f} = {_toml_string(h)}" for f, h in zip(fields, RU_COLUMNS, strict=True)),
        "",
        "[questions]",
        *(f"{_toml_string(q['text']['ru'])} = {_toml_string(q['id'])}" for q in questions),
        "",
        "[parse]",
        'timezone = "Europe/Moscow"',
    ]
    return "\n".join(lines) + "\n"


def render_files() -> dict[str, bytes]:
    """The bytes of every file main() writes, by file name."""
    definition = load_definition()
    questions = definition["questions"]
    qids = [q["id"] for q in questions]
    respondents = generate_respondents()
    of = {e: [r for r in respondents if r.export == e] for e in EXPORTS}
    return {
        EXPORT_EN: _write_en(of[EXPORT_EN], qids),
        EXPORT_FR: _write_fr(of[EXPORT_FR], qids),
        MAPPING_FR: _mapping_fr().encode("utf-8"),
        EXPORT_RU: _write_ru(of[EXPORT_RU], questions),
        MAPPING_RU: _mapping_ru(questions).encode("utf-8"),
    }


def main(out_dir: Path | None = None) -> list[Path]:
    """Write the exports and their mapping files into ``out_dir`` (default: next to this file)."""
    target = HERE if out_dir is None else Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in render_files().items():
        path = target / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
