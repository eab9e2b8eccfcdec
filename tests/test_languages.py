"""Tests for dashboard.reference.languages: resolving language codes, tags and names."""

from __future__ import annotations

import math
import unicodedata

import pandas as pd
import pytest

from dashboard.reference.languages import (
    UN_LANGUAGES,
    UNDETERMINED,
    is_un_language,
    language_name,
    resolve_language,
    resolve_languages,
)

CODE_CASES: list[tuple[str, str]] = [
    # ISO 639-1, any case
    ("fr", "fr"),
    ("FR", "fr"),
    ("Ar", "ar"),
    ("zh", "zh"),
    (" es ", "es"),
    ("ＦＲ", "fr"),  # full-width, NFKC
    # ISO 639-2/T, 639-2/B, 639-3
    ("fra", "fr"),
    ("fre", "fr"),
    ("eng", "en"),
    ("ENG", "en"),
    ("zho", "zh"),
    ("chi", "zh"),
    ("cmn", "zh"),
    ("yue", "zh"),
    ("ara", "ar"),
    ("arb", "ar"),
    ("arz", "ar"),
    ("rus", "ru"),
    ("spa", "es"),
    ("deu", "de"),
    ("ger", "de"),
    ("por", "pt"),
    ("pes", "fa"),
    ("swh", "sw"),
    # legacy / special codes
    ("iw", "he"),
    ("in", "id"),
    ("ji", "yi"),
    ("jw", "jv"),
    ("mo", "ro"),
    ("fil", "tl"),
    ("tl", "tl"),
    ("sh", "sh"),
    ("hbs", "sh"),
    # BCP-47 and POSIX locale tags
    ("fr-CA", "fr"),
    ("fr_FR", "fr"),
    ("en_US", "en"),
    ("en-GB", "en"),
    ("en_US.UTF-8", "en"),
    ("de_DE@euro", "de"),
    ("zh-Hans-CN", "zh"),
    ("zh-Hant", "zh"),
    ("zh_Hant_TW", "zh"),
    ("zh-TW", "zh"),
    ("zh-yue", "zh"),
    ("pt-BR", "pt"),
    ("es-419", "es"),
    ("es_MX", "es"),
    ("sr-Latn", "sr"),
    ("ar-EG", "ar"),
    ("ru-RU", "ru"),
    ("en-GB-oxendict", "en"),
    ("de-DE-1996", "de"),
]

