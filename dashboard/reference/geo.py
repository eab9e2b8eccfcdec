"""Country reference data and a forgiving (but never fuzzy) country-name resolver.

Where ``countries.csv`` comes from
--------------------------------------------
* ``iso3``, ``iso2``: ISO 3166-1 as shipped by pycountry 26.2.16 (all 249 entries).
* ``m49``, ``name_en``, ``region``, ``subregion``, ``intermediate_region``: the UN Statistics
  Division's "Standard country or area codes for statistical use (M49)" overview table, as
  redistributed in the OCHA "Countries & Territories Taxonomy" (hdx-python-country 4.2.5), and
  cross-checked against country_converter 1.3.2 (which wrongly puts Nauru in Polynesia; M49 says
  Micronesia, which is what we ship). ``m49`` is a zero-padded 3-digit string.
* Taiwan (TWN) is not listed separately by M49 (the UN treats it as part of China). So that it is
  never lost from regional totals we give it the region of China, Asia / Eastern Asia, with the
  ISO 3166 code 158 and the ISO name "Taiwan, Province of China"; ``un_group`` is blank.
* Antarctica (ATA, 010) has no M49 region: ``region`` and ``subregion`` are blank.
* ``un_group``: the five UN regional groups of member states (the list kept by DGACM and used by
  the Human Rights Council for elections). Conventions: Israel and Türkiye count in the Western
  European and Others Group only (Türkiye also takes part in the Asia-Pacific Group, but not for
  elections); the United States is an observer of WEOG that is counted there for elections;
  Kiribati counts in the Asia-Pacific Group (it long belonged to none). Observer states (Holy See,
  State of Palestine), non-member states (Cook Islands, Niue) and all territories are blank.
  Totals: African 54, Asia-Pacific 54, Eastern European 23, Latin American and Caribbean 33,
  Western European and Others 29 (28 + the United States): 193 member states.

How names are resolved
----------------------
``resolve_country`` accepts ISO 3166-1 alpha-2/alpha-3 codes in any case, M49 numeric codes as
strings or numbers, and names. Names are compared after folding: Unicode NFKC, casefold, combining
marks removed (accents in Latin script, also Cyrillic ё/й and Arabic harakat, which people write
either way), Arabic alef/yeh/teh-marbuta variants unified, apostrophes, hyphens, punctuation and
spaces ignored, the articles "the", "le", "la", "les", "l'" ignored, "&" read as "and" and the
abbreviations "St", "Ste", "Rep", "Dem", "Fed", "Sts", "SAR", "PDR" and a trailing "Is" expanded.
Names known for each country come from, in order of precedence:

1. a hand-written table of English variants (``_ALIASES``) and deliberate refusals (``_REFUSED``);
2. the UN M49 English name, pycountry's ``name``/``official_name``/``common_name``, the UN's own
   short names in the other five languages where babel and pycountry lack them (``_UN_NAMES``),
   and their reorderings ("Iran (Islamic Republic of)" = "Iran, Islamic Republic of" = "Islamic
   Republic of Iran");
3. CLDR names from babel and ISO 3166 names from pycountry's gettext catalogues in the six UN
   languages (Arabic, Chinese simplified and traditional, English, French, Russian, Spanish);
4. the part before a comma or parenthesis of any of those ("Iran", "Bolivia", "Netherlands");
5. CLDR names in every locale babel ships ("Deutschland", "Österreich", "Espanya", "Suomi",
   "대한민국"), then the part before a comma or parenthesis of those.

A folded name claimed by two countries at the same level is ambiguous and resolves to None unless
a higher level settles it: a name that means one country in one language and another country in
another ("Toga": Tóga is Togo in Irish, Tõga is Tonga in Nheengatu; "Kongo", "Sabiya", "Lusia")
is never guessed, and a name an earlier level already claims keeps that meaning. Marks that do
not combine (the vowel signs of Brahmic scripts) are kept in the key, so टोगो (Togo) and टोंगा
(Tonga) stay apart. Deliberate decisions: "Congo" alone is the Republic of the Congo (COG,
its UN name, as CLDR's Spanish and Chinese names also have it); "Korea" alone and "Virgin Islands"
alone are ambiguous and return None; "Saint Martin" / "Saint-Martin" is the French part (MAF,
as in CLDR), the Dutch part being "Sint Maarten"; "NA" in any case returns None although it is
Namibia's alpha-2 code, because in survey data it far more often means "not available" (pandas
reads it as missing too; Namibia resolves from "NAM", "516" or its name), and so do "No"/"no"
(all-capitals "NO" is Norway); a name with a parenthesis that is not itself a known form resolves
only when every part names the same country ("Kenya (KEN)") or a territory is followed by its
administering State ("Guadeloupe (France)"). Kosovo is not in ISO 3166-1 / pycountry and returns
None. Anything unrecognised returns None and is filed by the caller under ``UNKNOWN``.

``matched_in_another_language`` says whether a value resolved through a name that is not English
(the importer lists those). ``subnational_country`` gives the country of a region, province or
state (ISO 3166-2 names from pycountry, also as its catalogues write them in the UN languages and
the country's own: "Catalunya", "Bavaria", "Bayern", "Texas", "Québec") that is no country's name
and names a place in one country only ("Punjab", "Limburg", "Córdoba" are refused, and so are
names made of generic words such as "North" or "Centre"); subdivisions that ISO 3166-1 lists as
countries of their own (Taiwan, Hong Kong, Åland, French and US overseas parts), Western Sahara's
and Kosovo's are left out. It is built on first use (under half a second); the importer asks it
only about values that are no country.
"""