NAME_CASES: list[tuple[str, str]] = [
    # French, in the six UN languages and itself
    ("French", "fr"),
    ("french", "fr"),
    ("FRENCH", "fr"),
    ("Français", "fr"),
    ("francais", "fr"),
    ("francés", "fr"),
    ("Французский", "fr"),
    ("французский язык", "fr"),
    ("法语", "fr"),
    ("法文", "fr"),
    ("الفرنسية", "fr"),
    ("French language", "fr"),
    ("langue française", "fr"),
    ("Française", "fr"),
    # Arabic
    ("Arabic", "ar"),
    ("Arabe", "ar"),
    ("árabe", "ar"),
    ("Арабский", "ar"),
    ("阿拉伯语", "ar"),
    ("العربية", "ar"),
    ("العربيّة", "ar"),  # with shadda
    ("اللغة العربية", "ar"),
    ("عربي", "ar"),
    ("Egyptian Arabic", "ar"),
    ("Modern Standard Arabic", "ar"),
    # Chinese
    ("Chinese", "zh"),
    ("Chinois", "zh"),
    ("chino", "zh"),
    ("Китайский", "zh"),
    ("الصينية", "zh"),
    ("中文", "zh"),
    ("汉语", "zh"),
    ("漢語", "zh"),
    ("普通话", "zh"),
    ("Mandarin", "zh"),
    ("Mandarin Chinese", "zh"),
    ("Cantonese", "zh"),
    ("Chinese (Simplified)", "zh"),
    ("Chinese (Traditional)", "zh"),
    ("Simplified Chinese", "zh"),
    ("Traditional Chinese", "zh"),
    ("中文（简体）", "zh"),
    ("简体中文", "zh"),
    ("繁體中文", "zh"),
    ("Chinese, Mandarin", "zh"),
    # English
    ("English", "en"),
    ("Anglais", "en"),
    ("inglés", "en"),
    ("Английский", "en"),
    ("الإنجليزية", "en"),
    ("الانجليزية", "en"),  # alef without hamza
    ("英语", "en"),
    ("英文", "en"),
    ("English (United States)", "en"),
    ("English / Anglais", "en"),
    # Russian
    ("Russian", "ru"),
    ("Russe", "ru"),
    ("ruso", "ru"),
    ("Русский", "ru"),
    ("русский язык", "ru"),
    ("俄语", "ru"),
    ("الروسية", "ru"),
    # Spanish
    ("Spanish", "es"),
    ("Espagnol", "es"),
    ("Español", "es"),
    ("espanol", "es"),
    ("Castellano", "es"),
    ("idioma español", "es"),
    ("lengua española", "es"),
    ("Spanish; Castilian", "es"),
    ("Испанский", "es"),
    ("西班牙语", "es"),
    ("الإسبانية", "es"),
    # other languages: English name, autonym, names in UN languages and others
    ("German", "de"),
    ("Deutsch", "de"),
    ("Allemand", "de"),
    ("Немецкий", "de"),
    ("德语", "de"),
    ("Portuguese", "pt"),
    ("Português", "pt"),
    ("Brazilian Portuguese", "pt"),
    ("Französisch", "fr"),
    ("Japanese", "ja"),
    ("日本語", "ja"),
    ("Korean", "ko"),
    ("한국어", "ko"),
    ("Hindi", "hi"),
    ("हिन्दी", "hi"),
    ("Urdu", "ur"),
    ("اردو", "ur"),
    ("Persian", "fa"),
    ("Farsi", "fa"),
    ("فارسی", "fa"),
    ("Turkish", "tr"),
    ("Türkçe", "tr"),
    ("Swahili", "sw"),
    ("Kiswahili", "sw"),
    ("Amharic", "am"),
    ("አማርኛ", "am"),
    ("Ukrainian", "uk"),
    ("Українська", "uk"),
    ("Greek", "el"),
    ("Ελληνικά", "el"),
    ("Hebrew", "he"),
    ("עברית", "he"),
    ("Vietnamese", "vi"),
    ("Tiếng Việt", "vi"),
    ("Tagalog", "tl"),
    ("Filipino", "tl"),
    ("Serbo-Croatian", "sh"),
    ("Bengali", "bn"),
    ("Bangla", "bn"),
    ("বাংলা", "bn"),
    ("isiZulu", "zu"),
    ("Norsk bokmål", "nb"),
    ("Dutch", "nl"),
    ("Nederlands", "nl"),
    ("oʻzbek", "uz"),
]

UNDETERMINED_CASES: list[object] = [
    None,
    float("nan"),
    math.nan,
    pd.NA,
    pd.NaT,
    "",
    " ",
    "\t\n",
    "N/A",
    "NaN",
    "null",
    "None",
    "Klingon",
    "klingon",
    "xx",
    "XX",
    "12",
    12,
    "und",
    "mul",
    "zxx",
    "x-klingon",
    "French, English",  # two different languages: never guess
    "Frenchh",  # typo: never guess fuzzily
    "Bahasa",  # ambiguous (Indonesian or Malay)
    "Gaelic",  # ambiguous (Irish or Scottish Gaelic)
    "Hawaiian",  # no ISO 639-1 code
    "fr-",  # malformed tag
    "C",
    "POSIX",
]


@pytest.mark.parametrize(("raw", "expected"), CODE_CASES)
def test_resolve_codes_and_tags(raw: str, expected: str) -> None:
    assert resolve_language(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), NAME_CASES)
def test_resolve_names(raw: str, expected: str) -> None:
    assert resolve_language(raw) == expected


@pytest.mark.parametrize("raw", UNDETERMINED_CASES, ids=repr)
def test_blank_and_unknown_are_undetermined(raw: object) -> None:
    assert resolve_language(raw) == UNDETERMINED