from __future__ import annotations

import csv
import gettext
import math
import numbers
import re
import unicodedata
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dashboard.reference import i18n
from dashboard.reference.i18n import NP_, pgettext

__all__ = [
    "M49_REGIONS",
    "UNKNOWN",
    "UN_GROUPS",
    "Country",
    "countries",
    "country_name",
    "matched_in_another_language",
    "place_name",
    "resolve_countries",
    "resolve_country",
    "subnational_country",
]

UN_GROUPS: tuple[str, ...] = (
    "African Group",
    "Asia-Pacific Group",
    "Eastern European Group",
    "Latin American and Caribbean Group",
    "Western European and Others Group",
)
M49_REGIONS: tuple[str, ...] = ("Africa", "Americas", "Asia", "Europe", "Oceania")
UNKNOWN = "Unknown"
NO_GROUP = "No regional group"

# The names of M49 regions and sub-regions, UN regional groups and the placeholders for what is
# not known, as the data holds them (English, the names of the M49 standard): marked so that
# each language gets the UN's own name (M49 is published in the six languages) rather than
# CLDR's, which differ ("Latin America" for "Latin America and the Caribbean").
PLACE_NAMES = (
    NP_("place", "Africa"),
    NP_("place", "Americas"),
    NP_("place", "Asia"),
    NP_("place", "Europe"),
    NP_("place", "Oceania"),
    NP_("place", "Northern Africa"),
    NP_("place", "Sub-Saharan Africa"),
    NP_("place", "Latin America and the Caribbean"),
    NP_("place", "Northern America"),
    NP_("place", "Central Asia"),
    NP_("place", "Eastern Asia"),
    NP_("place", "South-eastern Asia"),
    NP_("place", "Southern Asia"),
    NP_("place", "Western Asia"),
    NP_("place", "Eastern Europe"),
    NP_("place", "Northern Europe"),
    NP_("place", "Southern Europe"),
    NP_("place", "Western Europe"),
    NP_("place", "Australia and New Zealand"),
    NP_("place", "Melanesia"),
    NP_("place", "Micronesia"),
    NP_("place", "Polynesia"),
    NP_("place", "African Group"),
    NP_("place", "Asia-Pacific Group"),
    NP_("place", "Eastern European Group"),
    NP_("place", "Latin American and Caribbean Group"),
    NP_("place", "Western European and Others Group"),
    NP_("place", "No regional group"),
    NP_("place", "Unknown"),
)

_CSV_PATH = Path(__file__).with_name("countries.csv")
# Natural Earth country outlines for Plotly's geo charts (see maps/NOTICE.md), read here and
# served by the app so that no map fetches its geometry from a CDN.
MAP_DIR = Path(__file__).with_name("maps")

# Locales whose territory names are indexed: the six official UN languages.
_BABEL_LOCALES = ("ar", "zh_Hans", "zh_Hant", "en", "fr", "ru", "es")
_GETTEXT_LANGUAGES = ("ar", "zh_CN", "zh_TW", "zh_HK", "fr", "ru", "es")


@dataclass(frozen=True)
class Country:
    """One row of ``reference/countries.csv``; empty strings where a field does not apply."""

    iso3: str
    iso2: str
    m49: str
    name_en: str
    region: str
    subregion: str
    intermediate_region: str
    un_group: str


@cache
def countries() -> dict[str, Country]:
    """All 249 ISO 3166-1 countries and territories, keyed by ISO alpha-3 code."""
    with _CSV_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["iso3"]: Country(**row) for row in csv.DictReader(handle)}


def place_name(name: object) -> object:
    """A region, sub-region or UN regional group (its English M49 name, as stored) in the
    language in force; anything else (not a text, or not a known place) unchanged."""
    if not isinstance(name, str) or name not in PLACE_NAMES:
        return name
    return pgettext("place", name)


def country_name(iso3: object, english: object = None) -> object:
    """A country (by ISO alpha-3) named in the language in force, from CLDR; `english` (the
    stored name) where CLDR has none; "Unknown" translated."""
    if iso3 == UNKNOWN or iso3 is None:
        return pgettext("place", UNKNOWN) if english in (None, UNKNOWN) else english
    country = countries().get(str(iso3))
    if i18n.current() == i18n.DEFAULT or country is None:
        return english if english is not None else (country.name_en if country else iso3)
    return i18n.territory_name(country.iso2) or english or country.name_en