def test_enough_cases_in_all_un_scripts() -> None:
    cases = CODE_CASES + NAME_CASES
    assert len(cases) >= 70
    assert {code for _, code in cases} >= set(UN_LANGUAGES)
    scripts = {unicodedata.name(ch, "").split()[0] for raw, _ in cases for ch in raw}
    assert {"LATIN", "ARABIC", "CJK", "CYRILLIC"} <= scripts


def test_result_is_always_two_letters_or_und() -> None:
    for raw, _ in CODE_CASES + NAME_CASES:
        code = resolve_language(raw)
        assert code == UNDETERMINED or (len(code) == 2 and code.isascii() and code.islower())


def test_resolve_languages_matches_resolve_language() -> None:
    mixed = [raw for raw, _ in CODE_CASES[::3] + NAME_CASES[::3]] + UNDETERMINED_CASES
    values: list[object] = [*mixed, *mixed[:10]]  # with repeats
    mapping = resolve_languages(values)
    for value in values:
        key = value if isinstance(value, str) else str(value)
        # missing values (None, NaN, pd.NA) are skipped: absent keys mean "und"
        assert mapping.get(key, UNDETERMINED) == resolve_language(value)


def test_resolve_languages_skips_missing_values() -> None:
    mapping = resolve_languages([None, float("nan"), pd.NA, pd.NaT, "fr", "fr", 12])
    assert mapping == {"fr": "fr", "12": UNDETERMINED}


def test_resolve_languages_on_series() -> None:
    series = pd.Series(["French", "fr-CA", None, "中文", "", "Klingon"] * 1000, dtype=object)
    mapping = resolve_languages(series.unique())
    resolved = series.map(mapping).fillna(UNDETERMINED)
    assert resolved.value_counts().to_dict() == {"fr": 2000, UNDETERMINED: 3000, "zh": 1000}


@pytest.mark.parametrize(
    ("code", "locale", "expected"),
    [
        ("fr", "en", "French"),
        ("fr", "fr", "Français"),
        ("fr", "es", "Francés"),
        ("fr", "ru", "Французский"),
        ("fr", "zh", "法语"),
        ("fr", "ar", "الفرنسية"),
        ("zh", "zh", "中文"),
        ("en", "zh_Hant", "英文"),
        ("ru", "zh-Hant", "俄文"),
        ("es", "es", "Español"),
        ("de", "de", "Deutsch"),
        ("ar", "en", "Arabic"),
        ("FR", "en", "French"),
        ("tl", "en", "Tagalog"),
        (UNDETERMINED, "en", "Undetermined"),
        (UNDETERMINED, "fr", "Indéterminée"),
        (UNDETERMINED, "es", "Indeterminado"),
        (UNDETERMINED, "ar", "غير محدد"),
        (UNDETERMINED, "zh", "未确定"),
        (UNDETERMINED, "ru", "Не определён"),
        (UNDETERMINED, "de", "Undetermined"),
        ("qq", "en", "qq"),
        ("xx", "fr", "xx"),
        ("fr", "not-a-locale", "French"),
    ],
)
def test_language_name(code: str, locale: str, expected: str) -> None:
    assert language_name(code, locale) == expected


def test_language_name_default_locale_is_english() -> None:
    assert language_name("ru") == "Russian"


def test_every_un_language_resolves_from_its_names() -> None:
    for code in UN_LANGUAGES:
        for locale in UN_LANGUAGES:
            assert resolve_language(language_name(code, locale)) == code


@pytest.mark.parametrize("code", UN_LANGUAGES)
def test_is_un_language_true(code: str) -> None:
    assert is_un_language(code)
    assert is_un_language(code.upper())


@pytest.mark.parametrize("code", ["de", "pt", "und", "", "fra", "French"])
def test_is_un_language_false(code: str) -> None:
    assert not is_un_language(code)


def test_constants() -> None:
    assert UN_LANGUAGES == ("ar", "zh", "en", "fr", "ru", "es")
    assert UNDETERMINED == "und"