# --------------------------------------------------------------------------------------------
# Hand-written variants (level 1). Keys are written forms; folding makes case, accents,
# punctuation and articles irrelevant, so "U.S.A." and "usa" need no separate entry.
_ALIASES: dict[str, tuple[str, ...]] = {
    "ARE": ("UAE", "Emirates", "United Arab Emirates"),
    "AUS": ("Commonwealth of Australia",),
    "ATG": ("Antigua",),
    "BHS": ("Bahamas, The",),
    "BES": ("Bonaire, Saint Eustatius and Saba", "Caribbean Netherlands"),
    "BIH": ("Bosnia", "Bosnia Herzegovina", "Bosnia-Herzegovina"),
    "BLM": ("St Barths", "St Barts", "Saint Barth"),
    "BOL": ("Bolivia",),
    "BRN": ("Brunei",),
    "CAF": ("CAR",),
    "CIV": ("Ivory Coast", "Cote d'Ivoire", "Republic of Cote d'Ivoire"),
    "COD": (
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
        "DR Congo",
        "DRC",
        "D.R. Congo",
        "Congo DR",
        "Congo, DR",
        "Congo, DRC",
        "RDC",
        "RD Congo",
        "Democratic Republic of Congo",
        "Dem. Rep. Congo",
        "Congo, Dem. Rep.",
        "Dem. Rep. of the Congo",
        "Zaire",
    ),
    "COG": (
        "Congo",
        "Congo-Brazzaville",
        "Congo (Brazzaville)",
        "Republic of Congo",
        "Republic of the Congo",
        "Congo Republic",
        "Congo, Rep.",
        "Congo, Republic of",
        "Congo, Republic of the",
    ),
    "CPV": ("Cape Verde", "Cabo Verde"),
    "CZE": ("Czech Republic", "Czechia", "Czech"),
    "EGY": ("Egypt, Arab Rep.",),
    "FSM": ("Micronesia", "Federated States of Micronesia", "Micronesia, Fed. Sts."),
    "GBR": (
        "UK",
        "United Kingdom",
        "Britain",
        "Great Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "England and Wales",
        "United Kingdom of Great Britain and Northern Ireland",
    ),
    "GMB": ("Gambia, The",),
    "GUY": ("Co-operative Republic of Guyana", "Cooperative Republic of Guyana"),
    "HKG": ("Hong Kong", "Hong Kong SAR", "Hong Kong, China", "Hong Kong SAR, China"),
    "IRL": ("Republic of Ireland", "Eire"),
    "HUN": ("Republic of Hungary",),
    "IRN": ("Iran", "Iran, Islamic Rep."),
    "KGZ": ("Kyrgyz Republic",),
    "KOR": ("South Korea", "Korea, South", "Korea South", "Korea, Rep.", "Rep. of Korea"),
    "LAO": ("Laos", "Lao", "Lao PDR"),
    "LBY": ("State of Libya",),
    "MAC": ("Macau", "Macao", "Macao SAR", "Macau SAR", "Macao, China", "Macao SAR, China"),
    "MDA": ("Moldova",),
    "MKD": (
        "Macedonia",
        "North Macedonia",
        "FYROM",
        "The former Yugoslav Republic of Macedonia",
        "Macedonia, FYR",
        "Republic of North Macedonia",
        "North Macedonia, Republic of",
    ),
    "MMR": ("Burma", "Myanmar (Burma)", "Republic of the Union of Myanmar"),
    "NLD": ("Holland", "The Netherlands", "Netherlands"),
    "PRK": (
        "North Korea",
        "Korea, North",
        "Korea North",
        "DPRK",
        "DPR Korea",
        "Korea, Dem. People's Rep.",
        "Korea DPR",
    ),
    "PSE": (
        "Palestine",
        "State of Palestine",
        "Palestinian Territories",
        "Palestinian Territory",
        "Occupied Palestinian Territory",
        "West Bank and Gaza",
        "oPt",
        "فلسطين",
        "دولة فلسطين",
        "巴勒斯坦",
        "巴勒斯坦国",
        "Palestina",
        "Палестина",
        "Государство Палестина",
    ),
    "RUS": ("Russia", "Russian Federation"),
    "RWA": ("Republic of Rwanda",),
    "SAU": ("KSA",),
    "STP": ("Sao Tome", "Sao Tome & Principe"),
    "SVK": ("Slovak Republic",),
    "SWZ": ("Swaziland", "Eswatini", "Kingdom of Eswatini"),
    "SYR": ("Syria",),
    "TLS": ("East Timor", "Timor-Leste", "Timor Leste"),
    "TTO": ("Trinidad",),
    "TUR": ("Turkey", "Turkiye", "Republic of Turkey"),
    "TWN": (
        "Taiwan",
        "Chinese Taipei",
        "China, Taiwan Province of China",
        "Taiwan Province of China",
        "Taiwan, China",
    ),
    "TZA": ("Tanzania",),
    "USA": (
        "USA",
        "US",
        "United States",
        "United States of America",
        "America",
        "U.S. of America",
    ),
    "URY": ("Oriental Republic of Uruguay",),
    "VAT": ("Vatican", "Vatican City", "Vatican City State", "Holy See"),
    "VEN": ("Venezuela", "Venezuela, RB"),
    "VGB": ("BVI", "Virgin Islands (British)", "Virgin Islands, British"),
    "VIR": ("US Virgin Islands", "Virgin Islands (U.S.)", "Virgin Islands, U.S."),
    "VNM": ("Vietnam", "Viet Nam"),
    "YEM": ("Yemen, Rep.",),
}

# UN official short names in the other five UN languages (UNSD M49 and UNTERM, as redistributed
# in the OCHA taxonomy above) that babel and pycountry's catalogues do not already give
# (level 2, with the M49 English names). Spellings are the UN's own, quirks included.
_UN_NAMES: dict[str, tuple[str, ...]] = {
    "ALA": ("Îles d’Åland", "Аландских островов"),
    "ATA": ("Антарктике",),
    "ATF": (
        "Territorio de las Tierras Australes Francesas",
        "Южные земли (французская заморская территория)",
        "法属南方领地",
        "الأراضي الفرنسية الجنوبية الجنوبية",
    ),
    "BEN": ("بنن",),
    "BES": (
        "Bonaire, San Eustaquio y Saba",
        "博纳尔，圣俄斯塔休斯和萨巴",
        "بونير وسانت يوستاشيوس وسابا",
    ),
    "BHS": ("Багамские Острова",),
    "BLM": ("San Barthélemy",),
    "BMU": ("Бермудские острова",),
    "BOL": (
        "Боливия (Многонациональное Государство)",
        "多民族玻利维亚国",
        "بوليفيا (دولة - المتعددة القوميات)",
    ),
    "BRN": ("文莱达鲁萨兰国", "بروني دار السلام"),
    "BVT": ("布维岛", "جزيرة بوفيت"),
    "CCK": ("Îles des Cocos (Keeling)", "Кокосовых (Килинг) островов", "جزر كوكس (كيلينغ)"),
    "CHL": ("شيلي",),
    "CIV": ("كوت ديفوار",),
    "COD": ("جمهورية الكونغو الديمقراطية",),
    "COM": ("Коморские Острова",),
    "CPV": ("كابو فيردي",),
    "CXR": ("Isla Christmas", "جزيرة عيد الميلاد"),
    "CYM": ("Îles Caïmanes", "Кайман острова"),
    "CZE": ("تشيكيا",),
    "DOM": ("多米尼加", "الجمهورية الدومينيكية"),
    "ECU": ("إكوادور",),
    "FLK": ("Îles Falkland (Malvinas)", "Islas Malvinas (Falkland)", "جزر فوكلاند (مالفيناس)"),
    "FRO": ("جزر فايرو",),
    "FSM": ("Микронезия (Федеративные Штаты)", "ميكرونيزيا (ولايات - الموحدة)"),
    "GAB": ("غابون",),
    "GGY": ("格恩西", "غيرنسي"),
    "GRL": ("غرينلند",),
    "HKG": (
        "Chine, région administrative spéciale de Hong Kong",
        "China, región administrativa especial de Hong Kong",
        "Китай, Специальный административный район Гонконг",
        "الصين، منطقة هونغ كونغ الإدارية الخاصة",
    ),
    "HMD": ("Île Heard-et-Îles MacDonald", "赫德岛和麦克唐纳岛"),
    "IOT": ("英属印度洋领土", "المحيط الهندي الإقليم البريطاني في"),
    "IRN": (
        "Irán (República Islámica del)",
        "Иран (Исламская Республика)",
        "إيران (جمهورية - الإسلامية)",
    ),
    "JEY": ("泽西",),
    "KAZ": ("Kazajstán",),
    "KGZ": ("Кыргызстан",),
    "KIR": ("كيريباس",),
    "KNA": ("Saint-Kitts-et-Nevis", "Saint Kitts y Nevis"),
    "KOR": ("جمهورية كوريا",),
    "LAO": ("República Democrática Popular Lao", "جمهورية لاو الديمقراطية الشعبية"),
    "LBR": ("ليبريا",),
    "LUX": ("لكسمبرغ",),
    "MAC": (
        "Chine, région administrative spéciale de Macao",
        "China, región administrativa especial de Macao",
        "Китай, Специальный административный район Макао",
        "الصين، منطقة ماكاو الإدارية الخاصة",
    ),
    "MAF": (
        "San Martín (parte francesa)",
        "Сен-Мартен (французская часть)",
        "圣马丁（法属）",
        "سانت مارتن (الجزء الفرنسي)",
    ),
    "MDA": ("República de Moldova",),
    "MDV": ("Мальдивские Острова", "ملديف"),
    "MNP": ("Islas Marianas Septentrionales", "Северные Марианские острова"),
    "MOZ": ("موزامبيق",),
    "MYT": ("Остров Майотта",),
    "NLD": (
        "Pays-Bas (Royaume des)",
        "Países Bajos (Reino de los)",
        "Нидерланды (Королевство)",
        "هولندا (مملكة _)",
    ),
    "NRU": ("Naoero", "Наоэро", "ناويرو", "Republic of Naoero"),
    "NZL": ("Nueva Zelandia",),
    "PCN": ("بيتكرن",),
    "PRK": ("جمهورية كوريا الشعبية الديمقراطية",),
    "RUS": ("Federación de Rusia", "俄罗斯联邦"),
    "SAU": ("Arabia Saudita",),
    "SGS": ("Georgia del Sur y las Islas Sandwich del Sur", "南乔治亚岛和南桑德韦奇岛"),
    "SHN": ("سانت هيلانة",),
    "SJM": (
        "Îles Svalbard-et-Jan Mayen",
        "Islas Svalbard y Jan Mayen",
        "Острова Свальбард и Ян-Майен",
        "斯瓦尔巴群岛和扬马延岛",
        "جزيرتي سفالبارد وجان مايِن",
    ),
    "SPM": ("سان بيير وميكلون",),
    "STP": ("سان تومي وبرينسيبي",),
    "SXM": ("San Martín (parte Holandesa)", "Синт-Мартен (нидерландская часть)", "圣马丁（荷属）"),
    "SYC": ("Сейшельские Острова", "سيشيل"),
    "SYR": ("República Árabe Siria",),
    "TCA": ("Острова Теркс и Кайкос", "جزر تركس وكايكوس"),
    "THA": ("تايلند",),
    "TKL": ("Tokélaou",),
    "TLS": ("Тимор-Лешти",),
    "TTO": ("Trinidad y Tabago",),
    "UMI": (
        "Islas menores alejadas de Estados Unidos",
        "Внешние малые острова Соединенных Штатов",
        "نائية التابعة للولايات المتحدة",
    ),
    "URY": ("أوروغواي",),
    "USA": ("الولايات المتحدة الأمريكية",),
    "VAT": ("Святой Престол", "الكرسي الرسولي", "罗马教廷"),
    "VEN": ("Венесуэла (Боливарианская Республика)", "فنزويلا (جمهورية - البوليفارية)"),
    "VGB": ("جزر فرجن البريطانية",),
    "VIR": (
        "Îles Vierges américaines",
        "Виргинские острова Соединенных Штатов",
        "جزر فرجن التابعة للولايات المتحدة",
    ),
    "VNM": ("فييت نام",),
    "WLF": (
        "Îles Wallis-et-Futuna",
        "Islas Wallis y Futuna",
        "Острова Уоллис и Футуна",
        "瓦利斯群岛和富图纳群岛",
        "جزر واليس وفوتونا",
    ),
}

# Written forms that could mean more than one country: always None, whatever the sources say.
_REFUSED: tuple[str, ...] = ("Korea", "Virgin Islands")

# Two-letter strings that are ISO codes but are not read as one (see the module docstring):
# "NA" in any case (pandas reads it as missing too), and "No"/"no" (but not "NO", Norway).
_REFUSED_CODES = frozenset({"NA", "Na", "nA", "na", "No", "no", "nO"})
# Exceptionally reserved or widely used codes that ISO does not assign to the country.
_EXTRA_CODES = {"UK": "GBR"}

# --------------------------------------------------------------------------------------------
# Folding.
_APOSTROPHES = "'’‘`´ʼʹ′＇"
_FOLD_TABLE = str.maketrans(
    {
        **{ch: " " for ch in _APOSTROPHES},
        "&": " and ",
        # Arabic letter variants that are written interchangeably.
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ـ": None,  # tatweel
    }
)
_ARTICLES = frozenset({"the", "le", "la", "les", "l"})
_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "rep": "republic",
    "dem": "democratic",
    "fed": "federated",
    "sts": "states",
    "sar": "special administrative region",
    "pdr": "peoples democratic republic",
    "isl": "islands",
}
_NON_WORD = re.compile(r"[\W_]+")
_CODE2 = re.compile(r"[A-Za-z]{2}")
_CODE3 = re.compile(r"[A-Za-z]{3}")
_NUMERIC = re.compile(r"\d{1,3}(?:\.0*)?")


def _fold(text: str) -> str:
    """The comparison key of a written form: see the module docstring."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD_TABLE)
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    if text.isascii():
        text = _NON_WORD.sub(" ", text)
    else:
        # Vowel signs of Brahmic scripts (Devanagari, Tamil, Khmer, ...) are marks that do not
        # combine and that \W would drop, which would make टोगो (Togo) and टोंगा (Tonga) one name.
        text = "".join(
            ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " " for ch in text
        )
    words = [w for w in text.split() if w not in _ARTICLES]
    if len(words) > 1 and words[-1] == "is":
        words[-1] = "islands"
    return "".join(_ABBREVIATIONS.get(w, w) for w in words).replace(" ", "")


_PARENS = re.compile(r"\s*[(（]([^()（）]*)[)）]\s*")


def _variants(name: str) -> tuple[list[str], list[str]]:
    """(full forms, head forms) of a name: reorderings around a comma or parenthesis."""
    full = [name]
    heads: list[str] = []
    match = _PARENS.search(name)
    if match:
        outer = (name[: match.start()] + " " + name[match.end() :]).strip()
        full.append(f"{match.group(1)} {outer}")
        heads.append(outer)
    elif "," in name:
        head, tail = (part.strip() for part in name.split(",", 1))
        full.append(f"{tail} {head}")
        heads.append(head)
    return full, heads


def _babel_names() -> Iterator[tuple[str, str]]:
    """(alpha-2, name) pairs from CLDR in the six UN languages."""
    from babel import Locale

    for locale in _BABEL_LOCALES:
        yield from Locale.parse(locale).territories.items()


def _gettext_names(english: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """(alpha-3, name) pairs: pycountry's English names translated by its ISO catalogues."""
    import pycountry

    english = list(english)
    for language in _GETTEXT_LANGUAGES:
        try:
            catalogue = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
            )
        except OSError:  # pragma: no cover - depends on the pycountry build
            continue
        for iso3, name in english:
            yield iso3, catalogue.gettext(name)


def _pycountry_names() -> list[tuple[str, str]]:
    import pycountry

    names: list[tuple[str, str]] = []
    for entry in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            value = getattr(entry, field, None)
            if value:
                names.append((entry.alpha_3, value))
    return names


_AMBIGUOUS = ""  # marker in the lookup table: the key is claimed by more than one country


@cache
def _every_locale() -> tuple[Any, ...]:
    """Every babel locale without a territory ("de", "ca", "sr_Latn"): one per language and
    script; the territory variants ("de_AT") repeat their parent's names almost entirely."""
    from babel import Locale, UnknownLocaleError
    from babel.localedata import locale_identifiers

    locales = []
    for identifier in sorted(locale_identifiers()):
        parts = identifier.split("_")
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) != 4):
            continue
        try:
            locales.append(Locale.parse(identifier))
        except (UnknownLocaleError, ValueError):  # pragma: no cover - depends on babel's data
            continue
    return tuple(locales)


def _every_locale_names() -> Iterator[tuple[str, str]]:
    """(alpha-2, name) pairs from CLDR in every locale babel ships (level 4)."""
    for locale in _every_locale():
        yield from locale.territories.items()


@cache
def _lookup() -> dict[str, str]:
    """Folded name -> ISO3 (or ``_AMBIGUOUS``), built once from the levels described above."""
    table = countries()
    by_iso2 = {c.iso2: c.iso3 for c in table.values()}
    english = _pycountry_names()
    english += [(c.iso3, c.name_en) for c in table.values()]
    un_names = [(iso3, name) for iso3, names in _UN_NAMES.items() for name in names]
    translated = [(by_iso2[code], name) for code, name in _babel_names() if code in by_iso2]
    translated += list(_gettext_names(english))
    every = [(by_iso2[code], name) for code, name in _every_locale_names() if code in by_iso2]

    levels: list[list[tuple[str, str]]] = [[], [], [], [], [], []]
    for iso3, names in _ALIASES.items():
        levels[0].extend((iso3, name) for name in names)
    for level, head_level, pairs in ((1, 3, english + un_names), (2, 3, translated), (4, 5, every)):
        for iso3, name in pairs:
            full, heads = _variants(name)
            levels[level].extend((iso3, form) for form in full)
            levels[head_level].extend((iso3, form) for form in heads)

    lookup: dict[str, str] = {_fold(name): _AMBIGUOUS for name in _REFUSED}
    folded: dict[str, str] = {}  # many locales share a spelling: fold each once
    for pairs in levels:
        claims: dict[str, set[str]] = {}
        for iso3, name in pairs:
            key = folded.get(name)
            if key is None:
                key = folded[name] = _fold(name)
            if key and key not in lookup:
                claims.setdefault(key, set()).add(iso3)
        for key, owners in claims.items():
            lookup[key] = owners.pop() if len(owners) == 1 else _AMBIGUOUS
    return lookup


@cache
def _codes() -> tuple[dict[str, Country], dict[str, Country], dict[int, Country]]:
    table = countries()
    iso2 = {c.iso2: c for c in table.values()}
    iso2.update({code: table[iso3] for code, iso3 in _EXTRA_CODES.items()})
    m49 = {int(c.m49): c for c in table.values()}
    return iso2, dict(table), m49


def _is_missing(raw: object) -> bool:
    """None, booleans, NaN (float or numpy), pandas.NA and pandas.NaT (without importing pandas)."""
    if raw is None or isinstance(raw, bool):
        return True
    if isinstance(raw, numbers.Real) and not isinstance(raw, numbers.Integral):
        return math.isnan(float(raw))
    return type(raw).__name__ in {"NAType", "NaTType"}


def _resolve_number(value: numbers.Real) -> Country | None:
    number = float(value)
    if not number.is_integer():
        return None
    return _codes()[2].get(int(number))


def resolve_country(raw: object) -> Country | None:
    """The country a cell value denotes, or None when blank, unknown or ambiguous.

    Accepts ISO alpha-2/alpha-3 codes in any case, M49 numeric codes ("4", "004", 4, 4.0) and
    names in the six UN languages (see the module docstring). Never guesses fuzzily.
    """
    if _is_missing(raw):
        return None
    if isinstance(raw, numbers.Real):
        return _resolve_number(raw)
    if isinstance(raw, bytes | bytearray):
        raw = bytes(raw).decode("utf-8", errors="replace")
    text = str(raw).strip()
    if not text:
        return None
    iso2, iso3, m49 = _codes()
    if _CODE2.fullmatch(text):
        if text in _REFUSED_CODES:
            return None
        found = iso2.get(text.upper())
        if found is not None:
            return found
    elif _CODE3.fullmatch(text):
        found = iso3.get(text.upper())
        if found is not None:
            return found
    elif _NUMERIC.fullmatch(text):
        return m49.get(int(float(text)))
    return _resolve_name(text)


def _resolve_name(text: str) -> Country | None:
    lookup = _lookup()
    iso3 = lookup.get(_fold(text))
    if iso3 is None and _PARENS.search(text):
        return _resolve_parenthesised(text)
    return countries()[iso3] if iso3 else None


def _resolve_parenthesised(text: str) -> Country | None:
    """Resolve a name with parentheses that is not itself a known form.

    Accepted: every part names the same country ("France (FR)", "Kenya (KEN)"), or a non-member
    territory is followed by member states, its administering State ("Guadeloupe (France)").
    Anything else ("Kenya (France)", "Congo (something unknown)") is None.
    """
    parts = [_resolve_part(part) for part in _PARENS.split(text) if part.strip()]
    if len(parts) < 2 or parts[0] is None:
        return None
    if all(part == parts[0] for part in parts):
        return parts[0]
    outer, *inner = parts
    if not outer.un_group and all(p is not None and p.un_group for p in inner):
        return outer
    return None


def _resolve_part(text: str) -> Country | None:
    text = text.strip()
    iso2, iso3, _ = _codes()
    if _CODE2.fullmatch(text) and text not in _REFUSED_CODES:
        return iso2.get(text.upper())
    if _CODE3.fullmatch(text) and text.upper() in iso3:
        return iso3[text.upper()]
    key = _lookup().get(_fold(text))
    return countries()[key] if key else None


def resolve_countries(values: Iterable[object]) -> dict[Any, Country | None]:
    """Resolve each distinct value once: ``{value: Country or None}``.

    Keys are the values as given (so ``series.map(resolve_countries(series.unique()))`` works).
    Unhashable values are skipped; missing values (None, NaN, pandas.NA) map to None.
    """
    result: dict[Any, Country | None] = {}
    by_key: dict[str, Country | None] = {}
    for value in values:
        if not isinstance(value, Hashable):
            continue
        try:
            if value in result:
                continue
        except TypeError:  # e.g. pandas.NA compares ambiguously
            pass
        if isinstance(value, str):
            text = value.strip()
            if text not in by_key:
                by_key[text] = resolve_country(text)
            result[value] = by_key[text]
        else:
            result[value] = resolve_country(value)
    return result


# --------------------------------------------------------------------------------------------
# Which names matched in a language other than English (the import's report lists them, so an
# analyst sees "Deutschland -> Germany" rather than trusting a silent translation).


@cache
def _english_keys() -> frozenset[str]:
    """Folded English names: the Latin-script aliases, pycountry's and M49's names and CLDR's
    English names, with their reorderings and heads."""
    from babel import Locale

    names = [name for names in _ALIASES.values() for name in names if _fold(name).isascii()]
    names += [name for _, name in _pycountry_names()]
    names += [c.name_en for c in countries().values()]
    names += list(Locale.parse("en").territories.values())
    keys: set[str] = set()
    for name in names:
        full, heads = _variants(name)
        keys.update(_fold(form) for form in full + heads)
    return frozenset(keys)


def matched_in_another_language(raw: object) -> bool:
    """Whether ``raw`` resolves to a country through a name that is not English:
    "Deutschland", "Allemagne" and "ألمانيا" do; "Germany", "DE", "DEU" and "276" do not."""
    if not isinstance(raw, str) or resolve_country(raw) is None:
        return False
    text = raw.strip()
    iso2, iso3, _ = _codes()
    if (
        (_CODE2.fullmatch(text) and text.upper() in iso2)
        or (_CODE3.fullmatch(text) and text.upper() in iso3)
        or _NUMERIC.fullmatch(text)
    ):
        return False
    key = _fold(text)
    if key not in _lookup():  # a parenthesised form: its first part carries the name
        key = _fold(_PARENS.split(text)[0])
    return key not in _english_keys()


# --------------------------------------------------------------------------------------------
# Subnational places (ISO 3166-2 subdivisions from pycountry, with the names its gettext
# catalogues give them in the UN and the country's languages: "Bayern", "Bavaria", "Bavière").
# The importer counts them under their country only when the mapping says so
# ([parse] subnational_places = true).

# Subdivisions that ISO 3166-1 also lists as countries or territories of their own (Taiwan,
# Hong Kong, Macao, Åland, Svalbard and Jan Mayen, the Dutch Caribbean, French and US overseas
# parts): counting them under the parent would move respondents from one country to another.
_OWN_ENTRY_SUBDIVISIONS = frozenset(
    {
        *("CN-TW", "CN-HK", "CN-MO", "FI-01", "NO-21", "NO-22"),
        *("NL-AW", "NL-CW", "NL-SX", "NL-BQ1", "NL-BQ2", "NL-BQ3"),
        *("FR-971", "FR-972", "FR-973", "FR-974", "FR-976", "FR-BL", "FR-MF", "FR-NC"),
        *("FR-PF", "FR-PM", "FR-TF", "FR-WF"),
        *("US-AS", "US-GU", "US-MP", "US-PR", "US-UM", "US-VI"),
    }
)
# ISO 3166-2 marks Western Sahara's parts of Moroccan regions "(EH)" / "(EH-partial)"; the UN
# lists Western Sahara (ESH) apart, so these names are not counted under Morocco. Kosovo (RS-KM
# and its districts) is left to the country lookup, which deliberately does not resolve it.
_DISPUTED_MARK = re.compile(r"\(EH(?:-partial)?\)")
_DISPUTED_SUBDIVISIONS = frozenset({"RS-KM"})
_BRACKETS = re.compile(r"\s*\[([^\]]*)\]\s*")
_TRAILING_CODE = re.compile(r"\s+[A-Z]{2}-[A-Z0-9]{1,3}$")


# Words that name a part of any country ("North", "Centre", "Capital", "Région du Nord"): a
# subdivision name made only of these is not taken as a place, even where only one country's
# catalogue happens to use it.
_GENERIC_PLACE_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "middle", "upper", "lower", "capital", "coast", "coastal", "island",
    "islands", "region", "province", "district", "city", "county", "state", "nord", "sud", "est",
    "ouest", "centrale", "du", "de", "la", "des", "norte", "sur", "este", "oeste", "centro",
    "del", "y", "and", "of", "the",
})  # fmt: skip


def _generic(form: str) -> bool:
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", form).casefold())
    return all(word in _GENERIC_PLACE_WORDS for word in words)


def _subdivision_forms(name: str) -> list[str]:
    """ "Catalunya [Cataluña]" -> Catalunya, Cataluña; "Bolama / Bijagós" -> both parts;
    "Isle of Anglesey [Sir Ynys Môn GB-YNM]" -> Isle of Anglesey, Sir Ynys Môn."""
    parts = [_BRACKETS.sub(" ", name).strip()]
    parts += [_TRAILING_CODE.sub("", inner).strip() for inner in _BRACKETS.findall(name)]
    forms: list[str] = []
    for part in parts:
        forms += [piece.strip() for piece in part.split(" / ")] if " / " in part else [part]
    return [form for form in forms if form]


# Catalogue languages for subdivision names: the UN languages, and each country's own.
_SUBDIVISION_UN_CATALOGUES = ("en", "fr", "es", "ru", "ar", "zh_CN", "zh_TW")


@cache
def _subdivision_catalogue(language: str) -> gettext.NullTranslations | None:
    import pycountry

    try:
        return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
    except OSError:  # no catalogue in that language
        return None


def _subdivision_translations(name: str, iso2: str) -> set[str]:
    """A pycountry subdivision name as pycountry's catalogues translate it into the UN languages
    and the country's official and regional languages (CLDR's list): "Bayern" -> Bavaria,
    Bavière, Baviera. Not into every language: German calls Honduras's Atlántida "Atlantis"."""
    from babel.languages import get_official_languages

    own = get_official_languages(iso2, regional=True, de_facto=True)
    names = {name}
    for language in (*_SUBDIVISION_UN_CATALOGUES, *(code.split("_")[0] for code in own)):
        catalogue = _subdivision_catalogue(language)
        if catalogue is not None:
            names.add(catalogue.gettext(name))
    return names


@cache
def _subdivision_lookup() -> dict[str, str]:
    """Folded subdivision name -> ISO3 of its country (``_AMBIGUOUS`` when two claim it)."""
    import pycountry

    by_iso2 = {c.iso2: c.iso3 for c in countries().values()}
    countries_lookup = _lookup()
    left_out = _OWN_ENTRY_SUBDIVISIONS | _DISPUTED_SUBDIVISIONS
    full_level: list[tuple[str, str]] = []
    head_level: list[tuple[str, str]] = []
    for entry in pycountry.subdivisions:
        iso3 = by_iso2.get(entry.country_code)
        own_entry = entry.code in left_out or getattr(entry, "parent_code", None) in left_out
        if iso3 is None or own_entry or _DISPUTED_MARK.search(entry.name):
            continue
        written = _subdivision_translations(entry.name, entry.country_code)
        forms = [form for text in written for form in _subdivision_forms(text)]
        full: list[str] = []
        heads: list[str] = []
        for form in forms:
            more_full, more_heads = _variants(form)
            full += more_full
            heads += more_heads
        # A place one of whose names is another country's ("Georgia", "Luxembourg", "Guadeloupe")
        # is left to the country names altogether.
        if any(countries_lookup.get(_fold(form), iso3) != iso3 for form in full):
            continue
        full_level += [(iso3, form) for form in full if not _generic(form)]
        head_level += [(iso3, form) for form in heads if not _generic(form)]

    lookup: dict[str, str] = {}
    for pairs in (full_level, head_level):
        claims: dict[str, set[str]] = {}
        for iso3, form in pairs:
            key = _fold(form)
            if key and key not in lookup and key not in countries_lookup:
                claims.setdefault(key, set()).add(iso3)
        for key, owners in claims.items():
            lookup[key] = owners.pop() if len(owners) == 1 else _AMBIGUOUS
    return lookup


def subnational_country(raw: object) -> Country | None:
    """The country of a region, province or state named in any language ("Catalunya",
    "Bavaria", "Bayern", "Texas", "Québec"), or None when ``raw`` names a country, names places
    in two countries ("Punjab", "Limburg", "Córdoba"), or no place at all."""
    if not isinstance(raw, str) or not raw.strip() or resolve_country(raw) is not None:
        return None
    iso3 = _subdivision_lookup().get(_fold(raw.strip()))
    return countries()[iso3] if iso3 else None
